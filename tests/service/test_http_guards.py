"""Every way a web page (or a confused client) could get in, tried against the app and the real server.

Each case is sent twice: to the Flask app through its test client, and to `discreet serve` over a real
loopback socket. The refusal must be the right status with a JSON error, never echoing the post text.
"""

from __future__ import annotations

import json
import socket
import subprocess
import uuid

import pytest
from service_harness import (
    ALLOWED_ORIGIN,
    DEMO_PACK,
    DISCREET,
    FlaskTransport,
    ServiceProcess,
    copy_demo_policy,
    make_config,
    scan_body,
    scan_headers,
)

from discreet.service.app import create_app
from discreet.service.config import MAX_TEXT_CHARS

CANARY = f"canary-{uuid.uuid4().hex}"
TEXT = f"We onboarded Riverside CH this week. {CANARY}"
OTHER_EXTENSION = "chrome-extension://" + "p" * 32
MAX_BODY = MAX_TEXT_CHARS * 12 + 4096


@pytest.fixture(scope="module")
def flask_transport(tmp_path_factory):
    root = tmp_path_factory.mktemp("flask")
    app = create_app(make_config(root, DEMO_PACK / "policy.yaml"))
    token = app.extensions["discreet"].token
    return FlaskTransport(app.test_client(), 8765, token)


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    policy = copy_demo_policy(root / "policy")
    process = ServiceProcess(root, ["--policy", str(policy), "--port", "0", "--allow-origin", ALLOWED_ORIGIN])
    process.start()
    yield process
    assert process.stop() == 0


@pytest.fixture(scope="module")
def waitress_transport(real_server):
    transport = real_server.http()
    yield transport
    transport.close()


@pytest.fixture(params=["flask", "waitress"])
def transport(request):
    return request.getfixturevalue(f"{request.param}_transport")


def good(t, **extra):
    return scan_headers(t.token, **extra)


def deep_json(depth: int) -> bytes:
    return b'{"text": "x", "site": ' + b"[" * depth + b"]" * depth + b"}"


