"""`discreet roster import FILE.csv`: a CRM export turned into a roster file, with a report of what was dropped."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from discreet.tuning.roster_import import Row, import_rows

_DELIMITERS = ",;\t"


def register(subparsers: argparse._SubParsersAction) -> None:
    roster = subparsers.add_parser("roster", help="work on roster files")
    actions = roster.add_subparsers(dest="roster_command", required=True)
    p = actions.add_parser(
        "import",
        help="turn a CRM export (CSV) into a roster file",
        description="Whitespace and shouting capitals are tidied, duplicate names merged and clashing "
        "aliases dropped; every drop is reported on standard error with its CSV line.",
    )
    p.add_argument("csv", type=Path, help="the CSV export (UTF-8; comma, semicolon or tab separated)")
    p.add_argument("--name-column", required=True, help="column holding the client's name")
    p.add_argument(
        "--alias-column",
        action="append",
        default=[],
        help="column holding aliases, several separated by ';' or '|' (repeatable)",
    )
    p.add_argument("-o", "--output", type=Path, help="roster file to write (default: standard output)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        rows = read_rows(args.csv, args.name_column, args.alias_column)
    except UnicodeDecodeError:
        print(f"discreet roster import: {args.csv}: not UTF-8; export it as 'CSV UTF-8'", file=sys.stderr)
        return 2
    except (OSError, ValueError, csv.Error) as err:
        print(f"discreet roster import: {args.csv}: {err}", file=sys.stderr)
        return 2
    imported = import_rows(rows)
    columns = ", ".join(f"'{c}'" for c in [args.name_column, *args.alias_column])
    header = f"Roster imported from {args.csv.name} by `discreet roster import` (columns {columns})."
    text = imported.roster_text(header)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    aliases = sum(len(e.aliases) for e in imported.entries)
    print(
        f"{len(imported.entries)} entries ({aliases} aliases) from {len(rows)} rows; dropped {len(imported.dropped)}",
        file=sys.stderr,
    )
    for dropped in imported.dropped:
        print(f"  {dropped}", file=sys.stderr)
    return 0


def read_rows(path: Path, name_column: str, alias_columns: list[str]) -> list[Row]:
    """The CSV's records with their line numbers; a missing column is an error naming the ones there are."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(8192)
        fh.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(fh, dialect=dialect)
        columns = reader.fieldnames or []
        missing = [c for c in [name_column, *alias_columns] if c not in columns]
        if missing:
            raise ValueError(
                f"no column {', '.join(map(repr, missing))}; the columns are {', '.join(map(repr, columns))}"
            )
        rows = []
        for record in reader:
            aliases = tuple(record.get(c) or "" for c in alias_columns)
            rows.append(Row(reader.line_num, record.get(name_column) or "", aliases))
        return rows
