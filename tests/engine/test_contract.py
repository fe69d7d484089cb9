"""The engine's shape: one recognizer contract, one context step, Decisions as the only product, categories
from the policy, and commands that start without the engine."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from discreet.engine.decision import Status
from discreet.engine.policy import PolicyError, load_policy
from discreet.engine.scanner import Scanner
from discreet.recognizers.context import Window, near

# A desk number is an organisation's unless a word the policy names says it is someone's own.
PHONE_POST = "The support desk handed Tom a burner: (415) 555-0132 after six."


def write_policy(folder, body: str):
    (folder / "policy.yaml").write_text(textwrap.dedent(body), encoding="utf-8")
    return folder / "policy.yaml"


def test_context_step_stops_at_the_sentence_and_counts_words(tmp_path):
    text = "Our client list grew. Acme went live today."
    start = text.index("Acme")
    end = start + len("Acme")
    assert near(text, start, end, {"client"}) is None  # the word is in the sentence before
    assert near(text, start, end, {"client"}, Window(same_sentence=False)) == "client"
    assert near(text, start, end, {"today"}, Window(before=8, after=3)) == "today"
    assert near(text, start, end, {"today"}, Window(before=8, after=2)) is None
    assert near("two clients: Acme", 13, 17, {"client"}) == "clients"  # a plural matches its singular


def test_a_policy_replaces_a_builtin_familys_context_words(tmp_path):
    default = Scanner(load_policy(write_policy(tmp_path, "builtin_recognizers: [personal]\n")))
    assert [d.text for d in default.scan(PHONE_POST)] == []
    (tmp_path / "own").mkdir()
    own = write_policy(tmp_path / "own", "builtin_recognizers:\n  - {name: personal, context: [burner]}\n")
    assert [d.text for d in Scanner(load_policy(own)).scan(PHONE_POST)] == ["(415) 555-0132"]


def test_a_bad_builtin_entry_names_file_and_line(tmp_path):
    path = write_policy(tmp_path, "builtin_recognizers:\n  - secret\n  - {name: personal, context: 7}\n")
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert str(err.value) == f"{path}:3: built-in recognizer 'personal': 'context' must be a list of words"


def test_validator_reasons_reach_the_decisions(demo_scanner):
    decisions = demo_scanner.decide("Card 4111 1111 1111 1112, mail careers@gmail.com, mobile 07700 900123.")
    by_text = {d.text: d for d in decisions}
    assert by_text["4111 1111 1111 1112"].status is Status.SET_ASIDE
    assert "Luhn" in by_text["4111 1111 1111 1112"].reason
    assert by_text["careers@gmail.com"].status is Status.SET_ASIDE
    assert by_text["careers@gmail.com"].reason == "a role mailbox ('careers@')"
    assert by_text["07700 900123"].status is Status.FOUND
    assert [d.text for d in demo_scanner.scan("mobile 07700 900123.")] == ["07700 900123"]


def test_categories_come_from_the_policy_with_builtin_defaults(tmp_path):
    policy = load_policy(
        write_policy(
            tmp_path,
            """
            categories:
              - {name: deal, label: a deal in progress, severity: block, replacement: a deal}
              - {name: project, replacement: "[code name]"}
            recognizers:
              - {name: Deals, supported_entity: DEAL, category: deal, deny_list: [Project Lighthouse]}
            """,
        )
    )
    deal, project, client = (policy.category(n) for n in ("deal", "project", "client"))
    assert (deal.label, deal.severity, deal.replacement) == ("a deal in progress", "block", "a deal")
    assert (project.label, project.replacement) == ("an internal project", "[code name]")
    assert client.replacement == "a client"
    (finding,) = Scanner(policy).scan("Signing Project Lighthouse next week")
    assert (finding.category, finding.label, finding.severity) == ("deal", "a deal in progress", "block")


def test_an_unknown_category_key_is_refused_with_its_line(tmp_path):
    path = write_policy(tmp_path, "categories:\n  - name: deal\n    colour: red\n")
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert str(err.value) == f"{path}:3: category 'deal': unknown key 'colour'"


PROBE = """
import builtins, json, sys
from discreet.service import egress_guard
early = []
real_import = builtins.__import__
def watch(name, *args, **kwargs):
    top = name.split(".")[0]
    if top not in sys.modules and top not in sys.stdlib_module_names and top != "discreet":
        if not egress_guard._installed:
            early.append(top)
    return real_import(name, *args, **kwargs)
builtins.__import__ = watch
from discreet.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted(m for m in ("spacy", "presidio_analyzer", "flask", "thinc") if m in sys.modules)
print(json.dumps({"early": early, "heavy": heavy}), file=sys.stderr)
"""


def probe(*argv: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    return json.loads(proc.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("command", [["status"], ["pair"], ["native-host"]])
def test_commands_people_and_browsers_run_often_load_no_engine(command, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    result = probe(*command)
    assert result == {"early": [], "heavy": []}


def test_the_egress_guard_is_in_before_any_third_party_import():
    result = probe("scan", "Nothing to see here")
    assert result["early"] == []
    assert "presidio_analyzer" in result["heavy"]  # the scan did load the engine, after the guard
