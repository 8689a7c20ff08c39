"""What a user may see: the one place a site administrator's scope is enforced."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from inventory.enums import Role
from inventory.models import Asset, Site, User, user_sites


def sees_every_site(user: User | None) -> bool:
    """Everyone but a site administrator sees the whole district (None: the system, e.g. CLI)."""
    return user is None or user.role is not Role.SITE_ADMIN


def site_scope(user: User | None, site_id_column: Any) -> ColumnElement[bool] | None:
    """A condition limiting rows to the user's sites, or None when the user sees every site."""
    if sees_every_site(user):
        return None
    own = select(user_sites.c.site_id).where(user_sites.c.user_id == user.id)  # type: ignore[union-attr]
    return site_id_column.in_(own)


def scoped(query: Select, user: User | None, site_id_column: Any) -> Select:
    """The query limited to the rows of the user's sites."""
    condition = site_scope(user, site_id_column)
    return query if condition is None else query.where(condition)


def visible_site(session: Session, user: User, site_id: int) -> Site | None:
    """The site, if it exists and the user may see it."""
    query = scoped(select(Site).where(Site.id == site_id), user, Site.id)
    return session.scalar(query)


def visible_asset(session: Session, user: User, asset_id: int) -> Asset | None:
    """The asset, if it exists and is at one of the user's sites."""
    query = scoped(select(Asset).where(Asset.id == asset_id), user, Asset.site_id)
    return session.scalar(query)


def site_options(session: Session, user: User) -> list[tuple[int, str]]:
    """(id, "code - name") of the sites the user sees, for select boxes."""
    query = scoped(select(Site.id, Site.code, Site.name).order_by(Site.code), user, Site.id)
    return [(site_id, f"{code} - {name}") for site_id, code, name in session.execute(query)]
