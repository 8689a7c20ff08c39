"""The benchmark's other district shapes: valid, deterministic, and solved checker-clean."""

from __future__ import annotations

import argparse

import pytest

from benchmarks._districts import FAMILIES, district
from benchmarks.psplib_bench import verdict as psplib_verdict
from benchmarks.scheduler_quality import main as quality_main
from benchmarks.scheduler_quality import verdict as quality_verdict
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


def _row(sites, limit, value, lp, set_lp, status="feasible"):
    return {"sites": sites, "limit": limit, "value": value, "lp": lp, "set_lp": set_lp,
            "status": status, "seconds": limit}  # fmt: skip


def test_quality_verdicts_name_the_target_and_say_when_it_is_out_of_reach():
    assert "proven within 10 s: met (optimal" in quality_verdict(
        _row(50, 10.0, 9, 10, 9, "optimal")
    )
    assert "10 s: not met (feasible" in quality_verdict(_row(50, 10.0, 9, 10, 10))
    assert quality_verdict(_row(300, 30.0, 9, 10, 10)) is None  # no target at this size
    met = quality_verdict(_row(1000, 60.0, 995, 1000, 1000))
    assert met == "target, 1,000 sites: 99% of the LP bound within 60 s: met (99.50%)"
    short = quality_verdict(_row(1000, 60.0, 980, 1000, 1000))
    assert "not met (98.00%)" in short and "out of reach" not in short
    capped = quality_verdict(_row(1000, 60.0, 985, 1000, 986))
    assert "out of reach for any plan" in capped and "98.60% of the LP bound" in capped
    assert "99.899% of the site-set bound" in capped
    assert "98% of the LP bound within 120 s: met" in quality_verdict(
        _row(3000, 120.0, 981, 1000, 990)
    )


def test_psplib_verdicts_count_misses_and_flag_samples():
    full = argparse.Namespace(every=1, time_limit=10.0, limit=None)
    j30 = {"instances": 480, "at_best_known": 479, "mean_gap": 0.01}
    assert psplib_verdict("j30", j30, full).endswith("not met (1 missed)")
    sample = argparse.Namespace(every=16, time_limit=5.0, limit=None)
    j60 = {"instances": 30, "at_best_known": 20, "mean_gap": 0.4}
    line = psplib_verdict("j60", j60, sample)
    assert "met (0.40 %) (on this sample" in line
    assert psplib_verdict("j90", j60, full) is None
