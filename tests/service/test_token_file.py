"""The token file: created owner-only with a strong random token, refused when others can touch it."""

import os
import stat
import subprocess

import pytest
from service_harness import DEMO_PACK, DISCREET, ServiceProcess

from discreet.service.tokens import TokenError, ensure_token, read_token, token_matches


def test_missing_token_file_is_created_owner_only(tmp_path):
    path = tmp_path / "conf" / "token"
    token = ensure_token(path)
    assert len(token) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert ensure_token(path) == token
    assert ensure_token(tmp_path / "other") != token


def test_token_files_others_can_read_or_write_are_refused(tmp_path):
    path = tmp_path / "token"
    ensure_token(path)
    for mode in (0o640, 0o604, 0o620):
        path.chmod(mode)
        with pytest.raises(TokenError, match="chmod 600"):
            read_token(path)


@pytest.mark.parametrize("content", ["", "short", "two words but long enough"])
def test_weak_or_malformed_tokens_are_refused(tmp_path, content):
    path = tmp_path / "token"
    path.write_text(content)
    path.chmod(0o600)
    with pytest.raises(TokenError, match="at least 16"):
        read_token(path)


def test_missing_token_file_error_says_how_to_create_it(tmp_path):
    with pytest.raises(TokenError, match="discreet serve"):
        read_token(tmp_path / "absent")


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        ("Bearer s3cret-token-0123456789", True),
        ("bearer s3cret-token-0123456789", True),
        ("Bearer s3cret-token-012345678", False),
        ("Bearer s3cret-token-01234567890", False),
        ("Basic s3cret-token-0123456789", False),
        ("s3cret-token-0123456789", False),
        ("", False),
        (None, False),
    ],
)
def test_bearer_header_must_carry_exactly_the_token(header, ok):
    assert token_matches("s3cret-token-0123456789", header) is ok


NOBODY = 65534


def test_a_token_file_of_another_user_is_refused_and_never_adopted(tmp_path):
    path = tmp_path / "token"
    path.write_text("another-users-token-0123456789\n")
    path.chmod(0o600)
    os.chown(path, NOBODY, NOBODY)  # the tests run as root, which may hand a file to another user
    with pytest.raises(TokenError, match="belongs to another user"):
        read_token(path)
    with pytest.raises(TokenError, match="belongs to another user"):
        ensure_token(path)
    assert path.read_text() == "another-users-token-0123456789\n"


def test_a_fifo_as_token_file_is_refused_without_hanging(tmp_path):
    path = tmp_path / "token"
    os.mkfifo(path, 0o600)
    with pytest.raises(TokenError, match="not a regular file"):
        read_token(path)


def test_serve_stops_with_a_clear_message_on_a_token_file_it_must_not_use(tmp_path):
    env = ServiceProcess(tmp_path, []).env
    token = tmp_path / "home" / ".config" / "discreet" / "token"
    token.parent.mkdir(parents=True, mode=0o700)
    for owner, mode, message in (
        (NOBODY, 0o600, "belongs to another user"),
        (os.getuid(), 0o620, "chmod 600"),
    ):
        token.write_text("a-token-that-is-long-enough-0123\n")
        token.chmod(mode)
        os.chown(token, owner, -1)
        result = subprocess.run(
            [str(DISCREET), "serve", "--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0"],
            capture_output=True, text=True, timeout=60, env=env,
        )  # fmt: skip
        assert result.returncode == 2
        assert f"discreet serve: {token}: " in result.stderr and message in result.stderr
        assert "listening" not in result.stdout and "Traceback" not in result.stderr
