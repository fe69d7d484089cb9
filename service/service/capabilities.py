"""Who may do what: the extension's scan token, the local user's admin token, and policy-lab sessions.

The extension's token must not read the policy, mint pairing codes or drive the lab: a stolen or
over-shared extension token would otherwise expose the roster and pair further extensions. Those need
the admin token, which only the local user's command line reads from its own file. The lab page gets a
session of its own through a one-time link that `discreet lab` asks for with the admin token.
"""

from __future__ import annotations

import enum
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from discreet.service.tokens import hello_proof, token_matches

LINK_LIFETIME_SECONDS = 60
SESSION_LIFETIME_SECONDS = 12 * 3600
MAX_LAB_SESSIONS = 8


class Capability(enum.Enum):
    SCAN = "scan"  # /v1/scan, /v1/categories, /v1/events: the extension
    LAB = "lab"  # /v1/policy, /v1/explain, /v1/eval, health details: the policy lab page
    ADMIN = "admin"  # /v1/pair/start, /v1/lab/link: the local user's command line


class LabSessions:
    """One-time links (valid a minute, spent by their use) traded for lab sessions (valid 12 hours)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._links: dict[str, float] = {}
        self._sessions: OrderedDict[str, float] = OrderedDict()

    def link(self) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            now = self._clock()
            self._links = {c: t for c, t in self._links.items() if t > now}
            self._links[code] = now + LINK_LIFETIME_SECONDS
        return code

    def redeem(self, code: str) -> str | None:
        """A new session token for a live link, once; None for anything else."""
        with self._lock:
            now = self._clock()
            match = next((c for c in self._links if hmac.compare_digest(c.encode(), code.encode())), None)
            if match is None or self._links.pop(match) <= now:
                return None
            session = secrets.token_urlsafe(32)
            self._sessions[session] = now + SESSION_LIFETIME_SECONDS
            while len(self._sessions) > MAX_LAB_SESSIONS:
                self._sessions.popitem(last=False)
            return session

    def valid(self, authorization: str | None) -> bool:
        with self._lock:
            now = self._clock()
            return any(
                expires > now and token_matches(session, authorization)
                for session, expires in self._sessions.items()
            )


class Capabilities:
    """The secrets of one service and what each grants."""

    def __init__(self, scan_token: str, admin_token: str, lab: LabSessions) -> None:
        self.scan_token = scan_token
        self._admin_token = admin_token
        self.lab = lab

    def proofs(self, nonce: str) -> dict[str, str]:
        """The hello answer: a proof under each token, so a client sends a token only to its holder (a local
        process that knows the machine-wide scan token still cannot prove this user's admin token)."""
        return {
            "proof": hello_proof(self.scan_token, nonce),
            "admin_proof": hello_proof(self._admin_token, nonce),
        }

    def granted(self, authorization: str | None) -> frozenset[Capability]:
        if token_matches(self._admin_token, authorization):
            return frozenset(Capability)
        if self.lab.valid(authorization):
            return frozenset({Capability.SCAN, Capability.LAB})
        if token_matches(self.scan_token, authorization):
            return frozenset({Capability.SCAN})
        return frozenset()
