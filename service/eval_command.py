"""`discreet eval`: how a policy does on a labelled corpus, for tuning and for the security team's CI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from discreet.evaluation import Report, evaluate, load_corpus
from discreet.policy_arg import add_policy_argument, load_or_exit
from discreet.progress import Progress
from discreet.scanner import Scanner


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("eval", help="precision, recall and F2 of a policy on a labelled corpus")
    add_policy_argument(p)
    p.add_argument("--corpus", type=Path, required=True, help="labelled corpus (JSON lines: id, text, spans)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    scanner = Scanner(load_or_exit(args.policy))
    try:
        posts = load_corpus(args.corpus)
    except (OSError, ValueError) as err:
        print(f"discreet: {err}", file=sys.stderr)
        return 2
    progress = Progress(len(posts), "evaluating")
    report = evaluate(posts, scanner.scan, progress.step)
    progress.close()
    print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) if args.json else render(report))
    return 0


def render(report: Report) -> str:
    rows = [f"{'category':10} {'prec':>6} {'recall':>6} {'F2':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for name, t in [*sorted(report.categories.items()), ("overall", report.overall)]:
        rows.append(f"{name:10} {t.precision:6.3f} {t.recall:6.3f} {t.f2:6.3f} {t.tp:4} {t.fp:4} {t.fn:4}")
    rows.append(
        f"clean posts with a warning: {report.clean_posts_flagged}/{report.clean_posts} ({report.clean_alarm_rate:.1%})"
    )
    if report.misses:
        rows += ["", "misses:"] + [f"  {m['id']} {m['category']:8} {m['text']!r}" for m in report.misses]
    if report.false_alarms:
        rows += ["", "false alarms:"] + [
            f"  {m['id']} {m['category']:8} {m['text']!r}" for m in report.false_alarms
        ]
    return "\n".join(rows)
