"""The checks every request passes before the engine sees it; each closes one way in for a web page.

Order matters: Host (DNS rebinding), Origin (other web pages), token (anything without the secret),
Content-Type (preflight-free "simple" requests), size, then the JSON shape. See SECURITY.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flask import Request

from discreet.service.capabilities import Capabilities, Capability
from discreet.service.egress_guard import is_loopback
from discreet.service.http_errors import ApiError
from discreet.service.pairing import PairedOrigins, is_extension_origin
from discreet.service.tokens import token_matches

SITES = ("linkedin", "x", "other")


def allowed_hosts(bind_host: str, port: int) -> frozenset[str]:
    """Host header values that name this service; a rebound DNS name is not one of them."""
    names = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    if not is_loopback(bind_host):
        names.add(f"[{bind_host}]:{port}" if ":" in bind_host else f"{bind_host}:{port}")
    return frozenset(names)


def check_host(host_header: str | None, hosts: frozenset[str]) -> None:
    if (host_header or "").lower() not in hosts:
        raise ApiError(421, "wrong_host", "the Host header does not name this service")


class AllowedOrigins:
    """Origins from config and --allow-origin, plus those admitted by pairing (which can grow live)."""

    def __init__(self, configured: Iterable[str], paired: PairedOrigins) -> None:
        self._configured = frozenset(origin.lower() for origin in configured)
        self.paired = paired

    def __contains__(self, origin: object) -> bool:
        return isinstance(origin, str) and (origin.lower() in self._configured or origin in self.paired)


def check_origin(origin: str | None, allowed: AllowedOrigins, pairing: bool, hello: bool = False) -> None:
    """A request with an Origin comes from a browser: only our extensions may call, and only they may pair.

    `hello` (the server's proof) is open to any extension, since one proves the server before pairing.
    """
    if pairing:
        if origin is None or not is_extension_origin(origin):
            raise ApiError(403, "origin_not_allowed", "only a browser extension can pair with the service")
    elif origin is not None and origin not in allowed and not (hello and is_extension_origin(origin)):
        raise ApiError(403, "origin_not_allowed", "this origin may not call the service")


def check_token(expected: str, authorization: str | None) -> None:
    if not token_matches(expected, authorization):
        raise ApiError(
            401,
            "unauthorized",
            "a valid 'Authorization: Bearer <token>' header is required",
            {"WWW-Authenticate": 'Bearer realm="discreet"'},
        )


def require(capabilities: Capabilities, authorization: str | None, needed: Capability) -> None:
    """401 without a credential we know; 403 when the credential does not grant `needed`."""
    granted = capabilities.granted(authorization)
    if not granted:
        check_token(capabilities.scan_token, None)
    if needed not in granted:
        raise ApiError(
            403,
            "not_permitted",
            "this needs the local user's admin capability (run `discreet lab` or `discreet pair`)",
        )


def read_json_object(request: Request, max_bytes: int) -> dict[str, Any]:
    """The body as a JSON object, refusing anything a browser could send without a preflight."""
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if request.mimetype != "application/json" or charset not in ("utf-8", "utf8"):
        raise ApiError(415, "unsupported_media_type", "send 'Content-Type: application/json' (UTF-8)")
    if request.content_length is not None and request.content_length > max_bytes:
        raise ApiError(413, "body_too_large", f"the request body is larger than {max_bytes} bytes")
    raw = request.get_data(cache=False)
    if len(raw) > max_bytes:
        raise ApiError(413, "body_too_large", f"the request body is larger than {max_bytes} bytes")
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, "bad_encoding", "the request body is not valid UTF-8") from None
    except RecursionError:
        raise ApiError(400, "malformed_json", "the JSON is nested too deeply") from None
    except json.JSONDecodeError as err:
        where = f"at line {err.lineno} column {err.colno}"
        raise ApiError(400, "malformed_json", f"the request body is not valid JSON ({where})") from None
    except ValueError:  # an integer longer than Python converts (4300 digits)
        raise ApiError(400, "malformed_json", "the request body holds a number that is too long") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the request body must be a JSON object")
    return body


def scan_fields(body: dict[str, Any], max_text_chars: int) -> tuple[str, str]:
    """`text` and `site` of a scan request, with errors that say which field is wrong."""
    _only_keys(body, {"text", "site"})
    text, site = body.get("text"), body.get("site", "other")
    if not isinstance(text, str):
        raise ApiError(400, "bad_request", "'text' must be a string")
    if site not in SITES:
        raise ApiError(400, "bad_request", f"'site' must be one of {', '.join(SITES)}")
    if len(text) > max_text_chars:
        raise ApiError(413, "text_too_long", f"'text' is longer than {max_text_chars} characters")
    return text, site


def pair_code(body: dict[str, Any]) -> str:
    _only_keys(body, {"code"})
    code = body.get("code")
    if not isinstance(code, str) or len(code) > 32:
        raise ApiError(400, "bad_request", "'code' must be the short code `discreet pair` printed")
    return code


def _only_keys(body: dict[str, Any], known: set[str]) -> None:
    if set(body) - known:
        raise ApiError(400, "bad_request", f"unknown field; the fields are {', '.join(sorted(known))}")
