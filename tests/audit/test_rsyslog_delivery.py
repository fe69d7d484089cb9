"""Audit events from a real `discreet serve` to Debian's rsyslogd, over a unix datagram socket, UDP and TCP
on loopback, and to a JSON-lines file: what was driven arrives, counted right, and no text ever does.

One service and one rsyslogd serve the whole module: the run is driven once (8 clients typing and posting,
a policy reload and a refused one, events with text smuggled in) and each test judges one aspect of it.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import threading
import time
from collections import Counter

import pytest
from service_harness import DEMO_PACK, DISCREET, ServiceProcess, scan_body, scan_headers

from discreet.audit.identity import machine_id, pseudonym

CANARY = "canary-4c1f9e Kestrel-Moonrise"
POST = (
    f"{CANARY}: thrilled to welcome Riverside Community Hospital as our newest client. "
    "Elmbrook Medical signed too, and project Bluejay went live with ticket CHG-123456."
)
CLIENTS = 8
POSTS_PER_CLIENT = 2
STEP = 3  # characters typed between two scans
ACTIONS = ("posted_anyway", "replaced", "ignored")


def post(http, path: str, body: dict) -> tuple[int, dict]:
    answer = http.send("POST", path, scan_headers(http.token), json.dumps(body).encode())
    return answer.status, answer.json()


def type_and_post(http, client: int, expected: Counter, per_recognizer: Counter, lock: threading.Lock) -> int:
    """Type POST character by character (a scan every STEP characters), then report what the extension
    would: each finding shown once, and the client's action on each. Returns how many scans it made."""
    scans = 0
    for _ in range(POSTS_PER_CLIENT):
        for end in [*range(STEP, len(POST), STEP), len(POST)]:
            status, answer = post(http, "/v1/scan", json.loads(scan_body(POST[:end])))
            assert status == 200
            scans += 1
        findings = answer["findings"]
        action = ACTIONS[client % len(ACTIONS)]
        events = [
            {"type": kind, "site": "linkedin", **{k: f[k] for k in ("category", "recognizer", "severity")}}
            for kind in ("finding_shown", action)
            for f in findings
        ]
        if client == 6:
            events.append({"type": "post_blocked", "site": "x", "severity": "block"})
        if client == 7:
            events.append({"type": "post_unchecked", "site": "other"})
        status, answer = post(http, "/v1/events", {"events": events})
        assert (status, answer) == (202, {"accepted": len(events)})
        with lock:
            expected.update(e["type"] for e in events)
            per_recognizer.update((e["type"], e.get("recognizer")) for e in events)
    return scans


