#!/usr/bin/env python3
"""Build discreet_<version>_amd64.deb with dpkg-deb from the bundle and the files in this repository.

Layout: the bundle in /opt/discreet, with the shipped defaults (config.toml, and the company policy
and every file it names) in /opt/discreet/defaults, an empty /etc/discreet for the administrator's
own files (no conffiles at all), the systemd user unit, browser-policy templates and the maintainer
scripts' helpers in /usr/share/discreet, the extension (CRX signed with --extension-key, and the
.xpi) in /usr/share/discreet/extension with an external-extension entry for Chromium, Chrome and
Edge, native-messaging manifests in each browser's folder.

Usage: .venv/bin/python packaging/deb/build.py --extension-key KEY.pem [--version V] [--bundle DIR]
           [--policy POLICY.yaml] [--firefox-xpi SIGNED.xpi] [--out DIR]
(without --bundle it builds or reuses the cached bundle; the extension must be built first:
`cd extension && npm run build`; run with the project's Python so the policy loader can list the
files the policy names). Prints the .deb's path.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGING = HERE.parent
ROOT = PACKAGING.parent
sys.path.insert(0, str(PACKAGING))

import managed  # noqa: E402  (sibling module of this script's folder)

from extension import build as extension_build  # noqa: E402

DEMO_POLICY = ROOT / "recognizers" / "packs" / "demo" / "policy.yaml"
CHROME_HOST_DIRS = ("etc/opt/chrome", "etc/chromium", "etc/opt/edge")
FIREFOX_HOST_DIR = "usr/lib/mozilla/native-messaging-hosts"
EXECUTABLE_MAINTSCRIPTS = ("postinst", "prerm", "postrm")
EXTENSION_DIR = "usr/share/discreet/extension"
# The per-machine token: state the postinst generates, not configuration (kept across upgrades).
TOKEN_FILE = "/var/lib/discreet/token"
# Where each browser on Linux looks for external extensions (one <id>.json each).
EXTERNAL_EXTENSION_DIRS = (
    "usr/share/chromium/extensions",
    "usr/share/google-chrome/extensions",
    "usr/share/microsoft-edge/extensions",
)


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def policy_files(policy: Path) -> list[Path]:
    """The policy YAML and every file it names, as the service's own loader sees them."""
    from discreet.engine.policy import load_policy

    return [Path(p) for p in load_policy(policy).files]


def build_bundle() -> Path:
    out = subprocess.run(
        [sys.executable, str(PACKAGING / "bundle" / "build.py")],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return Path(out.stdout.strip().splitlines()[-1])


def _install(src: Path, dest: Path, mode: int = 0o644, text: str | None = None) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if text is None:
        shutil.copyfile(src, dest)
    else:
        dest.write_text(text, encoding="utf-8")
    dest.chmod(mode)


def _normalise_modes(tree: Path) -> None:
    """Directories 0755, files 0644, except real executables (ELF programs and scripts) 0755."""
    for path in tree.rglob("*"):
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
            continue
        head = path.read_bytes()[:4]
        is_program = head.startswith(b"#!") or (head == b"\x7fELF" and ".so" not in path.name)
        path.chmod(0o755 if is_program else 0o644)


def stage_extension(staging: Path, key: Path, dist: Path, firefox_xpi: Path | None) -> managed.Managed:
    """The signed CRX and the .xpi in /usr/share/discreet/extension, the external-extension entries,
    and the managed settings for the ID the key gives (Firefox installs the packaged .xpi)."""
    packaged = extension_build.package(dist, key, staging / EXTENSION_DIR)
    if firefox_xpi is not None:
        shutil.copyfile(firefox_xpi, packaged.xpi)
    else:
        print(
            "warning: the packaged .xpi is not signed by Mozilla; Firefox release refuses it "
            "(pass --firefox-xpi with the AMO-signed file, see docs/deploying.md)",
            file=sys.stderr,
        )
    entry = managed.linux_external_extension(f"/{EXTENSION_DIR}/{packaged.crx.name}", packaged.version)
    for folder in EXTERNAL_EXTENSION_DIRS:
        _install(Path(), staging / folder / f"{packaged.extension_id}.json", text=json.dumps(entry) + "\n")
    m = managed.load(packaged.extension_id)
    return dataclasses.replace(m, firefox_install_url=f"file:///{EXTENSION_DIR}/{packaged.xpi.name}")


def stage(staging: Path, bundle: Path, policy: Path, m: managed.Managed) -> None:
    opt = staging / "opt" / "discreet"
    shutil.copytree(bundle, opt, symlinks=True)
    host = (PACKAGING / "native-host.sh.in").read_text().replace("@PROGRAM@", "/opt/discreet/discreet")
    _install(Path(), opt / "discreet-native-host", text=host)
    _normalise_modes(opt)
    (staging / "usr" / "bin").mkdir(parents=True)
    (staging / "usr" / "bin" / "discreet").symlink_to("/opt/discreet/discreet")

    # Shipped defaults beside the program (replaced by every upgrade, never conffiles); /etc/discreet
    # is left empty for what the administrator writes (docs/deploying.md).
    defaults = opt / "defaults"
    for file in policy_files(policy):
        _install(file, defaults / "policy" / file.relative_to(policy.parent))
    config = (PACKAGING / "config.toml.in").read_text()
    config = config.replace("@POLICY@", f"policy/{policy.name}").replace("@TOKEN_FILE@", TOKEN_FILE)
    _install(Path(), defaults / "config.toml", text=config.replace("@CHROME_ORIGIN@", m.chrome_origin))
    (staging / "etc" / "discreet").mkdir(parents=True)

    _install(PACKAGING / "linux" / "discreet.service", staging / "usr/lib/systemd/user/discreet.service")
    share = staging / "usr" / "share" / "discreet"
    _install(HERE / "maintscript-lib.sh", share / "maintscript-lib.sh")
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp)
        managed.render(generated, m)
        # Templates the postinst fills in with the machine's token:
        shutil.copytree(generated / "linux", share / "managed")
        native = generated / "native-messaging" / "linux"
        host_json = f"{managed.NATIVE_HOST}.json"
        for folder in CHROME_HOST_DIRS:
            _install(native / "chrome" / host_json, staging / folder / "native-messaging-hosts" / host_json)
        _install(native / "firefox" / host_json, staging / FIREFOX_HOST_DIR / host_json)

    doc = staging / "usr" / "share" / "doc" / "discreet"
    _install(HERE / "copyright", doc / "copyright")
    deploying = ROOT / "docs" / "deploying.md"
    if deploying.exists():
        _install(deploying, doc / "deploying.md")
    doc.joinpath("changelog.gz").write_bytes(
        gzip.compress((HERE / "changelog").read_bytes(), compresslevel=9, mtime=0)
    )
    doc.joinpath("changelog.gz").chmod(0o644)
    man = staging / "usr" / "share" / "man" / "man1" / "discreet.1.gz"
    man.parent.mkdir(parents=True)
    man.write_bytes(gzip.compress((HERE / "discreet.1").read_bytes(), compresslevel=9, mtime=0))
    man.chmod(0o644)
    _install(HERE / "lintian-overrides", staging / "usr/share/lintian/overrides/discreet")
    for path in staging.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)


