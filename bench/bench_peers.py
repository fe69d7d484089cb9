"""Discreet against the tools a security team would pick instead, on the same labelled posts, in one run.

    .venv/bin/python bench/bench_peers.py --detect-secrets /path/to/venv/bin/detect-secrets [--misses]

Secrets: Discreet's `secret` findings against detect-secrets 1.5 (`scan --all-files`, default plugins, one post
per file). detect-secrets is not a dependency of Discreet: install it in a throwaway virtualenv
(`python3 -m venv /tmp/ds && /tmp/ds/bin/pip install detect-secrets`) and pass its executable. Personal
identifiers: Discreet's `personal` findings against stock Presidio (AnalyzerEngine, default recognizers, the
same spaCy model, score >= 0.4, its personal-identifier entity types). The posts are in bench/peer_cases.py.

A labelled post counts as found when a finding overlaps its labelled value (detect-secrets reports lines, and
each post is its own file, so any finding in the file counts for it); a post with nothing to find counts as a
false alarm when anything is reported. Discreet's placeholders at `info` are not alarms: they do not warn.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peer_cases import personal_posts, secret_posts

REPO = Path(__file__).resolve().parents[1]
# Presidio's entity types for identifiers of a person (LOCATION, PERSON, DATE_TIME, URL are not counted: they
# tag any place, name, date or link, which is not what this set measures).
PRESIDIO_PERSONAL = frozenset(
    """EMAIL_ADDRESS PHONE_NUMBER CREDIT_CARD IBAN_CODE US_SSN US_ITIN UK_NINO US_BANK_NUMBER US_DRIVER_LICENSE
    US_PASSPORT""".split()
)

Findings = list[tuple[int, int]]


def discreet(posts: list[dict], category: str) -> list[Findings]:
    from discreet.engine.policy import load_policy
    from discreet.engine.scanner import Scanner

    scanner = Scanner(load_policy(REPO / "recognizers" / "packs" / "demo" / "policy.yaml"))
    scanner.warm_up()
    return [
        [(f.start, f.end) for f in scanner.scan(p["text"]) if f.category == category and f.severity != "info"]
        for p in posts
    ]


def detect_secrets(posts: list[dict], executable: str) -> list[Findings]:
    """detect-secrets' verdict per post: the whole post when it reports anything in the post's file."""
    with tempfile.TemporaryDirectory() as tmp:
        for i, post in enumerate(posts):
            (Path(tmp) / f"post_{i:03d}.txt").write_text(post["text"] + "\n", encoding="utf-8")
        out = subprocess.run(
            [executable, "scan", "--all-files", "."], cwd=tmp, capture_output=True, text=True, check=True
        ).stdout
    flagged = {Path(name).name for name in json.loads(out)["results"]}
    return [[(0, len(p["text"]))] if f"post_{i:03d}.txt" in flagged else [] for i, p in enumerate(posts)]


def presidio(posts: list[dict]) -> list[Findings]:
    from bench_engine import stock_analyzer

    analyzer = stock_analyzer()
    return [
        [
            (r.start, r.end)
            for r in analyzer.analyze(p["text"], language="en")
            if r.score >= 0.4 and r.entity_type in PRESIDIO_PERSONAL
        ]
        for p in posts
    ]


def score(posts: list[dict], found: list[Findings]) -> tuple[float, float, list[str]]:
    """Recall on labelled posts, false-alarm rate on the others, and what was missed or raised wrongly."""
    hits = alarms = positives = negatives = 0
    wrong = []
    for post, findings in zip(posts, found, strict=True):
        if post["label"]:
            positives += 1
            s, e = post["span"]
            if any(a < e and s < b for a, b in findings):
                hits += 1
            else:
                wrong.append(f"  missed       [{post['family']}] {post['text'][:110]!r}")
        else:
            negatives += 1
            if findings:
                alarms += 1
                wrong.append(f"  false alarm  [{post['family']}] {post['text'][:110]!r}")
    return hits / positives, alarms / negatives, wrong


def by_family(posts: list[dict], found: list[Findings]) -> dict[str, tuple[int, int]]:
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for post, findings in zip(posts, found, strict=True):
        if post["label"]:
            s, e = post["span"]
            table[post["family"]][0] += any(a < e and s < b for a, b in findings)
            table[post["family"]][1] += 1
    return {k: (v[0], v[1]) for k, v in table.items()}


def report(title: str, posts: list[dict], rows: dict[str, list[Findings]], misses: bool) -> None:
    positives = sum(p["label"] for p in posts)
    print(f"\n{title}: {positives} posts with one, {len(posts) - positives} without")
    print(f"  {'tool':<18}{'recall':>8}{'false alarms':>14}")
    for name, found in rows.items():
        recall, alarm, wrong = score(posts, found)
        print(f"  {name:<18}{recall:>8.3f}{alarm:>14.3f}")
        if misses:
            print("\n".join(wrong))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detect-secrets", help="detect-secrets executable (from a throwaway virtualenv)")
    parser.add_argument("--misses", action="store_true", help="list each tool's misses and false alarms")
    parser.add_argument(
        "--held-out", action="store_true", help="the posts written after the rules changed, never tuned to"
    )
    args = parser.parse_args()

    secrets = secret_posts(args.held_out)
    rows = {"Discreet": discreet(secrets, "secret")}
    if args.detect_secrets:
        rows["detect-secrets"] = detect_secrets(secrets, args.detect_secrets)
    else:
        print("detect-secrets not run: pass --detect-secrets (see the docstring)")
    report("Secrets", secrets, rows, args.misses)

    personal = personal_posts(args.held_out)
    rows = {"Discreet": discreet(personal, "personal"), "stock Presidio": presidio(personal)}
    report("Personal identifiers", personal, rows, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
