"""Each rule of the SEP problem file on a tiny problem whose optimum is known by hand."""

from __future__ import annotations

from scheduler import Problem, Project, Site

from .conftest import solve_checked

NET = {"network": 1}


def job(pid: str, **fields) -> Project:
    """A one-period project of value 10 with no crews, unless told otherwise."""
    fields.setdefault("duration", 1)
    fields.setdefault("value", 10)
    return Project(pid, **fields)


def test_selection_by_value_prefers_the_more_valuable_project():
    problem = Problem(
        horizon=1,
        annual_budget=100,
        projects=[job("A", cost=100, value=5), job("B", cost=100, value=9)],
    )
    solution = solve_checked(problem)
    assert solution.status == "optimal"
    assert solution.starts == {"B": 0}
    assert solution.objective == 9


def test_crew_capacity_per_trade_per_period():
    problem = Problem(
        horizon=3,
        trades={"network": [1, 1, 2]},
        projects=[job(p, duration=2, crews=NET) for p in "ABC"],
    )
    solution = solve_checked(problem)
    # Two periods of two crews are needed for two projects; only period 2 has two crews.
    assert solution.objective == 10
    assert len(solution.assignments) == 1


def test_a_project_needing_several_trades_needs_all_of_them():
    problem = Problem(
        horizon=1,
        trades={"network": 1, "cabling": 1},
        projects=[
            job("A", crews={"network": 1, "cabling": 1}, value=15),
            job("B", crews=NET, value=8),
            job("C", crews={"cabling": 1}, value=8),
        ],
    )
    assert solve_checked(problem).starts == {"B": 0, "C": 0}


def test_monthly_budget_charges_the_start_month():
    problem = Problem(
        horizon=2,
        monthly_budget=[100, 50],
        projects=[job("A", cost=60, duration=2), job("B", cost=60), job("C", cost=50, value=3)],
    )
    solution = solve_checked(problem)
    # Only one 60 fits month 0, and only C (50) fits month 1; A must start in 0.
    assert solution.objective == 13
    assert solution.starts["C"] == 1


def test_annual_budget():
    problem = Problem(
        horizon=3,
        annual_budget=100,
        projects=[
            job("A", cost=60, value=6),
            job("B", cost=50, value=5),
            job("C", cost=50, value=5),
        ],
    )
    assert solve_checked(problem).objective == 10


def test_funding_cap_only_counts_its_own_projects():
    problem = Problem(
        horizon=2,
        funding_caps={"bond": 100},
        projects=[
            job("A", cost=80, funding="bond"),
            job("B", cost=80, funding="bond"),
            job("C", cost=80, funding="general"),
        ],
    )
    assert solve_checked(problem).objective == 20


def test_site_budget_cap():
    problem = Problem(
        horizon=3,
        sites=[Site("S1", max_concurrent=3, budget_cap=100), Site("S2", max_concurrent=3)],
        projects=[
            job("A", site="S1", cost=60),
            job("B", site="S1", cost=60),
            job("C", site="S2", cost=60),
        ],
    )
    assert solve_checked(problem).objective == 20


def test_district_blackout_stops_projects_spanning_it():
    problem = Problem(
        horizon=3,
        blackout_periods=[1],
        projects=[job("LONG", duration=2, value=50), job("SHORT")],
    )
    solution = solve_checked(problem)
    assert solution.starts == {"SHORT": 0} or solution.starts == {"SHORT": 2}
    reason = {u.project: u.reason for u in solution.unscheduled}["LONG"]
    assert "blackout" in reason


def test_site_blackout():
    problem = Problem(
        horizon=2,
        sites=[Site("S1", blackout_periods=[0]), Site("S2")],
        projects=[job("A", site="S1", earliest=0, latest_end=1), job("B", site="S2", latest_end=1)],
    )
    assert solve_checked(problem).starts == {"B": 0}


def test_site_concurrency():
    sites = [Site("S1", max_concurrent=1), Site("S2", max_concurrent=2)]
    projects = [job(f"{s}-{n}", site=s, duration=2) for s in ("S1", "S2") for n in range(2)]
    solution = solve_checked(Problem(horizon=2, sites=sites, projects=projects))
    assert solution.objective == 30


def test_earliest_start_and_latest_end():
    problem = Problem(
        horizon=6,
        trades={"network": 1},
        projects=[
            job("A", crews=NET, duration=2, earliest=2, latest_end=4),
            job("B", crews=NET, duration=2, earliest=1, latest_end=4),
        ],
    )
    solution = solve_checked(problem)
    assert solution.objective == 10
    assert next(iter(solution.starts.values())) in (1, 2)


def test_allowed_start_periods():
    problem = Problem(horizon=6, projects=[job("A", allowed_start_periods=[4])])
    assert solve_checked(problem).starts == {"A": 4}


def test_predecessors_order_and_selection():
    problem = Problem(
        horizon=3,
        trades={"network": 1},
        projects=[
            job("CAB", duration=2, value=1),
            job("WIFI", value=20, after=("CAB",)),
            job("BIG", duration=3, value=5, crews=NET),
            job("LATE", value=50, after=("BIG",)),
        ],
    )
    solution = solve_checked(problem)
    assert solution.starts == {"CAB": 0, "WIFI": 2, "BIG": 0}
    reason = {u.project: u.reason for u in solution.unscheduled}["LATE"]
    assert "BIG" in reason and "too late" in reason


def test_mandatory_project_is_scheduled_even_if_less_valuable():
    problem = Problem(
        horizon=1,
        annual_budget=100,
        projects=[job("A", cost=100, value=1, mandatory=True), job("B", cost=100, value=9)],
    )
    assert solve_checked(problem).starts == {"A": 0}


def test_pinned_project_keeps_its_month():
    problem = Problem(
        horizon=3,
        trades={"network": 1},
        projects=[job("A", crews=NET, value=1, pinned_start=1), job("B", crews=NET, duration=2)],
    )
    solution = solve_checked(problem)
    assert solution.starts == {"A": 1}


def test_min_makespan_schedules_everything_as_early_as_possible():
    problem = Problem(
        horizon=10,
        objective="min_makespan",
        trades={"network": 1},
        projects=[
            job("A", duration=2, crews=NET),
            job("B", duration=3, crews=NET),
            job("C", duration=1, after=("A",)),
        ],
    )
    solution = solve_checked(problem)
    assert solution.status == "optimal"
    assert solution.objective == 5


def test_replan_with_move_penalty_keeps_the_baseline_months():
    problem = Problem(horizon=4, projects=[job("A"), job("B")])
    first = solve_checked(problem)
    moved = {"A": 3, "B": 2}
    from scheduler import Assignment, Solution

    baseline = Solution("feasible", 20, None, 0.0, [Assignment(p, s) for p, s in moved.items()])
    again = solve_checked(problem, hint=baseline, move_penalty=1)
    assert again.starts == moved
    assert first.objective == again.objective == 20
