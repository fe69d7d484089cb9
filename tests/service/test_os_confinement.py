"""The operating system's own confinement of the service, behind its egress guard: systemd sandboxing of
the Linux user unit, a Windows Firewall outbound block rule in the MSI, and no core dumps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from service_harness import DISCREET, REPO

UNIT = REPO / "packaging" / "linux" / "discreet.service"
WINDOWS = REPO / "packaging" / "windows"


def unit_settings() -> dict[str, str]:
    lines = [line.split("=", 1) for line in UNIT.read_text().splitlines() if "=" in line and line[0] != "#"]
    return {key: value for key, value in lines}


def test_the_user_unit_confines_the_service_to_loopback_and_bounded_memory(tmp_path):
    settings = unit_settings()
    assert settings["IPAddressDeny"] == "any"
    assert settings["IPAddressAllow"] == "localhost"
    assert settings["RestrictAddressFamilies"] == "AF_UNIX AF_INET AF_INET6"
    assert settings["MemoryMax"] == "1G"
    assert settings["LimitCORE"] == "0"
    # Verified as written, with the installed program's path pointed at this checkout's `discreet`.
    unit = tmp_path / "discreet.service"
    unit.write_text(UNIT.read_text().replace("/opt/discreet/discreet", str(DISCREET)))
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    result = subprocess.run(
        ["systemd-analyze", "--user", "verify", str(unit)],
        capture_output=True, text=True, env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0 and result.stderr == "", result.stderr


def msi_table(msi: Path, table: str) -> list[dict[str, str]]:
    lines = subprocess.run(["msiinfo", "export", msi, table], capture_output=True, text=True, check=True)
    rows = lines.stdout.splitlines()
    return [dict(zip(rows[0].split("\t"), row.split("\t"), strict=False)) for row in rows[3:]]


def test_the_msi_blocks_the_service_executable_outbound(tmp_path):
    bundle = tmp_path / "bundle"
    for name in ("discreet.exe", "discreet-service.exe"):
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_bytes(b"placeholder: the real bundle is built on Windows\n")
    built = subprocess.run(
        [sys.executable, WINDOWS / "build.py", "--bundle", bundle, "--out", tmp_path / "out",
         "--extension-id", "abcdefghijklmnopabcdefghijklmnop"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    msi = Path(built.stdout.strip().splitlines()[-1])
    actions = {row["Action"]: row for row in msi_table(msi, "CustomAction")}
    deferred_system = 50 | 1024 | 2048  # exe named by a property, deferred, not impersonated
    block = actions["BlockOutbound"]
    assert int(block["Type"]) & deferred_system == deferred_system
    assert block["Source"] == "NETSH" and actions["FindNetsh"]["Target"] == "[System64Folder]netsh.exe"
    assert "advfirewall firewall add rule" in block["Target"]
    for part in ("dir=out", "action=block", "enable=yes", 'program="[INSTALLDIR]discreet-service.exe"'):
        assert part in block["Target"]
    assert "delete rule" in actions["UnblockOutbound"]["Target"]
    seq = {
        r["Action"]: (int(r["Sequence"]), r["Condition"]) for r in msi_table(msi, "InstallExecuteSequence")
    }
    assert seq["FindNetsh"][0] < seq["UnblockOutbound"][0] < seq["BlockOutbound"][0]
    assert seq["BlockOutbound"][1] == "NOT REMOVE"


def test_core_dumps_are_off_and_the_process_is_not_dumpable():
    code = (
        "import ctypes, resource\n"
        "from discreet.service.hardening import disable_core_dumps\n"
        "disable_core_dumps()\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))\n"  # PR_GET_DUMPABLE
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "(0, 0) 0"
