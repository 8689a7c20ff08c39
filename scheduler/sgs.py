"""Schedule-generation heuristics and a lower bound for `min_makespan` (the RCPSP case).

A serial schedule-generation scheme places the projects one at a time, each at the first start
where its predecessors are done and its crews and site slots are free. It is run with several
classic priority rules (latest finish, latest start, most total successors, greatest rank
positional weight), then with randomly biased priorities, and every schedule is improved by
forward-backward justification: shift every project as late as possible (latest end first),
then as early as possible (earliest start first), which never lengthens the schedule and often
shortens it. The best schedule is a starting point (hint and upper bound) for CP-SAT.

Only problems whose rules are crews, site concurrency, predecessors and per-project start
periods are handled (monthly budgets make the placement of one project depend on money spent
by others in the same month; `heuristic_schedule` returns None for them).
"""

from __future__ import annotations

import heapq
import random
import time
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scheduler.problem import Problem

Priority = Sequence[float]


@dataclass
class Instance:
    """Projects by index: durations, demands on every resource, capacities per period."""

    ids: list[str]
    duration: list[int]
    demand: list[list[tuple[int, int]]]  # per project: (resource, units) with units > 0
    capacity: list[list[int]]  # per resource: units available in each period
    preds: list[list[int]]
    succs: list[list[int]]
    allowed: list[list[int]]  # per project: sorted start periods
    horizon: int

    @classmethod
    def of(cls, problem: Problem, *, strict: bool = True) -> Instance | None:
        """The instance of a problem; None when `strict` and it has monthly budgets."""
        if strict and problem.monthly_budget is not None:
            return None
        projects = problem.projects
        index = {p.id: i for i, p in enumerate(projects)}
        horizon = problem.horizon
        capacity: list[list[int]] = []
        resource: dict[tuple[str, str], int] = {}
        for trade, caps in problem.trades.items():
            resource["trade", trade] = len(capacity)
            capacity.append(list(caps))
        for site in problem.sites:
            resource["site", site.id] = len(capacity)
            capacity.append([site.max_concurrent] * horizon)
        demand: list[list[tuple[int, int]]] = []
        for p in projects:
            needs = [(resource["trade", t], u) for t, u in p.crews.items() if u > 0]
            if p.site is not None:
                needs.append((resource["site", p.site], 1))
            demand.append(needs if p.duration > 0 else [])
        preds = [[index[q] for q in p.after] for p in projects]
        succs: list[list[int]] = [[] for _ in projects]
        for i, before in enumerate(preds):
            for j in before:
                succs[j].append(i)
        return cls(
            ids=[p.id for p in projects],
            duration=[p.duration for p in projects],
            demand=demand,
            capacity=capacity,
            preds=preds,
            succs=succs,
            allowed=[problem.static_starts(p) for p in projects],
            horizon=horizon,
        )

    def reversed(self) -> Instance:
        """The same instance with time running backwards (successors become predecessors)."""
        h = self.horizon
        allowed = [
            sorted(h - s - d for s in starts)
            for starts, d in zip(self.allowed, self.duration, strict=True)
        ]
        return Instance(
            ids=self.ids,
            duration=self.duration,
            demand=self.demand,
            capacity=[caps[::-1] for caps in self.capacity],
            preds=self.succs,
            succs=self.preds,
            allowed=allowed,
            horizon=h,
        )

    def flip(self, starts: Sequence[int]) -> list[int]:
        """Start periods mapped between this instance and its reversal."""
        return [self.horizon - s - d for s, d in zip(starts, self.duration, strict=True)]


def serial(inst: Instance, priority: Priority) -> list[int] | None:
    """Serial SGS: repeatedly place the eligible project of lowest priority at its first fit."""
    n = len(inst.duration)
    free = [list(caps) for caps in inst.capacity]
    waiting = [len(p) for p in inst.preds]
    ready = [0] * n
    starts = [0] * n
    heap = [(priority[i], i) for i in range(n) if not waiting[i]]
    heapq.heapify(heap)
    placed = 0
    while heap:
        _, i = heapq.heappop(heap)
        d, needs, allowed = inst.duration[i], inst.demand[i], inst.allowed[i]
        k = bisect_left(allowed, ready[i])
        while True:
            if k >= len(allowed):
                return None
            s = allowed[k]
            clash = -1
            for t in range(s, s + d):
                if any(free[r][t] < u for r, u in needs):
                    clash = t
                    break
            if clash < 0:
                break
            k = bisect_left(allowed, clash + 1, k + 1)
        starts[i] = s
        for r, u in needs:
            row = free[r]
            for t in range(s, s + d):
                row[t] -= u
        placed += 1
        for j in inst.succs[i]:
            ready[j] = max(ready[j], s + d)
            waiting[j] -= 1
            if not waiting[j]:
                heapq.heappush(heap, (priority[j], j))
    return starts if placed == n else None


def makespan_of(inst: Instance, starts: Sequence[int]) -> int:
    """End of the last project."""
    return max((s + d for s, d in zip(starts, inst.duration, strict=True)), default=0)


