"""Settings layering: machine-wide file, then the user's file, then the command line."""

from pathlib import Path

import pytest

from discreet.service.config import (
    ConfigError,
    load_config,
    load_service_config,
    record_port,
    service_port,
    user_config_dir,
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_layers_override_in_order_and_origins_add_up(tmp_path):
    machine = write(tmp_path / "machine.toml", 'port = 9000\nallow_origins = ["chrome-extension://a"]\n')
    user = write(tmp_path / "user.toml", 'port = 9100\nthreads = 3\nallow_origins = ["moz-extension://b"]\n')
    config = load_config([machine, user], {"port": 9200, "host": None, "allow_origins": ["extension://c"]})
    assert config.port == 9200
    assert config.threads == 3
    assert config.host == "127.0.0.1"
    assert config.allow_origins == ("chrome-extension://a", "moz-extension://b", "extension://c")


def test_paths_in_a_config_file_are_relative_to_it(tmp_path):
    user = write(tmp_path / "user.toml", 'policy = "packs/policy.yaml"\ntoken_file = "secret/token"\n')
    config = load_config([user], {})
    assert config.policy == tmp_path / "packs" / "policy.yaml"
    assert config.token_file == tmp_path / "secret" / "token"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("prot = 1\n", "unknown setting 'prot'"),
        ('port = "8765"\n', "'port' must be int"),
        ("threads = true\n", "'threads' must be int"),
        ("allow_origins = [1]\n", "'allow_origins' must be a list of strings"),
        ("port = \n", "line 1"),
        ("expose = true\n", "unknown setting 'expose'"),
    ],
)
def test_bad_config_files_name_the_file_and_the_problem(tmp_path, text, expected):
    path = write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config([path], {})
    assert str(caught.value).startswith(f"{path}: ")
    assert expected in str(caught.value)


def test_out_of_range_values_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="port 70000"):
        load_config([], {"port": 70000})
    with pytest.raises(ConfigError, match="max_concurrent_scans"):
        load_config([write(tmp_path / "c.toml", "max_concurrent_scans = 0\n")], {})


def test_defaults_live_in_the_platform_user_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    config = load_service_config(None, {})
    assert user_config_dir() == tmp_path / "xdg" / "discreet"
    assert config.token_file == tmp_path / "xdg" / "discreet" / "token"
    assert (config.host, config.max_text_chars) == ("127.0.0.1", 50_000)
    assert config.port is None and config.port_file == tmp_path / "xdg" / "discreet" / "port"


def test_a_users_own_port_is_the_one_their_service_recorded(tmp_path):
    """No configured port: 8765 until the user's service records its own; a configured one always wins."""
    config = load_config([write(tmp_path / "user.toml", 'port_file = "state/port"\n')], {})
    assert config.port_file == tmp_path / "state" / "port" and service_port(config) == 8765
    record_port(config.port_file, 40123)
    assert service_port(config) == 40123
    assert (config.port_file.stat().st_mode & 0o777, config.port_file.parent.stat().st_mode & 0o777) == (
        0o600,
        0o700,
    )
    assert service_port(load_config([tmp_path / "user.toml"], {"port": 9000})) == 9000
    config.port_file.write_text("80; rm -rf /\n")
    with pytest.raises(ConfigError, match=r"port.*expected a port number 1-65535"):
        service_port(config)


def test_a_named_config_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_service_config(tmp_path / "missing.toml", {})
