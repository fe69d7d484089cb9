"""Every error the service answers is JSON `{"error": {"code", "message"}}`: never HTML, never a traceback.

Messages are fixed strings written here or in the guards; none quotes the request, so no post text can
reach a client's console or a log through an error.
"""

from __future__ import annotations

import logging
import traceback

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("discreet.service")


class ApiError(Exception):
    """A refusal with its HTTP status, a stable machine code and a message for people."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    response = jsonify(error={"code": code, "message": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(err: ApiError) -> Response:
        return error_response(err.status, err.code, err.message, err.headers)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Response:
        status = err.code or 500
        code = (err.name or "error").lower().replace(" ", "_")
        headers = {"Allow": ", ".join(err.valid_methods)} if getattr(err, "valid_methods", None) else None
        return error_response(status, code, _HTTP_MESSAGES.get(status, err.name or "error"), headers)

    @app.errorhandler(Exception)
    def unexpected(err: Exception) -> Response:
        log.error("internal error %s at %s", type(err).__name__, _where(err))
        return error_response(500, "internal_error", "the service failed to handle this request")


_HTTP_MESSAGES = {
    400: "the request could not be understood",
    404: "no such endpoint; see /v1/health, /v1/scan, /v1/pair",
    405: "this endpoint does not take that method",
    413: "the request body is too large",
}


def _where(err: BaseException) -> str:
    """The frames of a traceback without its message or locals, which may hold post text."""
    frames = traceback.extract_tb(err.__traceback__)
    return " <- ".join(f"{frame.filename}:{frame.lineno} {frame.name}" for frame in reversed(frames[-4:]))
