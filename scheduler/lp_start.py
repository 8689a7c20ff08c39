"""The LP-guided starting plan of the large path: solve the relaxation, round it into a plan.

The relaxation's value is also the search's upper bound (a plan whose value reaches its floor is
proven optimal), and the projects it chooses guide the neighbourhoods (improve.py).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from scheduler.greedy import place_in_order, predecessors_first, value_per_cost
from scheduler.lp import LpResult, LpRun, build_lp, lp_bound
from scheduler.problem import Problem
from scheduler.runner import Control
from scheduler.usage import Usage

if TYPE_CHECKING:
    from scheduler.improve import Search

LP_BUILD_SHARE = 0.5  # of the time left: past that, search from the greedy plan instead
LP_METHOD = "GLOP"  # simplex: exact fractions (they round better) and an exact bound
LP_FALLBACK_METHOD = "PDLP"  # first-order: for relaxations simplex cannot solve in the time
# Start choices per second of its share at which simplex looks fast enough: it then goes first
# in the race (or, on one worker, is tried at all). Measured here; a guess on other shapes.
LP_GLOP_CHOICES_PER_S = 2500


def choices(problem: Problem) -> int:
    """How many (project, start period) decisions the whole model has."""
    return sum(len(problem.static_starts(p)) for p in problem.projects)


def lp_limit(control: Control) -> float:
    """The time one LP solve may take: 35 % of what is left (at least 1 s)."""
    return min(control.remaining(), max(1.0, control.remaining() * 0.35))


def lp_start(search: Search, *, race: bool = False) -> None:
    """Solve the LP relaxation (its value bounds the plan) and round it into a plan.

    The relaxation includes the site-sets rule (site_sets.py): on districts with site budget
    caps and one-project-at-a-time sites it is far tighter than the plain one, close to the
    optimum, and its exact (simplex) fractions round into near-optimal plans. With `race` (two
    cores and nothing else running), simplex and the first-order method solve it side by side
    and simplex is preferred (`_race`). Otherwise simplex is tried when its share of the time
    allows LP_GLOP_CHOICES_PER_S start choices per second, then the first-order method.
    """
    problem, control = search.problem, search.control
    found = _race(problem, control) if race else _in_turn(problem, control)
    if found is None:
        return
    result, method = found
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
        weighted = -round(weight.get(project.id, 0.0), 3)
        return (not project.is_required, weighted, -value_per_cost(project))

    usage = Usage(problem)
    order = predecessors_first(problem, sorted(problem.topological_order, key=key))
    starts_first = {pid: [s for _, s in sorted(pairs)] for pid, pairs in preferred.items()}
    place_in_order(problem, usage, order, starts_first)
    if all(p.id in usage.starts for p in projects.values() if p.is_required):
        search.offer(dict(usage.starts), "lp rounding")


def _usable(result: LpResult | None) -> bool:
    """A finished solve with a finite bound (a first-order LP stopped early can give NaN)."""
    return result is not None and result.bound is not None and math.isfinite(result.bound)


def _simplex_looks_fast(problem: Problem, limit: float) -> bool:
    """True when `limit` seconds allow LP_GLOP_CHOICES_PER_S start choices per second."""
    return choices(problem) <= LP_GLOP_CHOICES_PER_S * limit


def _in_turn(problem: Problem, control: Control) -> tuple[LpResult, str] | None:
    """Simplex if its share of the time looks enough, then the first-order method."""
    methods = [LP_METHOD, LP_FALLBACK_METHOD]
    if not _simplex_looks_fast(problem, lp_limit(control)):
        methods = [LP_FALLBACK_METHOD]
    for method in methods:
        result = lp_bound(
            problem,
            time_limit_s=lp_limit(control),
            method=method,
            stop=control.stopped,  # building the LP alone takes seconds at 3,000 sites
            build_time_limit_s=control.remaining() * LP_BUILD_SHARE,
            site_sets=True,
        )
        if control.stopped():
            return None
        if _usable(result):
            return result, method
    return None


def _race(problem: Problem, control: Control) -> tuple[LpResult, str] | None:
    """Simplex and the first-order method on the same relaxation, one core each.

    How long simplex takes is hard to foresee: measured here, 44,000 start choices of a
    60-month district in 2 s (the first-order method: 16 s), 81,000 of a 12-month one in 16-28
    s (first-order: 6 s). The start-choice rate (`_simplex_looks_fast`) only decides which is
    built and started first; the other is built while it solves, then solved beside it, each
    within the same share of the time from its own start.

    - Simplex first (its share looks enough): its exact answer is awaited until its deadline;
      the first-order run is insurance should simplex not finish.
    - First-order first (the share looks too short for simplex): the first exact simplex
      answer or the first finished first-order answer ends both runs.

    With no exact answer, the lower (tighter, still valid) bound is taken: an unfinished
    simplex's duals can bound the plan at four times its value.
    """
    limit = lp_limit(control)
    simplex_first = _simplex_looks_fast(problem, limit)
    order = (LP_METHOD, LP_FALLBACK_METHOD) if simplex_first else (LP_FALLBACK_METHOD, LP_METHOD)
    runs: dict[str, LpRun] = {}

    def settled() -> bool:
        """Stopped, or an answer that ends the race is in: the other run is not needed."""
        simplex, first_order = runs.get(LP_METHOD), runs.get(LP_FALLBACK_METHOD)
        if simplex is not None and simplex.done() and _exact(simplex.result):
            return True
        if not simplex_first and first_order is not None and first_order.done():
            return _usable(first_order.result) or control.stopped()
        return control.stopped()

    build_limit = control.remaining() * LP_BUILD_SHARE
    for method in order:  # settled() is control.stopped() until the first run is in
        run = build_lp(
            problem, method, stop=settled, build_time_limit_s=build_limit, site_sets=True
        )
        if run is None:
            break
        runs[method] = run
        run.start(limit, settled)
        build_limit = limit  # the second is built while the first solves, never past it
    answers = [(run.join(), method) for method, run in runs.items()]
    if control.stopped():
        return None
    exact = [answer for answer in answers if _exact(answer[0])]
    if exact:
        return exact[0]
    usable = [(result, method) for result, method in answers if _usable(result)]
    return min(usable, key=lambda answer: answer[0].bound, default=None)


def _exact(result: LpResult | None) -> bool:
    """Simplex finished: the exact relaxation."""
    return result is not None and result.status == "optimal"
