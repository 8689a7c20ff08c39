"""One value of the change log as people read it: dollars, names of choices, dates and times
in UTC, months of a scenario ('Oct 2027', runs such as 'Jul 2027 to Dec 2027: 3'), fiscal years.
Secrets are never shown, only that they were set or changed."""

from __future__ import annotations

import ast
import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from inventory.models import Scenario

NOTHING = "—"


class Names(Protocol):
    """What names referenced records (see history_format)."""

    def name(self, table: str, record_id: Any) -> str:
        """The record's name."""
        ...


def _listed(value: Any) -> Any:
    """A list or mapping the log kept as its text ('[0, 1, None]') back as a value."""
    if isinstance(value, str) and value[:1] in "[{" and len(value) < 20_000:
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    return value


def dollars(cents: Any, *, whole: bool = False) -> str:
    """Cents as dollars: $1,234.50 (`whole`: $1,234 when there are no cents)."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        return "no limit" if cents is None else str(cents)
    sign, whole_dollars, rest = "-" if cents < 0 else "", abs(cents) // 100, abs(cents) % 100
    if whole and rest == 0:
        return f"{sign}${whole_dollars:,}"
    return f"{sign}${whole_dollars:,}.{rest:02d}"


@dataclass
class Reading:
    """What a value needs to be read: the record names and the entry's scenario (for months)."""

    names: Names
    scenario: Scenario | None

    def month(self, number: Any) -> str:
        """A scenario month by name ('Oct 2027'); counted from 1 without a scenario."""
        if not isinstance(number, int):
            return str(number)
        if self.scenario is None:
            return f"month {number + 1}"
        return self.scenario.month_label(number)

    def months(self, numbers: list[Any]) -> str:
        """Months as runs: 'Jul 2027 to Aug 2027, Dec 2027'."""
        runs = _runs([(n, True) for n in sorted(n for n in numbers if isinstance(n, int))])
        return ", ".join(self._span(first, last) for first, last, _ in runs) or "none"

    def per_month(self, values: list[Any], shown: Any) -> str:
        """One value per month as runs: 'Jul 2027 to Dec 2027: 3; Jan 2028 to Jun 2028: 2'."""
        if len(set(map(str, values))) == 1:
            return f"{shown(values[0])} every month"
        runs = _runs(list(enumerate(values)))
        return "; ".join(f"{self._span(a, b)}: {shown(value)}" for a, b, value in runs)

    def _span(self, first: int, last: int) -> str:
        """'Jul 2027', or 'Jul 2027 to Sep 2027'."""
        return self.month(first) if first == last else f"{self.month(first)} to {self.month(last)}"


def _runs(items: list[tuple[int, Any]]) -> list[tuple[int, int, Any]]:
    """Consecutive numbers with the same value, as (first, last, value)."""
    runs: list[tuple[int, int, Any]] = []
    for number, value in items:
        if runs and runs[-1][1] == number - 1 and runs[-1][2] == value:
            runs[-1] = (runs[-1][0], number, value)
        else:
            runs.append((number, number, value))
    return runs


def shown(kind: str, extra: Any, value: Any, reading: Reading) -> str:
    """One stored value as people read it."""
    value = _listed(value)
    if value is None:
        return NOTHING
    if kind == "ref":
        return reading.names.name(extra, value)
    if kind in ("names", "list") and isinstance(value, list):
        return ", ".join(str(item) for item in value) or "none"
    if kind == "list" and isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items()) or "none"
    if kind == "money":
        return dollars(value)
    if kind == "choice":
        return _choice(extra, value)
    if kind == "yes_no" and isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "whole" and isinstance(value, int):
        return f"{value:,}"
    if kind == "datetime" and isinstance(value, str):
        return _moment(value)
    if kind == "capitalised" and isinstance(value, str):
        return value.capitalize()
    return _months_and_years(kind, extra, value, reading)


def _months_and_years(kind: str, extra: Any, value: Any, reading: Reading) -> str:
    """The values counted in a scenario's months, calendar months and fiscal years."""
    if kind == "month":
        return reading.month(value)
    if kind == "months" and isinstance(value, list):
        return reading.months(value)
    if kind == "per_month" and isinstance(value, list) and value:
        return reading.per_month(value, lambda v: dollars(v, whole=True) if extra else v)
    if kind == "per_year" and isinstance(value, list):
        first = reading.scenario.first_year if reading.scenario is not None else None
        years = [f"FY{first + i}" if first else f"year {i + 1}" for i in range(len(value))]
        return "; ".join(
            f"{y}: {dollars(v, whole=True)}" for y, v in zip(years, value, strict=True)
        )
    if kind == "calendar_month" and isinstance(value, int) and 1 <= value <= 12:
        return calendar.month_name[value]
    if kind == "fiscal_year" and isinstance(value, int):
        return f"FY{value}"
    return str(value)


def _choice(enum_class: Any, value: Any) -> str:
    """A stored choice by its label."""
    try:
        return enum_class(value).label
    except ValueError:
        return str(value)


def _moment(value: str) -> str:
    """An ISO time in UTC to the minute: '2026-12-05 14:41 UTC'."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def secret(pair: Sequence[Any]) -> tuple[str, str]:
    """A secret's values are never shown, only that it was set or changed."""
    before = NOTHING if pair[0] is None else "(hidden)"
    after = NOTHING if pair[1] is None else ("(set)" if pair[0] is None else "(changed)")
    return before, after
