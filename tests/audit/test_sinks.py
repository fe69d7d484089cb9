"""Each sink on its own, through real sockets and files (the OS logs of other platforms through their API
objects), the slow-sink guarantee, and the misconfigurations that must stop the start."""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import time

import pytest
from service_harness import DEMO_PACK, DISCREET

from discreet.audit.dispatch import QueuedSink
from discreet.audit.events import AuditEvent, EventError, parse_client_events
from discreet.audit.local_sinks import FileSink, JournaldSink
from discreet.audit.platform_sinks import EVENT_IDS, EVENTLOG_WARNING, EventLogSink, OsLogSink
from discreet.audit.spec import SinkError, parse_sink
from discreet.audit.syslog import SyslogSink
from discreet.service.config import ConfigError, load_config

EVENT = dict(policy="f00d", version="0.1.0", host="laptop-7")


def shown(**fields) -> AuditEvent:
    values = dict(site="linkedin", category="client", recognizer="Northgate client roster", severity="warn")
    return AuditEvent("posted_anyway", **EVENT, **{**values, **fields})


def parse_journal(datagram: bytes) -> dict[str, str]:
    """journald's native protocol, as systemd documents it."""
    fields, rest = {}, datagram
    while rest:
        line, _, tail = rest.partition(b"\n")
        if b"=" in line:
            key, _, value = line.partition(b"=")
            rest = tail
        else:
            key, (size,) = line, struct.unpack("<Q", tail[:8])
            value, rest = tail[8 : 8 + size], tail[9 + size :]
        fields[key.decode()] = value.decode()
    return fields


def test_journald_gets_structured_fields_over_its_socket(tmp_path):
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(tmp_path / "socket"))
    sink = JournaldSink(parse_sink(f"journald:{tmp_path / 'socket'}"))
    sink.write(shown())
    fields = parse_journal(receiver.recv(65536))
    assert fields["DISCREET_EVENT"] == "posted_anyway"
    assert fields["DISCREET_RECOGNIZER"] == "Northgate client roster"
    assert (fields["PRIORITY"], fields["SYSLOG_IDENTIFIER"], fields["DISCREET_ACTION"]) == (
        "4",
        "discreet",
        "override",
    )
    assert '"action":"posted_anyway"' in fields["MESSAGE"]


def test_the_file_sink_rotates_and_caps_what_it_keeps(tmp_path):
    sink = FileSink(parse_sink(f"file:{tmp_path / 'events.jsonl'}"), max_bytes=2000, backups=2)
    for _ in range(40):
        sink.write(shown())
    sink.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["events.jsonl", "events.jsonl.1", "events.jsonl.2"]
    assert all((tmp_path / name).stat().st_size <= 2000 for name in files)
    assert all((tmp_path / name).stat().st_mode & 0o777 == 0o600 for name in files)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def report(self, *args) -> None:
        self.calls.append(args)

    def log(self, *args) -> None:
        self.calls.append(args)

    def close(self) -> None:
        self.calls.append(("closed",))


def test_windows_event_log_and_macos_unified_log_entries():
    eventlog, oslog, event = Recorder(), Recorder(), shown()
    EventLogSink(parse_sink("eventlog"), api=eventlog).write(event)
    OsLogSink(parse_sink("oslog"), api=oslog).write(event)
    assert eventlog.calls == [(EVENTLOG_WARNING, EVENT_IDS["posted_anyway"], event.json())]
    assert oslog.calls == [(4, event.json())]  # LOG_WARNING
    with pytest.raises(SinkError, match="on Windows only"):
        EventLogSink(parse_sink("eventlog"))
    with pytest.raises(SinkError, match="on macOS only"):
        OsLogSink(parse_sink("oslog"))


