"""`discreet scan`: a readable report for a person, or `--jsonl` for tools (one answer line per input line)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from discreet.cli.policy_arg import add_policy_argument, load_or_exit
from discreet.cli.progress import Progress

if TYPE_CHECKING:
    from discreet.engine.decision import Decision
    from discreet.engine.scanner import Scanner

_COLOURS = {"block": "\033[1;97;41m", "warn": "\033[1;30;43m", "info": "\033[4m"}
_RESET = "\033[0m"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("scan", help="scan text for what must not be posted")
    add_policy_argument(p)
    p.add_argument("text", nargs="?", help="the text (default: read standard input)")
    p.add_argument(
        "--jsonl", action="store_true", help='read {"id", "text"} lines, write {"id", "findings"} lines'
    )
    p.add_argument("--redact", action="store_true", help="print the text with every finding replaced")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from discreet.engine.scanner import Scanner

    scanner = Scanner(load_or_exit(args.policy))
    if args.jsonl:
        return _jsonl(scanner)
    text = args.text if args.text is not None else sys.stdin.read()
    if args.redact:
        from discreet.engine.redact import redact

        found = [d for d in scanner.decide(text) if d.found]
        print(redact(text, found, scanner.policy.categories))
        return 0
    findings = scanner.scan(text)
    print(render_report(text, findings, colour=sys.stdout.isatty()))
    return 1 if any(f.severity == "block" for f in findings) else 0


def _jsonl(scanner: Scanner) -> int:
    status = 0
    progress = Progress(None, "scanning")
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        item = _parse_line(line)
        if item is None or not isinstance(item.get("text"), str):
            ident = item.get("id") if item is not None else None
            answer = {"id": ident, "error": f"line {number}: expected a JSON object with a string 'text'"}
            status = 1
        else:
            answer = {"id": item.get("id"), "findings": [f.finding() for f in scanner.scan(item["text"])]}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        progress.step()
    progress.close()
    return status


def _parse_line(line: str) -> dict | None:
    try:
        item = json.loads(line)
    except json.JSONDecodeError:
        return None
    return item if isinstance(item, dict) else None


def render_report(text: str, findings: list[Decision], colour: bool) -> str:
    """The text with each finding marked, then one line per finding with its explanation."""
    if not findings:
        return "No findings."
    units = text.encode("utf-16-le")
    marked, last = [], 0
    for f in findings:
        marked.append(units[last * 2 : f.start * 2].decode("utf-16-le"))
        span = units[f.start * 2 : f.end * 2].decode("utf-16-le")
        marked.append(f"{_COLOURS[f.severity]}{span}{_RESET}" if colour else f"[[{span}]]")
        last = f.end
    marked.append(units[last * 2 :].decode("utf-16-le"))
    lines = ["".join(marked), ""]
    for f in findings:
        lines.append(f"{f.severity.upper():5}  {f.category:8}  {f.explanation}")
    return "\n".join(lines)
