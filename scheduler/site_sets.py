"""Which sets of a site's projects can be planned together (the site-sets rule of model.py).

A set is feasible when its projects fit the site's budget cap, include their predecessors at the
site, and can all start in their allowed months without exceeding the site's concurrency. The
search is exhaustive over the sets of a small site and depth-first over start months, with a cap
on the nodes it may visit.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from scheduler.problem import Problem, Project

SITE_PATTERN_MAX_PROJECTS = 8  # projects at a site up to which its feasible sets are listed
SITE_PATTERN_MAX_NODES = 20_000  # search nodes per site; past that the site is left as it is


def site_patterns(
    problem: Problem, starts: Mapping[str, list[int]], tick: Callable[[], None] | None = None
) -> list[tuple[list[Project], list[int]]]:
    """Per site worth it: its projects and the bit masks of its maximal feasible sets.

    Sites with one project, too many projects, a search too long to finish, or where every set
    fits (nothing to tighten) are left out. `tick` is called once per site (to stop a build).
    """
    by_site: dict[str, list[Project]] = defaultdict(list)
    for project in problem.projects:
        if project.site is not None and starts[project.id]:
            by_site[project.site].append(project)
    listed = []
    for site_id, projects in by_site.items():
        if tick is not None:
            tick()
        if len(projects) < 2 or len(projects) > SITE_PATTERN_MAX_PROJECTS:
            continue
        feasible = feasible_site_sets(problem, site_id, projects, starts)
        if feasible is None or len(feasible) == 1 << len(projects):
            continue  # too long to list, or nothing to gain: every set fits
        maximal = [s for s in feasible if not any(s != t and s & t == s for t in feasible)]
        listed.append((projects, maximal))
    return listed


def site_set_rows(
    problem: Problem,
    starts: Mapping[str, list[int]],
    x: Mapping[tuple[str, int], Any],
    new_var: Callable[[], Any],
    tick: Callable[[], None] | None = None,
) -> list[tuple[float, float, list[tuple[Any, float]]]]:
    """The site-sets rule as linear rows over the start choices `x` (for the LP and SCIP).

    Per listed site, one new [0, 1] variable per maximal set (`new_var`) and rows (lower, upper,
    [(variable, coefficient)]): at most one set is chosen, and a project is planned only if a
    chosen set holds it. Redundant for whole plans, so no plan is cut off; a fractional plan
    can no longer split a site's budget or months between projects that cannot go together.
    """
    rows: list[tuple[float, float, list[tuple[Any, float]]]] = []
    for projects, maximal in site_patterns(problem, starts, tick):
        pattern = [new_var() for _ in maximal]
        rows.append((-math.inf, 1.0, [(y, 1.0) for y in pattern]))
        for index, project in enumerate(projects):
            covering = [y for y, m in zip(pattern, maximal, strict=True) if m >> index & 1]
            row = [(x[project.id, s], 1.0) for s in starts[project.id]]
            rows.append((-math.inf, 0.0, row + [(y, -1.0) for y in covering]))
    return rows


def feasible_site_sets(
    problem: Problem, site_id: str, projects: list[Project], starts: Mapping[str, list[int]]
) -> list[int] | None:
    """Bit masks of the sets of `projects` that can be planned together (None: search too long)."""
    site = problem.site_by_id[site_id]
    index = {p.id: i for i, p in enumerate(projects)}
    budget = [SITE_PATTERN_MAX_NODES]
    feasible: list[int] = []
    for mask in range(1 << len(projects)):
        chosen = [p for i, p in enumerate(projects) if mask >> i & 1]
        if site.budget_cap is not None and sum(p.cost for p in chosen) > site.budget_cap:
            continue
        if any(o in index and not mask >> index[o] & 1 for p in chosen for o in p.after):
            continue
        chosen.sort(key=lambda p: _depth(p, index, projects))
        active = [0] * (problem.horizon + max((p.duration for p in chosen), default=0))
        try:
            if _place(problem, site.max_concurrent, chosen, starts, active, {}, budget):
                feasible.append(mask)
        except TimeoutError:
            return None
    return feasible


def _place(
    problem: Problem,
    limit: int,
    chosen: list[Project],
    starts: Mapping[str, list[int]],
    active: list[int],
    placed: dict[str, int],
    budget: list[int],
) -> bool:
    """Depth-first: can the projects from len(placed) on start without exceeding `limit`?"""
    if len(placed) == len(chosen):
        return True
    project = chosen[len(placed)]
    projects = problem.project_by_id
    for start in starts[project.id]:
        budget[0] -= 1
        if budget[0] < 0:
            raise TimeoutError
        if any(o in placed and placed[o] + projects[o].duration > start for o in project.after):
            continue
        periods = range(start, start + project.duration)
        if any(active[t] >= limit for t in periods):
            continue
        for t in periods:
            active[t] += 1
        placed[project.id] = start
        if _place(problem, limit, chosen, starts, active, placed, budget):
            return True
        del placed[project.id]
        for t in periods:
            active[t] -= 1
    return False


def _depth(project: Project, index: dict[str, int], projects: list[Project]) -> int:
    """How many predecessors at the site come before the project (so they are placed first)."""
    inside = [projects[index[o]] for o in project.after if o in index]
    return 1 + max((_depth(o, index, projects) for o in inside), default=0)
