"""The crew heat map: for each trade and month, the crews busy against the crews there are.

Cells are coloured by how full the month is, with "busy/available" written in them; a month with
no crews of a trade is hatched grey. A plan never uses more crews than there are; if it ever
did (a stored plan checked against changed data) the cell would be red.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from app.planning.charts import INK, MonthAxisLabel, clip, draw, month_axis

WHITE = "#ffffff"
OVER = "#b3261e"
# (up to this share of the crews, cell colour, text colour): contrast 4.5:1 or more.
HEAT_STEPS = (
    (0.0, "#ffffff", INK),
    (0.25, "#dce8f5", INK),
    (0.5, "#a9c7ea", INK),
    (0.75, "#3f6fb0", WHITE),
    (1.0, "#173f7a", WHITE),
)
LEGEND_STEP = 100
LEGEND = (("None busy", 0), ("Up to 25%", 1), ("Up to 50%", 2), ("Up to 75%", 3), ("Up to 100%", 4))


def heat_colours(used: int, available: int) -> tuple[str, str]:
    """(cell colour, text colour) for crews busy out of crews available (available > 0)."""
    share = used / available
    if share > 1:
        return OVER, WHITE
    for limit, fill, text in HEAT_STEPS:
        if share <= limit:
            return fill, text
    return HEAT_STEPS[-1][1], HEAT_STEPS[-1][2]  # pragma: no cover - share <= 1 here


@dataclass(frozen=True)
class HeatCell:
    """One trade in one month."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    text_fill: str
    text: str
    title: str
    href: str | None
    hatched: bool


@dataclass(frozen=True)
class HeatRow:
    """A trade's row heading."""

    y: float
    label: str
    title: str


@dataclass
class HeatMap:
    """The whole heat map's geometry."""

    width: float
    height: float
    left: float
    top: float
    cell_width: float
    cell_height: float
    pattern_id: str
    rows: list[HeatRow] = field(default_factory=list)
    cells: list[HeatCell] = field(default_factory=list)
    axis: list[MonthAxisLabel] = field(default_factory=list)
    legend: list[tuple[float, str, str]] = field(default_factory=list)
    legend_y: float = 0
    hatch_legend_x: float = 0


@dataclass(frozen=True)
class TradeUse:
    """A trade's crews: its name, and crews busy and available in each month."""

    code: str
    name: str
    used: list[int]
    available: list[int]


def heat_map(
    trades: list[TradeUse],
    month_labels: list[str],
    link: Callable[[str, int], str | None] | None = None,
    pattern_id: str = "crews-hatch",
) -> HeatMap:
    """The geometry: a row per trade, a cell per month."""
    months = len(month_labels)
    cell_width = 52 if months <= 12 else 40
    chart = HeatMap(
        width=0,
        height=0,
        left=150,
        top=44,
        cell_width=cell_width,
        cell_height=30,
        pattern_id=pattern_id,
    )
    chart.width = chart.left + cell_width * months + 12
    for index, trade in enumerate(trades):
        y = chart.top + chart.cell_height * index
        chart.rows.append(HeatRow(y + chart.cell_height / 2 + 4, clip(trade.name, 140), trade.name))
        for month in range(months):
            chart.cells.append(_cell(chart, trade, month, month_labels[month], y, link))
    chart.axis = month_axis(month_labels, chart.left, cell_width)
    chart.legend_y = chart.top + chart.cell_height * len(trades) + 18
    chart.legend = [
        (8 + LEGEND_STEP * i, label, HEAT_STEPS[step][1]) for i, (label, step) in enumerate(LEGEND)
    ]
    chart.hatch_legend_x = 8 + LEGEND_STEP * len(LEGEND)
    chart.width = max(chart.width, chart.hatch_legend_x + LEGEND_STEP)
    chart.height = chart.legend_y + 22
    return chart


def _cell(
    chart: HeatMap,
    trade: TradeUse,
    month: int,
    label: str,
    y: float,
    link: Callable[[str, int], str | None] | None,
) -> HeatCell:
    """One month of one trade."""
    used, available = trade.used[month], trade.available[month]
    x = chart.left + chart.cell_width * month
    href = link(trade.code, month) if link is not None and used else None
    if available <= 0 and used == 0:
        title = f"{trade.name}, {label}: no crews this month"
        return HeatCell(
            x, y, chart.cell_width, chart.cell_height, "#d9dee4", INK, "none", title, None, True
        )
    fill, text_fill = heat_colours(used, max(available, 0) or 1) if available > 0 else (OVER, WHITE)
    title = f"{trade.name}, {label}: {used} of {available} crews busy"
    if used > available:
        title += " (more than there are)"
    return HeatCell(
        x,
        y,
        chart.cell_width,
        chart.cell_height,
        fill,
        text_fill,
        f"{used}/{available}",
        title,
        href,
        False,
    )


def crews_svg(
    trades: list[TradeUse],
    month_labels: list[str],
    link: Callable[[str, int], str | None] | None = None,
) -> Markup:
    """The crew heat map as inline SVG."""
    return draw("crews.svg", chart=heat_map(trades, month_labels, link))
