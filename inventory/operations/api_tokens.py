"""Personal API tokens: made, listed, revoked, and turned back into their user.

A token is `rlt_` followed by 40 random URL-safe characters. Only its SHA-256 hash is stored
(with its first 12 characters, to recognise it in lists), so a copy of the database does not
give anyone API access; the token itself is shown once, when it is made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.errors import DomainError, NotFound
from inventory.models import ApiToken, User

PREFIX = "rlt_"
PREFIX_SHOWN = 12  # "rlt_" and 8 characters: enough to tell tokens apart, useless to guess
LAST_USED_EVERY = dt.timedelta(minutes=1)  # last_used_at is written at most once a minute
MAX_NAME = 80


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session,
    user: User,
    *,
    name: str,
    expires_at: dt.datetime | None = None,
    by: User | None = None,
    now: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the user, and the token itself (shown once, never stored)."""
    now = now or utcnow()
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(
            "Give the token a name (what will use it, e.g. 'Network monitoring').", field="name"
        )
    if len(name) > MAX_NAME:
        raise DomainError(f"A token's name has at most {MAX_NAME} characters.", field="name")
    if expires_at is not None and _aware(expires_at) <= now:
        raise DomainError("The expiry date must be in the future.", field="expires_at")
    if not user.is_active:
        raise DomainError(f"{user.username} is disabled: a disabled account cannot have tokens.")
    token = PREFIX + secrets.token_urlsafe(30)
    row = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=token_hash(token),
        prefix=token[:PREFIX_SHOWN],
        created_at=now,
        created_by_id=(by or user).id,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row, token


def expiry_at_end_of(day: dt.date) -> dt.datetime:
    """When a token given an expiry date stops working: the end of that day (UTC), so a token
    "valid until" a date works all of that day."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)


def user_tokens(session: Session, user_id: int | None = None) -> list[ApiToken]:
    """Tokens, newest first: one user's, or everyone's (for administrators)."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return list(session.scalars(query))


def revoke_token(
    session: Session, token_id: int, *, by: User | None, owner_id: int | None = None
) -> ApiToken:
    """Revoke a token: the owner's own (owner_id given) or, for an administrator, anyone's;
    `by` None is the system (the command line). Revoking a revoked token changes nothing."""
    row = session.get(ApiToken, token_id)
    if row is None or (owner_id is not None and row.user_id != owner_id):
        raise NotFound("No such token.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        row.revoked_by_id = by.id if by is not None else None
        session.flush()
    return row


def user_for_token(session: Session, token: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user a live token acts for, or None (unknown, revoked, expired, disabled).
    Records when the token was last used, at most once a minute."""
    if not token.startswith(PREFIX) or not 20 <= len(token) <= 100:
        return None
    now = now or utcnow()
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    if row is None or not row.is_live(now):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    last = _aware(row.last_used_at) if row.last_used_at is not None else None
    if last is None or now - last >= LAST_USED_EVERY:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == row.id)
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
    user.api_token_id = row.id
    return user


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive UTC datetimes; make them comparable with aware ones."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
