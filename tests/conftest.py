"""Fixtures every test folder shares: the demo policy's scanner and the shared corpus beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from discreet.cli.policy_arg import DEMO_POLICY
from discreet.engine.policy import load_policy
from discreet.engine.scanner import Scanner

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def demo_scanner() -> Scanner:
    return Scanner(load_policy(DEMO_POLICY))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS / "corpus.jsonl").exists():
        pytest.fail(f"the shared corpus is missing: expected it at {CORPUS}")
    return CORPUS
