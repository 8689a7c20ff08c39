"""Independent re-verification of a plan against every rule of the SEP problem file.

This module deliberately shares no code with the model: it recomputes every usage from the start
periods alone, so a bug in the model cannot hide itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scheduler.problem import Problem, Project
from scheduler.solution import Solution


@dataclass(frozen=True)
class Violation:
    """One broken rule in a plan."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


def check(problem: Problem, solution: Solution) -> list[Violation]:
    """Every rule the solution breaks, as a list (empty when the plan is valid)."""
    if solution.status == "infeasible":
        return _check_infeasible(solution)
    out: list[Violation] = []
    starts = _collect_starts(problem, solution, out)
    projects = problem.project_by_id
    active = {pid: range(start, start + projects[pid].duration) for pid, start in starts.items()}
    for rule in (
        _check_timing,
        _check_blackouts,
        _check_required,
        _check_predecessors,
        _check_crews,
        _check_site_concurrency,
        _check_budgets,
        _check_objective,
        _check_unscheduled,
    ):
        rule(problem, solution, starts, active, out)
    return out


def _check_infeasible(solution: Solution) -> list[Violation]:
    """An infeasible answer carries conflicts and no plan."""
    out = []
    if not solution.conflicts:
        out.append(Violation("conflicts", "status is infeasible but no conflict is named"))
    if solution.assignments:
        out.append(Violation("status", "status is infeasible but the solution has assignments"))
    return out


def _collect_starts(problem: Problem, solution: Solution, out: list[Violation]) -> dict[str, int]:
    """Start period per known project; unknown or duplicated ids are violations."""
    starts: dict[str, int] = {}
    for item in solution.assignments:
        if item.project not in problem.project_by_id:
            out.append(Violation("assignments", f"unknown project {item.project}"))
        elif item.project in starts:
            out.append(Violation("assignments", f"project {item.project} is assigned twice"))
        elif not isinstance(item.start, int) or isinstance(item.start, bool):
            out.append(Violation("assignments", f"project {item.project}: start is not a period"))
        else:
            starts[item.project] = item.start
    if solution.conflicts:
        out.append(Violation("conflicts", f"status {solution.status} but conflicts are listed"))
    return starts


def _check_timing(problem: Problem, _s: Solution, starts, _a, out: list[Violation]) -> None:
    """Horizon, earliest start, latest end, allowed start periods and pinned starts."""
    for pid, start in starts.items():
        project = problem.project_by_id[pid]
        end = start + project.duration
        if start < 0 or start >= problem.horizon or end > problem.horizon:
            out.append(Violation("horizon", f"{pid} runs {start}..{end - 1}, outside the horizon"))
        if start < project.earliest:
            out.append(Violation("earliest", f"{pid} starts at {start} before {project.earliest}"))
        if project.latest_end is not None and end > project.latest_end:
            out.append(Violation("latest_end", f"{pid} ends at {end} after {project.latest_end}"))
        allowed = project.allowed_start_periods
        if allowed is not None and start not in allowed:
            out.append(Violation("allowed_start_periods", f"{pid} starts at {start}"))
        if project.pinned_start is not None and start != project.pinned_start:
            out.append(
                Violation("pinned", f"{pid} starts at {start}, pinned to {project.pinned_start}")
            )


def _check_blackouts(problem: Problem, _s: Solution, _st, active, out: list[Violation]) -> None:
    """No project is active in a district blackout or a blackout of its site."""
    sites = problem.site_by_id
    for pid, periods in active.items():
        project = problem.project_by_id[pid]
        site_blackouts = sites[project.site].blackout_periods if project.site else frozenset()
        for period in periods:
            if period in problem.blackout_periods:
                out.append(Violation("blackout", f"{pid} is active in district blackout {period}"))
            if period in site_blackouts:
                out.append(Violation("site_blackout", f"{pid} is active in site blackout {period}"))


def _check_required(problem: Problem, _s: Solution, starts, _a, out: list[Violation]) -> None:
    """Mandatory and pinned projects (and all projects under min_makespan) are scheduled."""
    for project in problem.projects:
        if project.id in starts:
            continue
        if project.mandatory:
            out.append(Violation("mandatory", f"mandatory project {project.id} is not scheduled"))
        if project.pinned_start is not None:
            out.append(Violation("pinned", f"pinned project {project.id} is not scheduled"))
        if problem.objective == "min_makespan":
            out.append(Violation("min_makespan", f"project {project.id} is not scheduled"))


