"""Energetic reasoning on the required projects: work that cannot fit in a window of periods.

A required project must start at one of its static start periods, so in any window of periods
[a, b) it keeps at least its smallest overlap with the window over those starts (at the first or
the last start: the overlap of a fixed-length interval with a window is a trapezoid in the
start). If the required projects' least use of a trade's crews, of a site's project slots or
of the monthly budgets in a window is more than the window holds, no plan exists, whatever
else is decided. This finds in milliseconds what a search proves slowly when hundreds of
projects are required, and names the conflict in planners' words: the window, the resource,
how much is needed against how much there is, and the fewest projects that already need more.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import TypeVar

from scheduler.problem import Problem, Project
from scheduler.solution import Conflict, money

WORK_LIMIT = 200_000  # (shape, window) pairs looked at per resource; past it, fewer windows
SHOWN_NAMES = 8  # projects named in a message; the conflict itself lists all of them

T = TypeVar("T")


@dataclass(frozen=True)
class _Use:
    """A required project's use of one resource: units per active period, its first/last start."""

    project: Project
    units: int
    length: int  # periods the resource is held from the start (1 for money: bought at start)
    first: int
    last: int


def _least_overlap(length: int, first: int, last: int, a: int, b: int) -> int:
    """Periods of [a, b) held by [s, s + length) whichever start s in [first, last] is taken."""
    at_first = min(first + length, b) - max(first, a)
    at_last = min(last + length, b) - max(last, a)
    least = at_first if at_first < at_last else at_last
    return least if least > 0 else 0


def energy_conflicts(problem: Problem, required: set[str]) -> list[Conflict]:
    """One conflict per resource whose capacity some window of required work exceeds."""
    uses = _uses(problem, required)
    conflicts = []
    for (kind, name), members in sorted(uses.items(), key=lambda item: item[0]):
        capacity = _capacity(problem, kind, name)
        if kind == "site" and len(members) <= min(capacity):
            continue  # never more required projects than slots: nothing to find
        found = _worst_window(members, capacity)
        if found is not None:
            conflicts.append(_describe(problem, kind, name, *found))
    return conflicts


def _uses(problem: Problem, required: set[str]) -> dict[tuple[str, str], list[_Use]]:
    """The required projects' uses of each resource: ("crews", trade), ("site", id), monthly."""
    uses: dict[tuple[str, str], list[_Use]] = defaultdict(list)
    ranges = _start_ranges(problem, required)
    for pid in sorted(ranges):
        project = problem.project_by_id[pid]
        first, last = ranges[pid]
        if project.duration > 0:
            for trade, units in sorted(project.crews.items()):
                if units > 0 and trade in problem.trades:
                    uses["crews", trade].append(_Use(project, units, project.duration, first, last))
            if project.site is not None:
                uses["site", project.site].append(_Use(project, 1, project.duration, first, last))
        if problem.monthly_budget is not None and project.cost > 0:
            uses["monthly", ""].append(_Use(project, project.cost, 1, first, last))
    return uses


def tightest(problem: Problem, required: set[str]) -> str | None:
    """The resource and window the required projects fill most, in words; None if none is used.

    For an infeasible problem whose conflict the search could not narrow down: where a planner
    should look first (no window is over, or energy_conflicts would have named it).
    """
    best: tuple[float, str] | None = None
    for (kind, name), members in _uses(problem, required).items():
        for a, b, need, have, _each in _windows(members, _capacity(problem, kind, name)):
            if have > 0 and need > 0 and (best is None or need / have > best[0]):
                best = (need / have, _usage_phrase(kind, name, need, have, _window(a, b)))
    return best[1] if best is not None else None


def _usage_phrase(kind: str, name: str, need: int, have: int, window: str) -> str:
    """'network crews: 46 of the 48 crew-months in periods 0-11'."""
    if kind == "crews":
        return f"{name} crews: {need} of the {have} crew-months in {window}"
    if kind == "site":
        return f"site {name}: {need} of the {have} project-months in {window}"
    return f"the monthly budgets: {money(need)} of {money(have)} in {window}"


def _start_ranges(problem: Problem, required: set[str]) -> dict[str, tuple[int, int]]:
    """Each required project's first and last possible start, its predecessors considered.

    A required project's predecessors are required too: it starts after they can end, and ends
    before its required successors must start. Both ends are allowed starts, and every allowed
    start lies between them (what `_least_overlap` needs). Where that leaves a project no
    start, the chain is a conflict of its own (static_conflicts or the search names it): the
    starts are then taken without predecessors.
    """
    projects = problem.project_by_id
    order = [p for p in problem.topological_order if p.id in required]
    starts = {p.id: problem.static_starts(p) for p in order}
    plain = {pid: (ss[0], ss[-1]) for pid, ss in starts.items() if ss}
    first: dict[str, int] = {}
    for project in order:
        ready = max((first[q] + projects[q].duration for q in project.after), default=0)
        later = [s for s in starts[project.id] if s >= ready]
        if not later:
            return plain
        first[project.id] = later[0]
    successors: dict[str, list[str]] = defaultdict(list)
    for project in order:
        for q in project.after:
            successors[q].append(project.id)
    last: dict[str, int] = {}
    for project in reversed(order):
        due = min((last[r] for r in successors[project.id]), default=problem.horizon)
        fits = [s for s in starts[project.id] if first[project.id] <= s <= due - project.duration]
        if not fits:
            return plain
        last[project.id] = fits[-1]
    return {pid: (first[pid], last[pid]) for pid in first}


