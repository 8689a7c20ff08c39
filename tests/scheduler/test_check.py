"""The independent checker catches each kind of broken plan."""

from __future__ import annotations

import pytest

from scheduler import Assignment, Problem, Project, Site, Solution, Unscheduled, check


def problem() -> Problem:
    """A small problem that exercises every rule."""
    return Problem(
        horizon=6,
        trades={"network": 1},
        annual_budget=300,
        monthly_budget=150,
        funding_caps={"bond": 100},
        blackout_periods=[5],
        sites=[Site("S1", blackout_periods=[4], budget_cap=200), Site("S2", max_concurrent=2)],
        projects=[
            Project("A", duration=2, cost=100, value=5, site="S1", crews={"network": 1}),
            Project("B", duration=1, cost=100, value=4, site="S1", funding="bond"),
            Project("C", duration=1, cost=60, value=3, site="S2", after=("A",), latest_end=4),
            Project("D", duration=1, cost=10, value=1, site="S2", mandatory=True),
            Project("E", duration=1, cost=10, value=1, site="S2", pinned_start=1),
            Project(
                "F", duration=1, cost=10, value=1, site="S2", allowed_start_periods=[3], earliest=3
            ),
        ],
    )


def plan(starts: dict[str, int], objective: int | None = None, **fields) -> Solution:
    """A feasible-status solution with these starts and the others listed as unscheduled."""
    value = {"A": 5, "B": 4, "C": 3, "D": 1, "E": 1, "F": 1}
    unscheduled = [Unscheduled(p, "left out") for p in value if p not in starts]
    fields.setdefault("unscheduled", unscheduled)
    return Solution(
        "feasible",
        objective if objective is not None else sum(value[p] for p in starts),
        None,
        0.0,
        [Assignment(p, s) for p, s in starts.items()],
        **fields,
    )


VALID = {"A": 0, "B": 2, "C": 3, "D": 0, "E": 1, "F": 3}


def rules(starts: dict[str, int], **fields) -> set[str]:
    """The rules the checker reports for a plan."""
    return {violation.rule for violation in check(problem(), plan(starts, **fields))}


def test_a_valid_plan_has_no_violation():
    assert check(problem(), plan(VALID)) == []


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"A": 5}, "horizon"),
        ({"F": 4}, "allowed_start_periods"),
        ({"F": 2}, "earliest"),
        ({"C": 4}, "latest_end"),
        ({"E": 2}, "pinned"),
        ({"C": 1}, "predecessors"),
        ({"B": 4}, "site_blackout"),
        ({"D": 5}, "blackout"),
        ({"B": 0}, "site_concurrency"),
        ({"C": 2, "D": 2}, "monthly_budget"),
    ],
)
def test_each_broken_rule_is_reported(change, rule):
    assert rule in rules({**VALID, **change})


def test_crews_over_capacity_is_reported():
    broken = problem()
    extra = Project("G", duration=1, crews={"network": 1})
    broken = Problem(**{**broken.__dict__, "projects": (*broken.projects, extra)})
    starts = {**VALID, "G": 1}
    solution = plan(starts, objective=sum({"A": 5, "B": 4, "C": 3}.get(p, 1) for p in starts) - 1)
    assert "crews" in {v.rule for v in check(broken, solution)}


def test_missing_required_and_predecessor_and_budgets():
    assert "mandatory" in rules({k: v for k, v in VALID.items() if k != "D"})
    assert "pinned" in rules({k: v for k, v in VALID.items() if k != "E"})
    assert "predecessors" in rules({k: v for k, v in VALID.items() if k != "A"})


def test_money_caps_are_reported():
    tight = Problem(
        horizon=2,
        annual_budget=100,
        funding_caps={"bond": 50},
        sites=[Site("S1", max_concurrent=2, budget_cap=60)],
        projects=[
            Project("A", duration=1, cost=70, site="S1", funding="bond"),
            Project("B", duration=1, cost=70),
        ],
    )
    solution = Solution("feasible", 0, None, 0.0, [Assignment("A", 0), Assignment("B", 1)])
    found = {v.rule for v in check(tight, solution)}
    assert {"annual_budget", "funding_cap", "site_budget"} <= found


def test_wrong_objective_unknown_project_and_duplicates():
    assert "objective" in rules(VALID, objective=99)
    broken = plan(VALID)
    broken = Solution(
        "feasible", broken.objective, None, 0.0, [*broken.assignments, Assignment("Z", 0)]
    )
    assert "assignments" in {v.rule for v in check(problem(), broken)}
    twice = Solution("feasible", 15, None, 0.0, [*plan(VALID).assignments, Assignment("A", 0)])
    assert "assignments" in {v.rule for v in check(problem(), twice)}


def test_unlisted_unscheduled_project_is_reported():
    starts = {k: v for k, v in VALID.items() if k != "B"}
    assert "unscheduled" in rules(starts, unscheduled=[])


def test_infeasible_answers_must_name_conflicts():
    solution = Solution("infeasible")
    assert [v.rule for v in check(problem(), solution)] == ["conflicts"]
