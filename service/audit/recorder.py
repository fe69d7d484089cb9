"""The service's audit: builds each event (identity, host, version, policy fingerprint), counts it, and
hands it to every configured sink's queue."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from discreet import __version__
from discreet.audit.counters import Counters
from discreet.audit.dispatch import QueuedSink, Sink
from discreet.audit.events import UNKNOWN, AuditEvent, ClientEvent
from discreet.audit.identity import identity
from discreet.audit.local_sinks import FileSink, JournaldSink
from discreet.audit.platform_sinks import EventLogSink, OsLogSink
from discreet.audit.spec import SinkError, SinkSpec, parse_sink
from discreet.audit.syslog import SyslogSink
from discreet.engine.categories import Category
from discreet.service.egress_guard import allow_collector

# What one machine's extension may report, sustained and in a burst: far above a person's posting, far
# below a flood that would fill the security team's index (a buggy or hostile caller).
CLIENT_EVENTS_PER_SECOND = 10.0
CLIENT_EVENTS_BURST = 600


def open_sink(spec: SinkSpec, hostname: str) -> Sink:
    """The sink a spec names, opened; SinkError when it cannot work as configured."""
    if spec.collector is not None:
        allow_collector(spec.host, spec.port)
    if spec.kind == "syslog":
        return SyslogSink(spec, hostname)
    if spec.kind == "journald":
        return JournaldSink(spec)
    if spec.kind == "file":
        return FileSink(spec)
    if spec.kind == "eventlog":
        return EventLogSink(spec)
    return OsLogSink(spec)


class _Bucket:
    """A token bucket: `take(n)` says how many of n events may go now."""

    def __init__(self, rate: float, burst: int) -> None:
        self._rate, self._burst = rate, burst
        self._tokens = float(burst)
        self._at = time.monotonic()
        self._lock = threading.Lock()

    def take(self, wanted: int) -> int:
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
            self._at = now
            granted = min(wanted, int(self._tokens))
            self._tokens -= granted
            return granted


def _known(name: str | None, known: Collection[str]) -> str | None:
    return name if name is None or name in known else UNKNOWN


class Audit:
    def __init__(self, sinks: list[QueuedSink], user: dict[str, str], host: str) -> None:
        self.sinks = sinks
        self.counters = Counters()
        self.rate_limited = 0
        self._user = user
        self._host = host
        self._bucket = _Bucket(CLIENT_EVENTS_PER_SECOND, CLIENT_EVENTS_BURST)

    @classmethod
    def open(cls, sinks: Collection[str], identity_mode: str, key_file: Path) -> Audit:
        """Open every sink now, so a misconfigured one stops the start with SinkError saying which."""
        host = socket.gethostname()
        opened: list[QueuedSink] = []
        try:
            for text in sinks:
                opened.append(QueuedSink(text, open_sink(parse_sink(text), host)))
        except (SinkError, OSError) as err:
            for queued in opened:
                queued.close(timeout=0)
            raise SinkError(str(err)) from None
        return cls(opened, identity(identity_mode, key_file), host)

    def record(self, kind: str, policy: str, **fields: str | None) -> AuditEvent:
        event = AuditEvent(kind, policy, __version__, self._host, user=self._user, **fields)
        self.counters.add(event)
        for sink in self.sinks:
            sink.emit(event)
        return event

    def record_client(
        self,
        events: list[ClientEvent],
        policy: str,
        categories: Mapping[str, Category],
        recognizers: Collection[str],
    ) -> int:
        """Record what the extension reported; a name the serving policy does not define (a reload between
        the finding and its report) is recorded as "unknown". Returns how many were recorded."""
        granted = self._bucket.take(len(events))
        self.rate_limited += len(events) - granted
        for event in events[:granted]:
            category = categories.get(event.category or "")
            severity = event.severity or (category.severity if category else None)
            self.record(
                event.type,
                policy,
                site=event.site,
                category=_known(event.category, categories),
                recognizer=_known(event.recognizer, recognizers),
                severity=severity,
            )
        return granted

    def stats(self) -> dict[str, Any]:
        return {"sinks": [sink.stats() for sink in self.sinks], "rate_limited": self.rate_limited}

    def close(self, policy: str) -> None:
        """Record the stop and send what is queued before the process ends."""
        self.record("service_stop", policy)
        for sink in self.sinks:
            sink.close()
