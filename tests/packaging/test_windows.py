"""Windows: the MSI built with wixl and read back with msiinfo/msiextract, and the ADMX/ADML templates.

No Windows bundle can be built here (PyInstaller builds for its host only), so the MSI is built from
a placeholder bundle with the same file names; the CI workflow builds and installs the real one on
a Windows runner. Everything around the payload (tables, registry, custom actions, sequence, the
files the MSI adds) is the real installer's.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from packaging_harness import PACKAGING, run

sys.path.insert(0, str(PACKAGING))
import managed

WINDOWS = PACKAGING / "windows"
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
EXTENSION_ID = "abcdefghijklmnopabcdefghijklmnop"  # the build's (store listing's or key's) ID


def msi_table(msi: Path, table: str) -> list[dict[str, str]]:
    lines = run("msiinfo", "export", msi, table).stdout.splitlines()
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:]]


@pytest.fixture(scope="module")
def msi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    placeholder = tmp_path_factory.mktemp("windows-bundle")
    for name in ("discreet.exe", "discreet-service.exe", "_internal/python311.dll", "_internal/spacy/x.pyd"):
        (placeholder / name).parent.mkdir(parents=True, exist_ok=True)
        (placeholder / name).write_bytes(b"placeholder: the real bundle is built on a Windows runner\n")
    out = tmp_path_factory.mktemp("msi")
    built = run(
        sys.executable, WINDOWS / "build.py", "--bundle", placeholder, "--out", out, "--extension-id", EXTENSION_ID
    )  # fmt: skip
    return Path(built.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def extracted(msi: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("msi-files")
    run("msiextract", "-C", out, msi)
    return out


def test_per_machine_x64_package(msi: Path) -> None:
    properties = {row["Property"]: row["Value"] for row in msi_table(msi, "Property")}
    assert properties["ALLUSERS"] == "1"  # per machine
    assert properties["FORCELIST_SLOT"] == "1"
    assert "Template: x64;1033" in run("msiinfo", "suminfo", msi).stdout
    directories = {row["Directory"]: row for row in msi_table(msi, "Directory")}
    assert directories["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"
    assert directories["DATADIR"]["Directory_Parent"] == "CommonAppDataFolder"
    upgrades = msi_table(msi, "Upgrade")
    assert {row["ActionProperty"] for row in upgrades} >= {"WIX_UPGRADE_DETECTED"}


def sequence(msi: Path) -> dict[str, tuple[int, str]]:
    return {
        row["Action"]: (int(row["Sequence"]), row["Condition"])
        for row in msi_table(msi, "InstallExecuteSequence")
    }


def test_upgrades_install_the_new_version_before_removing_the_old(msi: Path) -> None:
    """RemoveExistingProducts after InstallExecute: edited %ProgramData% files are never uninstalled."""
    seq = sequence(msi)
    assert seq["InstallExecute"][0] < seq["RemoveExistingProducts"][0] < seq["InstallFinalize"][0]
    upgrades = {row["ActionProperty"]: row for row in msi_table(msi, "Upgrade")}
    assert upgrades["WIX_UPGRADE_DETECTED"]["Attributes"] == "256"  # older versions: removed
    assert upgrades["WIX_DOWNGRADE_DETECTED"]["Attributes"] == "2"  # newer: detected, refused
    conditions = [row["Condition"] for row in msi_table(msi, "LaunchCondition")]
    assert conditions == ["NOT WIX_DOWNGRADE_DETECTED"]


def test_service_runs_per_user_from_a_scheduled_task(msi: Path, extracted: Path) -> None:
    """Started at every logon and right after install, as each logged-on user, restarted on failure;
    no Run key (that starts only at the next logon and never after a crash)."""
    assert not [r for r in msi_table(msi, "Registry") if r["Key"].endswith(r"CurrentVersion\Run")]
    actions = {row["Action"]: row for row in msi_table(msi, "CustomAction")}
    deferred_system = 50 | 1024 | 2048
    for name in ("StartServiceTask", "RemoveServiceTask"):
        assert int(actions[name]["Type"]) & deferred_system == deferred_system
        assert '"[INSTALLDIR]service-task.ps1"' in actions[name]["Target"]
    seq = sequence(msi)
    assert seq["InstallFiles"][0] < seq["StartServiceTask"][0] < seq["InstallFinalize"][0]
    assert seq["StartServiceTask"][1] == "NOT REMOVE"
    assert seq["InstallInitialize"][0] < seq["RemoveServiceTask"][0] < seq["RemoveFiles"][0]
    script = (extracted / "Discreet" / "service-task.ps1").read_text()
    assert "New-ScheduledTaskTrigger -AtLogOn" in script
    assert "-GroupId 'S-1-5-32-545'" in script  # BUILTIN\Users: each user, in their own session
    assert "-RestartCount" in script and "Start-ScheduledTask" in script
    assert "Unregister-ScheduledTask" in script


def test_the_launcher_restarts_a_crashed_service(tmp_path: Path) -> None:
    """discreet-service.exe's supervisor (entry.supervise): restarts after failures, stops on exit 0."""
    sys.path.insert(0, str(PACKAGING / "bundle"))
    from entry import supervise

    runs = tmp_path / "runs"
    child = (
        "import pathlib, sys; p = pathlib.Path(sys.argv[1]); n = len(p.read_text()) if p.exists() else 0; "
        "p.write_text('x' * (n + 1)); sys.exit(0 if n == 2 else 3)"
    )
    delays: list[float] = []
    assert supervise([sys.executable, "-c", child, str(runs)], sleep=delays.append) == 0
    assert runs.read_text() == "xxx" and delays == [1, 5]


