"""The one place that knows both sides: a scenario's rows become a `scheduler.Problem`, and the
optimiser's `Solution` becomes plan rows.

The optimiser works in whole dollars (costs rounded up, budgets rounded down, so a plan that fits
in dollars fits in cents) and in the scenario's months (period 0 = its first month). Project ids
are `SITECODE:UPGRADECODE`, unique in a scenario because a site has one project per upgrade type;
site ids are site codes; trade ids are trade codes; funding ids are source codes (an E-Rate
source kept per school is `CODE@SITECODE`, capped by that school's budget).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.planning.funding import dollars_down, dollars_up, funding_of
from inventory.errors import InvalidValue
from inventory.models import (
    Plan,
    Project,
    Scenario,
    Site,
    UpgradeType,
    UpgradeTypeCrew,
    User,
    project_predecessors,
    upgrade_type_prerequisites,
)
from inventory.operations.plans import (
    LeftOutProject,
    PlannedProject,
    PlanOutcome,
    record_plan,
)
from scheduler import Assignment, Problem, Solution, check
from scheduler import Project as OptimiserProject
from scheduler import Site as OptimiserSite
from scheduler.io import problem_to_dict


@dataclass
class Ids:
    """How the optimiser's ids map back to rows (and the rows' facts the plan rows copy)."""

    projects: dict[str, int] = field(default_factory=dict)  # project key -> project id
    sites: dict[str, int] = field(default_factory=dict)  # site code -> site id
    trades: dict[str, int] = field(default_factory=dict)  # trade code -> trade id
    funding: dict[str, int] = field(default_factory=dict)  # funding key -> source id
    cost_cents: dict[str, int] = field(default_factory=dict)  # project key -> cost in cents

    @property
    def keys(self) -> dict[int, str]:
        """Project id -> project key."""
        return {project_id: key for key, project_id in self.projects.items()}


def problem_for(session: Session, scenario: Scenario) -> tuple[Problem, Ids]:
    """The scenario as the optimiser sees it (withdrawn projects left out)."""
    horizon = scenario.months
    projects = _load_projects(session, scenario)
    ids = Ids()
    keys = {project.id: project.key for project in projects}
    after = _predecessors(session, scenario, projects, keys)
    windows = [set(window.months) for window in scenario.windows]
    funding, caps = funding_of(session, scenario, projects, ids)
    trades = _trades(scenario, projects, ids)
    sites = _sites(scenario, projects, ids)
    optimiser_projects = []
    for project in projects:
        key = keys[project.id]
        ids.projects[key] = project.id
        ids.cost_cents[key] = project.cost_cents
        optimiser_projects.append(
            OptimiserProject(
                id=key,
                duration=project.duration_months,
                cost=dollars_up(project.cost_cents),
                value=project.value,
                site=project.site.code,
                crews={need.trade.code: need.crews for need in project.upgrade_type.crew_needs},
                mandatory=project.is_mandatory,
                earliest=max(0, project.earliest_month or 0),
                latest_end=None if project.latest_month is None else project.latest_month + 1,
                allowed_start_periods=_allowed_starts(project, windows, horizon),
                after=tuple(after.get(project.id, ())),
                pinned_start=project.pinned_month,
                funding=funding.get(project.id),
            )
        )
    try:
        problem = Problem(
            horizon=horizon,
            projects=tuple(optimiser_projects),
            sites=tuple(sites),
            trades=trades,
            annual_budget=_annual_budget(scenario),
            monthly_budget=_monthly_budget(scenario, projects),
            funding_caps=caps,
            blackout_periods=frozenset(m for m in scenario.blackout_months if 0 <= m < horizon),
        )
    except ValueError as error:  # e.g. a pin past the horizon, a cycle of predecessors
        raise InvalidValue(f"The scenario's inputs do not fit together: {error}.") from None
    return problem, ids


def _load_projects(session: Session, scenario: Scenario) -> list[Project]:
    """The scenario's projects in the plan, with what the problem needs, in a stable order."""
    query = (
        select(Project)
        .join(Site, Project.site_id == Site.id)
        .join(UpgradeType, Project.upgrade_type_id == UpgradeType.id)
        .where(Project.scenario_id == scenario.id, Project.is_withdrawn.is_(False))
        .options(
            selectinload(Project.site),
            selectinload(Project.upgrade_type)
            .selectinload(UpgradeType.crew_needs)
            .selectinload(UpgradeTypeCrew.trade),
            selectinload(Project.funding_source),
        )
        .order_by(Site.code, UpgradeType.code)
    )
    return list(session.scalars(query))


