"""Small-problem path: the redundant per-site sets tighten the model, never cut off a plan."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from scheduler import Problem, Project, Site
from scheduler.generate import generate_district
from scheduler.lp import budget_bound, lp_bound
from scheduler.model import build_model
from scheduler.site_sets import feasible_site_sets

from .conftest import solve_checked


def _optimum(problem: Problem, site_patterns: bool) -> tuple[int, float]:
    """Status and objective of CP-SAT on the whole model, with or without the site sets."""
    model, _ = build_model(problem, site_patterns=site_patterns)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 30
    status = solver.solve(model)
    return status, solver.objective_value


def _site(problem: Problem, site_id: str) -> tuple[list[Project], dict[str, list[int]]]:
    projects = [p for p in problem.projects if p.site == site_id]
    return projects, {p.id: problem.static_starts(p) for p in projects}


def test_budget_cap_excludes_sets_that_cost_too_much():
    projects = (
        Project("A", 1, cost=50, value=6, site="S"),
        Project("B", 1, cost=50, value=5, site="S"),
        Project("C", 1, cost=40, value=4, site="S"),
    )
    problem = Problem(horizon=6, projects=projects, sites=(Site("S", budget_cap=100),))
    listed, starts = _site(problem, "S")
    feasible = feasible_site_sets(problem, "S", listed, starts)
    assert feasible is not None
    assert 0b111 not in feasible  # all three cost 140
    assert {0b011, 0b101, 0b110} <= set(feasible)  # any two fit
    solution = solve_checked(problem, time_limit_s=5)
    assert solution.status == "optimal"
    assert solution.objective == 11


def test_projects_that_need_the_same_months_cannot_go_together():
    projects = (
        Project("A", 2, value=3, site="S", allowed_start_periods=frozenset({0})),
        Project("B", 2, value=2, site="S", allowed_start_periods=frozenset({1})),
        Project("C", 1, value=1, site="S"),
    )
    problem = Problem(horizon=3, projects=projects, sites=(Site("S"),))
    listed, starts = _site(problem, "S")
    feasible = set(feasible_site_sets(problem, "S", listed, starts) or ())
    assert 0b011 not in feasible  # A and B overlap in period 1
    assert 0b101 in feasible  # A in 0-1, C in 2
    assert 0b110 in feasible  # C in 0, B in 1-2
    solution = solve_checked(problem, time_limit_s=5)
    assert solution.status == "optimal"
    assert solution.objective == 4


def test_a_successor_needs_its_predecessor_at_the_site():
    projects = (
        Project("A", 2, value=1, site="S"),
        Project("B", 2, value=5, site="S", after=("A",)),
    )
    problem = Problem(horizon=3, projects=projects, sites=(Site("S"),))
    listed, starts = _site(problem, "S")
    assert feasible_site_sets(problem, "S", listed, starts) == [0b00, 0b01]  # B cannot follow A
    solution = solve_checked(problem, time_limit_s=5)
    assert solution.status == "optimal"
    assert solution.objective == 1


@pytest.mark.parametrize("seed", range(6))
def test_site_sets_keep_the_optimum_of_random_tiny_districts(seed):
    rng = random.Random(seed)
    sites = tuple(
        Site(f"S{k}", max_concurrent=rng.choice((1, 1, 2)), budget_cap=rng.choice((None, 90)))
        for k in range(3)
    )
    projects = []
    for k, site in itertools.product(range(4), sites):
        after = (f"{site.id}-P{k - 1}",) if k and rng.random() < 0.4 else ()
        projects.append(
            Project(
                f"{site.id}-P{k}",
                rng.choice((1, 2)),
                cost=rng.randrange(10, 60),
                value=rng.randrange(1, 20),
                site=site.id,
                crews={"net": 1},
                earliest=rng.choice((0, 0, 1)),
                allowed_start_periods=rng.choice((None, frozenset({0, 2}))),
                after=after,
            )
        )
    problem = Problem(
        horizon=4, projects=tuple(projects), sites=sites, trades={"net": (2, 2, 1, 2)}
    )
    plain, with_sets = _optimum(problem, False), _optimum(problem, True)
    assert plain[0] == with_sets[0] == cp_model.OPTIMAL
    assert plain[1] == with_sets[1]
    set_lp, plain_lp = lp_bound(problem, site_sets=True).bound, lp_bound(problem).bound
    assert plain[1] - 1e-6 <= set_lp <= plain_lp + 1e-6  # a valid bound, never looser
    solution = solve_checked(problem, time_limit_s=5)
    assert solution.status == "optimal"
    assert solution.objective == plain[1]


def test_site_set_relaxation_is_tighter_where_site_caps_bind():
    problem = generate_district(50, seed=7)
    plain, tighter = lp_bound(problem), lp_bound(problem, site_sets=True)
    assert tighter.bound < plain.bound - 50  # 6,077.5 against 6,175.5
    assert tighter.bound >= solve_checked(problem, time_limit_s=10).objective - 1e-6


def test_small_district_proof_with_site_sets():
    problem = generate_district(10, seed=3)
    solution = solve_checked(problem, time_limit_s=10)
    assert solution.status == "optimal"
    assert solution.objective == _optimum(problem, False)[1]


def test_budget_bound_fills_the_annual_budget_by_value_per_cost():
    projects = (
        Project("A", 1, cost=10, value=10),
        Project("B", 1, cost=20, value=30),
        Project("C", 1, cost=30, value=30),
        Project("Z", 1, cost=0, value=4),  # free: always counted
        Project("LONG", 5, cost=1, value=1000),  # longer than the horizon: never in a plan
    )
    problem = Problem(horizon=3, projects=projects, annual_budget=35)
    assert budget_bound(problem) == pytest.approx(4 + 30 + 10 + 30 * 5 / 30)
    assert budget_bound(replace(problem, annual_budget=None)) == 74


@pytest.mark.parametrize("seed", (3, 5))
def test_budget_bound_is_a_valid_bound_looser_than_the_relaxation(seed):
    problem = generate_district(10, seed=seed)
    solution = solve_checked(problem, time_limit_s=5)  # the checker passes on the bound too
    assert solution.objective <= lp_bound(problem).bound <= budget_bound(problem) + 1e-6
    assert solution.bound <= budget_bound(problem) + 1e-6  # never reports a looser one
