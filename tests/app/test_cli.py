"""The command line: users, demo district, migrations."""

from __future__ import annotations

from sqlalchemy import func, select

from inventory.enums import Role, SiteKind
from inventory.models import Region, Site, User
from inventory.passwords import verify_password


def _run(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=list(args), **kwargs)


def test_users_create_set_password_and_disable(app, session) -> None:
    result = _run(
        app, "users", "create", "ops1", "--role", "staff", "--password", "ops one long password"
    )
    assert result.exit_code == 0, result.output
    assert "Created ops1" in result.output
    result = _run(app, "users", "set-password", "ops1", "--password", "ops two long password")
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.username == "ops1"))
    assert verify_password(user.password_hash, "ops two long password")
    result = _run(app, "users", "disable", "ops1")
    assert result.exit_code == 0
    session.refresh(user)
    assert user.is_active is False


def test_users_create_reports_errors_without_a_traceback(app, users) -> None:
    result = _run(
        app, "users", "create", "planner", "--role", "pmo", "--password", "ops one long password"
    )
    assert result.exit_code == 1
    assert "already taken" in result.output
    assert "Traceback" not in result.output
    result = _run(app, "users", "create", "sa1", "--role", "site_admin", "--site", "NOPE",
                  "--password", "ops one long password")  # fmt: skip
    assert result.exit_code == 1
    assert "no site with code NOPE" in result.output


def test_unknown_user_is_reported(app) -> None:
    result = _run(app, "users", "disable", "ghost")
    assert result.exit_code == 1
    assert "There is no user named ghost." in result.output


def test_demo_load_builds_a_district_with_every_role(app, session, monkeypatch) -> None:
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    result = _run(app, "demo", "load", "--sites", "40", "--seed", "7")
    assert result.exit_code == 0, result.output
    assert "Warning: DEMO_PASSWORD is not set" in result.output
    assert session.scalar(select(func.count(Site.id))) == 40
    assert session.scalar(select(func.count(Region.id))) >= 2
    roles = set(session.scalars(select(User.role)))
    assert roles == set(Role)
    kinds = set(session.scalars(select(Site.kind)))
    assert {SiteKind.ELEMENTARY, SiteKind.MIDDLE, SiteKind.HIGH} <= kinds
    school_enrollment = session.scalars(select(Site.enrollment).where(Site.kind == "high"))
    assert all(900 <= value <= 2800 for value in school_enrollment)
    site_admins = session.scalars(select(User).where(User.role == Role.SITE_ADMIN)).all()
    assert all(user.sites for user in site_admins)


def test_demo_load_uses_demo_password(app, session, monkeypatch) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "a demo password 42")
    result = _run(app, "demo", "load", "--sites", "5")
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output
    admin = session.scalar(select(User).where(User.username == "admin"))
    assert verify_password(admin.password_hash, "a demo password 42")


def test_demo_load_refuses_a_database_with_data(app, users) -> None:
    result = _run(app, "demo", "load", "--sites", "5")
    assert result.exit_code == 1
    assert "--replace" in result.output
    assert _run(app, "demo", "load", "--sites", "5", "--if-empty").exit_code == 0


def test_demo_load_rejects_a_bad_size(app) -> None:
    result = _run(app, "demo", "load", "--sites", "0")
    assert result.exit_code == 1
    assert "--sites must be between" in result.output
