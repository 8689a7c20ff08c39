"""Synthetic districts for tests and benchmarks: 3.5 projects per site, tight crews and money."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from scheduler.greedy import greedy
from scheduler.problem import Problem, Project, Site

SUMMER_AND_WINTER = (0, 1, 5, 11)  # July, August, December, June of a July-June fiscal year


@dataclass(frozen=True)
class UpgradeType:
    """A kind of project in the synthetic catalogue."""

    code: str
    trade: str
    crews: int
    duration: int
    cost: tuple[int, int]
    weight: float
    funding: str | None = None
    disruptive: bool = False
    after: str | None = None
    second_trade: str | None = None


CATALOGUE = (
    UpgradeType("CAB", "cabling", 1, 2, (60_000, 180_000), 1.0, "erate_c2", disruptive=True),
    UpgradeType("CORE", "network", 1, 1, (40_000, 120_000), 1.3, "bond", disruptive=True),
    UpgradeType("LAN", "network", 1, 1, (30_000, 90_000), 1.1, "erate_c2", after="CORE"),
    UpgradeType("WIFI", "network", 1, 1, (25_000, 80_000), 1.2, "erate_c2", after="CAB"),
    UpgradeType("VOICE", "voice", 1, 1, (20_000, 60_000), 0.8, "bond"),
    UpgradeType("CAM", "security", 1, 2, (40_000, 110_000), 0.9, "bond", second_trade="electrical"),
    UpgradeType("ACC", "security", 1, 1, (15_000, 50_000), 0.7),
    UpgradeType("UPS", "electrical", 1, 1, (10_000, 40_000), 0.9, "bond"),
    UpgradeType("AV", "vendor", 1, 1, (15_000, 45_000), 0.6),
    UpgradeType("SRV", "vendor", 1, 1, (30_000, 90_000), 0.8, "bond"),
)


def generate_district(sites: int, seed: int = 0, *, horizon: int = 12) -> Problem:
    """A feasible synthetic district with `sites` sites (deterministic for a seed)."""
    rng = random.Random(seed)
    site_list, projects = [], []
    for number in range(1, sites + 1):
        site_id = f"S{number:04d}"
        blackouts = {rng.randrange(horizon)} if rng.random() < 0.15 else set()
        site_projects = _site_projects(rng, site_id, horizon)
        cap = None
        if rng.random() < 0.3:
            cap = int(sum(p.cost for p in site_projects) * rng.uniform(0.4, 0.8))
        site_list.append(Site(site_id, 1, frozenset(blackouts), cap))
        projects.extend(site_projects)
    problem = _with_budgets_and_crews(rng, site_list, projects, horizon)
    return make_feasible(problem)


def _site_projects(rng: random.Random, site_id: str, horizon: int) -> list[Project]:
    """Two to five distinct upgrades at one site (3.5 on average)."""
    chosen = rng.sample(CATALOGUE, rng.choice((2, 3, 3, 4, 4, 5)))
    codes = {kind.code for kind in chosen}
    projects = []
    for kind in chosen:
        cost = rng.randrange(*kind.cost) // 100 * 100
        crews = {kind.trade: kind.crews}
        if kind.second_trade:
            crews[kind.second_trade] = 1
        roll = rng.random()
        projects.append(
            Project(
                id=f"{site_id}-{kind.code}",
                site=site_id,
                crews=crews,
                duration=kind.duration,
                cost=cost,
                value=max(1, round(cost / 1000 * kind.weight * rng.uniform(0.5, 1.5))),
                mandatory=roll < 0.03,
                earliest=rng.choice((0, 0, 0, 1, 2, 3)),
                latest_end=horizon if rng.random() < 0.8 else rng.randrange(6, horizon),
                allowed_start_periods=frozenset(SUMMER_AND_WINTER) if kind.disruptive else None,
                after=(f"{site_id}-{kind.after}",) if kind.after in codes else (),
                pinned_start=0 if 0.03 <= roll < 0.04 and not kind.after else None,
                funding=kind.funding,
            )
        )
    return projects


def tight_crews(
    rng: random.Random, projects: list[Project], horizon: int, share: tuple[float, float]
) -> dict[str, list[int]]:
    """Each trade's crews per period: a random `share` of the projects' average demand."""
    demand: dict[str, int] = {}
    for project in projects:
        for trade, units in project.crews.items():
            demand[trade] = demand.get(trade, 0) + units * project.duration
    return {
        trade: [max(1, round(total / horizon * rng.uniform(*share))) for _ in range(horizon)]
        for trade, total in sorted(demand.items())
    }


def _with_budgets_and_crews(rng, sites, projects, horizon) -> Problem:
    """Caps at a fraction of what the projects would need: crews and money are both tight."""
    trades = tight_crews(rng, projects, horizon, (0.55, 0.75))
    total_cost = sum(p.cost for p in projects)
    annual = int(total_cost * 0.6)
    erate = sum(p.cost for p in projects if p.funding == "erate_c2")
    bond = sum(p.cost for p in projects if p.funding == "bond")
    return Problem(
        horizon=horizon,
        projects=tuple(projects),
        sites=tuple(sites),
        trades=trades,
        annual_budget=annual,
        monthly_budget=[int(annual / horizon * 1.5)] * horizon,
        funding_caps={"erate_c2": int(erate * 0.6), "bond": int(bond * 0.7)},
        blackout_periods=frozenset({9}),
    )


def make_feasible(problem: Problem) -> Problem:
    """Release mandatory flags and pins that the greedy plan cannot honour."""
    plan = greedy(problem).starts
    projects = tuple(
        p if p.id in plan or not p.is_required else replace(p, mandatory=False, pinned_start=None)
        for p in problem.projects
    )
    return replace(problem, projects=projects)
