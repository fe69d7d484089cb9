"""Helpers for the packaging tests: dpkg on a separate root, and the service run as an unprivileged user.

The .deb is installed with `dpkg --root` and chroot-less maintainer scripts, which run exactly as on a
machine, with every path under DPKG_ROOT. The installed program then runs in a private mount
namespace in which that root's /etc, /opt, /usr/share and /var/lib are laid over the machine's
(read-only overlays: installed_view), so it finds its files where a real install puts them, with no
test-only options. The service runs as `nobody` from a fresh home folder, as a newly logged-in
user's would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SERVICE_USER, SERVICE_GROUP = "nobody", "nogroup"
HOMES_DIR = Path(tempfile.gettempdir()) / f"discreet-packaging-tests-{os.getpid()}"


def run(*cmd: str | Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], check=True, text=True, capture_output=True, **kw)


def world_readable_dir(prefix: str) -> Path:
    """A temporary folder the unprivileged service user can enter (pytest's own are root-only)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


def dpkg(root: Path, *args: str | Path) -> subprocess.CompletedProcess:
    """dpkg on a separate root, maintainer scripts run outside a chroot with DPKG_ROOT set."""
    return run(
        "dpkg", f"--root={root}", "--force-script-chrootless", "--force-depends", "--log=/dev/null", *args
    )


@contextmanager
def dpkg_root() -> Iterator[Path]:
    root = world_readable_dir("discreet-root-")
    for sub in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"):
        (root / sub).mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()
    try:
        yield root
    finally:
        shutil.rmtree(root)


OVERLAID = ("etc", "opt", "usr/share", "var/lib")


@contextmanager
def installed_view(root: Path, net: bool = False) -> Iterator[int]:
    """A process holding a mount namespace (and with `net`, a network namespace with only its own
    loopback) in which the installed root's files are the machine's; yields its pid for nsenter."""
    mounts = " && ".join(f"mount -t overlay overlay -o lowerdir={root}/{d}:/{d} /{d}" for d in OVERLAID)
    setup = f"ip link set lo up && {mounts}" if net else mounts
    holder = subprocess.Popen(
        ["unshare", "--mount", *(["--net"] if net else []), "--propagation", "private", "sh", "-c",
         f"{setup} && echo ready && exec sleep infinity"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready", "namespace setup failed"
        yield holder.pid
    finally:
        holder.kill()
        holder.wait()


def in_view(pid: int, as_user: bool = True, user: str = SERVICE_USER) -> list[str]:
    """The command prefix that runs a program inside installed_view(), as an unprivileged user
    (with its own primary group; `nobody` by default)."""
    enter = ["nsenter", f"--target={pid}", "--mount", "--net"]
    group = SERVICE_GROUP if user == SERVICE_USER else user
    drop = ["setpriv", f"--reuid={user}", f"--regid={group}", "--clear-groups"]
    return enter + drop if as_user else enter


@dataclass
class RunningService:
    url: str
    port: int
    process: subprocess.Popen
    log: Path


def _as_service_user() -> dict:
    return {"user": SERVICE_USER, "group": SERVICE_GROUP, "extra_groups": []}


def user_home(user: str = SERVICE_USER) -> Path:
    """An empty home folder owned by the unprivileged user, as a freshly logged-in user has.

    Created under HOMES_DIR, which the session removes at the end.
    """
    home = Path(tempfile.mkdtemp(prefix="home-", dir=HOMES_DIR))
    shutil.chown(home, user, SERVICE_GROUP if user == SERVICE_USER else user)
    home.chmod(0o700)
    return home


def user_env(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "LANG": "C.UTF-8",
    }


def run_as_user(
    home: Path, *cmd: str | Path, check: bool = True, view: int | None = None, user: str = SERVICE_USER, **kw
) -> subprocess.CompletedProcess:
    """Run as the unprivileged user; with `view` (an installed_view pid) inside that view."""
    drop = {} if view is not None else _as_service_user()
    prefix = in_view(view, user=user) if view is not None else []
    return subprocess.run(
        [*prefix, *map(str, cmd)], env=user_env(home), text=True, capture_output=True, check=check,
        **drop, **kw,
    )  # fmt: skip


INSTALLED_PROGRAM = "/opt/discreet/discreet"


@contextmanager
def running_service(view: int, home: Path, *args: str | Path) -> Iterator[RunningService]:
    """Start the installed `discreet serve` inside installed_view `view` (a mount namespace only, so
    this test reaches it) as the unprivileged user on a free port; wait until /v1/health answers."""
    with serving(view, home, "--port", "0", *args) as svc:
        _wait_for_health(svc.url, svc.process, svc.log)
        yield svc


@contextmanager
def serving(view: int, home: Path, *args: str | Path, user: str = SERVICE_USER) -> Iterator[RunningService]:
    """`discreet serve ARGS` inside installed_view `view` as `user`, until it says where it listens."""
    log = home.parent / f"{home.name}-serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [*in_view(view, user=user), INSTALLED_PROGRAM, "serve", *map(str, args)],
            env=user_env(home), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        port = _wait_for_port(process, log)
        yield RunningService(f"http://127.0.0.1:{port}", port, process, log)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.unlink(missing_ok=True)


def _wait_for_port(process: subprocess.Popen, log: Path, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", log.read_text())
        if found:
            return int(found.group(1))
        if process.poll() is not None:
            pytest.fail(f"discreet serve exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.05)
    pytest.fail(f"discreet serve did not start within {timeout} s:\n{log.read_text()}")


def http(
    url: str, body: dict | None = None, token: str | None = None, origin: str | None = None
) -> tuple[int, dict]:
    """GET, or POST JSON, straight to the loopback service (never through a proxy)."""
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if origin is not None:
        headers["Origin"] = origin
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def _wait_for_health(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if http(f"{url}/v1/health")[0] == 200:
                return
        except OSError:
            pass
        if process.poll() is not None:
            pytest.fail(f"discreet serve exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.05)
    pytest.fail(f"/v1/health did not answer within {timeout} s:\n{log.read_text()}")


def build_deb(
    bundle: Path, key: Path, out_dir: Path, version: str | None = None, policy: Path | None = None
) -> Path:
    args = [*(["--version", version] if version else []), *(["--policy", policy] if policy else [])]
    out = run(
        sys.executable, PACKAGING / "deb" / "build.py", "--bundle", bundle, "--out", out_dir,
        "--compression-level", "1", "--extension-key", key, *args,
    )  # fmt: skip
    return Path(out.stdout.strip().splitlines()[-1])
