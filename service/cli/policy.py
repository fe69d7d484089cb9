"""`discreet policy check P`: validate a policy and warn about what would misbehave, for people and for CI."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    policy = subparsers.add_parser("policy", help="work on policy files")
    actions = policy.add_subparsers(dest="policy_command", required=True)
    p = actions.add_parser(
        "check",
        help="validate a policy and warn about slow or over-broad patterns and doubtful roster entries",
        description="Exit status: 0 when the policy loads (warnings allowed), 1 on errors "
        "(or on warnings with --strict).",
    )
    p.add_argument("policy", type=Path, help="policy YAML file")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--json", action="store_true", help="print the issues as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from discreet.tuning.policy_check import ERROR, WARNING, check_policy

    issues = check_policy(args.policy)
    errors = sum(i.level == ERROR for i in issues)
    warnings = sum(i.level == WARNING for i in issues)
    if args.json:
        print(
            json.dumps(
                {"errors": errors, "warnings": warnings, "issues": [i.to_dict() for i in issues]}, indent=2
            )
        )
    else:
        for issue in issues:
            print(issue)
        verdict = "does not load" if errors else "loads"
        print(f"{args.policy}: {verdict}; {errors} error(s), {warnings} warning(s)")
    return 1 if errors or (args.strict and warnings) else 0
