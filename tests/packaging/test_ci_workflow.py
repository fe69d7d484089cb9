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
    assert set(jobs["macos"]["strategy"]["matrix"]["runner"]) == {"macos-14", "macos-13"}
    referenced = set(re.findall(r"packaging/[\w./-]+\.(?:py|sh|plist|in)\b", text))
    assert referenced, "the workflow should run the packaging scripts"
    for path in referenced:
        assert (ROOT / path).is_file(), path