def wait_until(check, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def scan_latency_ms(http, label: str, count: int = 30) -> float:
    """Median time of `count` scans of texts the cache has not seen."""
    times = []
    for n in range(count):
        started = time.perf_counter()
        status, _ = post(
            http, "/v1/scan", json.loads(scan_body(f"{label} {n}: Riverside CH signed, CHG-{n:06d}."))
        )
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200
    return statistics.median(times)


@pytest.fixture(scope="module")
def run(rsyslog, tmp_path_factory):
    root = tmp_path_factory.mktemp("audit-run")
    pack = root / "pack"
    shutil.copytree(DEMO_PACK, pack)
    config = root / "config.toml"
    config.write_text('audit_identity = "pseudonym"\nreload_interval = 0.2\n', encoding="utf-8")
    events_file = root / "events.jsonl"
    service = ServiceProcess(
        root / "svc",
        [
            *("--policy", str(pack / "policy.yaml"), "--port", "0", "--config", str(config)),
            *(
                "--audit",
                f"syslog:unix:{rsyslog.socket}",
                "--audit",
                f"syslog:udp://127.0.0.1:{rsyslog.port}",
            ),
            *("--audit", f"syslog:tcp://127.0.0.1:{rsyslog.tcp_port}", "--audit", f"file:{events_file}"),
        ],
    ).start()
    expected: Counter = Counter({"service_start": 1})
    per_recognizer: Counter = Counter()
    lock = threading.Lock()
    try:
        scans: list[int] = []
        clients = [threading.Thread(target=lambda i=i: scans.append(
            type_and_post(service.http(), i, expected, per_recognizer, lock))) for i in range(CLIENTS)]  # fmt: skip
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        assert len(scans) == CLIENTS, "a typing client failed"
        http = service.http()
        # Text smuggled into events: an unknown field is refused; a name the policy does not define is
        # recorded as "unknown", never as given.
        smuggled = {"type": "finding_shown", "site": "x", "category": "client", "recognizer": CANARY}
        refused = [
            {"events": [{**smuggled, "recognizer": "Northgate client roster", "text": CANARY}]},
            {"events": [{**smuggled, "type": "keystroke"}]},
            {"events": [{**smuggled, "recognizer": CANARY + "\n"}]},
            {"events": [smuggled] * 101},
        ]
        refusals = [post(http, "/v1/events", body) for body in refused]
        assert post(http, "/v1/events", {"events": [smuggled, {**smuggled, "category": "Bluejay"}]})[0] == 202
        expected["finding_shown"] += 2
        per_recognizer[("finding_shown", "unknown")] += 1
        per_recognizer[("finding_shown", "Northgate client roster")] += 0
        per_recognizer[("finding_shown", CANARY)] += 1  # the second: recognizer is the canary too
        # A policy edit is reloaded; a broken one is refused and the old policy serves on.
        with (pack / "clients.txt").open("a", encoding="utf-8") as roster:
            roster.write("Zephyr Clinic\n")
        before = http.send("GET", "/v1/health", {}).json()["policy"]
        wait_until(lambda: http.send("GET", "/v1/health", {}).json()["policy"] != before)
        (pack / "policy.yaml").write_text("recognizers:\n  - name: [broken\n", encoding="utf-8")
        wait_until(lambda: http.send("GET", "/v1/health", {}).json()["ok"] is False)
        expected.update(["policy_reload", "policy_reload_refused"])
        admin = scan_headers(service.admin_token())  # the counters are the lab's view: the admin's
        counters = http.send("POST", "/v1/audit/report?days=1", admin, b"{}").json()
        delivered = sum(expected.values())
        received = rsyslog.wait_for(3 * delivered)
        # The sink goes down: scans keep their pace, events are still accepted, drops are counted.
        latency_up = scan_latency_ms(http, "up")
        rsyslog.stop()
        latency_down = scan_latency_ms(http, "down")
        started = time.perf_counter()
        for _ in range(5):
            assert (
                post(http, "/v1/events", {"events": [{"type": "post_unchecked", "site": "x"}] * 5})[0] == 202
            )
        events_ms = (time.perf_counter() - started) * 1000 / 5
        expected["post_unchecked"] += 25
        wait_until(
            lambda: all(
                s["queued"] == 0 for s in http.send("GET", "/v1/health", admin).json()["audit"]["sinks"]
            )
        )
        health = http.send("GET", "/v1/health", admin).json()
    finally:
        assert service.stop() == 0
    expected["service_stop"] += 1
    per_recognizer = Counter({key: n for key, n in per_recognizer.items() if n})
    return {
        "service": service,
        "pack": pack,
        "expected": expected,
        "per_recognizer": per_recognizer,
        "delivered": delivered,
        "scans": sum(scans),
        "refusals": refusals,
        "received": received,
        "events_file": events_file,
        "counters": counters,
        "latency": (latency_up, latency_down, events_ms),
        "health": health,
    }


def file_events(run) -> list[dict]:
    return [json.loads(line) for line in run["events_file"].read_text(encoding="utf-8").splitlines()]


def test_every_event_arrives_over_the_unix_socket_and_udp_as_rfc5424_json(run):
    driven = run["expected"] - Counter({"service_stop": 1, "post_unchecked": 25})
    for transport in ("imuxsock", "imudp", "imtcp"):
        messages = [m for m in run["received"] if m["input"] == transport]
        assert Counter(m["msgid"] for m in messages) == driven, transport
        for message in messages:
            event = json.loads(message["msg"])
            assert (message["version"], message["app"]) == ("1", "discreet")
            assert message["procid"] == str(run["service"].service_pid())
            assert int(message["pri"]) == 8 + event["event"]["severity"]  # facility user
            assert event["event"]["action"] == message["msgid"]
            assert event["ecs"]["version"] and event["discreet"]["schema_version"] == 1
            if message["msgid"] in ("finding_shown", "posted_anyway", "replaced", "ignored"):
                assert event["rule"]["name"] and event["rule"]["category"] and event["discreet"]["action"]


def test_counts_per_type_and_recognizer_match_what_was_driven(run):
    events = file_events(run)
    assert Counter(e["event"]["action"] for e in events) == run["expected"]
    from_extension = Counter(
        (e["event"]["action"], e.get("rule", {}).get("name"))
        for e in events
        if e["event"]["provider"] == "extension"
    )
    expected = run["per_recognizer"].copy()
    expected[("finding_shown", "unknown")] += expected.pop(("finding_shown", CANARY))
    expected[("post_unchecked", None)] += 25
    assert from_extension == expected
    assert [status for status, _ in run["refusals"]] == [400, 400, 400, 400]


def test_no_post_text_matched_value_or_roster_name_reaches_any_output(run, roster_names):
    names = [*roster_names, "Zephyr Clinic"]
    outputs = {
        "rsyslog": "\n".join(m["msg"] for m in run["received"]),
        "event file": run["events_file"].read_text(encoding="utf-8"),
        "service output": run["service"].output() + run["service"].stderr(),
        "refusals": json.dumps(run["refusals"]),
    }
    for where, text in outputs.items():
        assert CANARY not in text and "canary" not in text.lower(), where
        assert "CHG-123456" not in text, where
        if where != "service output":  # the refused policy's error names its file, not a roster entry
            leaked = [name for name in names if name in text]
            assert leaked == [], where


def test_events_come_per_post_and_finding_not_per_scan(run):
    typed = CLIENTS * POSTS_PER_CLIENT
    shown = Counter({k: n for k, n in run["per_recognizer"].items() if k[0] == "finding_shown"})
    findings_per_post = (shown.total() - 2) // typed  # less the two smuggled ones
    assert findings_per_post >= 4  # two roster clients, a code name, a ticket
    post_level = sum(
        n for (kind, _), n in run["per_recognizer"].items() if kind in ("post_blocked", "post_unchecked")
    )
    from_typing = run["per_recognizer"].total() - 2 - post_level
    assert from_typing == typed * 2 * findings_per_post  # each finding shown once, and acted on once
    assert run["scans"] > 5 * from_typing  # while the scans were many more


def test_the_identity_is_a_stable_pseudonym_from_a_private_key(run):
    key_file = run["service"].token_file.with_name("audit-key")
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text().strip()
    users = {json.dumps(e.get("user")) for e in file_events(run)}
    import getpass

    assert users == {json.dumps({"id": pseudonym(key, getpass.getuser(), machine_id())})}


def test_a_sink_that_goes_down_costs_scans_nothing_and_drops_are_counted(run):
    up, down, events_ms = run["latency"]
    assert down <= max(2 * up, up + 25), (up, down)
    assert events_ms < 250
    sinks = {s["sink"].removeprefix("syslog:").split(":")[0]: s for s in run["health"]["audit"]["sinks"]}
    assert sinks["unix"]["dropped"] >= 25 and sinks["tcp"]["dropped"] >= 25
    # UDP learns of a closed port only from the ICMP answer to the previous datagram: every other one.
    assert sinks["udp"]["dropped"] >= 10
    assert sinks["file"]["dropped"] == 0


def test_report_from_the_file_matches_the_services_counters(run):
    answer = subprocess.run(
        [str(DISCREET), "report", "--since", "1d", "--json", "--file", str(run["events_file"])],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "XDG_CONFIG_HOME": str(run["pack"])},
    )
    assert answer.returncode == 0, answer.stderr
    report = json.loads(answer.stdout)
    counters = run["counters"]
    assert report["recognizers"] == counters["recognizers"]
    roster = next(r for r in report["recognizers"] if r["recognizer"] == "Northgate client roster")
    typed = CLIENTS * POSTS_PER_CLIENT
    per_post = roster["finding_shown"] // typed
    overriding_clients = sum(1 for i in range(CLIENTS) if ACTIONS[i % 3] != "replaced")
    assert roster["overrides"] == overriding_clients * POSTS_PER_CLIENT * per_post
    assert roster["override_rate"] == round(roster["overrides"] / roster["finding_shown"], 3)
    assert report["totals"]["post_unchecked"] == POSTS_PER_CLIENT + 25