def test_a_slow_sink_drops_and_counts_instead_of_waiting(tmp_path):
    never_read = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    never_read.bind(str(tmp_path / "slow.sock"))
    queued = QueuedSink(
        "slow", SyslogSink(parse_sink(f"syslog:unix:{tmp_path / 'slow.sock'}"), "host"), size=64
    )
    started = time.perf_counter()
    for _ in range(3000):
        queued.emit(shown())
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0  # a full second of one blocked send would show here
    stats = queued.stats()
    assert stats["dropped"] >= 3000 - 64 - 100 and stats["sent"] < 100
    queued.close(timeout=0)


def test_tcp_uses_octet_counting(tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    sink = SyslogSink(parse_sink(f"syslog:tcp://127.0.0.1:{server.getsockname()[1]}"), "host")
    sink.write(shown())
    connection, _ = server.accept()
    data = connection.recv(65536)
    length, _, message = data.partition(b" ")
    assert int(length) == len(message) and message.startswith(b"<12>1 ")
    connection.close(), server.close(), sink.close()


def test_client_events_are_refused_without_echoing_what_was_sent():
    secret = "Riverside Community Hospital"
    cases = [
        {"events": [{"type": "finding_shown", "category": "client", "recognizer": "x", "note": secret}]},
        {"events": [{"type": secret}]},
        {"events": [{"type": "replaced", "category": secret + "\u2028", "recognizer": "x"}]},
        {"events": [{"type": "replaced", "recognizer": "x"}]},
        {"events": [{"type": "post_unchecked"}] * 101},
        {"events": "all"},
    ]
    for body in cases:
        with pytest.raises(EventError) as err:
            parse_client_events(body)
        assert secret not in str(err.value)


def test_a_remote_collector_needs_the_machine_wide_config(tmp_path):
    machine = tmp_path / "machine.toml"
    machine.write_text('audit = "syslog:udp://siem.example.net:514"\n', encoding="utf-8")
    user = tmp_path / "user.toml"
    config = load_config([machine, user], {}, admin_files=1)
    assert config.audit_collectors == ("siem.example.net:514",)
    user.write_text('audit = ["syslog:tcp://10.9.8.7:6514", "file:events.jsonl"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"another machine \(10.9.8.7:6514\); only the machine-wide config"):
        load_config([machine, user], {}, admin_files=1)
    with pytest.raises(ConfigError, match="only the machine-wide config"):
        load_config([machine], {"audit": ["udp://192.0.2.4"]}, admin_files=1)
    local = load_config([user.with_name("none.toml")], {"audit": ["syslog:udp://127.0.0.1:5514"]})
    assert local.audit == ("syslog:udp://127.0.0.1:5514",)


GUARD = """
import socket
from discreet.service.egress_guard import allow_collector, install_egress_guard
install_egress_guard()
allow_collector("192.0.2.10", 514)
for address in [("192.0.2.10", 514), ("192.0.2.10", 515), ("192.0.2.11", 514)]:
    try:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", address)
        print("allowed")
    except PermissionError:
        print("blocked")
    except OSError:
        print("allowed")
"""


def test_the_egress_guard_lets_through_exactly_the_collector():
    out = subprocess.run([sys.executable, "-c", GUARD], capture_output=True, text=True, timeout=60).stdout
    assert out.split() == ["allowed", "blocked", "blocked"]


@pytest.mark.parametrize(
    ("sink", "message"),
    [
        ("syslog:unix:/nonexistent/dir/log.sock", "no folder /nonexistent/dir"),
        ("file:/nonexistent/events.jsonl", "no folder /nonexistent"),
        ("syslog:udp://127.0.0.1:99999", "port '99999' is not a number from 1 to 65535"),
        ("kafka://broker:9092", "is not one of: syslog:"),
        ("eventlog", "the Windows Event Log exists on Windows only"),
    ],
)
def test_a_misconfigured_sink_stops_the_start_with_a_clear_error(tmp_path, sink, message):
    proc = subprocess.run(
        [str(DISCREET), "serve", "--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0", "--audit", sink],
        capture_output=True,
        text=True,
        timeout=120,
        env={"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("discreet serve: ") and message in last
