"""The bundled service run from the installed package, as an unprivileged user would run it.

It runs inside installed_view (the installed files where a real install puts them) with no options
beyond a free port: the shipped defaults, the token the postinst made and the administrator's own
files in /etc/discreet are found as on a machine; `discreet status` and the native-messaging host are
checked against it the way IT and the extension use them.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import struct
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging_harness import (
    dpkg,
    dpkg_root,
    http,
    in_view,
    installed_view,
    run_as_user,
    running_service,
    user_env,
    user_home,
)

DEFAULTS = "opt/discreet/defaults"
TOKEN = "var/lib/discreet/token"
PROGRAM = "/opt/discreet/discreet"


def roster_name(root: Path) -> str:
    """The first client name of the shipped roster, whatever policy the package was built with."""
    roster = (root / DEFAULTS / "policy/clients.txt").read_text().splitlines()
    return next(line.split("|")[0] for line in roster if line.strip() and not line.startswith("#"))


@pytest.fixture(scope="module")
def view(installed: Path) -> Iterator[int]:
    with installed_view(installed) as pid:
        yield pid


@pytest.fixture(scope="module")
def service(view: int):
    home = user_home()
    with running_service(view, home) as svc:
        yield svc, home


def write_user_config(home: Path, text: str) -> None:
    """The user's own config.toml (e.g. the port this test's service listens on)."""
    config_dir = home / ".config" / "discreet"
    run_as_user(home, "mkdir", "-p", config_dir)
    (config_dir / "config.toml").write_text(text)


def admin_token(home: Path) -> str:
    """The user's own admin capability, which their service created at its first start."""
    return (home / ".config" / "discreet" / "admin-token").read_text().strip()


def test_health_answers_with_the_shipped_policy(service) -> None:
    svc, home = service
    status, body = http(f"{svc.url}/v1/health")
    assert status == 200 and body["ok"] is True and set(body) == {"version", "policy", "ok"}
    details = http(f"{svc.url}/v1/health", token=admin_token(home))[1]
    assert details["policy_path"] == f"/{DEFAULTS}/policy/policy.yaml"


def test_scan_with_the_machine_token_finds_a_roster_client(service, installed: Path) -> None:
    svc, _home = service
    token = (installed / TOKEN).read_text().strip()
    name = roster_name(installed)
    status, body = http(f"{svc.url}/v1/scan", {"text": f"Great lunch with {name} today", "site": "x"}, token)
    assert status == 200
    assert [(f["text"], f["category"]) for f in body["findings"]] == [(name, "client")]
    assert http(f"{svc.url}/v1/scan", {"text": f"lunch with {name}", "site": "x"}, "wrong" * 8)[0] == 401


def test_users_own_token_file_is_owner_only(view: int) -> None:
    """Without a managed token (an unmanaged user, or a per-user override) the service makes its own."""
    home = user_home()
    token_file = home / ".config" / "discreet" / "token"
    with running_service(view, home, "--token-file", token_file) as svc:
        info = token_file.stat()
        assert stat.S_IMODE(info.st_mode) == 0o600
        assert info.st_uid != 0 and info.st_uid == home.stat().st_uid
        token = token_file.read_text().strip()
        assert http(f"{svc.url}/v1/scan", {"text": "hello", "site": "x"}, token)[0] == 200


def test_status_is_protected_once_the_installed_extension_has_called(
    service, installed: Path, view: int, extension_id: str
) -> None:
    svc, home = service
    origin = f"chrome-extension://{extension_id}"
    write_user_config(home, f"port = {svc.port}\n")
    result = run_as_user(home, PROGRAM, "status", "--json", view=view, check=False)
    status = json.loads(result.stdout)
    assert (result.returncode, status["state"]) == (1, "degraded"), result.stdout  # allowed is not enough
    assert origin in status["allowed_origins"]
    assert any("no extension has called the service" in reason for reason in status["reasons"])

    token = (installed / TOKEN).read_text().strip()
    calling = http(f"{svc.url}/v1/scan", {"text": "hello", "site": "x"}, token, origin=origin)
    assert calling[0] == 200
    result = run_as_user(home, PROGRAM, "status", "--json", view=view, check=False)
    status = json.loads(result.stdout)
    _, health = http(f"{svc.url}/v1/health")
    assert result.returncode == 0, result.stdout
    assert status["state"] == "protected" and status["reasons"] == []
    assert status["policy_fingerprint"] == health["policy"]
    (row,) = status["extensions"]
    assert row["origin"] == origin and row["recent"] and row["admitted_by"] == ["config"]
    readable = run_as_user(home, PROGRAM, "status", view=view, check=False).stdout
    assert "PROTECTED" in readable and "NOT PROTECTED" not in readable
    assert f"{origin} (allowed by config): last call" in readable


def test_status_says_not_protected_when_the_service_is_down(view: int) -> None:
    home = user_home()
    write_user_config(home, "port = 9\n")  # the discard port: nothing answers there
    result = run_as_user(home, PROGRAM, "status", view=view, check=False)
    assert result.returncode == 2  # down
    assert "NOT RUNNING" in result.stdout and "DOWN (NOT PROTECTED)" in result.stdout


def native_message(payload: dict) -> bytes:
    data = json.dumps(payload).encode()
    return struct.pack("=I", len(data)) + data


def read_native_replies(raw: bytes) -> list[dict]:
    replies = []
    while raw:
        (length,) = struct.unpack("=I", raw[:4])
        replies.append(json.loads(raw[4 : 4 + length]))
        raw = raw[4 + length :]
    return replies


