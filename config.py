"""Rollout configuration: defaults, overridden by ROLLOUT_* environment variables, then by code."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "test", "production")
JOB_BACKENDS = ("embedded", "redis")


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says which setting to fix."""


DEFAULTS: dict[str, Any] = {
    "ENV_NAME": "production",
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # None: SQLite file in the instance folder
    "JOB_BACKEND": "embedded",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "JOB_QUEUE": "rollout",
    "LOGIN_THROTTLE_FREE_FAILURES": 5,
    "LOGIN_THROTTLE_BASE_SECONDS": 2,
    "LOGIN_THROTTLE_MAX_SECONDS": 900,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": None,  # None: the same as SESSION_COOKIE_SECURE
    # Strict-Transport-Security on every response (browsers then use HTTPS only); on in
    # production, off in development and tests unless set.
    "HSTS": True,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
    "BOOTSTRAP_SERVE_LOCAL": True,
    # Planning: the month a fiscal year starts (7 = July, as most US districts) and the time
    # a plan may take by default.
    "FISCAL_YEAR_START_MONTH": 7,
    "PLAN_TIME_LIMIT_SECONDS": 60,
    # Behind a reverse proxy: how many proxies in front of the app to trust for the client's
    # address (X-Forwarded-For) and scheme (X-Forwarded-Proto); 0 trusts none.
    "TRUSTED_PROXIES": 0,
    # Uploaded import files kept in the database: how much each user may keep, and how long.
    "UPLOAD_QUOTA_BYTES": 200 * 1024 * 1024,
    "UPLOAD_MAX_AGE_HOURS": 24,
    # The REST API: requests a minute per personal token, and per address for requests
    # without a valid token (lower: it slows anyone guessing tokens).
    "API_RATE_LIMIT": 600,
    "API_ANONYMOUS_RATE_LIMIT": 60,
}

# Environment variables read by load_config, and how to turn their text into a value.
ENV_VARIABLES: dict[str, type] = {
    "ENV_NAME": str,
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "JOB_BACKEND": str,
    "REDIS_URL": str,
    "JOB_QUEUE": str,
    "LOGIN_THROTTLE_FREE_FAILURES": int,
    "LOGIN_THROTTLE_BASE_SECONDS": int,
    "LOGIN_THROTTLE_MAX_SECONDS": int,
    "SESSION_COOKIE_SECURE": bool,
    "REMEMBER_COOKIE_SECURE": bool,
    "HSTS": bool,
    "FISCAL_YEAR_START_MONTH": int,
    "PLAN_TIME_LIMIT_SECONDS": int,
    "TRUSTED_PROXIES": int,
    "UPLOAD_QUOTA_BYTES": int,
    "UPLOAD_MAX_AGE_HOURS": int,
    "API_RATE_LIMIT": int,
    "API_ANONYMOUS_RATE_LIMIT": int,
}

DEVELOPMENT_SECRET = "rollout-development-only-secret"  # noqa: S105 - refused in production


def _parse(name: str, text: str, kind: type) -> Any:
    """Turn one environment variable's text into a value, or say which variable is wrong."""
    if kind is bool:
        lowered = text.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"ROLLOUT_{name} must be true or false, not {text!r}")
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise ConfigError(f"ROLLOUT_{name} must be a whole number, not {text!r}") from None
    return text


def load_config(
    instance_path: str | Path,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Defaults, then ROLLOUT_* variables, then overrides; checked before the app may start."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    if "ROLLOUT_ENV" in environ:
        config["ENV_NAME"] = environ["ROLLOUT_ENV"]
    for name, kind in ENV_VARIABLES.items():
        if f"ROLLOUT_{name}" in environ:
            config[name] = _parse(name, environ[f"ROLLOUT_{name}"], kind)
    config.update(overrides or {})
    explicit = set(overrides or {}) | {key.removeprefix("ROLLOUT_") for key in environ}
    _apply_environment_defaults(config, Path(instance_path), explicit)
    _check(config)
    return config


def _apply_environment_defaults(
    config: dict[str, Any], instance_path: Path, explicit: set[str]
) -> None:
    """Development and tests get conveniences that production must set explicitly."""
    relaxed = config["ENV_NAME"] in {"development", "test"}
    if relaxed and not config["SECRET_KEY"]:
        config["SECRET_KEY"] = DEVELOPMENT_SECRET
    if relaxed and "SESSION_COOKIE_SECURE" not in explicit:
        config["SESSION_COOKIE_SECURE"] = False
    if config["REMEMBER_COOKIE_SECURE"] is None:
        config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    if relaxed and "HSTS" not in explicit:
        config["HSTS"] = False
    if config["ENV_NAME"] == "test":
        config["TESTING"] = True
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'rollout.db'}"
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]


def _check(config: dict[str, Any]) -> None:
    """Refuse settings that cannot work, naming the variable to fix."""
    if config["ENV_NAME"] not in ENVIRONMENTS:
        raise ConfigError(f"ROLLOUT_ENV must be one of {', '.join(ENVIRONMENTS)}")
    if config["JOB_BACKEND"] not in JOB_BACKENDS:
        raise ConfigError(f"ROLLOUT_JOB_BACKEND must be one of {', '.join(JOB_BACKENDS)}")
    if not 1 <= int(config["FISCAL_YEAR_START_MONTH"]) <= 12:
        raise ConfigError("ROLLOUT_FISCAL_YEAR_START_MONTH must be a month number from 1 to 12")
    if not 1 <= int(config["PLAN_TIME_LIMIT_SECONDS"]) <= 3600:
        raise ConfigError("ROLLOUT_PLAN_TIME_LIMIT_SECONDS must be from 1 to 3600")
    for name in ("API_RATE_LIMIT", "API_ANONYMOUS_RATE_LIMIT"):
        if int(config[name]) < 1:
            raise ConfigError(f"ROLLOUT_{name} must be 1 or more (requests a minute)")
    if int(config["TRUSTED_PROXIES"]) < 0:
        raise ConfigError("ROLLOUT_TRUSTED_PROXIES must be 0 (no proxy) or more")
    if config["ENV_NAME"] == "production":
        secret = config["SECRET_KEY"] or ""
        if not secret or secret == DEVELOPMENT_SECRET or len(secret) < 16:
            raise ConfigError(
                "ROLLOUT_SECRET_KEY must be set (at least 16 characters) outside development "
                "and tests; for example: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
