"""Timelines (Gantt charts) of a plan: per site (a row per site, a bar per project) and per trade
(a row per crew, the projects it works on), with bars coloured by system.

Projects that overlap share a row by taking lanes: a site running two projects at once gets two
lanes; a trade gets one lane per crew busy at once, lowest first, so a project needing two crews
shows in two lanes and no trade needs more lanes than it ever has crews.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from app.planning.charts import PALETTE, MonthAxisLabel, clip, draw, month_axis
from inventory.queries.plans import PlanRow, SiteLine

LANE = 24
BAR = 18
TOP = 46


@dataclass(frozen=True)
class Span:
    """A project's months (start to start + duration - 1) and the lanes it takes."""

    key: str
    start: int
    duration: int
    lanes: int = 1


def pack(spans: list[Span]) -> tuple[dict[str, list[int]], int]:
    """Lanes for each span (the lowest free ones, by start month), and how many lanes in all."""
    free: list[int] = []  # lanes free now, lowest first
    busy: list[tuple[int, int]] = []  # (month the lane is free again, lane)
    count = 0
    taken: dict[str, list[int]] = {}
    for span in sorted(spans, key=lambda s: (s.start, -s.duration, s.key)):
        while busy and busy[0][0] <= span.start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        lanes = [heapq.heappop(free) for _ in range(min(span.lanes, len(free)))]
        while len(lanes) < span.lanes:
            lanes.append(count)
            count += 1
        for lane in lanes:
            heapq.heappush(busy, (span.start + span.duration, lane))
        taken[span.key] = sorted(lanes)
    return taken, count


@dataclass(frozen=True)
class GanttBar:
    """A project's bar in one lane."""

    x: float
    y: float
    width: float
    fill: str
    label: str
    title: str
    href: str | None
    pinned: bool


@dataclass(frozen=True)
class GanttRow:
    """A row heading (a site or a trade's crew) and the band it spans."""

    y: float
    height: float
    label: str
    sublabel: str
    title: str
    href: str | None
    shaded: bool


@dataclass
class Gantt:
    """A timeline's geometry."""

    width: float
    height: float
    left: float
    month_width: float
    top: float = TOP
    rows: list[GanttRow] = field(default_factory=list)
    bars: list[GanttBar] = field(default_factory=list)
    axis: list[MonthAxisLabel] = field(default_factory=list)
    grid: list[float] = field(default_factory=list)
    year_lines: list[float] = field(default_factory=list)
    legend: list[tuple[float, float, str, str]] = field(default_factory=list)
    legend_y: float = 0
    bar_height: float = BAR
    month_labels: list[str] = field(default_factory=list)


def system_colours(system_names: list[str]) -> dict[str, str]:
    """A colour per system, by the systems' order (so a system keeps its colour everywhere)."""
    return {name: PALETTE[index % len(PALETTE)] for index, name in enumerate(system_names)}


def _frame(month_labels: list[str], left: float) -> Gantt:
    """An empty timeline with its month columns."""
    months = len(month_labels)
    month_width = 64.0 if months <= 12 else max(24.0, 768 / months)
    chart = Gantt(
        width=left + month_width * months + 12, height=0, left=left, month_width=month_width
    )
    chart.month_labels = month_labels
    chart.axis = month_axis(month_labels, left, month_width)
    chart.grid = [left + month_width * m for m in range(months + 1)]
    chart.year_lines = [left + month_width * m for m in range(12, months, 12)]
    return chart


def _finish(chart: Gantt, lanes: int, colours: dict[str, str], used: set[str]) -> Gantt:
    """The legend (the systems shown, and the pinned outline if any), on as many lines as it
    takes, and the chart's height."""
    chart.legend_y = chart.top + LANE * lanes + 20
    entries = [(colours[name], clip(name, 150, 11)) for name in colours if name in used]
    if any(bar.pinned for bar in chart.bars):
        entries.append(("", "Pinned"))
    x, y = 8.0, chart.legend_y
    for colour, name in entries:
        width = 28 + len(name) * 6.5
        if x + width > chart.width and x > 8:
            x, y = 8.0, y + 20
        chart.legend.append((x, y, colour, name))
        x += width
    chart.height = y + 24
    return chart


