"""The LP-guided starting plan of the large path: solve the relaxation, round it into a plan.

The relaxation's value is also the search's upper bound (a plan whose value reaches its floor is
proven optimal), and the projects it chooses guide the neighbourhoods (improve.py).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from scheduler.greedy import place_in_order, predecessors_first
from scheduler.lp import lp_bound
from scheduler.problem import Problem
from scheduler.runner import Control
from scheduler.usage import Usage

if TYPE_CHECKING:
    from scheduler.improve import Search

LP_BUILD_SHARE = 0.5  # of the time left: past that, search from the greedy plan instead
LP_METHOD = "GLOP"  # simplex: exact fractions (they round better) and an exact bound
LP_FALLBACK_METHOD = "PDLP"  # first-order: for relaxations simplex cannot solve in the time
LP_GLOP_CHOICES_PER_S = 2500  # simplex is tried when it has this long per start choice, or more


def choices(problem: Problem) -> int:
    """How many (project, start period) decisions the whole model has."""
    return sum(len(problem.static_starts(p)) for p in problem.projects)


def lp_limit(control: Control) -> float:
    """The time one LP solve may take: 35 % of what is left (at least 1 s)."""
    return min(control.remaining(), max(1.0, control.remaining() * 0.35))


def lp_start(search: Search) -> None:
    """Solve the LP relaxation (its value bounds the plan) and round it into a plan.

    The relaxation includes the site-sets rule (site_sets.py): on districts with site budget
    caps and one-project-at-a-time sites it is far tighter than the plain one, close to the
    optimum, and its exact (simplex) fractions round into near-optimal plans. Simplex is
    tried when its share of the time allows LP_GLOP_CHOICES_PER_S start choices per second
    (measured here: 81,000 in 17-28 s, 139,000 in 66 s); otherwise, or if it does not
    finish, the first-order method.
    """
    problem, control = search.problem, search.control

    methods = [LP_METHOD, LP_FALLBACK_METHOD]
    if choices(problem) > LP_GLOP_CHOICES_PER_S * lp_limit(control):
        methods = [LP_FALLBACK_METHOD]
    for method in methods:
        limit = lp_limit(control)
        result = lp_bound(
            problem,
            time_limit_s=limit,
            method=method,
            stop=control.stopped,  # building the LP alone takes seconds at 3,000 sites
            build_time_limit_s=control.remaining() * LP_BUILD_SHARE,
            site_sets=True,
        )
        if control.stopped():
            return
        if result.bound is not None and math.isfinite(result.bound):
            break  # (a first-order LP stopped early can hand back NaN duals)
    else:
        return
    search.stats["lp_method"] = method
    bound = math.floor(result.bound + 1e-6)  # plan values are whole numbers
    search.stats["lp_bound"] = bound
    search.bound = bound if search.bound is None else min(search.bound, bound)
    weight: dict[str, float] = {}
    preferred: dict[str, list[tuple[float, int]]] = {}
    for (pid, start), fraction in result.fractions.items():
        weight[pid] = weight.get(pid, 0.0) + fraction
        preferred.setdefault(pid, []).append((-fraction, start))
    search.lp_chosen = {pid for pid, total in weight.items() if total > 0.5}
    projects = problem.project_by_id

    def key(project):
        """Required first, then by LP weight, then by value per cost."""
        ratio = project.value / project.cost if project.cost else math.inf
        return (not project.is_required, -round(weight.get(project.id, 0.0), 3), -ratio)

    usage = Usage(problem)
    order = predecessors_first(problem, sorted(problem.topological_order, key=key))
    starts_first = {pid: [s for _, s in sorted(pairs)] for pid, pairs in preferred.items()}
    place_in_order(problem, usage, order, starts_first)
    if all(p.id in usage.starts for p in projects.values() if p.is_required):
        search.offer(dict(usage.starts), "lp rounding")
