#!/usr/bin/env python3
"""Measure the bundle: its size on disk, and how long `discreet serve` takes from launch to the first
/v1/health answer, to the first scan, and to the first scan that needs spaCy's NER (a patient in
care context; the model loads lazily). Median of several cold-process runs; prints a table.

Usage: python3 packaging/bundle/measure.py [BUNDLE_DIR] [--runs N] [--policy POLICY.yaml]
(without BUNDLE_DIR it builds or reuses the cached bundle)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ROSTER_POST = "Lovely lunch with the Riverside CH team today"
NER_POST = "Visited the ward today: patient Margaret Ellison was admitted with pneumonia."
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _post(url: str, token: str, text: str) -> dict:
    body = json.dumps({"text": text, "site": "linkedin"}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    with OPENER.open(urllib.request.Request(url, data=body, headers=headers), timeout=120) as response:
        return json.load(response)


def one_run(program: Path, policy: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        token_file, log = Path(tmp) / "token", Path(tmp) / "serve.log"
        env = {"HOME": tmp, "XDG_CONFIG_HOME": tmp, "PATH": "/usr/bin:/bin"}
        cmd = [str(program), "serve", "--policy", str(policy), "--port", "0", "--token-file", str(token_file)]
        started = time.perf_counter()
        with open(log, "w") as out:
            process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            while not (found := re.search(r"listening on (http://\S+)", log.read_text())):
                if process.poll() is not None:
                    raise SystemExit(f"serve exited:\n{log.read_text()}")
                time.sleep(0.01)
            url = found.group(1)
            while True:
                try:
                    with OPENER.open(f"{url}/v1/health", timeout=5):
                        break
                except (urllib.error.URLError, OSError):
                    time.sleep(0.01)
            health = time.perf_counter() - started
            token = token_file.read_text().strip()
            assert _post(f"{url}/v1/scan", token, ROSTER_POST)["findings"], "roster client not found"
            first_scan = time.perf_counter() - started
            ner = _post(f"{url}/v1/scan", token, NER_POST)["findings"]
            first_ner = time.perf_counter() - started
            assert any(f["category"] == "patient" for f in ner), "patient not found"
        finally:
            process.terminate()
            process.wait(timeout=30)
    return {"health": health, "first_scan": first_scan, "first_ner_scan": first_ner}


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, nargs="?")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--policy", type=Path, default=ROOT / "recognizers" / "packs" / "demo" / "policy.yaml"
    )
    args = parser.parse_args()
    bundle = args.bundle
    if bundle is None:
        out = subprocess.run(
            [sys.executable, str(HERE / "build.py")], check=True, stdout=subprocess.PIPE, text=True
        )
        bundle = Path(out.stdout.strip().splitlines()[-1])
    runs = [one_run(bundle / "discreet", args.policy.resolve()) for _ in range(args.runs)]
    print(f"bundle {bundle}: {size_mb(bundle):.0f} MB on disk")
    print(f"{'from launch to':<28}{'median s':>10}{'min s':>8}{'max s':>8}   ({args.runs} cold runs)")
    for key, label in (
        ("health", "first /v1/health 200"),
        ("first_scan", "first scan (roster)"),
        ("first_ner_scan", "first scan needing NER"),
    ):
        values = [r[key] for r in runs]
        print(f"{label:<28}{statistics.median(values):>10.2f}{min(values):>8.2f}{max(values):>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
