"""min_makespan: schedule-generation heuristic, lower bound and the whole-model search."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from scheduler import Problem, Project, Site, Solution, check, greedy
from scheduler.makespan import SMALL_MODEL_WORKERS, build_makespan_model, solve_min_makespan
from scheduler.psplib import parse_psplib
from scheduler.runner import Control, default_workers
from scheduler.sgs import Instance, heuristic_schedule, lower_bound, serial
from scheduler.solution import Assignment

OPTIMA = {"j301_1.sm": 43, "j301_5.sm": 39, "j3010_3.sm": 62, "j3011_1.sm": 54}


def as_solution(problem: Problem, starts: dict[str, int]) -> Solution:
    """A plan given by start periods, for the checker."""
    span = max(starts[p.id] + p.duration for p in problem.projects)
    assignments = tuple(Assignment(pid, s) for pid, s in sorted(starts.items()))
    return Solution("feasible", objective=span, assignments=assignments)


def run(problem: Problem, time_limit_s: float = 5.0) -> Solution:
    """The makespan search on its own, checked."""
    control = Control(time_limit_s, None, None, maximise=False)
    solution = solve_min_makespan(problem, control, greedy(problem), None, seed=0, workers=2)
    if solution.has_plan:
        assert check(problem, solution) == []
    return solution


def rich_problem() -> Problem:
    """Sites with a concurrency limit and a blackout, crews that dip, earliest and chains."""
    return Problem(
        horizon=30,
        objective="min_makespan",
        trades={"network": [2] * 5 + [1] * 5 + [2] * 20, "cabling": 1},
        sites=(Site("S1", max_concurrent=1, blackout_periods={3}), Site("S2", max_concurrent=2)),
        blackout_periods={12},
        projects=(
            Project("A", duration=2, site="S1", crews={"network": 1}),
            Project("B", duration=3, site="S1", crews={"network": 1, "cabling": 1}),
            Project("C", duration=2, site="S2", crews={"network": 2}, after=("A",)),
            Project("D", duration=4, site="S2", crews={"cabling": 1}, earliest=2),
            Project("E", duration=0, after=("C", "D")),
            Project("F", duration=1, site="S2", crews={"network": 1}, after=("E",)),
            Project("G", duration=2, allowed_start_periods=frozenset({6, 9, 14})),
        ),
    )


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_heuristic_schedules_are_valid_and_near_the_optimum(psplib_dir, name):
    problem = parse_psplib((psplib_dir / "j30" / name).read_text())
    starts = heuristic_schedule(problem, time_limit_s=0)  # the priority rules only
    assert starts is not None
    solution = as_solution(problem, starts)
    assert check(problem, solution) == []
    assert OPTIMA[name] <= solution.objective <= 1.25 * OPTIMA[name]
    assert lower_bound(problem) <= OPTIMA[name]


def test_heuristic_respects_sites_blackouts_dips_and_start_periods():
    problem = rich_problem()
    starts = heuristic_schedule(problem, time_limit_s=0.05)
    assert starts is not None
    assert check(problem, as_solution(problem, starts)) == []
    assert starts["G"] in {6, 9, 14}


def test_serial_scheme_fails_cleanly_when_nothing_fits():
    problem = Problem(
        horizon=3,
        objective="min_makespan",
        trades={"network": 1},
        projects=(Project("A", duration=2, crews={"network": 1}), Project("B", duration=2)),
    )
    inst = Instance.of(problem)
    assert inst is not None
    inst.allowed[1] = []  # B has no start period left
    assert serial(inst, [0, 1]) is None


def test_lower_bound_is_the_critical_path_or_the_total_work():
    chain = Problem(
        horizon=20,
        objective="min_makespan",
        trades={"network": 5},
        projects=(Project("A", duration=3), Project("B", duration=4, after=("A",))),
    )
    assert lower_bound(chain) == 7
    work = Problem(
        horizon=20,
        objective="min_makespan",
        trades={"network": 2},
        projects=tuple(Project(p, duration=3, crews={"network": 1}) for p in "ABCDE"),
    )
    assert lower_bound(work) == 8  # 15 crew-periods, 2 a period


def test_heuristic_leaves_monthly_budgets_to_the_solver():
    problem = Problem(
        horizon=6,
        objective="min_makespan",
        monthly_budget=100,
        projects=(Project("A", duration=1, cost=100), Project("B", duration=1, cost=100)),
    )
    assert heuristic_schedule(problem, time_limit_s=0.05) is None
    solution = run(problem)
    assert solution.status == "optimal"
    assert solution.objective == 2


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_search_reaches_the_optimum_of_easy_j30_instances(psplib_dir, name):
    problem = parse_psplib((psplib_dir / "j30" / name).read_text())
    solution = run(problem, time_limit_s=10)
    assert solution.objective == OPTIMA[name]
    assert solution.status == "optimal"


def test_tiny_models_get_a_wider_portfolio_unless_the_caller_names_the_workers(psplib_dir):
    problem = parse_psplib((psplib_dir / "j30" / "j301_1.sm").read_text())
    chosen = {}
    for workers in (None, 1):
        control = Control(10, None, None, maximise=False)
        solution = solve_min_makespan(
            problem, control, greedy(problem), None, seed=0, workers=workers
        )
        assert solution.objective == OPTIMA["j301_1.sm"]
        assert check(problem, solution) == []
        chosen[workers] = solution.stats["cp_sat_workers"]
    assert chosen == {None: max(SMALL_MODEL_WORKERS, default_workers()), 1: 1}


def test_search_on_a_problem_with_every_rule():
    problem = rich_problem()
    solution = run(problem)
    assert solution.status == "optimal"
    assert solution.bound == solution.objective


def test_search_reports_infeasibility_for_the_caller_to_explain():
    problem = Problem(
        horizon=3,
        objective="min_makespan",
        trades={"network": 1},
        projects=tuple(Project(p, duration=2, crews={"network": 1}) for p in "AB"),
    )
    assert run(problem).status == "infeasible"


def test_model_upper_bound_limits_the_makespan(psplib_dir):
    problem = parse_psplib((psplib_dir / "j30" / "j301_1.sm").read_text())
    model, _ = build_makespan_model(problem, upper_bound=42)  # the optimum is 43
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(model) == cp_model.INFEASIBLE
