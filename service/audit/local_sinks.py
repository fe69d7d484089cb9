"""Sinks for machines without a syslog pipeline: a size-capped JSON-lines file, and journald's own protocol.

journald's native protocol is a datagram of `FIELD=value` lines on its socket: structured fields (queryable
with `journalctl DISCREET_EVENT=posted_anyway`) without linking libsystemd.
"""

from __future__ import annotations

import os
import socket
import struct
from pathlib import Path

from discreet.audit.events import AuditEvent
from discreet.audit.spec import SinkError, SinkSpec
from discreet.audit.syslog import APP_NAME, FACILITY_USER, SEND_TIMEOUT, check_socket_path

FILE_MAX_BYTES = 10 * 1024 * 1024
FILE_BACKUPS = 5


class FileSink:
    """JSON lines, one event each; at FILE_MAX_BYTES the file moves to PATH.1 (PATH.1 to PATH.2, ...) and
    the oldest beyond FILE_BACKUPS goes, so the events never take more than 60 MB. Files are 0600."""

    def __init__(self, spec: SinkSpec, max_bytes: int = FILE_MAX_BYTES, backups: int = FILE_BACKUPS) -> None:
        self.spec = spec
        self.path: Path = spec.path
        self._max_bytes, self._backups = max_bytes, backups
        if not self.path.parent.is_dir():
            raise SinkError(f"audit sink '{spec.text}': no folder {self.path.parent}")
        try:
            self._fd = self._open()
        except OSError as err:
            raise SinkError(f"audit sink '{spec.text}': cannot write {self.path}: {err.strerror}") from None

    def _open(self) -> int:
        return os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def write(self, event: AuditEvent) -> None:
        line = (event.json() + "\n").encode()
        size = os.fstat(self._fd).st_size
        if size and size + len(line) > self._max_bytes:
            self._rotate()
        os.write(self._fd, line)

    def _rotate(self) -> None:
        os.close(self._fd)
        for index in range(self._backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{index}")
            if older.exists():
                older.replace(self.path.with_name(f"{self.path.name}.{index + 1}"))
        self.path.replace(self.path.with_name(f"{self.path.name}.1"))
        self._fd = self._open()

    def close(self) -> None:
        os.close(self._fd)


def journal_fields(event: AuditEvent) -> dict[str, str]:
    """The journal entry: the JSON as MESSAGE, each field also as its own DISCREET_* field."""
    fields = {
        "MESSAGE": event.json(),
        "PRIORITY": str(event.kind.syslog_severity),
        "SYSLOG_FACILITY": str(FACILITY_USER),
        "SYSLOG_IDENTIFIER": APP_NAME,
        "DISCREET_SCHEMA_VERSION": str(event.record()["discreet"]["schema_version"]),
        "DISCREET_EVENT": event.type,
        "DISCREET_ACTION": event.kind.action,
        "DISCREET_SITE": event.site,
        "DISCREET_CATEGORY": event.category,
        "DISCREET_RECOGNIZER": event.recognizer,
        "DISCREET_SEVERITY": event.severity,
        "DISCREET_POLICY": event.policy,
        "DISCREET_VERSION": event.version,
        "DISCREET_USER_ID": event.user.get("id"),
        "DISCREET_USER_NAME": event.user.get("name"),
    }
    return {key: value for key, value in fields.items() if value is not None}


def journal_datagram(fields: dict[str, str]) -> bytes:
    """The native protocol: `KEY=value\\n`, or for a value with a newline `KEY\\n<u64 LE length>value\\n`."""
    out = bytearray()
    for key, value in fields.items():
        data = value.encode()
        if b"\n" in data:
            out += key.encode() + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
        else:
            out += key.encode() + b"=" + data + b"\n"
    return bytes(out)


class JournaldSink:
    def __init__(self, spec: SinkSpec) -> None:
        self.spec = spec
        check_socket_path(spec)
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.settimeout(SEND_TIMEOUT)

    def write(self, event: AuditEvent) -> None:
        self._sock.sendto(journal_datagram(journal_fields(event)), str(self.spec.path))

    def close(self) -> None:
        self._sock.close()
