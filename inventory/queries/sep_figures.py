"""The figures of the SEP document (sep_document.py): groups with their projects, sites and cost,
months, fiscal years, trades, managers, systems, kinds of work, sites; and the accountability
measures the PMO tracks, in code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from inventory.queries.published import PublishedProject

NOT_ASSIGNED = "Not yet assigned"
NO_REGION = "No region"
NO_FUNDING = "No funding source named"


@dataclass(frozen=True)
class Measure:
    """An accountability measure the PMO tracks for every project, and how it is measured."""

    name: str
    how_measured: str
    target: str


MEASURES = (
    Measure("On-time start", "Actual start date against the first day of the planned start "
            "month.", "Started within the planned month"),
    Measure("On budget", "Actual cost against the planned cost (cost variance in dollars and "
            "percent).", "Within 5% of the planned cost"),
    Measure("Completed within the planned months", "Actual finish date against the last day "
            "of the planned end month.", "Finished by the end of the planned last month"),
    Measure("Safety and disruption incidents", "Incidents reported by the site or the crew "
            "while the work is under way (injuries, outages, lessons disrupted).", "None"),
    Measure("Lessons learned recorded", "Lessons learned entered when the project closes.",
            "Recorded for every closed project"),
    Measure("Inventory updated", "Replaced assets retired and new assets recorded with tags "
            "and serial numbers at the site.", "Within a month of completion"),
)  # fmt: skip


@dataclass
class Tally:
    """Projects, sites and cost of a group (a month, a funding source, a system, a region)."""

    name: str
    projects: int = 0
    cost_cents: int = 0
    site_ids: set[int] = field(default_factory=set)

    @property
    def sites(self) -> int:
        """How many sites the group's projects are at."""
        return len(self.site_ids)

    def add(self, project: PublishedProject) -> None:
        """Count a project in the group."""
        self.projects += 1
        self.cost_cents += project.cost_cents
        self.site_ids.add(project.site_id)


@dataclass
class MonthLine:
    """A month of the schedule: what starts (and its cost, charged when it starts), what is under
    way, where, and which trades' crews are busy."""

    month: int
    label: str
    starts_on: dt.date
    starting: int = 0
    under_way: int = 0
    cost_cents: int = 0
    sites_starting: set[int] = field(default_factory=set)
    sites_busy: set[int] = field(default_factory=set)
    by_region: dict[str, Tally] = field(default_factory=dict)  # what starts, by region


@dataclass(frozen=True)
class YearLine:
    """A fiscal year: its budget and the cost of what starts in it."""

    name: str
    budget_cents: int | None
    cost_cents: int
    projects: int


@dataclass(frozen=True)
class TradeLine:
    """A trade's crews available and busy in each month of the plan."""

    name: str
    available: list[int]
    busy: list[int]


@dataclass
class ManagerLine:
    """An accountable project manager (or nobody yet) and what they are accountable for."""

    name: str
    email: str | None
    phone: str | None
    projects: int = 0
    cost_cents: int = 0
    site_ids: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class SystemLine:
    """An infrastructure system: active assets, sites that have it, projects planned on it."""

    name: str
    active_assets: int
    sites: int
    projects: int
    cost_cents: int


@dataclass
class UpgradeLine:
    """A kind of work in the plan, in plain words, with how often and how much."""

    name: str
    system_name: str
    description: str | None
    is_disruptive: bool
    trades: tuple[str, ...]
    projects: int = 0
    cost_cents: int = 0


@dataclass
class SiteScope:
    """A site and the plan's projects there, by start month."""

    site_id: int
    code: str
    name: str
    region_name: str
    projects: list[PublishedProject] = field(default_factory=list)

    @property
    def cost_cents(self) -> int:
        """The cost of the plan's projects at the site."""
        return sum(project.cost_cents for project in self.projects)
