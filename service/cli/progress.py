"""A progress bar on stderr for batch work, shown only on a terminal and only once work takes a while."""

from __future__ import annotations

import sys
import time

SHOW_AFTER_SECONDS = 2.0


class Progress:
    def __init__(self, total: int | None, what: str):
        self.total, self.what = total, what
        self.done = 0
        self.started = time.monotonic()
        self.enabled = sys.stderr.isatty()
        self._drawn = False

    def step(self) -> None:
        self.done += 1
        if not self.enabled or time.monotonic() - self.started < SHOW_AFTER_SECONDS:
            return
        if self.total:
            filled = int(30 * self.done / self.total)
            bar = "#" * filled + "-" * (30 - filled)
            sys.stderr.write(f"\r{self.what} [{bar}] {self.done}/{self.total}")
        else:
            sys.stderr.write(f"\r{self.what}: {self.done}")
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            sys.stderr.write("\n")
