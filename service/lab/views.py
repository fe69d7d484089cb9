"""The policy lab: a page at /lab where an analyst tries a policy on text and on a labelled corpus.

The page is static (HTML, JS, CSS from this package, nothing from elsewhere); everything it shows comes from
the endpoints below, behind the app's own Host and Origin checks. They need the lab capability, which the
extension's token does not grant: `discreet lab` asks with the local user's admin token for a one-time
link, and the page trades that link for a session. An edited copy of the policy travels with each
request, is validated like any policy (its roster files confined to the loaded policy's folder), is built
and run inside the scan gate under one deadline, and is used for that request only: the lab never
changes what the extension is served.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, jsonify, request, send_from_directory

from discreet.audit.report import summarize
from discreet.engine.explain import explain
from discreet.engine.policy import PolicyError, load_policy
from discreet.engine.scanner import Scanner
from discreet.service.capabilities import LINK_LIFETIME_SECONDS, Capability
from discreet.service.guards import read_json_object, require, scan_fields
from discreet.service.http_errors import ApiError
from discreet.service.scan_gate import within_deadline
from discreet.tuning.comparison import changed_posts
from discreet.tuning.evaluation import evaluate, parse_corpus

if TYPE_CHECKING:
    from discreet.service.app import ServiceState

# Edited policies kept built, so that typing against an edited copy does not rebuild it each time.
EDITED_SCANNERS_KEPT = 2
# An evaluation runs a whole corpus, so it gets a longer deadline than one text.
EVAL_DEADLINE_SECONDS = 60
_STATIC = "static"
# The lab page's own Content-Security-Policy: its files and calls to this service, nothing else.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def lab_origins(port: int) -> tuple[str, ...]:
    """The origins of the lab page itself: a browser sends one of them with every call the page makes."""
    return tuple(f"http://{host}:{port}" for host in ("127.0.0.1", "localhost", "[::1]"))


class EditedScanners:
    """Scanners for edited policy copies, the last few kept; keyed by the YAML and the files it names."""

    def __init__(self, size: int = EDITED_SCANNERS_KEPT) -> None:
        self._size = size
        self._built: OrderedDict[tuple[str, str], Scanner] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, loaded: Scanner, yaml_text: str) -> Scanner:
        try:
            policy = load_policy(loaded.policy.path, text=yaml_text)
        except PolicyError as err:
            # Lines refer to the edited text, not to the file on disk.
            message = str(err).replace(f"{loaded.policy.path}:", "edited copy, line ")
            raise ApiError(400, "bad_policy", message) from None
        digest = hashlib.sha256(yaml_text.encode()).hexdigest()
        key = (digest, policy.fingerprint)
        with self._lock:
            if key in self._built:
                self._built.move_to_end(key)
                return self._built[key]
        scanner = Scanner(replace(policy, fingerprint=f"edited-{digest[:12]}"), names=loaded.names)
        with self._lock:
            self._built[key] = scanner
            while len(self._built) > self._size:
                self._built.popitem(last=False)
        return scanner


@dataclass(frozen=True, slots=True)
class _Lab:
    state: ServiceState
    edited: EditedScanners

    def scanner(self, yaml_text: object) -> Scanner:
        """The loaded policy's Scanner, or one for the edited copy the request carries (call it inside
        the scan gate: building reads roster files and compiles patterns)."""
        loaded = self.state.scanners.current.scanner
        if yaml_text is None:
            return loaded
        if not isinstance(yaml_text, str):
            raise ApiError(400, "bad_request", "'policy_yaml' must be the policy as a string")
        return self.edited.get(loaded, yaml_text)


def register_lab(app: Flask) -> None:
    """Add /lab and its endpoints to the service app (uses the app's ServiceState)."""
    app.register_blueprint(_blueprint(_Lab(app.extensions["discreet"], EditedScanners())))


def _blueprint(lab: _Lab) -> Blueprint:
    bp = Blueprint("lab", __name__, static_folder=_STATIC, static_url_path="/lab/static")
    config = lab.state.config

    @bp.after_request
    def page_policy(response: Response) -> Response:
        if request.path == "/lab" or request.path.startswith("/lab/"):
            response.headers["Content-Security-Policy"] = PAGE_CSP
            response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @bp.get("/lab")
    def page() -> Response:
        return send_from_directory(bp.static_folder, "index.html")

    def allow(needed: Capability) -> None:
        require(lab.state.capabilities, request.headers.get("Authorization"), needed)

    @bp.post("/v1/lab/link")
    def link() -> Response:
        """A one-time URL that opens the lab with a session (for `discreet lab`, with the admin token)."""
        allow(Capability.ADMIN)
        if read_json_object(request, config.max_body_bytes):
            raise ApiError(400, "bad_request", "send an empty JSON object")
        code = lab.state.capabilities.lab.link()
        url = f"http://127.0.0.1:{config.port}/lab#link={code}"
        return jsonify(url=url, expires_in=LINK_LIFETIME_SECONDS)

    @bp.post("/v1/lab/session")
    def session() -> Response:
        body = read_json_object(request, config.max_body_bytes)
        link = body.get("link")
        if set(body) != {"link"} or not isinstance(link, str) or len(link) > 64:
            raise ApiError(400, "bad_request", "send {'link': the code from the lab's one-time URL}")
        token = lab.state.capabilities.lab.redeem(link)
        if token is None:
            raise ApiError(403, "bad_link", "the link is used or expired; run `discreet lab` again")
        return jsonify(token=token)

    @bp.get("/v1/policy")
    def policy() -> Response:
        allow(Capability.LAB)
        loaded = lab.state.scanners.current.policy
        try:
            yaml_text = loaded.path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            raise ApiError(503, "policy_unreadable", "the loaded policy's file cannot be read now") from None
        return jsonify(path=str(loaded.path), fingerprint=loaded.fingerprint, yaml=yaml_text)

    @bp.post("/v1/explain")
    def explain_view() -> Response:
        allow(Capability.LAB)
        body = read_json_object(request, config.max_body_bytes)
        yaml_text = body.pop("policy_yaml", None)
        text, _site = scan_fields(body, config.max_text_chars)
        with lab.state.gate.slot(), within_deadline(config.scan_deadline_seconds):
            scanner = lab.scanner(yaml_text)
            explanation = explain(scanner, text)
        return jsonify(
            findings=[f.finding() for f in explanation.findings],
            explain=explanation.to_dict(),
            policy=scanner.policy.fingerprint,
        )

    @bp.post("/v1/eval")
    def eval_view() -> Response:
        allow(Capability.LAB)
        body = read_json_object(request, config.max_body_bytes)
        yaml_text = body.pop("policy_yaml", None)
        corpus = body.pop("corpus", None)
        if set(body) or not isinstance(corpus, str):
            raise ApiError(400, "bad_request", "send 'corpus' (JSON lines) and optionally 'policy_yaml'")
        try:
            posts = parse_corpus(corpus.splitlines(), "corpus")
        except ValueError as err:
            raise ApiError(400, "bad_corpus", str(err)) from None
        with lab.state.gate.slot(), within_deadline(EVAL_DEADLINE_SECONDS):
            loaded = lab.state.scanners.current.scanner
            edited = lab.scanner(yaml_text) if yaml_text is not None else None
            scanners = [loaded, *([edited] if edited else [])]
            reports = [evaluate(posts, s.scan) for s in scanners]
        answer: dict[str, Any] = {
            "posts": len(posts),
            "reports": [
                {"policy": s.policy.fingerprint, **r.as_dict()}
                for s, r in zip(scanners, reports, strict=True)
            ],
        }
        if edited:
            answer["changed"] = [c.to_dict() for c in changed_posts(*reports)]
        return jsonify(answer)

    @bp.post("/v1/audit/report")
    def audit_report() -> Response:
        """The audit counters since the service started, summarised as `discreet report` shows them."""
        allow(Capability.LAB)
        if read_json_object(request, config.max_body_bytes):
            raise ApiError(400, "bad_request", "send an empty JSON object; the span goes in ?days=N")
        days = request.args.get("days", "7")
        if not days.isdigit() or not 1 <= int(days) <= 366:
            raise ApiError(400, "bad_request", "'days' must be a whole number from 1 to 366")
        return jsonify(summarize(lab.state.audit.counters.rows(), int(days)))

    return bp
