"""Fixtures for the engine tests: the bundled demo policy, the shared corpus, and scanners built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from discreet.policy import load_policy
from discreet.policy_arg import DEMO_POLICY
from discreet.scanner import Scanner

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def demo_scanner() -> Scanner:
    return Scanner(load_policy(DEMO_POLICY))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS / "corpus.jsonl").exists():
        pytest.fail(f"the shared corpus is missing: expected it at {CORPUS}")
    return CORPUS


@pytest.fixture
def scan(demo_scanner):
    """Scan with the demo policy and return (text, category) pairs, the way a user reads the result."""

    def run(text: str) -> list[tuple[str, str]]:
        return [(f.text, f.category) for f in demo_scanner.scan(text)]

    return run
