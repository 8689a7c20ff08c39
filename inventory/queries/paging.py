"""Pages of a query: limit + 1 rows for the page, and the list's total (exact, or where a
search collects at most so many matches, capped with a note that it was)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Page:
    """One page of rows, whether more follow, and the list's total (`total_is_capped`: the
    list stops at `total` rows and more match)."""

    rows: list[Any]
    number: int
    per_page: int
    has_next: bool
    total: int
    total_is_capped: bool

    @property
    def has_previous(self) -> bool:
        """True after the first page."""
        return self.number > 1

    @property
    def first_index(self) -> int:
        """The position of the page's first row (1-based)."""
        return (self.number - 1) * self.per_page + 1


def row_count(session: Session, query: Select) -> int:
    """How many rows the query returns (its ORDER BY dropped: counting needs no order)."""
    counted = query.order_by(None).subquery()
    return session.scalar(select(func.count()).select_from(counted)) or 0


def capped_count(session: Session, query: Select, cap: int) -> tuple[int, bool]:
    """How many rows the query returns, counting at most `cap` (and whether more there are)."""
    limited = query.order_by(None).limit(cap + 1).subquery()
    total = session.scalar(select(func.count()).select_from(limited)) or 0
    return min(total, cap), total > cap


def page_of(
    session: Session,
    query: Select,
    number: int,
    per_page: int,
    *,
    count: tuple[int, bool] | None = None,
) -> Page:
    """The rows of page `number` (1-based); cost grows with the page, not the table.

    `count` is the list's (total, capped) when the caller counts it a lighter way; otherwise
    the query's rows are counted."""
    number = max(1, number)
    rows = list(session.execute(query.offset((number - 1) * per_page).limit(per_page + 1)))
    total, capped = count if count is not None else (row_count(session, query), False)
    return Page(
        rows=rows[:per_page],
        number=number,
        per_page=per_page,
        has_next=len(rows) > per_page,
        total=total,
        total_is_capped=capped,
    )
