"""`discreet explain`: why each finding was flagged, and the near misses with why each was not."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from discreet.cli.policy_arg import add_policy_argument, load_or_exit

if TYPE_CHECKING:
    from discreet.engine.decision import Decision
    from discreet.engine.explain import Explanation


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "explain",
        help="show why text is flagged: recognizer, roster entry or pattern, scores, context, near misses",
    )
    add_policy_argument(p)
    p.add_argument("text", nargs="?", help="the text (default: read standard input)")
    p.add_argument("--json", action="store_true", help="print the explanation as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from discreet.engine.explain import explain
    from discreet.engine.scanner import Scanner

    scanner = Scanner(load_or_exit(args.policy))
    text = args.text if args.text is not None else sys.stdin.read()
    explanation = explain(scanner, text)
    if args.json:
        print(json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render(explanation))
    return 0


def render(explanation: Explanation) -> str:
    lines = [f"Findings: {len(explanation.findings)}"]
    for d in explanation.findings:
        lines += [
            f"  {d.text!r} at {d.start}-{d.end}: {d.category}, {d.severity}, score {d.score:.2f}",
            f"    recognizer  {d.recognizer} ({d.entity_type})",
            f"    matched     {d.source}",
            f"    score       {_score_story(d)}",
            f"    told        {d.explanation}",
        ]
    lines += ["", f"Near misses: {len(explanation.near_misses)}"]
    for d in explanation.near_misses:
        lines += [
            f"  {d.text!r} at {d.start}-{d.end}: {d.category} by {d.recognizer}, {d.status.replace('_', ' ')}",
            f"    matched     {d.source}",
            f"    why not     {d.reason}",
        ]
    return "\n".join(lines)


def _score_story(d: Decision) -> str:
    """How context moved the score, in words."""
    if not d.context_word:
        return f"{d.score:.2f} (no context word involved)"
    if d.score_before_context == 0:
        return f"{d.score:.2f}, only because of the context word '{d.context_word}' (not flagged without it)"
    return f"{d.score_before_context:.2f} -> {d.score:.2f}, raised by the context word '{d.context_word}'"
