"""Hot reload: a new policy is built beside the old one and swapped whole; a bad one never replaces a good one."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from service_harness import ServiceProcess, copy_demo_policy, scan_body, scan_headers

from discreet.service.scanner_holder import ScannerHolder

NEW_CLIENT = "Quillfeather Clinic"
TEXT = f"Proud to be supporting {NEW_CLIENT} and Riverside CH this year."


def clients_found(findings) -> set[str]:
    return {f.text if hasattr(f, "text") else f["text"] for f in findings} & {NEW_CLIENT, "Riverside CH"}


def add_client(policy: Path, name: str) -> None:
    roster = policy.parent / "clients.txt"
    roster.write_text(roster.read_text() + f"{name}\n")


def wait_for(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the reload"
        time.sleep(0.1)


def test_a_valid_change_swaps_in_a_new_scanner_and_fingerprint(tmp_path):
    policy = copy_demo_policy(tmp_path / "policy")
    holder = ScannerHolder(policy)
    old = holder.current
    assert clients_found(old.scanner.scan(TEXT)) == {"Riverside CH"}
    add_client(policy, NEW_CLIENT)
    assert holder.reload() is True
    assert holder.current.policy.fingerprint != old.policy.fingerprint
    assert clients_found(holder.current.scanner.scan(TEXT)) == {"Riverside CH", NEW_CLIENT}
    assert clients_found(old.scanner.scan(TEXT)) == {"Riverside CH"}  # a request in flight keeps its policy
    assert holder.current.scanner.names is old.scanner.names  # the spaCy pipeline is not loaded again
    assert holder.status.ok and holder.status.error is None and holder.status.at


def test_an_unchanged_policy_keeps_the_same_scanner_and_its_cache(tmp_path):
    policy = copy_demo_policy(tmp_path / "policy")
    holder = ScannerHolder(policy)
    old = holder.current
    policy.touch()
    assert holder.reload() is True
    assert holder.current is old


def test_an_invalid_policy_keeps_the_old_one_and_says_where(tmp_path):
    policy = copy_demo_policy(tmp_path / "policy")
    holder = ScannerHolder(policy)
    old = holder.current
    good_yaml = policy.read_text()
    policy.write_text(good_yaml.replace("category: client", "category: [client"))
    assert holder.reload() is False
    assert holder.current is old
    assert holder.status.ok is False
    assert holder.status.error.startswith(f"{policy}:")
    assert clients_found(holder.current.scanner.scan(TEXT)) == {"Riverside CH"}
    policy.write_text(good_yaml)
    add_client(policy, NEW_CLIENT)
    assert holder.reload() is True
    assert holder.status.ok and holder.status.error is None
    assert clients_found(holder.current.scanner.scan(TEXT)) == {"Riverside CH", NEW_CLIENT}


def start_watching(serve, tmp_path: Path, policy: Path) -> ServiceProcess:
    config = tmp_path / "fast-reload.toml"
    config.write_text("reload_interval = 0.2\n")
    return serve("--policy", str(policy), "--port", "0", "--config", str(config))


def test_the_running_service_follows_good_edits_and_survives_bad_ones(serve, tmp_path):
    canary = f"zq{uuid.uuid4().hex}"
    policy = copy_demo_policy(tmp_path / "policy")
    process = start_watching(serve, tmp_path, policy)
    t = process.http()

    def health() -> dict:  # the details (path, reload error) need the admin capability
        return t.send("GET", "/v1/health", {"Authorization": f"Bearer {process.admin_token()}"}).json()

    def scan() -> dict:
        return t.send("POST", "/v1/scan", scan_headers(t.token), scan_body(f"{TEXT} {canary}")).json()

    first = health()["policy"]
    assert clients_found(scan()["findings"]) == {"Riverside CH"}

    add_client(policy, NEW_CLIENT)
    wait_for(lambda: health()["policy"] != first)
    second = health()
    answer = scan()
    assert answer["policy"] == second["policy"]
    assert clients_found(answer["findings"]) == {"Riverside CH", NEW_CLIENT}
    assert second["reload"]["ok"] is True

    good_yaml = policy.read_text()
    policy.write_text(good_yaml.replace("deny_list_file: codenames.txt", "deny_list_file: more.txt"))
    wait_for(lambda: health()["reload"]["ok"] is False)
    broken = health()
    assert broken["policy"] == second["policy"]
    assert broken["reload"]["error"].startswith(f"{policy}:")
    assert "more.txt" in broken["reload"]["error"]
    assert scan()["policy"] == second["policy"]
    assert clients_found(scan()["findings"]) == {"Riverside CH", NEW_CLIENT}

    # The missing file appears: the next good version is picked up without touching the YAML again.
    (policy.parent / "more.txt").write_text("Bluefinch\n")
    wait_for(lambda: health()["reload"]["ok"] is True)
    third = health()["policy"]
    assert third not in (first, second["policy"])
    assert any(f["text"] == "Bluefinch" for f in t.send(
        "POST", "/v1/scan", scan_headers(t.token), scan_body("Kick-off for project Bluefinch")
    ).json()["findings"])  # fmt: skip
    t.close()

    assert process.stop() == 0
    log = process.stderr()
    assert "policy reload failed" in log and "more.txt" in log
    assert "policy reloaded" in log
    assert canary not in log and canary not in process.output()


def roster(prefix: str, count: int, probe: str) -> str:
    """`count` distinct made-up company names sharing a prefix, plus one probe name."""
    syllables = ["dar", "vel", "mon", "tris", "kol", "ber", "sy", "lun", "ost", "ra", "phe", "gan"]
    names = (
        f"{prefix} {a}{b}{c} {d}{e} Ltd".title() for a, b, c, d, e in itertools.product(syllables, repeat=5)
    )
    return "\n".join([probe, *itertools.islice(names, count)]) + "\n"


def test_a_20000_name_roster_replaced_while_four_clients_scan(serve, tmp_path):
    policy = copy_demo_policy(tmp_path / "policy")
    clients = policy.parent / "clients.txt"
    old_probe, new_probe = "Ardent Vale Holdings", "Bramble Reach Holdings"
    clients.write_text(roster("Alder", 20_000, old_probe))
    process = start_watching(serve, tmp_path, policy)
    text = f"Meeting {old_probe} and then {new_probe} about the rollout."
    old_fingerprint = process.http().send("GET", "/v1/health", {}).json()["policy"]

    seen: list[tuple[int, str, frozenset[str]]] = []
    stop = threading.Event()

    def client() -> None:
        t = process.http()
        while not stop.is_set():
            answer = t.send("POST", "/v1/scan", scan_headers(t.token), scan_body(text))
            body = answer.json()
            names = frozenset(f["text"] for f in body.get("findings", ()) if f["category"] == "client")
            seen.append((answer.status, body.get("policy", ""), names))
        t.close()

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        clients.write_text(roster("Birch", 20_000, new_probe))
        health = process.http()
        wait_for(lambda: health.send("GET", "/v1/health", {}).json()["policy"] != old_fingerprint, timeout=30)
        new_fingerprint = health.send("GET", "/v1/health", {}).json()["policy"]
        time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    assert {status for status, _, _ in seen} == {200}
    expected = {old_fingerprint: frozenset({old_probe}), new_fingerprint: frozenset({new_probe})}
    assert {fingerprint for _, fingerprint, _ in seen} == set(expected)
    for _, fingerprint, names in seen:
        assert names == expected[fingerprint]  # never half of one policy and half of the other
    assert seen[-1][1] == new_fingerprint
