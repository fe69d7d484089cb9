"""Service settings: built-in defaults, the installer's shipped defaults, the machine-wide file, the
user's file, then the CLI.

An installer ships its defaults (policy, extension origin, token location) in `defaults/config.toml`
beside the program, replaced by every upgrade and never edited; the machine-wide file (Linux:
/etc/discreet/config.toml) holds only what the administrator writes, so an upgrade never has to ask
whose version wins. The user's file (platformdirs user config dir, `config.toml`) overrides single
values, and allowed origins from every layer add up so a user cannot drop the managed extension by
accident.
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

from discreet.audit.identity import MODES as AUDIT_IDENTITIES
from discreet.audit.spec import SinkError, check_collectors, parse_sink

APP_NAME = "discreet"
DEFAULT_HOST = "127.0.0.1"
# The port a user's service tries first when no config names one; the first user on a machine gets it,
# others get a free port of their own (see `port_file`).
DEFAULT_PORT = 8765
# The longest post text accepted by /v1/scan, in characters. LinkedIn posts stop at 3,000
# characters and articles rarely reach 50,000; the cap bounds the work one request can cause.
MAX_TEXT_CHARS = 50_000


class ConfigError(ValueError):
    """A config file that cannot be used; str() names the file and what is wrong."""


def user_config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def machine_config_file() -> Path:
    """Where a managed install puts its settings, read before the user's own file."""
    if sys.platform.startswith("linux"):
        return Path("/etc/discreet/config.toml")
    return platformdirs.site_config_path(APP_NAME, appauthor=False) / "config.toml"


def shipped_defaults_file() -> Path | None:
    """The installed program's own defaults (`defaults/config.toml` beside the bundled executable);
    None when running from source, where there is no installer."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent / "defaults" / "config.toml"


def config_layers(config_file: Path | None) -> list[Path]:
    """Every config file in order of strength, weakest first (a missing one counts as empty)."""
    defaults = shipped_defaults_file()
    user_file = config_file or user_config_dir() / "config.toml"
    return [*([defaults] if defaults else []), machine_config_file(), user_file]


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """Everything the service needs to run; built once at start and passed to the app factory."""

    policy: Path | None = None
    host: str = DEFAULT_HOST
    # None: this user's own port, chosen at the service's first start and kept in `port_file`, so
    # several users of one machine each have a service; 0: a fresh free port at every start.
    port: int | None = None
    port_file: Path = field(default_factory=lambda: user_config_dir() / "port")
    token_file: Path = field(default_factory=lambda: user_config_dir() / "token")
    admin_token_file: Path = field(default_factory=lambda: user_config_dir() / "admin-token")
    paired_origins_file: Path = field(default_factory=lambda: user_config_dir() / "paired-origins.json")
    allow_origins: tuple[str, ...] = ()
    expose: bool = False
    max_text_chars: int = MAX_TEXT_CHARS
    threads: int = 6
    # Sized so that another local process holding a few hundred idle or trickling connections cannot
    # shut the extension out; past it the idlest connections are closed (see service/serving.py).
    connection_limit: int = 256
    max_concurrent_scans: int = 4
    scan_wait_seconds: float = 2.0
    # One deadline per request, across every pattern and paragraph: a catastrophic pattern cannot keep
    # a worker busy after the client has given up.
    scan_deadline_seconds: float = 2.0
    reload_interval: float = 1.0
    audit: tuple[str, ...] = ()  # audit sinks (discreet.audit.spec); none by default
    audit_identity: str = "none"  # none | pseudonym | username
    audit_collectors: tuple[str, ...] = ()  # remote collectors the machine-wide config names: not a setting

    @property
    def max_body_bytes(self) -> int:
        """The text cap with every character JSON-escaped as a surrogate pair, plus the envelope."""
        return self.max_text_chars * 12 + 4096


_PATH_KEYS = {"policy", "token_file", "admin_token_file", "paired_origins_file", "port_file"}
_TYPES: dict[str, tuple[type, ...]] = {
    "policy": (str,),
    "host": (str,),
    "port": (int,),
    "port_file": (str,),
    "token_file": (str,),
    "admin_token_file": (str,),
    "paired_origins_file": (str,),
    "allow_origins": (list,),
    "max_text_chars": (int,),
    "threads": (int,),
    "connection_limit": (int,),
    "max_concurrent_scans": (int,),
    "scan_wait_seconds": (int, float),
    "scan_deadline_seconds": (int, float),
    "reload_interval": (int, float),
    "audit": (list, str),
    "audit_identity": (str,),
}


def read_config_file(path: Path) -> dict[str, Any]:
    """Parse one config.toml into ServiceConfig keyword values; a missing file gives {}."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: {err}") from None
    values: dict[str, Any] = {}
    for key, value in raw.items():
        kinds = _TYPES.get(key)
        if kinds is None:
            known = ", ".join(sorted(_TYPES))
            raise ConfigError(f"{path}: unknown setting '{key}' (known: {known})")
        if not isinstance(value, kinds) or isinstance(value, bool):
            raise ConfigError(f"{path}: '{key}' must be {' or '.join(k.__name__ for k in kinds)}")
        if key in _PATH_KEYS:
            value = (path.parent / Path(value).expanduser()).resolve()
        elif key == "allow_origins":
            if not all(isinstance(origin, str) for origin in value):
                raise ConfigError(f"{path}: 'allow_origins' must be a list of strings")
            value = tuple(value)
        elif key == "audit":
            value = audit_sinks(value, path.parent, str(path))
        values[key] = value
    return values


