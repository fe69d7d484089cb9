"""Pairing codes (short, one-time, five minutes, five tries per origin, throttled) and the paired origins."""

import json
import stat

import pytest

from discreet.service.config import ConfigError
from discreet.service.pairing import (
    CODE_ALPHABET,
    GUESS_BURST,
    PairedOrigins,
    PairingCodes,
    PairingThrottled,
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
    assert codes.redeem(variants[typed], FIREFOX) is True
    assert codes.redeem(code, FIREFOX) is False


def test_code_expires_after_five_minutes():
    clock = Clock()
    codes = PairingCodes(clock)
    code = codes.start()
    clock.now += 299
    assert codes.redeem(code, FIREFOX) is True
    code = codes.start()
    clock.now += 300
    assert codes.redeem(code, FIREFOX) is False


def test_five_wrong_tries_lock_out_that_origin_only():
    clock = Clock()
    codes = PairingCodes(clock)
    code = codes.start()
    wrong = "00000000" if code != "00000000" else "11111111"
    for _ in range(5):
        assert codes.redeem(wrong, CHROME) is False
    with pytest.raises(PairingThrottled):
        codes.redeem(code, CHROME)  # the guesser's origin may not try again, even the right code
    assert codes.redeem(code, FIREFOX) is True  # the user's extension still pairs


def test_guesses_from_ever_new_origins_are_throttled_and_recover():
    clock = Clock()
    codes = PairingCodes(clock)
    code = codes.start()
    wrong = "00000000" if code != "00000000" else "11111111"
    forged = [f"moz-extension://00000000-0000-4000-8000-{n:012x}" for n in range(GUESS_BURST + 1)]
    for origin in forged[:GUESS_BURST]:
        assert codes.redeem(wrong, origin) is False
    with pytest.raises(PairingThrottled):
        codes.redeem(wrong, forged[-1])
    clock.now += 1  # one more try a second
    assert codes.redeem(code, FIREFOX) is True


def test_a_new_code_replaces_the_old_one():
    codes = PairingCodes()
    old = codes.start()
    new = codes.start()
    assert old == new or codes.redeem(old, FIREFOX) is False
    assert codes.redeem(new, FIREFOX) is True


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
