"""`discreet eval --compare`: two policies on one labelled corpus, and the posts a change fixed or broke."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from discreet.tuning.evaluation import load_corpus


@pytest.fixture
def without_tickets(corpus_dir, tmp_path) -> Path:
    """The corpus policy minus its 'internal ticket' pattern (INC-000000): a change that loses findings."""
    for name in ("clients.txt", "codenames.txt"):
        shutil.copy(corpus_dir / name, tmp_path / name)
    lines = (corpus_dir / "policy.yaml").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "name: internal ticket" in line)
    (tmp_path / "policy.yaml").write_text(
        "\n".join(lines[:start] + lines[start + 3 :]) + "\n", encoding="utf-8"
    )
    return tmp_path / "policy.yaml"


def ticket_posts(corpus_dir) -> set[str]:
    """Posts whose labelled spans include an INC- ticket: what dropping the pattern must change."""
    posts = load_corpus(corpus_dir / "corpus.jsonl")
    return {p.id for p in posts if any(s["text"].startswith("INC-") for s in p.spans)}


def compare(cli, corpus_dir: Path, other: Path, *options: str):
    """`discreet eval` of the corpus policy against `other` on the shared corpus."""
    policy, corpus = corpus_dir / "policy.yaml", corpus_dir / "corpus.jsonl"
    return cli("eval", "--policy", policy, "--compare", other, "--corpus", corpus, *options)


def test_compare_json_lists_exactly_the_posts_that_lost_a_finding(cli, corpus_dir, without_tickets):
    run = compare(cli, corpus_dir, without_tickets, "--json")
    assert run.status == 0
    answer = json.loads(run.out)
    expected = ticket_posts(corpus_dir)
    assert expected
    assert {c["id"] for c in answer["changed"]} == expected
    for change in answer["changed"]:
        assert change["verdict"] == "worse"
        assert [kind for kind, category, _ in change["gone"]] == ["tp"] * len(change["gone"])
        assert {tuple(o[1:]) for o in change["gone"]} == {("project", t) for _, _, t in change["new"]}
    first, second = answer["reports"]
    project_a, project_b = first["categories"]["project"], second["categories"]["project"]
    assert project_b["fn"] - project_a["fn"] == sum(len(c["new"]) for c in answer["changed"])
    assert first["categories"]["client"] == second["categories"]["client"]


def test_compare_table_shows_both_policies_side_by_side(cli, corpus_dir, without_tickets):
    run = compare(cli, corpus_dir, without_tickets)
    lines = run.out.splitlines()
    assert lines[0] == f"A = {corpus_dir / 'policy.yaml'}" and lines[1] == f"B = {without_tickets}"
    assert lines[3].split() == [
        "category",
        "prec",
        "A",
        "prec",
        "B",
        "recall",
        "A",
        "recall",
        "B",
        "F2",
        "A",
        "F2",
        "B",
    ]
    project = next(line.split() for line in lines if line.startswith("project "))
    recall_a, recall_b = float(project[3]), float(project[4])
    assert recall_b < recall_a
    changed = len(ticket_posts(corpus_dir))
    assert f"posts whose outcome changed with B: {changed} ({changed} worse)" in run.out
    assert any(line.strip().startswith("B: missed      project  'INC-") for line in lines)


def test_a_policy_compared_with_itself_changes_nothing(cli, demo_pack, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps(
            {
                "id": "a",
                "text": "Riverside CH signed.",
                "spans": [{"start": 0, "end": 12, "category": "client"}],
            }
        )
        + "\n"
        + json.dumps({"id": "b", "text": "A quiet day.", "spans": []})
        + "\n",
        encoding="utf-8",
    )
    run = cli("eval", "--policy", demo_pack, "--compare", demo_pack, "--corpus", corpus)
    assert "posts whose outcome changed with B: 0" in run.out
    overall = next(line.split() for line in run.out.splitlines() if line.startswith("overall"))
    assert overall[1:] == ["1.000"] * 6


def test_a_broken_corpus_line_is_reported_with_its_line(cli, demo_pack, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        '{"id": "a", "text": "ok", "spans": []}\n{"id": "b", "text": "x", "spans": [{"start": 0}]}\n'
    )
    run = cli("eval", "--policy", demo_pack, "--compare", demo_pack, "--corpus", corpus)
    assert run.status == 2
    assert run.err.startswith(f"discreet: {corpus}:2: not a corpus line")
