"""The shared secrets between the service and its callers: random tokens in owner-only files.

Two capabilities, two files: the scan token the browser extension holds (scan, categories, events), and
the admin token only the local user's own command line reads (pairing codes, the policy lab, the policy).
Before a client sends either, it makes the server prove it holds the scan token (`hello_proof`), so a
program squatting on the port learns nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
import stat
from pathlib import Path

MIN_TOKEN_CHARS = 16
MAX_TOKEN_FILE_BYTES = 4096
HELLO_PREFIX = b"discreet-hello-v1\n"
_NONCE = re.compile(r"[A-Za-z0-9_-]{43}=?")


class TokenError(Exception):
    """The token file exists but cannot serve as a secret; str() says which file and why."""


def ensure_token(path: Path) -> str:
    """Return the token in `path`, creating the file (mode 0600, parents 0700) with a new one if missing.

    An existing file is read with every check of `read_token`: one owned by another user is never adopted.
    """
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
    """Read an existing token, refusing a file that someone else owns or could change, or could read if
    it is the caller's own.

    Root's file is accepted and may be world-readable: a managed install pushes the same token into the
    browser's managed storage, which every local user can read anyway.
    """
    try:
        # O_NONBLOCK: a FIFO planted as the token file must not hang the caller.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise TokenError(f"{path}: no token file; start the service once with `discreet serve`") from None
    except OSError as err:
        raise TokenError(f"{path}: cannot read the token file ({err.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        _check_owner_and_mode(path, os.fstat(handle.fileno()))
        raw = handle.read(MAX_TOKEN_FILE_BYTES + 1)
    try:
        token = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise TokenError(f"{path}: the token file is not text") from None
    if len(raw) > MAX_TOKEN_FILE_BYTES or len(token) < MIN_TOKEN_CHARS or any(ch.isspace() for ch in token):
        raise TokenError(f"{path}: the token must be one word of at least {MIN_TOKEN_CHARS} characters")
    return token


def _check_owner_and_mode(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise TokenError(f"{path}: the token file is not a regular file")
    if os.name != "posix":
        return
    if info.st_uid not in (os.getuid(), 0):
        raise TokenError(
            f"{path}: the token file belongs to another user (uid {info.st_uid}); refusing it. "
            "Remove it, or point `token_file` at a file of your own"
        )
    shared_read = info.st_mode & (stat.S_IRGRP | stat.S_IROTH) and info.st_uid == os.getuid()
    if shared_read or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise TokenError(f"{path}: other users can access the token file; run `chmod 600 {path}`")


def token_matches(expected: str, authorization: str | None) -> bool:
    """Check an `Authorization: Bearer <token>` header in constant time."""
    scheme, _, supplied = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(supplied.strip().encode("utf-8"), expected.encode("utf-8"))


def new_nonce() -> str:
    """A client's challenge for /v1/hello: 32 random bytes, base64url."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")


def valid_nonce(nonce: object) -> bool:
    """base64url of exactly 32 bytes (padded or not)."""
    if not isinstance(nonce, str) or not _NONCE.fullmatch(nonce):
        return False
    try:
        return len(base64.urlsafe_b64decode(nonce.rstrip("=") + "=")) == 32
    except (binascii.Error, ValueError):
        return False


def hello_proof(token: str, nonce: str) -> str:
    """HMAC-SHA256 of the client's nonce under the scan token: proves the server holds it, reveals nothing."""
    return hmac.new(token.encode("utf-8"), HELLO_PREFIX + nonce.encode("ascii"), hashlib.sha256).hexdigest()
