"""The `--policy` option every command shares, and loading it with a readable error instead of a traceback."""

from __future__ import annotations

import argparse
import sys
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from discreet.engine.policy import Policy

DEMO_POLICY = Path(str(files("discreet.recognizers") / "packs" / "demo" / "policy.yaml"))


def add_policy_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy", type=Path, default=DEMO_POLICY, help="policy YAML file (default: the bundled demo policy)"
    )


def load_or_exit(path: Path) -> Policy:
    """Load the policy; on a problem print `file:line: what is wrong` for each and exit with status 2."""
    from discreet.engine.policy import PolicyError, load_policy

    try:
        return load_policy(path)
    except PolicyError as err:
        for problem in err.problems:
            print(f"discreet: policy error: {problem}", file=sys.stderr)
        raise SystemExit(2) from None
