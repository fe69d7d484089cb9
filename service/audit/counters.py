"""Events counted in memory, per day and per (type, site, category, recognizer, severity): what the lab and
`discreet report` show when no event file is kept. Bounded by the policy's names and the days kept."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date, timedelta

from discreet.audit.events import AuditEvent

DAYS_KEPT = 92

Key = tuple[str, str, str, str, str, str]  # day, type, site, category, recognizer, severity


def row(key: Key, count: int) -> dict[str, object]:
    day, kind, site, category, recognizer, severity = key
    return {
        "day": day,
        "type": kind,
        "site": site,
        "category": category,
        "recognizer": recognizer,
        "severity": severity,
        "count": count,
    }


def key_of(event: AuditEvent) -> Key:
    return (
        event.day,
        event.type,
        event.site or "",
        event.category or "",
        event.recognizer or "",
        event.severity or "",
    )


class Counters:
    def __init__(self) -> None:
        self._counts: Counter[Key] = Counter()
        self._lock = threading.Lock()
        self._newest_day = ""

    def add(self, event: AuditEvent) -> None:
        key = key_of(event)
        with self._lock:
            self._counts[key] += 1
            if key[0] > self._newest_day:
                self._newest_day = key[0]
                oldest = (date.fromisoformat(key[0]) - timedelta(days=DAYS_KEPT)).isoformat()
                for stale in [k for k in self._counts if k[0] < oldest]:
                    del self._counts[stale]

    def rows(self) -> list[dict[str, object]]:
        with self._lock:
            return [row(key, count) for key, count in sorted(self._counts.items())]
