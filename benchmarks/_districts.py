"""Districts of other shapes than scheduler.generate's, to check the optimiser was not tuned to one.

Each family changes what binds: `lean` has no site or funding caps (the classic textbook
district), `crews` has loose money and very tight crews, `chains` has prerequisite chains within
and across sites, several trades per project and high schools that take two projects at once,
`long` is a 24-month plan with long projects and several blackout months. All are feasible by
construction (nothing is mandatory or pinned) and deterministic for a seed.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

from scheduler.generate import tight_crews
from scheduler.problem import Problem, Project, Site

TRADES = ("cabling", "network", "voice", "security", "electrical", "vendor")
FAMILIES = ("lean", "crews", "chains", "long")


def district(family: str, sites: int, seed: int) -> Problem:
    """A synthetic district of the named family."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")
    rng = random.Random(f"{family}-{sites}-{seed}")
    horizon = 24 if family == "long" else 12
    site_list: list[Site] = []
    projects: list[Project] = []
    hubs: list[str] = []
    for number in range(1, sites + 1):
        site_id = f"S{number:04d}"
        high = rng.random() < 0.15
        blackouts = set()
        if family == "long":
            blackouts = set(rng.sample(range(horizon), rng.choice((0, 1, 2, 3))))
        concurrent = 2 if high and family == "chains" else 1
        site_list.append(Site(site_id, concurrent, frozenset(blackouts)))
        count = rng.choice((2, 3, 3, 4, 4, 5))
        mine = [_project(rng, family, site_id, k, horizon) for k in range(count)]
        if family == "chains":
            mine = _chain(rng, mine, hubs)
            if rng.random() < 0.05:
                hubs.append(mine[0].id)
        projects.extend(mine)
    return _budgets(rng, family, site_list, projects, horizon)


def _project(rng: random.Random, family: str, site_id: str, k: int, horizon: int) -> Project:
    """One upgrade at a site, with random trade(s), duration, cost and value."""
    trades = rng.sample(TRADES, 2 if family == "chains" and rng.random() < 0.3 else 1)
    crews = {trade: rng.choice((1, 1, 1, 2)) for trade in trades}
    duration = rng.choice((1, 2, 3, 4, 6)) if family == "long" else rng.choice((1, 1, 2, 3))
    cost = rng.randrange(20_000, 200_000) // 100 * 100
    earliest = rng.choice((0, 0, 0, 1, 2, 3))
    latest_end = horizon if rng.random() < 0.8 else rng.randrange(earliest + duration, horizon + 1)
    return Project(
        id=f"{site_id}-P{k}",
        site=site_id,
        crews=crews,
        duration=duration,
        cost=cost,
        value=max(1, round(cost / 1000 * rng.uniform(0.5, 1.5))),
        earliest=earliest,
        latest_end=latest_end,
    )


def _chain(rng: random.Random, projects: list[Project], hubs: list[str]) -> list[Project]:
    """Link a site's projects in a chain or two; now and then after a project at a hub site."""
    linked = [projects[0]]
    for previous, project in itertools.pairwise(projects):
        after = (previous.id,) if rng.random() < 0.5 else ()
        linked.append(replace(project, after=after))
    if hubs and rng.random() < 0.2:
        first = linked[0]
        linked[0] = replace(first, after=(rng.choice(hubs),))
    return linked


def _budgets(rng, family: str, sites: list[Site], projects: list[Project], horizon: int) -> Problem:
    """Crews and money at a fraction of what the projects would need."""
    share = (0.35, 0.5) if family == "crews" else (0.55, 0.75)
    trades = tight_crews(rng, projects, horizon, share)
    total_cost = sum(p.cost for p in projects)
    annual = int(total_cost * (0.9 if family == "crews" else 0.55))
    return Problem(
        horizon=horizon,
        projects=tuple(projects),
        sites=tuple(sites),
        trades=trades,
        annual_budget=annual,
        monthly_budget=[int(annual / horizon * 1.4)] * horizon,
        blackout_periods=frozenset({9}),
    )
