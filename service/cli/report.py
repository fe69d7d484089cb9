"""`discreet report`: what fired and what people overrode, from the local event file or the running service.

The rules people override most are the ones to tune; the same figures are the lab's chart.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from discreet.cli.config_arg import add_config_argument

SPAN = re.compile(r"(\d+)([dw]?)")
COLUMNS = (
    ("finding_shown", "shown"),
    ("post_blocked", "blocked"),
    ("posted_anyway", "posted anyway"),
    ("replaced", "replaced"),
    ("ignored", "ignored"),
    ("post_unchecked", "unchecked"),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="count findings, overrides and unchecked posts per category, recognizer and day",
        description="Reads the audit event file (--file, or the config's `file:` audit sink); without one, "
        "asks the running service for the counts it keeps in memory since it started.",
    )
    parser.add_argument(
        "--since", type=days, default=7, metavar="SPAN", help="how far back: 7d (default), 2w, 30d"
    )
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument("--file", type=Path, help="the audit event file (JSON lines) to read")
    add_config_argument(parser)
    parser.set_defaults(func=run)


def days(text: str) -> int:
    """`7d`, `2w` or `7` as a number of days (at least 1)."""
    match = SPAN.fullmatch(text.strip())
    if not match or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a span like 7d or 2w")
    return int(match.group(1)) * (7 if match.group(2) == "w" else 1)


def run(args: argparse.Namespace) -> int:
    from discreet.audit.report import rows_from_file, summarize
    from discreet.service.client import ServiceClient, ServiceRefused, ServiceUnreachable
    from discreet.service.config import ConfigError, load_service_config
    from discreet.service.tokens import TokenError, read_token

    try:
        config = load_service_config(args.config, {})
        path = args.file or next((Path(s[5:]) for s in config.audit if s.startswith("file:")), None)
        if path is not None:
            if not path.is_file():
                raise ConfigError(f"{path}: no audit event file")
            report, source = summarize(rows_from_file(path), args.since), str(path)
        else:
            # The counters are the lab's view: the local user's admin token reads them, once the server
            # has proved it holds that token too.
            admin = read_token(config.admin_token_file)
            with ServiceClient(config, read_token(config.token_file)) as client:
                client.prove_admin(admin)
                report = client.post(f"/v1/audit/report?days={args.since}", admin)
            source = "the running service's counters (since it started)"
    except (ConfigError, TokenError) as err:
        print(f"discreet report: {err}", file=sys.stderr)
        return 2
    except (ServiceRefused, ServiceUnreachable) as err:
        print(f"discreet report: no event file configured and {err}", file=sys.stderr)
        return 1
    print(json.dumps({"source": source, **report}, indent=2) if args.json else render(report, source))
    return 0


def _table(title: str, head: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [head, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(head))]
    fmt = [f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths)]
    lines = ["  ".join(f.format(c) for f, c in zip(fmt, row, strict=True)).rstrip() for row in cells]
    return ["", title, *lines] if rows else ["", title, "  (none)"]


def render(report: dict[str, Any], source: str) -> str:
    counts = [label for _, label in COLUMNS]
    out = [
        f"Discreet audit report, {report['since']} to {report['until']} ({report['days']} days), from {source}"
    ]
    out += _table(
        "Per category",
        ["category", *counts],
        [[c["category"], *(c[k] for k, _ in COLUMNS)] for c in report["categories"]],
    )
    out += _table(
        "Override rate per recognizer and severity (most overridden first: the rules to tune)",
        ["recognizer", "category", "severity", "shown", "overrides", "replaced", "rate"],
        [
            [
                r["recognizer"],
                r["category"],
                r["severity"] or "-",
                r["finding_shown"],
                r["overrides"],
                r["replaced"],
                "-" if r["override_rate"] is None else f"{r['override_rate']:.0%}",
            ]
            for r in report["recognizers"]
        ],
    )
    out += _table(
        "Per day", ["day", *counts], [[d["day"], *(d[k] for k, _ in COLUMNS)] for d in report["per_day"]]
    )
    totals = report["totals"]
    out += ["", f"Unchecked posts: {totals.get('post_unchecked', 0)}    refused policy reloads: "
            f"{totals.get('policy_reload_refused', 0)}"]  # fmt: skip
    return "\n".join(out)
