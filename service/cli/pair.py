"""`discreet pair`: ask the running service for a one-time code the user types into the extension."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from discreet.cli.config_arg import add_running_service_arguments
from discreet.service.client import NotTheService, ServiceClient, ServiceRefused, ServiceUnreachable
from discreet.service.config import ConfigError, load_service_config
from discreet.service.pairing import CODE_LIFETIME_SECONDS
from discreet.service.tokens import TokenError, read_token


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "pair",
        help="show a one-time code that pairs a browser extension with the running service",
        description="Prints a short code, valid 5 minutes, to type into the Discreet extension's options.",
    )
    add_running_service_arguments(parser)
    parser.add_argument("--token-file", type=Path, help="the service's token file (default: from config)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_service_config(args.config, {"port": args.port, "token_file": args.token_file})
        with ServiceClient(config, read_token(config.token_file), timeout=10) as client:
            client.prove()  # "not running" before "no admin token"
            admin = read_token(config.admin_token_file)
            client.prove_admin(admin)
            code = client.post("/v1/pair/start", admin)["code"]
    except (ConfigError, TokenError) as err:
        print(f"discreet pair: {err}", file=sys.stderr)
        return 2
    except ServiceRefused as err:
        print(f"discreet pair: the service refused: {err}", file=sys.stderr)
        return 1
    except NotTheService as err:
        print(f"discreet pair: {err}", file=sys.stderr)
        return 1
    except ServiceUnreachable as err:
        print(f"discreet pair: {err}; start it with `discreet serve`", file=sys.stderr)
        return 1
    print(f"Pairing code: {code}")
    print(f"Type it into the Discreet extension's options page within {CODE_LIFETIME_SECONDS // 60} minutes.")
    return 0
