"""`discreet pair`: ask the running service for a one-time code the user types into the extension."""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

from discreet.config import ConfigError, load_service_config
from discreet.pairing import CODE_LIFETIME_SECONDS
from discreet.tokens import TokenError, read_token

_UNSPECIFIED = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "pair",
        help="show a one-time code that pairs a browser extension with the running service",
        description="Prints a short code, valid 5 minutes, to type into the Discreet extension's options.",
    )
    parser.add_argument("--port", type=int, help="port of the running service (default: from config)")
    parser.add_argument("--token-file", type=Path, help="the service's token file (default: from config)")
    parser.add_argument("--config", type=Path, help="config file to use instead of the user's config.toml")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_service_config(args.config, {"port": args.port, "token_file": args.token_file})
        token = read_token(config.token_file)
    except (ConfigError, TokenError) as err:
        print(f"discreet pair: {err}", file=sys.stderr)
        return 2
    host = _UNSPECIFIED.get(config.host, config.host)
    authority = f"[{host}]:{config.port}" if ":" in host else f"{host}:{config.port}"
    request = urllib.request.Request(
        f"http://{authority}/v1/pair/start",
        data=b"{}",
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    # No proxy: the token must go straight to the local service, whatever http_proxy says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            code = json.load(response)["code"]
    except urllib.error.HTTPError as err:
        print(f"discreet pair: the service refused: {_error_message(err)}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError):
        print(
            f"discreet pair: no Discreet service answers on {authority}; start it with `discreet serve`",
            file=sys.stderr,
        )
        return 1
    print(f"Pairing code: {code}")
    print(f"Type it into the Discreet extension's options page within {CODE_LIFETIME_SECONDS // 60} minutes.")
    return 0


def _error_message(err: urllib.error.HTTPError) -> str:
    try:
        return json.load(err)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {err.code}"
