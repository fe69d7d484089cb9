"""Syslog as RFC 5424 says: one message per event, over a local datagram socket, UDP or TCP.

The message part is the event's JSON, so a collector that parses JSON (rsyslog's mmjsonparse, Splunk,
Elastic, Sentinel) gets every field without a custom parser. A datagram socket that nobody reads, a
collector that is down or slow: the write fails or times out here, in the sink's own thread, and the
dispatcher counts the event as dropped; a scan never waits on it.
"""

from __future__ import annotations

import os
import select
import socket
import time

from discreet.audit.events import AuditEvent
from discreet.audit.spec import SinkError, SinkSpec

APP_NAME = "discreet"
FACILITY_USER = 1
SEND_TIMEOUT = 1.0
RECONNECT_AFTER = 5.0  # seconds a TCP collector that refused is left alone, so each event fails at once


def header_name(text: str) -> str:
    """A syslog header field: printable ASCII without spaces, at most 255 characters, '-' when empty."""
    cleaned = "".join(ch for ch in text if 33 <= ord(ch) <= 126)[:255]
    return cleaned or "-"


def rfc5424(event: AuditEvent, hostname: str, pid: int) -> bytes:
    """`<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG`; MSGID is the event type."""
    pri = FACILITY_USER * 8 + event.kind.syslog_severity
    stamp = event.time.isoformat(timespec="microseconds").replace("+00:00", "Z")
    return f"<{pri}>1 {stamp} {header_name(hostname)} {APP_NAME} {pid} {event.type} - {event.json()}".encode()


def check_socket_path(spec: SinkSpec) -> None:
    """A socket path that cannot be right (no such folder, or a file that is not a socket) is an error at
    start; a socket that is not there yet is a sink that is down, and events are dropped until it appears."""
    path = spec.path
    if not path.parent.is_dir():
        raise SinkError(f"audit sink '{spec.text}': no folder {path.parent}")
    if path.exists() and not path.is_socket():
        raise SinkError(f"audit sink '{spec.text}': {path} is not a socket")


class SyslogSink:
    def __init__(self, spec: SinkSpec, hostname: str) -> None:
        self.spec = spec
        self._hostname = hostname
        self._pid = os.getpid()
        self._sock: socket.socket | None = None
        self._retry_at = 0.0
        if spec.transport == "unix":
            check_socket_path(spec)

    def write(self, event: AuditEvent) -> None:
        message = rfc5424(event, self._hostname, self._pid)
        if self.spec.transport == "tcp":
            message = f"{len(message)} ".encode() + message  # octet counting, RFC 6587
        try:
            self._connected().sendall(message)
        except OSError:
            self.close()
            if self.spec.transport == "tcp":
                self._retry_at = time.monotonic() + RECONNECT_AFTER
            raise

    def _connected(self) -> socket.socket:
        if self._sock is not None and self.spec.transport == "tcp" and _closed_by_peer(self._sock):
            self.close()  # the collector went away: writing now would lose the event without an error
        if self._sock is not None:
            return self._sock
        if time.monotonic() < self._retry_at:
            raise ConnectionRefusedError(f"{self.spec.text} refused a moment ago")
        self._sock = connect(self.spec)
        return self._sock

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def _closed_by_peer(sock: socket.socket) -> bool:
    """A collector never writes back, so a readable connection is one the other end has closed."""
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def connect(spec: SinkSpec) -> socket.socket:
    """A socket connected to the sink's address, with a send timeout (a full buffer fails, never hangs)."""
    if spec.transport == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        address: object = str(spec.path)
    else:
        kind = socket.SOCK_STREAM if spec.transport == "tcp" else socket.SOCK_DGRAM
        family, _, _, _, address = socket.getaddrinfo(spec.host, spec.port, type=kind)[0]
        sock = socket.socket(family, kind)
    sock.settimeout(SEND_TIMEOUT)
    try:
        sock.connect(address)
    except OSError:
        sock.close()
        raise
    return sock
