"""The Lifecycle chart: round axis ticks, bars scaled to the top tick, and a layout for phones
whose labels fit their room (the browser test checks the drawing itself at 375 px)."""

from __future__ import annotations

import pytest

from app.lifecycle.chart import NARROW, WIDE, axis_ticks, lifecycle_chart, tick_label
from inventory.lifecycle import Cell, LifecycleReport, LifecycleRow

CHAR_WIDTH = 0.62  # of the font size: a generous average for the chart's sans-serif text


def _report(costs_by_system: dict[str, list[int]]) -> LifecycleReport:
    """A report for FY2027-FY2031 with one row per system (costs in cents per period)."""
    report = LifecycleReport(fiscal_years=[2027, 2028, 2029, 2030, 2031])
    for key, (label, costs) in enumerate(costs_by_system.items()):
        cells = [Cell(1 if cost else 0, cost) for cost in costs]
        report.by_system.append(LifecycleRow(key, label, cells))
    return report


@pytest.mark.parametrize(
    ("peak_cents", "labels"),
    [
        (12_345_678, ["$0", "$50k", "$100k", "$150k"]),
        (98_765_432, ["$0", "$250k", "$500k", "$750k", "$1M"]),
        (123_456_789, ["$0", "$500k", "$1M", "$1.5M"]),
        (3_000_000_00, ["$0", "$1M", "$2M", "$3M"]),
        (45_00, ["$0", "$20", "$40", "$60"]),
        (0, ["$0", "$250", "$500", "$750", "$1k"]),
    ],
)
def test_axis_ticks_are_round(peak_cents, labels) -> None:
    ticks = axis_ticks(peak_cents)
    assert [tick_label(tick) for tick in ticks] == labels
    assert ticks[-1] >= peak_cents


def test_bars_are_scaled_to_the_top_tick_and_ticks_are_labelled_round() -> None:
    report = _report({"LAN switching": [12_345_678, 0, 2_000_000, 0, 0, 0]})
    chart = lifecycle_chart(report, WIDE)
    assert [label for _y, label in chart.y_ticks] == ["$0", "$50k", "$100k", "$150k"]
    tallest = max(bar.height for bar in chart.bars)
    plot_height = chart.baseline - chart.y_ticks[-1][0]
    assert tallest == pytest.approx(plot_height * 123_456.78 / 150_000)
    assert "LAN switching, Before FY2027: 1 asset, $123,457" in [bar.title for bar in chart.bars]


SYSTEMS = {name: [10_000_00 * (i + 1)] * 6 for i, name in enumerate(
    ["Network core", "LAN switching", "Wi-Fi", "Voice", "Video and AV", "Security cameras",
     "Access control", "Power and UPS", "Servers and storage", "Structured cabling"])}  # fmt: skip


@pytest.mark.parametrize(("layout", "shown_width"), [(NARROW, 343), (WIDE, 720)])
def test_labels_fit_their_room_and_stay_readable(layout, shown_width) -> None:
    chart = lifecycle_chart(_report(SYSTEMS), layout)
    scale = shown_width / chart.width  # the SVG is drawn at the page's width
    assert chart.font_size * scale >= 10, "text under 10 px on the screen"
    slot = (chart.plot_right - chart.plot_left) / len(chart.x_labels)
    for label in chart.x_labels:
        widest = max(len(line) for line in label.lines) * chart.font_size * CHAR_WIDTH
        assert widest <= slot, f"{label.lines} overflows its column"
    for _y, text in chart.y_ticks:
        assert len(text) * chart.font_size * CHAR_WIDTH <= chart.plot_left - 4, text
    boxes = [(item.x, item.y, item.x + 14 + len(item.label) * chart.font_size * CHAR_WIDTH,
              item.y + chart.font_size) for item in chart.legend]  # fmt: skip
    for left, _top, right, bottom in boxes:
        assert left >= 0 and right <= chart.width and bottom <= chart.height
    for index, first in enumerate(boxes):
        for second in boxes[index + 1 :]:
            apart = first[2] <= second[0] or second[2] <= first[0]
            assert apart or first[3] <= second[1] or second[3] <= first[1], "legend overlaps"
    if layout is NARROW:
        assert min(item.y for item in chart.legend) > chart.baseline, "legend beside the plot"
