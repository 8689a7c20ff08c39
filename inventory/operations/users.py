"""Creating, changing and disabling user accounts."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from inventory.changelog import set_actor
from inventory.enums import Role
from inventory.errors import Duplicate, InvalidValue, NotFound, StaleEdit
from inventory.models import Site, User, UserLogin
from inventory.passwords import check_new_password, hash_password

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")


def _check_username(username: str) -> str:
    """A user name in canonical form, or an error saying what is wrong with it."""
    username = username.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise InvalidValue(
            "A user name is 2-80 characters: letters, digits, dots, dashes and underscores.",
            field="username",
        )
    return username


def _check_sites(role: Role, sites: Sequence[Site]) -> list[Site]:
    """Site administrators need at least one site; other roles are not scoped to sites."""
    if role is Role.SITE_ADMIN and not sites:
        raise InvalidValue("A site administrator needs at least one site.", field="site_ids")
    return list(sites) if role is Role.SITE_ADMIN else []


def _check_phone(phone: str | None) -> str | None:
    """A phone number as typed (trimmed), up to 40 characters, or None."""
    phone = (phone or "").strip() or None
    if phone is not None and len(phone) > 40:
        raise InvalidValue("A phone number is at most 40 characters.", field="phone")
    return phone


def get_user_by_username(session: Session, username: str) -> User | None:
    """The user with this user name (case-insensitive), if any."""
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def create_user(
    session: Session,
    *,
    by: User | None,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    email: str | None = None,
    sites: Sequence[Site] = (),
    phone: str | None = None,
) -> User:
    """Open an account; the user name must be unused."""
    set_actor(session, by)
    username = _check_username(username)
    if session.scalar(select(func.count(User.id)).where(User.username == username)):
        raise Duplicate(f"The user name {username} is already taken.", field="username")
    check_new_password(password, personal=(username, full_name, email))
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=(email or "").strip() or None,
        phone=_check_phone(phone),
        role=role,
        password_hash=hash_password(password),
        is_active=True,
        sites=_check_sites(role, sites),
    )
    session.add(user)
    session.flush()
    return user


def update_user(
    session: Session,
    user: User,
    *,
    by: User | None,
    full_name: str,
    email: str | None,
    role: Role,
    sites: Sequence[Site],
    is_active: bool,
    expected_version: int | None = None,
    phone: str | None = None,
) -> User:
    """Change a user's details, role and sites (`phone` None keeps the number, "" clears it);
    an administrator cannot demote or lock out themself. `expected_version` is the version
    the form was read at: a save over someone else's newer save is refused (StaleEdit), never
    a silent overwrite."""
    set_actor(session, by)
    label = f"The account {user.username}"
    if expected_version is not None and int(expected_version) != user.version:
        raise StaleEdit(label)
    if by is not None and by.id == user.id and (role is not Role.ADMIN or not is_active):
        raise InvalidValue("You cannot remove your own administrator role or disable yourself.")
    disabling = user.is_active and not is_active
    with session.no_autoflush:
        user.full_name = full_name.strip()
        user.email = (email or "").strip() or None
        if phone is not None:  # None keeps the number; "" clears it
            user.phone = _check_phone(phone)
        user.role = role
        user.sites = _check_sites(role, sites)
        user.is_active = is_active
    try:
        session.flush()
    except StaleDataError:  # saved by someone else between reading and writing
        raise StaleEdit(label) from None
    if disabling:
        sign_out_everywhere(session, user)
    return user


def set_password(session: Session, user: User, *, by: User | None, password: str) -> User:
    """Replace a user's password (if strong enough) and end all their sign-ins."""
    check_new_password(password, personal=(user.username, user.full_name, user.email))
    set_actor(session, by)
    user.password_hash = hash_password(password)
    sign_out_everywhere(session, user)
    session.flush()
    return user


def disable_user(session: Session, user: User, *, by: User | None) -> User:
    """Stop a user from signing in, ending all their sign-ins; their history stays."""
    set_actor(session, by)
    user.is_active = False
    sign_out_everywhere(session, user)
    session.flush()
    return user


def sign_out_everywhere(session: Session, user: User) -> None:
    """End every sign-in of the user: their sessions and remember-me cookies stop working."""
    session.execute(delete(UserLogin).where(UserLogin.user_id == user.id))


def require_user(session: Session, username: str) -> User:
    """The user with this user name, or NotFound."""
    user = get_user_by_username(session, username)
    if user is None:
        raise NotFound(f"There is no user named {username}.")
    return user


def sites_by_codes(session: Session, codes: Sequence[str]) -> list[Site]:
    """The sites with these codes, or NotFound naming the first unknown one."""
    sites = list(session.scalars(select(Site).where(Site.code.in_(list(codes)))))
    missing = set(codes) - {site.code for site in sites}
    if missing:
        raise NotFound(f"There is no site with code {sorted(missing)[0]}.")
    return sites
