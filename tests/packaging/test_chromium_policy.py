"""The installed managed policy reaches the extension in a real browser.

Debian's Chromium reads /etc/chromium/policies/managed. In a private mount namespace /etc/chromium
is replaced by a copy of what the package installed (this machine's token included), and the built
extension, loaded unpacked with its fixed ID, must see exactly those settings and that token in
chrome.storage.managed. The copy leaves out the ExtensionInstallForcelist entry only: with it
Chromium would fetch the extension from the store (there is no network here) and refuse the
unpacked copy of the same ID; the force-install list itself is checked in test_deb and
test_browser_policies.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from packaging_harness import ROOT, run

EXTENSION = ROOT / "extension"


def test_extension_receives_the_packaged_settings_and_token(installed: Path, tmp_path: Path) -> None:
    run("node", EXTENSION / "scripts" / "build.mjs")  # dist/ (make test builds it only later, in test-ext)
    ext_id = (EXTENSION / "EXTENSION_ID").read_text().strip()
    etc_chromium = tmp_path / "etc-chromium"
    shutil.copytree(installed / "etc/chromium", etc_chromium)
    policy_file = etc_chromium / "policies/managed/discreet.json"
    policy = json.loads(policy_file.read_text())
    del policy["ExtensionInstallForcelist"]
    policy_file.write_text(json.dumps(policy))
    script = " ".join(
        [
            f"mount --bind {etc_chromium} /etc/chromium &&",
            f"node {Path(__file__).parent / 'chromium_managed_storage.mjs'}",
            f"{EXTENSION / 'node_modules' / 'playwright-core'} {EXTENSION / 'dist'} {ext_id}",
        ]
    )
    result = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    managed = json.loads(result.stdout)
    assert managed == policy["3rdparty"]["extensions"][ext_id]
    assert managed["token"] == (installed / "etc/discreet/token").read_text().strip()
    assert managed["serviceUrl"] == "http://127.0.0.1:8765" and managed["extraSites"] == []
