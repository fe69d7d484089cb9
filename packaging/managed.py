#!/usr/bin/env python3
"""One source for every browser policy the installers write: Chrome/Edge JSON and registry values,
Firefox policies.json, the macOS configuration profile and the native-messaging host manifests.

All of them come from `managed-settings.toml` (what IT edits) and the extension's Chrome ID, so the
five platforms cannot drift apart. The ID is given at build time: derived from the organisation's
signing key (packaging/extension/build.py --print-id) or that of a published store listing; it is
never a default, so no installer force-installs an ID nobody publishes. The per-machine token is a
parameter: installers render with a placeholder (`@TOKEN@`) and substitute the token they generate
at install time.

Usage: python3 packaging/managed.py --extension-id ID OUT_DIR   (see render() for what lands where)
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
from xml.sax.saxutils import escape as _xml_escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SETTINGS_FILE = HERE / "managed-settings.toml"
FIREFOX_ID = "discreet@discreet.example"
NATIVE_HOST = "com.discreet.host"
LAUNCH_AGENT = "com.discreet.service"  # the macOS LaunchAgent's label
TOKEN_PLACEHOLDER = "@TOKEN@"
CHROME_REG = r"SOFTWARE\Policies\Google\Chrome"
EDGE_REG = r"SOFTWARE\Policies\Microsoft\Edge"
FIREFOX_REG = r"SOFTWARE\Policies\Mozilla\Firefox"
SCHEMA_FILE = ROOT / "extension" / "managed_schema.json"
JSON_TYPES: dict[str, type] = {"string": str, "array": list, "boolean": bool}


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


def check_extension_id(ext_id: str) -> str:
    if len(ext_id) != 32 or not set(ext_id) <= set("abcdefghijklmnop"):
        raise SettingsError(f"extension ID {ext_id!r} is not a Chrome extension ID (32 letters a-p)")
    return ext_id


def managed_schema(path: Path = SCHEMA_FILE) -> dict[str, Any]:
    """The extension's storage.managed schema: the only keys any installer may push."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))["properties"]
    except (OSError, ValueError, KeyError) as err:
        raise SettingsError(f"{path}: cannot read the extension's managed schema ({err})") from None


def check_settings(settings: dict[str, Any], settings_file: Path) -> None:
    """Every [settings] value must be a key of the schema, of its type and, if listed, one of its values."""
    schema = managed_schema()
    for key, value in settings.items():
        spec = schema.get(key)
        if spec is None or key == "token":
            raise SettingsError(
                f"{settings_file}: [settings] {key} is not a managed setting of the extension"
            )
        kind = JSON_TYPES[spec["type"]]
        if not isinstance(value, kind) or value not in spec.get("enum", [value]):
            allowed = " or ".join(spec.get("enum", [spec["type"]]))
            raise SettingsError(f"{settings_file}: [settings] {key} must be {allowed}")


