"""Independent oracles: a plan's violations, exhaustive search, the truth of reasons."""

from __future__ import annotations

import random
from collections import defaultdict

from benchmarks._stress.common import IGNORED_RULES, Failures
from scheduler import Problem, Project, Solution, check
from scheduler.solution import Assignment, Unscheduled

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
