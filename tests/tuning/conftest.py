"""Fixtures of the tuning tests: policies written for a test, the demo pack, the shared corpus, the CLI."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from discreet.cli import main
from discreet.cli.policy_arg import DEMO_POLICY


@dataclass
class Run:
    status: int
    out: str
    err: str


@pytest.fixture
def cli(capsys) -> Callable[..., Run]:
    """Run `discreet ARGS...` in this process; the exit status is what `discreet` would exit with."""

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        try:
            status = main([str(a) for a in args])
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


@pytest.fixture
def write_policy(tmp_path) -> Callable[..., Path]:
    """Write a policy YAML (dedented) and any named files beside it; return the policy's path."""

    def write(yaml_text: str, files: dict[str, str] | None = None) -> Path:
        folder = tmp_path / f"policy{len(list(tmp_path.glob('policy*')))}"
        folder.mkdir()
        for name, content in (files or {}).items():
            (folder / name).write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
        path = folder / "policy.yaml"
        path.write_text(textwrap.dedent(yaml_text).lstrip(), encoding="utf-8")
        return path

    return write


@pytest.fixture
def demo_pack(tmp_path) -> Path:
    """A private copy of the bundled demo policy pack; returns its policy.yaml."""
    shutil.copytree(DEMO_POLICY.parent, tmp_path / "demo")
    return tmp_path / "demo" / "policy.yaml"


@pytest.fixture
def small_corpus() -> str:
    """A labelled corpus (JSON lines) for the demo policy: a client, a change ticket, a clean post."""
    posts = [
        {
            "id": "p1",
            "text": "Riverside CH signed today.",
            "spans": [{"start": 0, "end": 12, "category": "client"}],
        },
        {
            "id": "p2",
            "text": "Change CHG-123456 is done.",
            "spans": [{"start": 7, "end": 17, "category": "project"}],
        },
        {"id": "p3", "text": "Lovely weather today.", "spans": []},
    ]
    return "".join(json.dumps(p) + "\n" for p in posts)
