"""`discreet status`: is this machine protected? The service answering, its policy, an extension talking to it.

For IT checking a machine by hand or from a fleet tool. Exit status (documented in
docs/deploying.md): 0 protected (the service answers, a policy is loaded and its last reload was
accepted, and an allowed or paired extension made an authorised call within the window); 1 degraded
(the service answers but one of those fails: posts may go out unchecked or under an old policy);
2 down (nothing answers); 3 the config cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Any

from discreet.cli.config_arg import add_config_argument
from discreet.service.client import ServiceClient, ServiceRefused, ServiceUnreachable, service_url
from discreet.service.config import (
    ConfigError,
    ServiceConfig,
    load_service_config,
    machine_config_file,
    service_port,
)
from discreet.service.contacts import browser_family
from discreet.service.pairing import PairedOrigins
from discreet.service.tokens import TokenError, read_token

EXIT_CODES = {"protected": 0, "degraded": 1, "down": 2}
EXIT_BAD_CONFIG = 3
# An extension calls with its token when a LinkedIn/X page loads (categories) and as the user writes
# (scans): a day without any call means no browser with the extension was used to post, or it cannot
# reach the service. Fleet checks that run more often can narrow it with --seen-within.
DEFAULT_SEEN_WITHIN_MINUTES = 24 * 60


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "status",
        help="show whether the service runs, which policy it enforces and which extensions may call it",
        description="Checks the service on its configured address (GET /v1/health), the policy "
        "fingerprint and the allowed or paired extension origins. Exit status 0 when protected.",
    )
    add_config_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the status as one JSON object")
    parser.add_argument(
        "--seen-within",
        type=float,
        default=DEFAULT_SEEN_WITHIN_MINUTES,
        metavar="MINUTES",
        help="degraded unless an extension called the service this recently "
        f"(default {DEFAULT_SEEN_WITHIN_MINUTES}, a day)",
    )
    parser.set_defaults(func=run)


def collect(config: ServiceConfig, seen_within_seconds: float) -> dict[str, Any]:
    """The facts `status` reports, as plain data."""
    admin, admin_problem = _admin_token(config)
    try:
        with ServiceClient(config, read_token(config.token_file)) as client:  # proves the server first
            if admin is not None:
                client.prove_admin(admin)
            health: dict[str, Any] | None = client.get("/v1/health", admin)
        problem = None
    except (ServiceUnreachable, ServiceRefused, TokenError) as err:
        health, problem = None, str(err)
    try:
        paired = list(PairedOrigins(config.paired_origins_file))
    except ValueError as err:
        paired, problem = [], problem or str(err)
    running = health is not None
    watch = health.get("extensions") if running else None
    extensions = _extensions(config.allow_origins, paired, watch, seen_within_seconds)
    if not running:
        reasons = ["the service does not answer"]
    else:
        reasons = _degraded_reasons(health, extensions, watch, seen_within_seconds, admin_problem)
    state = "down" if not running else ("degraded" if reasons else "protected")
    return {
        "state": state,
        "reasons": reasons,
        "service_url": service_url(config),
        "running": running,
        "version": health.get("version") if running else None,
        "policy": health.get("policy_path")
        if running and "policy_path" in health
        else str(config.policy or ""),
        "policy_fingerprint": health.get("policy") if running else None,
        "policy_reload": health.get("reload") if running else None,
        "managed_config": str(machine_config_file()) if machine_config_file().is_file() else None,
        "allowed_origins": list(config.allow_origins),
        "paired_origins": paired,
        "extensions": extensions,
        "seen_within_seconds": seen_within_seconds,
        "watching_seconds": watch.get("watching_seconds") if watch else None,
        "audit_sinks": list(config.audit),
        "audit_collectors": list(config.audit_collectors),
        "audit": health.get("audit") if running else None,
        "problem": problem,
        "protected": state == "protected",
    }


def _extensions(
    allowed: tuple[str, ...], paired: list[str], watch: dict[str, Any] | None, within: float
) -> list[dict[str, Any]]:
    """Every allowed, paired or heard-from extension origin, with its browser and last call (most recent first)."""
    contacts = {c["origin"]: c for c in (watch or {}).get("contacts", [])}
    origins = dict.fromkeys([*contacts, *allowed, *paired])
    rows = []
    for origin in origins:
        contact = contacts.get(origin, {})
        admitted = [name for name, group in (("config", allowed), ("paired", paired)) if origin in group]
        rows.append(
            {
                "origin": origin,
                "admitted_by": admitted,
                "browser": contact.get("browser") or browser_family(origin, None),
                "last_seen": contact.get("last_seen"),
                "seconds_ago": contact.get("seconds_ago"),
                "recent": contact.get("seconds_ago") is not None and contact["seconds_ago"] <= within,
            }
        )
    return rows


def _degraded_reasons(
    health: dict[str, Any],
    extensions: list[dict[str, Any]],
    watch: dict[str, Any] | None,
    within: float,
    admin_problem: str | None,
) -> list[str]:
    """Why a running service does not fully protect this user (empty when it does)."""
    reasons = []
    if health.get("ok") is False:
        reasons.append("the edited policy was refused; the previous one still serves")
    if not extensions:
        reasons.append("no extension is allowed or paired")
    elif watch is None:
        reasons.append(
            f"cannot tell whether an extension talks to the service: {admin_problem or 'no admin answer'}"
        )
    elif not any(row["recent"] for row in extensions):
        reasons.append(
            f"no extension has called the service in the last {_duration(within)} "
            f"(it has been listening for {_duration(watch['watching_seconds'])})"
        )
    return reasons


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _admin_token(config: ServiceConfig) -> tuple[str | None, str | None]:
    """The admin token shows the policy's path, reload state and extension contacts; without it
    status shows the rest, and why."""
    try:
        return read_token(config.admin_token_file), None
    except TokenError as err:
        return None, str(err)


def _report(status: dict[str, Any]) -> str:
    lines = [
        f"service:    {'running' if status['running'] else 'NOT RUNNING'} at {status['service_url']}"
        + (f" (Discreet {status['version']})" if status["version"] else ""),
        f"policy:     {status['policy'] or '(none configured)'}",
        f"fingerprint: {status['policy_fingerprint'] or '-'}",
        f"managed:    {status['managed_config'] or 'no machine-wide config'}",
        *_extension_lines(status),
        f"audit:      {', '.join(status['audit_sinks']) or 'no audit events'}",
    ]
    if status["audit_collectors"]:
        lines.append(
            f"collector:  {', '.join(status['audit_collectors'])} (remote, named by the machine-wide config)"
        )
    reload = status["policy_reload"] or {}
    if reload.get("ok") is False:
        lines.append(
            f"reload:     the edited policy was refused, the previous one still serves: {reload['error']}"
        )
    if status["problem"]:
        lines.append(f"problem:    {status['problem']}")
    verdict = {
        "protected": "PROTECTED",
        "degraded": "DEGRADED (NOT PROTECTED)",
        "down": "DOWN (NOT PROTECTED)",
    }
    lines.append(verdict[status["state"]] + "".join(f"\n  - {reason}" for reason in status["reasons"]))
    return "\n".join(lines)


def _extension_lines(status: dict[str, Any]) -> list[str]:
    """One line per extension origin: how it is admitted, its browser and when it last called."""
    if not status["extensions"]:
        return ["extensions: none allowed or paired"]
    lines = []
    for index, row in enumerate(status["extensions"]):
        admitted = " and ".join(
            {"config": "allowed by config", "paired": "paired"}[a] for a in row["admitted_by"]
        )
        if row["seconds_ago"] is not None:
            heard = (
                f"last call {_duration(row['seconds_ago'])} ago ({row['last_seen']}) from {row['browser']}"
            )
        elif status["watching_seconds"] is not None:
            heard = f"no call since the service started {_duration(status['watching_seconds'])} ago"
        else:
            heard = "last call unknown"
        label = "extensions:" if index == 0 else ""
        lines.append(f"{label:<12}{row['origin']} ({admitted or 'no longer admitted'}): {heard}")
    return lines


def run(args: argparse.Namespace) -> int:
    try:
        config = load_service_config(args.config, {})
        config = replace(
            config, port=service_port(config)
        )  # this user's own port, as the service recorded it
    except ConfigError as err:
        print(f"discreet status: {err}", file=sys.stderr)
        return EXIT_BAD_CONFIG
    status = collect(config, args.seen_within * 60)
    print(json.dumps(status, indent=2) if args.json else _report(status))
    return EXIT_CODES[status["state"]]
