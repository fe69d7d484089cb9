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
from discreet.service.capabilities import Capabilities, Capability, LabSessions
from discreet.service.config import ConfigError, ServiceConfig
from discreet.service.contacts import ExtensionContacts
from discreet.service.guards import (
    AllowedOrigins,
    allowed_hosts,
    check_host,
    check_origin,
    pair_code,
    read_json_object,
    require,
    scan_fields,
)
from discreet.service.http_errors import ApiError, register_error_handlers
from discreet.service.pairing import (
    CODE_LIFETIME_SECONDS,
    EXTENSION_ORIGIN,
    PairedOrigins,
    PairingCodes,
    PairingThrottled,
    format_code,
    is_extension_origin,
)
from discreet.service.scan_gate import ScanGate, within_deadline
from discreet.service.scanner_holder import ScannerHolder
from discreet.service.tokens import ensure_token, valid_nonce

log = logging.getLogger("discreet.service")

PAIR_PATH = "/v1/pair"
HELLO_PATH = "/v1/hello"


@dataclass(frozen=True, slots=True)
class ServiceState:
    """What the views share: built once per app from the config, never module globals."""

    config: ServiceConfig
    token: str  # the scan capability: the extension's
    capabilities: Capabilities
    scanners: ScannerHolder
    origins: AllowedOrigins
    codes: PairingCodes
    gate: ScanGate
    hosts: frozenset[str]
    audit: Audit
    contacts: ExtensionContacts


def create_app(config: ServiceConfig) -> Flask:
    """Build the service: loads the policy (PolicyError if bad) and the token (created if missing)."""
    if config.policy is None:
        raise ConfigError("no policy: pass --policy FILE or set `policy` in config.toml")
    try:
        audit = Audit.open(config.audit, config.audit_identity, config.token_file.with_name("audit-key"))
    except SinkError as err:
        raise ConfigError(str(err)) from None
    token = ensure_token(config.token_file)
    state = ServiceState(
        config=config,
        token=token,
        capabilities=Capabilities(token, ensure_token(config.admin_token_file), LabSessions()),
        scanners=ScannerHolder(config.policy, on_reload=audit.record),
        origins=AllowedOrigins(
            [*config.allow_origins, *lab_origins(config.port)], PairedOrigins(config.paired_origins_file)
        ),
        codes=PairingCodes(),
        gate=ScanGate(config.max_concurrent_scans, config.scan_wait_seconds),
        hosts=allowed_hosts(config.host, config.port),
        audit=audit,
        contacts=ExtensionContacts(),
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
        origin = request.headers.get("Origin")
        check_origin(
            origin, state.origins, pairing=request.path == PAIR_PATH, hello=request.path == HELLO_PATH
        )

    # Registered before CORS, so it runs after it: flask-cors answers any extension origin, and this
    # takes the answer back from every origin that is not (or not yet) allowed, but for the server's
    # proof (/v1/hello), which an extension checks before it pairs and which reveals nothing.
    @app.after_request
    def finish(response: Response) -> Response:
        origin = request.headers.get("Origin")
        hello_from_extension = (
            request.path == HELLO_PATH and origin is not None and is_extension_origin(origin)
        )
        if origin not in state.origins and not hello_from_extension:
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


def _extension_call(state: ServiceState) -> None:
    """The scan capability, and the calling extension's last contact stamped for `discreet status`."""
    require(state.capabilities, request.headers.get("Authorization"), Capability.SCAN)
    state.contacts.seen(request.headers.get("Origin"), request.headers.get("User-Agent"))


def _register_views(app: Flask, state: ServiceState) -> None:
    config = state.config

    @app.get("/v1/health")
    def health() -> Response:
        """Without a credential: version, fingerprint and whether the last reload worked, nothing more."""
        policy = state.scanners.current.policy
        reload = state.scanners.status
        answer = {"version": __version__, "policy": policy.fingerprint, "ok": reload.ok}
        granted = state.capabilities.granted(request.headers.get("Authorization"))
        if Capability.LAB in granted:
            answer |= {
                "policy_path": str(policy.path),
                "reload": reload.to_dict(),
                "audit": state.audit.stats(),
            }
        if Capability.ADMIN in granted:  # for `discreet status`: which extensions last talked, and when
            answer["extensions"] = state.contacts.report()
        return jsonify(answer)

    @app.post(HELLO_PATH)
    def hello() -> Response:
        """The server's proof that it holds the token, before any client sends it (SECURITY.md)."""
        body = read_json_object(request, config.max_body_bytes)
        if set(body) != {"nonce"} or not valid_nonce(body["nonce"]):
            raise ApiError(400, "bad_request", "send {'nonce': base64url of 32 random bytes}")
        return jsonify(**state.capabilities.proofs(body["nonce"]), version=__version__)

    @app.post("/v1/scan")
    def scan() -> Response:
        _extension_call(state)
        text, _site = scan_fields(read_json_object(request, config.max_body_bytes), config.max_text_chars)
        loaded = state.scanners.current
        with state.gate.slot(), within_deadline(config.scan_deadline_seconds):
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
        _extension_call(state)
        policy = state.scanners.current.policy
        return jsonify(
            fingerprint=policy.fingerprint,
            categories=[c.to_dict() for c in policy.categories.values()],
        )

    @app.post("/v1/events")
    def events() -> tuple[Response, int]:
        """What people did about findings, for the security team's log: policy names only, never text."""
        _extension_call(state)
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
        require(state.capabilities, request.headers.get("Authorization"), Capability.ADMIN)
        if read_json_object(request, config.max_body_bytes):
            raise ApiError(400, "bad_request", "send an empty JSON object")
        code = state.codes.start()
        log.info("pairing code issued (valid %d s)", CODE_LIFETIME_SECONDS)
        return jsonify(code=format_code(code), expires_in=CODE_LIFETIME_SECONDS)

    @app.post(PAIR_PATH)
    def pair() -> Response:
        code = pair_code(read_json_object(request, config.max_body_bytes))
        origin = request.headers["Origin"]
        try:
            paired = state.codes.redeem(code, origin)
        except PairingThrottled:
            raise ApiError(
                429,
                "too_many_tries",
                "too many wrong codes; wait, or run `discreet pair` again",
                {"Retry-After": "1"},
            ) from None
        if not paired:
            raise ApiError(403, "bad_code", "the code is wrong, used or expired; run `discreet pair` again")
        state.origins.paired.add(origin)
        log.info("paired %s", origin)
        return jsonify(token=state.token)
