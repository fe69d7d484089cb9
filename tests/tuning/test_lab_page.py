"""The policy lab in real Chromium against a real `discreet serve` (waitress) on a free loopback port.

The browser is driven by lab_e2e/drive_lab.mjs (playwright-core from the extension's dev dependencies,
Debian's /usr/bin/chromium); it reports what the page showed and this test judges it. The screenshot in
the docs comes from this run: set DISCREET_LAB_SCREENSHOT=docs/lab.png to refresh it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The service tests' harness for a real `discreet serve` process, reused rather than copied.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "service"))
from service_harness import DISCREET, ServiceProcess

HERE = Path(__file__).resolve().parent
TEXT = (
    "Welcome Summit as our newest client. Ticket CHG-123456 went live. "
    "We reached the summit of Snowdon. Mrs Edith Crowther in room 14 had a fall."
)


@pytest.fixture
def lab_run(tmp_path, demo_pack, small_corpus):
    service = ServiceProcess(tmp_path / "svc", ["--policy", str(demo_pack), "--port", "0"]).start()
    lab = subprocess.run(
        [str(DISCREET), "lab", "--no-browser", "--port", str(service.port)],
        capture_output=True, text=True, env=service.env, timeout=60, check=True,
    )  # fmt: skip
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(small_corpus, encoding="utf-8")
    screenshot = Path(os.environ.get("DISCREET_LAB_SCREENSHOT") or tmp_path / "lab.png").resolve()
    config = {
        "base": f"http://127.0.0.1:{service.port}",
        "token": service.admin_token(),  # typed into the page; the extension's token would not do
        "link": lab.stdout.split()[-1],
        "text": TEXT,
        "edit": {"find": "score: 0.8", "replace": "score: 0.3"},
        "brokenYaml": "recognizers:\n  - name: [oops\n",
        "corpus": str(corpus),
        "screenshot": str(screenshot),
    }
    (tmp_path / "lab.json").write_text(json.dumps(config), encoding="utf-8")
    try:
        driven = subprocess.run(
            ["node", str(HERE / "lab_e2e" / "drive_lab.mjs"), str(tmp_path / "lab.json")],
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        service.stop()
    assert driven.returncode == 0, driven.stderr
    return json.loads(driven.stdout), screenshot, service


def marks(results) -> list[tuple[str, str]]:
    return [(m["text"], m["classes"]) for m in results["marks"]]


def test_lab_page_in_chromium(lab_run):
    seen, screenshot, service = lab_run

    # The page asks for the token and refuses a wrong one.
    assert seen["tokenFormVisible"] and not seen["labVisibleBeforeToken"]
    assert seen["wrongTokenError"] == "The service did not accept that token."
    assert seen["connection"] == "Connected to the local Discreet service"

    # Marked as the extension marks: severity by colour and line style, category alongside.
    loaded = seen["loaded"]
    assert marks(loaded) == [
        ("Summit", "sev-warn cat-client"),
        ("CHG-123456", "sev-warn cat-project"),
        ("Edith Crowther", "sev-block cat-patient"),
        ("room 14", "sev-block cat-patient"),  # a care location beside a named patient identifies them
    ]
    summit_card = loaded["findings"][0]
    assert "roster entry 'Summit Physio' as 'Summit'" in summit_card
    assert "0.60 → 0.90, raised by the context word “welcome”" in summit_card
    assert seen["activeCardAfterHover"] == summit_card
    assert seen["activeCardAfterFocus"] == loaded["findings"][1]  # keyboard users get the same link
    [near] = loaded["nearMisses"]
    assert near.startswith("summit\nclient\nSET ASIDE") and "written in lower case" in near

    # The edited copy (change tickets scored 0.3) drops the ticket to a near miss; the loaded policy stays.
    edited = seen["edited"]
    assert marks(edited) == [
        ("Summit", "sev-warn cat-client"),
        ("Edith Crowther", "sev-block cat-patient"),
        ("room 14", "sev-block cat-patient"),
    ]
    assert any(n.startswith("CHG-123456\nproject\nBELOW THRESHOLD") for n in edited["nearMisses"])
    assert edited["policyStatus"].startswith("The edited copy is valid (edited-")
    assert seen["brokenPolicyStatus"].startswith("edited copy, line 3: not valid YAML")
    assert marks(seen["backToLoaded"]) == marks(loaded)

    # The corpus table: both policies, and the one post the edit changed.
    ev = seen["eval"]
    assert ev["status"] == "corpus.jsonl: 3 posts evaluated."
    assert ev["header"][:4] == ["category", "precision loaded", "recall loaded", "F2 loaded"]
    overall = next(row for row in ev["rows"] if row[0] == "overall")
    assert overall[1:7] == ["1.000", "1.000", "1.000", "2", "0", "0"]
    assert overall[7:13] == ["1.000", "0.500", "0.556", "1", "0", "1"]
    assert ev["changed"] == [
        "p2 worse — loaded: found project “CHG-123456”; edited: missed project “CHG-123456”"
    ]

    # The one-time link from `discreet lab` becomes a session kept in the tab, wiped from the address bar.
    assert seen["fragment"] == {"urlAfter": f"http://127.0.0.1:{service.port}/lab", "stored": True}

    # Nothing left the machine, the token never went into a URL, the page raised no script errors.
    assert seen["foreignRequests"] == []
    assert seen["requestsWithToken"] == []
    assert not [e for e in seen["consoleErrors"] if "status of" not in e], seen["consoleErrors"]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # The service logged requests, never the text.
    log = service.output() + service.stderr()
    assert "POST /v1/explain 200" in log
    assert "Snowdon" not in log and "Crowther" not in log
