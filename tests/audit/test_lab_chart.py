"""The lab's "What fires" chart in real Chromium against a real `discreet serve`: it shows the counts the
service was sent, the most overridden rule first. Set DISCREET_AUDIT_SCREENSHOT=docs/audit-chart.png to
refresh the screenshot in the docs."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from service_harness import DEMO_PACK, DISCREET, ServiceProcess, scan_headers

HERE = Path(__file__).resolve().parent
ROSTER = {"category": "client", "recognizer": "Northgate client roster", "severity": "warn"}
CODES = {"category": "project", "recognizer": "Northgate project codes", "severity": "warn"}
SECRETS = {"category": "secret", "recognizer": "Credentials", "severity": "block"}


def batch() -> list[dict]:
    """A week's worth of one team: roster names mostly overridden, codes mostly replaced."""
    events = [{"type": "finding_shown", "site": "linkedin", **ROSTER}] * 12
    events += [{"type": "posted_anyway", "site": "linkedin", **ROSTER}] * 6
    events += [{"type": "ignored", "site": "x", **ROSTER}] * 3
    events += [{"type": "finding_shown", "site": "x", **CODES}] * 8
    events += [{"type": "replaced", "site": "x", **CODES}] * 6
    events += [{"type": "posted_anyway", "site": "x", **CODES}] * 1
    events += [{"type": "finding_shown", "site": "linkedin", **SECRETS}] * 3
    events += [{"type": "replaced", "site": "linkedin", **SECRETS}] * 3
    events += [{"type": "post_blocked", "site": "linkedin", "severity": "block"}] * 2
    events += [{"type": "post_unchecked", "site": "other"}] * 2
    return events


def test_the_lab_chart_shows_what_fires_most_overridden_first(tmp_path):
    service = ServiceProcess(
        tmp_path / "svc", ["--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0"]
    ).start()
    screenshot = Path(os.environ.get("DISCREET_AUDIT_SCREENSHOT") or tmp_path / "chart.png").resolve()
    try:
        http = service.http()
        body = json.dumps({"events": batch()}).encode()
        assert http.send("POST", "/v1/events", scan_headers(http.token), body).status == 202
        lab = subprocess.run(
            [str(DISCREET), "lab", "--no-browser", "--port", str(service.port)],
            capture_output=True, text=True, env=service.env, timeout=60, check=True,
        )  # fmt: skip
        driven = subprocess.run(
            ["node", str(HERE / "drive_chart.mjs"), lab.stdout.split()[-1], str(screenshot)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        # `discreet report` with no event file asks the service for the same counters.
        config = tmp_path / "report.toml"
        config.write_text(
            f'port = {service.port}\ntoken_file = "{service.token_file}"\n'
            f'admin_token_file = "{service.admin_token_file}"\n',
            encoding="utf-8",
        )
        report = subprocess.run(
            [str(DISCREET), "report", "--json", "--config", str(config)],
            capture_output=True,
            text=True,
            timeout=60,
            env=service.env,
        )
    finally:
        service.stop()
    assert driven.returncode == 0, driven.stderr
    shown = json.loads(driven.stdout)
    assert shown["errors"] == []
    rows = [
        (r["recognizer"], r["severity"], r["shown"], r["overrides"], r["replaced"])
        for r in shown["recognizers"]
    ]
    assert rows == [
        ("Northgate client roster", "warn", 12, 9, 0),
        ("Northgate project codes", "warn", 8, 1, 6),
        ("Credentials", "block", 3, 0, 3),
    ]
    assert "75% overridden (9 of 12)" in shown["recognizers"][0]["text"]
    roster_bar, overridden_bar = shown["recognizers"][0]["barWidths"][:2]
    assert overridden_bar == roster_bar * 9 / 12
    assert (
        "23 findings shown, 10 overridden, 9 replaced, 2 posts blocked, 2 posted unchecked"
        in shown["summary"]
    )
    assert len(shown["days"]) == 7
    assert screenshot.stat().st_size > 10_000
    assert report.returncode == 0, report.stderr
    from_cli = json.loads(report.stdout)
    assert from_cli["source"].startswith("the running service")
    assert [(r["recognizer"], r["finding_shown"], r["overrides"]) for r in from_cli["recognizers"]] == [
        (name, shown_, overrides) for name, _, shown_, overrides, _ in rows
    ]
