"""The egress guard inside `discreet serve`: connections and lookups beyond this machine fail at once.

Audit hooks cannot be removed, so each case runs in a fresh interpreter rather than in pytest's own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent(
    """
    import socket, sys
    from discreet.service.egress_guard import install_egress_guard
    install_egress_guard()
    try:
        {action}
    except PermissionError:
        print("blocked")
    except OSError:
        print("allowed")  # got past the guard to the network stack (refused, unreachable, ...)
    else:
        print("allowed")
    """
)


def probe(action: str) -> str:
    code = PROBE.format(action=action)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    return result.stdout.strip()


@pytest.mark.parametrize(
    "action",
    [
        "socket.create_connection(('192.0.2.1', 443), timeout=1)",
        "socket.socket(socket.AF_INET6).connect(('2001:db8::1', 443))",
        "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('192.0.2.53', 53))",
        "socket.getaddrinfo('example.com', 443)",
        "socket.gethostbyname('example.com')",
        "socket.gethostbyaddr('192.0.2.1')",  # a reverse lookup asks DNS for the PTR record
        "socket.gethostbyaddr('2001:db8::1')",
        "socket.getnameinfo(('192.0.2.1', 443), 0)",
    ],
)
def test_outbound_attempts_are_blocked(action):
    assert probe(action) == "blocked"


@pytest.mark.parametrize(
    "action",
    [
        "socket.create_connection(('127.0.0.1', 9), timeout=1)",
        "socket.getaddrinfo('localhost', 8765)",
        "socket.getaddrinfo('0.0.0.0', 8080)",
        "socket.socket(socket.AF_UNIX).connect('/nonexistent/socket')",
        "socket.gethostbyaddr('127.0.0.1')",
        "socket.getnameinfo(('127.0.0.1', 8765), 0)",
    ],
)
def test_loopback_and_local_lookups_pass(action):
    assert probe(action) == "allowed"


def test_proxy_variables_are_cleared_so_a_loopback_proxy_carries_nothing_out():
    """HTTP(S)_PROXY on loopback passes a connect check; cleared at start, the lookup is blocked instead."""
    with socket.create_server(("127.0.0.1", 0)) as proxy:
        proxy.settimeout(0.5)
        url = f"http://127.0.0.1:{proxy.getsockname()[1]}"
        env = {**os.environ, "HTTP_PROXY": url, "https_proxy": url, "ALL_PROXY": url}
        code = PROBE.format(
            action="import urllib.request; urllib.request.urlopen('http://example.com/', timeout=2)"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
        )
        with pytest.raises(TimeoutError):
            proxy.accept()
    assert "blocked" in result.stdout + result.stderr  # urllib wraps the PermissionError in a URLError
