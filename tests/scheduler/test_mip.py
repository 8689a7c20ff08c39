"""SCIP beside CP-SAT on small problems: same formulation, exact re-check, never a false proof."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace

import pytest

import scheduler.improve as improve
from benchmarks._districts import district
from scheduler import Problem, Project, Site, greedy
from scheduler.generate import generate_district
from scheduler.mip import MipSearch, exact_plan_fits, suitable

from .conftest import solve_checked


def _knapsack() -> Problem:
    """Three projects, budget for two of them: the best pair is A + C (value 11)."""
    projects = (
        Project("A", 1, cost=60, value=6, site="S1", crews={"net": 1}),
        Project("B", 2, cost=50, value=4, site="S2", crews={"net": 1}),
        Project("C", 1, cost=40, value=5, site="S3", crews={"net": 1}, after=()),
    )
    sites = (Site("S1"), Site("S2"), Site("S3"))
    return Problem(
        horizon=2,
        projects=projects,
        sites=sites,
        trades={"net": 1},
        annual_budget=100,
        blackout_periods=frozenset(),
    )


def _brute_force(problem: Problem) -> int:
    """The best plan value over every assignment of start periods (or no start)."""
    options = [[None, *problem.static_starts(p)] for p in problem.projects]
    best = -1
    for choice in itertools.product(*options):
        starts = {p.id: s for p, s in zip(problem.projects, choice, strict=True) if s is not None}
        if exact_plan_fits(problem, starts):
            best = max(best, sum(problem.project_by_id[pid].value for pid in starts))
    return best


def test_scip_proves_the_hand_optimum():
    problem = _knapsack()
    mip = MipSearch(problem, stop=lambda: False)
    assert mip.start(hint=None, time_limit_s=10)
    result = mip.join()
    assert result.optimal
    assert set(result.starts) == {"A", "C"}
    assert exact_plan_fits(problem, result.starts)
    assert result.bound == pytest.approx(11)
    assert _brute_force(problem) == 11


def test_exact_check_refuses_what_floating_point_might_let_through():
    problem = _knapsack()
    assert exact_plan_fits(problem, {"A": 0, "C": 1})
    assert not exact_plan_fits(problem, {"A": 0, "B": 0})  # one crew, both in period 0
    assert not exact_plan_fits(problem, {"A": 0, "B": 1})  # B runs past the horizon
    over = Problem(
        horizon=2,
        projects=problem.projects,
        sites=problem.sites,
        trades={"net": 2},
        annual_budget=99,  # A + C cost 100: one cent over
    )
    assert not exact_plan_fits(over, {"A": 0, "C": 1})
    chained = Problem(
        horizon=3,
        projects=(Project("P", 1, value=1), Project("Q", 1, value=1, after=("P",))),
    )
    assert not exact_plan_fits(chained, {"Q": 0})  # without its predecessor
    assert not exact_plan_fits(chained, {"P": 1, "Q": 1})  # before its predecessor ends
    assert exact_plan_fits(chained, {"P": 0, "Q": 1})


def test_numbers_too_large_for_floating_point_stay_with_cp_sat():
    assert suitable(_knapsack())
    huge = Problem(horizon=2, projects=(Project("A", 1, cost=2**50, value=1),))
    assert not suitable(huge)
    makespan = Problem(horizon=4, projects=(Project("A", 1),), objective="min_makespan")
    assert not suitable(makespan)


def test_interrupt_returns_promptly_with_a_checked_plan():
    problem = generate_district(50, seed=5)  # not proven in 10 s: SCIP would run to the limit
    mip = MipSearch(problem, stop=lambda: False)
    assert mip.start(hint=None, time_limit_s=60)
    time.sleep(1.0)
    asked = time.monotonic()
    mip.interrupt()
    result = mip.join()
    assert time.monotonic() - asked < 10.0  # not the 60 s limit (loose: machines are busy)
    assert mip.done()
    if result.starts is not None:
        assert exact_plan_fits(problem, result.starts)
    assert result.bound is None or result.bound >= 6000


def test_solve_on_a_small_district_takes_the_best_of_both_provers():
    problem = generate_district(50, seed=1)  # CP-SAT alone leaves this one point open in 10 s
    solution = solve_checked(problem, time_limit_s=10)
    assert solution.status == "optimal"
    assert solution.objective == solution.bound
    assert "scip_bound" in solution.stats
    assert solution.stats["scip_bound"] >= solution.objective - 1e-6


def test_re_planning_with_a_move_penalty_stays_cp_sat_only():
    problem = generate_district(20, seed=3)
    first = solve_checked(problem, time_limit_s=3)
    again = solve_checked(problem, time_limit_s=3, hint=first, move_penalty=5)
    assert "scip_bound" not in again.stats
    assert again.starts == first.starts  # nothing changed, so nothing moves


def test_small_path_moves_on_to_neighbourhoods_when_no_proof_comes():
    """Crew-bound, no annual budget: the whole model stalls, so neighbourhoods take over."""
    problem = replace(district("lean", 50, seed=1), annual_budget=None)
    assert len(problem.projects) >= improve.LNS_MIN_PROJECTS
    solution = solve_checked(problem, time_limit_s=4)
    assert solution.status == "feasible"
    assert solution.stats.get("lns_iterations", 0) > 0
    assert solution.objective >= greedy(problem).objective
    assert solution.bound >= solution.objective


def test_a_problem_below_the_threshold_keeps_the_whole_model():
    problem = generate_district(12, seed=2)
    assert len(problem.projects) < improve.LNS_MIN_PROJECTS
    solution = solve_checked(problem, time_limit_s=3)
    assert "lns_iterations" not in solution.stats
