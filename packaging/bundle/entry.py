"""Entry point of the frozen program: the bundle is the `discreet` command line, nothing more.

On Windows the bundle has a second, windowless launcher, `discreet-service.exe`, which the HKLM Run
key starts at every user's logon: it has no console to print to, so it runs `discreet serve` with
its output in the user's %LOCALAPPDATA%\\Discreet\\Logs\\service.log (never any post text).
"""

import os
import sys
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


if __name__ == "__main__":
    if Path(sys.executable).stem == SERVICE_LAUNCHER:
        _log_to_file()
        sys.exit(main(["serve", *sys.argv[1:]]))
    sys.exit(main())
