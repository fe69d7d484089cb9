"""`discreet status`: is this machine protected? The service answering, its policy, an extension allowed.

For IT checking a machine by hand or from a fleet tool. Exit status (documented in
docs/deploying.md): 0 protected (the service answers, a policy is loaded and its last reload was
accepted, an extension origin is allowed or paired); 1 degraded (the service answers but one of those
fails: posts may go out unchecked or under an old policy); 2 down (nothing answers); 3 the config
cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from discreet.service.client import ServiceClient, ServiceRefused, ServiceUnreachable, service_url
from discreet.service.config import ConfigError, ServiceConfig, load_service_config, machine_config_file
from discreet.service.pairing import PairedOrigins
from discreet.service.tokens import TokenError, read_token

EXIT_CODES = {"protected": 0, "degraded": 1, "down": 2}
EXIT_BAD_CONFIG = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "status",
        help="show whether the service runs, which policy it enforces and which extensions may call it",
        description="Checks the service on its configured address (GET /v1/health), the policy "
        "fingerprint and the allowed or paired extension origins. Exit status 0 when protected.",
    )
    parser.add_argument("--config", type=Path, help="config file to use instead of the user's config.toml")
    parser.add_argument("--json", action="store_true", help="print the status as one JSON object")
    parser.set_defaults(func=run)


def collect(config: ServiceConfig) -> dict[str, Any]:
    """The facts `status` reports, as plain data."""
    try:
        with ServiceClient(config, read_token(config.token_file)) as client:  # proves the server first
            health: dict[str, Any] | None = client.get("/v1/health", _admin_token(config))
        problem = None
    except (ServiceUnreachable, ServiceRefused, TokenError) as err:
        health, problem = None, str(err)
    try:
        paired = list(PairedOrigins(config.paired_origins_file))
    except ValueError as err:
        paired, problem = [], problem or str(err)
    running = health is not None
    reasons = (
        _degraded_reasons(health, config.allow_origins, paired)
        if running
        else ["the service does not answer"]
    )
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
        "audit_sinks": list(config.audit),
        "audit_collectors": list(config.audit_collectors),
        "audit": health.get("audit") if running else None,
        "problem": problem,
        "protected": state == "protected",
    }


def _degraded_reasons(health: dict[str, Any], allowed: tuple[str, ...], paired: list[str]) -> list[str]:
    """Why a running service does not fully protect this user (empty when it does)."""
    reasons = []
    if health.get("ok") is False:
        reasons.append("the edited policy was refused; the previous one still serves")
    if not (allowed or paired):
        reasons.append("no extension is allowed or paired")
    return reasons


def _admin_token(config: ServiceConfig) -> str | None:
    """The admin token shows the policy's path and reload state; without it, status shows the rest."""
    try:
        return read_token(config.admin_token_file)
    except TokenError:
        return None


def _report(status: dict[str, Any]) -> str:
    lines = [
        f"service:    {'running' if status['running'] else 'NOT RUNNING'} at {status['service_url']}"
        + (f" (Discreet {status['version']})" if status["version"] else ""),
        f"policy:     {status['policy'] or '(none configured)'}",
        f"fingerprint: {status['policy_fingerprint'] or '-'}",
        f"managed:    {status['managed_config'] or 'no machine-wide config'}",
        f"extensions: {', '.join(status['allowed_origins']) or 'none allowed by config'}",
        f"paired:     {', '.join(status['paired_origins']) or 'none'}",
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


def run(args: argparse.Namespace) -> int:
    try:
        config = load_service_config(args.config, {})
    except ConfigError as err:
        print(f"discreet status: {err}", file=sys.stderr)
        return EXIT_BAD_CONFIG
    status = collect(config)
    print(json.dumps(status, indent=2) if args.json else _report(status))
    return EXIT_CODES[status["state"]]
