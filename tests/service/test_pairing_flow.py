"""Pairing as a user does it: `discreet pair` prints a code, the extension redeems it for the token."""

from __future__ import annotations

import json
import re
import stat
import subprocess

from service_harness import DEMO_PACK, DISCREET, FIREFOX_ORIGIN, ServiceProcess, scan_body, scan_headers

JSON = {"Content-Type": "application/json"}


def run_pair(process: ServiceProcess, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DISCREET), "pair", *args], capture_output=True, text=True, timeout=60, env=process.env
    )


def redeem(process: ServiceProcess, code: str, origin: str = FIREFOX_ORIGIN):
    return process.http().send(
        "POST", "/v1/pair", {**JSON, "Origin": origin}, json.dumps({"code": code}).encode()
    )


def test_pair_then_the_extension_origin_is_served_and_stays_paired(serve, tmp_path):
    process = serve("--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0", root=tmp_path / "svc")
    shown = run_pair(process, "--port", str(process.port))
    assert shown.returncode == 0, shown.stderr
    code = re.search(r"Pairing code: ([0-9A-Z]{4}-[0-9A-Z]{4})", shown.stdout).group(1)
    assert "options page" in shown.stdout

    before = process.http().send("GET", "/v1/health", {"Origin": FIREFOX_ORIGIN})
    assert before.status == 403
    answer = redeem(process, code.replace("-", " ").lower())
    assert answer.status == 200
    token = answer.json()["token"]
    assert token == process.token()
    assert redeem(process, code).status == 403  # one use only

    scan = process.http().send(
        "POST", "/v1/scan", scan_headers(token, Origin=FIREFOX_ORIGIN), scan_body("hi")
    )
    assert scan.status == 200
    assert scan.header("Access-Control-Allow-Origin") == FIREFOX_ORIGIN
    paired_file = tmp_path / "svc" / "home" / ".config" / "discreet" / "paired-origins.json"
    assert json.loads(paired_file.read_text()) == {"origins": [FIREFOX_ORIGIN]}
    assert stat.S_IMODE(paired_file.stat().st_mode) == 0o600

    assert process.stop() == 0
    again = serve("--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0", root=tmp_path / "svc")
    assert again.http().send("GET", "/v1/health", {"Origin": FIREFOX_ORIGIN}).status == 200


def test_forged_wrong_tries_do_not_burn_the_users_code(serve):
    process = serve("--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0")
    code = re.search(r"Pairing code: (\S+)", run_pair(process, "--port", str(process.port)).stdout).group(1)
    wrong = "ZZZZ-ZZZZ" if code != "ZZZZ-ZZZZ" else "YYYY-YYYY"
    forger = "chrome-extension://" + "k" * 32
    for _ in range(5):
        answer = redeem(process, wrong, forger)
        assert (answer.status, answer.json()["error"]["code"]) == (403, "bad_code")
    locked = redeem(process, code, forger)
    assert (locked.status, locked.json()["error"]["code"]) == (429, "too_many_tries")
    assert process.http().send("GET", "/v1/health", {"Origin": forger}).status == 403
    assert redeem(process, code).status == 200  # the user's extension pairs all the same


def test_pair_says_so_when_no_service_is_running(tmp_path):
    process = ServiceProcess(tmp_path, [])
    token_file = tmp_path / "token"
    token_file.write_text("a-token-that-is-long-enough\n")
    token_file.chmod(0o600)
    result = run_pair(process, "--port", "9", "--token-file", str(token_file))
    assert result.returncode == 1
    assert "no Discreet service answers on http://127.0.0.1:9" in result.stderr


def test_pair_with_a_wrong_token_sends_nothing_and_says_why(serve, tmp_path):
    process = serve("--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0")
    token_file = tmp_path / "wrong-token"
    token_file.write_text("a-token-that-is-long-enough\n")
    token_file.chmod(0o600)
    result = run_pair(process, "--port", str(process.port), "--token-file", str(token_file))
    assert result.returncode == 1
    assert "is not the Discreet service" in result.stderr and "nothing was sent" in result.stderr
