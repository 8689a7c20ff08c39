"""Charts of a plan drawn on the server as self-contained SVG: budget use per month and funding
use against caps (the crew heat map and the timelines are in charts_crews and charts_gantt).

Each chart is computed here as plain geometry and drawn by a template in
templates/planning/charts/ with SVG attributes only (explicit size, a viewBox, a <title> on every
mark, colours with enough contrast), so the same drawing serves the page and a PDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask import render_template
from markupsafe import Markup

from app.planning.charts_figures import BudgetMonth, FundingRow
from app.planning.common import money_short

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
INK = "#1b1f24"
MUTED = "#57606a"
GRID = "#d0d7de"
TRACK = "#e6ebf1"
BAR = "#1f5f99"
CAP = "#b3261e"
# Dark enough for white text on them (contrast 6:1 or more); a system keeps its colour (by the
# order of the standard systems: core, LAN, Wi-Fi, voice, video, cameras, access, power,
# servers, cabling).
PALETTE = (
    "#1f5f99",
    "#0d6b73",
    "#6f3a96",
    "#8a4b08",
    "#8c2f6e",
    "#a11d33",
    "#4d4d4d",
    "#7a5c00",
    "#3949ab",
    "#2b6e36",
)


def draw(template: str, **context: object) -> Markup:
    """A chart template rendered as markup to put inline in a page."""
    return Markup(  # noqa: S704 - the output of an autoescaped template
        render_template(f"planning/charts/{template}", font=FONT, ink=INK, muted=MUTED, **context)
    )


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at or above the value (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def clip(text: str, width: float, size: float = 12) -> str:
    """The text cut to fit a width at a font size (about 0.58 em a character)."""
    room = int(width / (size * 0.58))
    if len(text) <= room:
        return text
    return text[: max(room - 1, 0)] + "…" if room > 1 else ""


@dataclass(frozen=True)
class MonthAxisLabel:
    """A month's name under its column, and the year at the first month and each January."""

    x: float
    month: str
    year: str


def month_axis(labels: list[str], left: float, step: float) -> list[MonthAxisLabel]:
    """Labels for months drawn `step` apart from `left` ('Jul 2027' -> 'Jul' and '2027');
    every second or third name only when columns are narrow."""
    every = 1 if step >= 30 else 2 if step >= 16 else 3
    axis = []
    for index, label in enumerate(labels):
        name, _, year = label.partition(" ")
        show_year = index == 0 or name == "Jan"
        if index % every and not show_year:
            name = ""
        axis.append(MonthAxisLabel(left + step * (index + 0.5), name, year if show_year else ""))
    return axis


@dataclass(frozen=True)
class BudgetBar:
    """One month: the bar of spending starting in it, and its cap's marker if it has one."""

    x: float
    y: float
    width: float
    height: float
    cap_y: float | None
    title: str


@dataclass
class BudgetChart:
    """Spending starting each month against each month's cap."""

    width: int
    height: int
    left: float
    top: float
    bottom: float
    right: float
    bars: list[BudgetBar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    axis: list[MonthAxisLabel] = field(default_factory=list)
    year_lines: list[float] = field(default_factory=list)
    caption: str = ""
    has_caps: bool = False


def budget_chart(months: list[BudgetMonth], caption: str) -> BudgetChart:
    """The budget chart's geometry: a bar per month, a red line at each month's cap."""
    count = max(len(months), 1)
    width = max(720, 64 + 16 + 24 * count)
    chart = BudgetChart(width=width, height=300, left=64, top=40, bottom=250, right=width - 16)
    chart.caption = caption
    top_value = max([m.cost_cents for m in months] + [m.cap_cents or 0 for m in months] + [100_000])
    scale_max = nice_ceiling(top_value * 1.05)
    span = chart.bottom - chart.top
    for step in range(5):
        value = scale_max * step / 4
        chart.ticks.append((chart.bottom - span * step / 4, money_short(value)))
    slot = (chart.right - chart.left) / count
    for index, month in enumerate(months):
        height = span * month.cost_cents / scale_max
        cap_y = (
            None if month.cap_cents is None else chart.bottom - span * month.cap_cents / scale_max
        )
        chart.has_caps = chart.has_caps or cap_y is not None
        chart.bars.append(
            BudgetBar(
                x=chart.left + slot * index + slot * 0.2,
                y=chart.bottom - height,
                width=slot * 0.6,
                height=height,
                cap_y=cap_y,
                title=month.title,
            )
        )
        if index and index % 12 == 0:
            chart.year_lines.append(chart.left + slot * index)
    chart.axis = month_axis([m.label for m in months], chart.left, slot)
    return chart


@dataclass(frozen=True)
class FundingBar:
    """A funding source: its name, the track of its cap and the part used."""

    y: float
    name: str
    used_width: float
    track_width: float
    text: str
    title: str
    has_cap: bool


@dataclass
class FundingChart:
    """Each funding source's use against its cap."""

    width: int
    height: int
    left: float
    track: float
    bars: list[FundingBar] = field(default_factory=list)


def funding_chart(rows: list[FundingRow]) -> FundingChart:
    """One horizontal bar per source: the whole track is its cap, the dark part what is used."""
    chart = FundingChart(width=760, height=24 + 40 * max(len(rows), 1), left=200, track=340)
    for index, row in enumerate(rows):
        share = 1.0 if row.cap_cents is None else row.used_cents / max(row.cap_cents, 1)
        if row.cap_cents is None:
            text = f"{money_short(row.used_cents)}, no cap"
        else:
            text = f"{money_short(row.used_cents)} of {money_short(row.cap_cents)}"
            text += f" ({100 * row.used_cents / max(row.cap_cents, 1):.0f}%)"
        chart.bars.append(
            FundingBar(
                y=16 + 40 * index,
                name=clip(row.name, 190),
                track_width=chart.track,
                used_width=chart.track * min(share, 1.0),
                text=text,
                title=f"{row.name}: {text}; {row.projects} projects",
                has_cap=row.cap_cents is not None,
            )
        )
    return chart


def budget_svg(months: list[BudgetMonth], caption: str) -> Markup:
    """The budget use chart as inline SVG."""
    return draw("budget.svg", chart=budget_chart(months, caption), bar=BAR, cap=CAP, grid=GRID)


def funding_svg(rows: list[FundingRow]) -> Markup:
    """The funding use chart as inline SVG."""
    return draw("funding.svg", chart=funding_chart(rows), bar=BAR, track=TRACK)
