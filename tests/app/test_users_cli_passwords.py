"""The command line refuses weak passwords with the reason, as the admin pages do."""

from __future__ import annotations

from sqlalchemy import select

from inventory.models import User
from inventory.passwords import verify_password
from tests.factories import PASSWORD


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_a_weak_password_is_refused_with_the_reason(app, session) -> None:
    result = _run(app, "users", "create", "ops1", "--role", "staff", "--password", "password123")
    assert result.exit_code == 1
    assert "This password is too easy to guess. This is a very common password." in result.output
    assert "Traceback" not in result.output
    assert session.scalar(select(User).where(User.username == "ops1")) is None


def test_a_weak_new_password_keeps_the_old_one(app, session, users) -> None:
    result = _run(app, "users", "set-password", "staff", "--password", "qwerty123456")
    assert result.exit_code == 1
    assert "too easy to guess" in result.output
    session.expire_all()
    staff = session.scalar(select(User).where(User.username == "staff"))
    assert verify_password(staff.password_hash, PASSWORD)
