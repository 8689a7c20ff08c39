"""The benchmark's other district shapes: valid, deterministic, and solved checker-clean."""

from __future__ import annotations

import pytest

from benchmarks._districts import FAMILIES, district
from benchmarks.scheduler_quality import main as quality_main
from scheduler import greedy

from .conftest import solve_checked


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_is_deterministic_and_solved_no_worse_than_greedy(family):
    problem = district(family, 12, seed=4)
    assert problem == district(family, 12, seed=4)
    assert problem != district(family, 12, seed=5)
    assert 24 <= len(problem.projects) <= 60  # 2 to 5 projects per site
    baseline = greedy(problem)
    solution = solve_checked(problem, time_limit_s=3)
    assert solution.objective >= baseline.objective


def test_families_differ_in_what_binds():
    chains = district("chains", 40, seed=1)
    assert any(p.after for p in chains.projects)
    assert any(len(p.crews) == 2 for p in chains.projects)
    assert any(s.max_concurrent == 2 for s in chains.sites)
    cross_site = [
        p for p in chains.projects for o in p.after if chains.project_by_id[o].site != p.site
    ]
    assert cross_site
    assert district("long", 10, seed=1).horizon == 24
    lean = district("lean", 10, seed=1)
    assert not lean.funding_caps and all(s.budget_cap is None for s in lean.sites)


def test_later_families_differ_in_what_binds():
    summer = district("summer", 40, seed=1)
    for caps in summer.trades.values():
        assert min(caps[t] for t in (0, 1, 11)) > max(caps[2:11])  # crews free in summer
    assert summer.monthly_budget[0] > summer.monthly_budget[-1]  # the money comes early
    assert len(summer.funding_caps) == 3
    required = district("required", 40, seed=1)
    assert sum(p.mandatory for p in required.projects) >= 4
    assert any(p.pinned_start is not None for p in required.projects)
    assert greedy(required).status != "infeasible"  # what greedy cannot honour is released
    multi = district("multi", 40, seed=1)
    assert any(len(p.crews) == 3 for p in multi.projects)
    assert any(s.max_concurrent == 3 for s in multi.sites)
    sparse = district("sparse", 40, seed=1)
    assert all(len(p.allowed_start_periods or ()) <= 4 for p in sparse.projects)
    assert sparse.blackout_periods == {3, 9}
    assert any(s.blackout_periods for s in sparse.sites)


def test_unknown_family_is_refused():
    with pytest.raises(ValueError, match="unknown family 'huge'"):
        district("huge", 10, seed=1)


def test_quality_benchmark_refuses_an_unknown_family(capsys):
    with pytest.raises(SystemExit):
        quality_main(["--family", "huge"])
    assert "invalid choice" in capsys.readouterr().err
