"""Two people logged in at once each get a service of their own, and their browsers find it.

Two throwaway users are created for the module (and deleted after). In the installed view with a
loopback of its own, each user's service starts as the user unit starts it (no options): the first
takes 8765, the second finds it taken and picks a free port; each keeps its port in its own config
folder and takes it again after a restart. Each user's native-messaging host and `discreet status`
reach that user's own service, which answers with a pairing code only to its own user's admin token;
a second service of the same user is refused.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging_harness import in_view, installed_view, run, run_as_user, serving, user_env, user_home
from test_installed_service import native_message, read_native_replies

PROGRAM = "/opt/discreet/discreet"


@pytest.fixture(scope="module")
def users() -> Iterator[list[str]]:
    names = [f"discreet-t{os.getpid()}{suffix}" for suffix in "ab"]
    try:
        for name in names:
            run("useradd", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name)
        yield names
    finally:
        for name in names:
            subprocess.run(["userdel", name], capture_output=True, check=False)


@pytest.fixture(scope="module")
def view(installed: Path) -> Iterator[int]:
    with installed_view(installed, net=True) as pid:
        yield pid


def port_file(home: Path) -> Path:
    return home / ".config" / "discreet" / "port"


def native_host(view: int, user: str, home: Path) -> dict:
    result = subprocess.run(
        [*in_view(view, user=user), "/opt/discreet/discreet-native-host", "chrome-extension://x/"],
        input=native_message({"type": "hello"}), capture_output=True, env=user_env(home), check=True,
    )  # fmt: skip
    (reply,) = read_native_replies(result.stdout)
    return reply


def test_two_users_each_get_their_own_service_and_port(users: list[str], view: int) -> None:
    (alice, bob), homes = users, [user_home(user) for user in users]
    with serving(view, homes[0], user=alice) as first, serving(view, homes[1], user=bob) as second:
        assert first.port == 8765 and second.port not in (8765, 0)
        assert "choosing a free port for this user" in second.log.read_text()
        for user, home, svc in ((alice, homes[0], first), (bob, homes[1], second)):
            kept = port_file(home)
            assert kept.read_text().strip() == str(svc.port)
            info = kept.stat()
            assert stat.S_IMODE(info.st_mode) == 0o600 and info.st_uid == int(run("id", "-u", user).stdout)

            reply = native_host(view, user, home)
            assert reply["serviceUrl"] == svc.url, reply
            assert reply["pairingCode"], reply  # minted by this user's service with this user's admin token

            result = run_as_user(home, PROGRAM, "status", "--json", view=view, user=user, check=False)
            status = json.loads(result.stdout)
            assert status["service_url"] == svc.url and status["running"] is True, result.stdout
            assert status["watching_seconds"] is not None  # the admin details: it is this user's service

        # Both still serve at once; a second service of the same user is refused, not moved elsewhere.
        again = run_as_user(homes[0], PROGRAM, "serve", view=view, user=alice, check=False, timeout=120)
        assert again.returncode == 2 and "this user's service already runs" in again.stderr, again.stderr
        assert port_file(homes[0]).read_text().strip() == str(first.port)
        assert first.process.poll() is None and second.process.poll() is None

    # After a restart (now in the other order) each takes its own port again.
    with (
        serving(view, homes[1], user=bob) as second_again,
        serving(view, homes[0], user=alice) as first_again,
    ):
        assert (first_again.port, second_again.port) == (first.port, second.port)
