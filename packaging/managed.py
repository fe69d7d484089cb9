#!/usr/bin/env python3
"""One source for every browser policy the installers write: Chrome/Edge JSON and registry values,
Firefox policies.json, the macOS configuration profile and the native-messaging host manifests.

All of them come from `managed-settings.toml` (what IT edits) and the extension's fixed IDs, so the
five platforms cannot drift apart. The per-machine token is a parameter: installers render with a
placeholder (`@TOKEN@`) and substitute the token they generate at install time.

Usage: python3 packaging/managed.py OUT_DIR [--token TOKEN] [--host-path PATH]
"""

from __future__ import annotations

import argparse
import json
import plistlib
import sys
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SETTINGS_FILE = HERE / "managed-settings.toml"
EXTENSION_ID_FILE = ROOT / "extension" / "EXTENSION_ID"
FIREFOX_ID = "discreet@discreet.example"
NATIVE_HOST = "com.discreet.host"
TOKEN_PLACEHOLDER = "@TOKEN@"
# The keys of extension/managed_schema.json, with the JSON type each must have.
SETTING_TYPES: dict[str, type] = {
    "serviceUrl": str,
    "token": str,
    "mode": str,
    "failMode": str,
    "policyLink": str,
    "extraSites": list,
    "allowPostAnyway": bool,
}
CHOICES = {"mode": ("block", "warn", "off"), "failMode": ("open", "closed")}


class SettingsError(Exception):
    """managed-settings.toml or the extension ID is unusable; str() says which file and what."""


@dataclass(frozen=True)
class Managed:
    """What every installer pushes: the extension IDs, where browsers install it from, its settings."""

    chrome_id: str
    chrome_update_url: str
    edge_update_url: str
    firefox_install_url: str
    settings: dict[str, Any]

    @property
    def chrome_origin(self) -> str:
        return f"chrome-extension://{self.chrome_id}"

    def with_token(self, token: str) -> dict[str, Any]:
        return {**self.settings, "token": token}


def read_extension_id(path: Path = EXTENSION_ID_FILE) -> str:
    try:
        ext_id = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise SettingsError(f"{path}: missing; the extension build writes its fixed Chrome ID there") from None
    if len(ext_id) != 32 or not set(ext_id) <= set("abcdefghijklmnop"):
        raise SettingsError(f"{path}: {ext_id!r} is not a Chrome extension ID (32 letters a-p)")
    return ext_id


