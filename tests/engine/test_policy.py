"""The policy loader: Presidio's YAML loads as it is, Discreet's keys work, and every mistake is located."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from discreet.cli.policy_arg import DEMO_POLICY
from discreet.engine.policy import PolicyError, load_policy
from discreet.engine.scanner import Scanner


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_demo_policy_loads_with_its_rosters():
    policy = load_policy(DEMO_POLICY)
    assert [p.name for p in policy.files] == ["policy.yaml", "clients.txt", "codenames.txt"]
    assert policy.fingerprint == load_policy(DEMO_POLICY).fingerprint


def test_fingerprint_changes_when_a_named_file_changes(tmp_path):
    write(tmp_path, "Acme Dental\n", "clients.txt")
    policy = write(
        tmp_path,
        "recognizers:\n  - {name: r, supported_entity: C, category: client, deny_list_file: clients.txt}\n",
    )
    before = load_policy(policy).fingerprint
    write(tmp_path, "Acme Dental\nZenith Care\n", "clients.txt")
    assert load_policy(policy).fingerprint != before


def test_plain_presidio_recognizer_file_loads_unchanged(tmp_path):
    path = write(
        tmp_path,
        """\
        recognizers:
          - name: "Zip code Recognizer"
            supported_language: "en"
            patterns:
              - name: "zip code (weak)"
                regex: "(\\\\b\\\\d{5}(?:\\\\-\\\\d{4})?\\\\b)"
                score: 0.01
            context:
              - zip
            supported_entity: "ZIP"
          - name: "Titles recognizer"
            supported_language: "en"
            supported_entity: "TITLE"
            deny_list:
              - Sir Reginald
        """,
    )
    scanner = Scanner(load_policy(path))
    found = [(f.text, f.entity_type) for f in scanner.scan("Post to zip 90210 for Sir Reginald.")]
    assert found == [("90210", "ZIP"), ("Sir Reginald", "TITLE")]
    assert [f.text for f in scanner.scan("Call 90210 now.")] == []  # weak pattern, no context


def test_policy_declared_category_and_allow_list(tmp_path):
    path = write(
        tmp_path,
        """\
        categories:
          - {name: financial, label: unreleased financial figures, severity: block}
        recognizers:
          - name: Revenue figures
            supported_entity: REVENUE
            category: financial
            patterns:
              - {name: revenue, regex: "\\\\brevenue of £\\\\d+(?:\\\\.\\\\d+)?m\\\\b", score: 0.8}
          - name: Clients
            supported_entity: CLIENT
            category: client
            deny_list: [Zenith Care, Acme Dental]
        allow_list: [acme dental]
        """,
    )
    found = Scanner(load_policy(path)).scan("Q3 revenue of £4.2m thanks to Zenith Care and Acme Dental.")
    assert [(f.text, f.category, f.severity, f.label) for f in found] == [
        ("revenue of £4.2m", "financial", "block", "unreleased financial figures"),
        ("Zenith Care", "client", "warn", "a confidential client"),
    ]


@pytest.mark.parametrize(
    ("policy", "where", "message"),
    [
        ("recognizers:\n  - name: a\n    supported_entity: X\n   bad: [\n", 4, "not valid YAML"),
        (
            "recognizers:\n  - name: a\n    supported_entity: X\n    deny_list_file: nope.txt\n",
            4,
            "file not found",
        ),
        (
            "recognizers:\n  - name: a\n    supported_entity: X\n    patterns:\n      - {name: p, regex: '(ab', score: 0.5}\n",
            5,
            "invalid regex",
        ),
        (
            "recognizers:\n  - name: a\n    supported_entity: X\n    patterns:\n      - name: p\n        regex: 'ab'\n"
            "        score: 7\n",
            7,
            "score must be between 0 and 1",
        ),
        (
            "recognizers:\n  - name: a\n    supported_entity: X\n    category: finance\n    deny_list: [b]\n",
            4,
            "unknown category",
        ),
        (
            "recognizers:\n  - name: a\n    supported_entity: X\n    severity: loud\n    deny_list: [b]\n",
            4,
            "severity must be",
        ),
        (
            "recognizers:\n  - name: a\n    supported_entity: X\n    deny_lst: [b]\n",
            4,
            "unknown key 'deny_lst'",
        ),
        ("allow_list: [a]\nrecognisers: []\n", 2, "unknown top-level key"),
    ],
)
def test_bad_policy_names_file_line_and_problem(tmp_path, policy, where, message):
    path = write(tmp_path, policy)
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert err.value.file == path.resolve()
    assert err.value.line == where
    assert message in err.value.message


def test_bad_roster_line_is_located_in_the_roster_file(tmp_path):
    write(tmp_path, "# clients\nAcme Dental|Acme\n\nZenith Care||ZC\n", "clients.txt")
    path = write(
        tmp_path,
        "recognizers:\n  - {name: r, supported_entity: C, category: client, deny_list_file: clients.txt}\n",
    )
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert str(err.value) == f"{tmp_path.resolve() / 'clients.txt'}:4: empty name between '|' separators"


def test_non_utf8_roster_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "clients.txt").write_bytes(b"Acme\nZ\xe9nith Care\n")
    path = write(
        tmp_path,
        "recognizers:\n  - {name: r, supported_entity: C, category: client, deny_list_file: clients.txt}\n",
    )
    with pytest.raises(PolicyError, match=r"clients.txt:2: not valid UTF-8"):
        load_policy(path)


def test_cli_reports_a_bad_policy_without_a_traceback(tmp_path):
    path = write(
        tmp_path, "recognizers:\n  - name: a\n    supported_entity: X\n    deny_list_file: missing.txt\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "discreet.cli", "scan", "--policy", str(path), "hello"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert f"{path.resolve()}:4: file not found" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_roster_of_20000_names_loads_and_every_name_is_found(tmp_path):
    names = [f"Clinic{i:05d} Holdings|CH{i:05d}" for i in range(20000)]
    write(tmp_path, "\n".join(names) + "\n", "clients.txt")
    path = write(
        tmp_path,
        "recognizers:\n  - {name: r, supported_entity: C, category: client, deny_list_file: clients.txt}\n",
    )
    started = time.perf_counter()
    scanner = Scanner(load_policy(path))
    build_seconds = time.perf_counter() - started
    found = scanner.scan("Signed clinic19999 holdings and CH00042 this week.")
    assert [(f.text, f.explanation.endswith("(alias of Clinic00042 Holdings)")) for f in found] == [
        ("clinic19999 holdings", False),
        ("CH00042", True),
    ]
    print(f"20,000-name roster built in {build_seconds:.2f} s")  # the bar itself is in bench/bench_engine.py
