"""Stress the max_value optimiser and the CLI with many varied, unusual problems.

`python -m benchmarks.scheduler_stress [--quick] [--seed N] [--rounds N] [--large]`

Builds problems nobody tuned the optimiser for (horizons 1-36, one or many trades, projects
needing several trades, zero costs and values, all-mandatory, long chains and diamonds, pins in
the last month, site concurrency above one, crew capacities and monthly budgets with zeros,
funding sources with and without caps, no budgets, projects longer than the horizon, sites with
no projects, cross-site and siteless predecessor chains in problems large enough for the
neighbourhood search). For each it solves with a short time limit and asserts:

- the independent checker finds no violation, and the plan is worth at least the greedy plan;
- every reason given for a project left out is true in the plan (re-verified by adding the
  project back at every period and running the checker, plus the figures quoted in the reason);
- on tiny problems, an exhaustive search (written here, sharing no code with the optimiser)
  agrees on feasibility, on the optimum when `optimal` is claimed, and that the bound is valid;
- infeasible problems name at least one conflict; solve returns within its time limit;
- problem and solution survive the JSON round trip, and the CLI exits 0 / 3 / 2 as documented,
  with a one-line message (no traceback) for broken problem files.

`--large` also times `solve` on a generated 3,000-site district (limit 20 s) and a cancel.
Exit status 0 when every assertion holds, 1 otherwise (failures are listed).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from scheduler import Problem, Project, Site, Solution, check, greedy, solve
from scheduler.__main__ import main as cli_main
from scheduler.generate import generate_district
from scheduler.io import problem_from_dict, problem_to_dict, solution_from_dict, solution_to_dict
from scheduler.solution import Assignment, Unscheduled

HORIZONS = (1, 6, 12, 24, 36)
ROOT = Path(__file__).resolve().parents[1]
SLACK_S = 1.5  # solve may overrun its limit by this much (model building, reasons)
IGNORED_RULES = ("objective", "unscheduled", "bound")


class Failures:
    """Collected failures: (case name, message)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, case: str, message: str) -> None:
        """Record one failure and print it at once."""
        self.items.append((case, message))
        print(f"  FAIL [{case}] {message}", flush=True)


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


# --------------------------------------------------------------------------- independent oracles


def plan_violations(problem: Problem, starts: dict[str, int]) -> list[str]:
    """Rules a plan breaks (checker), ignoring objective and unscheduled bookkeeping."""
    projects = problem.project_by_id
    solution = Solution(
        "feasible",
        objective=sum(projects[p].value for p in starts),
        assignments=tuple(Assignment(p, s) for p, s in starts.items()),
        unscheduled=tuple(Unscheduled(p.id, "-") for p in problem.projects if p.id not in starts),
    )
    return [str(v) for v in check(problem, solution) if v.rule not in IGNORED_RULES]


