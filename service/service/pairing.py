"""Pairing a browser extension with the service: a short one-time code, and the origins it admitted.

`discreet pair` asks the running service for a code; the user types it into the extension's options
page; the extension redeems it and its origin joins the allowed origins, persisted across restarts.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from discreet.service.config import ConfigError

# Crockford's base32: no I, L, O or U, so a code read aloud or retyped is not mistaken.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
CODE_LIFETIME_SECONDS = 300
MAX_WRONG_TRIES = 5

EXTENSION_ORIGIN = re.compile(
    r"chrome-extension://[a-p]{32}"
    r"|moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|extension://[a-z0-9-]{1,64}"
)


def is_extension_origin(origin: str) -> bool:
    """True for a browser extension's origin, which no web page can claim."""
    return bool(EXTENSION_ORIGIN.fullmatch(origin))


def normalise_code(code: str) -> str:
    """Accept `k7qm-2xpd`, `K7QM 2XPD` and `K7QM2XPD` alike."""
    return re.sub(r"[\s-]", "", code).upper()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


# Wrong tries are throttled across all origins: at most this many at once, refilled at this rate. Over a
# code's 5 minutes that is ~310 guesses at 32^8 codes; a lone origin has MAX_WRONG_TRIES of them.
GUESS_BURST = 10
GUESSES_PER_SECOND = 1.0


class PairingThrottled(Exception):
    """Too many wrong tries: from this origin for this code, or from everyone just now."""


@dataclass
class _ActiveCode:
    code: str
    expires: float
    wrong_tries: dict[str, int] = field(default_factory=dict)  # by origin


class PairingCodes:
    """At most one live code: valid for five minutes, spent by its use.

    Wrong tries count per origin, so a forged origin's guesses never cost the user's own extension its
    code; a global throttle bounds the guesses of an attacker who invents a new origin for each.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._active: _ActiveCode | None = None
        self._allowance = float(GUESS_BURST)
        self._refilled = clock()

    def start(self) -> str:
        """Issue a new code, replacing any earlier one; returns it without the dash."""
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        with self._lock:
            self._active = _ActiveCode(code, self._clock() + CODE_LIFETIME_SECONDS)
        return code

    def redeem(self, supplied: str, origin: str) -> bool:
        """True once for the live code; raises PairingThrottled instead of checking a throttled try."""
        candidate = normalise_code(supplied).encode("utf-8")
        with self._lock:
            now = self._clock()
            self._allowance = min(GUESS_BURST, self._allowance + (now - self._refilled) * GUESSES_PER_SECOND)
            self._refilled = now
            active = self._active
            if active is None or now >= active.expires:
                self._active = None
                return False
            if active.wrong_tries.get(origin, 0) >= MAX_WRONG_TRIES or self._allowance < 1:
                raise PairingThrottled
            if hmac.compare_digest(candidate, active.code.encode("ascii")):
                self._active = None
                return True
            active.wrong_tries[origin] = active.wrong_tries.get(origin, 0) + 1
            self._allowance -= 1
            return False


class PairedOrigins:
    """The extension origins admitted by pairing, kept in an owner-only JSON file."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._origins = frozenset(self._read())

    def __contains__(self, origin: object) -> bool:
        return origin in self._origins

    def __iter__(self):
        return iter(sorted(self._origins))

    def add(self, origin: str) -> None:
        with self._lock:
            if origin in self._origins:
                return
            origins = self._origins | {origin}
            self._write(origins)
            self._origins = origins

    def _read(self) -> Iterable[str]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return ()
        except (OSError, ValueError) as err:
            raise ConfigError(f"{self._path}: cannot read paired origins ({err})") from None
        origins = data.get("origins") if isinstance(data, dict) else None
        if not isinstance(origins, list) or not all(
            isinstance(o, str) and is_extension_origin(o) for o in origins
        ):
            raise ConfigError(f'{self._path}: expected {{"origins": [extension origins]}}')
        return origins

    def _write(self, origins: frozenset[str]) -> None:
        """Replace the file atomically so a crash never leaves half a list."""
        self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temp = self._path.with_name(f".{self._path.name}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"origins": sorted(origins)}, handle, indent=2)
        os.replace(temp, self._path)
