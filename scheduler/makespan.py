"""The interval-based CP-SAT model for `min_makespan` (the PSPLIB/RCPSP case).

Every project must be scheduled; crews are cumulative resources, sites hold at most their limit of
projects at once, and the objective is the end of the last project. The model also carries the
lower bound of `sgs.lower_bound` (critical path, every resource's total work) and, for each
project, "the makespan is at least its start plus its longest chain of successors", so CP-SAT
stops as soon as a schedule reaches the bound.

`solve_min_makespan` is the whole search: the best of the caller's plan, the greedy plan and a
schedule-generation heuristic with forward-backward justification (`sgs.py`) becomes the hint and
the upper bound, then one CP-SAT run uses the time left.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.greedy import objective_of
from scheduler.problem import Problem
from scheduler.runner import Control, default_workers, make_solution, run_cp_sat
from scheduler.sgs import Instance, critical_path, heuristic_schedule, lower_bound
from scheduler.solution import Solution

HEURISTIC_SHARE = 0.03  # of the time limit, for the schedule-generation heuristic
HEURISTIC_MAX_S = 0.3
MAKESPAN_PARAMS: dict[str, object] = {}  # CP-SAT parameters for the whole-model run
# Up to this many projects (PSPLIB j30) the interval model is tiny, and when the caller names no
# worker count CP-SAT gets SMALL_MODEL_WORKERS threads even on 2 cores: three full-search
# subsolvers (default_lp, fixed, no_lp) beside the neighbourhoods find the hard j30 optima that
# one full search and the neighbourhoods miss (docs/scheduler-measurements.md, "PSPLIB").
SMALL_MODEL_PROJECTS = 40
SMALL_MODEL_WORKERS = 4


@dataclass
class IntervalVars:
    """Start variables, their intervals and the makespan."""

    start: dict[str, cp_model.IntVar] = field(default_factory=dict)
    interval: dict[str, cp_model.IntervalVar] = field(default_factory=dict)
    makespan: cp_model.IntVar | None = None


def build_makespan_model(
    problem: Problem, *, upper_bound: int | None = None
) -> tuple[cp_model.CpModel, IntervalVars]:
    """The interval model of a min_makespan problem (every project planned).

    With `upper_bound`, only schedules ending by then are allowed.
    """
    model = cp_model.CpModel()
    v = IntervalVars()
    for project in problem.projects:
        starts = problem.static_starts(project)
        if not starts:
            model.add_bool_or([])  # no start period at all: the problem is infeasible
        domain = cp_model.Domain.from_values(starts or [0])
        v.start[project.id] = model.new_int_var_from_domain(domain, f"start[{project.id}]")
        v.interval[project.id] = model.new_fixed_size_interval_var(
            v.start[project.id], project.duration, f"active[{project.id}]"
        )
    for rule in (
        _add_predecessors,
        _add_crew_capacity,
        _add_site_concurrency,
        _add_monthly_budget,
        _add_fixed_budgets,
        _add_makespan_objective,
        _add_makespan_bounds,
    ):
        rule(model, problem, v)
    if upper_bound is not None:
        model.add(v.makespan <= upper_bound)
    return model, v


def _add_predecessors(model: cp_model.CpModel, problem: Problem, v: IntervalVars) -> None:
    """A successor starts no earlier than the end of each of its predecessors."""
    projects = problem.project_by_id
    for project in problem.projects:
        for other in project.after:
            model.add(v.start[project.id] >= v.start[other] + projects[other].duration)


def _add_crew_capacity(model: cp_model.CpModel, problem: Problem, v: IntervalVars) -> None:
    """Each trade's crews in use never exceed its capacity (which may vary by month)."""
    for trade, capacity in problem.trades.items():
        users = [p for p in problem.projects if p.crews.get(trade, 0) > 0 and p.duration > 0]
        if not users:
            continue
        peak = max(capacity)
        intervals = [v.interval[p.id] for p in users]
        demands = [p.crews[trade] for p in users]
        for period, cap in enumerate(capacity):
            if cap < peak:
                intervals.append(
                    model.new_fixed_size_interval_var(period, 1, f"off[{trade},{period}]")
                )
                demands.append(peak - cap)
        model.add_cumulative(intervals, demands, peak)
        _add_disjunctive_pairs(model, v, users, trade, min(capacity))


def _add_disjunctive_pairs(model, v: IntervalVars, users, trade: str, capacity: int) -> None:
    """Redundant: projects each needing over half a trade's crews can never run side by side."""
    big = [p for p in users if 2 * p.crews[trade] > capacity]
    if len(big) > 1:
        model.add_no_overlap([v.interval[p.id] for p in big])


def _add_site_concurrency(model: cp_model.CpModel, problem: Problem, v: IntervalVars) -> None:
    """At most the site's limit of projects are active at a site at once."""
    by_site: dict[str, list] = defaultdict(list)
    for project in problem.projects:
        if project.site is not None and project.duration > 0:
            by_site[project.site].append(v.interval[project.id])
    for site_id, intervals in by_site.items():
        limit = problem.site_by_id[site_id].max_concurrent
        if len(intervals) <= limit:
            continue
        if limit == 1:
            model.add_no_overlap(intervals)
        else:
            model.add_cumulative(intervals, [1] * len(intervals), limit)


