"""Shared machinery of a solve: time limit, cancellation, progress reports and CP-SAT runs."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ortools.sat.python import cp_model

from scheduler.explain import unscheduled_reasons
from scheduler.greedy import objective_of
from scheduler.problem import Problem
from scheduler.solution import Assignment, Solution
from scheduler.usage import Usage

ProgressCallback = Callable[[int, float | None, float], None]
CancelToken = Callable[[], bool] | Any


def default_workers() -> int:
    """CP-SAT workers when the caller names none: one per core, between 2 and 8."""
    return max(2, min(8, os.cpu_count() or 2))


class Control:
    """Time, cancellation and progress reporting shared by every phase of a solve."""

    def __init__(
        self,
        time_limit_s: float,
        cancel: CancelToken | None,
        on_progress: ProgressCallback | None,
        maximise: bool,
    ) -> None:
        self.started = time.monotonic()
        self.deadline = self.started + time_limit_s
        self.cancel = cancel
        self.on_progress = on_progress
        self.maximise = maximise
        self.best: int | None = None

    def cancelled(self) -> bool:
        """True once the caller asked to stop (a callable returning True, or an Event set)."""
        if self.cancel is None:
            return False
        is_set = getattr(self.cancel, "is_set", None)
        return bool(is_set() if is_set is not None else self.cancel())

    def stopped(self) -> bool:
        """Cancelled, or out of time: what stops a long build (a model, the LP) part-way."""
        return self.cancelled() or self.remaining() <= 0

    def remaining(self) -> float:
        """Seconds left before the time limit."""
        return max(0.0, self.deadline - time.monotonic())

    def elapsed(self) -> float:
        """Seconds since the solve began."""
        return time.monotonic() - self.started

    def report(self, objective: int, bound: float | None, *, force: bool = False) -> None:
        """Call on_progress when the objective improves on the best reported so far (or forced)."""
        better = (
            force
            or self.best is None
            or (objective > self.best if self.maximise else objective < self.best)
        )
        if better:
            self.best = objective
            if self.on_progress is not None:
                self.on_progress(objective, bound, self.elapsed())


class _Callback(cp_model.CpSolverSolutionCallback):
    """Reports each improving CP-SAT solution and stops the search on cancel."""

    def __init__(self, control: Control, offset: int = 0) -> None:
        super().__init__()
        self.control = control
        self.offset = offset

    def on_solution_callback(self) -> None:
        """Called by CP-SAT on every new solution."""
        bound = self.best_objective_bound + self.offset
        self.control.report(round(self.objective_value) + self.offset, bound)
        if self.control.cancelled():
            self.stop_search()


def run_cp_sat(
    model: cp_model.CpModel,
    control: Control,
    *,
    time_limit_s: float,
    seed: int,
    workers: int | None,
    report: bool = True,
    params: Mapping[str, Any] | None = None,
    stop: Callable[[], bool] | None = None,
) -> tuple[cp_model.CpSolver, int]:
    """Solve with CP-SAT within the time left, polling the cancel token and `stop` as it runs."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, min(time_limit_s, control.remaining()))
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers or 0
    for key, value in (params or {}).items():
        if isinstance(value, list):
            getattr(solver.parameters, key).extend(value)
        else:
            setattr(solver.parameters, key, value)
    done = threading.Event()

    def watch() -> None:
        """Stop the search as soon as the caller cancels."""
        while not done.wait(0.05):
            if control.cancelled() or (stop is not None and stop()):
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        status = solver.solve(model, _Callback(control) if report else None)
    finally:
        done.set()
        watcher.join()
    return solver, status


def make_solution(
    problem: Problem,
    starts: dict[str, int],
    status: str,
    bound: float | None,
    control: Control,
    method: str,
    stats: Mapping[str, object] | None = None,
) -> Solution:
    """A Solution for a plan given by start periods, with reasons for the projects left out."""
    usage = Usage(problem)
    for project in problem.topological_order:
        if project.id in starts:
            usage.add(project, starts[project.id])
    objective = objective_of(problem, starts)
    if bound is not None:
        bound = float(bound)
        if status == "optimal":
            bound = float(objective)
    return Solution(
        status=status,  # type: ignore[arg-type]
        objective=objective,
        bound=bound,
        runtime_s=control.elapsed(),
        assignments=tuple(Assignment(pid, s) for pid, s in sorted(starts.items())),
        unscheduled=unscheduled_reasons(problem, usage),
        method=method,
        stats=dict(stats or {}),
    )
