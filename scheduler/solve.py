"""The optimiser's entry point: greedy start, CP-SAT search, never worse than greedy, explained."""

from __future__ import annotations

import math
from dataclasses import replace

from scheduler.conflicts import core_conflicts
from scheduler.energy import tightest
from scheduler.explain import required_closure, static_conflicts
from scheduler.greedy import greedy
from scheduler.improve import improve_value_plan
from scheduler.makespan import solve_min_makespan
from scheduler.problem import Problem
from scheduler.runner import CancelToken, Control, ProgressCallback, default_workers
from scheduler.solution import Conflict, Solution


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
    conflicts = static_conflicts(problem)
    if conflicts:
        return _infeasible(problem, conflicts, control)
    baseline = greedy(problem)
    if baseline.has_plan:
        control.report(baseline.objective or 0, None)
    hint_starts = hint.starts if hint is not None and hint.has_plan else None
    if problem.objective == "min_makespan":
        result = solve_min_makespan(
            problem, control, baseline, hint_starts, seed=seed, workers=workers or None
        )
        if result.status == "infeasible":
            return _explain_infeasible(problem, control, seed)
        return result
    result = improve_value_plan(
        problem,
        control,
        baseline,
        seed=seed,
        workers=workers or default_workers(),
        hint_starts=hint_starts,
        move_penalty=move_penalty,
    )
    if result.status == "infeasible":
        return _explain_infeasible(problem, control, seed)
    return result


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
        found = [_unnarrowed(problem, required)]
    return _infeasible(problem, found, control)


def _unnarrowed(problem: Problem, required: set[str]) -> Conflict:
    """The search proved no plan exists but found no smaller set of inputs in the time."""
    message = (
        f"the {len(required)} required projects cannot all be planned together (the search "
        "proved it, but found no smaller set of conflicting inputs in the time)"
    )
    fullest = tightest(problem, required)
    if fullest is not None:
        message += f"; what they fill most: {fullest}"
    return Conflict("unknown", message, tuple(sorted(required)))


def _infeasible(problem: Problem, conflicts: list[Conflict], control: Control) -> Solution:
    """An infeasible answer that names its conflicts."""
    return Solution(
        "infeasible", runtime_s=control.elapsed(), conflicts=tuple(conflicts), method="explain"
    )
