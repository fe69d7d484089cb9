"""`discreet native-host`: the native-messaging host that pairs a managed extension with no user step.

The browser starts it (only for the extension IDs listed in its host manifest) and speaks Chrome's
native-messaging framing on stdin/stdout: a 4-byte native-endian length, then UTF-8 JSON. Whatever the
extension sends, the answer is this user's service address and token, plus a fresh pairing code
when the service runs, so an extension whose origin is random (Firefox) can admit itself through
the ordinary `/v1/pair` step. On a shared host each user's own config (and port) is what counts.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
from typing import Any, BinaryIO

from discreet.service.client import ServiceClient, ServiceRefused, ServiceUnreachable, service_url
from discreet.service.config import ConfigError, load_service_config
from discreet.service.tokens import TokenError, read_token

MAX_MESSAGE_BYTES = 64 * 1024


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "native-host",
        help="native-messaging host for the browser extension (started by the browser, not by people)",
        description="Answers the Discreet extension with this user's service URL, token and a pairing code.",
    )
    # Browsers pass the caller (Chrome: origin, --parent-window; Firefox: manifest path, add-on ID).
    parser.add_argument("browser_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def read_message(stream: BinaryIO) -> Any | None:
    """The next message, or None at end of input (the browser closed the port)."""
    header = stream.read(4)
    if len(header) < 4:
        return None
    (length,) = struct.unpack("=I", header)
    if length > MAX_MESSAGE_BYTES:
        raise ValueError(f"message of {length} bytes is over the {MAX_MESSAGE_BYTES}-byte limit")
    return json.loads(stream.read(length).decode("utf-8"))


def write_message(stream: BinaryIO, message: dict[str, Any]) -> None:
    data = json.dumps(message).encode("utf-8")
    stream.write(struct.pack("=I", len(data)) + data)
    stream.flush()


def answer() -> dict[str, Any]:
    """This user's service URL and token, and a one-time pairing code if the service is up."""
    try:
        config = load_service_config(None, {})
        token = read_token(config.token_file)
        url = service_url(config)  # this user's own port (recorded by their service at its first start)
    except (ConfigError, TokenError) as err:
        return {"error": str(err)}
    reply: dict[str, Any] = {"serviceUrl": url, "token": token, "pairingCode": None}
    try:
        admin = read_token(config.admin_token_file)
        with ServiceClient(config, token) as client:
            client.prove_admin(admin)
            reply["pairingCode"] = client.post("/v1/pair/start", admin)["code"]
    except (TokenError, ServiceUnreachable, ServiceRefused, KeyError, TypeError) as err:
        reply["serviceProblem"] = str(err)
    return reply


def run(args: argparse.Namespace) -> int:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    try:
        while read_message(stdin) is not None:
            write_message(stdout, answer())
    except (ValueError, UnicodeDecodeError) as err:
        write_message(stdout, {"error": f"unreadable message: {err}"})
        return 1
    return 0