def load(chrome_id: str, settings_file: Path = SETTINGS_FILE) -> Managed:
    try:
        raw = tomllib.loads(settings_file.read_text(encoding="utf-8"))
        ext, settings = raw["extension"], raw["settings"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as err:
        raise SettingsError(f"{settings_file}: {err}") from None
    check_settings(settings, settings_file)
    return Managed(
        chrome_id=check_extension_id(chrome_id),
        chrome_update_url=ext["chrome_update_url"],
        edge_update_url=ext["edge_update_url"],
        firefox_install_url=ext["firefox_install_url"],
        settings=settings,
    )


def chrome_policy(m: Managed, token: str) -> dict[str, Any]:
    """A managed-policy JSON file for Chrome, Chromium or Edge on Linux (policies/managed/*.json).

    Only the extension's settings: the .deb installs the extension itself as an external extension
    (external_crx, see linux_external_extension), which needs no store and no network. No
    ExtensionInstallForcelist either: Chrome merges no list policies across files, so an entry here
    would replace the organisation's own force-install list.
    """
    return {"3rdparty": {"extensions": {m.chrome_id: m.with_token(token)}}}


def linux_external_extension(crx_path: str, version: str) -> dict[str, str]:
    """/usr/share/<browser>/extensions/<id>.json: Chrome, Chromium and Edge on Linux install this CRX
    into every profile at start and update it when `version` rises."""
    return {"external_crx": crx_path, "external_version": version}


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


def macos_profile(m: Managed, token: str | None) -> bytes:
    """A .mobileconfig: the managed login item for the service's LaunchAgent, Chrome's and Edge's
    force-install list and the extension's managed settings, and Firefox's policies (its
    `org.mozilla.firefox` domain).

    Chrome and Edge read an extension's managed storage from the preference domain
    `<browser bundle id>.extensions.<extension id>`. One profile goes to the whole fleet, so it carries
    no per-machine token unless one is given: the native-messaging host hands each extension its
    machine's token instead. Payload UUIDs derive from their identifiers, so re-rendering gives the
    same profile and an MDM sees an update, not a new profile.
    """
    settings = m.with_token(token) if token else dict(m.settings)
    firefox = firefox_policies(m, token or "")["policies"]
    if not token:
        firefox["3rdparty"]["Extensions"][FIREFOX_ID].pop("token")
    payloads = [
        # Managed login items (macOS 13+): the LaunchAgent is shown as managed in System Settings >
        # Login Items and users cannot switch it off.
        _payload(
            "com.apple.servicemanagement",
            "com.discreet.profile.loginitems",
            {"Rules": [{"RuleType": "Label", "RuleValue": LAUNCH_AGENT, "Comment": "Discreet service"}]},
        ),
        _payload(
            "org.mozilla.firefox",
            "com.discreet.profile.firefox",
            {
                "EnterprisePoliciesEnabled": True,
                **firefox,
            },
        )
    ]
    for bundle_id, url in (
        ("com.google.Chrome", m.chrome_update_url),
        ("com.microsoft.Edge", m.edge_update_url),
    ):
        payloads.append(
            _payload(
                bundle_id,
                f"com.discreet.profile.{bundle_id}",
                {
                    "ExtensionInstallForcelist": [f"{m.chrome_id};{url}"],
                },
            )
        )
        domain = f"{bundle_id}.extensions.{m.chrome_id}"
        payloads.append(_payload(domain, f"com.discreet.profile.{domain}", settings))
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


def windows_registry(m: Managed) -> list[tuple[str, str, str, Any]]:
    """(key under HKLM, value name, 'string'|'integer', value) for Chrome's and Edge's policies.

    Firefox reads the same shapes from its own policy key (ExtensionSettings as JSON text; list
    settings are left to policies.json there). Lists become numbered values in a subkey, as Chrome's
    registry policy loader expects. The token is
    not among them: the MSI's install-token.ps1 generates it on the machine and writes it beside these.
    The force-install entry's value name is the MSI property FORCELIST_SLOT ("1" unless the fleet's
    own policy already uses that slot).
    """
    rows: list[tuple[str, str, str, Any]] = []
    for base, url in ((CHROME_REG, m.chrome_update_url), (EDGE_REG, m.edge_update_url)):
        rows.append(
            (rf"{base}\ExtensionInstallForcelist", "[FORCELIST_SLOT]", "string", f"{m.chrome_id};{url}")
        )
        key = rf"{base}\3rdparty\extensions\{m.chrome_id}\policy"
        for name, value in m.settings.items():
            if isinstance(value, bool):
                rows.append((key, name, "integer", int(value)))
            elif isinstance(value, list):
                rows.extend((rf"{key}\{name}", str(i), "string", item) for i, item in enumerate(value, 1))
            else:
                rows.append((key, name, "string", value))
    install = firefox_policies(m, "")["policies"]["ExtensionSettings"]
    rows.append((FIREFOX_REG, "ExtensionSettings", "string", json.dumps(install)))
    firefox_key = rf"{FIREFOX_REG}\3rdparty\Extensions\{FIREFOX_ID}"
    rows.extend(
        (
            firefox_key,
            name,
            "integer" if isinstance(v, bool) else "string",
            int(v) if isinstance(v, bool) else v,
        )
        for name, v in m.settings.items()
        if not isinstance(v, list)
    )
    return rows


def escape(text: str) -> str:
    """Text for a double-quoted XML attribute."""
    return _xml_escape(text, {'"': "&quot;"})


def wix_registry_fragment(m: Managed) -> str:
    """A WiX fragment, component group `BrowserPolicies`: one component per registry key, with stable
    GUIDs derived from the key so upgrades replace rather than duplicate them."""
    by_key: dict[str, list[tuple[str, str, Any]]] = {}
    for key, name, kind, value in windows_registry(m):
        by_key.setdefault(key, []).append((name, kind, value))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!-- Generated by packaging/managed.py from managed-settings.toml; do not edit. -->",
        '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">',
        "  <Fragment>",
        '    <DirectoryRef Id="TARGETDIR">',
    ]
    for n, (key, values) in enumerate(by_key.items(), 1):
        guid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"discreet-registry:{key}")).upper()
        lines.append(f'      <Component Id="BrowserPolicy{n}" Guid="{guid}" Win64="yes">')
        for i, (name, kind, value) in enumerate(values):
            keypath = ' KeyPath="yes"' if i == 0 else ""
            lines.append(
                f'        <RegistryValue Root="HKLM" Key="{escape(key)}" Name="{escape(name)}" '
                f'Type="{kind}" Value="{escape(str(value))}"{keypath}/>'
            )
        lines.append("      </Component>")
    lines += ["    </DirectoryRef>", '    <ComponentGroup Id="BrowserPolicies">']
    lines += [f'      <ComponentRef Id="BrowserPolicy{n}"/>' for n in range(1, len(by_key) + 1)]
    lines += ["    </ComponentGroup>", "  </Fragment>", "</Wix>"]
    return "\n".join(lines) + "\n"