def load(settings_file: Path = SETTINGS_FILE, extension_id_file: Path = EXTENSION_ID_FILE) -> Managed:
    try:
        raw = tomllib.loads(settings_file.read_text(encoding="utf-8"))
        ext, settings = raw["extension"], raw["settings"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as err:
        raise SettingsError(f"{settings_file}: {err}") from None
    for key, value in settings.items():
        kind = SETTING_TYPES.get(key)
        if kind is None or key == "token":
            raise SettingsError(f"{settings_file}: [settings] {key} is not a managed setting of the extension")
        if not isinstance(value, kind):
            raise SettingsError(f"{settings_file}: [settings] {key} must be a {kind.__name__}")
        if value not in CHOICES.get(key, (value,)):
            raise SettingsError(f"{settings_file}: [settings] {key} must be one of {CHOICES[key]}")
    return Managed(
        chrome_id=read_extension_id(extension_id_file),
        chrome_update_url=ext["chrome_update_url"],
        edge_update_url=ext["edge_update_url"],
        firefox_install_url=ext["firefox_install_url"],
        settings=settings,
    )


def chrome_policy(m: Managed, token: str, update_url: str) -> dict[str, Any]:
    """A managed-policy JSON file for Chrome, Chromium or Edge on Linux (policies/managed/*.json)."""
    return {
        "ExtensionInstallForcelist": [f"{m.chrome_id};{update_url}"],
        "3rdparty": {"extensions": {m.chrome_id: m.with_token(token)}},
    }


def firefox_policies(m: Managed, token: str) -> dict[str, Any]:
    """Firefox's policies.json (all platforms): force-install the signed add-on and configure it."""
    return {
        "policies": {
            "ExtensionSettings": {
                FIREFOX_ID: {"installation_mode": "force_installed", "install_url": m.firefox_install_url}
            },
            "3rdparty": {"Extensions": {FIREFOX_ID: m.with_token(token)}},
        }
    }


def native_host_manifest(m: Managed, browser: str, host_path: str) -> dict[str, Any]:
    """The manifest that lets only our extension start the native host (Chrome/Edge or Firefox shape)."""
    manifest = {
        "name": NATIVE_HOST,
        "description": "Discreet: tells the extension this user's service address and token",
        "path": host_path,
        "type": "stdio",
    }
    if browser == "firefox":
        return {**manifest, "allowed_extensions": [FIREFOX_ID]}
    return {**manifest, "allowed_origins": [f"{m.chrome_origin}/"]}


def _payload(payload_type: str, identifier: str, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "PayloadType": payload_type,
        "PayloadIdentifier": identifier,
        "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_DNS, identifier)).upper(),
        "PayloadVersion": 1,
        "PayloadDisplayName": f"Discreet: {payload_type}",
        **content,
    }


def macos_profile(m: Managed, token: str) -> bytes:
    """A .mobileconfig with Chrome's and Edge's force-install list and the extension's managed settings.

    Chrome and Edge read an extension's managed storage from the preference domain
    `<browser bundle id>.extensions.<extension id>`; payload UUIDs are derived from their identifiers so
    re-rendering gives the same profile and MDMs see an update, not a new profile.
    """
    payloads = []
    for bundle_id, url in (("com.google.Chrome", m.chrome_update_url), ("com.microsoft.Edge", m.edge_update_url)):
        payloads.append(
            _payload(bundle_id, f"com.discreet.profile.{bundle_id}", {
                "ExtensionInstallForcelist": [f"{m.chrome_id};{url}"],
            })
        )
        domain = f"{bundle_id}.extensions.{m.chrome_id}"
        payloads.append(_payload(domain, f"com.discreet.profile.{domain}", m.with_token(token)))
    profile = {
        "PayloadType": "Configuration",
        "PayloadIdentifier": "com.discreet.profile",
        "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_DNS, "com.discreet.profile")).upper(),
        "PayloadVersion": 1,
        "PayloadDisplayName": "Discreet browser extension",
        "PayloadDescription": "Installs the Discreet extension in Chrome and Edge and points it at the local service.",
        "PayloadOrganization": "Discreet",
        "PayloadScope": "System",
        "PayloadContent": payloads,
    }
    return plistlib.dumps(profile)


def windows_registry(m: Managed, token: str) -> list[tuple[str, str, str, Any]]:
    """(key under HKLM, value name, 'string'|'integer', value) for Chrome's and Edge's policies.

    Lists become numbered values in a subkey, as Chrome's registry policy loader expects.
    """
    rows: list[tuple[str, str, str, Any]] = []
    for base, url in (
        (r"SOFTWARE\Policies\Google\Chrome", m.chrome_update_url),
        (r"SOFTWARE\Policies\Microsoft\Edge", m.edge_update_url),
    ):
        rows.append((rf"{base}\ExtensionInstallForcelist", "[FORCELIST_SLOT]", "string", f"{m.chrome_id};{url}"))
        key = rf"{base}\3rdparty\extensions\{m.chrome_id}\policy"
        for name, value in m.with_token(token).items():
            if isinstance(value, bool):
                rows.append((key, name, "integer", int(value)))
            elif isinstance(value, list):
                rows.extend((rf"{key}\{name}", str(i), "string", item) for i, item in enumerate(value, 1))
            else:
                rows.append((key, name, "string", value))
    return rows


def render(out: Path, m: Managed, token: str, host_path: str) -> list[Path]:
    """Write every generated policy file into `out` (one folder per browser family); return them."""
    files = {
        "chrome/discreet.json": chrome_policy(m, token, m.chrome_update_url),
        "chromium/discreet.json": chrome_policy(m, token, m.chrome_update_url),
        "edge/discreet.json": chrome_policy(m, token, m.edge_update_url),
        "firefox/policies.json": firefox_policies(m, token),
        f"native-messaging/chrome/{NATIVE_HOST}.json": native_host_manifest(m, "chrome", host_path),
        f"native-messaging/firefox/{NATIVE_HOST}.json": native_host_manifest(m, "firefox", host_path),
    }
    written = []
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    profile = out / "macos" / "Discreet.mobileconfig"
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_bytes(macos_profile(m, token))
    return [*written, profile]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--token", default=TOKEN_PLACEHOLDER)
    parser.add_argument("--host-path", default="/opt/discreet/discreet-native-host")
    args = parser.parse_args(argv)
    try:
        managed = load()
    except SettingsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for path in render(args.out, managed, args.token, args.host_path):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
