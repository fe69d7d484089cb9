"""`discreet eval`: how a policy does on a labelled corpus, for tuning and for the security team's CI."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from discreet.cli.policy_arg import add_policy_argument, load_or_exit
from discreet.cli.progress import Progress
from discreet.tuning.comparison import OUTCOME_WORDS, Change, changed_posts
from discreet.tuning.evaluation import Report, Tally, evaluate, load_corpus


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("eval", help="precision, recall and F2 of a policy on a labelled corpus")
    add_policy_argument(p)
    p.add_argument("--corpus", type=Path, required=True, help="labelled corpus (JSON lines: id, text, spans)")
    p.add_argument(
        "--compare",
        type=Path,
        metavar="OTHER_POLICY",
        help="also run OTHER_POLICY and show both side by side, with the posts whose outcome changed",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from discreet.engine.scanner import Scanner

    policies = [args.policy] if args.compare is None else [args.policy, args.compare]
    scanners = [Scanner(load_or_exit(path)) for path in policies]
    try:
        posts = load_corpus(args.corpus)
    except (OSError, ValueError) as err:
        print(f"discreet: {err}", file=sys.stderr)
        return 2
    progress = Progress(len(posts) * len(scanners), "evaluating")
    reports = [evaluate(posts, scanner.scan, progress.step) for scanner in scanners]
    progress.close()
    if len(reports) == 1:
        print(
            json.dumps(reports[0].as_dict(), indent=2, ensure_ascii=False)
            if args.json
            else render(reports[0])
        )
        return 0
    changes = changed_posts(*reports)
    if args.json:
        both = {
            "policy": str(args.policy),
            "compare": str(args.compare),
            "reports": [r.as_dict() for r in reports],
            "changed": [c.to_dict() for c in changes],
        }
        print(json.dumps(both, indent=2, ensure_ascii=False))
    else:
        print(render_comparison(str(args.policy), str(args.compare), *reports, changes))
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


def render_comparison(first: str, second: str, a: Report, b: Report, changes: list[Change]) -> str:
    """Both policies' figures in one table (A | B per category), then the posts whose outcome changed."""
    rows = [f"A = {first}", f"B = {second}", ""]
    rows.append(
        f"{'category':10} {'prec A':>7} {'prec B':>7} {'recall A':>8} {'recall B':>8} {'F2 A':>6} {'F2 B':>6}"
    )
    names = sorted(set(a.categories) | set(b.categories))
    for name in [*names, "overall"]:
        ta = a.overall if name == "overall" else a.categories.get(name, Tally())
        tb = b.overall if name == "overall" else b.categories.get(name, Tally())
        rows.append(
            f"{name:10} {ta.precision:7.3f} {tb.precision:7.3f} {ta.recall:8.3f} {tb.recall:8.3f} "
            f"{ta.f2:6.3f} {tb.f2:6.3f}"
        )
    rows.append(
        f"clean posts with a warning: A {a.clean_posts_flagged}/{a.clean_posts}, "
        f"B {b.clean_posts_flagged}/{b.clean_posts}"
    )
    tally = Counter(c.verdict for c in changes)
    summary = ", ".join(f"{tally[v]} {v}" for v in ("better", "worse", "mixed") if tally[v])
    rows += ["", f"posts whose outcome changed with B: {len(changes)}" + (f" ({summary})" if changes else "")]
    for change in changes:
        rows.append(f"  {change.id}  {change.verdict}")
        rows += [f"    A: {OUTCOME_WORDS[k]:11} {c:8} {t!r}" for k, c, t in change.gone]
        rows += [f"    B: {OUTCOME_WORDS[k]:11} {c:8} {t!r}" for k, c, t in change.new]
    return "\n".join(rows)
