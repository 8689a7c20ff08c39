"""The time-indexed CP-SAT model: a yes/no choice per project and start period, a rule per function.

A decision ``x[p, s]`` says "project p starts in period s". Rules that only depend on the project
itself (horizon, earliest start, latest end, allowed months, pinned month, blackouts) prune the
start periods offered; the others become linear constraints over the choices. When ``guarded`` is
set, each requirement and cap is switched on by its own literal so that a conflict can be named.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.problem import Problem, Project
from scheduler.site_sets import site_patterns as listed_site_patterns

Domains = dict[str, list[int]]


class ModelStopped(Exception):
    """Building stopped because the caller asked (cancel or out of time)."""


@dataclass
class Vars:
    """The model's decisions and the guard literals of its switchable rules."""

    x: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    starts: Domains = field(default_factory=dict)
    guards: dict[str, cp_model.IntVar] | None = None
    makespan: cp_model.IntVar | None = None
    stop: Callable[[], bool] | None = None
    ticks: int = 0

    def tick(self) -> None:
        """Raise ModelStopped when the caller asks to stop (polled every few projects)."""
        self.ticks += 1
        if self.stop is not None and self.ticks % 20 == 0 and self.stop():
            raise ModelStopped

    def chosen(self, project: Project) -> cp_model.LinearExprT:
        """1 when the project is in the plan."""
        return sum(self.x[project.id, s] for s in self.starts[project.id])

    def covering(self, project: Project, period: int) -> list[cp_model.IntVar]:
        """Choices that make the project active in `period`."""
        return [
            self.x[project.id, s]
            for s in self.starts[project.id]
            if s <= period < s + project.duration
        ]

    def guard(self, model: cp_model.CpModel, name: str) -> list[cp_model.IntVar]:
        """Enforcement literals for a switchable rule (none when the model is not guarded)."""
        if self.guards is None:
            return []
        if name not in self.guards:
            self.guards[name] = model.new_bool_var(name)
        return [self.guards[name]]


def build_model(
    problem: Problem,
    *,
    guarded: bool = False,
    baseline: Mapping[str, int] | None = None,
    move_penalty: int = 0,
    stop: Callable[[], bool] | None = None,
    site_patterns: bool = False,
) -> tuple[cp_model.CpModel, Vars]:
    """The time-indexed model of the problem with its objective.

    Building is quadratic in the horizon for some rules; with `stop`, it raises ModelStopped as
    soon as `stop()` turns true (checked every few projects). `site_patterns` adds the redundant
    per-site choice of a feasible set of projects (a tighter relaxation, for small problems).
    """
    model = cp_model.CpModel()
    domains: Domains = {p.id: list(range(problem.horizon)) for p in problem.projects}
    for prune in (
        _add_horizon_and_latest_end,
        _add_earliest_start,
        _add_allowed_start_periods,
        _add_pinned_start,
        _add_blackouts,
    ):
        prune(problem, domains)
    v = Vars(starts=domains, guards={} if guarded else None, stop=stop)
    for project in problem.projects:
        v.tick()
        for start in domains[project.id]:
            v.x[project.id, start] = model.new_bool_var(f"x[{project.id},{start}]")
        model.add_at_most_one(v.x[project.id, s] for s in domains[project.id])
    for rule in (
        _add_required_projects,
        _add_predecessors,
        _add_crew_capacity,
        _add_site_concurrency,
        _add_monthly_budget,
        _add_annual_budget,
        _add_funding_caps,
        _add_site_budget_caps,
    ):
        if stop is not None and stop():
            raise ModelStopped
        rule(model, problem, v)
    if site_patterns:
        _add_site_patterns(model, problem, v)
    if problem.objective == "min_makespan":
        _add_makespan_objective(model, problem, v)
    else:
        _add_value_objective(model, problem, v, baseline or {}, move_penalty)
    return model, v


def _add_horizon_and_latest_end(problem: Problem, domains: Domains) -> None:
    """A project ends by its latest end and by the end of the horizon."""
    for project in problem.projects:
        last = problem.end_limit(project) - project.duration
        domains[project.id] = [s for s in domains[project.id] if s <= last]


def _add_earliest_start(problem: Problem, domains: Domains) -> None:
    """A project starts no earlier than its earliest start."""
    for project in problem.projects:
        domains[project.id] = [s for s in domains[project.id] if s >= project.earliest]


def _add_allowed_start_periods(problem: Problem, domains: Domains) -> None:
    """A project with a list of allowed start months starts in one of them (work windows)."""
    for project in problem.projects:
        if project.allowed_start_periods is not None:
            allowed = project.allowed_start_periods
            domains[project.id] = [s for s in domains[project.id] if s in allowed]


