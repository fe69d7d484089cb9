"""`discreet serve` as a user runs it: a real waitress server in its own process, on a free loopback port."""

from __future__ import annotations

import json
import re
import signal
import socket
import stat
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service_harness import (
    ALLOWED_ORIGIN,
    DEMO_PACK,
    DISCREET,
    ServiceProcess,
    copy_demo_policy,
    scan_body,
    scan_headers,
)

# strace spells a connect as `connect(5, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(...)}`.
CONNECT = re.compile(r"\b(connect|sendto|sendmsg)\(\d+, (\{sa_family=(\w+)[^}]*\}|NULL)")
LOOPBACK = re.compile(r'inet_addr\("127\.[0-9.]+"\)|inet_pton\(AF_INET6, "::1"')
OPENED_FOR_WRITING = re.compile(r'open(?:at)?\([^"]*"([^"]+)", [^)]*O_(?:WRONLY|RDWR|CREAT)')


def posts_with(canary: str) -> list[str]:
    """Texts that travel every path of a scan: roster, patterns, NER near health words, emoji, paragraphs."""
    return [
        f"Thrilled to have onboarded Riverside CH! {canary}",
        f"Visited Mrs Ellen Harper, a patient on the ward. {canary} 😀\n\nNext: NG-OPS-204 cutover.",
        f"{canary} password: hunter2-{canary} and AKIAIOSFODNN7EXAMPLE",
        f"Plain post about the weather, {canary}.",
    ]