def _predecessors(
    session: Session, scenario: Scenario, projects: list[Project], keys: dict[int, str]
) -> dict[int, list[str]]:
    """Each project's predecessors: those set by hand, and the projects at the same site whose
    upgrade type the catalogue says must come first."""
    after: dict[int, list[str]] = defaultdict(list)
    links = session.execute(
        select(project_predecessors.c.project_id, project_predecessors.c.predecessor_id)
        .join(Project, Project.id == project_predecessors.c.project_id)
        .where(Project.scenario_id == scenario.id)
    )
    for project_id, predecessor_id in links:
        if project_id in keys and predecessor_id in keys:  # a withdrawn one no longer binds
            after[project_id].append(keys[predecessor_id])
    prerequisites: dict[int, set[int]] = defaultdict(set)
    for type_id, prerequisite_id in session.execute(select(upgrade_type_prerequisites)):
        prerequisites[type_id].add(prerequisite_id)
    by_site_and_type = {(p.site_id, p.upgrade_type_id): p.id for p in projects}
    for project in projects:
        for prerequisite_id in sorted(prerequisites.get(project.upgrade_type_id, ())):
            first = by_site_and_type.get((project.site_id, prerequisite_id))
            if first is not None and keys[first] not in after[project.id]:
                after[project.id].append(keys[first])
    return after


def _allowed_starts(
    project: Project, windows: list[set[int]], horizon: int
) -> frozenset[int] | None:
    """The months the project may start in: its own list, and for disruptive work only the
    starts whose every month falls inside one work window."""
    allowed = None
    if project.allowed_start_months is not None:
        allowed = {m for m in project.allowed_start_months if 0 <= m < horizon}
    if project.upgrade_type.is_disruptive:
        fitting = {
            start
            for start in range(horizon)
            if any(
                all(start + k in window for k in range(project.duration_months))
                for window in windows
            )
        }
        allowed = fitting if allowed is None else allowed & fitting
    return None if allowed is None else frozenset(allowed)


def _trades(scenario: Scenario, projects: list[Project], ids: Ids) -> dict[str, list[int]]:
    """Crews per month of each trade; a trade a project needs but the scenario lacks has none."""
    horizon = scenario.months
    trades: dict[str, list[int]] = {}
    for row in scenario.trades:
        crews = [int(c or 0) for c in row.crews_by_month][:horizon]
        trades[row.trade.code] = crews + [crews[-1] if crews else 0] * (horizon - len(crews))
        ids.trades[row.trade.code] = row.trade_id
    for project in projects:
        for need in project.upgrade_type.crew_needs:
            if need.trade.code not in trades:
                trades[need.trade.code] = [0] * horizon
                ids.trades[need.trade.code] = need.trade_id
    return trades


def _sites(scenario: Scenario, projects: list[Project], ids: Ids) -> list[OptimiserSite]:
    """The sites with projects: how many projects at once, and their blackout months."""
    settings = {row.site_id: row for row in scenario.site_settings}
    sites = []
    for project in projects:
        site = project.site
        if site.code in ids.sites:
            continue
        ids.sites[site.code] = site.id
        own = settings.get(site.id)
        limit = own.max_concurrent if own is not None and own.max_concurrent is not None else None
        blackouts = own.blackout_months if own is not None else []
        sites.append(
            OptimiserSite(
                id=site.code,
                max_concurrent=scenario.default_max_concurrent if limit is None else limit,
                blackout_periods=frozenset(m for m in blackouts if 0 <= m < scenario.months),
            )
        )
    return sites


