"""The lab's endpoints in the real service app: same guards as /v1/scan, edited policies per request only."""

from __future__ import annotations

import json
import logging

import pytest

from discreet.engine.policy import load_policy
from discreet.engine.scanner import Scanner
from discreet.lab.views import PAGE_CSP
from discreet.service.app import create_app
from discreet.service.config import ServiceConfig
from discreet.service.tokens import read_token

PORT = 8765
EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
TEXT = "Kiwifruit-marker: Riverside CH signed for change CHG-123456."


@pytest.fixture
def app(demo_pack, tmp_path):
    config = ServiceConfig(
        policy=demo_pack,
        port=PORT,
        token_file=tmp_path / "conf" / "token",
        admin_token_file=tmp_path / "conf" / "admin-token",
        paired_origins_file=tmp_path / "conf" / "paired.json",
        allow_origins=(EXTENSION,),
    )
    return create_app(config)


@pytest.fixture
def call(app):
    client = app.test_client()
    token = read_token(
        app.extensions["discreet"].config.admin_token_file
    )  # the lab needs the admin capability

    def send(method: str, path: str, body: dict | None = None, **headers: str):
        values = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        values.update({k.replace("_", "-"): v for k, v in headers.items()})
        values = {k: v for k, v in values.items() if v is not None}
        data = None if body is None else json.dumps(body)
        return client.open(
            path, method=method, data=data, headers=values, base_url=f"http://127.0.0.1:{PORT}"
        )

    return send


def test_lab_page_and_its_files_carry_their_own_strict_csp(call):
    page = call("GET", "/lab", Authorization=None)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert page.headers["Content-Security-Policy"] == PAGE_CSP
    assert b'src="/lab/static/lab.js"' in page.data
    script = call("GET", "/lab/static/lab.js", Authorization=None)
    assert script.status_code == 200 and b"adoptTokenFromFragment" in script.data
    assert script.headers["Content-Security-Policy"] == PAGE_CSP
    api = call("POST", "/v1/scan", {"text": "hello"})
    assert api.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


GUARDS = [
    ({"Authorization": None}, 401, "unauthorized"),
    ({"Authorization": "Bearer wrong"}, 401, "unauthorized"),
    ({"Host": "evil.example:8765"}, 421, "wrong_host"),
    ({"Origin": "https://evil.example"}, 403, "origin_not_allowed"),
    ({"Origin": "http://127.0.0.1:9999"}, 403, "origin_not_allowed"),
]
BODY_GUARDS = [({"Content_Type": "text/plain"}, 415, "unsupported_media_type")]


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "code"),
    [("GET", "/v1/policy", *guard) for guard in GUARDS]
    + [("POST", path, *guard) for path in ("/v1/explain", "/v1/eval") for guard in GUARDS + BODY_GUARDS],
)
def test_lab_endpoints_have_the_scan_guards(call, method, path, headers, status, code):
    answer = call(method, path, {"text": TEXT, "corpus": ""}, **headers)
    assert (answer.status_code, answer.json["error"]["code"]) == (status, code)


@pytest.mark.parametrize("origin", [None, f"http://127.0.0.1:{PORT}", f"http://localhost:{PORT}", EXTENSION])
def test_the_lab_page_origin_and_the_extension_may_call(call, origin):
    assert call("POST", "/v1/explain", {"text": TEXT}, Origin=origin).status_code == 200


def test_explain_answer_marks_what_scan_marks_and_says_why(call):
    scan = call("POST", "/v1/scan", {"text": TEXT, "site": "linkedin"}).json
    answer = call("POST", "/v1/explain", {"text": TEXT, "site": "linkedin"}).json
    assert answer["findings"] == scan["findings"]
    assert answer["policy"] == scan["policy"]
    explained = answer["explain"]["findings"]
    assert [(d["start"], d["end"]) for d in explained] == [(f["start"], f["end"]) for f in scan["findings"]]
    assert explained[0]["source"].startswith("roster entry 'Riverside Community Hospital' as 'Riverside CH'")


