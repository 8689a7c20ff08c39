"""Pages of a query without counting the whole table: limit + 1 rows, and a capped count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

COUNT_CAP = 1_000  # "1,000+": counting more would make big tables slower


@dataclass(frozen=True)
class Page:
    """One page of rows, whether more follow, and a count that stops at a cap."""

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


def capped_count(session: Session, query: Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows the query returns, counting at most `cap` (and whether it stopped there)."""
    limited = query.order_by(None).limit(cap + 1).subquery()
    total = session.scalar(select(func.count()).select_from(limited)) or 0
    return min(total, cap), total > cap


def page_of(
    session: Session, query: Select, number: int, per_page: int, count_query: Select | None = None
) -> Page:
    """The rows of page `number` (1-based); cost grows with the page, not the table.

    `count_query` is a lighter query with the same rows (no joins) to count with."""
    number = max(1, number)
    rows = list(session.execute(query.offset((number - 1) * per_page).limit(per_page + 1)))
    total, capped = capped_count(session, count_query if count_query is not None else query)
    return Page(
        rows=rows[:per_page],
        number=number,
        per_page=per_page,
        has_next=len(rows) > per_page,
        total=total,
        total_is_capped=capped,
    )
