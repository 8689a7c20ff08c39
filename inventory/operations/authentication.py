"""Signing in and out: the password check with throttling per account and address, and the
sign-ins (`user_logins` rows) that sessions and remember-me cookies name.

Throttling counts failures per user name *and* address. So a name being guessed from one place
slows down only that name from that place: its owner still signs in from anywhere else, and a
made-up name typed five times in a school (hundreds of people behind one address) refuses no
one else there. Known and unknown names are counted the same way, and an unknown name costs
the same hash check, so the answers never tell whether an account exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import secrets
from dataclasses import dataclass

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.errors import InvalidCredentials, LoginThrottled
from inventory.models import LoginThrottle, User, UserLogin
from inventory.operations.users import get_user_by_username
from inventory.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password

SIGNED_IN_FOR = dt.timedelta(hours=12)  # a sign-in left idle this long ends
REMEMBERED_FOR = dt.timedelta(days=30)  # "keep me signed in": the cookie's and the row's term
TOUCH_EVERY = dt.timedelta(minutes=5)  # how often a sign-in's last-seen time is written
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


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


def _place(address: str) -> str:
    """Where an attempt comes from: the IPv4 address, or the IPv6 /64 network (one subscriber
    holds a whole /64, so counting single IPv6 addresses would count nothing)."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:64] or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def throttle_key(username: str, address: str) -> str:
    """The counter an attempt for this user name from this address adds to."""
    return f"login:{username.strip().lower()[:120]}@{_place(address)}"


def _check_not_blocked(session: Session, key: str, now: dt.datetime) -> None:
    """Refuse the attempt while its counter is blocked."""
    blocked_until = _aware(session.scalar(select(LoginThrottle.blocked_until).where(
        LoginThrottle.key == key)))  # fmt: skip
    if blocked_until and blocked_until > now:
        raise LoginThrottled(max(1, int((blocked_until - now).total_seconds() + 0.999)))


def _record_failure(session: Session, key: str, now: dt.datetime, policy: ThrottlePolicy) -> None:
    """Count one more failure with one atomic statement (an insert that adds one on conflict),
    so failures arriving together are all counted; then block the counter as long as the
    policy says. The row stays locked until the caller commits."""
    table = LoginThrottle.__table__
    insert = _INSERTS[session.get_bind().dialect.name](table)
    forgotten = table.c.last_failure_at < now - policy.forget_after
    failures = session.execute(
        insert.values(key=key, failures=1, last_failure_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"failures": case((forgotten, 1), else_=table.c.failures + 1),
                  "last_failure_at": now},
        )
        .returning(table.c.failures)
    ).scalar_one()  # fmt: skip
    wait = policy.wait_after(failures)
    blocked_until = now + dt.timedelta(seconds=wait) if wait else None
    session.execute(update(table).where(table.c.key == key).values(blocked_until=blocked_until))


def _forget_old_failures(session: Session, now: dt.datetime, policy: ThrottlePolicy) -> None:
    """Delete counters whose last failure is forgotten and whose block is over."""
    table = LoginThrottle.__table__
    session.execute(delete(table).where(
        table.c.last_failure_at < now - policy.forget_after,
        or_(table.c.blocked_until.is_(None), table.c.blocked_until < now),
    ))  # fmt: skip


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
    key = throttle_key(username, address)
    _check_not_blocked(session, key, now)
    user = get_user_by_username(session, username)
    matches = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if user is None or not matches or not user.is_active:
        _record_failure(session, key, now, policy)
        raise InvalidCredentials()
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
    _forget_old_failures(session, now, policy)
    # Bookkeeping, not an edit: a plain UPDATE leaves the account's version (and so an
    # administrator's open edit form) and its history alone.
    values: dict = {"last_login_at": now}
    if needs_rehash(user.password_hash):
        values["password_hash"] = hash_password(password)
    session.execute(update(User).where(User.id == user.id).values(**values))
    return user


def _secret_hash(secret: str) -> str:
    """What is stored of a sign-in's secret: its SHA-256, so a copy of the table signs no one
    in (the secret is 256 random bits; a slow hash would add nothing)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def start_login(
    session: Session,
    user: User,
    *,
    remember: bool,
    address: str | None = None,
    user_agent: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Record a new sign-in of the user and return the key its session carries (also what
    `user.get_id()` returns from now on); expired sign-ins of everyone are cleaned up."""
    now = now or utcnow()
    session.execute(delete(UserLogin).where(UserLogin.expires_at < now))
    secret = secrets.token_urlsafe(32)
    session.add(UserLogin(
        user_id=user.id, token_hash=_secret_hash(secret), created_at=now, last_seen_at=now,
        expires_at=now + (REMEMBERED_FOR if remember else SIGNED_IN_FOR), remember=remember,
        address=(address or "")[:64] or None, user_agent=(user_agent or "")[:200] or None,
    ))  # fmt: skip
    session.flush()
    user.login_secret = secret
    return user.get_id()


def signed_in_user(session: Session, key: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user of the live sign-in this key names (None if it was signed out, expired
    or made up). Its last-seen time is written at most every TOUCH_EVERY, and an idle sign-in
    without "keep me signed in" is extended from then; the caller commits."""
    now = now or utcnow()
    user_id, _, secret = key.partition(":")
    if not (user_id.isascii() and user_id.isdigit()) or len(user_id) > 10 or not secret:
        return None
    row = session.execute(
        select(UserLogin, User)
        .join(User, User.id == UserLogin.user_id)
        .where(UserLogin.token_hash == _secret_hash(secret), User.id == int(user_id))
    ).first()
    if row is None:
        return None
    login, user = row
    expires_at = _aware(login.expires_at)
    if not user.is_active or (expires_at is not None and expires_at <= now):
        return None
    if now - _aware(login.last_seen_at) >= TOUCH_EVERY:
        # A plain UPDATE: it finds nothing, harmlessly, if a sign-out deleted the row meanwhile.
        values = {"last_seen_at": now} if login.remember else {
            "last_seen_at": now, "expires_at": now + SIGNED_IN_FOR}  # fmt: skip
        session.execute(update(UserLogin).where(UserLogin.id == login.id).values(**values))
    user.login_secret = secret
    return user


def end_login(session: Session, user: User) -> None:
    """Sign out: delete the sign-in this user object was loaded for."""
    if user.login_secret is not None:
        session.execute(delete(UserLogin).where(
            UserLogin.token_hash == _secret_hash(user.login_secret)))  # fmt: skip
        user.login_secret = None
