"""`discreet serve`: run the scan service on loopback with waitress until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import BinaryIO

from discreet import __version__
from discreet.cli.config_arg import add_config_argument
from discreet.service.config import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    ConfigError,
    ServiceConfig,
    load_service_config,
    record_port,
    recorded_port,
)
from discreet.service.egress_guard import install_egress_guard, is_loopback
from discreet.service.hardening import disable_core_dumps
from discreet.service.log_format import configure_logging
from discreet.service.tokens import TokenError

EXPOSE_FLAG = "--i-understand-this-exposes-the-service"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the local scan service the browser extension calls",
        description="Serve /v1/scan on loopback for the Discreet browser extension. Settings come from "
        "the machine-wide config.toml, then the user's, then these flags.",
    )
    parser.add_argument("--policy", type=Path, help="the policy YAML to load and watch for changes")
    parser.add_argument("--host", help=f"address to bind (default {DEFAULT_HOST}; loopback only)")
    parser.add_argument(
        "--port",
        type=int,
        help=f"port to listen on (default: this user's own, chosen at first start: {DEFAULT_PORT} if free; "
        "0 picks a new one each time)",
    )
    parser.add_argument("--token-file", type=Path, help="shared secret; created (mode 0600) if missing")
    parser.add_argument(
        "--allow-origin",
        action="append",
        dest="allow_origins",
        metavar="ORIGIN",
        help="extension origin allowed to call, e.g. chrome-extension://<id> (repeatable)",
    )
    add_config_argument(parser)
    parser.add_argument(
        "--audit",
        action="append",
        metavar="SINK",
        help="send audit events (no text) to syslog, syslog:unix:PATH, syslog:udp://HOST:PORT, "
        "syslog:tcp://HOST:PORT, journald, file:PATH, eventlog or oslog (repeatable; see docs/monitoring.md)",
    )
    parser.add_argument(
        EXPOSE_FLAG,
        dest="expose",
        action="store_true",
        help="allow binding to a non-loopback address, so other machines can reach the service",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    configure_logging()
    disable_core_dumps()  # before any post text can reach this process's memory
    overrides = {
        "policy": args.policy,
        "host": args.host,
        "port": args.port,
        "token_file": args.token_file,
        "allow_origins": args.allow_origins,
        "expose": args.expose,
        "audit": args.audit,
    }
    try:
        config = load_service_config(args.config, overrides)
        if not is_loopback(config.host) and not config.expose:
            raise ConfigError(f"{config.host} is not a loopback address; binding to it needs {EXPOSE_FLAG}")
        if config.port is not None:
            listener = _listen(config.host, config.port)
            return _serve(replace(config, port=listener.getsockname()[1]), listener)
        with _one_service_per_user(config.port_file):
            listener = _listen_per_user(config)
            return _serve(replace(config, port=listener.getsockname()[1]), listener)
    except (ConfigError, TokenError, OSError) as err:
        print(f"discreet serve: {err}", file=sys.stderr)
        return 2


def _listen(host: str, port: int) -> socket.socket:
    address = "127.0.0.1" if host == "localhost" else host
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    # On Windows SO_REUSEADDR would let another program bind the same port and take our requests.
    exclusive = getattr(socket, "SO_EXCLUSIVEADDRUSE", None)
    listener.setsockopt(socket.SOL_SOCKET, exclusive or socket.SO_REUSEADDR, 1)
    try:
        listener.bind((address, port))
    except OSError as err:
        listener.close()
        raise OSError(f"cannot listen on {host}:{port}: {err.strerror}") from None
    listener.listen(128)
    return listener


@contextmanager
def _one_service_per_user(port_file: Path) -> Iterator[None]:
    """A lock beside the port file, held for the service's life: a second `discreet serve` of the same
    user stops with a clear message instead of taking a new port and hiding the first from `status`."""
    port_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    owner_only = lambda path, flags: os.open(path, flags, 0o600)  # noqa: E731
    with open(port_file.with_name(f"{port_file.name}.lock"), "ab", opener=owner_only) as lock:
        _lock_or_refuse(lock, port_file)
        yield  # the lock goes with the file's closing


def _lock_or_refuse(lock: BinaryIO, port_file: Path) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(lock.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise OSError(
            f"this user's service already runs (see `discreet status`); its port is in {port_file}"
        ) from None


def _listen_per_user(config: ServiceConfig) -> socket.socket:
    """This user's own port: the one recorded at the first start, else the default if free, else any
    free one; recorded, so the next start, `status`, `pair` and the native host find it. Another user's
    service (or any program) holding the preferred port moves this one, it does not stop it."""
    recorded = recorded_port(config.port_file)
    preferred = recorded or DEFAULT_PORT
    try:
        listener = _listen(config.host, preferred)
    except OSError as err:
        print(f"{err}; choosing a free port for this user", flush=True)
        listener = _listen(config.host, 0)
    port = listener.getsockname()[1]
    if port != recorded:
        record_port(config.port_file, port)
        print(f"this user's port {port} is kept in {config.port_file}", flush=True)
    return listener


def _serve(config: ServiceConfig, listener: socket.socket) -> int:
    # Imported here so the guard is in place before the engine and its libraries load.
    install_egress_guard()
    from discreet.engine.policy import PolicyError
    from discreet.service.app import create_app
    from discreet.service.scanner_holder import PolicyWatcher
    from discreet.service.serving import create_server

    try:
        app = create_app(config)
    except (PolicyError, RuntimeError) as err:  # RuntimeError: the policy's spaCy model is not installed
        print(f"discreet serve: {err}", file=sys.stderr)
        return 2
    state = app.extensions["discreet"]
    server = create_server(
        app,
        listener,
        threads=config.threads,
        connection_limit=config.connection_limit,
        # Twice the app's cap so oversized bodies get the app's JSON 413; waitress still stops giants.
        max_request_body_size=config.max_body_bytes * 2,
        # Keep request and response bodies in memory: waitress spools larger ones to temporary files,
        # which would put post text on disk.
        inbuf_overflow=config.max_body_bytes * 2 + 1,
        outbuf_overflow=64 * 1024 * 1024,
        ident="discreet",
    )
    watcher = PolicyWatcher(state.scanners, config.reload_interval)
    watcher.start()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop)
    policy = state.scanners.current.policy
    host = f"[{config.host}]" if ":" in config.host else config.host
    print(f"Discreet {__version__} listening on http://{host}:{config.port}", flush=True)
    print(f"policy {policy.path} (fingerprint {policy.fingerprint}), watched for changes", flush=True)
    if config.audit:
        print(f"audit events to {', '.join(config.audit)}", flush=True)
    print(f"token file {config.token_file}", flush=True)
    try:
        server.run()
    finally:
        watcher.stop()
        server.close()
        state.audit.close(state.scanners.current.policy.fingerprint)
    print("Discreet stopped", flush=True)
    return 0


def _stop(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into the KeyboardInterrupt waitress already handles by shutting down."""
    raise KeyboardInterrupt