# (case, method, path, headers(transport), body, status, error code)
REFUSALS = [
    ("foreign host", "POST", "/v1/scan", lambda t: good(t, Host=f"evil.example:{t.port}"), None, 421, "wrong_host"),
    ("rebound name", "POST", "/v1/scan", lambda t: good(t, Host=f"127.0.0.1.nip.io:{t.port}"), None, 421, "wrong_host"),
    ("wrong port", "POST", "/v1/scan", lambda t: good(t, Host="127.0.0.1:1"), None, 421, "wrong_host"),
    ("host without port", "POST", "/v1/scan", lambda t: good(t, Host="localhost"), None, 421, "wrong_host"),
    ("health, foreign host", "GET", "/v1/health", lambda t: {"Host": f"evil.example:{t.port}"}, None, 421, "wrong_host"),
    ("web page origin", "POST", "/v1/scan", lambda t: good(t, Origin="https://evil.example"), None, 403, "origin_not_allowed"),
    ("null origin", "POST", "/v1/scan", lambda t: good(t, Origin="null"), None, 403, "origin_not_allowed"),
    ("other extension", "POST", "/v1/scan", lambda t: good(t, Origin=OTHER_EXTENSION), None, 403, "origin_not_allowed"),
    ("health, web origin", "GET", "/v1/health", lambda t: {"Origin": "https://evil.example"}, None, 403, "origin_not_allowed"),
    ("no token", "POST", "/v1/scan", lambda t: {"Content-Type": "application/json"}, None, 401, "unauthorized"),
    ("wrong token", "POST", "/v1/scan", lambda t: good(t, Authorization="Bearer " + "x" * 43), None, 401, "unauthorized"),
    ("basic auth", "POST", "/v1/scan", lambda t: good(t, Authorization=f"Basic {t.token}"), None, 401, "unauthorized"),
    ("text/plain", "POST", "/v1/scan", lambda t: good(t, **{"Content-Type": "text/plain"}), None, 415, "unsupported_media_type"),
    ("form", "POST", "/v1/scan", lambda t: good(t, **{"Content-Type": "application/x-www-form-urlencoded"}), None, 415, "unsupported_media_type"),
    ("latin-1 json", "POST", "/v1/scan", lambda t: good(t, **{"Content-Type": "application/json; charset=latin-1"}), None, 415, "unsupported_media_type"),
    ("oversized body", "POST", "/v1/scan", good, scan_body(CANARY + " " * MAX_BODY), 413, "body_too_large"),
    ("text over the cap", "POST", "/v1/scan", good, scan_body(CANARY + "a" * MAX_TEXT_CHARS), 413, "text_too_long"),
    ("malformed json", "POST", "/v1/scan", good, b'{"text": "' + CANARY.encode() + b'", ', 400, "malformed_json"),
    ("deep json", "POST", "/v1/scan", good, deep_json(100_000), 400, "malformed_json"),
    ("non-utf-8", "POST", "/v1/scan", good, b'{"text": "caf\xe9 ' + CANARY.encode() + b'"}', 400, "bad_encoding"),
    ("utf-16 body", "POST", "/v1/scan", good, json.dumps({"text": CANARY}).encode("utf-16"), 400, "bad_encoding"),
    ("json array", "POST", "/v1/scan", good, b'["' + CANARY.encode() + b'"]', 400, "bad_request"),
    ("text not a string", "POST", "/v1/scan", good, b'{"text": ["' + CANARY.encode() + b'"]}', 400, "bad_request"),
    ("no text", "POST", "/v1/scan", good, b'{"site": "x"}', 400, "bad_request"),
    ("unknown site", "POST", "/v1/scan", good, scan_body(CANARY, site="facebook"), 400, "bad_request"),
    ("unknown field", "POST", "/v1/scan", good, b'{"text": "a", "' + CANARY.encode() + b'": 1}', 400, "bad_request"),
    ("get scan", "GET", "/v1/scan", good, None, 405, "method_not_allowed"),
    ("unknown path", "GET", f"/v1/{CANARY}", good, None, 404, "not_found"),
    ("pair start, no token", "POST", "/v1/pair/start", lambda t: {"Content-Type": "application/json"}, b"{}", 401, "unauthorized"),
    ("pair from a web page", "POST", "/v1/pair", lambda t: {"Content-Type": "application/json", "Origin": "https://evil.example"}, b'{"code": "AAAA-BBBB"}', 403, "origin_not_allowed"),
    ("pair without origin", "POST", "/v1/pair", lambda t: {"Content-Type": "application/json"}, b'{"code": "AAAA-BBBB"}', 403, "origin_not_allowed"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "headers", "body", "status", "code"),
    [case[1:] for case in REFUSALS],
    ids=[case[0] for case in REFUSALS],
)
def test_refused_with_a_json_error_that_does_not_echo_the_text(
    transport, method, path, headers, body, status, code
):
    if body is None and method == "POST":
        body = scan_body(TEXT)
    answer = transport.send(method, path, headers(transport), body)
    assert (answer.status, answer.json()["error"]["code"]) == (status, code)
    assert answer.header("Content-Type") == "application/json"
    assert set(answer.json()["error"]) == {"code", "message"}
    assert CANARY.encode() not in answer.body
    assert not any(name.startswith("access-control-") for name in answer.headers)


def test_health_needs_no_token_and_tells_no_roster(transport):
    answer = transport.send("GET", "/v1/health", {})
    health = answer.json()
    assert answer.status == 200
    assert set(health) == {"version", "policy", "ok"}
    assert health["ok"] is True
    assert b"Riverside" not in answer.body
    assert b"policy.yaml" not in answer.body and b"/" not in answer.body


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "LOCALHOST"])
def test_each_loopback_name_with_the_port_is_served(transport, host):
    answer = transport.send("GET", "/v1/health", {"Host": f"{host}:{transport.port}"})
    assert answer.status == 200


