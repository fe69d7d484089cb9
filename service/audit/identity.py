"""Who an event is about, as much as the admin chose: nobody, a pseudonym, or the OS user name.

The pseudonym is an HMAC of the user and the machine under a random key that never leaves the machine
(a 0600 file beside the service token): the same person on the same machine always gets the same id, so a
security team can count repeat overrides, but nobody without the key can turn an id back into a name.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import socket
from pathlib import Path

from discreet.service.tokens import ensure_token

MODES = ("none", "pseudonym", "username")
_MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))


def machine_id() -> str:
    """The OS's stable machine id where there is one, else the host name."""
    for path in _MACHINE_ID_FILES:
        try:
            return path.read_text(encoding="ascii").strip() or socket.gethostname()
        except OSError:
            continue
    return socket.gethostname()


def pseudonym(key: str, user: str, machine: str) -> str:
    digest = hmac.new(key.encode(), f"discreet-audit-v1\n{user}\n{machine}".encode(), hashlib.sha256)
    return "dp1-" + digest.hexdigest()[:32]


def identity(mode: str, key_file: Path) -> dict[str, str]:
    """The `user` fields every event of this service carries."""
    if mode == "none":
        return {}
    user = getpass.getuser()
    if mode == "username":
        return {"name": user}
    return {"id": pseudonym(ensure_token(key_file), user, machine_id())}
