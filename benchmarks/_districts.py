"""Districts of other shapes than scheduler.generate's, to check the optimiser was not tuned to one.

Each family changes what binds: `lean` has no site or funding caps (the classic textbook
district), `crews` has loose money and very tight crews, `chains` has prerequisite chains within
and across sites, several trades per project and high schools that take two projects at once,
`long` is a 24-month plan with long projects and several blackout months. All four are
feasible by construction (nothing is mandatory or pinned).

Four more families (session 6) came after the optimiser's tuning, to try it on shapes it had
never met: `summer` has crews mostly free in the summer months, disruptive projects allowed to
start only then, a front-loaded monthly budget and three funding sources; `required` has one
project in six mandatory, some pinned, and tight start-to-deadline windows; `multi` has
projects needing two or three trades at once, several crews each, durations up to five months
and sites that take up to three projects at once; `sparse` lets each project start in only a
few named months, with district and site blackouts. Their mandatory flags and pins are released
where the greedy plan cannot honour them, so they are feasible too. Every family is
deterministic for a seed.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

from scheduler.generate import make_feasible, tight_crews
from scheduler.problem import Problem, Project, Site

TRADES = ("cabling", "network", "voice", "security", "electrical", "vendor")
FIRST_FAMILIES = ("lean", "crews", "chains", "long")
LATER_FAMILIES = ("summer", "required", "multi", "sparse")
FAMILIES = FIRST_FAMILIES + LATER_FAMILIES
SUMMER = frozenset({0, 1, 11})  # July, August, June of a July-June fiscal year
FUNDING = ("erate_c2", "bond", "grant")


def district(family: str, sites: int, seed: int) -> Problem:
    """A synthetic district of the named family."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")
    rng = random.Random(f"{family}-{sites}-{seed}")
    if family in LATER_FAMILIES:
        return make_feasible(_later(rng, family, sites))
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


def _later(rng: random.Random, family: str, sites: int) -> Problem:
    """A district of one of the LATER_FAMILIES (before releasing what greedy cannot honour)."""
    horizon = 12
    site_list: list[Site] = []
    projects: list[Project] = []
    for number in range(1, sites + 1):
        site_id = f"S{number:04d}"
        concurrent = rng.choice((1, 1, 2, 3)) if family == "multi" else 1
        blackouts: set[int] = set()
        if family == "sparse" and rng.random() < 0.4:
            blackouts = set(rng.sample(range(horizon), rng.choice((1, 2))))
        mine = [
            _later_project(rng, family, site_id, k, horizon)
            for k in range(rng.choice((2, 3, 3, 4, 4, 5)))
        ]
        for k in range(1, len(mine)):
            if rng.random() < 0.3:
                mine[k] = replace(mine[k], after=(mine[k - 1].id,), pinned_start=None)
        cap = None
        if rng.random() < 0.3:
            cap = int(sum(p.cost for p in mine) * rng.uniform(0.4, 0.8))
        site_list.append(Site(site_id, concurrent, frozenset(blackouts), cap))
        projects.extend(mine)
    share = (0.55, 0.75)
    trades = tight_crews(rng, projects, horizon, share)
    if family == "summer":  # most crews are on school sites only while school is out
        trades = {
            trade: [
                round(c * 2.2) if t in SUMMER else max(1, round(c * 0.45))
                for t, c in enumerate(caps)
            ]
            for trade, caps in trades.items()
        }
    annual = int(sum(p.cost for p in projects) * 0.55)
    monthly = [int(annual / horizon * 1.4)] * horizon
    if family == "summer":  # the money comes early in the fiscal year
        monthly = [int(annual * w / 60) for w in (12, 10, 8, 6, 5, 4, 3, 3, 3, 2, 2, 2)]
    demand: dict[str, int] = {}
    for p in projects:
        if p.funding is not None:
            demand[p.funding] = demand.get(p.funding, 0) + p.cost
    return Problem(
        horizon=horizon,
        projects=tuple(projects),
        sites=tuple(site_list),
        trades=trades,
        annual_budget=annual,
        monthly_budget=monthly,
        funding_caps={f: int(total * rng.uniform(0.5, 0.7)) for f, total in sorted(demand.items())},
        blackout_periods=frozenset({3, 9} if family == "sparse" else {9}),
    )


def _later_project(rng: random.Random, family: str, site_id: str, k: int, horizon: int) -> Project:
    """One upgrade of a LATER_FAMILIES district."""
    count = rng.choice((2, 2, 3)) if family == "multi" else 1
    crews = {
        t: rng.choice((1, 2, 3) if family == "multi" else (1, 1, 2))
        for t in rng.sample(TRADES, count)
    }
    duration = rng.choice((1, 2, 3, 4, 5) if family == "multi" else (1, 1, 2, 3))
    cost = rng.randrange(20_000, 200_000) // 100 * 100
    earliest = rng.choice((0, 0, 0, 1, 2, 3))
    latest_end: int | None = None
    if family == "required":
        latest_end = min(horizon, earliest + duration + rng.choice((0, 1, 2, 3, 5)))
    allowed: frozenset[int] | None = None
    if family == "summer" and rng.random() < 0.3:
        allowed = SUMMER
    if family == "sparse":
        allowed = frozenset(rng.sample(range(horizon), rng.choice((2, 3, 4))))
    roll = rng.random() if family == "required" else 1.0
    return Project(
        id=f"{site_id}-P{k}",
        site=site_id,
        crews=crews,
        duration=duration,
        cost=cost,
        value=max(1, round(cost / 1000 * rng.uniform(0.5, 1.5))),
        mandatory=roll < 0.16,
        earliest=earliest,
        latest_end=latest_end,
        allowed_start_periods=allowed,
        pinned_start=earliest if 0.16 <= roll < 0.2 else None,
        funding=rng.choice((*FUNDING, None)),
    )
