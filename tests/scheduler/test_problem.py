"""Validation of problems on construction: a clear ValueError naming the project or field."""

from __future__ import annotations

import pytest

from scheduler import Problem, Project, Site


def make(**overrides) -> Problem:
    """A one-project problem with overrides."""
    fields = {
        "horizon": 4,
        "trades": {"network": 1},
        "sites": [Site("S1")],
        "projects": [Project("P1", duration=1, site="S1", crews={"network": 1})],
    }
    fields.update(overrides)
    return Problem(**fields)


def test_a_valid_problem_expands_per_period_values():
    problem = make(monthly_budget=100, trades={"network": [1, 2, 1, 2]})
    assert problem.monthly_budget == (100, 100, 100, 100)
    assert problem.trades["network"] == (1, 2, 1, 2)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"projects": [Project("P1", duration=1, site="S9")]}, "project P1: unknown site 'S9'"),
        ({"projects": [Project("P1", duration=1, crews={"voice": 1})]}, "unknown trade 'voice'"),
        ({"projects": [Project("P1", duration=1, after=("P0",))]}, "unknown predecessor 'P0'"),
        (
            {"projects": [Project("P1", duration=1), Project("P1", duration=2)]},
            "duplicate project id P1",
        ),
        ({"monthly_budget": [1, 2]}, "monthly_budget must have one entry per period"),
        ({"objective": "fastest"}, "objective must be one of"),
        ({"horizon": 0}, "horizon must be at least 1"),
        ({"projects": [Project("P1", duration=1, pinned_start=7)]}, "P1: pinned_start 7"),
        (
            {
                "projects": [
                    Project("A", duration=1, after=("B",)),
                    Project("B", duration=1, after=("A",)),
                ]
            },
            "form a cycle",
        ),
    ],
)
def test_invalid_problems_name_what_is_wrong(overrides, message):
    with pytest.raises(ValueError, match=message):
        make(**overrides)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"duration": -1}, "project P1: duration must be at least 0"),
        ({"duration": 1, "cost": 1.5}, "project P1: cost must be an integer"),
        ({"duration": 1, "crews": {"network": -2}}, r"crews\[network\]"),
        ({"duration": 1, "after": "P0"}, "after must be a list"),
    ],
)
def test_invalid_projects_name_the_project_and_field(fields, message):
    with pytest.raises(ValueError, match=message):
        Project("P1", **fields)


def test_invalid_site_names_the_site():
    with pytest.raises(ValueError, match="site S1: max_concurrent"):
        Site("S1", max_concurrent=-1)
