#!/usr/bin/env python3
"""Build Discreet-<version>-x64.msi from a Windows bundle, the policy folder and the WiX source.

Stages the program folder (the bundle, the native-messaging host and its manifests, the token
script) and the machine config folder (config.toml and the policy), writes the WiX fragments for
them and for the browser policies, then compiles with Debian's `wixl` where it exists, else with
WiX 3's `candle` and `light` (the Windows CI runner).

Usage: python packaging/windows/build.py --bundle DIR --extension-id ID [--policy-dir DIR] [--out DIR]
ID is the extension's Chrome ID: the store listing's, or the one your signing key gives
(packaging/extension/build.py --key KEY --print-id; see docs/deploying.md).
Prints the .msi's path. The bundle must be a Windows build (discreet.exe, discreet-service.exe).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGING = HERE.parent
ROOT = PACKAGING.parent
sys.path.insert(0, str(PACKAGING))
sys.path.insert(0, str(HERE))

import admx  # noqa: E402  (sibling module)
import managed  # noqa: E402  (sibling module of this script's folder)

REQUIRED_PROGRAMS = ("discreet.exe", "discreet-service.exe")


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def _wix_id(prefix: str, rel: str) -> str:
    """A stable WiX identifier (letters, digits, dots, underscores; at most 72 characters)."""
    return f"{prefix}_{hashlib.sha1(rel.encode()).hexdigest()[:20]}"


def _guid(rel: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"discreet-file:{rel}")).upper()


def _directory_xml(
    folder: Path, root: Path, group: str, indent: str, refs: list[str], base: Path
) -> list[str]:
    lines = []
    for path in sorted(folder.iterdir()):
        rel = f"{group}/{path.relative_to(root).as_posix()}"
        if path.is_dir():
            lines.append(f'{indent}<Directory Id="{_wix_id("d", rel)}" Name="{managed.escape(path.name)}">')
            lines += _directory_xml(path, root, group, indent + "  ", refs, base)
            lines.append(f"{indent}</Directory>")
            continue
        component = _wix_id("c", rel)
        refs.append(component)
        lines += [
            f'{indent}<Component Id="{component}" Guid="{_guid(rel)}" Win64="yes">',
            f'{indent}  <File Id="{_wix_id("f", rel)}" Name="{managed.escape(path.name)}" '
            f'Source="{managed.escape(str(path.relative_to(base)))}" KeyPath="yes"/>',
            f"{indent}</Component>",
        ]
    return lines


def files_fragment(folders: dict[str, tuple[str, Path]], base: Path) -> str:
    """One component per file (stable GUIDs from the path), one component group per folder.

    Sources are relative to `base`, the compiler's working folder (wixl accepts no absolute ones).
    """
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">',
    ]
    for group, (directory, folder) in folders.items():
        refs: list[str] = []
        lines += ["  <Fragment>", f'    <DirectoryRef Id="{directory}">']
        lines += _directory_xml(folder, folder, group, "      ", refs, base)
        lines += ["    </DirectoryRef>", f'    <ComponentGroup Id="{group}">']
        lines += [f'      <ComponentRef Id="{ref}"/>' for ref in refs]
        lines += ["    </ComponentGroup>", "  </Fragment>"]
    lines.append("</Wix>")
    return "\n".join(lines) + "\n"


def stage(work: Path, bundle: Path, policy_dir: Path, m: managed.Managed) -> tuple[Path, Path]:
    missing = [name for name in REQUIRED_PROGRAMS if not (bundle / name).is_file()]
    if missing:
        raise SystemExit(f"error: {bundle} is not a Windows bundle (missing {', '.join(missing)})")
    program, data = work / "program", work / "data"
    shutil.copytree(bundle, program)
    shutil.copy2(HERE / "discreet-native-host.bat", program)
    shutil.copy2(HERE / "service-task.ps1", program)
    script = (HERE / "install-token.ps1").read_text(encoding="utf-8").replace("@CHROME_ID@", m.chrome_id)
    (program / "install-token.ps1").write_text(script, encoding="utf-8")
    generated = work / "managed"
    managed.render(generated, m)
    hosts = generated / "native-messaging" / "windows"
    for browser in ("chrome", "firefox"):
        shutil.copy2(
            hosts / browser / f"{managed.NATIVE_HOST}.json", program / f"{managed.NATIVE_HOST}.{browser}.json"
        )
    shutil.copytree(policy_dir, data, ignore=shutil.ignore_patterns("__pycache__"))
    config = (PACKAGING / "config.toml.in").read_text()
    (data / "config.toml").write_text(
        config.replace("@POLICY@", "policy.yaml")
        .replace("@TOKEN_FILE@", "token")
        .replace("@CHROME_ORIGIN@", m.chrome_origin)
    )
    return program, data


def compile_msi(sources: list[Path], msi: Path, work: Path) -> None:
    """wixl here, WiX 3 on Windows; both get the architecture on the command line, not from the source."""
    if shutil.which("wixl"):
        cmd = ["wixl", "-a", "x64", "-D", f"Version={version()}", "-o", str(msi), *map(str, sources)]
        subprocess.run(cmd, check=True, cwd=work)
        return
    objects = work / "obj"
    cmd = ["candle", "-nologo", "-arch", "x64", f"-dVersion={version()}", "-out", f"{objects}{os.sep}"]
    subprocess.run([*cmd, *map(str, sources)], check=True, cwd=work)
    wixobjs = sorted(map(str, objects.glob("*.wixobj")))
    subprocess.run(["light", "-nologo", "-out", str(msi), *wixobjs], check=True, cwd=work)


def build(bundle: Path, policy_dir: Path, out: Path, extension_id: str) -> Path:
    m = managed.load(extension_id)
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    program, data = stage(work, bundle, policy_dir, m)
    fragment = work / "program-files.wxs"
    folders = {"Program": ("INSTALLDIR", program), "MachineConfig": ("DATADIR", data)}
    fragment.write_text(files_fragment(folders, work))
    msi = out / f"Discreet-{version()}-x64.msi"
    policies = work / "managed" / "windows" / "browser-policies.wxs"
    compile_msi([HERE / "discreet.wxs", fragment, policies], msi, work)
    shutil.rmtree(work)
    admx.write(out / "admx", m.chrome_id)  # group-policy templates for this build's extension ID
    return msi


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, required=True, help="the Windows one-folder bundle")
    parser.add_argument("--policy-dir", type=Path, default=ROOT / "recognizers" / "packs" / "demo")
    parser.add_argument("--out", type=Path, default=PACKAGING / "build" / "windows")
    parser.add_argument("--extension-id", required=True, help="the extension's Chrome ID")
    args = parser.parse_args(argv)
    try:
        print(build(args.bundle.resolve(), args.policy_dir.resolve(), args.out.resolve(), args.extension_id))
    except managed.SettingsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
