"""The shared secret between the service and its callers: a random token in an owner-only file."""

from __future__ import annotations

import hmac
import os
import secrets
import stat
from pathlib import Path

MIN_TOKEN_CHARS = 16


class TokenError(Exception):
    """The token file exists but cannot serve as a secret; str() says which file and why."""


def ensure_token(path: Path) -> str:
    """Return the token in `path`, creating the file (mode 0600, parents 0700) with a new one if missing."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_token(path)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(token + "\n")
    return token


def read_token(path: Path) -> str:
    """Read an existing token, refusing a file others could change, or read if it is the caller's own.

    A token file owned by someone else (a managed install's, owned by root) may be world-readable: the
    same token sits in the browser's managed storage, which every local user can read anyway.
    """
    try:
        info = path.stat()
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise TokenError(f"{path}: no token file; start the service once with `discreet serve`") from None
    except (OSError, UnicodeDecodeError) as err:
        raise TokenError(f"{path}: cannot read the token file ({err.__class__.__name__})") from None
    if os.name == "posix":
        shared_read = info.st_mode & (stat.S_IRGRP | stat.S_IROTH) and info.st_uid == os.getuid()
        if shared_read or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise TokenError(f"{path}: other users can access the token file; run `chmod 600 {path}`")
    if len(token) < MIN_TOKEN_CHARS or any(ch.isspace() for ch in token):
        raise TokenError(f"{path}: the token must be one word of at least {MIN_TOKEN_CHARS} characters")
    return token


def token_matches(expected: str, authorization: str | None) -> bool:
    """Check an `Authorization: Bearer <token>` header in constant time."""
    scheme, _, supplied = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(supplied.strip().encode("utf-8"), expected.encode("utf-8"))
