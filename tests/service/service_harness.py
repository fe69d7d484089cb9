"""Helpers of the service tests: one request API over two transports, and a real server process.

The same requests go to the Flask app through its test client and to `discreet serve` (waitress) over a
real loopback socket, so every rule is checked both in the app and as a browser would meet it.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask.testing import FlaskClient

from discreet.service.config import ServiceConfig

REPO = Path(__file__).resolve().parents[2]
DEMO_PACK = REPO / "recognizers" / "packs" / "demo"
DISCREET = Path(sys.executable).with_name("discreet")
ALLOWED_ORIGIN = "chrome-extension://" + "abcdefghijklmnopabcdefghijklmnop"
FIREFOX_ORIGIN = "moz-extension://0b6a3f1e-4c2d-4e8f-9a7b-1c2d3e4f5a6b"


def copy_demo_policy(dest: Path) -> Path:
    """A private copy of the demo policy pack, safe to edit for hot-reload tests."""
    shutil.copytree(DEMO_PACK, dest)
    return dest / "policy.yaml"


def make_config(tmp_path: Path, policy: Path, **overrides) -> ServiceConfig:
    values = {
        "policy": policy,
        "port": 8765,
        "token_file": tmp_path / "conf" / "token",
        "admin_token_file": tmp_path / "conf" / "admin-token",
        "paired_origins_file": tmp_path / "conf" / "paired-origins.json",
        "allow_origins": (ALLOWED_ORIGIN,),
        **overrides,
    }
    return ServiceConfig(**values)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class FlaskTransport:
    """Requests through Flask's test client, with the Host a browser would send to 127.0.0.1:port."""

    def __init__(self, client: FlaskClient, port: int, token: str) -> None:
        self.client, self.port, self.token = client, port, token

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | None = None) -> Answer:
        response = self.client.open(
            path, method=method, headers=headers, data=body, base_url=f"http://127.0.0.1:{self.port}"
        )
        return Answer(
            response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.data
        )


class HttpTransport:
    """Requests over a real keep-alive socket; headers are sent exactly as given (Host included)."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | None = None) -> Answer:
        headers = {"Host": f"127.0.0.1:{self.port}", **headers}
        try:
            return self._send(method, path, headers, body)
        except (http.client.HTTPException, ConnectionError):
            self.conn.close()  # the server may close a connection after an error; retry on a fresh one
            return self._send(method, path, headers, body)

    def _send(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> Answer:
        self.conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            if value is not None:
                self.conn.putheader(name, value)
        if body is not None:
            self.conn.putheader("Content-Length", str(len(body)))
        self.conn.endheaders(body)
        response = self.conn.getresponse()
        data = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)

    def close(self) -> None:
        self.conn.close()


def scan_headers(token: str, **extra: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "Authorization": f"Bearer {token}", **extra}


def scan_body(text: str, site: str = "linkedin") -> bytes:
    return json.dumps({"text": text, "site": site}).encode()


@dataclass
class ServiceProcess:
    """`discreet serve` in a subprocess with its own HOME, config dir and TMPDIR under `root`."""

    root: Path
    args: list[str]
    strace: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    port: int = 0
    stdout: list[str] = field(default_factory=list)
    stderr_path: Path | None = None
    _reader: threading.Thread | None = None

    @property
    def env(self) -> dict[str, str]:
        home = self.root / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "DISCREET_"))}
        env.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_STATE_HOME=str(home / ".local" / "state"),
            TMPDIR=str(self.root / "tmp"),
            PYTHONUNBUFFERED="1",
        )
        return {**env, **self.extra_env}

    @property
    def token_file(self) -> Path:
        return self.root / "home" / ".config" / "discreet" / "token"

    @property
    def admin_token_file(self) -> Path:
        return self.token_file.with_name("admin-token")

    def admin_token(self) -> str:
        return self.admin_token_file.read_text().strip()

    @property
    def trace_file(self) -> Path:
        return self.root / "strace.log"

    def start(self, timeout: float = 90) -> ServiceProcess:
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        (self.root / "home").mkdir(parents=True, exist_ok=True)
        command = [str(DISCREET), "serve", *self.args]
        if self.strace:
            traced = "trace=connect,sendto,sendmsg,openat,open,creat,rename,renameat2"
            command = ["strace", "-f", "-qq", "-o", str(self.trace_file), "-e", traced, *command]
        self.stderr_path = self.root / "stderr.log"
        with self.stderr_path.open("wb") as stderr:
            self.proc = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=stderr, env=self.env, text=True
            )
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            if any(line.startswith("token file ") for line in self.stdout):
                listening = next(line for line in self.stdout if " listening on http://" in line)
                self.port = int(listening.rsplit(":", 1)[1])
                return self
            time.sleep(0.05)
        self.stop(signal.SIGKILL)
        raise AssertionError(f"service did not start: {self.output()}\n{self.stderr()}")

    def _read_stdout(self) -> None:
        for line in self.proc.stdout:
            self.stdout.append(line)

    def service_pid(self) -> int:
        """The Python process itself, also when strace sits in between."""
        if not self.strace:
            return self.proc.pid
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        return int(children[0]) if children else self.proc.pid

    def token(self) -> str:
        return self.token_file.read_text().strip()

    def http(self) -> HttpTransport:
        return HttpTransport(self.port, self.token())

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 20) -> int:
        """Signal the service (not strace) and wait for it; returns the exit status."""
        if self.proc.poll() is None:
            os.kill(self.service_pid(), signum)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.service_pid(), signal.SIGKILL)
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=5)
        return self.proc.returncode

    def output(self) -> str:
        return "".join(self.stdout)

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path else ""
