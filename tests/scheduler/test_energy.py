"""Energetic conflicts: required work that cannot fit in a window, named before any search."""

from __future__ import annotations

import sys
from dataclasses import replace

from hypothesis import HealthCheck, given, settings

from scheduler import Problem, Project, Site, greedy, solve
from scheduler.energy import energy_conflicts, tightest
from scheduler.explain import required_closure
from scheduler.generate import generate_district

from .test_properties import small_problems


def _conflicts(problem: Problem):
    return energy_conflicts(problem, required_closure(problem))


def _network(pid: str, duration: int, **fields) -> Project:
    return Project(pid, duration=duration, crews={"network": 1}, mandatory=True, **fields)


def test_crew_months_over_the_year_are_named_with_the_fewest_projects():
    problem = Problem(
        horizon=4,
        projects=(_network("A", 2), _network("B", 2), _network("C", 2), _network("D", 1)),
        trades={"network": [1, 1, 1, 1]},
    )
    [conflict] = _conflicts(problem)
    assert conflict.constraint == "crews"
    assert conflict.projects == ("A", "B", "C")  # the three two-month projects already need 6
    assert conflict.message == (
        "required projects A, B, C need 6 network crew-months in periods 0-3; network has 4 there"
    )


def test_a_window_is_found_where_the_whole_year_has_room():
    summer = frozenset({0})
    problem = Problem(
        horizon=12,
        projects=tuple(_network(f"P{i}", 2, allowed_start_periods=summer) for i in range(3)),
        trades={"network": [2] * 12},  # 24 crew-months in the year, 4 in periods 0-1
    )
    [conflict] = _conflicts(problem)
    assert conflict.message.endswith(
        "need 6 network crew-months in periods 0-1; network has 4 there"
    )


def test_predecessors_narrow_the_starts():
    problem = Problem(
        horizon=6,
        projects=(
            _network("A", 2),
            _network("B", 2, after=("A",), latest_end=4),  # so A must take periods 0-1
            _network("C", 1, latest_end=4),
        ),
        trades={"network": [1] * 6},
    )
    [conflict] = _conflicts(problem)
    assert conflict.message == (
        "required projects A, B, C need 5 network crew-months in periods 0-3; network has 4 there"
    )
    a, b, c = problem.projects
    assert _conflicts(replace(problem, projects=(a, replace(b, after=()), c))) == []


def test_a_site_taking_one_project_at_a_time():
    site = Site("S1", max_concurrent=1)
    problem = Problem(
        horizon=3,
        projects=(
            Project("A", duration=2, site="S1", mandatory=True),
            Project("B", duration=2, site="S1", mandatory=True),
        ),
        sites=(site,),
    )
    [conflict] = _conflicts(problem)
    assert conflict.constraint == "site_concurrency"
    assert conflict.sites == ("S1",)
    assert "need 4 project-months at site S1 in periods 0-2" in conflict.message
    assert "takes 1 project at a time (3 there)" in conflict.message


def test_purchases_that_must_fall_in_one_month():
    problem = Problem(
        horizon=6,
        projects=(
            Project("A", duration=1, cost=80, mandatory=True, allowed_start_periods=frozenset({2})),
            Project("B", duration=1, cost=80, mandatory=True, pinned_start=2),
            Project("C", duration=1, cost=80, mandatory=True),
        ),
        monthly_budget=[100] * 6,
    )
    [conflict] = _conflicts(problem)
    assert conflict.constraint == "monthly_budget"
    assert conflict.projects == ("A", "B")
    assert conflict.periods == (2,)
    assert conflict.message == (
        "required projects A, B must start in period 2, costing 160; the monthly budget of "
        "period 2 is 100"
    )


def test_solve_names_the_window_conflict_before_any_search():
    district = generate_district(200, seed=3)
    problem = replace(
        district,
        projects=tuple(
            replace(p, mandatory=not p.after and p.latest_end == district.horizon)
            for p in district.projects
        ),
        annual_budget=None,
        monthly_budget=None,
        funding_caps={},
        sites=tuple(replace(s, budget_cap=None) for s in district.sites),
    )
    solution = solve(problem, time_limit_s=30)
    assert solution.status == "infeasible"
    assert {c.constraint for c in solution.conflicts} <= {"crews", "site_concurrency"}
    assert all(
        "crew-months" in c.message or "project-months" in c.message for c in solution.conflicts
    )


def test_no_conflict_when_every_project_of_a_real_plan_is_required():
    for sites, horizon in ((60, 12), (40, 24)):
        district = generate_district(sites, seed=sites, horizon=horizon)
        plan = greedy(district).starts
        problem = replace(
            district,
            projects=tuple(replace(p, mandatory=p.id in plan) for p in district.projects),
        )
        assert _conflicts(problem) == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_sound_on_random_problems_a_feasible_plan_is_never_called_conflicting(problem):
    """Requiring exactly what a valid plan schedules keeps the problem feasible."""
    plan = greedy(problem)
    if not plan.has_plan:
        return
    required = replace(
        problem,
        projects=tuple(
            replace(p, mandatory=p.id in plan.starts, pinned_start=None) for p in problem.projects
        ),
    )
    if required.objective == "min_makespan":
        required = replace(required, objective="max_value")
    assert _conflicts(required) == []


def test_tightest_names_the_fullest_window():
    problem = Problem(
        horizon=4,
        projects=(_network("A", 2), _network("B", 1)),
        trades={"network": [1, 1, 1, 1]},
    )
    assert _conflicts(problem) == []
    assert tightest(problem, {"A", "B"}) == "network crews: 3 of the 4 crew-months in periods 0-3"
    assert tightest(problem, set()) is None


def test_when_the_search_cannot_narrow_the_conflict_it_says_so_and_where_to_look(monkeypatch):
    solve_module = sys.modules["scheduler.solve"]  # the package exports a function `solve`
    monkeypatch.setattr(solve_module, "core_conflicts", lambda problem, **options: None)
    one = [1, 1]
    problem = Problem(  # three projects in two periods, each pair sharing a one-crew trade
        2,
        (
            Project("X", 1, mandatory=True, crews={"a": 1, "c": 1}),
            Project("Y", 1, mandatory=True, crews={"a": 1, "b": 1}),
            Project("Z", 1, mandatory=True, crews={"b": 1, "c": 1}),
        ),
        trades={"a": one, "b": one, "c": one},
    )
    solution = solve(problem, time_limit_s=5)
    assert solution.status == "infeasible"
    [conflict] = solution.conflicts
    assert conflict.projects == ("X", "Y", "Z")
    assert conflict.message.startswith("the 3 required projects cannot all be planned together")
    assert conflict.message.endswith(
        "what they fill most: a crews: 2 of the 2 crew-months in periods 0-1"
    )
