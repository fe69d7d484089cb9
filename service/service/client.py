"""Calling the running service from this machine's command line (status, native host): its loopback
address from the config, no proxy whatever `http_proxy` says, short timeouts, JSON in and out."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from discreet.service.config import ServiceConfig

_UNSPECIFIED = {"0.0.0.0": "127.0.0.1", "::": "::1"}


class ServiceUnreachable(Exception):
    """Nothing answers at the configured address."""


class ServiceRefused(Exception):
    """The service answered with an error; str() is its message."""


def service_url(config: ServiceConfig) -> str:
    host = _UNSPECIFIED.get(config.host, config.host)
    authority = f"[{host}]:{config.port}" if ":" in host else f"{host}:{config.port}"
    return f"http://{authority}"


def call(config: ServiceConfig, path: str, token: str | None = None, timeout: float = 5.0) -> dict[str, Any]:
    """GET `path`, or POST an empty JSON object with the Bearer token when one is given."""
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        service_url(config) + path,
        data=b"{}" if token is not None else None,
        method="POST" if token is not None else "GET",
        headers=headers,
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as err:
        try:
            message = json.load(err)["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = f"HTTP {err.code}"
        raise ServiceRefused(message) from None
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise ServiceUnreachable(f"no Discreet service answers on {service_url(config)}") from err
