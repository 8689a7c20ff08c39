"""Naming a small set of conflicting inputs of an infeasible problem (CP-SAT assumptions core).

Every requirement (a mandatory or pinned project) and every cap (annual, monthly, funding, site
budget, crews of a trade, site concurrency) is switched on by its own literal. CP-SAT returns a set
of those literals that cannot all hold; we shrink it by deletion while time allows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.model import build_model
from scheduler.problem import Problem
from scheduler.solution import Conflict, money

REQUIREMENTS = ("mandatory", "pinned", "all_projects")


def core_conflicts(
    problem: Problem, *, time_limit_s: float, seed: int = 0, stop: Callable[[], bool] | None = None
) -> list[Conflict] | None:
    """The conflicting inputs, or None when infeasibility could not be shown in time."""
    deadline = time.monotonic() + max(time_limit_s, 0.5)
    stop = stop or (lambda: False)
    model, v = build_model(problem, guarded=True)
    model.clear_objective()
    guards = v.guards or {}
    core = _infeasible_core(model, guards, list(guards), deadline, seed, stop)
    if core is None:
        return None
    for name in list(core):
        if time.monotonic() >= deadline or stop():
            break
        trial = [other for other in core if other != name]
        if _infeasible_core(model, guards, trial, deadline, seed, stop) is not None:
            core = trial
    return [describe_core(problem, core)]


def _infeasible_core(
    model: cp_model.CpModel,
    guards: dict[str, cp_model.IntVar],
    names: list[str],
    deadline: float,
    seed: int,
    stop: Callable[[], bool],
) -> list[str] | None:
    """Guard names that cannot all hold, or None if `names` can (or time ran out, or stop)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0 or stop():
        return None
    model.clear_assumptions()
    model.add_assumptions([guards[name] for name in names])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = remaining
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    done = threading.Event()

    def watch() -> None:
        """Stop the proof as soon as the caller cancels."""
        while not done.wait(0.05):
            if stop():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        status = solver.solve(model)
    finally:
        done.set()
        watcher.join()
    if status != cp_model.INFEASIBLE:
        return None
    indices = set(solver.sufficient_assumptions_for_infeasibility())
    found = [name for name in names if guards[name].index in indices]
    return found or names


def describe_core(problem: Problem, core: list[str]) -> Conflict:
    """One conflict entry, in planners' words, from the names of the guards in a core."""
    projects = problem.project_by_id
    required = [name.split(":", 1)[1] for name in core if name.split(":")[0] in REQUIREMENTS]
    caps = [name for name in core if name.split(":")[0] not in REQUIREMENTS]
    parts = []
    for kind in REQUIREMENTS:
        ids = [name.split(":", 1)[1] for name in core if name.startswith(kind + ":")]
        if ids:
            parts.append(_requirement_phrase(problem, kind, ids))
    cost = sum(projects[pid].cost for pid in required)
    money_caps = [c for c in caps if c.split(":")[0] in _MONEY]
    head = " and ".join(parts) or "the plan"
    if money_caps:
        head += f" cost {money(cost)}"
    cap_text = [_cap_phrase(problem, name) for name in caps]
    if money_caps:
        message = head + "; " + "; ".join(cap_text)
    elif cap_text:
        message = f"{head} cannot all be scheduled: " + "; ".join(cap_text)
    else:
        message = f"{head} cannot all be scheduled: their months, blackouts and predecessors clash"
    sites = tuple(n.split(":", 1)[1] for n in caps if n.startswith(("site_", "site:")))
    budgets = tuple(n for n in caps if n.split(":")[0] in _MONEY)
    periods = tuple(int(n.split(":")[1]) for n in caps if n.startswith("monthly_budget:"))
    kind = "+".join(sorted({n.split(":")[0] for n in caps})) or "requirements"
    return Conflict(kind, message, tuple(required), sites, budgets, periods)


_MONEY = ("annual_budget", "monthly_budget", "funding_cap", "site_budget")


def _requirement_phrase(problem: Problem, kind: str, ids: list[str]) -> str:
    """'mandatory projects P3, P7' or 'pinned project P5 (period 9)'."""
    projects = problem.project_by_id
    if kind == "pinned":
        listed = ", ".join(f"{pid} (period {projects[pid].pinned_start})" for pid in ids)
    else:
        listed = ", ".join(ids)
    word = {"mandatory": "mandatory", "pinned": "pinned", "all_projects": "the"}[kind]
    plural = "projects" if len(ids) > 1 else "project"
    return f"{word} {plural} {listed}"


def _cap_phrase(problem: Problem, name: str) -> str:
    """A cap named by its guard, with its size."""
    kind, _, key = name.partition(":")
    if kind == "annual_budget":
        return f"annual budget is {money(problem.annual_budget or 0)}"
    if kind == "monthly_budget":
        cap = (problem.monthly_budget or ())[int(key)]
        return f"monthly budget of period {key} is {money(cap)}"
    if kind == "funding_cap":
        return f"{key} funding cap is {money(problem.funding_caps[key])}"
    if kind == "site_budget":
        return f"budget of site {key} is {money(problem.site_by_id[key].budget_cap or 0)}"
    if kind == "crews":
        capacity = problem.trades[key]
        size = capacity[0] if len(set(capacity)) == 1 else f"{min(capacity)}-{max(capacity)}"
        return f"{key} has {size} crew{'s' if size != 1 else ''} per period"
    if kind == "site_concurrency":
        limit = problem.site_by_id[key].max_concurrent
        return f"site {key} allows {limit} project{'s' if limit != 1 else ''} at a time"
    return name
