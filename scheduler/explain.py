"""Explanations in planners' words: why a project is left out, and which inputs conflict."""

from __future__ import annotations

from collections import defaultdict

from scheduler.energy import energy_conflicts, fewest_over
from scheduler.problem import Problem, Project
from scheduler.solution import Conflict, Unscheduled, money
from scheduler.usage import Blocker, Usage


def unscheduled_reasons(problem: Problem, usage: Usage) -> tuple[Unscheduled, ...]:
    """A reason, true in the plan held by `usage`, for each project the plan leaves out."""
    return tuple(
        Unscheduled(project.id, *reversed(_left_out(problem, usage, project)))
        for project in problem.projects
        if project.id not in usage.starts
    )


def _left_out(problem: Problem, usage: Usage, project: Project) -> tuple[str, str]:
    """The limit that keeps `project` out of the plan (see `Unscheduled.limit`), and why."""
    missing = [other for other in project.after if other not in usage.starts]
    if missing:
        return "predecessor", f"its predecessor {', '.join(missing)} is unscheduled"
    starts = problem.static_starts(project)
    if not starts:
        return "timing", no_start_reason(problem, project)
    ready = usage.ready_from(project) or 0
    if all(start < ready for start in starts):
        projects = problem.project_by_id
        last = max(project.after, key=lambda o: usage.starts[o] + projects[o].duration)
        why = f"its predecessor {last} ends in period {ready}, too late for any allowed start"
        return "predecessor", why
    money = usage.money_blocker(project)
    if money is not None:
        return _limit_of(money), money.message
    by_rule: dict[str, list[int]] = defaultdict(list)
    messages: dict[str, str] = {}
    limits: dict[str, str] = {}
    for start in (s for s in starts if s >= ready):
        blocker = usage.period_blocker(project, start)
        if blocker is None:
            if project.value == 0:
                return "no_value", "it adds no value to the plan"
            why = f"it would fit starting in period {start} (the plan is not proven optimal)"
            return "search", why
        key = blocker.message if blocker.rule != "monthly_budget" else "monthly_budget"
        by_rule[key].append(start)
        messages[key] = blocker.message
        limits[key] = _limit_of(blocker)
    parts = []
    for key, periods in by_rule.items():
        if key == "monthly_budget":
            parts.append(f"monthly budget exhausted in {_periods(periods)}")
        else:
            parts.append(f"{messages[key]} (for a start in {_periods(periods)})")
    counts: dict[str, int] = defaultdict(int)
    for key, periods in by_rule.items():
        counts[limits[key]] += len(periods)
    limit = max(counts, key=lambda name: counts[name])  # the limit that blocks most starts
    return limit, "no month where it fits: " + "; ".join(parts)


def _limit_of(blocker: Blocker) -> str:
    """A blocker as a limit name: its rule, and the trade, source or site it is about."""
    return f"{blocker.rule}:{blocker.subject}" if blocker.subject else blocker.rule


def no_start_reason(problem: Problem, project: Project) -> str:
    """Why the project's own timing rules and the blackouts leave no start period at all."""
    end = problem.end_limit(project)
    if project.pinned_start is not None:
        start = project.pinned_start
        blackouts = sorted(
            period
            for period in range(start, start + project.duration)
            if period in problem.blackouts_for(project)
        )
        if blackouts:
            district = [p for p in blackouts if p in problem.blackout_periods]
            if district:
                return f"pinned to period {start}, a district blackout ({_periods(district)})"
            where = f"site {project.site}"
            return f"pinned to period {start}, a blackout at {where} ({_periods(blackouts)})"
        if start + project.duration > end:
            return f"pinned to period {start}, it would end after period {end}"
        if start < project.earliest:
            return f"pinned to period {start}, before its earliest start {project.earliest}"
        return f"pinned to period {start}, which is not one of its allowed start periods"
    if project.earliest + project.duration > end:
        return (
            f"it cannot start at {project.earliest} or later and last {project.duration} "
            f"periods while ending by {end}"
        )
    return (
        "every start between its earliest start and latest end is outside its allowed "
        "start periods or hits a blackout"
    )


def static_conflicts(problem: Problem) -> list[Conflict]:
    """Conflicts visible without search: required projects that cannot fit even alone, chains
    that end too late, required costs over a budget, then required work over a window (energy.py).
    """
    conflicts: list[Conflict] = []
    projects = problem.project_by_id
    required = required_closure(problem)
    for pid in sorted(required):
        project = projects[pid]
        if not problem.static_starts(project):
            rule = "pinned" if project.pinned_start is not None else "timing"
            why = no_start_reason(problem, project)
            conflicts.append(Conflict(rule, f"{_why_required(problem, pid)} {pid}: {why}", (pid,)))
    if conflicts:
        return conflicts
    conflicts = _chain_conflicts(problem, required)
    if conflicts:
        return conflicts
    for project in (projects[pid] for pid in sorted(required)):
        alone = Usage(problem)
        if alone.money_blocker(project) is not None:
            continue  # its cap is named, with the amounts, by _money_conflicts below
        if all(
            alone.period_blocker(project, s) is not None for s in problem.static_starts(project)
        ):
            conflicts.append(
                Conflict(
                    "capacity",
                    f"{_why_required(problem, project.id)} {project.id} does not fit even alone: "
                    f"{_alone_reason(problem, project)}",
                    (project.id,),
                )
            )
    conflicts += _money_conflicts(problem, required)
    return conflicts or energy_conflicts(problem, required)