def brute_force(problem: Problem, limit: int = 400_000) -> tuple[bool, int] | None:
    """(feasible, optimum) by exhaustive search with its own rule bookkeeping; None if too big."""
    projects = list(problem.topological_order)
    sites = problem.site_by_id
    horizon = problem.horizon
    crews: dict[tuple[str, int], int] = defaultdict(int)
    active: dict[tuple[str, int], int] = defaultdict(int)
    monthly = [0] * horizon
    money = {"total": 0}
    funding: dict[str, int] = defaultdict(int)
    site_money: dict[str, int] = defaultdict(int)
    starts: dict[str, int] = {}
    best = {"value": -1, "nodes": 0}
    suffix = [0] * (len(projects) + 1)
    for i in range(len(projects) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + projects[i].value

    def fits(p: Project, s: int) -> bool:
        end = s + p.duration
        if s < p.earliest or end > horizon or (p.latest_end is not None and end > p.latest_end):
            return False
        if p.allowed_start_periods is not None and s not in p.allowed_start_periods:
            return False
        if p.pinned_start is not None and s != p.pinned_start:
            return False
        site = sites.get(p.site) if p.site else None
        blackouts = set(problem.blackout_periods) | (site.blackout_periods if site else set())
        if any(t in blackouts for t in range(s, end)):
            return False
        for q in p.after:
            if q not in starts or starts[q] + problem.project_by_id[q].duration > s:
                return False
        for t in range(s, end):
            for trade, units in p.crews.items():
                if crews[trade, t] + units > problem.trades[trade][t]:
                    return False
            if site and active[site.id, t] + 1 > site.max_concurrent:
                return False
        if problem.monthly_budget is not None and monthly[s] + p.cost > problem.monthly_budget[s]:
            return False
        if problem.annual_budget is not None and money["total"] + p.cost > problem.annual_budget:
            return False
        cap = problem.funding_caps.get(p.funding) if p.funding else None
        if cap is not None and funding[p.funding] + p.cost > cap:
            return False
        cap = site.budget_cap if site else None
        return cap is None or site_money[p.site or ""] + p.cost <= cap

    def place(p: Project, s: int, sign: int) -> None:
        for t in range(s, s + p.duration):
            for trade, units in p.crews.items():
                crews[trade, t] += sign * units
            if p.site:
                active[p.site, t] += sign
        monthly[s] += sign * p.cost
        money["total"] += sign * p.cost
        if p.funding:
            funding[p.funding] += sign * p.cost
        if p.site:
            site_money[p.site] += sign * p.cost

    def dfs(i: int, value: int) -> None:
        best["nodes"] += 1
        if best["nodes"] > limit:
            raise TimeoutError
        if value + suffix[i] <= best["value"]:
            return
        if i == len(projects):
            best["value"] = value
            return
        p = projects[i]
        for s in range(horizon):
            if fits(p, s):
                place(p, s, 1)
                starts[p.id] = s
                dfs(i + 1, value + p.value)
                del starts[p.id]
                place(p, s, -1)
        if not p.is_required:
            dfs(i + 1, value)

    try:
        dfs(0, 0)
    except TimeoutError:
        return None
    return (best["value"] >= 0, max(best["value"], 0))


def verify_reasons(problem: Problem, solution: Solution, case: str, fail: Failures) -> None:
    """Each left-out project's reason is true: re-add it at every period and check the figures."""
    starts = solution.starts
    projects = problem.project_by_id
    total = sum(projects[p].cost for p in starts)
    sample = list(solution.unscheduled)
    if len(sample) > 40:
        sample = random.Random(len(sample)).sample(sample, 40)
    for item in sample:
        p, reason = projects[item.project], item.reason
        fitting = [
            s for s in range(problem.horizon) if not plan_violations(problem, {**starts, p.id: s})
        ]
        if reason.startswith("it would fit starting in period"):
            period = int(reason.split("period ")[1].split(" ")[0])
            if period not in fitting:
                fail.add(case, f"{p.id}: '{reason}' but it does not fit there")
            if solution.status == "optimal" and p.value > 0:
                fail.add(case, f"{p.id} (value {p.value}) fits, yet the plan claims optimal")
            continue
        if reason == "it adds no value to the plan":
            if p.value != 0:
                fail.add(case, f"{p.id}: '{reason}' but its value is {p.value}")
            continue
        if fitting:
            fail.add(case, f"{p.id}: '{reason}' but it fits starting in {fitting[0]}")
        if reason.startswith("annual budget exhausted"):
            left = int(reason.split("(")[1].split(" ")[0])
            if left != (problem.annual_budget or 0) - total or p.cost <= left:
                fail.add(case, f"{p.id}: '{reason}' but {problem.annual_budget} - {total} left")
        if reason.startswith("its predecessor") and reason.endswith("is unscheduled"):
            names = reason[len("its predecessor ") : -len(" is unscheduled")].split(", ")
            if any(n not in p.after or n in starts for n in names):
                fail.add(case, f"{p.id}: '{reason}' is wrong")
        if reason.startswith("budget of site"):
            site = problem.site_by_id[p.site or ""]
            spent = sum(projects[q].cost for q in starts if projects[q].site == site.id)
            left = int(reason.split("(")[1].split(" ")[0])
            if left != (site.budget_cap or 0) - spent:
                fail.add(case, f"{p.id}: '{reason}' but {site.budget_cap} - {spent} left")


# --------------------------------------------------------------------------- one case


def run_case(
    name: str,
    problem: Problem,
    expected: str | None,
    fail: Failures,
    *,
    time_limit: float,
    seed: int,
    tally: dict[str, int],
    cli: bool = False,
    replan: bool = False,
) -> Solution | None:
    """Solve one problem and assert every property listed in the module docstring."""
    try:
        started = time.monotonic()
        solution = solve(problem, time_limit_s=time_limit, seed=seed, workers=2)
        seconds = time.monotonic() - started
    except Exception:  # a crash is a finding, not the end of the run
        fail.add(name, "solve raised:\n" + traceback.format_exc(limit=4))
        return None
    tally[solution.status] = tally.get(solution.status, 0) + 1
    if seconds > time_limit + SLACK_S:
        fail.add(name, f"solve took {seconds:.1f}s for a {time_limit}s limit")
    violations = check(problem, solution)
    if violations:
        fail.add(name, f"check: {[str(v) for v in violations[:5]]}")
    base = greedy(problem)
    if check(problem, base) and base.has_plan:
        fail.add(name, f"greedy plan breaks rules: {check(problem, base)[:3]}")
    if base.has_plan:
        if not solution.has_plan:
            fail.add(name, f"status {solution.status} although the greedy plan is valid")
        elif (solution.objective or 0) < (base.objective or 0):
            fail.add(name, f"value {solution.objective} < greedy {base.objective}")
    if solution.status == "infeasible" and not solution.conflicts:
        fail.add(name, "infeasible without a conflict")
    if solution.status == "infeasible":
        for conflict in solution.conflicts:
            if not conflict.message or "\n" in conflict.message:
                fail.add(name, f"conflict message {conflict.message!r}")
            for pid in conflict.projects:
                if pid not in problem.project_by_id:
                    fail.add(name, f"conflict names unknown project {pid}")
    if expected == "plan" and not solution.has_plan:
        fail.add(name, f"expected a plan, got {solution.status}")
    if expected == "infeasible" and solution.status != "infeasible":
        fail.add(name, f"expected infeasible, got {solution.status}")
    if solution.status == "unknown" and len(problem.projects) <= 40:
        fail.add(name, "status unknown on a small problem")
    if solution.has_plan:
        verify_reasons(problem, solution, name, fail)
    if len(problem.projects) <= 7 and problem.horizon <= 6:
        truth = brute_force(problem)
        if truth is not None:
            feasible, optimum = truth
            tally["brute-forced"] = tally.get("brute-forced", 0) + 1
            if feasible != (solution.status != "infeasible"):
                fail.add(name, f"exhaustive search: feasible={feasible}, solve {solution.status}")
            if solution.status == "optimal" and solution.objective != optimum:
                fail.add(name, f"claims optimal {solution.objective}, optimum is {optimum}")
            if solution.bound is not None and solution.bound + 1e-6 < optimum:
                fail.add(name, f"bound {solution.bound} below the optimum {optimum}")
    round_trip(name, problem, solution, fail)
    if cli:
        cli_solve(name, problem, solution, fail, time_limit=time_limit)
    if replan and solution.has_plan:
        replan_case(name, problem, solution, fail, time_limit=time_limit)
    return solution


def cli_solve(
    name: str, problem: Problem, solution: Solution, fail: Failures, *, time_limit: float
) -> None:
    """The CLI on the same problem: the exit code matches the status, the file passes check."""
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "p.json", Path(tmp) / "s.json"
        path.write_text(json.dumps(problem_to_dict(problem)))
        args = ["solve", str(path), "-o", str(out), "--time-limit", str(time_limit)]
        code, _stdout, err = run_cli([*args, "--workers", "2"])
        if code == 99:
            fail.add(name, f"CLI raised: {err[-400:]}")
            return
        written = json.loads(out.read_text())
        wanted = {"optimal": 0, "feasible": 0, "infeasible": 3, "unknown": 1}[written["status"]]
        if code != wanted:
            fail.add(name, f"CLI exit {code} for status {written['status']}")
        if (written["status"] == "infeasible") != (solution.status == "infeasible"):
            fail.add(name, f"CLI says {written['status']}, solve said {solution.status}")
        code, stdout, _err = run_cli(["check", str(path), str(out)])
        if code != 0:
            fail.add(name, f"CLI check of the CLI's own plan: exit {code}: {stdout[-300:]}")


def replan_case(
    name: str, problem: Problem, previous: Solution, fail: Failures, *, time_limit: float
) -> None:
    """Re-plan after a budget and crew cut, with and without a move penalty."""
    rng = random.Random(name)
    trades = {
        t: [max(0, c - rng.choice((0, 0, 1))) for c in caps] for t, caps in problem.trades.items()
    }
    annual = problem.annual_budget
    changed = replace(
        problem,
        trades=trades,
        annual_budget=None if annual is None else int(annual * 0.9),
    )
    for penalty in (0, rng.choice((1, 5))):
        label = f"{name}/replan-penalty-{penalty}"
        try:
            solution = solve(
                changed, time_limit_s=time_limit, workers=2, hint=previous, move_penalty=penalty
            )
        except Exception:
            fail.add(label, "solve raised:\n" + traceback.format_exc(limit=4))
            continue
        violations = check(changed, solution)
        if violations:
            fail.add(label, f"check: {[str(v) for v in violations[:5]]}")
        base = greedy(changed)
        if base.has_plan and not solution.has_plan:
            fail.add(label, f"status {solution.status} although the greedy plan is valid")
        if not penalty and base.has_plan and (solution.objective or 0) < (base.objective or 0):
            fail.add(label, f"value {solution.objective} < greedy {base.objective}")
        if solution.status == "infeasible" and not solution.conflicts:
            fail.add(label, "infeasible without a conflict")


def round_trip(name: str, problem: Problem, solution: Solution, fail: Failures) -> None:
    """Problem and solution files read back equal, and the checker agrees on the re-read plan."""
    try:
        text = json.dumps(problem_to_dict(problem), allow_nan=False)
        again = problem_from_dict(json.loads(text))
        if again != problem:
            fail.add(name, "problem changed in the JSON round trip")
        sol_text = json.dumps(solution_to_dict(solution), allow_nan=False)
        sol_again = solution_from_dict(json.loads(sol_text))
        if sol_again != replace(solution, runtime_s=round(solution.runtime_s, 3)):
            fail.add(name, "solution changed in the JSON round trip")
        if check(again, sol_again):
            fail.add(name, f"re-read solution fails check: {check(again, sol_again)[:3]}")
    except Exception:
        fail.add(name, "JSON round trip raised:\n" + traceback.format_exc(limit=4))


# --------------------------------------------------------------------------- command line


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr); a leaked exception is exit 99."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(args)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except Exception:
            traceback.print_exc(file=err)
            code = 99
    return code, out.getvalue(), err.getvalue()


