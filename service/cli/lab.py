"""`discreet lab`: open the policy lab in the browser with a one-time link (the lab needs the admin token)."""

from __future__ import annotations

import argparse
import sys

from discreet.cli.config_arg import add_running_service_arguments
from discreet.service.client import ServiceClient, ServiceRefused, ServiceUnreachable
from discreet.service.config import ConfigError, load_service_config
from discreet.service.tokens import TokenError, read_token


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "lab",
        help="open the policy lab of the running service in the browser",
        description="Asks the running service for a one-time link to its policy lab and opens it. The "
        "link works once, within a minute; the page then holds a lab session of its own.",
    )
    add_running_service_arguments(parser)
    parser.add_argument("--no-browser", action="store_true", help="print the link instead of opening it")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_service_config(args.config, {"port": args.port})
        with ServiceClient(config, read_token(config.token_file)) as client:
            client.prove()  # "not running" before "no admin token"
            admin = read_token(config.admin_token_file)
            client.prove_admin(admin)
            url = client.post("/v1/lab/link", admin)["url"]
    except (ConfigError, TokenError) as err:
        print(f"discreet lab: {err}", file=sys.stderr)
        return 2
    except (ServiceRefused, ServiceUnreachable) as err:
        print(f"discreet lab: {err}", file=sys.stderr)
        return 1
    if not args.no_browser:
        import webbrowser

        if webbrowser.open(url):
            print("Opened the policy lab in your browser.")
            return 0
    print(f"Open this link within a minute (it works once): {url}")
    return 0
