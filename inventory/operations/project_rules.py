"""What a project's numbers are made of, shared by projects added by hand and by generated
needs: cost and value from the catalogue's cost model, the funding source, the checks of a
project's months against its scenario, and the order projects must follow (no loops)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.enums import FundingKind
from inventory.errors import InvalidValue
from inventory.models import (
    FundingSource,
    Project,
    Scenario,
    Site,
    UpgradeType,
    project_predecessors,
    upgrade_type_prerequisites,
)
from inventory.operations.planning_checks import cycle_through

# What an upgrade's assets are called, by system code (anything else: "assets").
UNIT_NOUNS = {
    "wifi": ("access point", "access points"),
    "lan": ("switch", "switches"),
    "network_core": ("core device", "core devices"),
    "voice": ("phone", "phones"),
    "video": ("display", "displays"),
    "cameras": ("camera", "cameras"),
    "access_control": ("door device", "door devices"),
    "power": ("UPS", "UPS units"),
    "servers": ("server", "servers"),
    "cabling": ("cabling run", "cabling runs"),
}


def units(system_code: str, count: int) -> str:
    """'1 access point', '23 access points', '3 assets'."""
    singular, plural = UNIT_NOUNS.get(system_code, ("asset", "assets"))
    return f"{count:,} {singular if count == 1 else plural}"


def dollars(cents: int) -> str:
    """Cents as dollars for a sentence: '$1,100', '$2.50'."""
    if cents % 100:
        return f"${cents / 100:,.2f}"
    return f"${cents // 100:,}"


def cost_of(
    upgrade_type: UpgradeType, *, replaced: int, added: int, enrollment: int | None
) -> tuple[int, str]:
    """The catalogue's cost of a project, in cents, and how it was worked out:
    fixed + (replaced + added) x per asset + enrolled students x per student."""
    assets = replaced + added
    students = enrollment or 0
    cost = (
        upgrade_type.fixed_cost_cents
        + assets * upgrade_type.per_asset_cost_cents
        + students * upgrade_type.per_student_cost_cents
    )
    parts = []
    if upgrade_type.fixed_cost_cents:
        parts.append(f"{dollars(upgrade_type.fixed_cost_cents)} fixed")
    if upgrade_type.per_asset_cost_cents and assets:
        count = units(upgrade_type.system.code, assets)
        parts.append(f"{count} at {dollars(upgrade_type.per_asset_cost_cents)}")
    if upgrade_type.per_student_cost_cents and students:
        parts.append(f"{students:,} students at {dollars(upgrade_type.per_student_cost_cents)}")
    if not parts:
        return cost, "The catalogue gives this upgrade no cost."
    return cost, " + ".join(parts) + f" = {dollars(cost)}"


def value_of(upgrade_type: UpgradeType, *, overdue: int, replaced: int, added: int) -> int:
    """The value of doing a project: the weight for each asset replaced or added, twice for
    those already past end of life; at least the weight."""
    weight = upgrade_type.value_weight
    return max(weight, weight * (2 * overdue + (replaced - overdue) + added))


def funding_for(
    scenario: Scenario, upgrade_type: UpgradeType, site: Site | None = None
) -> FundingSource | None:
    """An E-Rate eligible upgrade at a school (a site with students: E-Rate budgets are the
    schools') draws on the scenario's E-Rate source when it has one; anything else on the
    default source (never E-Rate), or none."""
    sources = list(scenario.funding_sources)
    at_school = site is None or bool(site.enrollment)
    if upgrade_type.is_erate_eligible and at_school:
        erate = next((s for s in sources if s.kind is FundingKind.ERATE_C2), None)
        if erate is not None:
            return erate
    return next((s for s in sources if s.is_default and s.kind is not FundingKind.ERATE_C2), None)


def month_cleaner(scenario: Scenario, field: str, label: str) -> Callable[[Session, Any], Any]:
    """A cleaner for a month of the scenario (a month number), or None."""

    def clean(_session: Session, value: Any) -> int | None:
        """Blank is None; anything else must be one of the months."""
        if value is None or value == "":
            return None
        return check_month(scenario, value, field, label)

    return clean


def check_month(scenario: Scenario, value: Any, field: str, label: str) -> int:
    """A month number of the scenario, or InvalidValue saying which months it may be."""
    try:
        month = int(value)
    except (TypeError, ValueError):
        month = -1
    if isinstance(value, bool) or not 0 <= month < scenario.months:
        first, last = scenario.month_label(0), scenario.month_label(scenario.months - 1)
        raise InvalidValue(f"{label} must be a month from {first} to {last}.", field=field)
    return month


def months_cleaner(scenario: Scenario, field: str, label: str) -> Callable[[Session, Any], Any]:
    """A cleaner for a list of months of the scenario; an empty list is None (any month)."""

    def clean(_session: Session, value: Iterable[Any] | None) -> list[int] | None:
        """Sorted, without repeats."""
        if not value:
            return None
        return sorted({check_month(scenario, item, field, label) for item in value})

    return clean


def check_timing(scenario: Scenario, values: dict[str, Any]) -> None:
    """The earliest start, the last month and the allowed starts leave room for the work."""
    duration = values["duration_months"]
    earliest = values.get("earliest_month") or 0
    latest = values.get("latest_month")
    last = scenario.months - 1 if latest is None else latest
    label = scenario.month_label
    if latest is not None and latest < earliest:
        raise InvalidValue(
            f"The last month ({label(latest)}) is before the earliest start ({label(earliest)}).",
            field="latest_month",
        )
    if last - earliest + 1 < duration:
        raise InvalidValue(
            f"From {label(earliest)} to {label(last)} is {last - earliest + 1} months, too "
            f"short for {duration} months of work.",
            field="latest_month" if latest is not None else "duration_months",
        )
    allowed = values.get("allowed_start_months")
    if allowed and not any(earliest <= s and s + duration - 1 <= last for s in allowed):
        raise InvalidValue(
            f"None of the allowed start months lets {duration} months of work fit between "
            f"{label(earliest)} and {label(last)}.",
            field="allowed_start_months",
        )


def hand_links(session: Session, scenario_id: int) -> dict[int, set[int]]:
    """Project id -> the projects it was set to follow by hand."""
    graph: dict[int, set[int]] = defaultdict(set)
    links = session.execute(
        select(project_predecessors.c.project_id, project_predecessors.c.predecessor_id)
        .join(Project, Project.id == project_predecessors.c.project_id)
        .where(Project.scenario_id == scenario_id)
    )
    for project_id, predecessor_id in links:
        graph[project_id].add(predecessor_id)
    return graph


def catalogue_links(session: Session, scenario_id: int) -> dict[int, set[int]]:
    """Project id -> the projects at the same site whose upgrade type the catalogue says must
    come first (the adapter adds these to the hand-set ones)."""
    rows = session.execute(
        select(Project.id, Project.site_id, Project.upgrade_type_id).where(
            Project.scenario_id == scenario_id
        )
    ).all()
    by_site_and_type = {(site_id, type_id): project_id for project_id, site_id, type_id in rows}
    firsts: dict[int, set[int]] = defaultdict(set)
    for type_id, prerequisite_id in session.execute(select(upgrade_type_prerequisites)):
        firsts[type_id].add(prerequisite_id)
    graph: dict[int, set[int]] = defaultdict(set)
    for project_id, site_id, type_id in rows:
        for prerequisite_id in firsts.get(type_id, ()):
            first = by_site_and_type.get((site_id, prerequisite_id))
            if first is not None:
                graph[project_id].add(first)
    return graph


def project_graph(session: Session, scenario_id: int, *, hand: dict | None = None) -> dict:
    """Project id -> every project it must follow: by hand (`hand`, else as stored) and from
    the catalogue."""
    graph = hand_links(session, scenario_id) if hand is None else hand
    for project_id, firsts in catalogue_links(session, scenario_id).items():
        graph[project_id] = set(graph.get(project_id, set())) | firsts
    return graph


def refuse_loop(session: Session, project: Project, graph: dict | None = None) -> None:
    """No chain of projects each following the next may lead back to the project."""
    graph = project_graph(session, project.scenario_id) if graph is None else graph
    loop = cycle_through(graph, project.id)
    if loop:
        query = select(Project.id, Project.name).where(Project.id.in_(loop))
        names = dict(session.execute(query).all())
        chain = ", which comes after ".join(names[item] for item in loop)
        raise InvalidValue(f"That would make a loop: {chain}.", field="predecessors")
