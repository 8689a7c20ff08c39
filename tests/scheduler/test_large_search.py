"""The large-problem path: LP relaxation, LP rounding and neighbourhood search stay valid."""

from __future__ import annotations

import math
import threading

import pytest

import scheduler.improve as improve
import scheduler.lp as lp
from benchmarks._districts import district as other_district
from scheduler import Problem, Project, check, greedy, lp_start, solve
from scheduler.generate import generate_district
from scheduler.greedy import predecessors_first
from scheduler.lp import LpResult, lp_bound
from scheduler.neighbourhood import free_units, subproblem
from scheduler.runner import Control, make_solution

from .conftest import solve_checked


@pytest.fixture
def district():
    """A small synthetic district."""
    return generate_district(30, seed=11)


def test_pdlp_dual_bound_is_a_valid_upper_bound(district):
    exact = lp_bound(district, method="GLOP")
    approximate = lp_bound(district, method="PDLP")
    assert exact.status == "optimal"
    assert approximate.bound >= exact.bound - 1e-6
    assert approximate.bound <= exact.bound * 1.01
    assert exact.bound >= greedy(district).objective


def test_neighbourhood_search_path_gives_clean_plans_no_worse_than_greedy(district, monkeypatch):
    monkeypatch.setattr(improve, "FULL_MODEL_MAX_CHOICES", 0)
    solution = solve_checked(district, time_limit_s=4)
    assert solution.objective >= greedy(district).objective
    assert solution.bound is not None and solution.bound >= solution.objective
    assert solution.stats.get("lns_iterations", 0) > 0


def test_a_subproblem_plan_combines_with_the_fixed_part(district):
    plan = greedy(district).starts
    free = [pid for unit in free_units(district)[:5] for pid in unit]
    sub = subproblem(district, plan, free)
    sub_plan = solve(sub, time_limit_s=2, workers=1)
    assert sub_plan.has_plan
    combined = {p: s for p, s in plan.items() if p not in free} | sub_plan.starts
    assert check_plan(district, combined)


def test_replanning_with_a_move_penalty_on_the_large_path(district, monkeypatch):
    monkeypatch.setattr(improve, "FULL_MODEL_MAX_CHOICES", 0)
    first = solve_checked(district, time_limit_s=2)
    again = solve_checked(district, time_limit_s=2, hint=first, move_penalty=10_000)
    moved = sum(1 for p, s in first.starts.items() if again.starts.get(p) != s)
    assert moved == 0


def test_rounding_order_puts_each_predecessor_just_before_its_successor():
    projects = (
        Project("core", 1, value=1),
        Project("lan", 1, value=9, after=("core",)),
        Project("wifi", 1, value=8, after=("cabling", "lan")),
        Project("cabling", 1, value=2),
        Project("voice", 1, value=5),
    )
    problem = Problem(horizon=6, projects=projects)
    by_weight = [problem.project_by_id[i] for i in ("wifi", "lan", "voice", "core", "cabling")]
    order = [p.id for p in predecessors_first(problem, by_weight)]
    assert order == ["cabling", "core", "lan", "wifi", "voice"]
    assert sorted(order) == sorted(p.id for p in projects)  # each exactly once


def test_lp_rounding_keeps_chained_districts_close_to_the_bound(monkeypatch):
    """Chains across sites: rounding in LP-weight order used to strand successors (~90 %)."""
    problem = other_district("chains", 120, seed=2)
    monkeypatch.setattr(improve, "FULL_MODEL_MAX_CHOICES", 0)  # force the large path
    monkeypatch.setattr(improve, "_lns", lambda search, **_: None)  # rounding alone
    solution = solve_checked(problem, time_limit_s=20)
    assert solution.method == "lp rounding"
    bound = lp_bound(problem).bound
    assert solution.objective >= 0.97 * bound, (solution.objective, bound)


def test_lp_start_falls_back_to_the_first_order_method_when_simplex_does_not_finish(
    district, monkeypatch
):
    calls = []

    def slow_simplex(problem, *, method, **kwargs):
        calls.append((method, kwargs["site_sets"]))
        if method == "GLOP":
            return LpResult(None, {}, "not solved")
        return lp_bound(problem, method=method, **kwargs)

    monkeypatch.setattr(lp_start, "lp_bound", slow_simplex)
    search = improve.Search(district, Control(10, None, None, True), {}, 0, None)
    lp_start.lp_start(search)
    assert calls == [("GLOP", True), ("PDLP", True)]
    assert search.stats["lp_method"] == "PDLP"
    optimum = solve_checked(district, time_limit_s=10).objective
    assert search.bound >= optimum
    assert search.starts is not None and check_plan(district, search.starts)