def _add_pinned_start(problem: Problem, domains: Domains) -> None:
    """A pinned project (already started or decided) can only start in its pinned month."""
    for project in problem.projects:
        if project.pinned_start is not None:
            domains[project.id] = [s for s in domains[project.id] if s == project.pinned_start]


def _add_blackouts(problem: Problem, domains: Domains) -> None:
    """No work during a district blackout month or a blackout month of the project's site."""
    for project in problem.projects:
        blackouts = problem.blackouts_for(project)
        if blackouts:
            domains[project.id] = [
                s
                for s in domains[project.id]
                if not any(s + k in blackouts for k in range(project.duration))
            ]


def _add_required_projects(model: cp_model.CpModel, problem: Problem, v: Vars) -> None:
    """Mandatory and pinned projects are in the plan; under min_makespan, every project is."""
    for project in problem.projects:
        if project.pinned_start is not None:
            name = f"pinned:{project.id}"
        elif project.mandatory:
            name = f"mandatory:{project.id}"
        elif problem.objective == "min_makespan":
            name = f"all_projects:{project.id}"
        else:
            continue
        model.add(v.chosen(project) == 1).only_enforce_if(v.guard(model, name))


def _add_predecessors(model: cp_model.CpModel, problem: Problem, v: Vars) -> None:
    """A successor starts after its predecessors end, and is planned only if they are.

    For every start s of the successor: "started by s" <= "predecessor ended by s". Written out
    this is quadratic in the number of starts, fine for 12 months but not for long horizons:
    past COMPACT_LINK_SIZE it goes through running sums ("started by s" variables, one per start)
    instead, the same constraint with two terms each.
    """
    projects = problem.project_by_id
    running: dict[str, dict[int, cp_model.LinearExprT]] = {}
    for project in problem.projects:
        v.tick()
        for other_id in project.after:
            other = projects[other_id]
            mine, theirs = v.starts[project.id], v.starts[other.id]
            if len(mine) * len(theirs) <= COMPACT_LINK_SIZE:
                for start in mine:
                    started_by = [v.x[project.id, s] for s in mine if s <= start]
                    ended_by = [v.x[other.id, s] for s in theirs if s + other.duration <= start]
                    model.add(sum(started_by) <= sum(ended_by))
                continue
            started = _running_sums(model, v, project.id, running)
            ended = _running_sums(model, v, other.id, running)
            for start in mine:
                index = bisect_right(theirs, start - other.duration) - 1
                model.add(started[start] <= (ended[theirs[index]] if index >= 0 else 0))


COMPACT_LINK_SIZE = 400  # start pairs of a predecessor link past which running sums are used


def _running_sums(
    model: cp_model.CpModel,
    v: Vars,
    pid: str,
    cache: dict[str, dict[int, cp_model.LinearExprT]],
) -> dict[int, cp_model.LinearExprT]:
    """For each start s of the project, a 0/1 expression "started by s" (built once)."""
    if pid not in cache:
        sums: dict[int, cp_model.LinearExprT] = {}
        previous: cp_model.LinearExprT | None = None
        for start in v.starts[pid]:
            if previous is None:
                previous = v.x[pid, start]
            else:
                total = model.new_int_var(0, 1, f"started_by[{pid},{start}]")
                model.add(total == previous + v.x[pid, start])
                previous = total
            sums[start] = previous
        cache[pid] = sums
    return cache[pid]


def _add_crew_capacity(model: cp_model.CpModel, problem: Problem, v: Vars) -> None:
    """In every month, the crews a trade has are enough for the projects under way."""
    demand: dict[tuple[str, int], list] = defaultdict(list)
    for project in problem.projects:
        v.tick()
        for start in v.starts[project.id]:
            for period in range(start, start + project.duration):
                for trade, units in project.crews.items():
                    if units:
                        demand[trade, period].append(units * v.x[project.id, start])
    for (trade, period), terms in demand.items():
        capacity = problem.trades[trade][period]
        model.add(sum(terms) <= capacity).only_enforce_if(v.guard(model, f"crews:{trade}"))


def _add_site_concurrency(model: cp_model.CpModel, problem: Problem, v: Vars) -> None:
    """At most the site's limit of projects (usually one) are active at a site at once."""
    active: dict[tuple[str, int], list] = defaultdict(list)
    for project in problem.projects:
        v.tick()
        if project.site is None:
            continue
        for start in v.starts[project.id]:
            for period in range(start, start + project.duration):
                active[project.site, period].append(v.x[project.id, start])
    sites = problem.site_by_id
    for (site, _period), terms in active.items():
        limit = sites[site].max_concurrent
        if len(terms) <= limit:
            continue
        guard = v.guard(model, f"site_concurrency:{site}")
        if limit == 1 and not guard:
            model.add_at_most_one(terms)
        else:
            model.add(sum(terms) <= limit).only_enforce_if(guard)