def test_edited_copy_is_used_for_that_request_only(call, demo_pack):
    loaded_yaml = call("GET", "/v1/policy").json["yaml"]
    assert loaded_yaml == demo_pack.read_text(encoding="utf-8")
    edited = loaded_yaml.replace("score: 0.8", "score: 0.3")
    answer = call("POST", "/v1/explain", {"text": TEXT, "policy_yaml": edited}).json
    assert [f["text"] for f in answer["findings"]] == [
        "Riverside CH"
    ]  # roster found beside the loaded policy
    [near] = [d for d in answer["explain"]["near_misses"] if d["text"] == "CHG-123456"]
    assert near["status"] == "below_threshold"
    assert answer["policy"].startswith("edited-")
    after = call("POST", "/v1/scan", {"text": TEXT}).json
    assert [f["text"] for f in after["findings"]] == ["Riverside CH", "CHG-123456"]
    assert after["policy"] == call("GET", "/v1/policy").json["fingerprint"]


@pytest.mark.parametrize(
    ("policy_yaml", "message"),
    [
        ("recognizers:\n  - name: [oops\n", "edited copy, line 3: not valid YAML"),
        (
            "recognizers:\n  - name: X\n    supported_entity: CLIENT\n    deny_list_file: nowhere.txt\n",
            "edited copy, line 4: file not found: ",
        ),
    ],
)
def test_broken_edited_copy_is_a_400_naming_the_line(call, policy_yaml, message):
    answer = call("POST", "/v1/explain", {"text": TEXT, "policy_yaml": policy_yaml})
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "bad_policy"
    assert answer.json["error"]["message"].startswith(message)


def test_eval_of_an_uploaded_corpus_with_both_policies(call, demo_pack, small_corpus):
    loaded = call("POST", "/v1/eval", {"corpus": small_corpus}).json
    assert loaded["posts"] == 3 and "changed" not in loaded
    [report] = loaded["reports"]
    assert report["overall"] | {"precision": 0, "recall": 0, "f2": 0} == {
        "tp": 2, "fp": 0, "fn": 0, "precision": 0, "recall": 0, "f2": 0,
    }  # fmt: skip
    edited = demo_pack.read_text(encoding="utf-8").replace("score: 0.8", "score: 0.3")
    both = call("POST", "/v1/eval", {"corpus": small_corpus, "policy_yaml": edited}).json
    assert [r["overall"]["fn"] for r in both["reports"]] == [0, 1]
    assert both["changed"] == [
        {
            "id": "p2",
            "verdict": "worse",
            "gone": [["tp", "project", "CHG-123456"]],
            "new": [["fn", "project", "CHG-123456"]],
        }
    ]


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"corpus": '{"id": 1, "text": "x"}\n{"id": 2}'}, "bad_corpus", "corpus:2: not a corpus line"),
        (
            {"corpus": '{"id": 1, "text": "x", "spans": [{"start": 0, "end": 9, "category": "client"}]}'},
            "bad_corpus",
            "corpus:1: not a corpus line",
        ),
        ({"corpus": 7}, "bad_request", "send 'corpus'"),
        ({"corpus": "", "extra": 1}, "bad_request", "send 'corpus'"),
    ],
)
def test_bad_corpus_upload_is_a_clear_400(call, body, code, message):
    answer = call("POST", "/v1/eval", body)
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == code
    assert answer.json["error"]["message"].startswith(message)


def test_no_post_text_reaches_the_log(call, caplog):
    caplog.set_level(logging.DEBUG)
    call("POST", "/v1/explain", {"text": TEXT})
    call("POST", "/v1/explain", {"text": TEXT, "policy_yaml": "recognizers: [\n"})
    call("POST", "/v1/eval", {"corpus": json.dumps({"id": "a", "text": TEXT, "spans": []})})
    assert "POST /v1/explain 200" in caplog.text
    assert "Kiwifruit" not in caplog.text and "Riverside" not in caplog.text


def test_an_edited_copy_shares_the_loaded_spacy_pipeline_only_for_the_same_model(demo_scanner, demo_pack):
    edited = load_policy(demo_pack, text=demo_pack.read_text(encoding="utf-8") + "model: other_model\n")
    same = Scanner(load_policy(demo_pack), names=demo_scanner.names)
    assert same.names is demo_scanner.names
    assert Scanner(edited, names=demo_scanner.names).names.model == "other_model"


def test_policy_file_gone_since_loading_is_a_503_not_a_crash(call, demo_pack):
    demo_pack.unlink()
    answer = call("GET", "/v1/policy")
    assert (answer.status_code, answer.json["error"]["code"]) == (503, "policy_unreadable")
    assert (
        call("POST", "/v1/scan", {"text": "Riverside CH"}).status_code == 200
    )  # still serving the loaded one
