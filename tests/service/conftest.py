"""Fixtures of the service tests; the helpers they use live in service_harness.py."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from service_harness import ServiceProcess


@pytest.fixture
def serve(tmp_path):
    """Start `discreet serve ARGS...`; every process started is stopped at the end of the test."""
    started: list[ServiceProcess] = []

    def start(*args: str, strace: bool = False, root: Path | None = None) -> ServiceProcess:
        process = ServiceProcess(root or tmp_path / f"svc{len(started)}", list(args), strace).start()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.proc.poll() is None:
            process.stop(signal.SIGKILL)