# Where each platform's installer puts the native-messaging host program.
NATIVE_HOST_PATHS = {
    "linux": "/opt/discreet/discreet-native-host",
    "macos": "/usr/local/discreet/discreet-native-host",
    "windows": "discreet-native-host.bat",  # relative to the manifest, which sits beside it
}


def render(out: Path, m: Managed) -> list[Path]:
    """Write every generated file into `out`; installers pick theirs.

    linux/: Chrome, Chromium and Edge managed-policy JSON and Firefox's policies.json, with the token
    placeholder the postinst fills in; native-messaging/<os>/<browser>/: host manifests;
    macos/Discreet.mobileconfig: the fleet profile (no token); windows/browser-policies.wxs: the
    WiX fragment of policy registry values (the token is added on the machine by install-token.ps1).
    """
    token = TOKEN_PLACEHOLDER
    files: dict[str, Any] = {
        "linux/chrome/discreet.json": chrome_policy(m, token),
        "linux/chromium/discreet.json": chrome_policy(m, token),
        "linux/edge/discreet.json": chrome_policy(m, token),
        "linux/firefox/policies.json": firefox_policies(m, token),
    }
    for system, host_path in NATIVE_HOST_PATHS.items():
        for browser in ("chrome", "firefox"):
            manifest = native_host_manifest(m, browser, host_path)
            files[f"native-messaging/{system}/{browser}/{NATIVE_HOST}.json"] = manifest
    written = []
    for rel, data in files.items():
        written.append(_write(out / rel, json.dumps(data, indent=2) + "\n"))
    written.append(_write(out / "macos" / "Discreet.mobileconfig", macos_profile(m, None)))
    written.append(_write(out / "windows" / "browser-policies.wxs", wix_registry_fragment(m)))
    return written


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    path.chmod(0o644)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extension-id", required=True, help="the extension's Chrome ID (see above)")
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    try:
        managed = load(args.extension_id)
    except SettingsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for path in render(args.out, managed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
