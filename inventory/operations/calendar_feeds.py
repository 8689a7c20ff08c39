"""Personal calendar feeds: a secret address per user that calendar apps poll without signing
in. The token in the address is the credential, so only its SHA-256 is stored (a copy of the
table opens no feed) with its last four characters to recognise it; a user has at most one live
feed, and making a new one revokes the old address."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.models import CalendarFeed, User

TOKEN_BYTES = 32  # 256 random bits: 43 URL-safe characters
TOKEN_LENGTH = 43
HINT_LENGTH = 4
USE_RECORDED_EVERY = dt.timedelta(minutes=1)  # how often a poll writes last_used_at


def _token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256 (the token is random, so a slow hash would add
    nothing)."""
    return hashlib.sha256(token.encode()).hexdigest()


def live_feed(session: Session, user: User) -> CalendarFeed | None:
    """The user's feed that is not revoked, if any (the newest, should there be several)."""
    query = (
        select(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.created_at.desc(), CalendarFeed.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def revoke_feed(session: Session, user: User, *, now: dt.datetime | None = None) -> int:
    """Stop every live feed of the user; returns how many were stopped (0: there was none)."""
    result = session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return result.rowcount or 0


def create_feed(
    session: Session, user: User, *, now: dt.datetime | None = None
) -> tuple[CalendarFeed, str]:
    """A new feed for the user and its token (returned once, never stored); the user's previous
    address stops working."""
    now = now or utcnow()
    revoke_feed(session, user, now=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed(
        user_id=user.id,
        token_hash=_token_hash(token),
        token_hint=token[-HINT_LENGTH:],
        created_at=now,
    )
    session.add(feed)
    session.flush()
    return feed, token


def _looks_like_token(token: str) -> bool:
    """Only what `create_feed` makes is looked up (the right length, URL-safe characters)."""
    return (
        len(token) == TOKEN_LENGTH
        and token.isascii()
        and all(ch.isalnum() or ch in "-_" for ch in token)
    )


def user_for_token(session: Session, token: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user whose live feed this token opens, or None (unknown, revoked, malformed
    or a disabled account: the caller answers all of them the same way). The feed's last use is
    written at most once a minute, with a plain UPDATE; the caller commits."""
    if not _looks_like_token(token):
        return None
    now = now or utcnow()
    row = session.execute(
        select(CalendarFeed.id, User)
        .join(User, User.id == CalendarFeed.user_id)
        .where(CalendarFeed.token_hash == _token_hash(token), CalendarFeed.revoked_at.is_(None))
    ).first()
    if row is None or not row[1].is_active:
        return None
    feed_id, user = row
    session.execute(
        update(CalendarFeed)
        .where(
            CalendarFeed.id == feed_id,
            or_(
                CalendarFeed.last_used_at.is_(None),
                CalendarFeed.last_used_at < now - USE_RECORDED_EVERY,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)  # bookkeeping; SQLite's times are naive
    )
    return user