def _annual_budget(scenario: Scenario) -> int | None:
    """The program budget: one year's, or over several years their total (each year's own
    limit is shown against its spending on the plan page)."""
    budgets = list(scenario.annual_budgets_cents or [])[: scenario.years]
    if not budgets or any(b is None for b in budgets) or len(budgets) < scenario.years:
        return None
    return dollars_down(sum(int(b) for b in budgets))


def _monthly_budget(scenario: Scenario, projects: list[Project]) -> list[int] | None:
    """The cap of each month; a month without a cap gets one no plan can reach."""
    caps = list(scenario.monthly_caps_cents or [])[: scenario.months]
    if not any(c is not None for c in caps):
        return None
    no_limit = sum(dollars_up(p.cost_cents) for p in projects) + 1
    caps += [None] * (scenario.months - len(caps))
    return [no_limit if c is None else dollars_down(int(c)) for c in caps]


def hint_from(plan: Plan, ids: Ids) -> Solution:
    """A stored plan as a starting point for a re-plan of the scenario's current problem."""
    keys = ids.keys
    assignments = tuple(
        Assignment(keys[row.project_id], row.start_month)
        for row in plan.assignments
        if row.project_id in keys
    )
    return Solution("feasible", objective=plan.value, assignments=assignments)


def store_plan(
    session: Session,
    scenario: Scenario,
    problem: Problem,
    ids: Ids,
    solution: Solution,
    *,
    by: User | None,
    time_limit_s: float,
    based_on: Plan | None = None,
    move_penalty: int = 0,
    stopped_early: bool = False,
    job_id: int | None = None,
    inputs_revision: int | None = None,
) -> Plan:
    """A new plan version from the optimiser's answer (an operation: flushes, never commits).

    The independent checker re-verifies every rule first: a plan that breaks one is never stored.
    """
    violations = check(problem, solution)
    if violations:
        shown = "; ".join(str(v) for v in violations[:3])
        raise InvalidValue(f"The plan breaks {len(violations)} rule(s) and was not stored: {shown}")
    projects = problem.project_by_id
    assignments = [
        PlannedProject(
            project_id=ids.projects[item.project],
            key=item.project,
            start_month=item.start,
            duration_months=projects[item.project].duration,
            cost_cents=ids.cost_cents[item.project],
            value=projects[item.project].value,
            is_pinned=projects[item.project].pinned_start is not None,
        )
        for item in solution.assignments
    ]
    left_out = [
        LeftOutProject(
            project_id=ids.projects[item.project],
            key=item.project,
            reason=item.reason,
            limit_key=item.limit[:200],
            cost_cents=ids.cost_cents[item.project],
            value=projects[item.project].value,
        )
        for item in solution.unscheduled
    ]
    outcome = PlanOutcome(
        status=solution.status,
        value=int(solution.objective or 0),
        bound=solution.bound if solution.bound is None or math.isfinite(solution.bound) else None,
        runtime_s=solution.runtime_s,
        time_limit_s=time_limit_s,
        method=solution.method,
        problem=problem_to_dict(problem),
        inputs_revision=scenario.inputs_revision if inputs_revision is None else inputs_revision,
        assignments=assignments,
        left_out=left_out,
        stats=_plain_stats(solution),
        based_on=based_on,
        move_penalty=move_penalty,
        stopped_early=stopped_early,
        job_id=job_id,
    )
    return record_plan(session, scenario, by=by, outcome=outcome)


def _plain_stats(solution: Solution) -> dict[str, object]:
    """The search figures as JSON can hold them."""
    plain: dict[str, object] = {}
    for key, value in solution.stats.items():
        if isinstance(value, bool | int | str) or value is None:
            plain[str(key)] = value
        elif isinstance(value, float):
            plain[str(key)] = value if math.isfinite(value) else None
    return plain
