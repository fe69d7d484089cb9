"""After the .deb is installed, Chromium runs the extension and it reaches the service: for real.

In private mount and network namespaces (installed_view), the installed package's files are laid
over the machine's, and the loopback interface is this namespace's own, so the
service can listen on the managed address 127.0.0.1:8765 whatever else runs on this machine. The
service starts as the systemd unit starts it (`/opt/discreet/discreet serve`, no options) as an
unprivileged user; Debian's Chromium starts with a fresh profile and no extension flags. The
extension must be installed from the packaged CRX (external extension), hold exactly the packaged
settings and this machine's token in chrome.storage.managed, and get a scan answered with them.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging_harness import ROOT, in_view, installed_view, user_env, user_home

EXTENSION = ROOT / "extension"


@pytest.fixture(scope="module")
def namespace(installed: Path) -> Iterator[int]:
    with installed_view(installed, net=True) as pid:
        yield pid


@pytest.fixture(scope="module")
def service(namespace: int) -> Iterator[Path]:
    """`/opt/discreet/discreet serve` as the user unit runs it, as an unprivileged user; yields its log."""
    home = user_home()
    log = home.parent / f"{home.name}-unit.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [*in_view(namespace), "/opt/discreet/discreet", "serve"],
            env=user_env(home), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while "listening on http://127.0.0.1:8765" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield log
    finally:
        process.terminate()
        process.wait(timeout=30)


def extension_id(installed: Path) -> str:
    (entry,) = (installed / "usr/share/chromium/extensions").glob("*.json")
    return entry.stem


def test_fresh_chromium_runs_the_packaged_extension_with_its_managed_settings(
    installed: Path, namespace: int, service: Path
) -> None:
    ext_id = extension_id(installed)
    roster = (installed / "opt/discreet/defaults/policy/clients.txt").read_text().splitlines()
    client = next(line.split("|")[0] for line in roster if line.strip() and not line.startswith("#"))
    result = subprocess.run(
        [*in_view(namespace, as_user=False), "node", str(Path(__file__).parent / "chromium_extension.mjs"),
         str(EXTENSION / "node_modules" / "playwright-core"), ext_id, f"Lunch with {client} today"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["worker"] == f"chrome-extension://{ext_id}/background.js"
    policy = json.loads((installed / "etc/chromium/policies/managed/discreet.json").read_text())
    assert seen["managed"] == policy["3rdparty"]["extensions"][ext_id]
    assert seen["managed"]["token"] == (installed / "var/lib/discreet/token").read_text().strip()
    assert seen["scan"]["ok"] is True, seen["scan"]
    assert [(f["text"], f["category"]) for f in seen["scan"]["findings"]] == [(client, "client")]
