"""Bounded concurrency for scans: a burst waits briefly for a slot, then gets 503 instead of piling up."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from discreet.recognizers.base import DeadlineExceeded, deadline
from discreet.service.http_errors import ApiError


class ScanGate:
    """At most `slots` scans run at once; a request waits `wait_seconds` for one, then is refused.

    Waitress bounds the threads and connections, so the waiting requests are bounded too: memory
    stays proportional to slots + threads, whatever the burst.
    """

    def __init__(self, slots: int, wait_seconds: float) -> None:
        self._slots = threading.BoundedSemaphore(slots)
        self._wait = wait_seconds

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self._slots.acquire(timeout=self._wait):
            raise ApiError(503, "busy", "the service is busy; try again shortly", {"Retry-After": "1"})
        try:
            yield
        finally:
            self._slots.release()


@contextmanager
def within_deadline(seconds: float) -> Iterator[None]:
    """One deadline for everything a request scans; past it the request is refused, not half-answered."""
    try:
        with deadline(seconds):
            yield
    except DeadlineExceeded:
        raise ApiError(503, "too_slow", "the policy took too long on this text; try again") from None