def audit_sinks(value: Any, base: Path, where: str) -> tuple[str, ...]:
    """Audit sinks as written (one or a list), each checked, file paths made absolute against `base`."""
    texts = [value] if isinstance(value, str) else value
    if not all(isinstance(text, str) for text in texts):
        raise ConfigError(f"{where}: 'audit' must be a sink or a list of sinks")
    try:
        specs = [parse_sink(text, base) for text in texts]
    except SinkError as err:
        raise ConfigError(f"{where}: {err}") from None
    return tuple(f"file:{spec.path}" if spec.kind == "file" else spec.text for spec in specs)


def load_config(files: list[Path], overrides: dict[str, Any], admin_files: int = 0) -> ServiceConfig:
    """Layer the files (first is weakest) and then the non-None CLI overrides onto the defaults.

    The first `admin_files` files are the machine's admin config: only they may name a remote audit collector.
    """
    config = ServiceConfig()
    origins: list[str] = []
    collectors: list[str] = []
    if overrides.get("audit") is not None:
        overrides = {**overrides, "audit": audit_sinks(overrides["audit"], Path.cwd(), "--audit")}
    for index, layer in enumerate([*(read_config_file(path) for path in files), overrides]):
        values = {key: value for key, value in layer.items() if value is not None}
        origins.extend(values.pop("allow_origins", ()))
        if index < admin_files:
            collectors.extend(filter(None, (parse_sink(text).collector for text in values.get("audit", ()))))
        config = replace(config, **values)
    config = replace(config, allow_origins=tuple(dict.fromkeys(origins)), audit_collectors=tuple(collectors))
    _check(config)
    return config


def _check(config: ServiceConfig) -> None:
    if config.port is not None and not 0 <= config.port <= 65535:
        raise ConfigError(f"port {config.port} is out of range 0-65535")
    for name in ("max_text_chars", "threads", "connection_limit", "max_concurrent_scans"):
        if getattr(config, name) < 1:
            raise ConfigError(f"{name} must be at least 1")
    if config.scan_wait_seconds < 0 or config.reload_interval <= 0 or config.scan_deadline_seconds <= 0:
        raise ConfigError("scan_wait_seconds must be >= 0, reload_interval and scan_deadline_seconds > 0")
    if config.audit_identity not in AUDIT_IDENTITIES:
        raise ConfigError(f"audit_identity must be one of {', '.join(AUDIT_IDENTITIES)}")
    try:
        check_collectors(config.audit, config.audit_collectors, machine_config_file())
    except SinkError as err:
        raise ConfigError(str(err)) from None


def load_service_config(config_file: Path | None, overrides: dict[str, Any]) -> ServiceConfig:
    """Shipped defaults, the machine-wide file, the user's (or `--config FILE`, which must exist),
    then the CLI."""
    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"{config_file}: no such config file")
    layers = config_layers(config_file)
    return load_config(layers, overrides, admin_files=len(layers) - 1)  # all but the user's own file


def recorded_port(port_file: Path) -> int | None:
    """The port this user's service chose at its first start, or None before that."""
    try:
        text = port_file.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{port_file}: cannot read the service's port ({err})") from None
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ConfigError(f"{port_file}: expected a port number 1-65535, found {text[:20]!r}")
    return int(text)


def record_port(port_file: Path, port: int) -> None:
    """Keep the port for the next start and for this user's clients (status, pair, the native host);
    replaced atomically, owner-only like the rest of the user's config folder."""
    port_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = port_file.with_name(f".{port_file.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(f"{port}\n")
    os.replace(temp, port_file)


def service_port(config: ServiceConfig) -> int:
    """Where this user's service listens: the configured port, else the one it recorded, else the default."""
    if config.port is not None:
        return config.port
    return recorded_port(config.port_file) or DEFAULT_PORT
