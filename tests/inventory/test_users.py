"""Accounts: creation rules, argon2id hashing, and sign-in throttling."""

from __future__ import annotations

import datetime as dt

import pytest

from inventory.enums import Role
from inventory.errors import Duplicate, InvalidCredentials, InvalidValue, LoginThrottled
from inventory.operations.authentication import ThrottlePolicy, authenticate
from inventory.operations.users import create_user, disable_user, update_user
from tests.factories import PASSWORD, make_site, make_user

POLICY = ThrottlePolicy(free_failures=3, base_seconds=2, max_seconds=60)
T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def _attempt(session, username, password, *, address="10.0.0.1", at=T0):
    return authenticate(
        session, username=username, password=password, address=address, policy=POLICY, now=at
    )


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


def test_right_password_signs_in(session) -> None:
    user = make_user(session, Role.PLANNER, username="pat")
    assert _attempt(session, "PAT", PASSWORD) is user
    assert user.last_login_at is not None


def test_wrong_password_and_unknown_user_give_the_same_error(session) -> None:
    make_user(session, Role.PLANNER, username="pat")
    with pytest.raises(InvalidCredentials) as wrong:
        _attempt(session, "pat", "not the password")
    with pytest.raises(InvalidCredentials) as unknown:
        _attempt(session, "nobody", "not the password")
    assert wrong.value.message == unknown.value.message


def test_disabled_users_cannot_sign_in(session) -> None:
    user = make_user(session, Role.PLANNER, username="gone")
    disable_user(session, user, by=None)
    with pytest.raises(InvalidCredentials):
        _attempt(session, "gone", PASSWORD)


def test_repeated_failures_slow_down_the_account_then_recover(session) -> None:
    make_user(session, Role.PLANNER, username="pat")
    for _ in range(POLICY.free_failures):
        with pytest.raises(InvalidCredentials):
            _attempt(session, "pat", "wrong")
    # Now even the right password must wait: the account is throttled.
    with pytest.raises(LoginThrottled) as throttled:
        _attempt(session, "pat", PASSWORD, at=T0 + dt.timedelta(seconds=1))
    assert throttled.value.wait_seconds >= 1
    later = T0 + dt.timedelta(seconds=POLICY.base_seconds + 1)
    assert _attempt(session, "pat", PASSWORD, at=later).username == "pat"


def test_the_wait_doubles_and_is_capped() -> None:
    waits = [POLICY.wait_after(n) for n in range(1, 12)]
    assert waits[:2] == [0, 0]
    assert waits[2:6] == [2, 4, 8, 16]
    assert max(waits) == POLICY.max_seconds


def test_failures_from_one_address_throttle_it_across_accounts(session) -> None:
    make_user(session, Role.PLANNER, username="victim")
    for number in range(POLICY.free_failures):
        with pytest.raises(InvalidCredentials):
            _attempt(session, f"guess{number}", "wrong", address="203.0.113.9")
    with pytest.raises(LoginThrottled):
        _attempt(session, "victim", PASSWORD, address="203.0.113.9")
    assert _attempt(session, "victim", PASSWORD, address="198.51.100.1").username == "victim"
