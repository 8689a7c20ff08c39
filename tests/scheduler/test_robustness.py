"""Regression tests for what benchmarks/scheduler_stress.py found: one small case per fix."""

from __future__ import annotations

import json
import math
import sys
from dataclasses import replace

import pytest

from scheduler import Problem, Project, Site, Solution, check, greedy, lp_start
from scheduler.conflicts import core_conflicts
from scheduler.explain import static_conflicts
from scheduler.io import (
    problem_from_dict,
    solution_to_dict,
)
from scheduler.lp import LpResult, lp_bound
from scheduler.neighbourhood import subproblem
from scheduler.runner import Control

from .conftest import BASE, solve_checked, with_change

# --- neighbourhood search: a successor of a project that must stay out stays out too ---------


def test_subproblem_leaves_out_successors_of_freed_projects_that_must_stay_out():
    problem = Problem(
        6,
        (
            Project("F", duration=1, value=1),
            Project("A", duration=1, value=1, after=("F",)),
            Project("B", duration=1, value=5, after=("A",)),
        ),
    )
    # F stays out of the plan and is not freed, so A cannot be planned, and so neither can B.
    sub = subproblem(problem, {}, {"A", "B"})
    assert sub.projects == ()


# --- cancel and deadline reach the LP build and the conflict search --------------------------


def test_lp_build_stops_when_asked():
    problem = problem_from_dict(BASE)
    assert lp_bound(problem, stop=lambda: True).status == "cancelled"


def test_conflict_search_stops_when_asked():
    problem = Problem(
        3,
        tuple(Project(f"M{i}", 2, mandatory=True, crews={"n": 1}) for i in range(2)),
        trades={"n": 1},
    )
    assert core_conflicts(problem, time_limit_s=5, stop=lambda: True) is None
    assert core_conflicts(problem, time_limit_s=5) is not None


# --- greedy misses a required project: the required ones are placed first --------------------


def greedy_trap(pairs: int = 1) -> Problem:
    """Greedy puts A (better value per cost) in period 0, where B (only period 0) must go."""
    sites, projects = [], []
    for i in range(pairs):
        sites.append(Site(f"X{i}"))
        projects += [
            Project(f"A{i}", 1, cost=1, value=100, site=f"X{i}", mandatory=True,
                    allowed_start_periods={0, 1}),
            Project(f"B{i}", 1, cost=100, value=1, site=f"X{i}", mandatory=True,
                    allowed_start_periods={0}),
            Project(f"C{i}", 1, cost=1, value=5, site=f"X{i}"),
        ]  # fmt: skip
    return Problem(6, tuple(projects), tuple(sites))


def test_required_projects_greedy_misses_are_placed_first():
    problem = greedy_trap()
    assert not greedy(problem).has_plan
    solution = solve_checked(problem, time_limit_s=5)
    assert solution.starts["B0"] == 0 and solution.starts["A0"] == 1
    assert "C0" in solution.starts


def test_required_first_proves_infeasibility():
    problem = greedy_trap()
    trapped = Problem(
        problem.horizon,
        (*problem.projects, Project("D", 1, mandatory=True, site="X0", pinned_start=1)),
        problem.sites,
    )
    solution = solve_checked(trapped, time_limit_s=5)
    assert solution.status == "infeasible" and solution.conflicts


# --- explanations ---------------------------------------------------------------------------


def test_a_required_project_over_its_cap_is_named_once_with_the_amounts():
    problem = Problem(
        6,
        (Project("A", 1, cost=500, mandatory=True, site="S"),),
        (Site("S", budget_cap=100),),
    )
    conflicts = static_conflicts(problem)
    assert [c.message for c in conflicts] == [
        "required projects A cost 500; budget of site S is 100"
    ]


def test_pinned_into_a_district_blackout_says_district():
    problem = Problem(
        12,
        (Project("P", 1, site="S", pinned_start=9),),
        (Site("S"),),
        blackout_periods={9},
    )
    [conflict] = static_conflicts(problem)
    assert "a district blackout (9)" in conflict.message


def test_every_check_passes_on_the_stress_named_cases():
    """A few of the stress script's hand-built cases, end to end (fast: tiny problems)."""
    problem = Problem(
        6,
        (
            Project("Z0", duration=0, value=1),
            Project("Z1", duration=2, value=1, after=("Z0",)),
            Project("LONG", duration=7, value=9),
        ),
        (Site("EMPTY"),),
        trades={"a": [0, 2, 0, 2, 0, 2]},
        monthly_budget=[10, 0, 0, 20, 0, 10],
    )
    solution = solve_checked(problem, time_limit_s=2)
    assert check(problem, solution) == []
    assert {u.project for u in solution.unscheduled} == {"LONG"}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Project("A", 1, crews=None), None),
        (lambda: Project("A", 1, after=None), None),
        (lambda: Site("S", blackout_periods=None), None),
        (lambda: Project("A", 1, crews=["net"]), "project A: crews must be a mapping"),
        (lambda: Project("A", 1, after=[3]), "project A: after must list project ids"),
        (lambda: Project("A", 1, allowed_start_periods=3), "allowed_start_periods must be a list"),
        (lambda: Project("A", 1, site=5), "project A: site must be a non-empty string"),
        (lambda: Site("S", blackout_periods=9), "site S: blackout_periods must be a list"),
        (lambda: Problem(3, (), trades=[("net", 1)]), "trades must be a mapping"),
        (lambda: Problem(3, ("A",)), "projects must hold Project objects"),
        (lambda: Problem(3, (), blackout_periods=2), "blackout_periods must be a list"),
    ],
)
def test_the_api_gives_value_errors_not_type_errors(build, message):
    if message is None:
        build()  # None means "empty"
        return
    with pytest.raises(ValueError, match=message):
        build()


