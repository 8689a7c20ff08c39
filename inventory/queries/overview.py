"""The home page's overview of the inventory a user sees: what is installed, what is past or
near its end of life and what that costs to replace, and warranties about to end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from inventory.lifecycle import (
    Cell,
    due_in,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    past_end_of_life,
    still_to_replace,
)
from inventory.models import Asset, AssetModel, AssetStatus, Site, User
from inventory.queries.scope import scoped

WARRANTY_WINDOW_DAYS = 90


@dataclass
class Overview:
    """Figures for the user's sites; costs are replacement costs in cents."""

    sites: int
    assets: int
    fiscal_year: int
    by_status: list[tuple[AssetStatus, int]] = field(default_factory=list)
    past_end_of_life: Cell = field(default_factory=Cell)
    due_this_year: Cell = field(default_factory=Cell)
    due_next_year: Cell = field(default_factory=Cell)
    warranty_ending: int = 0

    @property
    def this_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def next_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year + 1)


def inventory_overview(session: Session, user: User, *, today: dt.date) -> Overview:
    """Three grouped queries over the user's assets (index ranges on status and end of life)."""
    fiscal_year = fiscal_year_of(today)
    sites = session.scalar(scoped(select(func.count(Site.id)), user, Site.id)) or 0
    status_counts = session.execute(
        scoped(select(Asset.status, func.count(Asset.id)), user, Asset.site_id).group_by(
            Asset.status
        )
    ).all()
    by_status = {status: count for status, count in status_counts}
    overview = Overview(
        sites=sites,
        assets=sum(by_status.values()),
        fiscal_year=fiscal_year,
        by_status=[(status, by_status.get(status, 0)) for status in AssetStatus],
    )
    _add_end_of_life(session, user, today, overview)
    window_end = today + dt.timedelta(days=WARRANTY_WINDOW_DAYS)
    warranty = select(func.count(Asset.id)).where(
        still_to_replace(),
        Asset.warranty_end_on >= today,
        Asset.warranty_end_on < window_end,
    )
    overview.warranty_ending = session.scalar(scoped(warranty, user, Asset.site_id)) or 0
    return overview


def _add_end_of_life(session: Session, user: User, today: dt.date, overview: Overview) -> None:
    """Past end of life, due in the rest of this fiscal year, and due in the next one: the
    conditions the asset list filters by, so each card and its list agree."""
    buckets = (
        past_end_of_life(today),
        due_in(overview.fiscal_year, today),
        due_in(overview.fiscal_year + 1, today),
    )
    bucket = case(*[(condition, number) for number, condition in enumerate(buckets)])
    cost = func.coalesce(AssetModel.unit_cost_cents, Asset.cost_cents, 0)
    next_end = fiscal_year_bounds(overview.fiscal_year + 1)[1]
    query = (
        select(bucket.label("bucket"), func.count(Asset.id), func.sum(cost))
        .join(AssetModel, AssetModel.id == Asset.model_id)
        .where(still_to_replace(), Asset.end_of_life_on < next_end)
        .group_by("bucket")
    )
    cells = (overview.past_end_of_life, overview.due_this_year, overview.due_next_year)
    for number, count, total in session.execute(scoped(query, user, Asset.site_id)):
        if number is not None:
            cells[number].add(count, int(total or 0))
