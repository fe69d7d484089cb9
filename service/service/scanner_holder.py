"""The Scanner the service answers with, and its hot reload.

A reload builds a whole new Policy and Scanner beside the old ones and then swaps one reference, so a
request sees either the old policy or the new one, never half of each. A policy that fails to load
leaves the old one serving; the failure is reported in /v1/health and the log (policy errors name
file and line of the policy, never post text), and the next good version is picked up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from discreet.engine.policy import Policy, PolicyError, load_policy
from discreet.engine.scanner import Scanner
from discreet.recognizers.names import NameFinder

log = logging.getLogger("discreet.service")


@dataclass(frozen=True, slots=True)
class Loaded:
    """A policy and the Scanner built from it, swapped together."""

    policy: Policy
    scanner: Scanner


@dataclass(frozen=True, slots=True)
class ReloadStatus:
    ok: bool
    error: str | None
    at: str | None

    def to_dict(self) -> dict:
        return {"ok": self.ok, "error": self.error, "at": self.at}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def build(policy_path: Path, names: NameFinder | None = None) -> Loaded:
    """Load, validate and warm a policy's Scanner; raises PolicyError for a bad policy.

    `names` is the serving Scanner's NameFinder: a reload reuses its loaded spaCy pipeline (and its
    per-sentence cache, which depends on the model only) when the new policy names the same model.
    """
    policy = load_policy(policy_path)
    scanner = Scanner(policy, names=names)
    scanner.warm_up()
    return Loaded(policy, scanner)


class ScannerHolder:
    """Holds the current Loaded; `current` is one attribute read, so it is atomic under threads."""

    def __init__(self, policy_path: Path, on_reload: Callable[[str, str], object] | None = None) -> None:
        """`on_reload(event, fingerprint)` hears of each reload ("policy_reload", the new fingerprint) and
        each refused one ("policy_reload_refused", the fingerprint still serving): the audit log."""
        self.policy_path = policy_path
        self._on_reload = on_reload or (lambda event, fingerprint: None)
        self.current = build(policy_path)
        self.status = ReloadStatus(ok=True, error=None, at=None)
        self._reload_lock = threading.Lock()
        self._failed = False

    def reload(self) -> bool:
        """Try the policy on disk; swap it in if it loads, keep the old one if not."""
        with self._reload_lock:
            old = self.current
            try:
                new = build(self.policy_path, names=old.scanner.names)
            except PolicyError as err:
                return self._report_failure(str(err))
            except Exception as err:  # a broken build must not stop the watcher; the old policy serves on
                return self._report_failure(f"{self.policy_path}: {type(err).__name__}: {err}")
            self._failed = False
            if new.policy.fingerprint != old.policy.fingerprint:
                self.current = new
                log.info("policy reloaded: %s (fingerprint %s)", new.policy.path, new.policy.fingerprint)
                self._on_reload("policy_reload", new.policy.fingerprint)
            self.status = ReloadStatus(ok=True, error=None, at=_now())
            return True

    def _report_failure(self, error: str) -> bool:
        self._failed = True
        self.status = ReloadStatus(ok=False, error=error, at=_now())
        log.warning("policy reload failed; still serving %s: %s", self.current.policy.fingerprint, error)
        self._on_reload("policy_reload_refused", self.current.policy.fingerprint)
        return False

    def watched_files(self) -> tuple[Path, ...]:
        """The current policy's files; after a failed reload also their folders, where a file the
        new policy names but that is still missing will appear."""
        files = [self.policy_path, *self.current.policy.files]
        folders = [path.parent for path in files] if self._failed else []
        return tuple(dict.fromkeys([*files, *folders]))


def _signature(files: Iterable[Path]) -> tuple:
    """What changes when a file is edited, replaced or removed."""
    marks = []
    for path in files:
        try:
            info = path.stat()
        except OSError:
            marks.append((str(path), None))
        else:
            marks.append((str(path), info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(marks)


def _paths(signature: tuple) -> list[str]:
    return [mark[0] for mark in signature]


class PolicyWatcher:
    """Polls the policy's files and reloads once a change has settled (unchanged for one interval).

    Waiting for the files to settle avoids loading a roster that an editor is still writing.
    """

    def __init__(self, holder: ScannerHolder, interval: float) -> None:
        self._holder = holder
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="discreet-policy-watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        loaded = _signature(self._holder.watched_files())
        seen = loaded
        while not self._stop.wait(self._interval):
            current = _signature(self._holder.watched_files())
            if current != loaded and current == seen:
                self._holder.reload()
                after = _signature(self._holder.watched_files())
                # Keep the signature taken before the build when the same files are watched, so an
                # edit made while building is still seen as a change.
                loaded = current if _paths(after) == _paths(current) else after
            seen = current
