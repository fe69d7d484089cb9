"""The audit event: its fields, its one JSON shape (Elastic Common Schema), and the checks on what the
extension reports.

Every value an event carries is a word from a closed set (event type, site, severity) or a name the
loaded policy defines (category, recognizer): nothing the extension sends can smuggle text through, since a
value the policy does not define is refused or recorded as "unknown".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SCHEMA_VERSION = 1
ECS_VERSION = "8.11.0"
SITES = ("linkedin", "x", "other")
SEVERITIES = ("block", "warn", "info")
MAX_CLIENT_EVENTS = 100
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Kind:
    """How one event type maps onto ECS and syslog. `action` is what the event means for enforcement:
    alert (shown), deny (stopped), override (let through after a warning), remediate (fixed), bypass (not
    checked), lifecycle (the service itself)."""

    ecs_category: str
    ecs_type: str
    outcome: str
    action: str
    syslog_severity: int  # RFC 5424: 3 error, 4 warning, 5 notice, 6 informational
    from_extension: bool


KINDS: dict[str, Kind] = {
    "finding_shown": Kind("intrusion_detection", "info", "unknown", "alert", 5, True),
    "post_blocked": Kind("intrusion_detection", "denied", "success", "deny", 4, True),
    "posted_anyway": Kind("intrusion_detection", "allowed", "success", "override", 4, True),
    "replaced": Kind("intrusion_detection", "change", "success", "remediate", 6, True),
    "ignored": Kind("intrusion_detection", "allowed", "success", "override", 5, True),
    "post_unchecked": Kind("intrusion_detection", "allowed", "failure", "bypass", 4, True),
    "service_start": Kind("process", "start", "success", "lifecycle", 6, False),
    "service_stop": Kind("process", "end", "success", "lifecycle", 6, False),
    "policy_reload": Kind("configuration", "change", "success", "lifecycle", 5, False),
    "policy_reload_refused": Kind("configuration", "change", "failure", "lifecycle", 3, False),
}
CLIENT_TYPES = tuple(name for name, kind in KINDS.items() if kind.from_extension)
# Events about a post as a whole may leave out which finding they concern.
_POST_LEVEL = {"post_blocked", "post_unchecked"}
_CLIENT_FIELDS = {"type", "site", "category", "recognizer", "severity"}
# Policy names are words, spaces and a little punctuation; anything else cannot be one.
_NAME = re.compile(r"[\w][\w .,:()'/&+-]{0,79}")


class EventError(ValueError):
    """A batch from the extension that breaks the contract; str() says which event and field."""


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One thing that happened. `user` is {} or {"id": pseudonym} or {"name": OS user}, as configured."""

    type: str
    policy: str  # the fingerprint of the policy that was serving
    version: str
    host: str
    site: str | None = None
    category: str | None = None
    recognizer: str | None = None
    severity: str | None = None
    user: dict[str, str] = field(default_factory=dict)
    time: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def kind(self) -> Kind:
        return KINDS[self.type]

    @property
    def day(self) -> str:
        return self.time.date().isoformat()

    def record(self) -> dict[str, Any]:
        """The event as one ECS document; absent values are left out rather than sent empty."""
        kind = self.kind
        rule = {"name": self.recognizer, "category": self.category}
        discreet = {
            "schema_version": SCHEMA_VERSION,
            "action": kind.action,
            "site": self.site,
            "severity": self.severity,
            "policy": {"fingerprint": self.policy},
        }
        document: dict[str, Any] = {
            "@timestamp": self.time.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "ecs": {"version": ECS_VERSION},
            "event": {
                "kind": "event",
                "category": [kind.ecs_category],
                "type": [kind.ecs_type],
                "action": self.type,
                "outcome": kind.outcome,
                "severity": kind.syslog_severity,
                "module": "discreet",
                "dataset": "discreet.audit",
                "provider": "extension" if kind.from_extension else "service",
            },
            "rule": _present(rule),
            "observer": {"vendor": "Discreet", "product": "Discreet", "type": "dlp", "version": self.version},
            "host": {"name": self.host},
            "user": dict(self.user),
            "discreet": _present(discreet),
        }
        return {key: value for key, value in document.items() if value}

    def json(self) -> str:
        """One line of compact, ASCII-only JSON (no byte of it needs escaping in syslog or journald)."""
        return json.dumps(self.record(), separators=(",", ":"), sort_keys=False)


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


@dataclass(frozen=True, slots=True)
class ClientEvent:
    """An event as the extension reports it, checked field by field."""

    type: str
    site: str
    category: str | None
    recognizer: str | None
    severity: str | None


def parse_client_events(body: dict[str, Any]) -> list[ClientEvent]:
    """The `events` of a POST /v1/events body; EventError names the first event and field that is wrong."""
    if set(body) != {"events"} or not isinstance(body["events"], list):
        raise EventError('send {"events": [...]}')
    events = body["events"]
    if len(events) > MAX_CLIENT_EVENTS:
        raise EventError(f"at most {MAX_CLIENT_EVENTS} events per request, got {len(events)}")
    return [_client_event(index, event) for index, event in enumerate(events)]


def _client_event(index: int, event: Any) -> ClientEvent:
    where = f"event {index}"
    if not isinstance(event, dict):
        raise EventError(f"{where}: must be an object")
    unknown = set(event) - _CLIENT_FIELDS
    if unknown:
        raise EventError(f"{where}: unknown field; the fields are {', '.join(sorted(_CLIENT_FIELDS))}")
    kind = event.get("type")
    if kind not in CLIENT_TYPES:
        raise EventError(f"{where}: 'type' must be one of {', '.join(CLIENT_TYPES)}")
    site = event.get("site", "other")
    if site not in SITES:
        raise EventError(f"{where}: 'site' must be one of {', '.join(SITES)}")
    severity = event.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise EventError(f"{where}: 'severity' must be one of {', '.join(SEVERITIES)}")
    names = {}
    for name in ("category", "recognizer"):
        value = event.get(name)
        if value is None and kind not in _POST_LEVEL:
            raise EventError(f"{where}: '{name}' is required for {kind}")
        if value is not None and (not isinstance(value, str) or not _NAME.fullmatch(value)):
            raise EventError(f"{where}: '{name}' must be the name the service gave the finding")
        names[name] = value
    return ClientEvent(kind, site, names["category"], names["recognizer"], severity)
