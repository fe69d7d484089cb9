"""Issue 12's attacks by another local process, each replayed against a real `discreet serve`.

One server serves the whole module (started with proxy variables pointing at a loopback listener that
must receive nothing); the attacks that need a policy of their own start a second one.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from service_harness import (
    DISCREET,
    HttpTransport,
    ServiceProcess,
    copy_demo_policy,
    scan_body,
    scan_headers,
)

from discreet.service.tokens import hello_proof, new_nonce

JSON = {"Content-Type": "application/json"}


class Listener:
    """A loopback TCP listener that records every byte it is sent; `reply` answers each read."""

    def __init__(self, reply: bytes = b"") -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.reply = reply
        self.received = bytearray()
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        with conn:
            try:
                while data := conn.recv(65536):
                    self.received += data
                    if self.reply:
                        conn.sendall(self.reply)
            except OSError:
                pass

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def proxy():
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, proxy):
    root = tmp_path_factory.mktemp("attacked")
    policy = copy_demo_policy(root / "pack")
    (root / "outside.txt").write_text("Secret Neighbour Clinic\n")
    url = f"http://127.0.0.1:{proxy.port}"
    proxies = {name: url for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")}
    process = ServiceProcess(root, ["--policy", str(policy), "--port", "0"], extra_env=proxies).start()
    yield process
    assert process.stop() == 0


def admin(process: ServiceProcess, **extra: str) -> dict[str, str]:
    return scan_headers(process.admin_token(), **extra)


def send(process: ServiceProcess, method: str, path: str, headers: dict, body: bytes | None = None):
    t = HttpTransport(process.port, process.token())
    try:
        return t.send(method, path, headers, body)
    finally:
        t.close()


# 1. Connection flood ---------------------------------------------------------------------------------


def test_an_authorised_scan_answers_within_2_s_while_another_process_hoards_connections(server):
    held: list[socket.socket] = []
    stop = threading.Event()
    try:
        for _ in range(100):  # idle: connected, never a byte
            held.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
        refused = []
        for _ in range(100):  # kept alive after a 403, if the server let them
            conn = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            conn.sendall(
                f"POST /v1/scan HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nOrigin: https://evil.example\r\n"
                "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}".encode()
            )
            refused.append(conn)
        held += refused
        trickling = []
        for _ in range(100):  # a request that never finishes arriving
            conn = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            conn.sendall(b"POST /v1/scan HTTP/1.1\r\n")
            trickling.append(conn)
        held += trickling

        def trickle() -> None:
            while not stop.wait(0.5):
                for conn in trickling:
                    with contextlib.suppress(OSError):
                        conn.sendall(b"X")

        threading.Thread(target=trickle, daemon=True).start()
        time.sleep(0.5)

        started = time.monotonic()
        t = HttpTransport(server.port, server.token())
        answer = t.send("POST", "/v1/scan", scan_headers(t.token), scan_body("Riverside CH signed today"))
        elapsed = time.monotonic() - started
        t.close()
        assert answer.status == 200, answer.body
        assert elapsed < 2, f"the scan took {elapsed:.1f} s under the flood"

        for conn in refused:  # a refused request closes its connection after the answer
            conn.settimeout(5)
            data = b""
            while chunk := conn.recv(65536):
                data += chunk
            assert data.startswith(b"HTTP/1.1 403 ")
    finally:
        stop.set()
        for conn in held:
            conn.close()


# 2. Port squatting -----------------------------------------------------------------------------------


def test_pair_status_and_native_host_send_a_squatter_no_token(server, tmp_path):
    fake_proof = json.dumps({"proof": "0" * 64, "version": "0.1.0", "code": "AAAA-BBBB"}).encode()
    squatter = Listener(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(fake_proof)}\r\n\r\n".encode()
        + fake_proof
    )
    config = tmp_path / "squatted.toml"
    config.write_text(f"port = {squatter.port}\n")
    env = server.env
    try:
        status = subprocess.run(
            [str(DISCREET), "status", "--config", str(config)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        pair = subprocess.run(
            [str(DISCREET), "pair", "--config", str(config)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        lab = subprocess.run(
            [str(DISCREET), "lab", "--no-browser", "--config", str(config)],
            capture_output=True, text=True, env=env, timeout=60,
        )  # fmt: skip
        message = json.dumps({"hello": 1}).encode()
        native_env = {**env, "XDG_CONFIG_HOME": str(tmp_path / "native-config")}
        (tmp_path / "native-config" / "discreet").mkdir(parents=True)
        (tmp_path / "native-config" / "discreet" / "config.toml").write_text(
            f'port = {squatter.port}\ntoken_file = "{server.token_file}"\n'
            f'admin_token_file = "{server.admin_token_file}"\n'
        )
        native = subprocess.run(
            [str(DISCREET), "native-host", "chrome-extension://abcdefghijklmnopabcdefghijklmnop/"],
            input=len(message).to_bytes(4, "little") + message,
            capture_output=True, env=native_env, timeout=60,
        )  # fmt: skip
    finally:
        squatter.close()
    assert squatter.connections >= 4
    for secret in (server.token(), server.admin_token()):
        assert secret.encode() not in squatter.received
    requests = re.findall(rb"(?:GET|POST) (\S+) HTTP", bytes(squatter.received))
    assert set(requests) == {b"/v1/hello"}, requests  # only the challenge, never a scan or pairing call
    assert status.returncode == 2 and "is not the Discreet service" in status.stdout  # 2: down
    assert "NOT PROTECTED" in status.stdout
    assert pair.returncode == 1 and "is not the Discreet service" in pair.stderr
    assert lab.returncode == 1 and "is not the Discreet service" in lab.stderr
    reply = json.loads(native.stdout[4:])
    assert reply["pairingCode"] is None and "is not the Discreet service" in reply["serviceProblem"]


class ScanTokenSquatter:
    """A local process that knows the machine-wide scan token (a managed install makes it readable to every
    local user) and squats a port: it proves the scan token, answers everything else, records every byte."""

    def __init__(self, scan_token: str) -> None:
        self.received = bytearray()
        squatter = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                squatter.received += self.requestline.encode() + bytes(self.headers) + body
                answer = {"code": "AAAA-BBBB", "url": "http://127.0.0.1/lab#link=x", "version": "0.1.0"}
                if self.path == "/v1/hello":
                    answer["proof"] = hello_proof(scan_token, json.loads(body)["nonce"])
                self._answer(answer)

            def do_GET(self) -> None:
                squatter.received += self.requestline.encode() + bytes(self.headers)
                self._answer({"version": "0.1.0", "policy": "x", "ok": True})

            def _answer(self, answer: dict) -> None:
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_squatter_that_knows_the_scan_token_gets_no_admin_token(server, tmp_path):
    squatter = ScanTokenSquatter(server.token())
    config = tmp_path / "squatted.toml"
    config.write_text(
        f'port = {squatter.port}\ntoken_file = "{server.token_file}"\n'
        f'admin_token_file = "{server.admin_token_file}"\n'
    )
    try:
        for command in (["status"], ["pair"], ["lab", "--no-browser"], ["report"]):
            run = subprocess.run(
                [str(DISCREET), *command, "--config", str(config)],
                capture_output=True, text=True, env=server.env, timeout=60,
            )  # fmt: skip
            assert run.returncode != 0, (command, run.stdout)
            assert "is not the Discreet service" in run.stdout + run.stderr, (command, run.stdout, run.stderr)
    finally:
        squatter.close()
    assert squatter.received, "the commands did reach the squatter"
    assert server.admin_token().encode() not in squatter.received
    requests = re.findall(rb"(?:GET|POST) (\S+) HTTP", bytes(squatter.received))
    assert set(requests) == {b"/v1/hello"}, requests


def test_hello_proves_the_token_without_revealing_it(server):
    nonce = new_nonce()
    answer = send(server, "POST", "/v1/hello", JSON, json.dumps({"nonce": nonce}).encode())
    assert answer.status == 200
    assert answer.json()["proof"] == hello_proof(server.token(), nonce)
    assert server.token().encode() not in answer.body
    for bad in ({}, {"nonce": "short"}, {"nonce": nonce, "x": 1}, {"nonce": 5}):
        refused = send(server, "POST", "/v1/hello", JSON, json.dumps(bad).encode())
        assert (refused.status, refused.json()["error"]["code"]) == (400, "bad_request")
    page = send(server, "POST", "/v1/hello", {**JSON, "Origin": "https://evil.example"}, b"{}")
    assert page.status == 403
    unpaired = "chrome-extension://" + "m" * 32  # an extension proves the server before it pairs
    early = send(
        server, "POST", "/v1/hello", {**JSON, "Origin": unpaired}, json.dumps({"nonce": nonce}).encode()
    )
    assert early.status == 200 and early.header("Access-Control-Allow-Origin") == unpaired
    assert send(server, "GET", "/v1/health", {"Origin": unpaired}).status == 403  # and nothing else


def test_status_proves_the_real_service_and_reports_it(server):
    config = server.root / "home" / ".config" / "discreet" / "config.toml"
    config.write_text(f"port = {server.port}\n")  # status finds the port where a user's config puts it
    result = subprocess.run(
        [str(DISCREET), "status"], capture_output=True, text=True, env=server.env, timeout=60
    )
    assert f"running at http://127.0.0.1:{server.port}" in result.stdout, result.stdout + result.stderr
    assert "policy.yaml" in result.stdout  # the admin token shows the path


# 3. Capabilities, roster confinement, one deadline ---------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/policy", None),
        ("POST", "/v1/pair/start", b"{}"),
        ("POST", "/v1/explain", b'{"text": "hi"}'),
        ("POST", "/v1/eval", b'{"corpus": ""}'),
        ("POST", "/v1/lab/link", b"{}"),
    ],
)
def test_the_extension_token_cannot_administer(server, method, path, body):
    answer = send(server, method, path, scan_headers(server.token()), body)
    assert (answer.status, answer.json()["error"]["code"]) == (403, "not_permitted")
    assert b"Riverside" not in answer.body


def test_discreet_lab_opens_a_one_time_link_to_a_lab_session(server):
    config = server.root / "lab.toml"
    config.write_text(f"port = {server.port}\n")
    shown = subprocess.run(
        [str(DISCREET), "lab", "--no-browser", "--config", str(config)],
        capture_output=True, text=True, env=server.env, timeout=60,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    url = re.search(r"(http://127\.0\.0\.1:\d+/lab#link=(\S+))", shown.stdout)
    link = url.group(2)
    page_origin = f"http://127.0.0.1:{server.port}"
    session = send(
        server,
        "POST",
        "/v1/lab/session",
        {**JSON, "Origin": page_origin},
        json.dumps({"link": link}).encode(),
    )
    assert session.status == 200
    lab = scan_headers(session.json()["token"], Origin=page_origin)
    policy = send(server, "GET", "/v1/policy", lab)
    assert policy.status == 200 and "recognizers" in policy.json()["yaml"]
    again = send(server, "POST", "/v1/lab/session", JSON, json.dumps({"link": link}).encode())
    assert (again.status, again.json()["error"]["code"]) == (403, "bad_link")
    assert send(server, "POST", "/v1/pair/start", lab, b"{}").status == 403  # a lab session cannot pair


def edited_with_roster(named: str) -> bytes:
    yaml = f"recognizers:\n  - name: Probe\n    supported_entity: CLIENT\n    category: client\n    deny_list_file: {named}\n"
    return json.dumps({"text": "Secret Neighbour Clinic and root", "policy_yaml": yaml}).encode()


@pytest.mark.parametrize(
    ("named", "problem"),
    [
        ("{root}/outside.txt", "must name a file in the policy's folder"),
        ("../outside.txt", "must name a file in the policy's folder"),
        ("/etc/passwd", "must name a file in the policy's folder"),
        ("escape.txt", "must name a file in the policy's folder"),  # a symlink out of the folder
        ("pipe", "not a regular file"),
        ("zero", "must name a file in the policy's folder"),  # a symlink to /dev/zero
        ("giant.txt", "larger than"),
    ],
)
def test_a_lab_edit_cannot_read_beyond_the_policy_folder_or_hang(server, named, problem):
    pack = server.root / "pack"
    if not (pack / "pipe").exists():
        os.mkfifo(pack / "pipe")
        (pack / "zero").symlink_to("/dev/zero")
        (pack / "escape.txt").symlink_to(server.root / "outside.txt")
        with (pack / "giant.txt").open("wb") as giant:
            giant.truncate(17 * 1024 * 1024)
    started = time.monotonic()
    body = edited_with_roster(named.format(root=server.root))
    answer = send(server, "POST", "/v1/explain", admin(server), body)
    assert time.monotonic() - started < 5
    assert (answer.status, answer.json()["error"]["code"]) == (400, "bad_policy")
    assert problem in answer.json()["error"]["message"]
    assert b"Secret Neighbour" not in answer.body


@pytest.fixture(scope="module")
def slow_policy_server(tmp_path_factory):
    """A policy whose one pattern backtracks catastrophically, and whose name tries to forge a log line."""
    root = tmp_path_factory.mktemp("slow")
    policy = root / "policy.yaml"
    policy.write_text(
        "recognizers:\n"
        '  - name: "Slow\\n2030-01-01 00:00:00,000 INFO discreet.service: FORGED"\n'
        "    supported_entity: PROJECT\n    category: project\n"
        '    patterns: [{name: "catastrophic\\nFORGED", regex: "(a|aa)+$", score: 0.9}]\n'
        "builtin_recognizers: []\n"
    )
    process = ServiceProcess(root, ["--policy", str(policy), "--port", "0"]).start()
    yield process, policy
    assert process.stop() == 0


def test_a_catastrophic_pattern_is_cut_off_by_one_deadline_while_health_answers(slow_policy_server):
    process, _ = slow_policy_server
    text = "\n\n".join("a" * 40 + f"b{n}" for n in range(300))  # 300 paragraphs x 50 ms would be 15 s
    result: dict = {}

    def scan() -> None:
        started = time.monotonic()
        result["answer"] = send(process, "POST", "/v1/scan", scan_headers(process.token()), scan_body(text))
        result["seconds"] = time.monotonic() - started

    scanning = threading.Thread(target=scan)
    scanning.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert send(process, "GET", "/v1/health", {}).status == 200
    assert time.monotonic() - started < 1
    scanning.join(10)
    assert result["seconds"] < 5
    assert (result["answer"].status, result["answer"].json()["error"]["code"]) == (503, "too_slow")
    quick = send(process, "POST", "/v1/scan", scan_headers(process.token()), scan_body("a short post"))
    assert quick.status == 200


def test_log_lines_cannot_be_forged_and_health_keeps_errors_to_the_admin(slow_policy_server):
    process, policy = slow_policy_server
    send(process, "POST", "/v1/scan", scan_headers(process.token()), scan_body("a" * 40 + "b"))
    policy.write_text(policy.read_text() + '  - name: "Broken\\nFORGED line"\n    supported_entity: X\n')
    deadline = time.monotonic() + 20
    while send(process, "GET", "/v1/health", {}).json()["ok"] and time.monotonic() < deadline:
        time.sleep(0.2)
    public = send(process, "GET", "/v1/health", {})
    assert set(public.json()) == {"version", "policy", "ok"} and public.json()["ok"] is False
    assert str(policy).encode() not in public.body and b"Broken" not in public.body
    details = send(process, "GET", "/v1/health", admin(process)).json()
    assert details["reload"]["error"].startswith(f"{policy}:")
    log = process.stderr()
    assert "timed out" in log and "policy reload failed" in log
    assert not [line for line in log.splitlines() if line.startswith(("2030-01-01", "FORGED"))]
    assert "\\nFORGED" in log


# 4-6. Health, pairing, giant numbers -----------------------------------------------------------------


def test_a_5000_digit_integer_is_a_400_not_a_500(server):
    for path, headers in (("/v1/scan", scan_headers(server.token())), ("/v1/hello", JSON)):
        body = b'{"text": "x", "nonce": ' + b"9" * 5000 + b"}"
        answer = send(server, "POST", path, headers, body)
        assert (answer.status, answer.json()["error"]["code"]) == (400, "malformed_json")
    assert "internal error" not in server.stderr()


# 8-9. Egress and core dumps --------------------------------------------------------------------------


def test_a_proxy_on_loopback_receives_nothing_from_the_service(server, proxy):
    send(server, "POST", "/v1/scan", scan_headers(server.token()), scan_body("Riverside CH"))
    assert proxy.connections == 0 and not proxy.received


def test_the_service_makes_no_core_dump(server):
    limits = Path(f"/proc/{server.service_pid()}/limits").read_text()
    assert re.search(r"^Max core file size\s+0\s+0\s", limits, re.MULTILINE), limits


def test_a_predefined_recognizer_that_is_unknown_or_cloud_backed_is_refused(tmp_path):
    for name in ("AzureAILanguageRecognizer", "TransformersRecognizer", "NoSuchRecognizer"):
        policy = tmp_path / f"{name}.yaml"
        policy.write_text(f"recognizers:\n  - name: {name}\n    type: predefined\n    category: personal\n")
        result = subprocess.run(
            [str(DISCREET), "serve", "--policy", str(policy), "--port", "0"],
            capture_output=True, text=True, timeout=60, env=ServiceProcess(tmp_path / name, []).env,
        )  # fmt: skip
        assert result.returncode == 2
        assert f"{policy}:3: recognizer '{name}': 'type: predefined' needs one of" in result.stderr
