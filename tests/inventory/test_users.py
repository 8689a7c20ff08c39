"""Accounts: creation rules, argon2id hashing, password strength, and edits that cannot
silently undo someone else's."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.orm import sessionmaker

from inventory.demo import DEFAULT_DEMO_PASSWORD
from inventory.enums import Role
from inventory.errors import Duplicate, InvalidValue, StaleEdit
from inventory.models import User
from inventory.operations.users import create_user, set_password, update_user
from inventory.passwords import verify_password
from tests.factories import PASSWORD, make_site, make_user


def test_passwords_are_hashed_with_argon2id(session) -> None:
    user = make_user(session, Role.STAFF)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_user_names_are_unique_regardless_of_case(session) -> None:
    make_user(session, Role.STAFF, username="jdoe")
    with pytest.raises(Duplicate, match="jdoe"):
        create_user(session, by=None, username="JDoe", password=PASSWORD, role=Role.PMO)


@pytest.mark.parametrize("name", ["a", "has space", "x" * 81, "<script>"])
def test_bad_user_names_are_refused(session, name) -> None:
    with pytest.raises(InvalidValue) as error:
        create_user(session, by=None, username=name, password=PASSWORD, role=Role.PMO)
    assert error.value.field == "username"


def test_short_passwords_are_refused(session) -> None:
    with pytest.raises(InvalidValue, match="at least 10"):
        create_user(session, by=None, username="shorty", password="abc", role=Role.PMO)


def test_a_site_administrator_needs_a_site_and_others_have_none(session) -> None:
    with pytest.raises(InvalidValue, match="at least one site"):
        create_user(session, by=None, username="sa", password=PASSWORD, role=Role.SITE_ADMIN)
    planner = create_user(
        session, by=None, username="pl", password=PASSWORD, role=Role.PLANNER,
        sites=[make_site(session)],
    )  # fmt: skip
    assert planner.sites == []


def test_an_administrator_cannot_lock_themself_out(session) -> None:
    admin = make_user(session, Role.ADMIN)
    with pytest.raises(InvalidValue, match="your own"):
        update_user(session, admin, by=admin, full_name="", email=None, role=Role.PMO,
                    sites=[], is_active=True)  # fmt: skip


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password123", "This is a very common password."),
        ("zxcvbnm,./12", "Straight rows of keys are easy to guess."),
        ("abcabcabcabc", 'Repeats like "abcabcabc" are only slightly harder to guess'),
        ("Summer2024!", "This is similar to a commonly used password."),
        ("Jessica19901", "Add another word or two."),
    ],
)
def test_common_or_weak_passwords_are_refused_with_the_reason(session, password, reason) -> None:
    with pytest.raises(InvalidValue) as error:
        create_user(session, by=None, username="weak", password=password, role=Role.PMO)
    assert error.value.field == "password"
    assert "too easy to guess" in error.value.message
    assert reason in error.value.message


@pytest.mark.parametrize(
    ("username", "full_name", "password"),
    [("pat.planner", "Pat Planner", "pat.planner.2024"),
     ("pmo", "Pamela Viewer", "pamela.viewer.2024"),
     ("lee", "Lee Lincoln", "Lincoln-Lincoln-Lee-7"),
     ("staff", "Sam Staff", "staffstaffstaff")],
)  # fmt: skip
def test_a_password_made_of_the_users_own_names_is_refused(
    session, username, full_name, password
) -> None:
    with pytest.raises(InvalidValue, match="the user name, full name or e-mail") as error:
        create_user(session, by=None, username=username, password=password,
                    role=Role.PLANNER, full_name=full_name)  # fmt: skip
    assert error.value.field == "password"
    assert create_user(session, by=None, username="someone.else", password="pat.planner.2024",
                       role=Role.PLANNER).username == "someone.else"  # fmt: skip


def test_a_new_password_is_checked_too(session) -> None:
    user = make_user(session, Role.STAFF, username="sam.staff")
    with pytest.raises(InvalidValue, match="too easy to guess"):
        set_password(session, user, by=None, password="iloveyou2024")
    with pytest.raises(InvalidValue, match="the user name, full name"):
        set_password(session, user, by=None, password="sam.staff.2024")
    assert verify_password(user.password_hash, PASSWORD)


@pytest.mark.parametrize("password", [DEFAULT_DEMO_PASSWORD, PASSWORD, "a" * 20 + "Qz!7 long one"])
def test_strong_passwords_pass(session, password) -> None:
    user = create_user(session, by=None, username="strong", password=password, role=Role.PMO,
                       full_name="Ada Admin", email="ada@district.example")  # fmt: skip
    assert verify_password(user.password_hash, password)


def test_very_long_passwords_are_checked_and_accepted(session) -> None:
    with pytest.raises(InvalidValue, match="too easy to guess"):
        create_user(session, by=None, username="long1", password="a" * 150, role=Role.PMO)
    long = "correct horse battery staple " * 5
    assert create_user(session, by=None, username="long2", password=long, role=Role.PMO)


def _edit(session, user, *, version, full_name="Changed"):
    return update_user(session, user, by=None, full_name=full_name, email=None, role=user.role,
                       sites=list(user.sites), is_active=True,
                       expected_version=version)  # fmt: skip


def test_a_save_from_a_stale_form_is_refused(session) -> None:
    user = make_user(session, Role.STAFF, username="sam")
    session.commit()
    opened_at = user.version
    _edit(session, user, version=opened_at, full_name="First save")
    session.commit()
    with pytest.raises(StaleEdit, match="sam was changed by someone else"):
        _edit(session, user, version=opened_at, full_name="Second save")
    session.rollback()
    session.refresh(user)
    assert user.full_name == "First save"
    _edit(session, user, version=user.version, full_name="Second save")
    assert user.full_name == "Second save"


def test_a_save_racing_another_is_refused_not_lost(session) -> None:
    user = make_user(session, Role.STAFF, username="sam")
    session.commit()
    opened_at = user.version
    with sessionmaker(bind=session.get_bind())() as other:
        other.execute(update(User).where(User.id == user.id)
                      .values(full_name="Other save", version=User.version + 1))  # fmt: skip
        other.commit()
    # The form and the object in memory were read before the other save: the flush finds out.
    with pytest.raises(StaleEdit):
        _edit(session, user, version=opened_at, full_name="Mine")
    session.rollback()
    session.refresh(user)
    assert user.full_name == "Other save"
