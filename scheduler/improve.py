"""max_value search: a good starting plan, then CP-SAT on the whole model or on neighbourhoods.

1. Start from the best of the greedy plan, the caller's previous plan (repaired to fit) and, on
   large problems, the LP relaxation rounded and completed greedily.
2. Small problems: CP-SAT on the whole time-indexed model, hinted with that plan (it proves
   most optima in a second or two), with SCIP on the same formulation on the other core (mip.py);
   if neither has proven the optimum after a quarter of the time, neighbourhood search takes
   CP-SAT's place while SCIP goes on. Large problems: large-neighbourhood search, re-optimising a
   few sites at a time against what the rest of the plan leaves, chosen where the plan and the
   LP disagree.
The answer is never worse than the greedy plan: a phase only ever replaces a plan by a better one.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduler.explain import required_closure
from scheduler.greedy import place_in_order, priority_order
from scheduler.lp import budget_bound
from scheduler.lp_start import choices, lp_start
from scheduler.mip import MipResult, MipSearch
from scheduler.mip import suitable as mip_suitable
from scheduler.model import ModelStopped, Vars, build_model, read_starts
from scheduler.neighbourhood import free_units, subproblem
from scheduler.problem import Problem
from scheduler.runner import Control, make_solution, run_cp_sat
from scheduler.solution import Solution
from scheduler.usage import Usage

FULL_MODEL_MAX_CHOICES = 6000  # start choices up to which CP-SAT gets the whole model
FULL_MODEL_SHARE = 0.25  # of the time, for the whole model on small problems (then neighbourhoods)
LNS_MIN_PROJECTS = 100  # below this, the whole model keeps all the time
SUB_TIME_LIMIT_S = 0.4  # per neighbourhood: improvements come early, proofs are not needed
SUB_PARAMS: dict[str, object] = {"linearization_level": 2}


@dataclass
class Search:
    """The state of a max_value search: the incumbent plan and what is known about the bound."""

    problem: Problem
    control: Control
    baseline: Mapping[str, int]
    move_penalty: int
    starts: dict[str, int] | None
    bound: float | None = None
    proven: bool = False
    lp_chosen: set[str] = field(default_factory=set)
    method: str = "greedy"
    stats: dict[str, object] = field(default_factory=dict)

    def score(self, starts: Mapping[str, int]) -> int:
        """Plan value, less the move penalty against the baseline when re-planning."""
        projects = self.problem.project_by_id
        value = sum(projects[pid].value for pid in starts)
        if not self.move_penalty:
            return value
        moves = sum(
            abs(starts[pid] - base) if pid in starts else self.problem.horizon
            for pid, base in self.baseline.items()
            if pid in projects
        )
        return value - self.move_penalty * moves

    def offer(self, starts: dict[str, int], method: str) -> bool:
        """Keep `starts` if it beats the incumbent (or there is none yet); report progress."""
        if self.starts is not None and self.score(starts) <= self.score(self.starts):
            return False
        self.starts, self.method = starts, method
        if self.move_penalty:  # report the plan's value; its bound is not comparable
            value = sum(self.problem.project_by_id[pid].value for pid in starts)
            self.control.report(value, None, force=True)
        else:
            self.control.report(self.score(starts), self.bound)
        return True


def improve_value_plan(
    problem: Problem,
    control: Control,
    baseline: Solution,
    *,
    seed: int,
    workers: int | None,
    hint_starts: Mapping[str, int] | None,
    move_penalty: int,
) -> Solution:
    """The best plan found in the time left; never worse than `baseline` (the greedy plan)."""
    penalty = move_penalty if hint_starts else 0
    greedy_starts = dict(baseline.starts) if baseline.has_plan else None
    search = Search(problem, control, dict(hint_starts or {}), penalty, greedy_starts)
    if not penalty:
        search.bound = budget_bound(problem)  # until a relaxation or a solver knows better
    if hint_starts:
        repaired = repair(problem, hint_starts)
        if repaired is not None:
            search.offer(repaired, "previous plan")
    missed = search.starts is None  # greedy missed a required project: place those first
    if missed and _required_first(search, seed=seed, workers=workers) == cp_model.INFEASIBLE:
        return Solution("infeasible", runtime_s=control.elapsed(), method="cp-sat")
    small = choices(problem) <= FULL_MODEL_MAX_CHOICES
    if small or search.starts is None:
        status = _whole_model_search(search, small=small, seed=seed, workers=workers)
        if status == cp_model.INFEASIBLE:
            return Solution("infeasible", runtime_s=control.elapsed(), method="cp-sat")
    else:
        lp_start(search, race=(workers or 2) >= 2)  # nothing else runs yet: one LP per core
        _lns(search, seed=seed, workers=workers)
    if search.starts is None:
        return Solution("unknown", runtime_s=control.elapsed(), method=search.method)
    status = "optimal" if search.proven else "feasible"
    bound = None if penalty else search.bound
    if bound is not None and search.score(search.starts) >= math.floor(bound + 1e-6):
        status = "optimal"
    search.stats.setdefault("lp_bound", None)
    stats = search.stats
    return make_solution(problem, search.starts, status, bound, control, search.method, stats)


def repair(problem: Problem, hint: Mapping[str, int]) -> dict[str, int] | None:
    """A previous plan made valid for this problem: keep what still fits, then fill greedily."""
    usage = Usage(problem)
    hinted = [p for p in priority_order(problem) if p.id in hint]
    place_in_order(problem, usage, hinted, {p.id: [hint[p.id]] for p in hinted})
    place_in_order(problem, usage, priority_order(problem))
    if any(p.is_required and p.id not in usage.starts for p in problem.projects):
        return None
    return dict(usage.starts)


def _required_first(search: Search, *, seed: int, workers: int | None) -> int:
    """Schedule the required projects (and their predecessors) alone with CP-SAT, then fill.

    They are few, so this is quick where the whole model is not; if even they cannot all be
    scheduled, the problem is infeasible (the other projects can always be left out).
    """
    problem, control = search.problem, search.control
    required = required_closure(problem)
    kept = tuple(p for p in problem.projects if p.id in required)
    sub = replace(problem, projects=kept)
    try:
        model, v = build_model(sub, stop=control.stopped)
    except ModelStopped:
        return cp_model.UNKNOWN
    solver, status = run_cp_sat(
        model,
        control,
        time_limit_s=max(1.0, control.remaining() * 0.3),
        seed=seed,
        workers=workers or 2,
        report=False,
    )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status
    placed = read_starts(solver.boolean_value, v)
    usage = Usage(problem)
    for project in problem.topological_order:
        if project.id in placed:
            usage.add(project, placed[project.id])
    place_in_order(problem, usage, priority_order(problem))
    search.offer(dict(usage.starts), "required first + greedy")
    return status


def _whole_model_search(search: Search, *, small: bool, seed: int, workers: int | None) -> int:
    """Whole model first, then (small problems) neighbourhoods, SCIP proving beside them.

    CP-SAT on the whole model proves most small optima within a second or two. When it has not
    within its share of the time, its single worker is better spent on neighbourhood search
    (on crew-bound districts the whole model stalls 2-3 % below the plans neighbourhoods find),
    while SCIP goes on working on the proof on the other core (mip.py). A large problem comes
    here only when greedy missed a required project: the whole model then gets all the time.
    """
    control = search.control
    workers = workers or 2
    then_lns = small and len(search.problem.projects) >= LNS_MIN_PROJECTS
    mip = _start_mip(search) if small and workers >= 2 and not search.move_penalty else None
    proved = mip.proved if mip is not None else (lambda: False)
    cp_workers = workers - 1 if mip is not None else workers  # SCIP has one core of its own
    try:
        share = control.remaining() * (FULL_MODEL_SHARE if then_lns else 1.0)
        status = _full_search(
            search, small=small, seed=seed, workers=cp_workers, limit=share, stop=proved
        )
        more = then_lns and status != cp_model.INFEASIBLE and search.starts is not None
        if more and not search.proven and not proved():
            lp_start(search)
            _lns(search, seed=seed, workers=cp_workers, stop=proved)
    finally:
        if mip is not None:
            mip.interrupt()  # the search is done (or failed): SCIP stops too
    if mip is not None:
        _take_mip_result(search, mip.join())
    return status


def _full_search(
    search: Search,
    *,
    small: bool,
    seed: int,
    workers: int,
    limit: float,
    stop: Callable[[], bool],
) -> int:
    """CP-SAT on the whole model for at most `limit` seconds, hinted with the incumbent.

    On small problems the model also lists each site's feasible sets of projects (redundant,
    a tighter LP for the max_lp worker); `stop` ends the run early (SCIP proved the optimum).
    """
    problem, control = search.problem, search.control
    try:
        model, v = build_model(
            problem,
            baseline=search.baseline,
            move_penalty=search.move_penalty,
            stop=control.stopped,
            site_patterns=small,
        )
    except ModelStopped:
        return cp_model.UNKNOWN
    add_full_hint(model, v, search.starts or {})
    solver, status = run_cp_sat(
        model,
        control,
        time_limit_s=limit,
        seed=seed,
        workers=workers,
        report=not search.move_penalty,
        params=full_search_params(workers),
        stop=stop,
    )
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        search.offer(read_starts(solver.boolean_value, v), "cp-sat time-indexed")
        if search.bound is None or solver.best_objective_bound < search.bound:
            search.bound = solver.best_objective_bound
        search.proven = status == cp_model.OPTIMAL
    return status


def _start_mip(search: Search) -> MipSearch | None:
    """SCIP on the whole problem in the background, hinted with the incumbent (or None)."""
    if not mip_suitable(search.problem) or search.control.remaining() < 1.0:
        return None
    mip = MipSearch(search.problem, search.control.stopped)
    if not mip.start(search.starts, search.control.remaining()):
        return None
    return mip


def _take_mip_result(search: Search, result: MipResult) -> None:
    """Keep SCIP's plan if better, and its bound if lower (and consistent with the plans)."""
    if result.starts is not None:
        search.offer(result.starts, "scip time-indexed")
    best = search.score(search.starts) if search.starts is not None else None
    if result.bound is None or (best is not None and result.bound < best - 1e-6):
        return  # a bound below a checked plan is a floating-point slip: not a proof
    if search.bound is None or result.bound < search.bound:
        search.bound = result.bound  # a proof shows as plan value == floor(bound), as for LP
    search.stats["scip_bound"] = round(result.bound, 3)


