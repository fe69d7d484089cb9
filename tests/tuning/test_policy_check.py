"""`discreet policy check`: errors with file and line and a failing exit status; warnings a team can act on."""

from __future__ import annotations

import json

from discreet.tuning.evaluation import load_corpus
from discreet.tuning.policy_check import BENIGN_SHARE_LIMIT, benign_sample

CODES = """
    recognizers:
      - name: Tickets
        supported_entity: PROJECT_CODE
        category: project
        patterns:
          - name: ticket
            regex: "{regex}"
            score: 0.8
"""

CLIENT_ROSTER = """\
recognizers:
  - name: Clients
    supported_entity: CLIENT
    category: client
    deny_list_file: clients.txt
"""


def lines_with(run, needle: str) -> list[str]:
    return [line for line in run.out.splitlines() if needle in line]


def test_demo_policy_loads_with_warnings_only_for_ordinary_words(cli, demo_pack):
    run = cli("policy", "check", demo_pack)
    assert run.status == 0
    assert run.out.splitlines()[-1] == f"{demo_pack}: loads; 0 error(s), 9 warning(s)"
    warnings = lines_with(run, ": warning: ")
    assert all("can be read as ordinary English" in w for w in warnings)
    assert any(w.startswith(f"{demo_pack.parent / 'clients.txt'}:17: warning: 'Summit'") for w in warnings)


def test_yaml_syntax_error_names_file_and_line_and_fails(cli, write_policy):
    policy = write_policy(
        """
        recognizers:
          - name: Clients
            supported_entity: CLIENT: oops
            deny_list: [Zorblax]
        """
    )
    run = cli("policy", "check", policy)
    assert run.status == 1
    [error] = lines_with(run, ": error: ")
    assert error.startswith(f"{policy}:3: error: not valid YAML: mapping values are not allowed here")
    assert run.out.splitlines()[-1].endswith("does not load; 1 error(s), 0 warning(s)")


def test_missing_roster_file_is_an_error_on_the_line_that_names_it(cli, write_policy):
    policy = write_policy(CLIENT_ROSTER)
    run = cli("policy", "check", policy)
    assert run.status == 1
    assert f"{policy}:5: error: file not found: {policy.parent / 'clients.txt'}" in run.out


def test_catastrophic_regex_is_warned_about_and_fails_strict(cli, write_policy):
    policy = write_policy(CODES.replace("{regex}", "(a+)+$"))
    run = cli("policy", "check", policy)
    assert run.status == 0
    [warning] = lines_with(run, "backtrack")
    assert warning.startswith(
        f"{policy}:6: warning: pattern 'ticket' of 'Tickets' can backtrack catastrophically"
    )
    assert cli("policy", "check", "--strict", policy).status == 1


def test_safe_regexes_pass_the_backtracking_check(cli, corpus_dir):
    run = cli("policy", "check", corpus_dir / "policy.yaml")
    assert run.status == 0
    assert not lines_with(run, "backtrack")
    assert not lines_with(run, "lines of ordinary English")


def test_pattern_matching_much_ordinary_prose_is_warned_about(cli, write_policy):
    policy = write_policy(CODES.replace("{regex}", "\\\\b[a-z]{4,}\\\\b"))
    [warning] = lines_with(cli("policy", "check", policy), "lines of ordinary English")
    sample = benign_sample()
    assert f"matches {len(sample)} of {len(sample)} lines" in warning


def test_benign_sample_is_general_prose_not_the_corpus(corpus_dir):
    sample = benign_sample()
    assert len(sample) >= 150
    posts = "\n".join(p.text for p in load_corpus(corpus_dir / "corpus.jsonl"))
    assert not [line for line in sample if line in posts]
    assert 0 < BENIGN_SHARE_LIMIT < 0.1


def test_duplicate_and_conflicting_roster_entries(cli, write_policy):
    code_names = "  - name: Code names\n    supported_entity: PROJECT_CODENAME\n    category: project\n    deny_list: [Quuxco]\n"
    policy = write_policy(
        CLIENT_ROSTER + code_names,
        {
            "clients.txt": """
                Zorblax Holdings|ZBX
                Quuxco Partners|Quuxco
                zorblax   holdings
                Vantaxi Group|ZBX
            """
        },
    )
    roster = policy.parent / "clients.txt"
    run = cli("policy", "check", policy)
    assert run.status == 0
    assert (
        f"{roster}:3: warning: duplicate: 'zorblax holdings' is already listed for 'Zorblax Holdings' (clients.txt:1)"
        in run.out
    )
    assert (
        f"{roster}:4: warning: conflict: 'ZBX' names both 'Zorblax Holdings' (clients.txt:1) and 'Vantaxi Group'"
        in run.out
    )
    assert (
        f"{policy}:9: warning: conflict: 'Quuxco' is in 'Clients' (client, clients.txt:2) and in 'Code names'"
        in run.out
    )


def test_roster_entries_that_are_common_words(cli, write_policy):
    policy = write_policy(
        CLIENT_ROSTER + "allow_list: [Zorblax Holdings]\n",
        {"clients.txt": "Summit Freight|Summit\nZorblax Holdings\nHarbour\n"},
    )
    run = cli("policy", "check", policy)
    roster = policy.parent / "clients.txt"
    ordinary = lines_with(run, "can be read as ordinary English")
    assert [w.split(": warning: ")[0] for w in ordinary] == [f"{roster}:1", f"{roster}:3"]
    assert "'Summit Freight', 'Summit' can be read" in ordinary[0]
    assert f"{roster}:2: warning: 'Zorblax Holdings' is on the allow list, so it is never flagged" in run.out


def test_json_output_for_ci(cli, write_policy):
    policy = write_policy(CODES.replace("{regex}", "(a+)+$"))
    answer = json.loads(cli("policy", "check", "--json", policy).out)
    assert answer["errors"] == 0 and answer["warnings"] == 1
    assert answer["issues"][0] | {"message": ""} == {
        "level": "warning",
        "file": str(policy),
        "line": 6,
        "message": "",
    }