def test_scan_answers_the_engine_findings_with_the_policy_fingerprint(transport):
    text = "😀 Lunch with the team from Riverside CH, then NG-OPS-204 planning."
    answer = transport.send("POST", "/v1/scan", good(transport), scan_body(text))
    result = answer.json()
    assert answer.status == 200
    assert result["policy"] == transport.send("GET", "/v1/health", {}).json()["policy"]
    assert result["elapsed_ms"] >= 0
    found = {(f["category"], f["text"]) for f in result["findings"]}
    assert ("client", "Riverside CH") in found
    assert ("project", "NG-OPS-204") in found
    units = text.encode("utf-16-le")
    for finding in result["findings"]:  # offsets count UTF-16 code units, as the extension indexes
        assert units[finding["start"] * 2 : finding["end"] * 2].decode("utf-16-le") == finding["text"]
    assert not any(name.startswith("access-control-") for name in answer.headers)


def test_scan_matches_the_cli_jsonl_output(transport):
    text = "Riverside CH 🎉 signed; call 07700 900123 about Ellen Harper, a patient on the ward."
    cli = subprocess.run(
        [str(DISCREET), "scan", "--policy", str(DEMO_PACK / "policy.yaml"), "--jsonl"],
        input=json.dumps({"id": 1, "text": text}) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    answer = transport.send("POST", "/v1/scan", good(transport), scan_body(text))
    assert answer.json()["findings"] == json.loads(cli.stdout)["findings"]


def test_allowed_extension_origin_gets_cors_for_itself_only(transport):
    answer = transport.send("POST", "/v1/scan", good(transport, Origin=ALLOWED_ORIGIN), scan_body(TEXT))
    assert answer.status == 200
    assert answer.header("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    assert "Origin" in (answer.header("Vary") or "")


def preflight(transport, origin: str):
    """What Chrome sends before a page's (or extension page's) POST to a private-network address."""
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
        "Access-Control-Request-Private-Network": "true",
    }
    return transport.send("OPTIONS", "/v1/scan", headers)


def test_preflight_for_the_allowed_origin_grants_private_network_access(transport):
    answer = preflight(transport, ALLOWED_ORIGIN)
    assert answer.status == 200
    assert answer.header("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    assert answer.header("Access-Control-Allow-Private-Network") == "true"
    assert "POST" in answer.header("Access-Control-Allow-Methods")
    assert set(answer.header("Access-Control-Allow-Headers").lower().split(", ")) == {
        "authorization",
        "content-type",
    }


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:8000", OTHER_EXTENSION, "null"])
def test_preflight_from_anyone_else_gets_no_cors_at_all(transport, origin):
    answer = preflight(transport, origin)
    assert answer.status == 403
    assert not any(name.startswith("access-control-") for name in answer.headers)


def test_responses_are_not_cached_or_sniffed(transport):
    answer = transport.send("POST", "/v1/scan", good(transport), scan_body(TEXT))
    assert answer.header("Cache-Control") == "no-store"
    assert answer.header("X-Content-Type-Options") == "nosniff"


def test_a_failing_view_answers_json_500_and_logs_no_message(tmp_path, caplog):
    app = create_app(make_config(tmp_path, DEMO_PACK / "policy.yaml"))

    def explode():
        raise RuntimeError(CANARY)

    app.add_url_rule("/v1/explode", view_func=explode)
    response = app.test_client().get("/v1/explode", base_url="http://127.0.0.1:8765")
    assert response.status_code == 500
    assert response.get_json() == {
        "error": {"code": "internal_error", "message": "the service failed to handle this request"}
    }
    assert "RuntimeError" in caplog.text
    assert CANARY not in caplog.text


def test_a_giant_body_is_refused_by_waitress_before_it_is_read(real_server):
    with socket.create_connection(("127.0.0.1", real_server.port), timeout=5) as conn:
        head = (
            f"POST /v1/scan HTTP/1.1\r\nHost: 127.0.0.1:{real_server.port}\r\n"
            f"Content-Type: application/json\r\nAuthorization: Bearer {real_server.token()}\r\n"
            "Content-Length: 50000000\r\n\r\n"
        )
        conn.sendall(head.encode() + b'{"text": "' + CANARY.encode())
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert CANARY.encode() not in answer
