"""The SEP document's pictures, drawn on the server as inline SVG: spending per month (the
planning pages' budget chart), crews per trade and month (their crew heat map), and a compact
program timeline that stays readable at any size: a row per system and per region, a cell per
month with the projects under way there, shaded by how many.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template
from markupsafe import Markup

from app.planning.charts import FONT, INK, MUTED, MonthAxisLabel, budget_svg, clip, month_axis
from app.planning.charts_crews import TradeUse, crews_svg
from app.planning.charts_figures import BudgetMonth
from inventory.queries.published import PublishedProject
from inventory.queries.sep_document import NO_REGION, SepDocument

# (up to this share of the row's busiest month, cell colour, text colour): contrast 4.5:1.
SHADES = ((0.0, "#ffffff", INK), (0.34, "#dce8f5", INK), (0.67, "#a9c7ea", INK),
          (1.0, "#1f5f99", "#ffffff"))  # fmt: skip
CELL_HEIGHT = 22


@dataclass(frozen=True)
class TimelineCell:
    """Projects under way in one group in one month."""

    x: float
    y: float
    fill: str
    text_fill: str
    text: str
    title: str


@dataclass
class Timeline:
    """The program timeline's geometry."""

    width: float
    height: float
    left: float
    top: float
    cell_width: float
    headings: list[tuple[float, str]] = field(default_factory=list)
    rows: list[tuple[float, str, str]] = field(default_factory=list)  # y, label, title
    cells: list[TimelineCell] = field(default_factory=list)
    axis: list[MonthAxisLabel] = field(default_factory=list)
    year_lines: list[float] = field(default_factory=list)


def _shade(count: int, busiest: int) -> tuple[str, str]:
    """A cell's colours by its count against the busiest month of all groups."""
    share = count / busiest if busiest else 0.0
    for limit, fill, text in SHADES:
        if share <= limit:
            return fill, text
    return SHADES[-1][1], SHADES[-1][2]  # pragma: no cover - share <= 1


def _under_way(projects: list[PublishedProject], key: object, months: int) -> dict[str, list[int]]:
    """Projects under way per month for each group."""
    groups: dict[str, list[int]] = {}
    for project in projects:
        row = groups.setdefault(key(project), [0] * months)  # type: ignore[operator]
        for month in range(project.start_month, project.end_month + 1):
            row[month] += 1
    return dict(sorted(groups.items(), key=lambda item: item[0].lower()))


def program_timeline(document: SepDocument) -> Timeline:
    """A row per system then per region, a cell per month: how many projects are under way."""
    labels = [line.label for line in document.months]
    months = len(labels)
    cell_width = 46.0 if months <= 12 else max(24.0, 720 / months)
    chart = Timeline(width=0, height=0, left=190, top=44, cell_width=cell_width)
    chart.width = chart.left + cell_width * months + 12
    sections = (
        ("By system", _under_way(document.projects, lambda p: p.system_name, months)),
        ("By region", _under_way(document.projects, lambda p: p.region_name or NO_REGION, months)),
    )
    busiest = max((max(row) for _h, rows in sections for row in rows.values()), default=0)
    y = chart.top
    for heading, rows in sections:
        chart.headings.append((y + 15, heading))
        y += CELL_HEIGHT
        for name, counts in rows.items():
            chart.rows.append((y + 15, clip(name, 170), name))
            for month, count in enumerate(counts):
                fill, text_fill = _shade(count, busiest)
                title = f"{name}, {labels[month]}: {count} project{'s' * (count != 1)} under way"
                x = chart.left + cell_width * month
                text = str(count) if count else ""
                chart.cells.append(TimelineCell(x, y, fill, text_fill, text, title))
            y += CELL_HEIGHT
        y += 6
    chart.axis = month_axis(labels, chart.left, cell_width)
    chart.year_lines = [chart.left + cell_width * m for m in range(12, months, 12)]
    chart.height = y + 8
    return chart


def timeline_svg(document: SepDocument) -> Markup:
    """The program timeline as inline SVG."""
    return Markup(  # noqa: S704 - the output of an autoescaped template
        render_template(
            "sep/timeline.svg",
            chart=program_timeline(document),
            font=FONT,
            ink=INK,
            muted=MUTED,
            cell_height=CELL_HEIGHT,
        )
    )


def spending_svg(document: SepDocument) -> Markup:
    """Spending starting each month against the scenario's monthly caps."""
    caps = list(document.plan.scenario.monthly_caps_cents or [])
    months = [
        BudgetMonth(line.month, line.label, line.cost_cents, line.starting, line.under_way,
                    int(caps[line.month]) if line.month < len(caps) and caps[line.month]
                    is not None else None)
        for line in document.months
    ]  # fmt: skip
    return budget_svg(months, "Cost of the projects starting each month")


def crews_chart_svg(document: SepDocument) -> Markup:
    """Crews busy per trade and month against the crews the scenario has."""
    trades = [TradeUse(line.name, line.name, line.busy, line.available) for line in document.trades]
    return crews_svg(trades, [line.label for line in document.months])


def charts_of(document: SepDocument) -> dict[str, Markup]:
    """Every picture of the document, by name."""
    return {
        "timeline": timeline_svg(document),
        "spending": spending_svg(document),
        "crews": crews_chart_svg(document),
    }
