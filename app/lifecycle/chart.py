"""A stacked bar chart of replacement cost per period and system, drawn as SVG on the server."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.lifecycle import LifecycleReport

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 80, 180, 16, 40
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]  # fmt: skip


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
class Chart:
    """Everything the SVG template draws."""

    width: int
    height: int
    bars: list[Bar]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    legend: list[tuple[float, str, str]]
    baseline: float


def _money(cents: float) -> str:
    """Short dollars for axis labels: $1.2M, $350k."""
    dollars = cents / 100
    if dollars >= 1_000_000:
        return f"${dollars / 1_000_000:,.1f}M"
    if dollars >= 1_000:
        return f"${dollars / 1_000:,.0f}k"
    return f"${dollars:,.0f}"


def lifecycle_chart(report: LifecycleReport) -> Chart:
    """Bars per period, one segment per system, scaled to the largest period."""
    labels = report.period_labels
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / len(labels)
    peak = max((cell.cost_cents for cell in report.totals), default=0) or 1
    bars, offsets = [], [0.0] * len(labels)
    for index, row in enumerate(report.by_system):
        colour = PALETTE[index % len(PALETTE)]
        for period, cell in enumerate(row.cells):
            if cell.cost_cents <= 0:
                continue
            height = plot_height * cell.cost_cents / peak
            offsets[period] += height
            title = (
                f"{row.label}, {labels[period]}: {cell.count:,} assets, {_money(cell.cost_cents)}"
            )
            bars.append(Bar(LEFT + period * slot + slot * 0.15, TOP + plot_height - offsets[period],
                            slot * 0.7, height, colour, title))  # fmt: skip
    return Chart(
        width=WIDTH, height=HEIGHT, bars=bars, baseline=TOP + plot_height,
        x_labels=[(LEFT + (i + 0.5) * slot, label) for i, label in enumerate(labels)],
        y_ticks=[(TOP + plot_height * (1 - f), _money(peak * f)) for f in (0, 0.25, 0.5, 0.75, 1)],
        legend=[(TOP + 16 * i, PALETTE[i % len(PALETTE)], row.label)
                for i, row in enumerate(report.by_system)],
    )  # fmt: skip
