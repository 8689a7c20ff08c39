"""Progress reports, cancellation, the hint, and PSPLIB instances solved to their optimum."""

from __future__ import annotations

import threading
import time

import pytest

from scheduler import check, greedy, solve
from scheduler.generate import generate_district
from scheduler.psplib import parse_psplib

from .conftest import solve_checked


def test_progress_reports_improving_objectives_with_bound_and_time():
    problem = generate_district(20, seed=4)
    seen: list[tuple[int, float | None, float]] = []
    solution = solve_checked(problem, time_limit_s=3, on_progress=lambda *a: seen.append(a))
    assert seen, "no progress was reported"
    objectives = [objective for objective, _, _ in seen]
    assert objectives == sorted(objectives) and len(set(objectives)) == len(objectives)
    assert objectives[-1] == solution.objective
    assert all(elapsed >= 0 for _, _, elapsed in seen)


@pytest.mark.parametrize("kind", ["event", "callable"])
def test_cancel_stops_promptly_and_returns_the_best_plan_so_far(kind):
    problem = generate_district(300, seed=2)
    event = threading.Event()
    cancel = event if kind == "event" else event.is_set
    threading.Timer(1.5, event.set).start()
    started = time.monotonic()
    solution = solve(problem, time_limit_s=60, workers=2, cancel=cancel)
    assert time.monotonic() - started < 15
    assert solution.has_plan
    assert check(problem, solution) == []
    assert solution.objective >= greedy(problem).objective


def test_never_worse_than_greedy_on_a_district():
    problem = generate_district(40, seed=7)
    solution = solve_checked(problem, time_limit_s=3)
    assert solution.objective >= greedy(problem).objective
    assert solution.bound is not None and solution.bound >= solution.objective


def test_small_district_is_proven_optimal():
    problem = generate_district(8, seed=1)
    solution = solve_checked(problem, time_limit_s=10)
    assert solution.status == "optimal"
    assert solution.bound == solution.objective


def test_hint_starts_the_solver_from_a_previous_plan():
    problem = generate_district(15, seed=5)
    first = solve_checked(problem, time_limit_s=2)
    again = solve_checked(problem, time_limit_s=2, hint=first, move_penalty=1000)
    assert again.starts == first.starts


OPTIMA = {"j301_1.sm": 43, "j301_2.sm": 47, "j3010_1.sm": 42, "j302_3.sm": 43}


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_psplib_j30_instances_reach_their_optimum(psplib_dir, name):
    problem = parse_psplib((psplib_dir / "j30" / name).read_text())
    solution = solve_checked(problem, time_limit_s=10)
    assert solution.objective == OPTIMA[name]