def test_browser_policies_in_the_registry(msi: Path) -> None:
    rows = {(r["Key"], r["Name"]): r["Value"] for r in msi_table(msi, "Registry") if r["Root"] == "2"}
    for base in (managed.CHROME_REG, managed.EDGE_REG):
        forcelist = rows[(rf"{base}\ExtensionInstallForcelist", "[FORCELIST_SLOT]")]
        assert forcelist.startswith(f"{EXTENSION_ID};https://")
        key = rf"{base}\3rdparty\extensions\{EXTENSION_ID}\policy"
        settings = managed.load(EXTENSION_ID).settings
        assert rows[(key, "serviceUrl")] == settings["serviceUrl"]
        assert rows[(key, "mode")] == settings["mode"]
        assert rows[(key, "allowPostAnyway")] == f"#{int(settings['allowPostAnyway'])}"  # REG_DWORD
    firefox = json.loads(rows[(managed.FIREFOX_REG, "ExtensionSettings")])
    assert firefox["discreet@discreet.example"]["installation_mode"] == "force_installed"
    for key in (
        r"SOFTWARE\Google\Chrome\NativeMessagingHosts\com.discreet.host",
        r"SOFTWARE\Microsoft\Edge\NativeMessagingHosts\com.discreet.host",
        r"SOFTWARE\Mozilla\NativeMessagingHosts\com.discreet.host",
    ):
        assert rows[(key, "")].startswith("[INSTALLDIR]com.discreet.host.")


def test_the_audit_event_log_source_is_registered(msi: Path) -> None:
    """The source the `eventlog` audit sink writes to (docs/monitoring.md), registered as New-EventLog
    does: a message file whose every event ID reads "%1", all three event types, removed with the product."""
    from discreet.audit.platform_sinks import EVENT_IDS
    from discreet.audit.spec import EVENTLOG_SOURCE

    key = rf"SYSTEM\CurrentControlSet\Services\EventLog\Application\{EVENTLOG_SOURCE}"
    rows = {r["Name"]: r for r in msi_table(msi, "Registry") if r["Root"] == "2" and r["Key"] == key}
    assert rows["EventMessageFile"]["Value"] == (
        r"[WindowsFolder]Microsoft.NET\Framework64\v4.0.30319\EventLogMessages.dll"
    )
    assert rows["TypesSupported"]["Value"] == "#7"  # REG_DWORD: error, warning, information
    component = rows["EventMessageFile"]["Component_"]
    assert {r["Component_"] for r in rows.values()} == {component}
    (entry,) = [r for r in msi_table(msi, "Component") if r["Component"] == component]
    assert (
        int(entry["Attributes"]) & 256 and entry["KeyPath"] == rows["EventMessageFile"]["Registry"]
    )  # 64-bit
    assert component in {r["Component_"] for r in msi_table(msi, "FeatureComponents")}
    # The IDs the docs give IT for their queries are the ones the sink writes.
    monitoring = (PACKAGING.parent / "docs" / "monitoring.md").read_text()
    documented = dict(re.findall(r"(\d{4})\s+`(\w+)`", monitoring[monitoring.index("Windows Event Log:") :]))
    assert {name: int(number) for number, name in documented.items()} == EVENT_IDS
    assert f"source `{EVENTLOG_SOURCE}`" in monitoring


def test_token_custom_actions_run_elevated_and_in_order(msi: Path) -> None:
    actions = {row["Action"]: row for row in msi_table(msi, "CustomAction")}
    deferred_system = 50 | 1024 | 2048  # exe named by a property, deferred, not impersonated
    assert int(actions["InstallToken"]["Type"]) & deferred_system == deferred_system
    assert int(actions["RemoveToken"]["Type"]) & deferred_system == deferred_system
    assert '"[INSTALLDIR]install-token.ps1"' in actions["InstallToken"]["Target"]
    assert actions["RemoveToken"]["Target"].endswith("-Remove")
    assert actions["FindPowerShell"]["Target"].startswith("[System64Folder]WindowsPowerShell")
    seq = sequence(msi)
    assert seq["CostFinalize"][0] < seq["FindPowerShell"][0] < seq["RemoveToken"][0] < seq["RemoveFiles"][0]
    assert seq["WriteRegistryValues"][0] < seq["InstallToken"][0]
    assert seq["InstallToken"][1] == "NOT REMOVE"
    assert "NOT UPGRADINGPRODUCTCODE" in seq["RemoveToken"][1]  # an upgrade keeps the machine's token