def justify(inst: Instance, back: Instance, starts: list[int]) -> list[int]:
    """Forward-backward improvement: right-justify then left-justify until no gain."""
    best, best_span = starts, makespan_of(inst, starts)
    while True:
        ends = [s + d for s, d in zip(best, inst.duration, strict=True)]
        right = serial(back, [-e for e in ends])  # latest end first, as late as possible
        if right is None:
            return best
        right_starts = back.flip(right)
        left = serial(inst, right_starts)  # earliest start first, as early as possible
        if left is None:
            return best
        span = makespan_of(inst, left)
        if span >= best_span:
            return left if span == best_span else best
        best, best_span = left, span


def critical_path(inst: Instance) -> tuple[list[int], list[int]]:
    """Earliest starts (heads) and durations-to-the-end (tails, own duration included)."""
    n = len(inst.duration)
    order = _topological(inst)
    head = [0] * n
    for i in order:
        first = inst.allowed[i][0] if inst.allowed[i] else 0
        head[i] = max([first] + [head[j] + inst.duration[j] for j in inst.preds[i]])
    tail = [0] * n
    for i in reversed(order):
        tail[i] = inst.duration[i] + max([0] + [tail[j] for j in inst.succs[i]])
    return head, tail


def _topological(inst: Instance) -> list[int]:
    """Project indices with every predecessor before its successors."""
    waiting = [len(p) for p in inst.preds]
    order = [i for i, w in enumerate(waiting) if not w]
    for i in order:
        for j in inst.succs[i]:
            waiting[j] -= 1
            if not waiting[j]:
                order.append(j)
    return order


def priority_rules(inst: Instance) -> list[Priority]:
    """Classic RCPSP priority rules (lower value first)."""
    n = len(inst.duration)
    head, tail = critical_path(inst)
    span = max((h + inst.duration[i] for i, h in enumerate(head)), default=0)
    span = max(span, max(tail, default=0))
    latest_finish = [span - tail[i] + inst.duration[i] for i in range(n)]
    latest_start = [span - tail[i] for i in range(n)]
    total_succs = [0] * n
    rank_weight = [0] * n
    for i in reversed(_topological(inst)):
        below: set[int] = set()
        for j in inst.succs[i]:
            below.add(j)
            below |= _descendants(inst, j)
        total_succs[i] = len(below)
        rank_weight[i] = inst.duration[i] + sum(inst.duration[j] for j in below)
    work = [inst.duration[i] * sum(u for _, u in inst.demand[i]) for i in range(n)]
    return [
        [lf + i / (n + 1) for i, lf in enumerate(latest_finish)],
        [ls + i / (n + 1) for i, ls in enumerate(latest_start)],
        [-m + lf / (span + 1) for m, lf in zip(total_succs, latest_finish, strict=True)],
        [-w + lf / (span + 1) for w, lf in zip(rank_weight, latest_finish, strict=True)],
        [lf - w / (max(work) + 1) for lf, w in zip(latest_finish, work, strict=True)],
    ]


def _descendants(inst: Instance, i: int) -> set[int]:
    """Every project that (transitively) follows project i."""
    found: set[int] = set()
    stack = list(inst.succs[i])
    while stack:
        j = stack.pop()
        if j not in found:
            found.add(j)
            stack.extend(inst.succs[j])
    return found


def heuristic_schedule(
    problem: Problem,
    *,
    time_limit_s: float = 0.3,
    seed: int = 0,
    stop: Callable[[], bool] | None = None,
) -> dict[str, int] | None:
    """The shortest schedule found by priority rules and random sampling with justification.

    Returns start periods by project id, or None when the problem has rules the heuristic does
    not model (monthly budgets) or no schedule fits in the horizon.
    """
    inst = Instance.of(problem)
    if inst is None or any(not a for a in inst.allowed):
        return None
    deadline = time.monotonic() + time_limit_s
    back = inst.reversed()
    best: list[int] | None = None
    best_span = inst.horizon + 1

    def offer(starts: list[int] | None) -> None:
        nonlocal best, best_span
        if starts is None:
            return
        starts = justify(inst, back, starts)
        span = makespan_of(inst, starts)
        if span < best_span:
            best, best_span = starts, span

    rules = priority_rules(inst)
    for rule in rules:
        offer(serial(inst, rule))
    rng = random.Random(seed)
    latest_finish = rules[0]
    while time.monotonic() < deadline and not (stop is not None and stop()):
        noise = rng.uniform(0.5, 3.0)  # biased sampling around the latest-finish order
        offer(serial(inst, [lf + rng.expovariate(1.0) * noise for lf in latest_finish]))
    if best is None:
        return None
    return dict(zip(inst.ids, best, strict=True))


def lower_bound(problem: Problem, inst: Instance | None = None) -> int:
    """A valid lower bound on the makespan: critical path and every resource's total work."""
    if not problem.projects:
        return 0
    if inst is None:  # monthly budgets only make the schedule longer: leave them out
        inst = Instance.of(problem, strict=False)
    assert inst is not None
    head, _ = critical_path(inst)
    bound = max(h + d for h, d in zip(head, inst.duration, strict=True))
    energy = [0] * len(inst.capacity)
    for d, needs in zip(inst.duration, inst.demand, strict=True):
        for r, u in needs:
            energy[r] += d * u
    for work, caps in zip(energy, inst.capacity, strict=True):
        done, t = 0, 0
        while done < work and t < len(caps):
            done += caps[t]
            t += 1
        if done >= work:
            bound = max(bound, t)
    return bound