def send_every_bad_request(process: ServiceProcess, canary: str) -> None:
    t = process.http()
    refusals = [
        ({"Content-Type": "application/json"}, scan_body(canary)),
        (scan_headers("x" * 43), scan_body(canary)),
        (scan_headers(t.token, Origin="https://evil.example"), scan_body(canary)),
        (scan_headers(t.token, Host=f"evil.example:{t.port}"), scan_body(canary)),
        (scan_headers(t.token, **{"Content-Type": "text/plain"}), scan_body(canary)),
        (scan_headers(t.token), b'{"text": "' + canary.encode() + b'"'),
        (scan_headers(t.token), b'{"text": "\xff' + canary.encode() + b'"}'),
        (scan_headers(t.token), scan_body(canary * (60_000 // len(canary)))),
        (scan_headers(t.token), scan_body(canary + " " * 700_000)),
    ]
    for headers, body in refusals:
        assert t.send("POST", "/v1/scan", headers, body).status >= 400
    assert t.send("GET", f"/v1/{canary}", {}).status == 404
    t.close()


def scan_concurrently(process: ServiceProcess, texts: list[str], clients: int, rounds: int) -> list[dict]:
    def client(index: int) -> list[dict]:
        t = process.http()
        answers = []
        for n in range(rounds):
            answer = t.send(
                "POST", "/v1/scan", scan_headers(t.token), scan_body(texts[(index + n) % len(texts)])
            )
            assert answer.status == 200, answer.body
            answers.append((texts[(index + n) % len(texts)], answer.json()))
        t.close()
        return answers

    with ThreadPoolExecutor(clients) as pool:
        return [answer for answers in pool.map(client, range(clients)) for answer in answers]


def test_post_text_is_never_written_and_nothing_connects_beyond_loopback(tmp_path):
    canary = f"zq{uuid.uuid4().hex}"
    policy = copy_demo_policy(tmp_path / "policy")
    process = ServiceProcess(tmp_path, ["--policy", str(policy), "--port", "0"], strace=True).start()
    texts = posts_with(canary)
    answers = scan_concurrently(process, texts, clients=4, rounds=8)
    assert any(canary in f["text"] for _, answer in answers for f in answer["findings"])
    send_every_bad_request(process, canary)
    t = process.http()
    assert t.send("POST", "/v1/pair/start", scan_headers(process.admin_token()), b"{}").status == 200
    bad_pair = {"Content-Type": "application/json", "Origin": "moz-extension://" + str(uuid.uuid4())}
    assert t.send("POST", "/v1/pair", bad_pair, json.dumps({"code": canary[:9]}).encode()).status == 403
    t.close()

    assert process.stop(signal.SIGTERM) == 0
    assert "Discreet stopped" in process.output()
    trace = process.trace_file.read_text()
    assert str(policy) in trace  # strace saw the service's own file activity

    written = {Path(p) for p in OPENED_FOR_WRITING.findall(trace)}
    files = {p for p in written if p.is_file()} | {p for p in tmp_path.rglob("*") if p.is_file()}
    files.discard(process.trace_file)
    for path in files:
        assert canary.encode() not in path.read_bytes(), f"post text written to {path}"
    assert canary not in process.output()
    assert canary not in process.stderr()
    assert "POST /v1/scan 200" in process.stderr()  # the access log exists, and holds no text

    connects = CONNECT.findall(trace)
    for call, address, family in connects:
        assert family == "AF_UNIX" or LOOPBACK.search(address) or address == "NULL", f"{call} to {address}"
    assert "blocked an outbound network attempt" not in process.stderr()


def test_sigint_stops_the_service_cleanly_and_frees_the_port(serve, tmp_path):
    process = serve("--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0")
    t = process.http()
    assert t.send("POST", "/v1/scan", scan_headers(t.token), scan_body("hello")).status == 200
    t.close()
    assert process.stop(signal.SIGINT) == 0
    assert "Discreet stopped" in process.output()
    assert "Traceback" not in process.stderr()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", process.port)) != 0


def test_concurrent_clients_get_the_same_answers_as_one_client(serve):
    process = serve("--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0")
    texts = [f"Post {n}: Riverside CH and Elmbrook signed, NG-OPS-{n:03d} starts. 😀" for n in range(40)]
    t = process.http()
    alone = {
        text: t.send("POST", "/v1/scan", scan_headers(t.token), scan_body(text)).json() for text in texts
    }
    t.close()
    answers = scan_concurrently(process, texts, clients=8, rounds=40)
    assert len(answers) == 320
    for text, answer in answers:
        assert answer["findings"] == alone[text]["findings"]
        assert len(answer["findings"]) == 3


def test_categories_are_served_from_the_policy_and_need_the_token(serve, tmp_path):
    policy = copy_demo_policy(tmp_path / "pack")
    policy.write_text(
        policy.read_text("utf-8") + "categories:\n  - {name: client, replacement: one of our clients}\n",
        encoding="utf-8",
    )
    process = serve("--policy", str(policy), "--port", "0")
    t = process.http()
    answer = t.send("GET", "/v1/categories", scan_headers(t.token)).json()
    by_name = {c["name"]: c for c in answer["categories"]}
    assert by_name["client"] == {
        "name": "client",
        "label": "a confidential client",
        "severity": "warn",
        "replacement": "one of our clients",
    }
    assert {"client", "project", "patient", "secret", "personal"} <= set(by_name)
    refused = t.send("GET", "/v1/categories", scan_headers("not-the-token"))
    assert refused.status == 401
    t.close()


def test_a_burst_beyond_the_scan_slots_gets_503_and_the_service_recovers(serve, tmp_path):
    config = tmp_path / "burst.toml"
    config.write_text("max_concurrent_scans = 1\nscan_wait_seconds = 0\nthreads = 8\n")
    process = serve("--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0", "--config", str(config))
    care = "The patient Ellen Harper was seen on the ward by the nurse today. "

    def one(n: int) -> tuple[int, dict, dict]:
        t = process.http()
        text = f"{n} " + care * 300 + f"\n\nParagraph {n}: " + care * 100
        answer = t.send("POST", "/v1/scan", scan_headers(t.token), scan_body(text))
        t.close()
        return answer.status, answer.json(), answer.headers

    with ThreadPoolExecutor(24) as pool:
        results = list(pool.map(one, range(24)))
    statuses = [status for status, _, _ in results]
    assert set(statuses) == {200, 503}, statuses
    for status, body, headers in results:
        if status == 503:
            assert body["error"]["code"] == "busy"
            assert headers["retry-after"] == "1"
    t = process.http()
    assert t.send("GET", "/v1/health", {}).status == 200
    assert t.send("POST", "/v1/scan", scan_headers(t.token), scan_body("after the burst")).status == 200


def test_defaults_need_no_flags_but_the_policy(tmp_path):
    process = ServiceProcess(tmp_path, ["--policy", str(DEMO_PACK / "policy.yaml")])
    user_config = tmp_path / "home" / ".config" / "discreet" / "config.toml"
    user_config.parent.mkdir(parents=True)
    user_config.write_text("port = 0  # the default 8765 may be taken on a test machine\n")
    process.start()
    try:
        assert re.search(r"listening on http://127\.0\.0\.1:\d+", process.output())
        assert (
            f"fingerprint {process.http().send('GET', '/v1/health', {}).json()['policy']}" in process.output()
        )
        assert stat.S_IMODE(process.token_file.stat().st_mode) == 0o600
        assert f"token file {process.token_file}" in process.output()
    finally:
        assert process.stop() == 0


def refused_start(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DISCREET), "serve", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=ServiceProcess(tmp_path, []).env,
    )


def test_non_loopback_address_needs_the_loud_flag(tmp_path):
    result = refused_start(tmp_path, "--policy", str(DEMO_PACK / "policy.yaml"), "--host", "0.0.0.0")
    assert result.returncode == 2
    assert "--i-understand-this-exposes-the-service" in result.stderr
    assert "listening" not in result.stdout


def test_a_broken_policy_stops_the_start_with_file_and_line(tmp_path):
    policy = copy_demo_policy(tmp_path / "policy")
    policy.write_text(policy.read_text() + "\n  - name: [unclosed\n")
    result = refused_start(tmp_path, "--policy", str(policy), "--allow-origin", ALLOWED_ORIGIN)
    assert result.returncode == 2
    assert re.search(rf"{re.escape(str(policy))}:\d+: ", result.stderr)
    assert "Traceback" not in result.stderr


def test_a_tampered_paired_origins_file_stops_the_start(tmp_path):
    paired = tmp_path / "home" / ".config" / "discreet" / "paired-origins.json"
    paired.parent.mkdir(parents=True)
    paired.write_text(json.dumps({"origins": ["https://evil.example"]}))
    result = refused_start(tmp_path, "--policy", str(DEMO_PACK / "policy.yaml"))
    assert result.returncode == 2
    assert f"{paired}: expected" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_taken_port_is_reported_not_shared(serve, tmp_path):
    first = serve("--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0")
    result = subprocess.run(
        [str(DISCREET), "serve", "--policy", str(DEMO_PACK / "policy.yaml"), "--port", str(first.port)],
        capture_output=True,
        text=True,
        timeout=60,
        env=ServiceProcess(tmp_path / "second", []).env,
    )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{first.port}" in result.stderr
    assert first.http().send("GET", "/v1/health", {}).status == 200
