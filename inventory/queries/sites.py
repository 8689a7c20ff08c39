"""Region and site lists, scoped to the user, and their export rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from inventory.enums import SiteKind, SiteStatus
from inventory.models import Asset, Region, Site, User
from inventory.queries.scope import scoped, sees_every_site
from inventory.queries.search import contains

EXPORT_HEADERS = (
    "code", "name", "kind", "region", "address", "city", "state", "postal_code", "phone",
    "enrollment", "administrator_name", "administrator_email", "status", "latitude",
    "longitude", "notes",
)  # fmt: skip
SORTS = {
    "code": (Site.code,),
    "name": (Site.name, Site.id),
    "enrollment": (Site.enrollment, Site.id),
}


@dataclass(frozen=True)
class SiteFilters:
    """What the site list is narrowed to."""

    region_id: int | None = None
    kind: SiteKind | None = None
    status: SiteStatus | None = None
    search: str = ""
    sort: str = "code"


def sites_query(user: User, filters: SiteFilters) -> Select:
    """Sites (with their region's name) the user sees, filtered and sorted."""
    query = select(Site, Region.name.label("region_name")).outerjoin(
        Region, Region.id == Site.region_id
    )
    if filters.region_id:
        query = query.where(Site.region_id == filters.region_id)
    if filters.kind:
        query = query.where(Site.kind == filters.kind)
    if filters.status:
        query = query.where(Site.status == filters.status)
    if filters.search.strip():
        query = query.where(contains(filters.search, Site.code, Site.name, Site.city))
    query = query.order_by(*SORTS.get(filters.sort, SORTS["code"]))
    return scoped(query, user, Site.id)


def site_export_rows(session: Session, user: User | None, filters: SiteFilters) -> Iterator[tuple]:
    """The filtered sites as rows under EXPORT_HEADERS."""
    for site, region_name in session.execute(sites_query(user, filters)):
        yield (
            site.code, site.name, site.kind.value, region_name, site.address, site.city,
            site.state, site.postal_code, site.phone, site.enrollment, site.administrator_name,
            site.administrator_email, site.status.value, site.latitude, site.longitude,
            site.notes,
        )  # fmt: skip


def asset_count_by_site(session: Session, site_ids: list[int]) -> dict[int, int]:
    """How many assets each of these sites has."""
    query = (
        select(Asset.site_id, func.count(Asset.id))
        .where(Asset.site_id.in_(site_ids))
        .group_by(Asset.site_id)
    )
    return dict(session.execute(query).all())


def regions_query() -> Select:
    """Every region with its number of sites."""
    return (
        select(Region, func.count(Site.id).label("site_count"))
        .outerjoin(Site, Site.region_id == Region.id)
        .group_by(Region.id)
        .order_by(Region.name)
    )


def region_options(session: Session, user: User | None = None) -> list[tuple[int, str]]:
    """(id, name) of the regions for select boxes: every region, or for a site administrator
    only the regions of their own sites."""
    query = select(Region.id, Region.name).order_by(Region.name)
    if not sees_every_site(user):
        own = scoped(select(Site.region_id), user, Site.id)
        query = query.where(Region.id.in_(own))
    return [(key, name) for key, name in session.execute(query)]
