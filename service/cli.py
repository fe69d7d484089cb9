"""`discreet` command line: each subcommand lives in its own module and registers itself here."""

from __future__ import annotations

import argparse
import sys

from discreet import (
    __version__,
    check_command,
    eval_command,
    explain_command,
    native_host_command,
    pair_command,
    roster_import_command,
    scan_command,
    serve_command,
    status_command,
)

COMMANDS = [
    scan_command,
    eval_command,
    explain_command,
    check_command,
    roster_import_command,
    serve_command,
    pair_command,
    status_command,
    native_host_command,
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="discreet",
        description="Find what a post must not say: clients, patients, project codes, secrets.",
    )
    parser.add_argument("--version", action="version", version=f"discreet {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
