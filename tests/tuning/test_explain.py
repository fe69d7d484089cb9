"""`discreet explain`: what fired and why for each finding, and why each near miss was not flagged."""

from __future__ import annotations

import io
import json
import textwrap

import pytest

from discreet.cli.policy_arg import DEMO_POLICY
from discreet.engine.decision import Status
from discreet.engine.explain import explain
from discreet.engine.policy import load_policy
from discreet.engine.scanner import MIN_SCORE, Scanner
from discreet.tuning.evaluation import load_corpus

# A policy whose every kind of near miss is easy to provoke.
TUNING_POLICY = """
    recognizers:
      - name: Acme client roster
        supported_entity: CLIENT
        category: client
        deny_list_file: clients.txt
      - name: Acme tickets
        supported_entity: PROJECT_CODE
        category: project
        context: [ticket, change]
        patterns:
          - name: weak ticket
            regex: "\\\\bXY-[0-9]{4}\\\\b"
            score: 0.3
          - name: account code
            regex: "\\\\bZORBLAX-[0-9]{4}\\\\b"
            score: 0.9
    allow_list: [Acme Widgets]
"""


def roster_line(name: str) -> int:
    lines = (DEMO_POLICY.parent / "clients.txt").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.split("|")[0] == name)


@pytest.fixture(scope="module")
def tuning_scanner(tmp_path_factory) -> Scanner:
    folder = tmp_path_factory.mktemp("tuning")
    (folder / "clients.txt").write_text("Zorblax Holdings|Zorblax\nAcme Widgets|Acme\n", encoding="utf-8")
    (folder / "policy.yaml").write_text(textwrap.dedent(TUNING_POLICY), encoding="utf-8")
    return Scanner(load_policy(folder / "policy.yaml"))


def only(decisions, text):
    matching = [d for d in decisions if d.text == text]
    assert len(matching) == 1, f"expected one decision for {text!r}, got {decisions}"
    return matching[0]


def test_roster_finding_names_the_entry_and_the_context_word_that_raised_it(demo_scanner):
    result = explain(demo_scanner, "Welcome Summit as our newest client!")
    d = only(result.findings, "Summit")
    assert d.status == Status.FOUND and d.category == "client"
    assert d.recognizer == "Northgate client roster"
    assert (
        d.source == f"roster entry 'Summit Physio' as 'Summit' (clients.txt:{roster_line('Summit Physio')})"
    )
    assert d.context_word == "welcome"
    assert d.score_before_context == 0.6 and d.score == 0.9


def test_pattern_score_before_and_after_context(tuning_scanner):
    with_context = only(explain(tuning_scanner, "The change ticket XY-1234 is closed.").findings, "XY-1234")
    assert with_context.source.startswith("pattern 'weak ticket' /\\bXY-[0-9]{4}\\b/ (policy.yaml:")
    assert with_context.score_before_context == 0.3
    assert with_context.score == pytest.approx(0.65)
    assert with_context.context_word in ("change", "ticket")


def test_candidate_below_the_threshold_is_a_near_miss_with_its_score(tuning_scanner):
    result = explain(tuning_scanner, "XY-1234 is closed.")
    assert result.findings == ()
    d = only(result.near_misses, "XY-1234")
    assert d.status == Status.BELOW_THRESHOLD
    assert d.score == 0.3 and d.context_word is None
    assert d.reason == f"score 0.30 is below the threshold {MIN_SCORE:.2f}"


def test_allow_listed_roster_name_is_a_near_miss(tuning_scanner):
    result = explain(tuning_scanner, "Thanks to everyone at Acme Widgets and Zorblax Holdings.")
    assert [d.text for d in result.findings] == ["Zorblax Holdings"]
    d = only(result.near_misses, "Acme Widgets")
    assert (d.status, d.reason) == (Status.ALLOW_LISTED, "on the policy's allow list")


def test_overlap_lost_in_the_merge_names_the_winner(tuning_scanner):
    result = explain(tuning_scanner, "Invoice ZORBLAX-2041 went out today.")
    assert [d.text for d in result.findings] == ["ZORBLAX-2041"]
    d = only(result.near_misses, "ZORBLAX")
    assert d.status == Status.MERGED and d.recognizer == "Acme client roster"
    assert "overlaps 'ZORBLAX-2041' found by Acme tickets" in d.reason


@pytest.mark.parametrize(
    ("text", "word", "reason"),
    [
        ("We reached the summit before noon.", "summit", "an ordinary word, and written in lower case here"),
        ("Our team spoke at AWS Summit last week.", "Summit", "part of a longer name ('AWS Summit')"),
        ("Beacon lit up the hill at dusk.", "Beacon", "with no context word near"),
    ],
)
def test_roster_word_read_as_ordinary_english_is_set_aside_with_why(demo_scanner, text, word, reason):
    result = explain(demo_scanner, text)
    assert result.findings == ()
    d = only(result.near_misses, word)
    assert d.status == Status.SET_ASIDE and d.category == "client"
    assert reason in d.reason
    assert d.source.startswith("roster entry ")


def test_names_without_health_context_or_of_clinicians_are_near_misses(demo_scanner):
    text = (
        "John Smith likes tea.\n\n"
        "Mrs Edith Crowther in room 14 had a fall; Dr Amelia Hart reviewed her. Thanks to Jane Doe for the help."
    )
    result = explain(demo_scanner, text)
    assert [(d.text, d.category) for d in result.findings] == [
        ("Edith Crowther", "patient"),
        ("room 14", "patient"),
    ]
    assert "no health or care word" in only(result.near_misses, "John Smith").reason
    assert only(result.near_misses, "Amelia Hart").reason == "a clinician: the title 'dr' comes before it"
    assert "'thanks' comes before it" in only(result.near_misses, "Jane Doe").reason


def test_offsets_are_utf16_like_the_scan_answer(demo_scanner):
    text = "🎉🎉 Welcome Summit as our newest client!"
    d = only(explain(demo_scanner, text).findings, "Summit")
    units = text.encode("utf-16-le")
    assert units[d.start * 2 : d.end * 2].decode("utf-16-le") == "Summit"
    assert (d.start, d.end) == next((f.start, f.end) for f in demo_scanner.scan(text))


def test_explain_finds_exactly_what_scan_finds_on_the_corpus(corpus_dir):
    scanner = Scanner(load_policy(corpus_dir / "policy.yaml"))
    for post in load_corpus(corpus_dir / "corpus.jsonl")[:80]:
        scanned = [(f.start, f.end, f.category, f.score) for f in scanner.scan(post.text)]
        explained = [(d.start, d.end, d.category, d.score) for d in explain(scanner, post.text).findings]
        assert explained == scanned, post.id


def test_cli_prints_a_report_for_people(cli):
    run = cli(
        "explain", "--policy", DEMO_POLICY, "Welcome Summit as our newest client! We met at the summit."
    )
    assert run.status == 0
    assert "Findings: 1" in run.out
    assert "0.60 -> 0.90, raised by the context word 'welcome'" in run.out
    assert "Near misses: 1" in run.out
    assert "why not     an ordinary word, and written in lower case here" in run.out


def test_cli_json_reads_text_from_stdin(cli, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Ticket CHG-123456 for Riverside CH."))
    run = cli("explain", "--policy", DEMO_POLICY, "--json")
    answer = json.loads(run.out)
    assert [d["text"] for d in answer["findings"]] == ["CHG-123456", "Riverside CH"]
    assert answer["findings"][1]["source"].startswith(
        "roster entry 'Riverside Community Hospital' as 'Riverside CH'"
    )
