"""Pairing codes (short, one-time, five minutes, five tries) and the persisted paired origins."""

import json
import stat

import pytest

from discreet.service.config import ConfigError
from discreet.service.pairing import (
    CODE_ALPHABET,
    PairedOrigins,
    PairingCodes,
    format_code,
    is_extension_origin,
)

FIREFOX = "moz-extension://0b6a3f1e-4c2d-4e8f-9a7b-1c2d3e4f5a6b"
CHROME = "chrome-extension://" + "abcdefghijklmnopabcdefghijklmnop"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_code_is_eight_unambiguous_characters():
    code = PairingCodes().start()
    assert len(code) == 8
    assert set(code) <= set(CODE_ALPHABET)
    assert not set(code) & set("ILOU")
    assert format_code("K7QM2XPD") == "K7QM-2XPD"


@pytest.mark.parametrize("typed", ["{}", "{dashed}", "{lower}", "{spaced}"])
def test_code_is_accepted_once_however_it_is_typed(typed):
    codes = PairingCodes()
    code = codes.start()
    variants = {
        "{}": code,
        "{dashed}": format_code(code),
        "{lower}": format_code(code).lower(),
        "{spaced}": f" {code[:4]} {code[4:]} ",
    }
    assert codes.redeem(variants[typed]) is True
    assert codes.redeem(code) is False


def test_code_expires_after_five_minutes():
    clock = Clock()
    codes = PairingCodes(clock)
    code = codes.start()
    clock.now += 299
    assert codes.redeem(code) is True
    code = codes.start()
    clock.now += 300
    assert codes.redeem(code) is False


def test_five_wrong_tries_burn_the_code():
    codes = PairingCodes()
    code = codes.start()
    wrong = "00000000" if code != "00000000" else "11111111"
    for _ in range(4):
        assert codes.redeem(wrong) is False
    assert codes.redeem(code) is True
    code = codes.start()
    for _ in range(5):
        assert codes.redeem(wrong) is False
    assert codes.redeem(code) is False


def test_a_new_code_replaces_the_old_one():
    codes = PairingCodes()
    old = codes.start()
    new = codes.start()
    assert old == new or codes.redeem(old) is False
    assert codes.redeem(new) is True


@pytest.mark.parametrize(
    ("origin", "ok"),
    [
        (CHROME, True),
        (FIREFOX, True),
        ("extension://abcdef", True),
        ("https://evil.example", False),
        ("null", False),
        ("chrome-extension://short", False),
        (CHROME + ".evil.example", False),
        ("moz-extension://not-a-uuid", False),
    ],
)
def test_only_extension_origins_may_pair(origin, ok):
    assert is_extension_origin(origin) is ok


def test_paired_origins_persist_owner_only(tmp_path):
    path = tmp_path / "state" / "paired-origins.json"
    paired = PairedOrigins(path)
    assert FIREFOX not in paired
    paired.add(FIREFOX)
    paired.add(FIREFOX)
    assert FIREFOX in paired
    assert json.loads(path.read_text()) == {"origins": [FIREFOX]}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(PairedOrigins(path)) == [FIREFOX]


def test_a_tampered_paired_origins_file_is_refused(tmp_path):
    path = tmp_path / "paired-origins.json"
    path.write_text(json.dumps({"origins": ["https://evil.example"]}))
    with pytest.raises(ConfigError, match="expected"):
        PairedOrigins(path)
