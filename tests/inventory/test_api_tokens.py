"""Personal API tokens in the domain: made, stored as hashes, turned back into their user."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from inventory.enums import Role
from inventory.errors import DomainError, NotFound
from inventory.models import ApiToken
from inventory.operations.api_tokens import (
    create_token,
    expiry_at_end_of,
    revoke_token,
    token_hash,
    user_for_token,
    user_tokens,
)
from inventory.operations.users import disable_user
from tests.factories import make_user

T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def test_only_the_hash_and_the_prefix_are_stored(session) -> None:
    user = make_user(session, Role.STAFF)
    _row, token = create_token(session, user, name="  Network   monitoring ", now=T0)
    session.commit()

    assert token.startswith("rlt_") and len(token) == 44
    stored = session.scalars(select(ApiToken)).one()
    assert stored.token_hash == token_hash(token) != token
    assert stored.prefix == token[:12]
    assert stored.name == "Network monitoring"
    assert token not in repr(stored) and token not in {str(v) for v in vars(stored).values()}
    assert stored.created_by_id == user.id
    assert stored.status(T0) == "live"


def test_the_token_finds_its_user_and_records_its_use_once_a_minute(session) -> None:
    user = make_user(session, Role.PLANNER)
    row, token = create_token(session, user, name="Reports", now=T0)
    session.commit()

    found = user_for_token(session, token, now=T0 + dt.timedelta(seconds=5))
    session.commit()
    assert found is not None and found.id == user.id and found.api_token_id == row.id
    session.refresh(row)
    first_use = row.last_used_at
    assert first_use is not None

    user_for_token(session, token, now=T0 + dt.timedelta(seconds=30))
    session.commit()
    session.refresh(row)
    assert row.last_used_at == first_use

    user_for_token(session, token, now=T0 + dt.timedelta(minutes=2))
    session.commit()
    session.refresh(row)
    assert row.last_used_at != first_use


@pytest.mark.parametrize("token", ["", "rlt_", "rlt_" + "x" * 40, "Bearer abc", "x" * 200])
def test_unknown_tokens_find_nobody(session, token) -> None:
    create_token(session, make_user(session, Role.STAFF), name="Real", now=T0)
    assert user_for_token(session, token, now=T0) is None


def test_revoked_expired_and_disabled_users_tokens_find_nobody(session) -> None:
    user = make_user(session, Role.STAFF)
    revoked, revoked_token = create_token(session, user, name="Revoked", now=T0)
    expiring, expiring_token = create_token(
        session, user, name="Expiring", expires_at=T0 + dt.timedelta(days=1), now=T0
    )
    other = make_user(session, Role.PMO)
    _row, disabled_token = create_token(session, other, name="Of a leaver", now=T0)
    revoke_token(session, revoked.id, by=user, owner_id=user.id)
    disable_user(session, other, by=None)
    session.commit()

    later = T0 + dt.timedelta(days=2)
    assert user_for_token(session, revoked_token, now=T0) is None
    assert user_for_token(session, expiring_token, now=T0) is not None
    assert user_for_token(session, expiring_token, now=later) is None
    assert user_for_token(session, disabled_token, now=T0) is None
    assert [revoked.status(later), expiring.status(later)] == ["revoked", "expired"]


def test_a_token_needs_a_name_a_future_expiry_and_an_active_user(session) -> None:
    user = make_user(session, Role.STAFF)
    with pytest.raises(DomainError) as error:
        create_token(session, user, name="   ", now=T0)
    assert error.value.field == "name"
    with pytest.raises(DomainError) as error:
        create_token(session, user, name="x" * 81, now=T0)
    assert error.value.field == "name"
    with pytest.raises(DomainError) as error:
        create_token(session, user, name="Late", expires_at=T0 - dt.timedelta(days=1), now=T0)
    assert error.value.field == "expires_at"
    disable_user(session, user, by=None)
    with pytest.raises(DomainError, match="disabled"):
        create_token(session, user, name="Leaver", now=T0)


def test_an_expiry_date_lasts_the_whole_day() -> None:
    end = expiry_at_end_of(dt.date(2027, 1, 31))
    assert end == dt.datetime(2027, 1, 31, 23, 59, 59, tzinfo=dt.UTC)


def test_owners_revoke_their_own_and_administrators_anyones(session) -> None:
    owner, other = make_user(session, Role.STAFF), make_user(session, Role.PLANNER)
    admin = make_user(session, Role.ADMIN)
    row, _token = create_token(session, owner, name="Mine", now=T0)
    with pytest.raises(NotFound):
        revoke_token(session, row.id, by=other, owner_id=other.id)
    with pytest.raises(NotFound):
        revoke_token(session, 999_999, by=admin)
    revoke_token(session, row.id, by=admin)
    session.commit()
    session.refresh(row)
    assert row.revoked_at is not None and row.revoked_by_id == admin.id
    first = row.revoked_at
    revoke_token(session, row.id, by=owner, owner_id=owner.id)  # again: nothing changes
    assert (row.revoked_at, row.revoked_by_id) == (first, admin.id)


def test_tokens_are_listed_newest_first_per_user_or_for_everyone(session) -> None:
    one, two = make_user(session, Role.STAFF), make_user(session, Role.PMO)
    _old, _ = create_token(session, one, name="Old", now=T0)
    _new, _ = create_token(session, one, name="New", now=T0 + dt.timedelta(hours=1))
    _theirs, _ = create_token(session, two, name="Theirs", now=T0 + dt.timedelta(hours=2))
    session.commit()
    assert [row.name for row in user_tokens(session, one.id)] == ["New", "Old"]
    assert [row.name for row in user_tokens(session)] == ["Theirs", "New", "Old"]