BASE_FILE = {
    "horizon": 6,
    "annual_budget": 1000,
    "monthly_budget": 500,
    "trades": {"net": 2},
    "blackout_periods": [],
    "funding_caps": {"bond": 300},
    "sites": [{"id": "S1", "max_concurrent": 1, "blackout_periods": [], "budget_cap": 400}],
    "projects": [
        {"id": "P1", "site": "S1", "crews": {"net": 1}, "duration": 2, "cost": 100, "value": 5},
        {"id": "P2", "duration": 1, "cost": 50, "value": 3, "after": ["P1"], "funding": "bond"},
    ],
}


def _with(path: str, value: object) -> dict:
    """BASE_FILE with one field replaced (path like 'projects.0.cost'); value DELETE removes it."""
    data = json.loads(json.dumps(BASE_FILE))
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    key = int(last) if isinstance(node, list) else last
    if value is DELETE:
        del node[key]
    else:
        node[key] = value
    return data


DELETE = object()

# (file content, words the one-line message must contain)
BAD_FILES: list[tuple[object, tuple[str, ...]]] = [
    (_with("horizon", "12"), ("horizon",)),
    (_with("horizon", 0), ("horizon",)),
    (_with("horizon", DELETE), ("horizon",)),
    (_with("horizon", 2.5), ("horizon",)),
    (_with("annual_budget", -1), ("annual_budget",)),
    (_with("annual_budget", "lots"), ("annual_budget",)),
    (_with("monthly_budget", [1, 2]), ("monthly_budget",)),
    (_with("monthly_budget", {"a": 1}), ("monthly_budget",)),
    (_with("monthly_budget", [1, 2, 3, 4, 5, -6]), ("monthly_budget",)),
    (_with("trades", [1]), ("trades",)),
    (_with("trades.net", -1), ("trades", "net")),
    (_with("trades.net", None), ("trades", "net")),
    (_with("blackout_periods", 3), ("blackout_periods",)),
    (_with("blackout_periods", [-1]), ("blackout_periods",)),
    (_with("blackout_periods", ["x"]), ("blackout_periods",)),
    (_with("funding_caps", [300]), ("funding_caps",)),
    (_with("funding_caps.bond", -5), ("funding_caps", "bond")),
    (_with("sites", 5), ("sites",)),
    (_with("sites", {"id": "S1"}), ("sites",)),
    (_with("sites.0.max_concurrent", -1), ("S1", "max_concurrent")),
    (_with("sites.0.max_concurrent", "one"), ("S1", "max_concurrent")),
    (_with("sites.0.blackout_periods", 4), ("S1", "blackout_periods")),
    (_with("sites.0.budget_cap", -4), ("S1", "budget_cap")),
    (_with("sites.0.id", None), ("sites[0]", "id")),
    (_with("sites.0.max_concurent", 2), ("S1", "max_concurent", "did you mean")),
    (_with("projects", {"P1": {}}), ("projects",)),
    (_with("projects", DELETE), ("projects",)),
    (_with("projects.0.duration", DELETE), ("P1", "duration")),
    (_with("projects.0.duration", -1), ("P1", "duration")),
    (_with("projects.0.duration", "2"), ("P1", "duration")),
    (_with("projects.0.cost", -100), ("P1", "cost")),
    (_with("projects.0.cost", 1e300), ("P1", "cost")),
    (_with("projects.0.value", [5]), ("P1", "value")),
    (_with("projects.0.value", True), ("P1", "value")),
    (_with("projects.0.earliest", -1), ("P1", "earliest")),
    (_with("projects.0.latest_end", "soon"), ("P1", "latest_end")),
    (_with("projects.0.pinned_start", 6), ("P1", "pinned_start")),
    (_with("projects.0.pinned_start", -1), ("P1", "pinned_start")),
    (_with("projects.0.mandatory", "yes"), ("P1", "mandatory")),
    (_with("projects.0.crews", ["net"]), ("P1", "crews")),
    (_with("projects.0.crews", {"net": -1}), ("P1", "crews")),
    (_with("projects.0.crews", {"wifi": 1}), ("P1", "wifi")),
    (_with("projects.0.allowed_start_periods", 3), ("P1", "allowed_start_periods")),
    (_with("projects.0.allowed_start_periods", [-3]), ("P1", "allowed_start_periods")),
    (_with("projects.0.site", "S9"), ("P1", "S9")),
    (_with("projects.0.site", 7), ("P1", "site")),
    (_with("projects.0.funding", ["bond"]), ("P1", "funding")),
    (_with("projects.1.after", "P1"), ("P2", "after")),
    (_with("projects.1.after", ["P7"]), ("P2", "P7")),
    (_with("projects.1.after", [["P1"]]), ("P2", "after")),
    (_with("projects.0.after", ["P2"]), ("cycle",)),
    (_with("projects.0.id", None), ("projects[0]", "id")),
    (_with("projects.0.id", ""), ("projects[0]", "id")),
    (_with("projects.0.id", ["P1"]), ("projects[0]", "id")),
    (
        {**BASE_FILE, "projects": [*BASE_FILE["projects"], BASE_FILE["projects"][0]]},
        ("duplicate", "P1"),
    ),
    (_with("projects.0", "P1"), ("projects[0]",)),
    (_with("projects.0.valu", 5), ("P1", "valu")),
    (_with("anual_budget", 5), ("anual_budget",)),
    (_with("objective", "max_profit"), ("objective",)),
    (_with("objective", 3), ("objective",)),
    ([BASE_FILE], ("object",)),
    ("not json at all", ("JSON",)),
]