def test_native_host_hands_the_extension_url_token_and_a_pairing_code(
    service, installed: Path, view: int, extension_id: str
) -> None:
    """What Chrome does: start the host with the caller's origin, one message per request."""
    svc, home = service
    write_user_config(home, f"port = {svc.port}\n")
    host = installed / "opt/discreet/discreet-native-host"
    wrapper_target = host.read_text().split("exec ", 1)[1].split()[0]
    assert wrapper_target == PROGRAM  # the wrapper points at the installed program
    result = subprocess.run(
        # Chrome passes the caller's origin (and on Windows --parent-window=<handle>).
        [*in_view(view), "/opt/discreet/discreet-native-host", f"chrome-extension://{extension_id}/",
         "--parent-window=0"],
        input=native_message({"type": "hello"}) * 2, capture_output=True, env=user_env(home), check=True,
    )  # fmt: skip
    first, second = read_native_replies(result.stdout)
    token = (installed / TOKEN).read_text().strip()
    assert first["serviceUrl"] == svc.url and first["token"] == token
    assert first["pairingCode"] and first["pairingCode"] != second["pairingCode"]
    # The extension redeems the code with its own origin, as a Firefox one with a random origin must.
    firefox_origin = "moz-extension://0b3c5e1a-4d2f-4a8e-9c71-2f5d6e7a8b90"
    code = second["pairingCode"]
    status, body = http(f"{svc.url}/v1/pair", {"code": code}, origin=firefox_origin)
    assert status == 200 and body["token"] == token


def test_native_host_rejects_an_oversized_message(installed: Path) -> None:
    result = subprocess.run(
        [str(installed / "opt/discreet/discreet"), "native-host"],
        input=struct.pack("=I", 10_000_000),
        capture_output=True,
        env=user_env(user_home()),
        check=False,
    )
    assert result.returncode == 1
    assert "limit" in read_native_replies(result.stdout)[0]["error"]


def test_user_unit_passes_systemd_analyze_verify(installed: Path, tmp_path: Path) -> None:
    """Verified against the installed program: /opt is replaced, in a private mount namespace only."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    unit = installed / "usr/lib/systemd/user/discreet.service"
    script = (
        "mount -t tmpfs tmpfs /opt && mkdir /opt/discreet && "
        f"mount --bind {installed}/opt/discreet /opt/discreet && "
        f"systemd-analyze --user verify {unit}"
    )
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    result = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr


def test_bundle_works_with_no_network_at_all(installed: Path) -> None:
    """In a network namespace with no interface up: spaCy's NER (model, spacy-legacy architectures)
    finds a patient and Presidio's e-mail recognizer (tldextract's bundled snapshot) finds an address,
    so nothing in the bundle needs to fetch anything."""
    post = {
        "id": 1,
        "text": "On the ward: patient Margaret Ellison was admitted. Mail margaret.e77@gmail.com",
    }
    result = subprocess.run(
        ["unshare", "--net", str(installed / "opt/discreet/discreet"), "scan", "--jsonl",
         "--policy", str(installed / DEFAULTS / "policy/policy.yaml")],
        input=json.dumps(post) + "\n", capture_output=True, text=True, env=user_env(user_home()), check=True,
    )  # fmt: skip
    findings = json.loads(result.stdout)["findings"]
    assert {(f["category"], f["text"]) for f in findings} >= {
        ("patient", "Margaret Ellison"),
        ("personal", "margaret.e77@gmail.com"),
    }


def eventually(check, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
    return result


def test_pushing_a_new_policy_reaches_the_running_service(deb: Path) -> None:
    """What IT does: put its own policy in /etc/discreet and name it in /etc/discreet/config.toml;
    edits reach the running service without a restart, and a broken one is refused while the last
    good policy serves (and `discreet status` says so)."""
    with dpkg_root() as root:
        dpkg(root, "-i", deb)
        etc = root / "etc/discreet"
        shutil.copytree(root / DEFAULTS / "policy", etc, dirs_exist_ok=True)
        (etc / "config.toml").write_text('policy = "policy.yaml"\n')
        home = user_home()
        token = (root / TOKEN).read_text().strip()
        with installed_view(root) as view, running_service(view, home) as svc:
            admin = admin_token(home)
            assert http(f"{svc.url}/v1/health", token=admin)[1]["policy_path"] == "/etc/discreet/policy.yaml"
            scan = {"text": "Signed Quillfeather Analytics this week", "site": "linkedin"}
            assert http(f"{svc.url}/v1/scan", scan, token)[1]["findings"] == []
            before = http(f"{svc.url}/v1/health")[1]["policy"]
            with open(etc / "clients.txt", "a") as roster:
                roster.write("Quillfeather Analytics|Quillfeather\n")
            found = eventually(lambda: http(f"{svc.url}/v1/scan", scan, token)[1]["findings"])
            assert [(f["text"], f["category"]) for f in found] == [("Quillfeather Analytics", "client")]
            after = http(f"{svc.url}/v1/health")[1]["policy"]
            assert after != before

            (etc / "policy.yaml").write_text(
                (etc / "policy.yaml").read_text() + "\n  - this: [is not valid\n"
            )
            eventually(lambda: http(f"{svc.url}/v1/health")[1]["ok"] is False)
            assert "policy.yaml" in http(f"{svc.url}/v1/health", token=admin)[1]["reload"]["error"]
            assert http(f"{svc.url}/v1/scan", scan, token)[1]["findings"]  # the last good policy serves
            write_user_config(home, f"port = {svc.port}\n")
            status = run_as_user(home, PROGRAM, "status", view=view, check=False)
            assert status.returncode == 1, status.stdout  # degraded: a monitoring check must see it
            assert "DEGRADED (NOT PROTECTED)" in status.stdout
            assert "the edited policy was refused" in status.stdout
            assert after in status.stdout
