"""Sub-problems for large-neighbourhood search: free a few sites, keep the rest of the plan fixed.

The sub-problem holds only the freed projects, with what the fixed projects leave of every crew,
budget and cap, so any plan of the sub-problem combined with the fixed part is a valid plan.
Sites are freed whole, so a site's concurrency limit and budget belong to the sub-problem alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from scheduler.problem import Problem, Project
from scheduler.usage import Usage


def free_units(problem: Problem) -> list[list[str]]:
    """Groups of project ids that are freed together: all projects of a site, or one siteless."""
    by_site: dict[str, list[str]] = {}
    units: list[list[str]] = []
    for project in problem.projects:
        if project.site is None:
            units.append([project.id])
        else:
            by_site.setdefault(project.site, []).append(project.id)
    return list(by_site.values()) + units


def subproblem(problem: Problem, starts: Mapping[str, int], free: Iterable[str]) -> Problem:
    """The freed projects against what the fixed part of the plan leaves of every resource.

    `free` must hold whole sites (see free_units): site limits are not split between parts.
    """
    free_ids = set(free)
    projects = problem.project_by_id
    fixed = Usage(problem)
    for project in problem.topological_order:
        if project.id in starts and project.id not in free_ids:
            fixed.add(project, starts[project.id])
    must_end_by = _deadlines_from_fixed_successors(problem, starts, free_ids)
    kept: list[Project] = []
    kept_ids: set[str] = set()
    for original in problem.topological_order:  # predecessors are decided first
        pid = original.id
        if pid not in free_ids:
            continue
        if any(other in free_ids and other not in kept_ids for other in original.after):
            continue  # a freed predecessor must stay out of the plan, so this one must too
        project = _restricted(problem, projects[pid], starts, free_ids, must_end_by.get(pid))
        if project is not None:
            kept.append(project)
            kept_ids.add(pid)
    kept = [replace(p, after=tuple(a for a in p.after if a in kept_ids)) for p in kept]
    return _residual(problem, fixed, kept)


def _deadlines_from_fixed_successors(
    problem: Problem, starts: Mapping[str, int], free_ids: set[str]
) -> dict[str, int]:
    """A freed predecessor of a fixed scheduled project must end by that project's start."""
    deadline: dict[str, int] = {}
    for project in problem.projects:
        if project.id in free_ids or project.id not in starts:
            continue
        for other in project.after:
            if other in free_ids:
                deadline[other] = min(deadline.get(other, problem.horizon), starts[project.id])
    return deadline


def _restricted(
    problem: Problem,
    project: Project,
    starts: Mapping[str, int],
    free_ids: set[str],
    end_by: int | None,
) -> Project | None:
    """The project with fixed predecessors turned into an earliest start; None if impossible."""
    earliest = project.earliest
    for other in project.after:
        if other in free_ids:
            continue
        if other not in starts:
            return None  # its predecessor stays out of the plan, so it must too
        earliest = max(earliest, starts[other] + problem.project_by_id[other].duration)
    latest_end = project.latest_end
    mandatory = project.mandatory
    if end_by is not None:
        latest_end = end_by if latest_end is None else min(latest_end, end_by)
        mandatory = True
    return replace(project, earliest=earliest, latest_end=latest_end, mandatory=mandatory)


def _residual(problem: Problem, fixed: Usage, projects: list[Project]) -> Problem:
    """The problem's caps less what the fixed projects use."""
    horizon = problem.horizon
    trades = {
        trade: [max(0, cap[t] - fixed.crews[trade, t]) for t in range(horizon)]
        for trade, cap in problem.trades.items()
    }
    monthly = None
    if problem.monthly_budget is not None:
        monthly = [max(0, problem.monthly_budget[t] - fixed.monthly[t]) for t in range(horizon)]
    annual = None
    if problem.annual_budget is not None:
        annual = max(0, problem.annual_budget - fixed.total)
    caps = {s: max(0, cap - fixed.funding[s]) for s, cap in problem.funding_caps.items()}
    site_ids = {p.site for p in projects if p.site is not None}
    sites = tuple(s for s in problem.sites if s.id in site_ids)
    return Problem(
        horizon=horizon,
        projects=tuple(projects),
        sites=sites,
        trades=trades,
        objective=problem.objective,
        annual_budget=annual,
        monthly_budget=monthly,
        funding_caps=caps,
        blackout_periods=problem.blackout_periods,
    )
