"""`discreet status` against a real `discreet serve`: protected only once an extension has called it.

What monitoring relies on: an allowed origin proves nothing until the extension behind it has made an
authorised call; each origin's last call and browser are shown; a call without the token, without an
extension origin, or to the open health check does not count; the window is honoured.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_harness import (
    ALLOWED_ORIGIN,
    DEMO_PACK,
    DISCREET,
    FIREFOX_ORIGIN,
    ServiceProcess,
    scan_body,
    scan_headers,
)

EDGE_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
CHROME_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
FIREFOX_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    root = tmp_path_factory.mktemp("status")
    process = ServiceProcess(
        root, ["--policy", str(DEMO_PACK / "policy.yaml"), "--port", "0", "--allow-origin", ALLOWED_ORIGIN]
    ).start()
    config = process.token_file.parent / "config.toml"
    config.write_text(f'port = {process.port}\nallow_origins = ["{ALLOWED_ORIGIN}"]\n')
    yield process
    process.stop()


def status(process: ServiceProcess, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DISCREET), "status", *args], capture_output=True, text=True, timeout=30, env=process.env
    )


def status_json(process: ServiceProcess, *args: str) -> tuple[int, dict]:
    result = status(process, "--json", *args)
    return result.returncode, json.loads(result.stdout)


def rows(report: dict) -> dict[str, dict]:
    return {row["origin"]: row for row in report["extensions"]}


def call(process: ServiceProcess, method: str, path: str, headers: dict, body: bytes | None = None) -> int:
    return process.http().send(method, path, headers, body).status


def test_status_is_protected_only_after_an_extension_called_and_names_each_browser(
    service: ServiceProcess,
) -> None:
    token = service.token()
    code, report = status_json(service)
    assert (code, report["state"]) == (1, "degraded")
    assert any("no extension has called the service" in reason for reason in report["reasons"])
    assert rows(report)[ALLOWED_ORIGIN]["seconds_ago"] is None

    # None of these is an extension's authorised call.
    assert call(service, "GET", "/v1/categories", scan_headers("x" * 43, Origin=ALLOWED_ORIGIN)) == 401
    assert call(service, "GET", "/v1/categories", scan_headers(token, **{"User-Agent": CHROME_UA})) == 200
    assert call(service, "GET", "/v1/health", {"Origin": ALLOWED_ORIGIN}) == 200
    assert status_json(service)[0] == 1

    # Only the admin capability sees the contacts; the open health check and the extension's token do not.
    open_health = service.http().send("GET", "/v1/health", {}).json()
    assert set(open_health) == {"version", "policy", "ok"}
    assert "extensions" not in service.http().send("GET", "/v1/health", scan_headers(token)).json()

    # A Firefox extension pairs; then each extension makes one authorised call from its browser.
    pairing = service.http().send("POST", "/v1/pair/start", scan_headers(service.admin_token()), b"{}")
    paired = service.http().send(
        "POST",
        "/v1/pair",
        {"Content-Type": "application/json", "Origin": FIREFOX_ORIGIN},
        json.dumps({"code": pairing.json()["code"]}).encode(),
    )
    assert paired.status == 200
    edge = scan_headers(token, Origin=ALLOWED_ORIGIN, **{"User-Agent": EDGE_UA})
    assert call(service, "GET", "/v1/categories", edge) == 200
    events = json.dumps({"events": [{"type": "post_unchecked", "site": "linkedin"}]}).encode()
    firefox = scan_headers(token, Origin=FIREFOX_ORIGIN, **{"User-Agent": FIREFOX_UA})
    assert call(service, "POST", "/v1/events", firefox, events) == 202

    code, report = status_json(service)
    assert (code, report["state"], report["reasons"]) == (0, "protected", [])
    by_origin = rows(report)
    assert by_origin[ALLOWED_ORIGIN]["browser"] == "edge" and by_origin[ALLOWED_ORIGIN]["admitted_by"] == [
        "config"
    ]
    assert by_origin[FIREFOX_ORIGIN]["browser"] == "firefox" and by_origin[FIREFOX_ORIGIN]["admitted_by"] == [
        "paired"
    ]
    assert all(row["recent"] and row["seconds_ago"] < 30 for row in by_origin.values())
    text = status(service).stdout
    assert f"{ALLOWED_ORIGIN} (allowed by config): last call" in text and "from edge" in text
    assert f"{FIREFOX_ORIGIN} (paired): last call" in text and "from firefox" in text
    assert text.rstrip().endswith("PROTECTED") and "NOT PROTECTED" not in text

    # A scan is a contact too; the last call's browser is the one shown.
    chrome = scan_headers(token, Origin=ALLOWED_ORIGIN, **{"User-Agent": CHROME_UA})
    assert call(service, "POST", "/v1/scan", chrome, scan_body("hello")) == 200
    assert rows(status_json(service)[1])[ALLOWED_ORIGIN]["browser"] == "chrome"

    # Outside the window, the same contacts no longer count as protection.
    time.sleep(1.2)
    code, report = status_json(service, "--seen-within", "0.01")  # 0.6 s
    assert (code, report["state"]) == (1, "degraded")
    assert any("no extension has called the service in the last 1 s" in r for r in report["reasons"])


def test_status_without_the_admin_token_is_degraded_and_says_why(
    service: ServiceProcess, tmp_path: Path
) -> None:
    """Run by someone who cannot read the user's admin token: the contacts are unknown, so not protected."""
    config = tmp_path / "config.toml"
    config.write_text(
        f'port = {service.port}\ntoken_file = "{service.token_file}"\nadmin_token_file = "{tmp_path / "none"}"\n'
        f'allow_origins = ["{ALLOWED_ORIGIN}"]\n'
    )
    code, report = status_json(service, "--config", str(config))
    assert (code, report["state"]) == (1, "degraded")
    assert any("cannot tell whether an extension talks to the service" in r for r in report["reasons"])