def write_control(staging: Path, version: str) -> None:
    debian = staging / "DEBIAN"
    debian.mkdir(mode=0o755)
    size_kib = sum(p.lstat().st_size for p in staging.rglob("*") if not p.is_dir()) // 1024
    control = (HERE / "control.in").read_text()
    control = control.replace("@VERSION@", version).replace("@INSTALLED_SIZE@", str(size_kib))
    _install(Path(), debian / "control", text=control)
    # The only conffiles are the native-messaging manifests (browsers read them from /etc only, and
    # nobody edits them, so dpkg replaces them without asking). Policy and config are never shipped
    # in /etc: an upgrade cannot stop at a prompt over an administrator's edit.
    conffiles = sorted("/" + str(p.relative_to(staging)) for p in (staging / "etc").rglob("*") if p.is_file())
    assert not [c for c in conffiles if c.startswith("/etc/discreet/")], "/etc/discreet is the admin's"
    _install(Path(), debian / "conffiles", text="\n".join(conffiles) + "\n")
    for script in EXECUTABLE_MAINTSCRIPTS:
        _install(HERE / script, debian / script, mode=0o755)
    sums = []
    for path in sorted(staging.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.relative_to(staging).parts:
            sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {path.relative_to(staging)}")
    _install(Path(), debian / "md5sums", text="\n".join(sums) + "\n")


@dataclasses.dataclass(frozen=True)
class Extension:
    """What the .deb ships of the extension: its build, the key that signs it, a Mozilla-signed .xpi."""

    key: Path
    dist: Path
    firefox_xpi: Path | None = None


def build(bundle: Path, policy: Path, out: Path, level: int, version: str, extension: Extension) -> Path:
    staging = out / f"discreet_{version}_amd64"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    os.umask(0o022)
    m = stage_extension(staging, extension.key, extension.dist, extension.firefox_xpi)
    stage(staging, bundle, policy, m)
    write_control(staging, version)
    deb = out / f"{staging.name}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", f"-z{level}", "--build", str(staging), str(deb)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(staging)
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, help="the one-folder bundle (default: build or reuse it)")
    parser.add_argument("--policy", type=Path, default=DEMO_POLICY, help="the company policy to install")
    parser.add_argument("--out", type=Path, default=PACKAGING / "build" / "deb")
    parser.add_argument("--compression-level", type=int, default=6, help="xz level (1 builds ~4x faster)")
    parser.add_argument("--version", default=project_version(), help="package version (default: pyproject's)")
    parser.add_argument("--extension-key", type=Path, required=True, help="PEM key that signs the CRX")
    parser.add_argument("--extension-dist", type=Path, default=extension_build.DIST, help="built extension")
    parser.add_argument("--firefox-xpi", type=Path, help="the Mozilla-signed .xpi to ship for Firefox")
    args = parser.parse_args(argv)
    extension = Extension(args.extension_key, args.extension_dist, args.firefox_xpi)
    try:
        bundle = (args.bundle or build_bundle()).resolve()
        deb = build(
            bundle, args.policy.resolve(), args.out.resolve(), args.compression_level, args.version, extension
        )
    except (managed.SettingsError, extension_build.ExtensionBuildError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(deb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