def _add_monthly_budget(model: cp_model.CpModel, problem: Problem, v: Vars) -> None:
    """The cost of projects starting in a month (their purchase orders) fits that month's cap."""
    if problem.monthly_budget is None:
        return
    spend: dict[int, list] = defaultdict(list)
    for project in problem.projects:
        if project.cost:
            for start in v.starts[project.id]:
                spend[start].append(project.cost * v.x[project.id, start])
    for period, terms in spend.items():
        cap = problem.monthly_budget[period]
        model.add(sum(terms) <= cap).only_enforce_if(v.guard(model, f"monthly_budget:{period}"))


def _add_annual_budget(model: cp_model.CpModel, problem: Problem, v: Vars) -> None:
    """The plan's total cost fits the annual program budget."""
    if problem.annual_budget is None:
        return
    total = [p.cost * v.chosen(p) for p in problem.projects if p.cost and v.starts[p.id]]
    if total:
        guard = v.guard(model, "annual_budget")
        model.add(sum(total) <= problem.annual_budget).only_enforce_if(guard)


def _add_funding_caps(model: cp_model.CpModel, problem: Problem, v: Vars) -> None:
    """Projects paid by a funding source (bond, E-Rate...) stay within that source's cap."""
    charged: dict[str, list] = defaultdict(list)
    for project in problem.projects:
        if project.funding in problem.funding_caps and project.cost and v.starts[project.id]:
            charged[project.funding].append(project.cost * v.chosen(project))
    for source, terms in charged.items():
        guard = v.guard(model, f"funding_cap:{source}")
        model.add(sum(terms) <= problem.funding_caps[source]).only_enforce_if(guard)


def _add_site_budget_caps(model: cp_model.CpModel, problem: Problem, v: Vars) -> None:
    """The projects planned at a site fit the site's own budget (e.g. its E-Rate C2 balance)."""
    spent: dict[str, list] = defaultdict(list)
    for project in problem.projects:
        if project.site is not None and project.cost and v.starts[project.id]:
            spent[project.site].append(project.cost * v.chosen(project))
    for site_id, terms in spent.items():
        cap = problem.site_by_id[site_id].budget_cap
        if cap is not None:
            guard = v.guard(model, f"site_budget:{site_id}")
            model.add(sum(terms) <= cap).only_enforce_if(guard)


def _add_site_patterns(model: cp_model.CpModel, problem: Problem, v: Vars) -> None:
    """Redundant: each site plans exactly one of its feasible sets of projects.

    A set is feasible when its projects fit the site's budget cap and can all start in their
    allowed months without exceeding the site's concurrency, predecessors at the site first.
    Other rules are ignored (so no plan is cut off); the LP relaxation can no longer split a
    site's budget or months between projects that cannot go together.
    """
    for projects, maximal in listed_site_patterns(problem, v.starts, v.tick):
        pattern = [model.new_bool_var(f"site_set[{projects[0].site},{mask}]") for mask in maximal]
        model.add_at_most_one(pattern)
        for index, project in enumerate(projects):
            covering = [y for y, mask in zip(pattern, maximal, strict=True) if mask >> index & 1]
            model.add(v.chosen(project) <= sum(covering))


def _add_value_objective(
    model: cp_model.CpModel,
    problem: Problem,
    v: Vars,
    baseline: Mapping[str, int],
    move_penalty: int,
) -> None:
    """Maximise the value of what gets done, less a penalty for moving baseline projects."""
    terms = [p.value * v.chosen(p) for p in problem.projects if p.value and v.starts[p.id]]
    if move_penalty and baseline:
        for project in problem.projects:
            if project.id in baseline and project.pinned_start is None:
                base = baseline[project.id]
                moved = [abs(s - base) * v.x[project.id, s] for s in v.starts[project.id]]
                dropped = problem.horizon * (1 - v.chosen(project))
                terms.append(-move_penalty * (sum(moved) + dropped))
    model.maximize(sum(terms))


def _add_makespan_objective(model: cp_model.CpModel, problem: Problem, v: Vars) -> None:
    """Finish everything as early as possible: minimise the end of the last project."""
    v.makespan = model.new_int_var(0, problem.horizon, "makespan")
    for project in problem.projects:
        ends = [(s + project.duration) * v.x[project.id, s] for s in v.starts[project.id]]
        model.add(v.makespan >= sum(ends))
    model.minimize(v.makespan)


def value_of(problem: Problem, starts: Mapping[str, int]) -> int:
    """Total value of a plan given by start periods."""
    return sum(problem.project_by_id[pid].value for pid in starts)


def read_starts(solver_values, v: Vars) -> dict[str, int]:
    """Start periods of the chosen projects from a solver or solution callback's values."""
    chosen = [key for key, var in v.x.items() if solver_values(var)]
    return dict(chosen)
