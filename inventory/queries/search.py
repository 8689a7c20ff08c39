"""Text search in lists: the one helper every query uses, so `%` and `_` mean themselves."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, func, or_

ESCAPE = "\\"


def like_pattern(term: str) -> str:
    """`%term%` in lower case, with the LIKE wildcards in the term escaped."""
    escaped = (
        term.strip()
        .lower()
        .replace(ESCAPE, ESCAPE * 2)
        .replace("%", ESCAPE + "%")
        .replace("_", ESCAPE + "_")
    )
    return f"%{escaped}%"


def contains(term: str, *columns: Any) -> ColumnElement[bool]:
    """Rows where any of the columns contains the term, ignoring case (nothing for a blank)."""
    if not term.strip():
        return false()
    pattern = like_pattern(term)
    return or_(*(func.lower(column).like(pattern, escape=ESCAPE) for column in columns))
