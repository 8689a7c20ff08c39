"""The optimiser's entry point: greedy start, CP-SAT search, never worse than greedy, explained."""

from __future__ import annotations

import math
import os
import random
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.conflicts import core_conflicts
from scheduler.explain import required_closure, static_conflicts
from scheduler.greedy import greedy, objective_of
from scheduler.improve import improve_value_plan
from scheduler.makespan import build_makespan_model, neighbourhood_model
from scheduler.problem import Problem
from scheduler.runner import CancelToken, Control, ProgressCallback, make_solution, run_cp_sat
from scheduler.solution import Conflict, Solution

MAKESPAN_FIRST_PASS_SHARE = 0.4  # then time-window neighbourhood search
LNS_WINDOW = (0.2, 0.4)  # share of the projects freed per step, by start time


def solve(
    problem: Problem,
    *,
    time_limit_s: float,
    seed: int = 0,
    workers: int | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    hint: Solution | None = None,
    move_penalty: int = 0,
) -> Solution:
    """Select and schedule the projects; see docs/scheduler.md for the strategy and the contract.

    ``on_progress(objective, bound, elapsed_s)`` is called on every improving plan; ``cancel``
    is a callable returning True or an object with ``is_set()`` (threading.Event), checked
    every 50 ms. ``hint`` is a previous solution to start from; with ``move_penalty`` > 0 each
    period a baseline project moves (or ``horizon`` periods if it is dropped) costs that much value.
    """
    if isinstance(time_limit_s, bool) or not isinstance(time_limit_s, int | float):
        raise ValueError(f"time_limit_s must be a number of seconds, got {time_limit_s!r}")
    if math.isnan(time_limit_s) or time_limit_s < 0:
        raise ValueError(f"time_limit_s must be at least 0, got {time_limit_s!r}")
    if isinstance(move_penalty, bool) or not isinstance(move_penalty, int) or move_penalty < 0:
        raise ValueError(f"move_penalty must be a whole number >= 0, got {move_penalty!r}")
    control = Control(time_limit_s, cancel, on_progress, problem.objective == "max_value")
    workers = workers or max(2, min(8, os.cpu_count() or 2))
    conflicts = static_conflicts(problem)
    if conflicts:
        return _infeasible(problem, conflicts, control)
    baseline = greedy(problem)
    if baseline.has_plan:
        control.report(baseline.objective or 0, None)
    hint_starts = hint.starts if hint is not None and hint.has_plan else None
    if problem.objective == "min_makespan":
        return _solve_makespan(problem, control, baseline, hint_starts, seed=seed, workers=workers)
    result = improve_value_plan(
        problem,
        control,
        baseline,
        seed=seed,
        workers=workers,
        hint_starts=hint_starts,
        move_penalty=move_penalty,
    )
    if result.status == "infeasible":
        return _explain_infeasible(problem, control, seed)
    return result


def _solve_makespan(
    problem: Problem,
    control: Control,
    baseline: Solution,
    hint_starts: dict[str, int] | None,
    *,
    seed: int,
    workers: int | None,
) -> Solution:
    """min_makespan: the interval model, hinted with the previous or the greedy schedule."""
    model, v = build_makespan_model(problem)
    for pid, start in (hint_starts or baseline.starts).items():
        if pid in v.start:
            model.add_hint(v.start[pid], start)
    if baseline.has_plan and baseline.objective is not None:
        model.add(v.makespan <= baseline.objective)
    share = MAKESPAN_FIRST_PASS_SHARE if baseline.has_plan else 1.0
    first_pass = control.remaining() * share
    solver, status = run_cp_sat(model, control, time_limit_s=first_pass, seed=seed, workers=workers)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if found or (status == cp_model.UNKNOWN and baseline.has_plan):
        starts, method = dict(baseline.starts), "greedy"
        if found:
            starts = {pid: solver.value(var) for pid, var in v.start.items()}
            method = "cp-sat intervals"
        bound = solver.best_objective_bound if found else None
        if status != cp_model.OPTIMAL:
            starts, improved = _makespan_lns(problem, control, starts, seed=seed)
            method += " + lns" if improved else ""
        makespan = objective_of(problem, starts)
        state = "optimal" if bound is not None and makespan <= bound else "feasible"
        return make_solution(problem, starts, state, bound, control, method)
    if status == cp_model.INFEASIBLE and not baseline.has_plan:
        return _explain_infeasible(problem, control, seed)
    if baseline.has_plan:
        proven = status == cp_model.INFEASIBLE  # nothing beats the greedy makespan
        state = "optimal" if proven else "feasible"
        bound = baseline.objective if proven else None
        return make_solution(problem, baseline.starts, state, bound, control, "greedy")
    return Solution("unknown", runtime_s=control.elapsed(), method="cp-sat intervals")


def _makespan_lns(
    problem: Problem, control: Control, starts: dict[str, int], *, seed: int
) -> tuple[dict[str, int], bool]:
    """Free the projects of a random time window, keep the others' order, re-solve; repeat."""
    rng = random.Random(seed)
    best, improved = objective_of(problem, starts), False
    while control.remaining() > 0.2 and not control.cancelled():
        ordered = sorted(problem.projects, key=lambda p: starts[p.id])
        size = max(2, int(len(ordered) * rng.uniform(*LNS_WINDOW)))
        first = rng.randrange(max(1, len(ordered) - size + 1))
        free = {p.id for p in ordered[first : first + size]}
        model, v = neighbourhood_model(problem, starts, free, best)
        solver, status = run_cp_sat(
            model,
            control,
            time_limit_s=min(1.0, control.remaining()),
            seed=rng.randrange(1 << 30),
            workers=1,
            report=True,
        )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            starts = {pid: solver.value(var) for pid, var in v.start.items()}
            value = objective_of(problem, starts)
            improved, best = improved or value < best, min(best, value)
    return starts, improved


def _explain_infeasible(problem: Problem, control: Control, seed: int) -> Solution:
    """Find the conflicting inputs of a problem the solver proved infeasible.

    Only the required projects and their predecessors can conflict (the others can always be
    left out), so the search for a core looks at them alone: much faster on large districts.
    """
    required = required_closure(problem)
    if len(required) < len(problem.projects):
        kept = tuple(p for p in problem.projects if p.id in required)
        problem = replace(problem, projects=kept)
    found = core_conflicts(
        problem, time_limit_s=max(2.0, control.remaining()), seed=seed, stop=control.cancelled
    )
    if found is None:
        found = [Conflict("unknown", "the required projects cannot all be planned together")]
    return _infeasible(problem, found, control)


def _infeasible(problem: Problem, conflicts: list[Conflict], control: Control) -> Solution:
    """An infeasible answer that names its conflicts."""
    return Solution(
        "infeasible", runtime_s=control.elapsed(), conflicts=tuple(conflicts), method="explain"
    )
