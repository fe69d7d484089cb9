"""Each sink behind a bounded queue and a thread of its own: recording an event never waits on a sink.

A sink that is down fails each write (the event is counted as dropped); a slow one lets its queue fill,
and events that find it full are dropped and counted at once. A scan or an extension request only ever
pays for one `put_nowait`.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from typing import Protocol

from discreet.audit.events import AuditEvent

log = logging.getLogger("discreet.audit")
QUEUE_SIZE = 2048
WARN_EVERY = 60.0  # seconds between log lines about one failing sink
_STOP = object()


class Sink(Protocol):
    def write(self, event: AuditEvent) -> None: ...

    def close(self) -> None: ...


class QueuedSink:
    """A sink, its queue and its thread; `sent` and `dropped` count events since start."""

    def __init__(self, name: str, sink: Sink, size: int = QUEUE_SIZE) -> None:
        self.name = name
        self.sink = sink
        self.sent = 0
        self.dropped = 0
        self._queue: queue.Queue = queue.Queue(size)
        self._lock = threading.Lock()
        self._warned_at = -WARN_EVERY
        self._thread = threading.Thread(target=self._run, name=f"discreet-audit {name}", daemon=True)
        self._thread.start()

    def emit(self, event: AuditEvent) -> None:
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            self._count_drop("its queue is full (the sink is slow or down)")

    def _run(self) -> None:
        while (event := self._queue.get()) is not _STOP:
            try:
                self.sink.write(event)
            except Exception as err:  # any failure of a sink is a dropped event, never a dead thread
                self._count_drop(f"{type(err).__name__}: {err}")
            else:
                with self._lock:
                    self.sent += 1

    def _count_drop(self, why: str) -> None:
        with self._lock:
            self.dropped += 1
            now = time.monotonic()
            warn = now - self._warned_at >= WARN_EVERY
            if warn:
                self._warned_at = now
        if warn:
            log.warning(
                "audit sink %s dropped an event: %s (%d dropped so far)", self.name, why, self.dropped
            )

    def stats(self) -> dict[str, object]:
        return {"sink": self.name, "sent": self.sent, "dropped": self.dropped, "queued": self._queue.qsize()}

    def close(self, timeout: float = 5.0) -> None:
        """Send what is queued (for at most `timeout` seconds), then close the sink."""
        deadline = time.monotonic() + timeout
        with contextlib.suppress(queue.Full):
            self._queue.put(_STOP, timeout=timeout)
        self._thread.join(max(0.0, deadline - time.monotonic()))
        if not self._thread.is_alive():
            self.sink.close()
