"""The local scan service: a Flask app factory serving /v1 to the browser extension and nothing else.

The post text comes in, goes to the engine and comes back as findings; no log line, error or file of
the service ever holds it. Who may call, and why each check exists, is in SECURITY.md.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from flask import Flask, Response, g, jsonify, request
from flask_cors import CORS

from discreet import __version__
from discreet.audit.events import EventError, parse_client_events
from discreet.audit.recorder import Audit
from discreet.audit.spec import SinkError
from discreet.lab.views import lab_origins, register_lab
from discreet.service.config import ConfigError, ServiceConfig
from discreet.service.guards import (
    AllowedOrigins,
    allowed_hosts,
    check_host,
    check_origin,
    check_token,
    pair_code,
    read_json_object,
    scan_fields,
)
from discreet.service.http_errors import ApiError, register_error_handlers
from discreet.service.pairing import (
    CODE_LIFETIME_SECONDS,
    EXTENSION_ORIGIN,
    PairedOrigins,
    PairingCodes,
    format_code,
)
from discreet.service.scan_gate import ScanGate
from discreet.service.scanner_holder import ScannerHolder
from discreet.service.tokens import ensure_token

log = logging.getLogger("discreet.service")

PAIR_PATH = "/v1/pair"


@dataclass(frozen=True, slots=True)
class ServiceState:
    """What the views share: built once per app from the config, never module globals."""

    config: ServiceConfig
    token: str
    scanners: ScannerHolder
    origins: AllowedOrigins
    codes: PairingCodes
    gate: ScanGate
    hosts: frozenset[str]
    audit: Audit


def create_app(config: ServiceConfig) -> Flask:
    """Build the service: loads the policy (PolicyError if bad) and the token (created if missing)."""
    if config.policy is None:
        raise ConfigError("no policy: pass --policy FILE or set `policy` in config.toml")
    try:
        audit = Audit.open(config.audit, config.audit_identity, config.token_file.with_name("audit-key"))
    except SinkError as err:
        raise ConfigError(str(err)) from None
    state = ServiceState(
        config=config,
        token=ensure_token(config.token_file),
        scanners=ScannerHolder(config.policy, on_reload=audit.record),
        origins=AllowedOrigins(
            [*config.allow_origins, *lab_origins(config.port)], PairedOrigins(config.paired_origins_file)
        ),
        codes=PairingCodes(),
        gate=ScanGate(config.max_concurrent_scans, config.scan_wait_seconds),
        hosts=allowed_hosts(config.host, config.port),
        audit=audit,
    )
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.json.sort_keys = False
    app.extensions["discreet"] = state
    register_error_handlers(app)
    _register_guards(app, state)
    _register_views(app, state)
    register_lab(app)
    audit.record("service_start", state.scanners.current.policy.fingerprint)
    return app


def _register_guards(app: Flask, state: ServiceState) -> None:
    @app.before_request
    def guard() -> None:
        g.started = time.perf_counter()
        check_host(request.headers.get("Host"), state.hosts)
        check_origin(request.headers.get("Origin"), state.origins, pairing=request.path == PAIR_PATH)

    # Registered before CORS, so it runs after it: flask-cors answers any extension origin, and this
    # takes the answer back from every origin that is not (or not yet) allowed.
    @app.after_request
    def finish(response: Response) -> Response:
        if request.headers.get("Origin") not in state.origins:
            for header in [name for name, _ in response.headers if name.startswith("Access-Control-")]:
                del response.headers[header]
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        rule = request.url_rule.rule if request.url_rule else "-"
        elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        log.info("%s %s %d %.1fms", request.method, rule, response.status_code, elapsed_ms)
        return response

    CORS(
        app,
        resources={r"/v1/*": {"origins": [EXTENSION_ORIGIN]}},
        methods=["GET", "POST"],
        allow_headers=["Content-Type", "Authorization"],
        allow_private_network=True,
        max_age=600,
    )


def _register_views(app: Flask, state: ServiceState) -> None:
    config = state.config

    @app.get("/v1/health")
    def health() -> Response:
        policy = state.scanners.current.policy
        return jsonify(
            version=__version__,
            policy_loaded=True,
            policy=policy.fingerprint,
            policy_path=str(policy.path),
            reload=state.scanners.status.to_dict(),
            audit=state.audit.stats(),
        )

    @app.post("/v1/scan")
    def scan() -> Response:
        check_token(state.token, request.headers.get("Authorization"))
        text, _site = scan_fields(read_json_object(request, config.max_body_bytes), config.max_text_chars)
        loaded = state.scanners.current
        with state.gate.slot():
            started = time.perf_counter()
            findings = loaded.scanner.scan(text)
            elapsed_ms = (time.perf_counter() - started) * 1000
        return jsonify(
            findings=[finding.finding() for finding in findings],
            policy=loaded.policy.fingerprint,
            elapsed_ms=round(elapsed_ms, 3),
        )

    @app.get("/v1/categories")
    def categories() -> Response:
        """Labels, severities and replacements, from the policy: the extension keeps no table of its own."""
        check_token(state.token, request.headers.get("Authorization"))
        policy = state.scanners.current.policy
        return jsonify(
            fingerprint=policy.fingerprint,
            categories=[c.to_dict() for c in policy.categories.values()],
        )

    @app.post("/v1/events")
    def events() -> tuple[Response, int]:
        """What people did about findings, for the security team's log: policy names only, never text."""
        check_token(state.token, request.headers.get("Authorization"))
        try:
            reported = parse_client_events(read_json_object(request, config.max_body_bytes))
        except EventError as err:
            raise ApiError(400, "bad_request", str(err)) from None
        loaded = state.scanners.current
        accepted = state.audit.record_client(
            reported, loaded.policy.fingerprint, loaded.policy.categories, loaded.scanner.recognizer_names
        )
        return jsonify(accepted=accepted), 202

    @app.post("/v1/pair/start")
    def pair_start() -> Response:
        check_token(state.token, request.headers.get("Authorization"))
        if read_json_object(request, config.max_body_bytes):
            raise ApiError(400, "bad_request", "send an empty JSON object")
        code = state.codes.start()
        log.info("pairing code issued (valid %d s)", CODE_LIFETIME_SECONDS)
        return jsonify(code=format_code(code), expires_in=CODE_LIFETIME_SECONDS)

    @app.post(PAIR_PATH)
    def pair() -> Response:
        code = pair_code(read_json_object(request, config.max_body_bytes))
        if not state.codes.redeem(code):
            raise ApiError(403, "bad_code", "the code is wrong, used or expired; run `discreet pair` again")
        origin = request.headers["Origin"]
        state.origins.paired.add(origin)
        log.info("paired %s", origin)
        return jsonify(token=state.token)