def full_search_params(workers: int | None) -> dict[str, object]:
    """CP-SAT settings for the whole model: on two workers, one of them runs the full LP."""
    if workers is None or workers == 2:
        return {"subsolvers": ["max_lp", "default_lp"]}
    if workers == 1:
        return {"linearization_level": 2}
    return {}


def _lns(
    search: Search,
    *,
    seed: int,
    workers: int | None,
    stop: Callable[[], bool] | None = None,
) -> None:
    """Re-optimise a few sites at a time with CP-SAT until the time is up (or `stop()`)."""
    problem, control = search.problem, search.control
    rng = random.Random(seed)
    units = free_units(problem)
    target = 60  # projects per neighbourhood; grows when sub-problems solve quickly
    while control.remaining() > 0.2 and not control.cancelled():
        if (stop is not None and stop()) or _reached_bound(search):
            break
        free = _pick_neighbourhood(search, units, rng, target)
        sub = subproblem(problem, search.starts or {}, free)
        try:  # long horizons make big models: never build past the time limit
            model, v = build_model(
                sub,
                baseline=search.baseline,
                move_penalty=search.move_penalty,
                stop=control.stopped,
            )
        except ModelStopped:
            break
        add_full_hint(model, v, search.starts or {})
        solver, status = run_cp_sat(
            model,
            control,
            time_limit_s=min(SUB_TIME_LIMIT_S, control.remaining()),
            seed=rng.randrange(1 << 30),
            workers=1,  # small sub-problems: one worker each, many steps
            report=False,
            params=SUB_PARAMS,
        )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            candidate = {p: s for p, s in (search.starts or {}).items() if p not in free}
            candidate.update(read_starts(solver.boolean_value, v))
            if search.offer(candidate, "cp-sat lns"):
                search.stats["lns_improvements"] = search.stats.get("lns_improvements", 0) + 1
        quick = status == cp_model.OPTIMAL and solver.wall_time < SUB_TIME_LIMIT_S / 2
        target = min(600, int(target * 1.15)) if quick else max(30, int(target * 0.85))
        search.stats["lns_iterations"] = search.stats.get("lns_iterations", 0) + 1
        search.stats["lns_last_size"] = len(free)
        search.stats["lns_last_time"] = round(solver.wall_time, 3)


def _reached_bound(search: Search) -> bool:
    """True once the plan's value is the floor of the bound: proven optimal, nothing to search."""
    if search.starts is None or search.bound is None or search.move_penalty:
        return False
    return search.score(search.starts) >= math.floor(search.bound + 1e-6)


def _pick_neighbourhood(search: Search, units: list[list[str]], rng: random.Random, target: int):
    """Whole sites to free: half where the plan and the LP disagree, half at random."""
    starts, lp_chosen = search.starts or {}, search.lp_chosen
    disagree = [u for u in units if any((pid in starts) != (pid in lp_chosen) for pid in u)]
    if not lp_chosen:
        disagree = []
    free: set[str] = set()
    while len(free) < target:
        pool = disagree if disagree and rng.random() < 0.5 else units
        free.update(rng.choice(pool))
        if len(free) >= sum(len(u) for u in units):
            break
    return free


def add_full_hint(model: cp_model.CpModel, v: Vars, starts: Mapping[str, int]) -> None:
    """Hint every decision: 1 for the plan's start of each project, 0 elsewhere."""
    for (pid, start), var in v.x.items():
        model.add_hint(var, 1 if starts.get(pid) == start else 0)
