"""Signing in: throttling per account and address, and sign-ins that end for real."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from inventory.enums import Role
from inventory.errors import InvalidCredentials, LoginThrottled
from inventory.models import LoginThrottle, UserLogin
from inventory.operations.authentication import (
    REMEMBERED_FOR,
    SIGNED_IN_FOR,
    TOUCH_EVERY,
    ThrottlePolicy,
    authenticate,
    end_login,
    signed_in_user,
    start_login,
)
from inventory.operations.users import disable_user, set_password, update_user
from tests.factories import PASSWORD, make_user

POLICY = ThrottlePolicy(free_failures=3, base_seconds=2, max_seconds=60)
T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
SCHOOL = "203.0.113.9"  # one NAT address for a whole school


def _attempt(session, username, password, *, address="10.0.0.1", at=T0, policy=POLICY):
    return authenticate(
        session, username=username, password=password, address=address, policy=policy, now=at
    )


def _fail(session, username, *, address="10.0.0.1", at=T0, times=1):
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            _attempt(session, username, "not the password", address=address, at=at)


def test_right_password_signs_in(session) -> None:
    user = make_user(session, Role.PLANNER, username="pat")
    assert _attempt(session, "PAT", PASSWORD) is user
    assert user.last_login_at is not None


def test_signing_in_is_not_an_edit_of_the_account(session) -> None:
    user = make_user(session, Role.PLANNER, username="pat")
    session.commit()
    version = user.version
    _attempt(session, "pat", PASSWORD)
    session.commit()
    session.refresh(user)
    assert user.last_login_at is not None
    assert user.version == version  # an administrator's open edit form is not made stale


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
    _fail(session, "pat", times=POLICY.free_failures)
    # Now even the right password must wait from this address.
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


def test_made_up_names_from_a_school_do_not_lock_out_its_staff(session) -> None:
    make_user(session, Role.PLANNER, username="teacher")
    _fail(session, "nosuchuser", address=SCHOOL, times=POLICY.free_failures)
    for number in range(POLICY.free_failures + 2):
        _fail(session, f"made.up{number}", address=SCHOOL)
    with pytest.raises(LoginThrottled):  # the made-up name itself is slowed down
        _attempt(session, "nosuchuser", "not the password", address=SCHOOL)
    assert _attempt(session, "teacher", PASSWORD, address=SCHOOL).username == "teacher"


def test_an_account_under_attack_still_signs_in_from_elsewhere(session) -> None:
    make_user(session, Role.PLANNER, username="victim")
    _fail(session, "victim", address=SCHOOL, times=POLICY.free_failures)
    with pytest.raises(LoginThrottled):
        _attempt(session, "victim", PASSWORD, address=SCHOOL)
    assert _attempt(session, "victim", PASSWORD, address="198.51.100.1").username == "victim"


def test_an_ipv6_network_counts_as_one_address(session) -> None:
    make_user(session, Role.PLANNER, username="victim")
    for host in range(POLICY.free_failures):
        _fail(session, "victim", address=f"2001:db8:1:2::{host + 1:x}")
    with pytest.raises(LoginThrottled):
        _attempt(session, "victim", PASSWORD, address="2001:db8:1:2:ffff::9")
    assert _attempt(session, "victim", PASSWORD, address="2001:db8:1:3::1").username == "victim"


def test_old_failures_are_forgotten(session) -> None:
    make_user(session, Role.PLANNER, username="pat")
    _fail(session, "pat", times=POLICY.free_failures - 1)
    later = T0 + POLICY.forget_after + dt.timedelta(minutes=1)
    _fail(session, "pat", at=later)
    counters = session.scalars(select(LoginThrottle.failures)).all()
    assert counters == [1]


def test_concurrent_failures_are_counted_exactly(session) -> None:
    make_user(session, Role.PLANNER, username="pat")
    session.commit()
    factory = sessionmaker(bind=session.get_bind(), expire_on_commit=False)
    generous = ThrottlePolicy(free_failures=1000)
    outcomes: list[str] = []
    start = threading.Barrier(40)

    def attempt() -> None:
        with factory() as own:
            start.wait()
            try:
                _attempt(own, "pat", "not the password", policy=generous)
            except InvalidCredentials:
                outcomes.append("refused")
            except Exception as error:  # the test reports any other outcome
                outcomes.append(repr(error))
            own.commit()

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["refused"] * 40
    session.expire_all()
    assert session.scalars(select(LoginThrottle.failures)).all() == [40]


def test_a_sign_in_names_a_login_that_signing_out_ends(session) -> None:
    user = make_user(session, Role.STAFF, username="sam")
    key = start_login(session, user, remember=False, address="10.0.0.1", now=T0)
    assert key == user.get_id()
    assert key.startswith(f"{user.id}:")
    secret = key.partition(":")[2]
    stored = session.scalars(select(UserLogin)).one()
    assert secret not in stored.token_hash  # only a hash of the secret is kept
    assert signed_in_user(session, key, now=T0) is user
    end_login(session, user)
    assert session.scalars(select(UserLogin)).all() == []
    assert signed_in_user(session, key, now=T0) is None


def test_made_up_or_malformed_keys_are_refused(session) -> None:
    user = make_user(session, Role.STAFF, username="sam")
    start_login(session, user, remember=False, now=T0)
    for key in [f"{user.id}:not-the-secret", f"{user.id}", "", ":", "x:y", f"{user.id + 1}:z"]:
        assert signed_in_user(session, key, now=T0) is None, key


def test_another_users_secret_does_not_sign_in_as_them(session) -> None:
    sam, pat = make_user(session, Role.STAFF), make_user(session, Role.ADMIN)
    secret = start_login(session, sam, remember=False, now=T0).partition(":")[2]
    assert signed_in_user(session, f"{pat.id}:{secret}", now=T0) is None


def test_a_sign_in_expires_when_left_idle(session) -> None:
    user = make_user(session, Role.STAFF)
    key = start_login(session, user, remember=False, now=T0)
    almost = T0 + SIGNED_IN_FOR - dt.timedelta(minutes=1)
    assert signed_in_user(session, key, now=almost) is user
    # Seen again: the idle time counts from then.
    assert signed_in_user(session, key, now=almost + SIGNED_IN_FOR - dt.timedelta(minutes=1))
    assert signed_in_user(session, key, now=almost + SIGNED_IN_FOR * 2) is None


def test_a_remembered_sign_in_lasts_its_term_and_no_longer(session) -> None:
    user = make_user(session, Role.STAFF)
    key = start_login(session, user, remember=True, now=T0)
    day = dt.timedelta(days=1)
    for moment in range(0, REMEMBERED_FOR.days, 5):
        assert signed_in_user(session, key, now=T0 + moment * day) is user
    assert signed_in_user(session, key, now=T0 + REMEMBERED_FOR + dt.timedelta(seconds=1)) is None


def test_last_seen_is_refreshed_at_most_every_few_minutes(session) -> None:
    user = make_user(session, Role.STAFF)
    key = start_login(session, user, remember=False, now=T0)
    login = session.scalars(select(UserLogin)).one()

    def last_seen() -> dt.datetime:
        session.refresh(login)
        moment = login.last_seen_at
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)  # SQLite: naive UTC

    signed_in_user(session, key, now=T0 + TOUCH_EVERY / 2)
    assert last_seen() == T0
    signed_in_user(session, key, now=T0 + TOUCH_EVERY * 2)
    assert last_seen() == T0 + TOUCH_EVERY * 2


def test_expired_sign_ins_are_cleaned_up(session) -> None:
    user = make_user(session, Role.STAFF)
    start_login(session, user, remember=False, now=T0)
    start_login(session, user, remember=True, now=T0)
    start_login(session, user, remember=False, now=T0 + SIGNED_IN_FOR * 2)
    assert len(session.scalars(select(UserLogin)).all()) == 2  # the idle one is gone


def test_disabled_accounts_sign_ins_are_refused(session) -> None:
    user = make_user(session, Role.STAFF)
    key = start_login(session, user, remember=True, now=T0)
    user.is_active = False  # not through disable_user: even if a row were left behind
    session.flush()
    assert signed_in_user(session, key, now=T0) is None


@pytest.mark.parametrize("change", ["password", "disable", "disable in the form"])
def test_a_new_password_or_disabling_ends_every_sign_in(session, change) -> None:
    user = make_user(session, Role.STAFF)
    keys = [start_login(session, user, remember=remember, now=T0) for remember in (True, False)]
    other = make_user(session, Role.PLANNER)
    other_key = start_login(session, other, remember=False, now=T0)
    if change == "password":
        set_password(session, user, by=None, password="a brand new password")
    elif change == "disable":
        disable_user(session, user, by=None)
    else:
        update_user(session, user, by=None, full_name="", email=None, role=Role.STAFF,
                    sites=[], is_active=False)  # fmt: skip
    assert [signed_in_user(session, key, now=T0) for key in keys] == [None, None]
    assert signed_in_user(session, other_key, now=T0) is other