def _capacity(problem: Problem, kind: str, name: str) -> list[int]:
    """The resource's capacity in each period."""
    if kind == "crews":
        return list(problem.trades[name])
    if kind == "site":
        return [problem.site_by_id[name].max_concurrent] * problem.horizon
    return list(problem.monthly_budget or [])


def _windows(members: list[_Use], capacity: list[int]):
    """(a, b, need, have, [(least need of one project, projects of that shape)]) of each window.

    Projects with the same units, length and first and last start use any window alike, so
    they are counted together: a district has thousands of required projects but a few hundred
    such shapes.
    """
    shapes: dict[tuple[int, int, int, int], list[_Use]] = defaultdict(list)
    for use in members:
        shapes[use.units, use.length, use.first, use.last].append(use)
    horizon = len(capacity)
    prefix = [0, *accumulate(capacity)]
    lefts = sorted({0, *(u.first for u in members)})
    rights = sorted({horizon, *(min(horizon, u.last + u.length) for u in members)})
    room = max(2, math.isqrt(WORK_LIMIT // len(shapes)))
    for a in _thin(lefts, room):
        for b in _thin(rights, room):
            if b > a:
                each = [
                    (units * _least_overlap(length, first, last, a, b), group)
                    for (units, length, first, last), group in shapes.items()
                ]
                need = sum(n * len(group) for n, group in each)
                yield a, b, need, prefix[b] - prefix[a], each


def _worst_window(members: list[_Use], capacity: list[int]):
    """(a, b, need, have, fewest uses over) of the window needing the fewest projects, or None."""
    best = None
    for a, b, need, have, each in _windows(members, capacity):
        if need <= have:
            continue
        pairs = [(n, use) for n, group in each for use in group]
        fewest = fewest_over(pairs, lambda pair: pair[0], have, lambda pair: pair[1].project.id)
        if best is None or len(fewest) < len(best[4]):
            best = (a, b, sum(n for n, _ in fewest), have, [use for _, use in fewest])
    return best


def fewest_over(
    items: Iterable[T], need: Callable[[T], int], have: int, name: Callable[[T], str]
) -> list[T]:
    """The fewest items, largest need first (ties by name), whose needs add up to more than
    `have`; all of them if even they do not. Naming every required project when two of them
    already break a limit would hide the conflict in a long list.
    """
    chosen, total = [], 0
    for item in sorted(items, key=lambda item: (-need(item), name(item))):
        chosen.append(item)
        total += need(item)
        if total > have:
            break
    return chosen


def _thin(points: list[int], room: int) -> list[int]:
    """At most `room` of the points, evenly spread, first and last kept (any subset is valid)."""
    if len(points) <= room:
        return points
    step = (len(points) - 1) / (room - 1)
    return sorted({points[round(i * step)] for i in range(room)})


def _window(a: int, b: int) -> str:
    """'period 2' or 'periods 0-3' for the window [a, b)."""
    return f"period {a}" if b == a + 1 else f"periods {a}-{b - 1}"


def _describe(problem: Problem, kind: str, name: str, a: int, b: int, need: int, have: int, uses):
    """The conflict in planners' words."""
    ids = tuple(u.project.id for u in sorted(uses, key=lambda u: u.project.id))
    shown = ", ".join(ids[:SHOWN_NAMES])
    if len(ids) > SHOWN_NAMES:
        shown += f" and {len(ids) - SHOWN_NAMES} more"
    who = f"required project{'s' if len(ids) > 1 else ''} {shown}"
    window = _window(a, b)
    if kind == "crews":
        message = f"{who} need {need} {name} crew-months in {window}; {name} has {have} there"
        return Conflict("crews", message, ids)
    if kind == "site":
        limit = problem.site_by_id[name].max_concurrent
        message = (
            f"{who} need {need} project-months at site {name} in {window}; the site takes "
            f"{limit} project{'s' if limit != 1 else ''} at a time ({have} there)"
        )
        return Conflict("site_concurrency", message, ids, sites=(name,))
    budgets = (
        f"the monthly budget of period {a} is" if b == a + 1 else "the monthly budgets there total"
    )
    message = f"{who} must start in {window}, costing {money(need)}; {budgets} {money(have)}"
    periods = tuple(range(a, b))
    return Conflict("monthly_budget", message, ids, budgets=("monthly",), periods=periods)
