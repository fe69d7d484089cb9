"""The operating system's own logs: the Windows Event Log and the macOS unified log.

Each sink talks to its OS through a small API object, so the code that shapes the entry is the same code
the tests drive (with a recording API) on machines where the OS log is not there.
"""

from __future__ import annotations

import sys
from typing import Protocol

from discreet.audit.events import KINDS, AuditEvent
from discreet.audit.spec import SinkError, SinkSpec

# One Event ID per event type, stable across versions: a Windows collector filters on them.
EVENT_IDS = {name: 1001 + index for index, name in enumerate(KINDS)}
# ReportEventW's wType: RFC 5424 severities 0-3 are errors, 4 warnings, the rest information.
EVENTLOG_ERROR, EVENTLOG_WARNING, EVENTLOG_INFORMATION = 0x0001, 0x0002, 0x0004


def eventlog_type(syslog_severity: int) -> int:
    if syslog_severity <= 3:
        return EVENTLOG_ERROR
    return EVENTLOG_WARNING if syslog_severity == 4 else EVENTLOG_INFORMATION


class EventLogApi(Protocol):
    def report(self, event_type: int, event_id: int, message: str) -> None: ...

    def close(self) -> None: ...


class Advapi32EventLog:
    """RegisterEventSourceW / ReportEventW. The MSI registers the source under the Application log with a
    message file whose only message is `%1`, so Event Viewer shows the JSON as the event's text."""

    def __init__(self, source: str) -> None:
        import ctypes
        from ctypes import wintypes

        self._advapi = ctypes.WinDLL("advapi32", use_last_error=True)
        self._advapi.RegisterEventSourceW.restype = wintypes.HANDLE
        self._advapi.RegisterEventSourceW.argtypes = [wintypes.LPCWSTR, wintypes.LPCWSTR]
        self._advapi.ReportEventW.argtypes = [
            wintypes.HANDLE, wintypes.WORD, wintypes.WORD, wintypes.DWORD, ctypes.c_void_p,
            wintypes.WORD, wintypes.DWORD, ctypes.POINTER(wintypes.LPCWSTR), ctypes.c_void_p,
        ]  # fmt: skip
        self._ctypes, self._wintypes = ctypes, wintypes
        self._handle = self._advapi.RegisterEventSourceW(None, source)
        if not self._handle:
            raise SinkError(
                f"audit sink 'eventlog:{source}': cannot open the event source ({ctypes.get_last_error()})"
            )

    def report(self, event_type: int, event_id: int, message: str) -> None:
        strings = (self._wintypes.LPCWSTR * 1)(message)
        if not self._advapi.ReportEventW(self._handle, event_type, 0, event_id, None, 1, 0, strings, None):
            raise OSError(self._ctypes.get_last_error(), "ReportEventW failed")

    def close(self) -> None:
        self._advapi.DeregisterEventSource(self._handle)


class EventLogSink:
    def __init__(self, spec: SinkSpec, api: EventLogApi | None = None) -> None:
        self.spec = spec
        if api is None:
            if sys.platform != "win32":
                raise SinkError(f"audit sink '{spec.text}': the Windows Event Log exists on Windows only")
            api = Advapi32EventLog(spec.name)
        self._api = api

    def write(self, event: AuditEvent) -> None:
        self._api.report(eventlog_type(event.kind.syslog_severity), EVENT_IDS[event.type], event.json())

    def close(self) -> None:
        self._api.close()


class OsLogApi(Protocol):
    def log(self, priority: int, message: str) -> None: ...

    def close(self) -> None: ...


class SyslogCall:
    """syslog(3), which on macOS writes to the unified log (`log show --predicate 'process == "discreet"'`)."""

    def __init__(self) -> None:
        import syslog

        self._syslog = syslog
        syslog.openlog("discreet", syslog.LOG_PID, syslog.LOG_USER)

    def log(self, priority: int, message: str) -> None:
        self._syslog.syslog(priority, message)

    def close(self) -> None:
        self._syslog.closelog()


class OsLogSink:
    def __init__(self, spec: SinkSpec, api: OsLogApi | None = None) -> None:
        self.spec = spec
        if api is None:
            if sys.platform != "darwin":
                raise SinkError(f"audit sink '{spec.text}': the unified log exists on macOS only")
            api = SyslogCall()
        self._api = api

    def write(self, event: AuditEvent) -> None:
        self._api.log(event.kind.syslog_severity, event.json())

    def close(self) -> None:
        self._api.close()
