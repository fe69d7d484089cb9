"""`discreet` command line: each subcommand lives in its own module and registers itself here.

Command modules import only the standard library at module level and load the engine, Flask or the HTTP
client inside their `run`, so that `discreet native-host`, `status` and `pair` (which the browser and people
run often) start without spaCy, Presidio or Flask. The egress guard goes in before any command module, and
so before any third-party library, is imported.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from discreet import __version__

COMMANDS = (
    "scan",
    "eval",
    "explain",
    "policy",
    "roster",
    "serve",
    "pair",
    "status",
    "native_host",
    "report",
    "lab",
)


def main(argv: list[str] | None = None) -> int:
    from discreet.service.egress_guard import install_egress_guard

    install_egress_guard()
    parser = argparse.ArgumentParser(
        prog="discreet",
        description="Find what a post must not say: clients, patients, project codes, secrets.",
    )
    parser.add_argument("--version", action="version", version=f"discreet {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"discreet.cli.{name}").register(subparsers)
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
