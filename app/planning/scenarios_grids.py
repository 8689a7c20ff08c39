"""The grids of the budget and crews pages: one input per year, month or trade and month.

A grid is read from the posted form into the operation's lists, keeping the text as typed so
a page with a mistake shows it again; each mistake is named by its year, month or trade.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.pages import dollars_to_cents
from app.planning.scenarios_forms import parse_dollars
from inventory.models import Scenario, Trade

MAX_CREWS = 999


@dataclass
class Grid:
    """The inputs' texts by name, and the mistakes by name."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def error_list(self) -> list[str]:
        """Every mistake, in the order found."""
        return list(self.errors.values())


def dollars_text(cents: int | None) -> str:
    """Cents as an input's text: 125000000 -> '1,250,000'; 5050 -> '50.50'; None -> ''."""
    if cents is None:
        return ""
    whole, part = divmod(int(cents), 100)
    return f"{whole:,}" if part == 0 else f"{whole:,}.{part:02d}"


def budget_grid(scenario: Scenario) -> Grid:
    """The saved budgets as the inputs show them."""
    grid = Grid()
    annual = list(scenario.annual_budgets_cents or [])
    caps = list(scenario.monthly_caps_cents or [])
    for index in range(scenario.years):
        grid.values[f"annual-{index}"] = dollars_text(
            annual[index] if index < len(annual) else None
        )
    for month in range(scenario.months):
        grid.values[f"cap-{month}"] = dollars_text(caps[month] if month < len(caps) else None)
    return grid


def _amount(grid: Grid, data: Mapping[str, Any], name: str, label: str) -> int | None:
    """One dollar input as cents (a mistake is recorded, and read as no amount)."""
    text = str(data.get(name, ""))[:40]
    grid.values[name] = text
    try:
        amount = parse_dollars(text)
    except ValueError:
        grid.errors[name] = f"{label}: enter an amount in dollars, like 1,250,000."
        return None
    if amount is not None and amount < 0:
        grid.errors[name] = f"{label} cannot be negative."
    return dollars_to_cents(amount)


def read_budget(
    scenario: Scenario, data: Mapping[str, Any]
) -> tuple[Grid, list[int | None], list[int | None]]:
    """The posted annual budgets (one per fiscal year) and monthly caps (one per month)."""
    grid = Grid()
    annual = [
        _amount(grid, data, f"annual-{i}", f"Annual budget for FY{year}")
        for i, year in enumerate(scenario.fiscal_years)
    ]
    caps = [
        _amount(grid, data, f"cap-{m}", f"Cap for {scenario.month_label(m)}")
        for m in range(scenario.months)
    ]
    return grid, annual, caps


def crews_grid(scenario: Scenario) -> Grid:
    """The saved crews of each trade as the inputs show them."""
    grid = Grid()
    for row in scenario.trades:
        crews = list(row.crews_by_month or [])
        for month in range(scenario.months):
            count = crews[month] if month < len(crews) else (crews[-1] if crews else 0)
            grid.values[f"crews-{row.trade_id}-{month}"] = str(count or 0)
        grid.values[f"same-{row.trade_id}"] = ""
    return grid


def _count(grid: Grid, data: Mapping[str, Any], name: str, label: str) -> int | None:
    """One crew count (blank is None; a mistake is recorded)."""
    text = str(data.get(name, "")).strip()[:12]
    grid.values[name] = text
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_CREWS:
        grid.errors[name] = f"{label}: enter a whole number of crews from 0 to {MAX_CREWS}."
        return None
    return int(text)


def read_crews(
    scenario: Scenario, trades: Iterable[Trade], data: Mapping[str, Any]
) -> tuple[Grid, dict[int, list[int]]]:
    """The posted crews per month of each trade; a trade's "same every month" number, when
    given, fills every month."""
    grid = Grid()
    crews: dict[int, list[int]] = {}
    for trade in trades:
        same = _count(grid, data, f"same-{trade.id}", f"{trade.name}, same every month")
        months = [
            _count(
                grid, data, f"crews-{trade.id}-{m}", f"{trade.name} in {scenario.month_label(m)}"
            )
            for m in range(scenario.months)
        ]
        crews[trade.id] = [same] * scenario.months if same is not None else [c or 0 for c in months]
    return grid, crews


def read_extra_crews(
    trades: Iterable[Trade], data: Mapping[str, Any]
) -> tuple[Grid, dict[int, int]]:
    """Crews to add per trade in a what-if copy (blank or 0: none)."""
    grid = Grid()
    extra: dict[int, int] = {}
    for trade in trades:
        name = f"extra-{trade.id}"
        text = str(data.get(name, "")).strip()[:12]
        grid.values[name] = text
        if not text:
            continue
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        if not digits.isdigit() or int(digits) > MAX_CREWS:
            grid.errors[name] = f"More {trade.name} crews: enter a whole number, like 1 or -1."
        elif int(digits):
            extra[trade.id] = sign * int(digits)
    return grid, extra