def test_lp_build_has_its_own_time_limit():
    problem = problem_from_dict(BASE)
    assert lp_bound(problem, build_time_limit_s=0.0).status == "cancelled"
    assert lp_bound(problem).bound is not None


def test_static_starts_are_cached_per_problem_but_not_for_outside_projects():
    problem = Problem(6, (Project("A", 2, earliest=1, allowed_start_periods={1, 2, 5}),))
    project = problem.project_by_id["A"]
    first = problem.static_starts(project)
    first.append(99)  # callers get their own list
    assert problem.static_starts(project) == [1, 2]
    assert problem.static_starts(replace(project, earliest=2)) == [2]
    assert problem.static_starts(replace(project, pinned_start=5)) == []


def test_conflicts_are_searched_among_required_projects_only(monkeypatch):
    solve_module = sys.modules["scheduler.solve"]  # the package exports a function `solve`
    seen: list[Problem] = []
    real = solve_module.core_conflicts

    def spy(problem, **options):
        seen.append(problem)
        return real(problem, **options)

    monkeypatch.setattr(solve_module, "core_conflicts", spy)
    # Y1's predecessor P0, Y2 and W must each take period 0 or 1, and each pair shares a
    # trade of one crew: an odd cycle no window of required work shows (energy.py)
    one = [1, 1, 1]
    early = frozenset({0, 1})
    problem = Problem(
        3,
        (
            Project("P0", 1, value=1, crews={"a": 1, "c": 1}),
            Project("Y1", 1, site="Y", pinned_start=2, after=("P0",)),
            Project("Y2", 1, mandatory=True, crews={"a": 1, "b": 1}, allowed_start_periods=early),
            Project("W", 1, mandatory=True, crews={"b": 1, "c": 1}, allowed_start_periods=early),
            *(Project(f"OPT{i}", 1, value=i, site="Y") for i in range(5)),
        ),
        (Site("Y"),),
        trades={"a": one, "b": one, "c": one},
    )
    solution = solve_checked(problem, time_limit_s=5)
    assert solution.status == "infeasible"
    assert {p.id for p in seen[0].projects} == {"P0", "Y1", "Y2", "W"}
    assert set(solution.conflicts[0].projects) == {"Y1", "Y2", "W"}


def test_a_site_that_takes_no_projects_is_not_called_busy():
    problem = Problem(3, (Project("A", 1, value=1, site="S"),), (Site("S", max_concurrent=0),))
    [left_out] = solve_checked(problem, time_limit_s=2).unscheduled
    wanted = "no month where it fits: site S takes no projects (for a start in 0-2)"
    assert left_out.reason == wanted


def test_non_finite_lp_results_are_ignored_and_never_written(monkeypatch):
    improve_module = sys.modules["scheduler.improve"]
    monkeypatch.setattr(
        lp_start, "lp_bound", lambda *_a, **_k: LpResult(math.nan, {}, "dual bound")
    )
    search = improve_module.Search(
        problem_from_dict(BASE), Control(5, None, None, True), {}, 0, None
    )
    lp_start.lp_start(search)  # no crash on floor(nan)
    assert search.bound is None
    written = solution_to_dict(Solution("feasible", objective=1, stats={"lp_bound": math.nan}))
    assert json.dumps(written, allow_nan=False)


def chained(horizon: int) -> Problem:
    """Two chains sharing one crew, with deadlines: the predecessor rules decide the optimum."""
    projects = []
    for chain in range(2):
        for i in range(4):
            projects.append(
                Project(
                    f"C{chain}-{i}",
                    duration=1 + (i + chain) % 3,
                    value=3 + i * (chain + 1),
                    crews={"a": 1},
                    after=(f"C{chain}-{i - 1}",) if i else (),
                    latest_end=horizon - chain,
                )
            )
    return Problem(horizon, tuple(projects), trades={"a": [1, 1, 0] * (horizon // 3)})


@pytest.mark.parametrize("compact", [False, True])
def test_predecessor_rule_in_both_forms(monkeypatch, compact):
    from ortools.sat.python import cp_model

    import scheduler.model as model_module

    if compact:  # running sums on every link
        monkeypatch.setattr(model_module, "COMPACT_LINK_SIZE", 0)
        monkeypatch.setattr(sys.modules["scheduler.lp"], "COMPACT_LINK_SIZE", 0)
    for a_start in range(4):
        for b_start in range(6):
            problem = Problem(
                7,
                (
                    Project("A", 3, value=1, pinned_start=a_start),
                    Project("B", 1, value=1, pinned_start=b_start, after=("A",)),
                ),
            )
            model, _v = model_module.build_model(problem)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            feasible = solver.solve(model) == cp_model.OPTIMAL
            assert feasible == (b_start >= a_start + 3), (a_start, b_start)
    # the LP: B (worth 10) can only follow A if A starts at 0 (then B starts at 3)
    for a_earliest, bound in ((0, 11.0), (1, 1.0)):
        problem = Problem(
            6,
            (
                Project("A", 3, value=1, earliest=a_earliest),
                Project("B", 1, value=10, after=("A",), latest_end=4),
                Project("C", 1, value=0),
            ),
        )
        assert lp_bound(problem).bound == pytest.approx(bound, abs=1e-6)


def test_model_building_stops_when_asked():
    from scheduler.model import ModelStopped, build_model

    with pytest.raises(ModelStopped):
        build_model(chained(12), stop=lambda: True)


def test_comment_and_metadata_keys_are_allowed():
    data = with_change(_comment="draft", **{"$schema": "sep.json"})
    data["projects"][0]["_note"] = "from the 2025 audit"
    data["sites"][0]["$id"] = "x"
    assert len(problem_from_dict(data).projects) == 2