def _bar(chart: Gantt, row: PlanRow, lane_y: float, label: str, colours: dict[str, str],
         href: str | None) -> GanttBar:  # fmt: skip
    """A project's bar at a lane, coloured by its system, clipped to the months shown."""
    labels = chart.month_labels
    first, last = max(row.start_month, 0), min(row.end_month, len(labels) - 1)
    width = chart.month_width * (last - first + 1) - 2
    when = labels[first] if first == last else f"{labels[first]} to {labels[last]}"
    title = f"{row.name} ({row.site_code}): {when}; {row.system_name}"
    return GanttBar(
        x=chart.left + chart.month_width * first + 1, y=lane_y + (LANE - BAR) / 2, width=width,
        fill=colours.get(row.system_name, PALETTE[-1]), label=clip(label, width - 6, 11),
        title=title + ("; pinned" if row.is_pinned else ""), href=href, pinned=row.is_pinned,
    )  # fmt: skip


def site_gantt(
    sites: list[SiteLine],
    rows: list[PlanRow],
    month_labels: list[str],
    colours: dict[str, str],
    links: Mapping[str, Callable[..., str | None]],
) -> Gantt:
    """A row per site (as many lanes as it has projects at once), a bar per project."""
    chart = _frame(month_labels, left=200)
    by_site: dict[int, list[PlanRow]] = {}
    for row in rows:
        by_site.setdefault(row.site_id, []).append(row)
    lane = 0
    for index, site in enumerate(sites):
        projects = by_site.get(site.site_id, [])
        taken, count = pack([Span(r.key, r.start_month, r.duration_months) for r in projects])
        count = max(count, 1)
        title = f"{site.code} {site.name}" + (f", {site.region_name}" if site.region_name else "")
        label = clip(f"{site.code} {site.name}", 186)
        chart.rows.append(GanttRow(chart.top + LANE * lane, LANE * count, label, "", title,
                                   links["site"](site.code), index % 2 == 1))  # fmt: skip
        for row in projects:
            y = chart.top + LANE * (lane + taken[row.key][0])
            href = links["project"](row.project_id)
            chart.bars.append(_bar(chart, row, y, row.upgrade_type_name, colours, href))
        lane += count
    return _finish(chart, lane, colours, {row.system_name for row in rows})


@dataclass(frozen=True)
class CrewLane:
    """One crew of a trade and the projects (by key) it works on."""

    trade: str
    number: int
    keys: tuple[str, ...]


def crew_lanes(
    trades: list[tuple[str, str]],
    spans: list[tuple[str, int, int]],
    crews_of: Mapping[str, Mapping[str, int]],
) -> list[CrewLane]:
    """Every trade's crews as lanes: (trade code, trade name) in order, spans (key, start,
    duration) of the projects shown, and each project's crews by trade code."""
    needing: dict[str, list[Span]] = {code: [] for code, _name in trades}
    for key, start, duration in spans:
        for code, crews in crews_of.get(key, {}).items():
            if code in needing and int(crews) > 0:
                needing[code].append(Span(key, start, duration, int(crews)))
    lanes: list[CrewLane] = []
    for code, name in trades:
        taken, count = pack(needing[code])
        keys_by_lane: list[list[str]] = [[] for _ in range(count)]
        for key, numbers in taken.items():
            for number in numbers:
                keys_by_lane[number].append(key)
        lanes.extend(CrewLane(name, n + 1, tuple(keys)) for n, keys in enumerate(keys_by_lane))
    return lanes


def trade_gantt(
    lanes: list[CrewLane],
    rows: Mapping[str, PlanRow],
    month_labels: list[str],
    colours: dict[str, str],
    links: Mapping[str, Callable[..., str | None]],
) -> Gantt:
    """A row per crew of each trade, the projects it works on labelled by site code; every
    second trade on a shaded band so trades read as groups."""
    chart = _frame(month_labels, left=170)
    shown: set[str] = set()
    trades_seen = 0
    for index, lane in enumerate(lanes):
        y = chart.top + LANE * index
        first = index == 0 or lanes[index - 1].trade != lane.trade
        trades_seen += first
        chart.rows.append(GanttRow(y, LANE, clip(lane.trade, 110) if first else "",
                                   f"crew {lane.number}", f"{lane.trade}, crew {lane.number}",
                                   None, trades_seen % 2 == 0))  # fmt: skip
        for row in (rows[key] for key in lane.keys if key in rows):
            shown.add(row.system_name)
            href = links["project"](row.project_id)
            chart.bars.append(_bar(chart, row, y, row.site_code, colours, href))
    return _finish(chart, len(lanes), colours, shown)


def gantt_svg(chart: Gantt, title: str) -> Markup:
    """A timeline as inline SVG."""
    return draw("gantt.svg", chart=chart, title=title)
