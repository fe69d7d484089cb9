#!/usr/bin/env python3
"""Build the self-contained one-folder Discreet bundle with PyInstaller, reusing a cached build.

The bundle (interpreter, dependencies, spaCy model, recognizer packs) lands in
`packaging/build/bundle-<key>/discreet/`, where <key> hashes every input: the lock files, the project
sources, this folder (spec and hooks) and the Python version. Running again with unchanged inputs
returns the cached folder at once; a fresh clone builds once. PyInstaller and the dependencies live in
their own venv (`packaging/build/venv`, from the hashed lock files), never in the project's `.venv`.

Usage: python3 packaging/bundle/build.py   (prints the bundle folder on the last line of stdout)
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BUILD = ROOT / "packaging" / "build"
VENV = BUILD / "venv"
LOCKS = (ROOT / "requirements.lock", HERE / "build-requirements.lock")
SOURCES = (ROOT / "pyproject.toml", ROOT / "service", ROOT / "recognizers", HERE)


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(
        p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def _digest(paths: tuple[Path, ...], *extra: str) -> str:
    h = hashlib.sha256()
    for item in extra:
        h.update(item.encode())
    for top in paths:
        for f in _files(top):
            h.update(str(f.relative_to(ROOT)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _run(*cmd: str | Path, **kw) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def _log(msg: str) -> None:
    print(f"[bundle] {msg}", file=sys.stderr, flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(python_tag: str) -> Path:
    """The build venv, recreated whenever a lock file or the Python version changes."""
    key = _digest(LOCKS, python_tag)
    stamp = VENV / ".discreet-build-key"
    if stamp.exists() and stamp.read_text() == key:
        return venv_python()
    _log(f"creating build venv {VENV}")
    shutil.rmtree(VENV, ignore_errors=True)
    _run(sys.executable, "-m", "venv", VENV)
    pip = (venv_python(), "-m", "pip", "install", "-q", "--disable-pip-version-check")
    _run(*pip, "--require-hashes", *(a for lock in LOCKS for a in ("-r", lock)))
    stamp.write_text(key)
    return venv_python()


def install_project(python: Path) -> None:
    """Install Discreet itself (not editable) from a copy, so the build writes nothing into the tree."""
    with tempfile.TemporaryDirectory(prefix="discreet-src-") as tmp:
        src = Path(tmp)
        shutil.copy2(ROOT / "pyproject.toml", src)
        readme = ROOT / "README.md"
        (src / "README.md").write_text(readme.read_text() if readme.exists() else "Discreet\n")
        for folder in ("service", "recognizers"):
            shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
        _run(
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--force-reinstall",
            src,
        )


def tidy_binaries(bundle: Path) -> None:
    """Strip the shared libraries (323 MB -> ~170 MB) and drop RUNPATHs naming the build machine.

    Libraries that auditwheel vendored into `*.libs` folders were rewritten by patchelf, and `strip`
    breaks their segment alignment (numpy's OpenBLAS then fails to load), so they are left alone; so is
    the bootloader, which carries the program's archive. Linux only: macOS and Windows keep theirs.
    """
    if sys.platform != "linux":
        return
    libs = [
        p
        for p in bundle.rglob("*.so*")
        if p.is_file() and not p.is_symlink() and not p.parent.name.endswith(".libs")
    ]
    _run("strip", "--strip-unneeded", "--remove-section=.comment", *libs)
    for lib in libs:
        runpath = subprocess.run(
            ["patchelf", "--print-rpath", lib], check=True, stdout=subprocess.PIPE, text=True
        ).stdout.strip()
        if runpath and not all(entry.startswith("$ORIGIN") for entry in runpath.split(":")):
            _run("patchelf", "--remove-rpath", lib)


def build() -> Path:
    python_tag = f"{sys.version_info[:3]}-{sys.platform}-{platform.machine()}"
    key = _digest((*LOCKS, *SOURCES), python_tag)
    out = BUILD / f"bundle-{key}"
    bundle = out / "discreet"
    if (out / ".complete").exists():
        _log(f"cached: {bundle}")
        return bundle
    started = time.monotonic()
    python = ensure_venv(python_tag)
    install_project(python)
    shutil.rmtree(out, ignore_errors=True)
    work = out / "work"
    _run(
        python,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        out,
        "--workpath",
        work,
        HERE / "discreet.spec",
    )
    shutil.rmtree(work)
    tidy_binaries(bundle)
    (out / ".complete").write_text(f"{time.monotonic() - started:.0f}\n")
    for old in BUILD.glob("bundle-*"):
        if old != out:
            shutil.rmtree(old, ignore_errors=True)
    _log(f"built {bundle} in {time.monotonic() - started:.0f} s")
    return bundle


def main() -> int:
    BUILD.mkdir(parents=True, exist_ok=True)
    with open(BUILD / ".lock", "w") as lock:
        if os.name == "posix":  # one build at a time; a waiting caller then finds the cache
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        print(build())
    return 0


if __name__ == "__main__":
    sys.exit(main())
