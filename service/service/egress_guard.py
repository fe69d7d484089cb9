"""Refuse, inside the service process, any network connection that is not to this machine.

Defence in depth behind the rule that nothing leaves the machine: a library that tries to phone home
(a model hub, a public-suffix list download) gets PermissionError instead of a socket. Python audit
hooks see every socket connect, send and name lookup made through the standard library.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys
from typing import Any

log = logging.getLogger("discreet.service")

_LOCAL_NAMES = {None, "", "localhost", b"localhost"}


def is_loopback(host: str) -> bool:
    """`localhost` or an address in 127.0.0.0/8 or ::1."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_local_address(family: int, address: Any) -> bool:
    if family == getattr(socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    return isinstance(host, str) and is_loopback(host)


def _resolves_locally(host: Any) -> bool:
    """Names whose lookup needs no DNS query: loopback names and numeric addresses."""
    if host in _LOCAL_NAMES:
        return True
    if not isinstance(host, str):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return is_loopback(host)
    return True


def allow_collector(host: str, port: int) -> None:
    """The one deliberate exception: the audit collector the machine's admin config names. Its name may be
    looked up, and its addresses reached on exactly that port; nothing else is opened."""
    _collector_names.add(host)
    for *_, address in socket.getaddrinfo(host, port):
        _collectors.add((address[0], port))
    log.info("audit events may go to %s port %d (named by the machine-wide config)", host, port)


def _is_collector(address: Any) -> bool:
    return isinstance(address, tuple) and tuple(address[:2]) in _collectors


def _audit(event: str, args: tuple) -> None:
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg") and args[1] is not None:
        allowed = _is_local_address(args[0].family, args[1]) or _is_collector(args[1])
    elif event in ("socket.getaddrinfo", "socket.gethostbyname"):
        allowed = _resolves_locally(args[0]) or args[0] in _collector_names
    elif event == "socket.gethostbyaddr":  # a reverse lookup of any address but loopback asks DNS
        allowed = args[0] in _LOCAL_NAMES or (isinstance(args[0], str) and is_loopback(args[0]))
    elif event == "socket.getnameinfo":
        allowed = isinstance(args[0], tuple) and isinstance(args[0][0], str) and is_loopback(args[0][0])
    else:
        return
    if not allowed:
        log.warning("blocked an outbound network attempt (%s)", event)
        raise PermissionError("Discreet makes no network connection beyond this machine")


def clear_proxy_settings() -> None:
    """Drop `*_proxy` variables: a proxy on loopback passes the guard and would carry requests out."""
    for name in [name for name in os.environ if name.lower().endswith("_proxy")]:
        del os.environ[name]


def install_egress_guard() -> None:
    """Install once per process, before any third-party library is imported; audit hooks cannot be removed.

    Also clears the proxy settings, which would otherwise route around it.
    """
    clear_proxy_settings()
    if _audit not in _installed:
        sys.addaudithook(_audit)
        _installed.append(_audit)


_installed: list = []
_collectors: set[tuple[str, int]] = set()
_collector_names: set[str] = set()
