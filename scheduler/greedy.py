"""The baseline a planner would build by hand: best value per cost first, first month that fits."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

from scheduler.explain import unscheduled_reasons
from scheduler.problem import Problem, Project
from scheduler.solution import Assignment, Solution
from scheduler.usage import Usage


def greedy(problem: Problem) -> Solution:
    """Priority-list plan: pinned, then mandatory, then by value per cost, each at its first fit.

    The status is ``feasible`` when every required project found a place, else ``unknown`` (the
    partial plan is still returned so a caller can see how far the list got).
    """
    started = time.perf_counter()
    usage = Usage(problem)
    place_in_order(problem, usage, priority_order(problem))
    return plan_from_usage(problem, usage, method="greedy", started=started)


def value_per_cost(project: Project) -> float:
    """The planner's priority: value per unit of cost (a free project comes first)."""
    return project.value / project.cost if project.cost else float("inf")


def priority_order(problem: Problem) -> list[Project]:
    """Projects in the order a planner would consider them."""
    if problem.objective == "min_makespan":
        slack = _latest_starts(problem)
        return sorted(problem.projects, key=lambda p: (slack[p.id], -p.duration, p.id))

    def key(project: Project) -> tuple:
        """Pinned first, then mandatory, then best value per cost."""
        rank = 0 if project.pinned_start is not None else 1 if project.mandatory else 2
        return (rank, -value_per_cost(project), -project.value, project.id)

    return sorted(problem.projects, key=key)


def place_in_order(
    problem: Problem,
    usage: Usage,
    order: Iterable[Project],
    preferred: Mapping[str, list[int]] | None = None,
) -> None:
    """Place each unplaced project at its first fit; repeat passes while something is placed.

    Start periods are tried in increasing order, or in the order `preferred` gives for a project.
    """
    pending = [project for project in order if project.id not in usage.starts]
    domains = {project.id: problem.static_starts(project) for project in pending}
    for pid, first in (preferred or {}).items():
        if pid in domains:
            rest = [s for s in domains[pid] if s not in first]
            domains[pid] = [s for s in first if s in domains[pid]] + rest
    while pending:
        still: list[Project] = []
        for project in pending:
            start = usage.first_fit(project, domains[project.id])
            if start is None:
                still.append(project)
            else:
                usage.add(project, start)
        if len(still) == len(pending):
            return
        pending = still


def predecessors_first(problem: Problem, order: list[Project]) -> list[Project]:
    """`order`, but each project's predecessors are moved just before it (if not already earlier).

    Rounding an LP plan in weight order would otherwise meet a successor before its predecessor,
    skip it, and find its months taken by lighter projects when it comes round again.
    """
    projects = problem.project_by_id
    seen: set[str] = set()
    result: list[Project] = []
    for project in order:
        stack = [(project, False)]
        while stack:
            current, expanded = stack.pop()
            if current.id in seen:
                continue
            if expanded:
                seen.add(current.id)
                result.append(current)
                continue
            stack.append((current, True))
            stack.extend((projects[o], False) for o in reversed(current.after) if o not in seen)
    return result


def plan_from_usage(problem: Problem, usage: Usage, *, method: str, started: float) -> Solution:
    """Turn placed projects into a Solution with reasons for those left out."""
    assignments = tuple(Assignment(pid, start) for pid, start in sorted(usage.starts.items()))
    complete = all(
        project.id in usage.starts
        for project in problem.projects
        if project.is_required or problem.objective == "min_makespan"
    )
    return Solution(
        status="feasible" if complete else "unknown",
        objective=objective_of(problem, usage.starts),
        runtime_s=time.perf_counter() - started,
        assignments=assignments,
        unscheduled=unscheduled_reasons(problem, usage),
        method=method,
    )


def objective_of(problem: Problem, starts: dict[str, int]) -> int:
    """Total value of the plan, or its makespan under min_makespan."""
    projects = problem.project_by_id
    if problem.objective == "min_makespan":
        return max((start + projects[pid].duration for pid, start in starts.items()), default=0)
    return sum(projects[pid].value for pid in starts)


def _latest_starts(problem: Problem) -> dict[str, int]:
    """Latest start of each project that still lets all its successors finish by the horizon."""
    successors: dict[str, list[str]] = {project.id: [] for project in problem.projects}
    for project in problem.projects:
        for other in project.after:
            successors[other].append(project.id)
    latest: dict[str, int] = {}
    for project in reversed(problem.topological_order):
        finish = min((latest[s] for s in successors[project.id]), default=problem.horizon)
        latest[project.id] = finish - project.duration
    return latest