def test_installed_files(extracted: Path) -> None:
    program, data = extracted / "Discreet", extracted / "discreet"
    for name in (
        "discreet.exe",
        "discreet-service.exe",
        "discreet-native-host.bat",
        "install-token.ps1",
        "service-task.ps1",
    ):
        assert (program / name).is_file(), name
    script = (program / "install-token.ps1").read_text()
    assert "@CHROME_ID@" not in script and EXTENSION_ID in script
    msi_keys = {rf"HKLM:\{managed.CHROME_REG}\3rdparty\extensions\{EXTENSION_ID}\policy"}
    msi_keys.add(rf"HKLM:\{managed.EDGE_REG}\3rdparty\extensions\{EXTENSION_ID}\policy")
    msi_keys.add(rf"HKLM:\{managed.FIREFOX_REG}\3rdparty\Extensions\discreet@discreet.example")
    assert set(re.findall(r"'(HKLM:[^']+)'", script)) == msi_keys  # the token lands beside the settings
    chrome_host = json.loads((program / "com.discreet.host.chrome.json").read_text())
    assert chrome_host["path"] == "discreet-native-host.bat"  # beside the manifest
    assert chrome_host["allowed_origins"] == [f"chrome-extension://{EXTENSION_ID}/"]
    assert '"%~dp0discreet.exe" native-host %*' in (program / "discreet-native-host.bat").read_text()
    config = tomllib.loads((data / "config.toml").read_text())
    assert (data / config["policy"]).is_file() and config["token_file"] == "token"
    assert config["allow_origins"] == [f"chrome-extension://{EXTENSION_ID}"]


def test_wix_source_is_well_formed() -> None:
    ET.parse(WINDOWS / "discreet.wxs")


def test_admx_templates_come_with_the_msi_and_hold_no_token(msi: Path) -> None:
    """A group-policy token would overwrite every machine's own with one fleet-wide secret."""
    templates = msi.parent / "admx"
    for rel in ("Discreet.admx", "en-US/Discreet.adml"):
        text = (templates / rel).read_text()
        assert "token" not in text.lower(), rel


def test_admx_and_adml_agree_and_cover_the_schema(msi: Path) -> None:
    templates = msi.parent / "admx"
    admx = ET.parse(templates / "Discreet.admx").getroot()
    adml = ET.parse(templates / "en-US" / "Discreet.adml").getroot()
    strings = {s.get("id") for s in adml.iterfind(".//p:stringTable/p:string", NS)}
    presentations = {p.get("id"): p for p in adml.iterfind(".//p:presentationTable/p:presentation", NS)}
    admx_text = (templates / "Discreet.admx").read_text()
    assert set(re.findall(r"\$\(string\.([^)]+)\)", admx_text)) <= strings
    schema = set(managed.managed_schema()) - {"token"}
    policies = admx.findall(".//p:policies/p:policy", NS)
    assert {p.get("name") for p in policies} == {f"{b}_{k}" for b in ("Chrome", "Edge") for k in schema}
    categories = {c.get("name") for c in admx.iterfind(".//p:categories/p:category", NS)}
    for policy in policies:
        assert policy.find("p:parentCategory", NS).get("ref") in categories
        browser = policy.get("name").split("_")[0]
        base = managed.CHROME_REG if browser == "Chrome" else managed.EDGE_REG
        assert policy.get("key") == rf"{base}\3rdparty\extensions\{EXTENSION_ID}\policy"
        element_ids = {e.get("id") for e in policy.iterfind("p:elements/*", NS)}
        presentation = policy.get("presentation")
        if presentation is None:
            assert element_ids == set() and policy.get("valueName")  # a boolean on/off policy
            continue
        refs = {c.get("refId") for c in presentations[presentation[len("$(presentation.") : -1]]}
        assert refs == element_ids


def test_msi_build_refuses_a_non_windows_bundle(tmp_path: Path) -> None:
    linux_bundle = tmp_path / "discreet"
    linux_bundle.mkdir()
    (linux_bundle / "discreet").write_bytes(b"\x7fELF")
    result = subprocess.run(
        [
            sys.executable,
            str(WINDOWS / "build.py"),
            "--bundle",
            str(linux_bundle),
            "--out",
            str(tmp_path),
            "--extension-id",
            EXTENSION_ID,
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "is not a Windows bundle" in result.stderr
