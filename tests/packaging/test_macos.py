"""macOS: the LaunchAgent, the .pkg payload layout and scripts, and the configuration profile.

pkgbuild and productbuild exist only on macOS; build-pkg.sh's --stage-only mode builds the exact
payload tree here, and the plists are checked with plistlib as macOS would parse them.
"""

from __future__ import annotations

import json
import os
import plistlib
import shlex
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from packaging_harness import PACKAGING, ROOT, run

MACOS = PACKAGING / "macos"
EXTENSION_ID = "abcdefghijklmnopabcdefghijklmnop"  # the build's (store listing's or key's) ID
SCHEMA_KEYS = set(json.loads((ROOT / "extension" / "managed_schema.json").read_text())["properties"])


@pytest.fixture(scope="module")
def staged(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    stage = tmp_path_factory.mktemp("macos") / "root"
    run(
        MACOS / "build-pkg.sh",
        "--stage-only",
        stage,
        bundle,
        env={**os.environ, "EXTENSION_ID": EXTENSION_ID},
    )
    return stage


def test_launch_agent_runs_the_installed_service_per_user(staged: Path) -> None:
    agent = plistlib.loads((staged / "Library/LaunchAgents/com.discreet.service.plist").read_bytes())
    assert agent["Label"] == "com.discreet.service"
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] == {"SuccessfulExit": False}
    assert agent["LimitLoadToSessionType"] == "Aqua"  # GUI logins only, one per user
    shell, flag, command = agent["ProgramArguments"]
    assert (shell, flag) == ("/bin/sh", "-c")
    run("sh", "-n", "-c", command)
    program = shlex.split(command.split("exec ", 1)[1])[0]
    assert program == "/usr/local/discreet/discreet" and (staged / program.lstrip("/")).is_file()
    assert "serve" in command and "$HOME/Library/Logs/Discreet/" in command


def test_payload_layout(staged: Path) -> None:
    defaults = staged / "usr/local/discreet/defaults"  # replaced by every upgrade
    config = tomllib.loads((defaults / "config.toml").read_text())
    assert (defaults / config["policy"]).is_file()
    assert config["allow_origins"] == [f"chrome-extension://{EXTENSION_ID}"]
    # written by postinstall, per machine, beside the administrator's own files (none shipped)
    assert config["token_file"] == "/Library/Application Support/discreet/token"
    assert list((staged / "Library/Application Support/discreet").iterdir()) == []
    host = staged / "usr/local/discreet/discreet-native-host"
    assert host.stat().st_mode & 0o111 and "exec /usr/local/discreet/discreet native-host" in host.read_text()
    for folder in (
        "Library/Google/Chrome/NativeMessagingHosts",
        "Library/Microsoft/Edge/NativeMessagingHosts",
        "Library/Application Support/Chromium/NativeMessagingHosts",
    ):
        manifest = json.loads((staged / folder / "com.discreet.host.json").read_text())
        assert manifest["allowed_origins"] == [f"chrome-extension://{EXTENSION_ID}/"]
        assert manifest["path"] == "/usr/local/discreet/discreet-native-host"
    firefox = staged / "Library/Application Support/Mozilla/NativeMessagingHosts/com.discreet.host.json"
    assert json.loads(firefox.read_text())["allowed_extensions"] == ["discreet@discreet.example"]


def test_install_scripts_parse_and_the_distribution_names_the_component(staged: Path) -> None:
    for script in ("preinstall", "postinstall"):
        path = MACOS / "scripts" / script
        assert path.stat().st_mode & 0o111, script
        run("sh", "-n", path)
    run("bash", "-n", MACOS / "build-pkg.sh")
    assert "openssl rand -hex 32" in (MACOS / "scripts/postinstall").read_text()
    dist = ET.parse(MACOS / "distribution.xml").getroot()
    refs = {ref.get("id") for ref in dist.iter("pkg-ref")}
    assert refs == {"com.discreet.service"}
    assert "--identifier com.discreet.service" in (MACOS / "build-pkg.sh").read_text()


def test_configuration_profile(staged: Path) -> None:
    profile = plistlib.loads((staged.parent / "Discreet.mobileconfig").read_bytes())
    assert profile["PayloadType"] == "Configuration" and profile["PayloadScope"] == "System"
    payloads = profile["PayloadContent"]
    uuids = [profile["PayloadUUID"], *(p["PayloadUUID"] for p in payloads)]
    assert len(set(uuids)) == len(uuids)
    for payload in payloads:
        assert {"PayloadType", "PayloadIdentifier", "PayloadUUID", "PayloadVersion"} <= payload.keys()
    by_type = {p["PayloadType"]: p for p in payloads}
    for browser in ("com.google.Chrome", "com.microsoft.Edge"):
        assert by_type[browser]["ExtensionInstallForcelist"][0].startswith(f"{EXTENSION_ID};https://")
        settings = by_type[f"{browser}.extensions.{EXTENSION_ID}"]
        pushed = {k for k in settings if not k.startswith("Payload")}
        assert pushed <= SCHEMA_KEYS and "serviceUrl" in pushed
        assert "token" not in pushed  # one profile for the fleet: the native host supplies the token
    (rule,) = by_type["com.apple.servicemanagement"]["Rules"]  # users cannot switch the agent off
    agent = plistlib.loads((staged / "Library/LaunchAgents/com.discreet.service.plist").read_bytes())
    assert (rule["RuleType"], rule["RuleValue"]) == ("Label", agent["Label"])
    firefox = by_type["org.mozilla.firefox"]
    assert firefox["EnterprisePoliciesEnabled"] is True
    assert firefox["ExtensionSettings"]["discreet@discreet.example"]["installation_mode"] == "force_installed"


def test_plutil_style_lint_of_every_plist(staged: Path) -> None:
    """Every plist parses as XML plist 1.0 (what `plutil -lint` checks on a Mac)."""
    for path in [
        staged / "Library/LaunchAgents/com.discreet.service.plist",
        staged.parent / "Discreet.mobileconfig",
    ]:
        data = path.read_bytes()
        assert data.startswith(b"<?xml") and b"<!DOCTYPE plist" in data
        plistlib.loads(data, fmt=plistlib.FMT_XML)
