"""Property-based: random small problems always yield checker-clean plans no worse than greedy."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler import Problem, Project, Site, check, greedy, solve

TRADES = ("network", "cabling")


@st.composite
def small_problems(draw) -> Problem:
    """Up to 7 projects on up to 3 sites, over 2 to 6 periods, with random caps and rules."""
    horizon = draw(st.integers(2, 6))
    periods = st.integers(0, horizon - 1)
    sites = [
        Site(
            f"S{i}",
            max_concurrent=draw(st.integers(1, 2)),
            blackout_periods=draw(st.frozensets(periods, max_size=1)),
            budget_cap=draw(st.none() | st.integers(0, 200)),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    projects: list[Project] = []
    for i in range(draw(st.integers(1, 7))):
        earlier = [p.id for p in projects]
        projects.append(
            Project(
                f"P{i}",
                duration=draw(st.integers(0, 3)),
                cost=draw(st.integers(0, 100)),
                value=draw(st.integers(0, 20)),
                site=draw(st.sampled_from([None, *[s.id for s in sites]])),
                crews=draw(st.dictionaries(st.sampled_from(TRADES), st.integers(0, 2), max_size=2)),
                earliest=draw(st.integers(0, 2)),
                latest_end=draw(st.none() | st.integers(1, horizon)),
                allowed_start_periods=draw(st.none() | st.frozensets(periods, min_size=1)),
                after=tuple(draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True)))
                if earlier
                else (),
                funding=draw(st.sampled_from([None, "bond"])),
                mandatory=draw(st.booleans()) and draw(st.booleans()),
            )
        )
    return Problem(
        horizon=horizon,
        projects=tuple(projects),
        sites=tuple(sites),
        trades={
            t: draw(st.lists(st.integers(0, 3), min_size=horizon, max_size=horizon)) for t in TRADES
        },
        annual_budget=draw(st.none() | st.integers(0, 300)),
        monthly_budget=draw(st.none() | st.integers(0, 150)),
        funding_caps={"bond": draw(st.integers(0, 150))},
        blackout_periods=draw(st.frozensets(periods, max_size=1)),
        objective=draw(st.sampled_from(["max_value", "max_value", "min_makespan"])),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_random_problems_give_clean_plans_no_worse_than_greedy(problem):
    solution = solve(problem, time_limit_s=2, workers=2)
    assert check(problem, solution) == []
    assert solution.status != "unknown"
    baseline = greedy(problem)
    if baseline.status == "feasible":
        assert check(problem, baseline) == []
        assert solution.has_plan
        if problem.objective == "max_value":
            assert solution.objective >= baseline.objective
        else:
            assert solution.objective <= baseline.objective
    if solution.status == "infeasible":
        assert solution.conflicts
