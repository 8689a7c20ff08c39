"""A stacked bar chart of replacement cost per period and system, drawn as SVG on the server.

Two layouts of the same figures: a wide one (legend beside the plot) and a narrow one for
phones (legend under it, fewer characters per column, larger type), each with its own viewBox
so the page shows text at a readable size at either width. The value axis has round ticks
($0, $250k, $500k...) and the bars are scaled to the top tick.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from inventory.lifecycle import LifecycleReport

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]  # fmt: skip
STEPS = (1, 2, 2.5, 5, 10)  # round steps, times a power of ten
CHAR_WIDTH = 0.6  # an average character's width, as a share of the font size


@dataclass(frozen=True)
class Layout:
    """Where things go, in the SVG's own units."""

    width: int
    left: int  # room for the value axis's labels
    right: int  # room beside the plot (the wide legend)
    top: int
    plot_height: int
    font_size: int
    legend_below: bool
    legend_columns: int = 1
    short_years: bool = False  # FY27 rather than FY2027


WIDE = Layout(width=760, left=64, right=190, top=16, plot_height=244, font_size=12,
              legend_below=False)  # fmt: skip
NARROW = Layout(width=360, left=52, right=10, top=12, plot_height=190, font_size=13,
                legend_below=True, legend_columns=2, short_years=True)  # fmt: skip


@dataclass(frozen=True)
class Bar:
    """One stacked segment: where it is drawn and what it says on hover."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str


@dataclass(frozen=True)
class XLabel:
    """A period's name under its bar, on one or two lines."""

    x: float
    lines: list[str]


@dataclass(frozen=True)
class LegendItem:
    """A system's colour and name."""

    x: float
    y: float
    colour: str
    label: str


@dataclass(frozen=True)
class Chart:
    """Everything the SVG template draws."""

    width: int
    height: int
    font_size: int
    plot_left: float
    plot_right: float
    bars: list[Bar]
    x_labels: list[XLabel]
    y_ticks: list[tuple[float, str]]
    legend: list[LegendItem]
    baseline: float


def axis_ticks(peak_cents: float, parts: int = 4) -> list[int]:
    """Round ticks from $0 to the first round value at or above the peak, about `parts` steps
    of 1, 2, 2.5 or 5 times a power of ten (whole dollars at least)."""
    peak = max(peak_cents, 100_000) if peak_cents <= 0 else peak_cents
    rough = max(peak / parts, 100)
    power = 10 ** math.floor(math.log10(rough))
    step = next(s * power for s in STEPS if s * power >= rough)
    count = math.ceil(peak / step - 1e-9)
    return [round(step * index) for index in range(count + 1)]


def tick_label(cents: float) -> str:
    """Short dollars with no needless decimals: $0, $250, $1.5k, $250k, $1M, $1.25M."""
    dollars = cents / 100
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if dollars >= size:
            return f"${dollars / size:,.2f}".rstrip("0").rstrip(".") + suffix
    return f"${dollars:,.0f}"


def _lines(label: str, room: float, font_size: int, short_years: bool) -> list[str]:
    """The label on one line, or one word a line when it does not fit."""
    if short_years:
        label = re.sub(r"\bFY\d\d(\d\d)\b", r"FY\1", label)
    if len(label) * font_size * CHAR_WIDTH <= room:
        return [label]
    return label.split(" ")


def _clipped(text: str, room: float, font_size: int) -> str:
    """The text cut with an ellipsis to fit the room."""
    fits = int(room / (font_size * CHAR_WIDTH))
    return text if len(text) <= fits else text[: max(fits - 1, 1)] + "…"


def _legend(report: LifecycleReport, layout: Layout, below: float) -> list[LegendItem]:
    """One entry per system: beside the plot, or under it in columns."""
    names = [row.label for row in report.by_system]
    step = layout.font_size + 6
    if not layout.legend_below:
        x, room = layout.width - layout.right + 12, layout.right - 30
        return [LegendItem(x, layout.top + step * i, PALETTE[i % len(PALETTE)],
                           _clipped(name, room, layout.font_size))
                for i, name in enumerate(names)]  # fmt: skip
    column_width = (layout.width - 8) / layout.legend_columns
    room = column_width - 22
    return [LegendItem(4 + column_width * (i % layout.legend_columns),
                       below + step * (i // layout.legend_columns), PALETTE[i % len(PALETTE)],
                       _clipped(name, room, layout.font_size))
            for i, name in enumerate(names)]  # fmt: skip


def lifecycle_chart(report: LifecycleReport, layout: Layout = WIDE) -> Chart:
    """Bars per period, one segment per system, scaled to the top round tick."""
    labels = report.period_labels
    plot_left, plot_right = layout.left, layout.width - layout.right
    baseline = layout.top + layout.plot_height
    slot = (plot_right - plot_left) / len(labels)
    ticks = axis_ticks(max((cell.cost_cents for cell in report.totals), default=0))
    top = ticks[-1]
    bars, offsets = [], [0.0] * len(labels)
    for index, row in enumerate(report.by_system):
        colour = PALETTE[index % len(PALETTE)]
        for period, cell in enumerate(row.cells):
            if cell.cost_cents <= 0:
                continue
            height = layout.plot_height * cell.cost_cents / top
            offsets[period] += height
            noun = "asset" if cell.count == 1 else "assets"
            title = (f"{row.label}, {labels[period]}: {cell.count:,} {noun}, "
                     f"${cell.cost_cents / 100:,.0f}")  # fmt: skip
            bars.append(Bar(plot_left + period * slot + slot * 0.15, baseline - offsets[period],
                            slot * 0.7, height, colour, title))  # fmt: skip
    x_labels = [XLabel(plot_left + (i + 0.5) * slot,
                       _lines(label, slot - 8, layout.font_size, layout.short_years))
                for i, label in enumerate(labels)]  # fmt: skip
    axis_bottom = baseline + 8 + layout.font_size * 1.25 * max(len(x.lines) for x in x_labels)
    legend = _legend(report, layout, axis_bottom + 10)
    last = max((item.y for item in legend), default=0) + layout.font_size + 8
    height = math.ceil(max(axis_bottom + 6, last))
    y_ticks = [(baseline - layout.plot_height * tick / top, tick_label(tick)) for tick in ticks]
    return Chart(width=layout.width, height=height, font_size=layout.font_size,
                 plot_left=plot_left, plot_right=plot_right, bars=bars, x_labels=x_labels,
                 y_ticks=y_ticks, legend=legend, baseline=baseline)  # fmt: skip
