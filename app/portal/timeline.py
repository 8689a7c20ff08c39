"""A site's year as a timeline drawn on the server (SVG): months across, one bar per project
with its name on the line above (so names need no left column and stay readable on a phone),
blackout months shaded, today marked. The same drawing goes into the page and the PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask import render_template
from markupsafe import Markup

from app.planning.charts import FONT, INK, MUTED, clip
from inventory.queries.portal import MONTH_NAMES, months_in_words
from inventory.queries.published import PublishedProject

WIDTH = 480.0  # viewBox units; the page scales it to the screen's width
SIDE = 8.0
HEADER = 44.0
ROW = 38.0  # a project: its name, then its bar
BAR = 12.0
MAX_MONTHS = 24
UPCOMING = "#1f5f99"
DONE = "#6e7781"
BLACKOUT = "#f6e1d7"


@dataclass(frozen=True)
class TimelineBar:
    """A project: its label and its bar."""

    label: str
    title: str
    x: float
    y: float
    width: float
    fill: str


@dataclass(frozen=True)
class Layout:
    """Where names go: on a line above each bar (narrow: a phone), or in a column on the left
    (wide: the printed page)."""

    width: float
    left: float  # where the months start
    row: float
    label_dy: float
    bar_dy: float
    label_width: float
    font: float
    halo: bool = False  # a white edge keeps a name readable across the month lines (browsers)


PHONE = Layout(width=WIDTH, left=SIDE, row=ROW + 4, label_dy=15, bar_dy=22,
               label_width=WIDTH - 16, font=15, halo=True)  # fmt: skip
PRINT = Layout(width=720, left=230, row=20, label_dy=14, bar_dy=4, label_width=214, font=13)


@dataclass
class Timeline:
    """The drawing's geometry."""

    width: float
    height: float
    month_width: float
    layout: Layout = PHONE
    months: list[tuple[float, str, str]] = field(default_factory=list)  # x, name, year
    grid: list[float] = field(default_factory=list)
    blackouts: list[tuple[float, str]] = field(default_factory=list)  # x, month name
    bars: list[TimelineBar] = field(default_factory=list)
    today_x: float | None = None
    empty: bool = False


def first_month(today: dt.date, fiscal_start_month: int) -> dt.date:
    """The first day of the fiscal year under way."""
    year = today.year if today.month >= fiscal_start_month else today.year - 1
    return dt.date(year, fiscal_start_month, 1)


def _index(day: dt.date) -> int:
    """Months since year 0 (to count months between dates)."""
    return day.year * 12 + day.month - 1


def site_timeline(
    projects: Sequence[PublishedProject],
    blackouts: Sequence[dt.date],
    *,
    today: dt.date,
    fiscal_start_month: int,
    layout: Layout = PHONE,
) -> Timeline:
    """The fiscal year under way (longer, up to two years, when projects run past it)."""
    start = first_month(today, fiscal_start_month)
    last = max([_index(p.ends_on) for p in projects] + [_index(start) + 11])
    count = min(last - _index(start) + 1, MAX_MONTHS)
    shown = [p for p in projects if _index(p.starts_on) < _index(start) + count
             and _index(p.ends_on) >= _index(start)]  # fmt: skip
    left = layout.left
    month_width = (layout.width - left - SIDE) / count
    chart = Timeline(width=layout.width, height=HEADER + layout.row * max(len(shown), 1) + 8,
                     month_width=month_width, layout=layout, empty=not shown)  # fmt: skip
    for n in range(count):
        index = _index(start) + n
        day = dt.date(index // 12, index % 12 + 1, 1)
        name = MONTH_NAMES[day.month - 1]
        name = name[:3] if count <= 12 else name[:1]
        year = str(day.year) if n == 0 or day.month == 1 else ""
        chart.months.append((left + month_width * (n + 0.5), name, year))
        if day in blackouts:
            chart.blackouts.append((left + month_width * n, MONTH_NAMES[day.month - 1]))
    chart.grid = [left + month_width * n for n in range(count + 1)]
    offset = _index(today) - _index(start)
    if 0 <= offset < count:
        fraction = (today.day - 1) / 31
        chart.today_x = left + month_width * (offset + fraction)
    for row, project in enumerate(shown):
        first = max(_index(project.starts_on) - _index(start), 0)
        end = min(_index(project.ends_on) - _index(start), count - 1)
        when = months_in_words(project.starts_on, project.ends_on)
        label = project.upgrade_name
        done = project.actual_finish_on is not None or project.ends_on < today
        chart.bars.append(
            TimelineBar(
                label=clip(
                    label if layout is PRINT else f"{label} · {when}", layout.label_width, 13
                ),
                title=f"{project.upgrade_name}: {when}" + (" (done)" if done else ""),
                x=left + month_width * first + 1,
                y=HEADER + layout.row * row,
                width=max(month_width * (end - first + 1) - 2, 4),
                fill=DONE if done else UPCOMING,
            )
        )
    return chart


def timeline_svg(chart: Timeline, title: str) -> Markup:
    """The timeline as inline SVG."""
    sizes = {"bar": BAR, "header": HEADER, "blackout": BLACKOUT}
    svg = render_template(
        "portal/timeline.svg", chart=chart, title=title, font=FONT, ink=INK, muted=MUTED, **sizes
    )
    return Markup(svg)  # noqa: S704 - the output of an autoescaped template
