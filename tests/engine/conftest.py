"""Fixtures for the engine tests (the shared ones are in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def scan(demo_scanner):
    """Scan with the demo policy and return (text, category) pairs, the way a user reads the result."""

    def run(text: str) -> list[tuple[str, str]]:
        return [(f.text, f.category) for f in demo_scanner.scan(text)]

    return run
