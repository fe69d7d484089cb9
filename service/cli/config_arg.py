"""The `--config` option of every command that reads the service's settings, and `--port` of those that call
the running service: one wording for each."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="config file to use instead of the user's config.toml")


def add_running_service_arguments(parser: argparse.ArgumentParser) -> None:
    """`--port` and `--config`, for commands that talk to the service already running."""
    parser.add_argument("--port", type=int, help="port of the running service (default: from config)")
    add_config_argument(parser)
