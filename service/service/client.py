"""Calling the running service from this machine's command line (pair, status, native host).

Whoever holds the configured port first (at boot, in the restart window after a crash, another user on a
shared host) would receive whatever a client sends. So before the token or anything else goes out, the
server must prove it holds the token: it answers a fresh random nonce with its HMAC under the token
(POST /v1/hello). Requests then travel on that same proven connection; a new connection is proven again.
No proxy, whatever `http_proxy` says; short timeouts; JSON in and out.
"""

from __future__ import annotations

import hmac
import http.client
import json
from typing import Any

from discreet.service.config import ServiceConfig, service_port
from discreet.service.tokens import hello_proof, new_nonce

_UNSPECIFIED = {"0.0.0.0": "127.0.0.1", "::": "::1"}
MAX_ANSWER_BYTES = 1024 * 1024


class ServiceUnreachable(Exception):
    """Nothing answers at the configured address."""


class NotTheService(ServiceUnreachable):
    """Something answers at the address but cannot prove it holds the token: it is sent nothing."""


class ServiceRefused(Exception):
    """The service answered with an error; str() is its message."""


def _host(config: ServiceConfig) -> str:
    return _UNSPECIFIED.get(config.host, config.host)


def service_url(config: ServiceConfig) -> str:
    host = _host(config)
    port = service_port(config)
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return f"http://{authority}"


class ServiceClient:
    """Requests to the local service over a connection proven to reach the token's holder."""

    def __init__(self, config: ServiceConfig, token: str, timeout: float = 5.0) -> None:
        self._config = config
        self._token = token
        self._admin_token: str | None = None
        self._timeout = timeout
        self._conn: http.client.HTTPConnection | None = None
        self.version: str | None = None

    def __enter__(self) -> ServiceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def get(self, path: str, credential: str | None = None) -> dict[str, Any]:
        return self._request("GET", path, credential, None)

    def post(self, path: str, credential: str | None = None, body: dict[str, Any] | None = None) -> dict:
        return self._request("POST", path, credential, body or {})

    def prove(self) -> str:
        """Open a connection and check the server's proof; returns its version. Raises NotTheService."""
        self.close()
        self._conn = http.client.HTTPConnection(
            _host(self._config), service_port(self._config), timeout=self._timeout
        )
        nonce = new_nonce()
        status, answer = self._send("POST", "/v1/hello", None, {"nonce": nonce})
        proven = (
            status == 200 and isinstance(answer, dict) and _proves(answer.get("proof"), self._token, nonce)
        )
        if proven and self._admin_token is not None:
            proven = _proves(answer.get("admin_proof"), self._admin_token, nonce)
        if not proven:
            self.close()
            raise NotTheService(
                f"the program answering on {service_url(self._config)} is not the Discreet service "
                "(it cannot prove it holds the token); nothing was sent to it"
            )
        self.version = str(answer.get("version", ""))
        return self.version

    def prove_admin(self, admin_token: str) -> None:
        """Let requests carry the local user's admin token, once the server proves it holds that one too:
        the scan token may be machine-wide (a managed install), so its proof alone does not show that the
        server is this user's."""
        self._admin_token = admin_token
        self.prove()

    def _request(self, method: str, path: str, credential: str | None, body: dict | None) -> dict[str, Any]:
        if credential not in (None, self._token, self._admin_token):
            raise ValueError("a credential the server has not proved it holds is never sent")
        if self._conn is None or self._conn.sock is None:
            self.prove()  # a new connection (or one the server closed) is proven before use
        status, answer = self._send(method, path, credential, body)
        if status >= 400:
            error = answer.get("error") if isinstance(answer, dict) else None
            message = error.get("message") if isinstance(error, dict) else None
            raise ServiceRefused(message if isinstance(message, str) else f"HTTP {status}")
        return answer

    def _send(self, method: str, path: str, credential: str | None, body: dict | None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if credential is not None:
            headers["Authorization"] = f"Bearer {credential}"
        data = json.dumps(body).encode() if body is not None else None
        conn = self._conn
        try:
            if conn is None:
                raise ConnectionError("no connection")
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read(MAX_ANSWER_BYTES)
            if response.will_close:
                self.close()
        except (OSError, http.client.HTTPException) as err:
            self.close()
            raise ServiceUnreachable(f"no Discreet service answers on {service_url(self._config)}") from err
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, None


def _proves(proof: object, token: str, nonce: str) -> bool:
    """Whether `proof` is the HMAC of `nonce` under `token` (compared in constant time)."""
    return isinstance(proof, str) and hmac.compare_digest(proof, hello_proof(token, nonce))
