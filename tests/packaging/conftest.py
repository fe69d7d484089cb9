"""Session fixtures: the real bundle and .deb, built once, and a root the .deb is installed into.

The bundle build is cached across runs by a hash of its inputs (packaging/bundle/build.py); a fresh
clone builds it once (about two minutes here). The extension is built from extension/ and signed
with a throwaway key generated for the session, as an organisation's key would sign it.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging_harness import HOMES_DIR, PACKAGING, ROOT, dpkg, dpkg_root, run


@pytest.fixture(scope="session")
def bundle() -> Path:
    out = run(sys.executable, PACKAGING / "bundle" / "build.py")
    return Path(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def extension_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway signing key: the extension ID the packages carry is derived from it."""
    key = tmp_path_factory.mktemp("extension-key") / "discreet-extension.pem"
    run("openssl", "genrsa", "-out", key, "2048")
    run("node", ROOT / "extension" / "scripts" / "build.mjs")  # extension/dist, signed into the CRX
    return key


@pytest.fixture(scope="session")
def extension_id(extension_key: Path) -> str:
    return run(
        sys.executable, PACKAGING / "extension" / "build.py", "--key", extension_key, "--print-id"
    ).stdout.strip()


def build_deb(
    bundle: Path, key: Path, out_dir: Path, version: str | None = None, policy: Path | None = None
) -> Path:
    args = [*(["--version", version] if version else []), *(["--policy", policy] if policy else [])]
    out = run(
        sys.executable, PACKAGING / "deb" / "build.py", "--bundle", bundle, "--out", out_dir,
        "--compression-level", "1", "--extension-key", key, *args,
    )  # fmt: skip
    return Path(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def deb(bundle: Path, extension_key: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_deb(bundle, extension_key, tmp_path_factory.mktemp("deb"))


@pytest.fixture(scope="session")
def installed(deb: Path) -> Iterator[Path]:
    """A root with the package installed; tests must not change it (use dpkg_root() for that)."""
    with dpkg_root() as root:
        dpkg(root, "-i", deb)
        yield root


@pytest.fixture(scope="session", autouse=True)
def _homes() -> Iterator[None]:
    """The folder the unprivileged user's home folders go in (see user_home), removed at the end."""
    HOMES_DIR.mkdir()
    HOMES_DIR.chmod(0o755)
    yield
    shutil.rmtree(HOMES_DIR)
