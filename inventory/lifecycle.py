"""Lifecycle: when an asset reaches end of life, and what comes due in each fiscal year.

A fiscal year runs July to June and is named by the calendar year it ends in (FY2027 is
July 2026 to June 2027).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from inventory.models import GONE_STATUSES, Asset, AssetModel, Site, System, User
from inventory.queries.scope import scoped

FISCAL_YEAR_START_MONTH = 7


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def end_of_life(
    installed_on: dt.date | None, useful_life_years: int | None, end_of_support_on: dt.date | None
) -> dt.date | None:
    """The earlier of install date + useful life and the model's end of support (either known)."""
    candidates = []
    if installed_on is not None and useful_life_years:
        candidates.append(add_years(installed_on, useful_life_years))
    if end_of_support_on is not None:
        candidates.append(end_of_support_on)
    return min(candidates) if candidates else None


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year a day falls in (named by the year it ends in)."""
    return day.year + 1 if day.month >= FISCAL_YEAR_START_MONTH else day.year


def fiscal_year_bounds(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """The first day of the fiscal year and the first day of the next one."""
    start = dt.date(fiscal_year - 1, FISCAL_YEAR_START_MONTH, 1)
    return start, dt.date(fiscal_year, FISCAL_YEAR_START_MONTH, 1)


def fiscal_year_label(fiscal_year: int) -> str:
    """FY2027 (Jul 2026 to Jun 2027)."""
    return f"FY{fiscal_year} (Jul {fiscal_year - 1} to Jun {fiscal_year})"


# What comes due, defined once: the home page's cards count these conditions and the asset
# list filters by them, so a card and the list it opens show the same assets.
def still_to_replace() -> ColumnElement[bool]:
    """Assets that will need replacing: every status but retired and disposed."""
    return Asset.status.not_in(GONE_STATUSES)


def past_end_of_life(today: dt.date) -> ColumnElement[bool]:
    """Still to replace, and the end of life is before today."""
    return still_to_replace() & (Asset.end_of_life_on < today)


def due_in(fiscal_year: int, today: dt.date) -> ColumnElement[bool]:
    """Still to replace, with the end of life in what is left of the fiscal year from today
    (what fell earlier is past end of life; a fiscal year already over has nothing due)."""
    start, end = fiscal_year_bounds(fiscal_year)
    return (
        still_to_replace()
        & (Asset.end_of_life_on >= max(start, today))
        & (Asset.end_of_life_on < end)
    )


@dataclass
class Cell:
    """How many assets reach end of life in a period, and what replacing them costs."""

    count: int = 0
    cost_cents: int = 0

    def add(self, count: int, cost_cents: int) -> None:
        """Add assets to the cell."""
        self.count += count
        self.cost_cents += cost_cents


@dataclass
class LifecycleRow:
    """One system or site: a cell per period (overdue first, then each fiscal year)."""

    key: int
    label: str
    cells: list[Cell]

    @property
    def total(self) -> Cell:
        """The row's sum over every period."""
        return Cell(sum(c.count for c in self.cells), sum(c.cost_cents for c in self.cells))


@dataclass
class LifecycleReport:
    """End of life by fiscal year, by system and by site, with totals."""

    fiscal_years: list[int]
    by_system: list[LifecycleRow] = field(default_factory=list)
    by_site: list[LifecycleRow] = field(default_factory=list)

    @property
    def period_labels(self) -> list[str]:
        """Column headings: overdue, then each fiscal year."""
        return [f"Before FY{self.fiscal_years[0]}"] + [f"FY{y}" for y in self.fiscal_years]

    @property
    def totals(self) -> list[Cell]:
        """Each period's sum over every system."""
        cells = [Cell() for _ in self.period_labels]
        for row in self.by_system:
            for cell, part in zip(cells, row.cells, strict=True):
                cell.add(part.count, part.cost_cents)
        return cells


def fiscal_years_ahead(today: dt.date, count: int = 5) -> list[int]:
    """This fiscal year and the ones after it, `count` in all."""
    first = fiscal_year_of(today)
    return list(range(first, first + count))


def period_expression(column: Any, fiscal_years: list[int]) -> Any:
    """SQL: 0 for dates before the first fiscal year, i for the i-th fiscal year."""
    whens = [(column < fiscal_year_bounds(fiscal_years[0])[0], 0)]
    whens += [(column < fiscal_year_bounds(y)[1], i) for i, y in enumerate(fiscal_years, 1)]
    return case(*whens, else_=len(fiscal_years) + 1)


def lifecycle_report(
    session: Session,
    user: User,
    *,
    today: dt.date,
    region_id: int | None = None,
    system_id: int | None = None,
) -> LifecycleReport:
    """What reaches end of life before and in each of the next five fiscal years, and its
    replacement cost (the model's unit cost, else the asset's own cost), for the user's sites."""
    report = LifecycleReport(fiscal_years=fiscal_years_ahead(today))
    period = period_expression(Asset.end_of_life_on, report.fiscal_years).label("period")
    cost = func.coalesce(AssetModel.unit_cost_cents, Asset.cost_cents, 0)
    base = (
        select(period, func.count(Asset.id), func.sum(cost))
        .join(AssetModel, AssetModel.id == Asset.model_id)
        .where(
            Asset.status.not_in(GONE_STATUSES),
            Asset.end_of_life_on < fiscal_year_bounds(report.fiscal_years[-1])[1],
        )
    )
    if region_id:
        base = base.join(Site, Site.id == Asset.site_id).where(Site.region_id == region_id)
    if system_id:
        base = base.where(AssetModel.system_id == system_id)
    base = scoped(base, user, Asset.site_id)
    # One pass over the assets, grouped by small integer keys; the two views (by system and
    # by site) are summed from it in Python rather than scanning the table twice.
    grouped = session.execute(
        base.add_columns(Asset.site_id, AssetModel.system_id).group_by(
            "period", Asset.site_id, AssetModel.system_id
        )
    ).all()
    report.by_system = _rows(grouped, 4, _labels(session, System.id, System.name), report)
    report.by_site = _rows(grouped, 3, _labels(session, Site.id, Site.code + " " + Site.name),
                           report)  # fmt: skip
    return report


def _labels(session: Session, key: Any, label: Any) -> dict[int, str]:
    """Names by id, for the rows of the report."""
    return dict(session.execute(select(key, label)).all())


def _rows(
    grouped: list[Any], key_index: int, labels: dict[int, str], report: LifecycleReport
) -> list[LifecycleRow]:
    """Sum the grouped counts by one key; rows by descending total cost."""
    rows: dict[int, LifecycleRow] = {}
    for record in grouped:
        period, count, cost, row_key = record[0], record[1], record[2], record[key_index]
        row = rows.get(row_key)
        if row is None:
            cells = [Cell() for _ in report.period_labels]
            row = rows[row_key] = LifecycleRow(row_key, labels.get(row_key, "?"), cells)
        row.cells[period].add(count, int(cost or 0))
    return sorted(rows.values(), key=lambda r: (-r.total.cost_cents, r.label))
