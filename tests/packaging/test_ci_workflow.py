"""The installers workflow: it parses, covers the three platforms, and runs scripts that exist."""

from __future__ import annotations

import re

import yaml
from packaging_harness import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "installers.yml"


def test_workflow_builds_every_platform_with_scripts_that_exist() -> None:
    text = WORKFLOW.read_text()
    workflow = yaml.safe_load(text)
    jobs = workflow["jobs"]
    assert set(jobs) == {"deb", "windows", "macos"}
    assert jobs["windows"]["runs-on"].startswith("windows")
    assert jobs["deb"]["container"] == "debian:12"  # the glibc the .deb promises
    # Current images: macos-13 is retired; macos-15-intel is the last x86_64 one.
    assert set(jobs["macos"]["strategy"]["matrix"]["runner"]) == {"macos-15", "macos-15-intel"}
    referenced = set(re.findall(r"packaging/[\w./-]+\.(?:py|sh|plist|in)\b", text))
    assert referenced, "the workflow should run the packaging scripts"
    for path in referenced:
        assert (ROOT / path).is_file(), path
    assert (
        "packaging/macos/sign-and-notarize.sh" in referenced and "packaging/extension/build.py" in referenced
    )


def test_signing_steps_name_their_secrets_and_hold_none() -> None:
    """Signing happens in CI from named secrets; nothing secret is in the repository."""
    text = WORKFLOW.read_text()
    windows = yaml.safe_load(text)["jobs"]["windows"]
    signing = [s for s in windows["steps"] if "signtool" in s.get("run", "")]
    assert len(signing) == 2  # the executables and the MSI
    assert "secrets.WINDOWS_SIGNING_PFX" in windows["env"]["HAVE_SIGNING_CERT"]
    for step in signing:  # GitHub refuses `secrets` in a step's `if`: the job's env carries it
        assert step["if"] == "env.HAVE_SIGNING_CERT == 'true'" and "secrets" not in step["if"]
    for secret in (
        "WINDOWS_SIGNING_PFX",
        "WINDOWS_SIGNING_PASSWORD",
        "DISCREET_EXTENSION_KEY",
        "MACOS_APP_CERT_P12",
    ):
        assert f"secrets.{secret}" in text
    assert "BEGIN" not in text and "PRIVATE KEY" not in text
