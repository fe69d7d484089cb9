"""The figures people tune a policy by, from events: counts per category and recognizer, how often each
recognizer's findings are overridden (per severity), and the trend per day.

One function serves `discreet report` (from the event file or the service's counters) and the lab's chart.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from discreet.audit.counters import key_of, row
from discreet.audit.events import KINDS, AuditEvent

# Letting a finding through after seeing it: "Post anyway" and "Ignore here".
OVERRIDES = ("posted_anyway", "ignored")
USER_TYPES = ("finding_shown", "post_blocked", "posted_anyway", "replaced", "ignored", "post_unchecked")


def rows_from_file(path: Path, backups: int = 5) -> Iterator[dict[str, Any]]:
    """Count rows (count 1 each) from an event file and its rotated copies; lines that are not events of
    this schema (a truncated last line, another program's line) are skipped."""
    for candidate in [path.with_name(f"{path.name}.{n}") for n in range(backups, 0, -1)] + [path]:
        try:
            lines = candidate.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            continue
        for line in lines:
            event = event_from_json(line)
            if event is not None:
                yield row(key_of(event), 1)


def event_from_json(line: str) -> AuditEvent | None:
    """An AuditEvent back from its JSON line; None when the line is not one."""
    try:
        record = json.loads(line)
        kind = record["event"]["action"]
        stamp = datetime.fromisoformat(record["@timestamp"].replace("Z", "+00:00"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if kind not in KINDS:
        return None
    rule, extra = record.get("rule", {}), record.get("discreet", {})
    return AuditEvent(
        kind,
        extra.get("policy", {}).get("fingerprint", ""),
        record.get("observer", {}).get("version", ""),
        record.get("host", {}).get("name", ""),
        site=extra.get("site"),
        category=rule.get("category"),
        recognizer=rule.get("name"),
        severity=extra.get("severity"),
        time=stamp,
    )


def summarize(rows: Iterable[dict[str, Any]], days: int, today: date | None = None) -> dict[str, Any]:
    """The report over the last `days` days (today included)."""
    today = today or datetime.now(UTC).date()
    first = (today - timedelta(days=days - 1)).isoformat()
    by_type: Counter[str] = Counter()
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    by_recognizer: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    per_day: dict[str, Counter[str]] = {
        (today - timedelta(days=n)).isoformat(): Counter() for n in range(days)
    }
    for r in rows:
        if r["day"] < first or r["day"] > today.isoformat():
            continue
        kind, count = r["type"], r["count"]
        by_type[kind] += count
        per_day[r["day"]][kind] += count
        if kind in USER_TYPES and r["category"]:
            by_category[r["category"]][kind] += count
        if kind in USER_TYPES and r["recognizer"]:
            by_recognizer[(r["recognizer"], r["category"], r["severity"])][kind] += count
    return {
        "since": first,
        "until": today.isoformat(),
        "days": days,
        "totals": {kind: by_type[kind] for kind in KINDS if by_type[kind]},
        "categories": [{"category": name, **_counts(c)} for name, c in sorted(by_category.items())],
        "recognizers": sorted(
            (
                {"recognizer": name, "category": category, "severity": severity, **_counts(c), **_rate(c)}
                for (name, category, severity), c in by_recognizer.items()
            ),
            key=lambda r: (-(r["override_rate"] or 0), -r["finding_shown"], r["recognizer"], r["severity"]),
        ),
        "per_day": [{"day": day, **_counts(per_day[day])} for day in sorted(per_day)],
    }


def _counts(counter: Counter[str]) -> dict[str, int]:
    return {kind: counter[kind] for kind in USER_TYPES}


def _rate(counter: Counter[str]) -> dict[str, Any]:
    """Overrides per finding shown; None when nothing was shown (a rate of nothing is not 0%)."""
    overrides = sum(counter[kind] for kind in OVERRIDES)
    shown = counter["finding_shown"]
    return {"overrides": overrides, "override_rate": round(overrides / shown, 3) if shown else None}
