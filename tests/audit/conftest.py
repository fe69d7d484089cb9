"""Fixtures of the audit tests: Debian's rsyslogd started per module, and the service harness."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "service"))
from service_harness import DEMO_PACK

RSYSLOGD = "/usr/sbin/rsyslogd"
# rsyslog writes each message as one JSON line: which input got it, the RFC 5424 header it parsed, the MSG.
CONFIG = """
global(workDirectory="{root}")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="{root}/log.sock" UseSpecialParser="off" ParseHostname="on" UseSysTimeStamp="off")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="{port}")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="{tcp_port}")
template(name="events" type="list" option.jsonf="on") {{
  property(outname="input" name="inputname" format="jsonf")
  property(outname="pri" name="pri" format="jsonf")
  property(outname="version" name="protocol-version" format="jsonf")
  property(outname="app" name="app-name" format="jsonf")
  property(outname="procid" name="procid" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="host" name="hostname" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}}
action(type="omfile" file="{root}/received.log" template="events")
"""


def free_port(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Rsyslog:
    root: Path
    port: int
    tcp_port: int
    proc: subprocess.Popen | None = None

    @property
    def socket(self) -> Path:
        return self.root / "log.sock"

    @property
    def output(self) -> Path:
        return self.root / "received.log"

    def start(self) -> Rsyslog:
        conf = self.root / "rsyslog.conf"
        conf.write_text(
            CONFIG.format(root=self.root, port=self.port, tcp_port=self.tcp_port), encoding="utf-8"
        )
        self.proc = subprocess.Popen(
            [RSYSLOGD, "-n", "-f", str(conf), "-i", str(self.root / "rsyslogd.pid")],
            stdout=subprocess.DEVNULL,
            stderr=(self.root / "rsyslogd.err").open("wb"),
        )
        deadline = time.monotonic() + 20
        while not self.socket.is_socket():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError("rsyslogd did not start: " + (self.root / "rsyslogd.err").read_text())
            time.sleep(0.05)
        time.sleep(0.3)  # the UDP input opens right after the socket
        return self

    def messages(self) -> list[dict]:
        if not self.output.exists():
            return []
        return [json.loads(line) for line in self.output.read_text(encoding="utf-8").splitlines() if line]

    def wait_for(self, count: int, timeout: float = 20) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(received := self.messages()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return received

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=20)


@pytest.fixture(scope="module")
def rsyslog(tmp_path_factory):
    if not Path(RSYSLOGD).exists():
        pytest.fail("rsyslogd is missing: `make test-tools` installs Debian's rsyslog")
    daemon = Rsyslog(
        tmp_path_factory.mktemp("rsyslog"), free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_STREAM)
    ).start()
    yield daemon
    daemon.stop()


@pytest.fixture(scope="session")
def roster_names() -> list[str]:
    """Every name and alias on the demo policy's rosters: none may reach an event."""
    names = []
    for roster in DEMO_PACK.glob("*.txt"):
        for line in roster.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                names += [part.strip() for part in line.split("|")]
    return names
