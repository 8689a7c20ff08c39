"""Signing in: password check with throttling per account and per address."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.errors import InvalidCredentials, LoginThrottled
from inventory.models import LoginThrottle, User
from inventory.operations.users import get_user_by_username
from inventory.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are free, and how the wait grows after them (doubling, capped)."""

    free_failures: int = 5
    base_seconds: int = 2
    max_seconds: int = 900
    forget_after: dt.timedelta = dt.timedelta(hours=1)

    def wait_after(self, failures: int) -> int:
        """Seconds to wait after this many consecutive failures."""
        if failures < self.free_failures:
            return 0
        return min(self.max_seconds, self.base_seconds * 2 ** (failures - self.free_failures))


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive datetimes; they are UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _throttle_keys(username: str, address: str) -> list[str]:
    """The counters a sign-in attempt touches."""
    return [f"user:{username.strip().lower()[:150]}", f"addr:{address[:150]}"]


def _check_not_blocked(session: Session, keys: list[str], now: dt.datetime) -> None:
    """Refuse the attempt while any of its counters is blocked."""
    for key in keys:
        throttle = session.get(LoginThrottle, key)
        blocked_until = _aware(throttle.blocked_until) if throttle else None
        if blocked_until and blocked_until > now:
            raise LoginThrottled(max(1, int((blocked_until - now).total_seconds() + 0.999)))


def _record_failure(
    session: Session, keys: list[str], now: dt.datetime, policy: ThrottlePolicy
) -> None:
    """Count one more failure on each counter and block it for as long as the policy says."""
    for key in keys:
        throttle = session.get(LoginThrottle, key) or LoginThrottle(key=key, failures=0)
        last = _aware(throttle.last_failure_at)
        if last is not None and now - last > policy.forget_after:
            throttle.failures = 0
        throttle.failures += 1
        throttle.last_failure_at = now
        wait = policy.wait_after(throttle.failures)
        throttle.blocked_until = now + dt.timedelta(seconds=wait) if wait else None
        session.add(throttle)
    session.flush()


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    address: str,
    policy: ThrottlePolicy | None = None,
    now: dt.datetime | None = None,
) -> User:
    """The active user with this name and password; failures are counted and throttled.

    The caller commits whether this succeeds or not, so failures are remembered.
    """
    policy = policy or ThrottlePolicy()
    now = now or utcnow()
    keys = _throttle_keys(username, address)
    _check_not_blocked(session, keys, now)
    user = get_user_by_username(session, username)
    matches = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if user is None or not matches or not user.is_active:
        _record_failure(session, keys, now, policy)
        raise InvalidCredentials()
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == keys[0]))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    session.flush()
    return user
