"""After the .deb is installed, Chromium runs the extension and it reaches the service: for real.

In private mount and network namespaces (installed_view), the installed package's files are laid
over the machine's, and the loopback interface is this namespace's own, so the first user's
service takes the managed address 127.0.0.1:8765 whatever else runs on this machine. The
service starts as the systemd unit starts it (`/opt/discreet/discreet serve`, no options) as an
unprivileged user; Debian's Chromium starts with a fresh profile and no extension flags. The
extension must be installed from the packaged CRX (external extension), hold exactly the packaged
settings and this machine's token in chrome.storage.managed, and get a scan answered with them;
after which `discreet status` reports the extension's call and says protected.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging_harness import ROOT, in_view, installed_view, run_as_user, serving, user_home

EXTENSION = ROOT / "extension"


@pytest.fixture(scope="module")
def namespace(installed: Path) -> Iterator[int]:
    with installed_view(installed, net=True) as pid:
        yield pid


@pytest.fixture(scope="module")
def service(namespace: int) -> Iterator[Path]:
    """`/opt/discreet/discreet serve` as the user unit runs it, as an unprivileged user (the first
    user of this namespace's loopback, so on the managed address); yields the user's home."""
    home = user_home()
    with serving(namespace, home) as svc:
        assert svc.port == 8765, svc.log.read_text()
        yield home


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

    # Monitoring sees it: the extension's call makes `discreet status` (as the user) say protected.
    result = run_as_user(service, "/opt/discreet/discreet", "status", "--json", view=namespace, check=False)
    status = json.loads(result.stdout)
    assert (result.returncode, status["state"]) == (0, "protected"), result.stdout
    (row,) = [row for row in status["extensions"] if row["origin"] == f"chrome-extension://{ext_id}"]
    assert row["recent"] and row["browser"] == "chrome" and row["admitted_by"] == ["config"]
