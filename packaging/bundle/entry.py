"""Entry point of the frozen program: the bundle is the `discreet` command line, nothing more.

On Windows the bundle has a second, windowless launcher, `discreet-service.exe`, which a scheduled
task starts as each logged-on user: it has no console to print to, so its output goes to the user's
%LOCALAPPDATA%\\Discreet\\Logs\\service.log (never any post text). It supervises `discreet serve` in
a child process and starts it again when it exits with an error (a crash), as systemd's
Restart=on-failure and launchd's KeepAlive do on Linux and macOS.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from discreet.cli import main

SERVICE_LAUNCHER = "discreet-service"
LOG_LIMIT_BYTES = 5_000_000


def _log_to_file() -> None:
    logs = Path(os.environ.get("LOCALAPPDATA", Path.home())) / "Discreet" / "Logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / "service.log"
    if log.exists() and log.stat().st_size > LOG_LIMIT_BYTES:
        log.replace(log.with_suffix(".log.1"))
    sys.stdout = sys.stderr = open(log, "a", encoding="utf-8", buffering=1)  # noqa: SIM115


RESTART_DELAYS = (1, 5, 30)  # seconds before each restart; the last repeats


def supervise(command: list[str], sleep=time.sleep) -> int:
    """Run `command` until it exits cleanly (0: stopped on purpose); restart it after a failure."""
    failures = 0
    no_window = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # discreet.exe is a console program
    while (code := subprocess.call(command, stdout=sys.stdout, stderr=sys.stderr, creationflags=no_window)) != 0:
        delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
        print(f"discreet serve exited with {code}; starting it again in {delay} s", flush=True)
        failures += 1
        sleep(delay)
    return code


if __name__ == "__main__":
    if Path(sys.executable).stem == SERVICE_LAUNCHER:
        _log_to_file()
        program = Path(sys.executable).with_name("discreet.exe")
        sys.exit(supervise([str(program), "serve", *sys.argv[1:]]))
    sys.exit(main())
