"""The `discreet` command line as tools and people use it, and the quality bar on the shared corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DISCREET = Path(sys.executable).with_name("discreet")


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DISCREET), *args], input=stdin, capture_output=True, text=True, check=False, timeout=300
    )


def test_scan_jsonl_answers_each_line_in_order():
    lines = [
        {"id": "a", "text": "Welcome Riverside CH 🎉"},
        {"id": 2, "text": "Nothing to see here."},
        {"id": "c", "text": "🎉 NG-EHR-042 shipped"},
    ]
    proc = run("scan", "--jsonl", stdin="\n".join(json.dumps(x) for x in lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a["id"] for a in answers] == ["a", 2, "c"]
    assert [[f["text"] for f in a["findings"]] for a in answers] == [["Riverside CH"], [], ["NG-EHR-042"]]
    assert (answers[2]["findings"][0]["start"], answers[2]["findings"][0]["end"]) == (3, 13)


def test_scan_jsonl_reports_a_bad_line_and_goes_on():
    proc = run(
        "scan",
        "--jsonl",
        stdin='{"id": 1, "text": "hi"}\nnot json\n{"id": 3, "text": 5}\n{"id": 4, "text": "ok"}\n',
    )
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a.get("id") for a in answers] == [1, None, 3, 4]
    assert answers[1]["error"].startswith("line 2:") and answers[2]["error"].startswith("line 3:")
    assert proc.returncode == 1


def test_scan_report_for_a_person():
    proc = run("scan", "The password is Tr0ub4dor&3 for Riverside CH")
    assert proc.returncode == 1  # a block-severity finding
    assert "The password is [[Tr0ub4dor&3]] for [[Riverside CH]]" in proc.stdout
    assert "BLOCK  secret" in proc.stdout and "WARN   client" in proc.stdout


def test_eval_meets_the_quality_bar_on_the_shared_corpus(tmp_path):
    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus"
    proc = run(
        "eval", "--policy", str(corpus / "policy.yaml"), "--corpus", str(corpus / "corpus.jsonl"), "--json"
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["overall"]["f2"] >= 0.90
    assert report["clean_alarm_rate"] <= 0.05
    for name, tally in report["categories"].items():
        assert tally["recall"] >= 0.85, name


def test_no_network_is_touched_by_presidio_tldextract(tmp_path):
    """tldextract must use its bundled suffix list: run Presidio's e-mail check with sockets forbidden."""
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise SystemExit('network access attempted')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
        "import discreet\n"
        "from presidio_analyzer.predefined_recognizers import EmailRecognizer\n"
        "print(len(EmailRecognizer().analyze('write to jo@example.co.uk', ['EMAIL_ADDRESS'])))\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "1"


def test_scan_redact_replaces_each_finding_with_a_neutral_phrase():
    proc = run("scan", "--redact", "Welcome Riverside CH 🎉 key AKIAQH3AV90RIC7PHKQD, project NG-EHR-042.")
    assert proc.stdout.strip() == "Welcome a client 🎉 key [redacted], project an internal project."
