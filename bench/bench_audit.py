"""Audit benchmark: what recording an event costs the request that records it, with every kind of sink
healthy, down (nobody at the socket) and slow (a socket nobody reads), in this process.

    .venv/bin/python bench/bench_audit.py [--events 20000]

Prints microseconds per `Audit.record` (the work a POST /v1/events pays per event) and what each sink
sent and dropped; asserts nothing.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import time
from pathlib import Path

from discreet.audit.recorder import Audit

FIELDS = {
    "site": "linkedin",
    "category": "client",
    "recognizer": "Northgate client roster",
    "severity": "warn",
}


def measure(label: str, sinks: list[str], events: int, folder: Path) -> None:
    audit = Audit.open(sinks, "pseudonym", folder / "audit-key")
    times = []
    for _ in range(events):
        started = time.perf_counter()
        audit.record("finding_shown", "f00d", **FIELDS)
        times.append((time.perf_counter() - started) * 1e6)
    time.sleep(0.5)
    stats = audit.stats()["sinks"]
    audit.close("f00d")
    p99 = statistics.quantiles(times, n=100)[98]
    print(
        f"{label:<34} median {statistics.median(times):6.1f} us   p99 {p99:7.1f} us   max {max(times) / 1000:6.2f} ms"
    )
    for sink in stats:
        print(f"    {sink['sink']:<48} sent {sink['sent']:>6}  dropped {sink['dropped']:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reader = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        reader.bind(str(folder / "read.sock"))
        reader.setblocking(False)
        never_read = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        never_read.bind(str(folder / "slow.sock"))
        measure("no sink (counters only)", [], args.events, folder)
        measure("file sink", [f"file:{folder / 'events.jsonl'}"], args.events, folder)
        measure("syslog unix, nobody listening", [f"syslog:unix:{folder / 'down.sock'}"], args.events, folder)
        measure(
            "syslog unix, never read (slow)", [f"syslog:unix:{folder / 'slow.sock'}"], args.events, folder
        )


if __name__ == "__main__":
    main()
