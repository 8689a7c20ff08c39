"""The stress script's problem builders: random, named edge cases, large."""

from __future__ import annotations

import random
from dataclasses import replace

from benchmarks._stress.common import HORIZONS
from scheduler import Problem, Project, Site

# --------------------------------------------------------------------------- problem builders


def random_problem(
    rng: random.Random,
    *,
    horizon: int | None = None,
    size: int = 0,
    mandatory_rate: float | None = None,
) -> Problem:
    """A random problem drawing on every feature of the problem file."""
    horizon = horizon or rng.choice(HORIZONS)
    n_projects = size or rng.choice((1, 3, 6, 10, 20, 40, 40, 120, 300))
    scale = max(1, n_projects // 25)  # crews, sites and money grow with the project count
    n_trades = rng.choice((0, 1, 1, 3, 6))
    trades: dict[str, object] = {}
    for t in range(n_trades):
        if rng.random() < 0.5:
            trades[f"T{t}"] = rng.randint(0, 3) * scale
        else:
            trades[f"T{t}"] = [rng.choice((0, 0, 1, 2, 3)) * scale for _ in range(horizon)]
    n_sites = rng.choice((0, 1, 3, 8)) * scale
    sites = [
        Site(
            f"S{i}",
            max_concurrent=rng.choice((0, 1, 1, 1, 2, 3)) if rng.random() < 0.9 else 1,
            blackout_periods=frozenset(
                rng.randrange(horizon + 2) for _ in range(rng.choice((0, 0, 1, 2)))
            ),
            budget_cap=rng.choice((None, None, 0, rng.randint(0, 400))),
        )
        for i in range(n_sites)
    ]
    sources = ["capped", "uncapped", "zero"]
    funding_caps = {"capped": rng.randint(0, 600) * scale, "zero": 0} if rng.random() < 0.6 else {}
    if mandatory_rate is None:
        mandatory_rate = rng.choice((0.0, 0.0, 0.02, 0.05, 0.1))
    projects: list[Project] = []
    for i in range(n_projects):
        pid = f"P{i}"
        duration = rng.choice((0, 1, 1, 1, 2, 3, horizon, horizon + 1))
        crews = {}
        for trade in rng.sample(sorted(trades), k=min(len(trades), rng.choice((0, 1, 1, 2, 3)))):
            crews[trade] = rng.choice((0, 1, 1, 2))
        after: tuple[str, ...] = ()
        if i and rng.random() < 0.35:
            after = tuple(sorted({f"P{rng.randrange(i)}" for _ in range(rng.choice((1, 1, 2)))}))
        pinned = None
        if rng.random() < mandatory_rate:
            pinned = rng.choice((horizon - 1, rng.randrange(horizon)))
        earliest = rng.choice((0, 0, 0, rng.randrange(horizon + 1)))
        latest_end = rng.choice((None, None, None, rng.randint(0, horizon + 3)))
        allowed = None
        if rng.random() < 0.15:
            allowed = frozenset(rng.sample(range(horizon), k=rng.randint(0, min(3, horizon))))
        projects.append(
            Project(
                pid,
                duration=duration,
                cost=rng.choice((0, rng.randint(0, 200), rng.randint(0, 200))),
                value=rng.choice((0, rng.randint(0, 50), rng.randint(1, 50))),
                site=rng.choice([None, *(s.id for s in sites)]) if sites else None,
                crews=crews,
                mandatory=rng.random() < mandatory_rate,
                earliest=earliest,
                latest_end=latest_end,
                allowed_start_periods=allowed,
                after=after,
                pinned_start=pinned,
                funding=rng.choice((None, None, *sources)),
            )
        )
    total_cost = sum(p.cost for p in projects) or 1
    annual = rng.choice((None, int(total_cost * rng.uniform(0.2, 0.9)), 0))
    monthly: object = None
    roll = rng.random()
    if roll < 0.3:
        monthly = rng.randint(0, 300) * scale
    elif roll < 0.6:
        monthly = [rng.choice((0, 50, 150, 400)) * scale for _ in range(horizon)]
    return Problem(
        horizon=horizon,
        projects=tuple(projects),
        sites=tuple(sites),
        trades=trades,
        annual_budget=annual,
        monthly_budget=monthly,
        funding_caps=funding_caps,
        blackout_periods=frozenset(
            rng.sample(range(horizon), k=min(horizon - 1, rng.choice((0, 0, 1))))
        ),
    )


def named_problems(rng: random.Random) -> list[tuple[str, Problem, str | None]]:
    """Hand-built cases: (name, problem, expected status class or None)."""
    cases: list[tuple[str, Problem, str | None]] = []
    for horizon in HORIZONS:
        cases.append((f"empty-h{horizon}", Problem(horizon=horizon, projects=()), "plan"))
        one = Project("A", duration=1, cost=10, value=5, crews={"net": 1})
        cases.append((f"one-h{horizon}", Problem(horizon, (one,), trades={"net": 1}), "plan"))
    # all mandatory, generous
    projects = tuple(
        Project(f"M{i}", duration=2, cost=10, value=i, mandatory=True, crews={"a": 1, "b": 1})
        for i in range(8)
    )
    cases.append(("all-mandatory-ok", Problem(24, projects, trades={"a": 2, "b": 3}), "plan"))
    cases.append(
        (
            "all-mandatory-over-annual",
            Problem(24, projects, trades={"a": 2, "b": 3}, annual_budget=50),
            "infeasible",
        )
    )
    cases.append(
        (
            "all-mandatory-crews",
            Problem(6, projects, trades={"a": 1, "b": 3}),
            "infeasible",
        )
    )
    # long chain
    chain = tuple(
        Project(f"C{i}", duration=1, value=1, after=(f"C{i - 1}",) if i else ()) for i in range(30)
    )
    cases.append(("chain-30-h36", Problem(36, chain), "plan"))
    cases.append(("chain-30-h24", Problem(24, chain), "plan"))
    tail = replace(chain[-1], mandatory=True)
    cases.append(("chain-30-h24-mandatory-tail", Problem(24, (*chain[:-1], tail)), "infeasible"))
    # diamonds
    diamond = (
        Project("D0", duration=2, value=1, crews={"a": 1}),
        Project("D1", duration=1, value=3, crews={"a": 1}, after=("D0",)),
        Project("D2", duration=3, value=3, crews={"a": 1}, after=("D0",)),
        Project("D3", duration=1, value=10, crews={"a": 1}, after=("D1", "D2"), mandatory=True),
    )
    cases.append(("diamond", Problem(12, diamond, trades={"a": 1}), "plan"))
    cases.append(("diamond-too-short", Problem(6, diamond, trades={"a": 1}), "infeasible"))
    # pinned in the last month
    last = (
        Project("L", duration=1, value=2, pinned_start=11, cost=5),
        Project("L2", duration=2, value=2, pinned_start=11),
    )
    cases.append(("pinned-last-month", Problem(12, last[:1], monthly_budget=5), "plan"))
    cases.append(("pinned-last-month-too-long", Problem(12, last), "infeasible"))
    cases.append(
        ("pinned-last-month-blackout", Problem(12, last[:1], blackout_periods={11}), "infeasible")
    )
    # site concurrency above one, site with no projects
    sites = (Site("S1", max_concurrent=3), Site("EMPTY"), Site("S0", max_concurrent=0))
    busy = (
        *(Project(f"B{i}", duration=3, value=1 + i, site="S1", crews={"a": 1}) for i in range(6)),
        Project("Z", duration=1, value=9, site="S0"),
    )
    cases.append(("site-concurrency-3", Problem(3, busy, sites, trades={"a": 5}), "plan"))
    # crew and monthly zeros
    zeros = tuple(
        Project(f"Q{i}", duration=1 + i % 2, cost=10, value=4, crews={"a": 1}) for i in range(10)
    )
    cases.append(
        (
            "zero-capacity-and-budget-months",
            Problem(
                6,
                zeros,
                trades={"a": [0, 2, 0, 2, 0, 2]},
                monthly_budget=[10, 0, 0, 20, 0, 10],
            ),
            "plan",
        )
    )
    # funding with and without caps; no budgets at all
    funded = tuple(
        Project(f"F{i}", duration=1, cost=100, value=5, funding=("bond", "other", None)[i % 3])
        for i in range(9)
    )
    cases.append(("funding-caps", Problem(12, funded, funding_caps={"bond": 250}), "plan"))
    cases.append(("no-budgets", Problem(12, funded), "plan"))
    # longer than the horizon
    long = (
        Project("LONG", duration=13, value=100),
        Project("AFTER-LONG", duration=1, value=1, after=("LONG",)),
        Project("OK", duration=12, value=1),
    )
    cases.append(("longer-than-horizon", Problem(12, long), "plan"))
    cases.append(
        (
            "mandatory-longer-than-horizon",
            Problem(12, (replace(long[0], mandatory=True),)),
            "infeasible",
        )
    )
    # zero cost, zero value
    free = tuple(
        Project(f"V{i}", duration=1, cost=0 if i % 2 else 10, value=0 if i % 3 else 7)
        for i in range(9)
    )
    cases.append(("zero-cost-zero-value", Problem(6, free, annual_budget=20), "plan"))
    # zero-duration projects chained
    zd = (
        Project("Z0", duration=0, value=1),
        Project("Z1", duration=2, value=1, after=("Z0",)),
        Project("Z2", duration=0, value=1, after=("Z1",), latest_end=2),
    )
    cases.append(("zero-duration", Problem(6, zd), "plan"))
    # mandatory successor of a project at another site, over site budget
    cross = (
        Project("X0", duration=1, cost=50, value=1, site="SA"),
        Project("X1", duration=1, cost=60, value=1, site="SB", after=("X0",), mandatory=True),
    )
    cross_sites = (Site("SA", budget_cap=40), Site("SB"))
    cases.append(("cross-site-predecessor", Problem(6, cross, cross_sites), "infeasible"))
    # greedy places A (better value per cost) where B, with a single allowed month, must go
    trap_sites = tuple(Site(f"X{i}") for i in range(3))
    trap = tuple(
        project
        for i in range(3)
        for project in (
            Project(f"TA{i}", 1, cost=1, value=100, site=f"X{i}", mandatory=True,
                    allowed_start_periods=frozenset({0, 1})),
            Project(f"TB{i}", 1, cost=100, value=1, site=f"X{i}", mandatory=True,
                    allowed_start_periods=frozenset({0})),
            Project(f"TC{i}", 1, cost=1, value=5, site=f"X{i}"),
        )
    )  # fmt: skip
    cases.append(("greedy-misses-required", Problem(6, trap, trap_sites), "plan"))
    # long horizons with chains: the model grows with the horizon, the time limit must hold
    for horizon, count in ((120, 200), (600, 60)):
        chained = tuple(
            Project(f"H{i}", 3, cost=10, value=1 + i % 7, crews={"a": 1}, site=f"S{i % 10}",
                    after=(f"H{i - 10}",) if i >= 10 else ())
            for i in range(count)
        )  # fmt: skip
        sites10 = tuple(Site(f"S{i}") for i in range(10))
        cases.append(
            (
                f"long-horizon-{horizon}",
                Problem(horizon, chained, sites10, trades={"a": 3}, monthly_budget=25),
                "plan",
            )
        )
    return cases


def large_problem(
    rng: random.Random, n: int = 700, horizon: int = 12, *, trap: bool = False
) -> Problem:
    """Big enough for the neighbourhood search: siteless and cross-site predecessor chains."""
    sites = tuple(Site(f"S{i}", max_concurrent=rng.choice((1, 1, 2))) for i in range(n // 4))
    projects = []
    for i in range(n):
        after: tuple[str, ...] = ()
        if i and rng.random() < 0.4:
            after = (f"P{rng.randrange(max(0, i - 30), i)}",)
        site = None if rng.random() < 0.3 else rng.choice(sites).id
        projects.append(
            Project(
                f"P{i}",
                duration=rng.choice((1, 1, 2, 3)),
                cost=rng.randint(0, 100),
                value=rng.randint(0, 40),
                site=site,
                crews={rng.choice(("a", "b", "c")): 1},
                after=after,
                earliest=rng.choice((0, 0, 2)),
                funding=rng.choice((None, "f")),
            )
        )
    if trap:
        sites += (Site("TRAP"),)
        projects += [
            Project("TRAP-A", 1, cost=1, value=100, site="TRAP", mandatory=True,
                    allowed_start_periods=frozenset({0, 1})),
            Project("TRAP-B", 1, cost=1, value=1, site="TRAP", mandatory=True,
                    allowed_start_periods=frozenset({0})),
        ]  # fmt: skip
    total = sum(p.cost for p in projects)
    return Problem(
        horizon,
        tuple(projects),
        sites,
        trades={"a": 6, "b": [rng.randint(0, 6) for _ in range(horizon)], "c": 4},
        annual_budget=total // 3,
        monthly_budget=total // 20,
        funding_caps={"f": total // 6},
    )