def cli_cases(fail: Failures, *, subprocess_sample: int) -> int:
    """Exit codes and one-line messages of the CLI; returns how many cases ran."""
    ran = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for index, (content, words) in enumerate(BAD_FILES):
            path = folder / f"bad{index}.json"
            if isinstance(content, str):
                path.write_text(content)
            else:
                path.write_text(json.dumps(content))
            code, _out, err = run_cli(["solve", str(path), "--time-limit", "1"])
            lines = err.strip().splitlines()
            label = f"cli-bad-{index}"
            ran += 1
            if code != 2 or len(lines) != 1 or "Traceback" in err:
                fail.add(label, f"exit {code}, stderr {err.strip()[:300]!r} (wanted {words})")
                continue
            missing = [w for w in words if w.lower() not in lines[0].lower()]
            if missing:
                fail.add(label, f"message {lines[0]!r} does not name {missing}")
        good = folder / "good.json"
        good.write_text(json.dumps(BASE_FILE))
        out = folder / "good-out.json"
        code, _o, _e = run_cli(["solve", str(good), "--time-limit", "1", "-o", str(out)])
        ran += 1
        if code != 0 or run_cli(["check", str(good), str(out)])[0] != 0:
            fail.add("cli-good", f"solve exit {code}, or check of its output failed")
        infeasible = _with("projects.0.mandatory", True)
        infeasible["annual_budget"] = 10
        bad_path = folder / "infeasible.json"
        bad_path.write_text(json.dumps(infeasible))
        code, stdout, _e = run_cli(["solve", str(bad_path), "-o", str(out), "--time-limit", "1"])
        ran += 1
        written = json.loads(out.read_text()) if out.exists() else {}
        if code != 3 or not written.get("conflicts") or "conflict" not in stdout:
            fail.add("cli-infeasible", f"exit {code}, conflicts {written.get('conflicts')}")
        for args in (
            ["solve", str(good), "--time-limit", "-1"],
            ["solve", str(good), "--workers", "-2"],
            ["solve", str(folder / "missing.json")],
            ["check", str(good), str(bad_path)],
            ["check", str(good), str(folder / "bad0.json")],
            ["generate", "--sites", "0", "-o", str(folder / "g.json")],
        ):
            code, _o, err = run_cli(args)
            ran += 1
            if code not in (0, 1, 2) or "Traceback" in err or len(err.strip().splitlines()) > 1:
                fail.add(f"cli {' '.join(args[:3])}", f"exit {code}, stderr {err.strip()[:300]!r}")
        # a few through a real interpreter, to see what a reviewer sees
        for index, (content, _words) in enumerate(BAD_FILES[:: max(1, len(BAD_FILES) // 6)]):
            if index >= subprocess_sample:
                break
            path = folder / f"sub{index}.json"
            path.write_text(content if isinstance(content, str) else json.dumps(content))
            result = subprocess.run(
                [sys.executable, "-m", "scheduler", "solve", str(path)],
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
            ran += 1
            lines = result.stderr.strip().splitlines()
            if result.returncode != 2 or len(lines) != 1:
                fail.add(f"cli-subprocess-{index}", f"exit {result.returncode}: {lines[-3:]}")
    return ran


def duplicate_ids(fail: Failures) -> None:
    """Duplicate project or site ids are a ValueError naming the id."""
    checks: list[tuple[Callable[[], object], str]] = [
        (lambda: Problem(3, (Project("A", 1), Project("A", 2))), "A"),
        (lambda: Problem(3, (), (Site("S"), Site("S"))), "S"),
    ]
    for build, name in checks:
        try:
            build()
        except ValueError as error:
            if "duplicate" not in str(error) or name not in str(error):
                fail.add("duplicate-ids", f"message {error}")
        else:
            fail.add("duplicate-ids", f"duplicate {name} accepted")


# --------------------------------------------------------------------------- large problems


def large_runs(fail: Failures, limit: float) -> None:
    """Time limit and cancel on a generated 3,000-site district."""
    problem = generate_district(3000, 7)
    started = time.monotonic()
    solution = solve(problem, time_limit_s=limit)
    seconds = time.monotonic() - started
    violations = check(problem, solution)
    print(
        f"  3000 sites: {solution.status} {solution.objective} in {seconds:.1f}s "
        f"(limit {limit}s), {len(violations)} violations",
        flush=True,
    )
    if seconds > limit + 3 or violations or not solution.has_plan:
        fail.add("large-3000", f"{seconds:.1f}s for {limit}s, {len(violations)} violations")
    for delay in (0.5, 4.0, 10.0):
        event = threading.Event()
        timer = threading.Timer(delay, event.set)
        timer.start()
        started = time.monotonic()
        solution = solve(problem, time_limit_s=120, cancel=event)
        seconds = time.monotonic() - started
        timer.cancel()
        late = seconds - delay
        print(
            f"  cancel after {delay}s: returned after {seconds:.1f}s, {solution.status}, "
            f"{len(check(problem, solution))} violations",
            flush=True,
        )
        if late > 2.0 or check(problem, solution) or not solution.has_plan:
            fail.add("large-cancel", f"cancel at {delay}s returned {late:.1f}s later")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    """Run the stress cases; exit status 1 when anything failed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scheduler_stress")
    parser.add_argument("--quick", action="store_true", help="fewer random problems")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=None, help="random problems to try")
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--large", action="store_true", help="also 3,000 sites: limit, cancel")
    args, _unknown = parser.parse_known_args(argv)
    rng = random.Random(args.seed)
    rounds = args.rounds if args.rounds is not None else (40 if args.quick else 150)
    fail = Failures()
    tally: dict[str, int] = {}
    started = time.monotonic()
    duplicate_ids(fail)
    cases = named_problems(rng)
    print(f"named cases: {len(cases)}", flush=True)
    for name, problem, expected in cases:
        run_case(name, problem, expected, fail, time_limit=args.time_limit, seed=0, tally=tally)
    print(f"random cases: {rounds}", flush=True)
    for index in range(rounds):
        name = f"random-{args.seed}-{index}"
        try:
            problem = random_problem(rng)
        except ValueError as error:  # e.g. a pin past a latest end is still a valid problem
            fail.add(name, f"generator made an invalid problem: {error}")
            continue
        run_case(
            name,
            problem,
            None,
            fail,
            time_limit=args.time_limit,
            seed=index,
            tally=tally,
            cli=index % 4 == 0,
            replan=index % 3 == 0,
        )
    print("large random cases (neighbourhood search with every feature)", flush=True)
    for index in range(2 if args.quick else 6):
        problem = random_problem(
            rng, horizon=rng.choice((24, 36)), size=700, mandatory_rate=rng.choice((0, 0.003))
        )
        run_case(
            f"large-random-{index}",
            problem,
            None,
            fail,
            time_limit=3.0,
            seed=index,
            tally=tally,
            cli=index == 0,
            replan=True,
        )
    print("tiny cases (exhaustive search)", flush=True)
    for index in range(rounds):
        problem = random_problem(rng, horizon=rng.choice((1, 3, 6)), size=rng.randint(1, 6))
        run_case(f"tiny-{index}", problem, None, fail, time_limit=1.0, seed=index, tally=tally)
    print("neighbourhood-search cases", flush=True)
    for index in range(2 if args.quick else 3):
        problem = large_problem(rng, trap=index == 1)
        run_case(f"lns-{index}", problem, "plan", fail, time_limit=4.0, seed=index, tally=tally)
    print("command line", flush=True)
    cli_ran = cli_cases(fail, subprocess_sample=3 if args.quick else 6)
    if args.large:
        print("3,000 sites", flush=True)
        large_runs(fail, 20.0)
    print(
        f"\n{sum(v for k, v in tally.items() if k != 'brute-forced')} solves "
        f"({', '.join(f'{k} {v}' for k, v in sorted(tally.items()))}), {cli_ran} CLI runs, "
        f"{time.monotonic() - started:.0f}s: {len(fail.items)} failure(s)"
    )
    return 1 if fail.items else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