class RecordedRuns:
    """`build_lp` wrapped: every LP run it builds is kept; simplex can be made to fail."""

    def __init__(self, *, simplex_fails: bool = False) -> None:
        self.runs: list[lp.LpRun] = []
        self.simplex_fails = simplex_fails

    def __call__(self, problem, method, **kwargs):
        run = lp.build_lp(problem, method, **kwargs)
        if run is not None:
            self.runs.append(run)
            if self.simplex_fails and method == "GLOP":
                failed = LpResult(None, {}, "not solved")
                run.solve = lambda *_a, **_k: setattr(run, "result", failed) or failed
        return run


def test_lp_race_takes_the_exact_simplex_answer_and_stops_the_other_run(district, monkeypatch):
    recorded = RecordedRuns()
    monkeypatch.setattr(lp_start, "build_lp", recorded)
    search = improve.Search(district, Control(10, None, None, True), {}, 0, None)
    lp_start.lp_start(search, race=True)
    assert search.stats["lp_method"] == "GLOP"
    assert search.bound == math.floor(lp_bound(district, site_sets=True).bound + 1e-6)
    assert recorded.runs[0].method == "GLOP"  # a small relaxation: simplex is built first
    assert all(run.done() for run in recorded.runs)  # no LP thread outlives the race
    assert search.starts is not None and check_plan(district, search.starts)


def test_lp_race_falls_back_to_the_first_order_answer_when_simplex_fails(district, monkeypatch):
    recorded = RecordedRuns(simplex_fails=True)
    monkeypatch.setattr(lp_start, "build_lp", recorded)
    search = improve.Search(district, Control(10, None, None, True), {}, 0, None)
    lp_start.lp_start(search, race=True)
    assert [run.method for run in recorded.runs] == ["GLOP", "PDLP"]
    assert search.stats["lp_method"] == "PDLP"
    assert all(run.done() for run in recorded.runs)
    optimum = solve_checked(district, time_limit_s=10).objective
    assert search.bound >= optimum
    assert search.starts is not None and check_plan(district, search.starts)


def test_lp_race_starts_the_first_order_run_first_when_time_looks_short(district, monkeypatch):
    recorded = RecordedRuns()
    monkeypatch.setattr(lp_start, "build_lp", recorded)
    monkeypatch.setattr(lp_start, "LP_GLOP_CHOICES_PER_S", 0)  # simplex never looks fast enough
    search = improve.Search(district, Control(10, None, None, True), {}, 0, None)
    lp_start.lp_start(search, race=True)
    assert recorded.runs[0].method == "PDLP"
    assert search.stats["lp_method"] in ("GLOP", "PDLP")  # whichever answered first
    assert all(run.done() for run in recorded.runs)
    assert search.bound >= solve_checked(district, time_limit_s=10).objective
    assert search.starts is not None and check_plan(district, search.starts)


def test_lp_race_stops_both_runs_on_cancel(monkeypatch):
    problem = generate_district(400, seed=3)
    recorded = RecordedRuns()
    monkeypatch.setattr(lp_start, "build_lp", recorded)
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    search = improve.Search(problem, Control(60, cancel, None, True), {}, 0, None)
    lp_start.lp_start(search, race=True)
    assert cancel.is_set()
    assert search.bound is None and "lp_method" not in search.stats
    assert all(run.done() for run in recorded.runs)


def test_neighbourhood_search_stops_once_the_plan_reaches_the_bound(district):
    plan = solve_checked(district, time_limit_s=10)
    assert plan.status == "optimal"
    search = improve.Search(district, Control(10, None, None, True), {}, 0, dict(plan.starts))
    search.bound = plan.objective + 0.5  # floor(bound) == the plan's value: nothing to gain
    improve._lns(search, seed=0, workers=1)
    assert "lns_iterations" not in search.stats
    search.bound = plan.objective + 1.0  # one point could be missing: keep searching
    search.control = Control(0.5, None, None, True)
    improve._lns(search, seed=0, workers=1)
    assert search.stats["lns_iterations"] > 0


def check_plan(problem: Problem, starts: dict[str, int]) -> bool:
    """True when the checker finds nothing wrong with the plan."""
    solution = make_solution(problem, starts, "feasible", None, Control(1, None, None, True), "")
    return check(problem, solution) == []
