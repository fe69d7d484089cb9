"""Where audit events go, as IT writes it (`--audit SINK`, `audit = [...]` in config.toml), parsed and checked.

Standard library only: `discreet status` reads the config, and must not load anything heavy to do so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from discreet.service.egress_guard import is_loopback

DEV_LOG = Path("/dev/log")
JOURNAL_SOCKET = Path("/run/systemd/journal/socket")
SYSLOG_PORT = 514
EVENTLOG_SOURCE = "Discreet"
FORMS = (
    "syslog:  syslog:unix:PATH  syslog:udp://HOST:PORT  syslog:tcp://HOST:PORT  journald  journald:PATH  "
    "file:PATH  eventlog  eventlog:SOURCE  oslog"
)


class SinkError(ValueError):
    """An audit sink that cannot be used as written; str() names the sink and what is wrong."""


@dataclass(frozen=True, slots=True)
class SinkSpec:
    """One sink: `kind` is syslog, journald, file, eventlog or oslog; `transport` unix, udp or tcp for syslog."""

    text: str
    kind: str
    transport: str | None = None
    path: Path | None = None
    host: str | None = None
    port: int | None = None
    name: str | None = None  # the Windows event source

    @property
    def collector(self) -> str | None:
        """`host:port` of a syslog collector on another machine; None for everything that stays local."""
        if self.host is None or is_loopback(self.host):
            return None
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_sink(text: str, base: Path | None = None) -> SinkSpec:
    """Read one sink; relative file paths resolve against `base` (the config file's folder, or the cwd)."""
    kind, _, rest = text.partition(":")
    if kind in ("udp", "tcp"):  # `udp://host:port` is short for `syslog:udp://host:port`
        kind, rest = "syslog", text
    if kind == "syslog":
        return _syslog(text, rest)
    if kind == "journald":
        return SinkSpec(text, "journald", "unix", Path(rest) if rest else JOURNAL_SOCKET)
    if kind == "file" and rest:
        path = Path(rest).expanduser()
        return SinkSpec(text, "file", path=path if path.is_absolute() else (base or Path.cwd()) / path)
    if kind == "eventlog":
        return SinkSpec(text, "eventlog", name=rest or EVENTLOG_SOURCE)
    if kind == "oslog" and not rest:
        return SinkSpec(text, "oslog")
    raise SinkError(f"audit sink '{text}' is not one of: {FORMS}")


def _syslog(text: str, rest: str) -> SinkSpec:
    if not rest:
        return SinkSpec(text, "syslog", "unix", DEV_LOG)
    if rest.startswith("unix:") and len(rest) > 5:
        return SinkSpec(text, "syslog", "unix", Path(rest[5:]))
    scheme, sep, address = rest.partition("://")
    if scheme not in ("udp", "tcp") or not sep or not address:
        raise SinkError(
            f"audit sink '{text}': write syslog:unix:PATH, syslog:udp://HOST:PORT or syslog:tcp://HOST:PORT"
        )
    host, port = _host_port(text, address)
    return SinkSpec(text, "syslog", scheme, host=host, port=port)


def _host_port(text: str, address: str) -> tuple[str, int]:
    if address.startswith("["):
        host, _, tail = address[1:].partition("]")
        port_text = tail[1:] if tail.startswith(":") else ""
    else:
        host, _, port_text = address.rpartition(":") if ":" in address else (address, "", "")
    if not host or "/" in host or " " in host:
        raise SinkError(f"audit sink '{text}': '{address}' is not HOST:PORT")
    if not port_text:
        return host, SYSLOG_PORT
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SinkError(f"audit sink '{text}': port '{port_text}' is not a number from 1 to 65535")
    return host, int(port_text)


def check_collectors(sinks: tuple[str, ...], allowed: tuple[str, ...], machine_file: Path) -> None:
    """A sink on another machine is the one outbound connection Discreet makes: only the machine's admin
    config may name one, so a user (or a process writing the user's config) cannot send events elsewhere."""
    for text in sinks:
        collector = parse_sink(text).collector
        if collector is not None and collector not in allowed:
            raise SinkError(
                f"audit sink '{text}' sends events to another machine ({collector}); only the machine-wide "
                f"config ({machine_file}) may name a remote collector"
            )