def _check_predecessors(problem: Problem, _s: Solution, starts, _a, out: list[Violation]) -> None:
    """A successor is scheduled only with its predecessors and starts after they end."""
    for pid, start in starts.items():
        for other in problem.project_by_id[pid].after:
            if other not in starts:
                out.append(Violation("predecessors", f"{pid} is scheduled without {other}"))
                continue
            end = starts[other] + problem.project_by_id[other].duration
            if start < end:
                out.append(
                    Violation(
                        "predecessors", f"{pid} starts at {start} before {other} ends at {end}"
                    )
                )


def _check_crews(problem: Problem, _s: Solution, _st, active, out: list[Violation]) -> None:
    """In every period, each trade's crews in use stay within its capacity."""
    used: dict[tuple[str, int], int] = defaultdict(int)
    for pid, periods in active.items():
        for trade, units in problem.project_by_id[pid].crews.items():
            for period in periods:
                used[trade, period] += units
    for (trade, period), units in sorted(used.items()):
        capacity = problem.trades[trade][period] if 0 <= period < problem.horizon else 0
        if units > capacity:
            out.append(
                Violation("crews", f"{trade} uses {units} crews in {period}, has {capacity}")
            )


def _check_site_concurrency(problem: Problem, _s: Solution, _st, active, out) -> None:
    """No more than max_concurrent projects are active at a site in any period."""
    count: dict[tuple[str, int], int] = defaultdict(int)
    for pid, periods in active.items():
        site = problem.project_by_id[pid].site
        if site is not None:
            for period in periods:
                count[site, period] += 1
    for (site, period), number in sorted(count.items()):
        limit = problem.site_by_id[site].max_concurrent
        if number > limit:
            out.append(Violation("site_concurrency", f"{site} has {number} active in {period}"))


def _check_budgets(problem: Problem, _s: Solution, starts, _a, out: list[Violation]) -> None:
    """Monthly, annual, funding-source and per-site budget caps."""
    monthly: dict[int, int] = defaultdict(int)
    funding: dict[str, int] = defaultdict(int)
    by_site: dict[str, int] = defaultdict(int)
    total = 0
    for pid, start in starts.items():
        project: Project = problem.project_by_id[pid]
        monthly[start] += project.cost
        total += project.cost
        if project.funding is not None:
            funding[project.funding] += project.cost
        if project.site is not None:
            by_site[project.site] += project.cost
    if problem.monthly_budget is not None:
        for period, spent in sorted(monthly.items()):
            cap = problem.monthly_budget[period] if 0 <= period < problem.horizon else 0
            if spent > cap:
                out.append(Violation("monthly_budget", f"{spent} spent in {period}, cap {cap}"))
    if problem.annual_budget is not None and total > problem.annual_budget:
        out.append(Violation("annual_budget", f"{total} spent, cap {problem.annual_budget}"))
    for source, spent in sorted(funding.items()):
        cap = problem.funding_caps.get(source)
        if cap is not None and spent > cap:
            out.append(Violation("funding_cap", f"{source}: {spent} charged, cap {cap}"))
    for site, spent in sorted(by_site.items()):
        cap = problem.site_by_id[site].budget_cap
        if cap is not None and spent > cap:
            out.append(Violation("site_budget", f"{site}: {spent} spent, cap {cap}"))


def _check_objective(
    problem: Problem, solution: Solution, starts, _a, out: list[Violation]
) -> None:
    """The reported objective equals the value (or makespan) of the plan."""
    if solution.objective is None:
        if starts:
            out.append(Violation("objective", "a plan is given but no objective"))
        return
    if problem.objective == "min_makespan":
        projects = problem.project_by_id
        actual = max((s + projects[p].duration for p, s in starts.items()), default=0)
    else:
        actual = sum(problem.project_by_id[pid].value for pid in starts)
    if actual != solution.objective:
        out.append(Violation("objective", f"reported {solution.objective}, plan gives {actual}"))
    if solution.bound is not None and solution.status in ("optimal", "feasible"):
        sense_ok = actual <= solution.bound + 1e-6
        if problem.objective == "min_makespan":
            sense_ok = actual >= solution.bound - 1e-6
        if not sense_ok:
            out.append(Violation("bound", f"objective {actual} beyond bound {solution.bound}"))


def _check_unscheduled(problem: Problem, solution: Solution, starts, _a, out) -> None:
    """Every project is either scheduled or listed as unscheduled with a reason."""
    if not solution.assignments and solution.status == "unknown":
        return
    listed = {item.project for item in solution.unscheduled}
    for item in solution.unscheduled:
        if item.project in starts:
            out.append(Violation("unscheduled", f"{item.project} is both scheduled and left out"))
        if not item.reason:
            out.append(Violation("unscheduled", f"{item.project} is left out without a reason"))
    for project in problem.projects:
        if project.id not in starts and project.id not in listed:
            out.append(Violation("unscheduled", f"{project.id} is neither scheduled nor listed"))