def _chain_conflicts(problem: Problem, required: set[str]) -> list[Conflict]:
    """A required project whose chain of predecessors cannot end in time for any of its starts."""
    earliest: dict[str, int] = {}
    came_from: dict[str, str] = {}
    for project in problem.topological_order:
        if project.id not in required:
            continue
        ready = 0
        for other in project.after:
            end = earliest[other] + problem.project_by_id[other].duration
            if end > ready:
                ready, came_from[project.id] = end, other
        starts = [s for s in problem.static_starts(project) if s >= ready]
        if not starts:
            chain = [project.id]
            while chain[-1] in came_from:
                chain.append(came_from[chain[-1]])
            names = " → ".join(reversed(chain))
            message = (
                f"predecessor chain {names}: {project.id} cannot start before period {ready}, "
                f"too late to end by {problem.end_limit(project)}"
            )
            return [Conflict("predecessors", message, tuple(reversed(chain)))]
        earliest[project.id] = starts[0]
    return []


def required_closure(problem: Problem) -> set[str]:
    """Projects that must be scheduled: required ones and, transitively, their predecessors."""
    everything = problem.objective == "min_makespan"
    stack = [p.id for p in problem.projects if p.is_required or everything]
    seen: set[str] = set()
    while stack:
        pid = stack.pop()
        if pid not in seen:
            seen.add(pid)
            stack.extend(problem.project_by_id[pid].after)
    return seen


def _why_required(problem: Problem, pid: str) -> str:
    """The word for why the project must be in the plan."""
    project = problem.project_by_id[pid]
    if project.pinned_start is not None:
        return "pinned project"
    if project.mandatory:
        return "mandatory project"
    if problem.objective == "min_makespan":
        return "project"
    return "project (a predecessor of a required project)"


def _alone_reason(problem: Problem, project: Project) -> str:
    """Why a project cannot fit in an empty plan."""
    empty = Usage(problem)
    money = empty.money_blocker(project)
    if money is not None:
        return f"its cost {project.cost} exceeds the cap ({money.rule})"
    blocker = None
    for start in problem.static_starts(project):
        blocker = empty.period_blocker(project, start)
    return blocker.message if blocker else "no start fits"


def _money_conflicts(problem: Problem, required: set[str]) -> list[Conflict]:
    """Required projects whose total cost exceeds the annual, funding or site budgets."""
    projects = [problem.project_by_id[pid] for pid in sorted(required)]
    out: list[Conflict] = []
    over = _fewest_over(projects, problem.annual_budget)
    if over:
        names = ", ".join(p.id for p in over)
        cap = money(problem.annual_budget or 0)
        total = money(sum(p.cost for p in over))
        message = f"required projects {names} cost {total}; annual budget is {cap}"
        out.append(
            Conflict("annual_budget", message, tuple(p.id for p in over), budgets=("annual",))
        )
    groups: dict[tuple[str, str], list[Project]] = defaultdict(list)
    for project in projects:
        if project.funding in problem.funding_caps:
            groups["funding", project.funding].append(project)
        site = problem.site_of(project)
        if site is not None and site.budget_cap is not None:
            groups["site", site.id].append(project)
    for (kind, name), members in sorted(groups.items()):
        cap = (
            problem.funding_caps[name] if kind == "funding" else problem.site_by_id[name].budget_cap
        )
        members = _fewest_over(members, cap)
        if members:
            spent = sum(p.cost for p in members)
            ids = tuple(p.id for p in members)
            label = f"{name} funding cap" if kind == "funding" else f"budget of site {name}"
            message = (
                f"required projects {', '.join(ids)} cost {money(spent)}; {label} is {money(cap)}"
            )
            sites = (name,) if kind == "site" else ()
            budgets = (name,) if kind == "funding" else ()
            out.append(
                Conflict(
                    f"{kind}_budget" if kind == "site" else "funding_cap",
                    message,
                    ids,
                    sites,
                    budgets,
                )
            )
    return out


def _fewest_over(projects: list[Project], cap: int | None) -> list[Project]:
    """The fewest of `projects` whose costs alone exceed `cap` (largest first); [] if all fit.

    The order of the input is kept in the answer.
    """
    if cap is None or sum(p.cost for p in projects) <= cap:
        return []
    chosen = {p.id for p in fewest_over(projects, lambda p: p.cost, cap, lambda p: p.id)}
    return [p for p in projects if p.id in chosen]


def _periods(periods: list[int]) -> str:
    """Periods as compact ranges: [0, 1, 2, 5] -> '0-2, 5'."""
    ordered = sorted(set(periods))
    ranges: list[str] = []
    start = prev = ordered[0]
    for period in [*ordered[1:], None]:
        if period is not None and period == prev + 1:
            prev = period
            continue
        ranges.append(str(start) if start == prev else f"{start}-{prev}")
        if period is not None:
            start = prev = period
    return ", ".join(ranges)