def _add_monthly_budget(model: cp_model.CpModel, problem: Problem, v: IntervalVars) -> None:
    """The purchase orders issued in a month fit that month's cap."""
    if problem.monthly_budget is None:
        return
    spend: dict[int, list] = defaultdict(list)
    for project in problem.projects:
        if not project.cost:
            continue
        for start in problem.static_starts(project):
            starts_here = model.new_bool_var(f"starts[{project.id},{start}]")
            model.add(v.start[project.id] == start).only_enforce_if(starts_here)
            model.add(v.start[project.id] != start).only_enforce_if(~starts_here)
            spend[start].append(project.cost * starts_here)
    for period, terms in spend.items():
        model.add(sum(terms) <= problem.monthly_budget[period])


def _add_fixed_budgets(model: cp_model.CpModel, problem: Problem, v: IntervalVars) -> None:
    """Annual, funding and site caps: with every project planned, the totals are fixed numbers."""
    totals = [(sum(p.cost for p in problem.projects), problem.annual_budget)]
    by_source: dict[str, int] = defaultdict(int)
    by_site: dict[str, int] = defaultdict(int)
    for project in problem.projects:
        if project.funding is not None:
            by_source[project.funding] += project.cost
        if project.site is not None:
            by_site[project.site] += project.cost
    totals += [(spent, problem.funding_caps.get(source)) for source, spent in by_source.items()]
    totals += [(spent, problem.site_by_id[site].budget_cap) for site, spent in by_site.items()]
    if any(cap is not None and spent > cap for spent, cap in totals):
        model.add_bool_or([])


def _add_makespan_objective(model: cp_model.CpModel, problem: Problem, v: IntervalVars) -> None:
    """Minimise the end of the last project, within the horizon."""
    v.makespan = model.new_int_var(0, problem.horizon, "makespan")
    for project in problem.projects:
        model.add(v.makespan >= v.start[project.id] + project.duration)
    model.minimize(v.makespan)


def _add_makespan_bounds(model: cp_model.CpModel, problem: Problem, v: IntervalVars) -> None:
    """Redundant: the lower bound, and each start plus its longest chain of successors."""
    if not problem.projects:
        return
    inst = Instance.of(problem, strict=False)
    assert inst is not None
    model.add(v.makespan >= lower_bound(problem, inst))
    _, tail = critical_path(inst)
    for pid, chain, project in zip(inst.ids, tail, problem.projects, strict=True):
        if chain > project.duration:
            model.add(v.makespan >= v.start[pid] + chain)


def solve_min_makespan(
    problem: Problem,
    control: Control,
    baseline: Solution,
    hint_starts: dict[str, int] | None,
    *,
    seed: int,
    workers: int | None,
) -> Solution:
    """The min_makespan search from a good starting schedule, within the control's time.

    Status `infeasible` (with no conflicts named: the caller explains them) when CP-SAT proves
    that no plan exists, `unknown` when none was found in the time. `workers` None: the default
    (`default_workers`, or SMALL_MODEL_WORKERS on tiny models).
    """
    if workers is None:
        workers = default_workers()
        if len(problem.projects) <= SMALL_MODEL_PROJECTS:
            workers = max(workers, SMALL_MODEL_WORKERS)
    candidates: list[tuple[dict[str, int], str]] = []
    if baseline.has_plan:
        candidates.append((dict(baseline.starts), "greedy"))
    budget = min(HEURISTIC_MAX_S, HEURISTIC_SHARE * control.remaining())
    found = heuristic_schedule(problem, time_limit_s=budget, seed=seed, stop=control.cancelled)
    if found is not None:
        candidates.append((found, "sgs"))
    best = min(candidates, key=lambda c: objective_of(problem, c[0]), default=None)
    upper = objective_of(problem, best[0]) if best is not None else None
    if best is not None:
        control.report(upper, None)
    model, v = build_makespan_model(problem, upper_bound=upper)
    hint = hint_starts or (best[0] if best is not None else {})
    for pid, start in hint.items():
        if pid in v.start:
            model.add_hint(v.start[pid], start)
    solver, status = run_cp_sat(
        model,
        control,
        time_limit_s=control.remaining(),
        seed=seed,
        workers=workers,
        params=MAKESPAN_PARAMS,
    )
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        starts = {pid: solver.value(var) for pid, var in v.start.items()}
        method = f"{best[1]} + cp-sat intervals" if best is not None else "cp-sat intervals"
        bound = solver.best_objective_bound
        state = "optimal" if status == cp_model.OPTIMAL else "feasible"
        stats = {"cp_sat_workers": workers}
        return make_solution(problem, starts, state, bound, control, method, stats)
    if best is None:
        state = "infeasible" if status == cp_model.INFEASIBLE else "unknown"
        return Solution(state, runtime_s=control.elapsed(), method="cp-sat intervals")
    proven = status == cp_model.INFEASIBLE  # nothing beats the starting schedule
    bound = float(upper) if proven else float(lower_bound(problem))
    state = "optimal" if proven or upper <= bound else "feasible"
    return make_solution(problem, best[0], state, bound, control, best[1])
