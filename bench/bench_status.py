"""`discreet status` wall time per call against a running service, as a fleet check runs it.

    .venv/bin/python bench/bench_status.py [--program PATH] [--calls 10]

PATH is the `discreet` to time (default: this venv's; the Linux bundle is
`packaging/build/bundle-*/discreet/discreet`). It starts `discreet serve` from the same program with a
throwaway home (no port given: the per-user port is chosen and recorded as in a real install), lets an
extension origin make one authorised call, then times `discreet status` end to end (process start,
config, proof of the server, health with the admin token). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ORIGIN = "chrome-extension://" + "abcdefghijklmnop" * 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", type=Path, default=Path(sys.executable).with_name("discreet"))
    parser.add_argument("--calls", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        config = Path(home, ".config", "discreet")
        config.mkdir(parents=True)
        policy = REPO / "recognizers" / "packs" / "demo" / "policy.yaml"
        (config / "config.toml").write_text(f'policy = "{policy}"\nallow_origins = ["{ORIGIN}"]\n')
        env = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": str(Path(home, ".config"))}
        service = subprocess.Popen(
            [args.program, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        try:
            while "listening on" not in (line := service.stdout.readline()):
                if not line:
                    raise SystemExit("discreet serve stopped before listening")
            port = int(line.rsplit(":", 1)[1])
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers = {"Authorization": f"Bearer {(config / 'token').read_text().strip()}", "Origin": ORIGIN}
            conn.request("GET", "/v1/categories", headers=headers)
            assert conn.getresponse().status == 200
            times, codes = [], set()
            for _ in range(args.calls):
                started = time.perf_counter()
                done = subprocess.run([args.program, "status"], env=env, capture_output=True, check=False)
                times.append(time.perf_counter() - started)
                codes.add(done.returncode)
        finally:
            service.terminate()
            service.wait(timeout=30)
    print(f"discreet status ({args.program}), {args.calls} calls, exit status {sorted(codes)}:")
    print(f"  median {statistics.median(times):.3f} s, min {min(times):.3f} s, max {max(times):.3f} s")


if __name__ == "__main__":
    main()
