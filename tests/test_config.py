"""Configuration: defaults, ROLLOUT_* variables, and refusing to run without a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import create_app
from config import ConfigError, load_config


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    config = load_config(tmp_path, environ={"ROLLOUT_ENV": "development"})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'rollout.db'}"
    assert config["JOB_BACKEND"] == "embedded"
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_variables_override_defaults(tmp_path: Path) -> None:
    environ = {
        "ROLLOUT_ENV": "production",
        "ROLLOUT_SECRET_KEY": "x" * 32,
        "ROLLOUT_DATABASE_URL": "postgresql+psycopg://rollout@db/rollout",
        "ROLLOUT_JOB_BACKEND": "redis",
        "ROLLOUT_LOGIN_THROTTLE_FREE_FAILURES": "25",
    }
    config = load_config(tmp_path, environ=environ)
    assert config["DATABASE_URL"] == "postgresql+psycopg://rollout@db/rollout"
    assert config["JOB_BACKEND"] == "redis"
    assert config["LOGIN_THROTTLE_FREE_FAILURES"] == 25
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["HSTS"] is True


@pytest.mark.parametrize("env", ["development", "test"])
def test_cookies_over_http_and_no_hsts_in_development_and_tests(tmp_path: Path, env) -> None:
    config = load_config(tmp_path, environ={"ROLLOUT_ENV": env})
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["REMEMBER_COOKIE_SECURE"] is False
    assert config["HSTS"] is False


@pytest.mark.parametrize("secure", ["true", "false"])
def test_the_remember_me_cookie_follows_the_session_cookie(tmp_path: Path, secure) -> None:
    environ = {"ROLLOUT_ENV": "production", "ROLLOUT_SECRET_KEY": "x" * 32,
               "ROLLOUT_SESSION_COOKIE_SECURE": secure}  # fmt: skip
    config = load_config(tmp_path, environ=environ)
    assert config["REMEMBER_COOKIE_SECURE"] is (secure == "true")


def test_trusted_proxies_come_from_the_environment(tmp_path: Path) -> None:
    environ = {"ROLLOUT_ENV": "test", "ROLLOUT_TRUSTED_PROXIES": "2", "ROLLOUT_HSTS": "true"}
    config = load_config(tmp_path, environ=environ)
    assert config["TRUSTED_PROXIES"] == 2
    assert config["HSTS"] is True
    with pytest.raises(ConfigError, match="ROLLOUT_TRUSTED_PROXIES"):
        load_config(tmp_path, environ={"ROLLOUT_ENV": "test", "ROLLOUT_TRUSTED_PROXIES": "-1"})


def test_overrides_win_over_the_environment(tmp_path: Path) -> None:
    config = load_config(
        tmp_path, environ={"ROLLOUT_ENV": "test", "ROLLOUT_LOGIN_THROTTLE_FREE_FAILURES": "10"},
        overrides={"LOGIN_THROTTLE_FREE_FAILURES": 99},
    )  # fmt: skip
    assert config["LOGIN_THROTTLE_FREE_FAILURES"] == 99


@pytest.mark.parametrize("secret", [None, "", "short", "rollout-development-only-secret"])
def test_production_refuses_to_start_without_a_real_secret(tmp_path: Path, secret) -> None:
    environ = {"ROLLOUT_ENV": "production"}
    if secret is not None:
        environ["ROLLOUT_SECRET_KEY"] = secret
    with pytest.raises(ConfigError, match="ROLLOUT_SECRET_KEY"):
        load_config(tmp_path, environ=environ)


def test_create_app_refuses_production_without_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROLLOUT_SECRET_KEY", raising=False)
    monkeypatch.setenv("ROLLOUT_ENV", "production")
    # a one-line reason for the operator (SystemExit), not a traceback
    with pytest.raises(SystemExit, match="Rollout cannot start: ROLLOUT_SECRET_KEY must be set"):
        create_app()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ROLLOUT_JOB_BACKEND", "celery", "ROLLOUT_JOB_BACKEND"),
        ("ROLLOUT_LOGIN_THROTTLE_FREE_FAILURES", "many", "ROLLOUT_LOGIN_THROTTLE_FREE_FAILURES"),
        ("ROLLOUT_ENV", "staging", "ROLLOUT_ENV"),
        ("ROLLOUT_SESSION_COOKIE_SECURE", "perhaps", "ROLLOUT_SESSION_COOKIE_SECURE"),
    ],
)
def test_bad_values_name_the_variable(tmp_path: Path, name: str, value: str, message: str) -> None:
    environ = {"ROLLOUT_ENV": "test", name: value}
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path, environ=environ)
