"""Browser policies as the browsers define them.

Firefox's policies.json is validated against the policy schema shipped inside the installed Firefox
ESR (omni.ja); Chrome's and Edge's against their documented shapes (ExtensionInstallForcelist entries
`<id>;<update URL>`, `3rdparty.extensions.<id>`) and, for the extension's own settings, the
extension's managed_schema.json, which is what Chrome validates them with.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from packaging_harness import PACKAGING, ROOT

sys.path.insert(0, str(PACKAGING))
import managed

FIREFOX_OMNI = Path("/usr/lib/firefox-esr/browser/omni.ja")
EXTENSION_ID = "abcdefghijklmnopabcdefghijklmnop"  # any ID: the build gives the real one
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int}


def schema_errors(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """The subset of JSON Schema these schemas use: type, enum, properties, patternProperties, items."""
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if not any(
            isinstance(value, TYPES[k]) and not (k == "integer" and isinstance(value, bool)) for k in kinds
        ):
            return [f"{where}: expected {kinds}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in {schema['enum']}"]
    errors: list[str] = []
    if isinstance(value, dict):
        props, patterns = schema.get("properties", {}), schema.get("patternProperties", {})
        for key, item in value.items():
            matched = [s for p, s in patterns.items() if re.search(p, key)]
            if key in props:
                errors += schema_errors(item, props[key], f"{where}.{key}")
            elif matched:
                errors += [e for s in matched for e in schema_errors(item, s, f"{where}.{key}")]
            elif props or patterns:
                errors.append(f"{where}: unknown key {key!r}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{where}[{i}]")
    return errors


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("managed")
    managed.render(out, managed.load(EXTENSION_ID))
    return out


@pytest.fixture(scope="module")
def extension_schema() -> dict[str, Any]:
    return json.loads((ROOT / "extension" / "managed_schema.json").read_text())


def test_firefox_policies_match_firefoxs_own_schema(rendered: Path) -> None:
    with zipfile.ZipFile(FIREFOX_OMNI) as omni:
        schema = json.loads(omni.read("modules/policies/policies-schema.json"))
    policies = json.loads((rendered / "linux/firefox/policies.json").read_text())
    assert list(policies) == ["policies"]
    assert schema_errors(policies["policies"], schema) == []
    install = policies["policies"]["ExtensionSettings"]["discreet@discreet.example"]
    assert install["installation_mode"] == "force_installed" and install["install_url"].startswith("https://")


def test_the_validator_catches_what_firefox_would_refuse() -> None:
    with zipfile.ZipFile(FIREFOX_OMNI) as omni:
        schema = json.loads(omni.read("modules/policies/policies-schema.json"))
    bad = {"ExtensionSettings": {"x@y": {"installation_mode": "forced"}}, "NoSuchPolicy": True}
    errors = schema_errors(bad, schema)
    assert any("forced" in e for e in errors) and any("NoSuchPolicy" in e for e in errors)


@pytest.mark.parametrize("browser", ["chrome", "chromium", "edge"])
def test_chrome_family_policy_shape(rendered: Path, browser: str, extension_schema: dict) -> None:
    """Settings only: the .deb installs the extension itself, and a force-install list here would
    replace the organisation's own (Chrome does not merge list policies across files)."""
    policy = json.loads((rendered / f"linux/{browser}/discreet.json").read_text())
    assert set(policy) == {"3rdparty"}
    extensions = policy["3rdparty"]["extensions"]
    assert list(extensions) == [EXTENSION_ID]
    settings = {**extensions[EXTENSION_ID], "token": "0" * 64}  # the postinst puts the real token in
    assert schema_errors(settings, extension_schema) == []
    assert extensions[EXTENSION_ID]["token"] == managed.TOKEN_PLACEHOLDER


def test_settings_outside_the_extensions_schema_are_refused(tmp_path: Path) -> None:
    settings = tmp_path / "managed-settings.toml"
    text = (PACKAGING / "managed-settings.toml").read_text()
    settings.write_text(text.replace('mode = "block"', 'mode = "loud"'))
    with pytest.raises(managed.SettingsError, match="mode must be block or warn or off"):
        managed.load(EXTENSION_ID, settings)
    settings.write_text(text + 'colour = "red"\n')
    with pytest.raises(managed.SettingsError, match="colour is not a managed setting"):
        managed.load(EXTENSION_ID, settings)


def test_a_malformed_extension_id_fails_clearly() -> None:
    with pytest.raises(managed.SettingsError, match="'discreet' is not a Chrome extension ID"):
        managed.load("discreet")
