"""When each extension last talked to the service: what `discreet status` needs to say "protected".

An allowed origin says only that an extension *may* call; monitoring needs to know that one *did*.
Every authorised call from an extension origin (scan, categories, events) stamps that origin, with
the browser family read from the request's User-Agent (a fixed label, never the header itself). Kept
in memory only: a restarted service starts with none, and `status` says since when it has been looking.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from discreet.service.pairing import is_extension_origin

# Order matters: Edge's User-Agent also names Chrome, and Chrome's names Safari.
_BROWSER_TOKENS = (("Edg/", "edge"), ("Firefox/", "firefox"), ("Chrome/", "chrome"))
_BY_SCHEME = (("moz-extension://", "firefox"), ("chrome-extension://", "chromium-based"))


def browser_family(origin: str, user_agent: str | None) -> str:
    """edge, chrome (Chrome or Chromium), firefox; else what the origin's scheme tells, else unknown."""
    agent = user_agent or ""
    for token, family in _BROWSER_TOKENS:
        if token in agent:
            return family
    return next((family for prefix, family in _BY_SCHEME if origin.startswith(prefix)), "unknown")


@dataclass(frozen=True, slots=True)
class Contact:
    origin: str
    browser: str
    wall: float  # time.time() of the last call, to show
    mono: float  # time.monotonic() of the last call, to measure age across clock changes


class ExtensionContacts:
    """Last authorised call per extension origin; thread-safe, bounded by the allowed origins."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._contacts: dict[str, Contact] = {}
        self._started = time.monotonic()

    def seen(self, origin: str | None, user_agent: str | None) -> None:
        """Stamp `origin` (already allowed by the guards); calls without an extension origin are not one."""
        if origin is None or not is_extension_origin(origin):
            return
        contact = Contact(origin, browser_family(origin, user_agent), time.time(), time.monotonic())
        with self._lock:
            self._contacts[origin] = contact

    def report(self) -> dict:
        """For the admin capability: how long the service has been looking, and each origin's last call."""
        now = time.monotonic()
        with self._lock:
            contacts = sorted(self._contacts.values(), key=lambda c: c.mono, reverse=True)
        return {
            "watching_seconds": round(now - self._started, 1),
            "contacts": [
                {
                    "origin": c.origin,
                    "browser": c.browser,
                    "last_seen": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(c.wall)),
                    "seconds_ago": round(now - c.mono, 1),
                }
                for c in contacts
            ],
        }
