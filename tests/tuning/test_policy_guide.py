"""The policy guide's example policy loads, finds what the guide says, and its explain output is real."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from discreet.engine.policy import load_policy
from discreet.engine.scanner import Scanner

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "policy-guide.md"
# "`policy.yaml`:" (or "`clients.txt` — ...") followed by a fenced block: the example's files.
_FILE_BLOCK = re.compile(r"^`([\w.]+)`[^\n]*\n\n```(?:yaml|text)\n(.*?)```", re.S | re.M)


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("guide")
    for name, body in _FILE_BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        (folder / name).write_text(body, encoding="utf-8")
    return folder / "policy.yaml"


@pytest.fixture(scope="module")
def scanner(example) -> Scanner:
    return Scanner(load_policy(example))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Welcome ODG as our newest client", [("ODG", "client", "warn")]),
        ("BL-DNT-042 went live", [("BL-DNT-042", "project", "warn")]),
        ("closing ticket INC-204518 today", [("INC-204518", "project", "warn")]),
        ("INC-204518", []),
        ("Record WR-0012345 updated", [("WR-0012345", "patient", "block")]),
        ("employee E123456 left", [("E123456", "personal", "info")]),
        ("Our Project Tidewater plans", [("Project Tidewater", "deal", "block")]),
        ("Brightline IT is hiring", []),
        (
            "Edith Crowther in room 14 had a fall.",
            [("Edith Crowther", "patient", "block"), ("room 14", "patient", "block")],
        ),
        ("Edith Crowther loved the singing today.", []),
    ],
)
def test_example_policy_finds_what_the_guide_says(scanner, text, expected):
    assert [(f.text, f.category, f.severity) for f in scanner.scan(text)] == expected


def test_example_policy_passes_policy_check_without_pattern_warnings(cli, example):
    run = cli("policy", "check", example)
    assert run.status == 0
    assert "0 error(s)" in run.out
    assert "pattern '" not in run.out


def test_explain_example_in_the_guide_is_the_real_output(cli, example):
    guide = GUIDE.read_text(encoding="utf-8")
    block = re.search(r"```\n\$ (discreet explain [^\n]+)\n(.*?)```", guide, re.S)
    command, shown = block.group(1), block.group(2)
    args = shlex.split(command)[1:]
    args[args.index("--policy") + 1] = str(example)
    assert cli(*args).out == shown
