"""The benchmark's LP bound against a relaxation written again, independently, from DOMAIN.md.

`scheduler.lp` builds the time-indexed relaxation that the benchmark reports as "the LP bound".
Here the same relaxation is written from the rules alone, in the plainest way (one row per rule
per period, no shared code), and solved with GLOP: the two bounds must agree. A bound that was
too low would make plans look better than they are; one too high would hide a rule.
"""

from __future__ import annotations

import pytest
from ortools.linear_solver import pywraplp

from benchmarks._districts import FAMILIES, district
from scheduler import Problem
from scheduler.generate import generate_district
from scheduler.lp import lp_bound


def _starts(problem: Problem, project, site_blackouts: dict) -> list[int]:
    """Every start the project may take, by the rules that concern it alone."""
    end_by = min(problem.horizon, project.latest_end or problem.horizon)
    closed = set(problem.blackout_periods) | site_blackouts.get(project.site, set())
    found = []
    for start in range(project.earliest, end_by - project.duration + 1):
        if project.allowed_start_periods is not None and start not in project.allowed_start_periods:
            continue
        if project.pinned_start is not None and start != project.pinned_start:
            continue
        if any(t in closed for t in range(start, start + project.duration)):
            continue
        found.append(start)
    return found


def independent_lp_bound(problem: Problem) -> float:
    """Maximise value over fractional starts, every rule of DOMAIN.md as a linear row."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    sites = {site.id: site for site in problem.sites}
    site_blackouts = {site.id: set(site.blackout_periods) for site in problem.sites}
    x = {}
    by_project: dict[str, list] = {}
    for p in problem.projects:
        by_project[p.id] = []
        for s in _starts(problem, p, site_blackouts):
            x[p.id, s] = solver.NumVar(0.0, 1.0, f"x_{p.id}_{s}")
            by_project[p.id].append((s, x[p.id, s]))
    projects = {p.id: p for p in problem.projects}
    for p in problem.projects:
        chosen = sum(v for _, v in by_project[p.id])
        required = p.mandatory or p.pinned_start is not None
        solver.Add(chosen == 1 if required else chosen <= 1)
        for q in p.after:  # started by t <= the predecessor ended by t, for every t
            for t in range(problem.horizon + 1):
                started = [v for s, v in by_project[p.id] if s <= t]
                ended = [v for s, v in by_project[q] if s + projects[q].duration <= t]
                if started:
                    solver.Add(sum(started) <= sum(ended))

    def active(p, t):
        return [v for s, v in by_project[p.id] if s <= t < s + p.duration]

    for t in range(problem.horizon):
        for trade, caps in problem.trades.items():
            use = [p.crews[trade] * v for p in problem.projects if trade in p.crews
                   for v in active(p, t)]  # fmt: skip
            if use:
                solver.Add(sum(use) <= caps[t])
        for site_id, site in sites.items():
            here = [v for p in problem.projects if p.site == site_id for v in active(p, t)]
            if here:
                solver.Add(sum(here) <= site.max_concurrent)
        if problem.monthly_budget is not None:
            spent = [projects[q].cost * v for (q, s), v in x.items() if s == t]
            if spent:
                solver.Add(sum(spent) <= problem.monthly_budget[t])

    def cost_of(keep):
        return sum(projects[q].cost * v for (q, _), v in x.items() if keep(projects[q]))

    if problem.annual_budget is not None:
        solver.Add(cost_of(lambda p: True) <= problem.annual_budget)
    for source, cap in problem.funding_caps.items():
        solver.Add(cost_of(lambda p, source=source: p.funding == source) <= cap)
    for site_id, site in sites.items():
        if site.budget_cap is not None:
            solver.Add(cost_of(lambda p, site_id=site_id: p.site == site_id) <= site.budget_cap)
    solver.Maximize(sum(projects[q].value * v for (q, _), v in x.items()))
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    return solver.Objective().Value()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_districts_bound_agrees(seed):
    problem = generate_district(25, seed)
    assert lp_bound(problem, method="GLOP").bound == pytest.approx(
        independent_lp_bound(problem), rel=1e-7
    )


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_bound_agrees(family):
    problem = district(family, 14, seed=2)
    assert lp_bound(problem, method="GLOP").bound == pytest.approx(
        independent_lp_bound(problem), rel=1e-7
    )
