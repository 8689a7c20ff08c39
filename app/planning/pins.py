"""Before a project is pinned to a month: the scenario's rules, checked on the optimiser's own
problem (app/planning/adapter.problem_for), each refusal naming the rule in month labels and names.

The capacity rules count only the OTHER pinned projects: the optimiser fits everything else
around the pins when the planner re-plans, so a pin is refused only when the pins alone break a
limit ("needs 2 Network crews in Oct 2027; the scenario has 3 and pinned projects already use 2").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property

from sqlalchemy.orm import Session

from app.planning.adapter import problem_for
from app.planning.common import is_draft, money, months_text
from app.planning.wording import Vocabulary, in_words, limit_label, vocabulary_for
from inventory.errors import DomainError
from inventory.models import Project, Scenario
from scheduler import Problem
from scheduler import Project as OptimiserProject
from scheduler.explain import no_start_reason


@dataclass
class PinCheck:
    """One proposed pin: the project, the month, and the scenario's problem around it."""

    project: Project
    month: int
    problem: Problem
    candidate: OptimiserProject
    words: Vocabulary

    @property
    def scenario(self) -> Scenario:
        """The project's scenario."""
        return self.project.scenario

    @property
    def prefix(self) -> str:
        """'Pinning Wi-Fi at Lincoln to Oct 2027'."""
        return f"Pinning {self.project.name} to {self.label(self.month)}"

    @property
    def months(self) -> range:
        """The months the project would be under way."""
        return range(self.month, self.month + self.candidate.duration)

    def label(self, month: int) -> str:
        """'Oct 2027'."""
        return self.scenario.month_label(month)

    def name(self, key: str) -> str:
        """A project key as its name."""
        return self.words.projects.get(key, key)

    @cached_property
    def others(self) -> list[OptimiserProject]:
        """The scenario's other pinned projects."""
        return [
            p
            for p in self.problem.projects
            if p.pinned_start is not None and p.id != self.candidate.id
        ]

    def others_under_way(self, month: int) -> Iterator[OptimiserProject]:
        """Other pinned projects under way in a month."""
        for other in self.others:
            if other.pinned_start <= month < other.pinned_start + other.duration:
                yield other


def check_pin(session: Session, project: Project, month: int) -> list[str]:
    """What pinning the project to the month would break (empty: the pin is allowed)."""
    scenario = project.scenario
    if not is_draft(scenario):
        return [
            f"{scenario.name} is {scenario.status.label.lower()}: pins change its inputs, so "
            "return it to draft first (on the scenario's overview)."
        ]
    if project.is_withdrawn:
        return [f"{project.name} is withdrawn from the scenario; restore it before pinning it."]
    if not 0 <= month < scenario.months:
        first, last = scenario.month_label(0), scenario.month_label(scenario.months - 1)
        return [f"The month must be one of the scenario's, {first} to {last}."]
    try:
        problem, _ids = problem_for(session, scenario)
    except DomainError as error:
        return [error.message]
    base = problem.project_by_id[project.key]
    check = PinCheck(
        project=project,
        month=month,
        problem=problem,
        candidate=replace(base, pinned_start=month),
        words=vocabulary_for(session, scenario),
    )
    messages = [*timing_rules(check), *calendar_rules(check), *order_rules(check)]
    if not messages and not problem.static_starts(check.candidate):
        messages.append(
            f"{check.prefix}: {in_words(no_start_reason(problem, check.candidate), check.words)}."
        )
    return messages + capacity_rules(check)


def timing_rules(check: PinCheck) -> list[str]:
    """The scenario's months, and the project's earliest and latest months and allowed starts."""
    project, candidate, horizon = check.project, check.candidate, check.problem.horizon
    last = check.month + candidate.duration - 1
    messages = []
    if check.month < candidate.earliest:
        earliest = check.label(candidate.earliest)
        messages.append(f"{check.prefix} starts before its earliest month, {earliest}.")
    if last >= horizon:
        messages.append(
            f"{check.prefix}: it lasts {_count(candidate.duration, 'month')} and would run past "
            f"the scenario's last month, {check.label(horizon - 1)}."
        )
    elif candidate.latest_end is not None and last >= candidate.latest_end:
        messages.append(
            f"{check.prefix}: it would still be under way in {check.label(last)}, after its "
            f"latest month, {check.label(candidate.latest_end - 1)}."
        )
    allowed = project.allowed_start_months
    if allowed is not None and check.month not in allowed:
        messages.append(
            f"{check.prefix}: {check.label(check.month)} is not one of its allowed start months "
            f"({months_text(check.scenario, allowed)})."
        )
    return messages


def calendar_rules(check: PinCheck) -> list[str]:
    """Disruptive work inside one work window; district and site blackout months."""
    messages = []
    upgrade = check.project.upgrade_type
    windows = check.scenario.windows
    if upgrade.is_disruptive and not any(
        all(m in window.months for m in check.months) for window in windows
    ):
        if not windows:
            where = "but the scenario has no work windows"
        else:
            listed = "; ".join(
                f"{w.name}: {months_text(check.scenario, w.months)}" for w in windows
            )
            where = f"and {_span(check)} is not inside one ({listed})"
        messages.append(
            f"{check.prefix}: {upgrade.name} is disruptive work, which must lie inside one work "
            f"window, {where}."
        )
    district = [m for m in check.months if m in check.problem.blackout_periods]
    if district:
        messages.append(
            f"{check.prefix} puts it under way in {months_text(check.scenario, district)}, "
            f"{_plural(len(district), 'a district blackout month', 'district blackout months')}."
        )
    site = check.problem.site_of(check.candidate)
    own = [m for m in check.months if site is not None and m in site.blackout_periods]
    if own:
        months = _plural(len(own), "a blackout month", "blackout months")
        messages.append(
            f"{check.prefix} puts it under way in {months_text(check.scenario, own)}, {months} "
            f"at {check.project.site.name}."
        )
    return messages


def order_rules(check: PinCheck) -> list[str]:
    """Predecessors finish before it starts; pinned successors start after it ends."""
    problem, messages = check.problem, []
    projects = problem.project_by_id
    for key in check.candidate.after:
        before = projects[key]
        if before.pinned_start is not None:
            ends = before.pinned_start + before.duration
            if ends > check.month:
                messages.append(
                    f"{check.prefix}: {check.name(key)} must come first and is pinned to "
                    f"{check.label(before.pinned_start)}, under way until "
                    f"{check.label(ends - 1)}."
                )
        elif _earliest_end(problem, before, {}) > check.month:
            messages.append(
                f"{check.prefix}: {check.name(key)} must come first, and its own months, windows "
                f"and blackouts (and those of the work before it) do not let it finish before "
                f"{check.label(check.month)}."
            )
    end = check.month + check.candidate.duration
    for later in check.others:
        if check.candidate.id in later.after and later.pinned_start < end:
            messages.append(
                f"{check.prefix}: it would be under way until {check.label(end - 1)}, but "
                f"{check.name(later.id)} must come after it and is pinned to "
                f"{check.label(later.pinned_start)}."
            )
    return messages


def _earliest_end(problem: Problem, project: OptimiserProject, memo: dict[str, int]) -> int:
    """The first month by which the project can have ended (exclusive), its predecessors first;
    past the horizon when it cannot be scheduled at all."""
    if project.id not in memo:
        memo[project.id] = problem.horizon + 1  # a cycle cannot occur; the problem refuses one
        ready = max(
            (_earliest_end(problem, problem.project_by_id[k], memo) for k in project.after),
            default=0,
        )
        starts = [s for s in problem.static_starts(project) if s >= ready]
        memo[project.id] = starts[0] + project.duration if starts else problem.horizon + 1
    return memo[project.id]


def capacity_rules(check: PinCheck) -> list[str]:
    """What the other pinned projects leave: crews, the site's projects at once, the month's
    spending cap, the annual budget and the funding source's cap."""
    return [*_crews(check), *_site_at_once(check), *_money(check)]


def _crews(check: PinCheck) -> Iterator[str]:
    """Each trade's crews in every month the project would be under way."""
    for trade, need in check.candidate.crews.items():
        capacity = check.problem.trades[trade]
        short = []
        for month in check.months:
            if month >= check.problem.horizon:
                break
            used = sum(p.crews.get(trade, 0) for p in check.others_under_way(month))
            if used + need > capacity[month]:
                short.append((month, capacity[month], used))
        if short:
            month, have, used = short[0]
            crews = _count(need, f"{check.words.trades.get(trade, trade)} crew")
            also = f" (also short in {months_text(check.scenario, [s[0] for s in short[1:]])})"
            yield (
                f"{check.prefix} needs {crews} in {check.label(month)}; the scenario has {have} "
                f"and pinned projects already use {used}{also if len(short) > 1 else ''}."
            )


def _site_at_once(check: PinCheck) -> Iterator[str]:
    """The site's limit of projects under way at once."""
    site = check.problem.site_of(check.candidate)
    if site is None:
        return
    for month in check.months:
        there = [p for p in check.others_under_way(month) if p.site == site.id]
        if len(there) + 1 > site.max_concurrent:
            names = ", ".join(check.name(p.id) for p in there)
            yield (
                f"{check.prefix}: {check.project.site.name} takes at most "
                f"{_count(site.max_concurrent, 'project')} at once, and {names} "
                f"{'is' if len(there) == 1 else 'are'} pinned there in {check.label(month)}."
            )
            return


def _money(check: PinCheck) -> Iterator[str]:
    """The month's spending cap, the annual (program) budget, the funding source's cap."""
    problem, cost = check.problem, check.candidate.cost
    costs = f"this one costs {_dollars(cost)}"
    monthly = problem.monthly_budget
    if monthly is not None:
        spent = sum(p.cost for p in check.others if p.pinned_start == check.month)
        if spent + cost > monthly[check.month]:
            yield (
                f"{check.prefix}: the spending cap of {check.label(check.month)} is "
                f"{_dollars(monthly[check.month])}; pinned projects already spend "
                f"{_dollars(spent)} then and {costs}."
            )
    if problem.annual_budget is not None:
        spent = sum(p.cost for p in check.others)
        if spent + cost > problem.annual_budget:
            budget = "annual budget" if check.scenario.years == 1 else "program budget"
            yield (
                f"{check.prefix}: the {budget} is {_dollars(problem.annual_budget)}; pinned "
                f"projects already cost {_dollars(spent)} and {costs}."
            )
    source = check.candidate.funding
    cap = problem.funding_caps.get(source) if source is not None else None
    if cap is not None:
        spent = sum(p.cost for p in check.others if p.funding == source)
        if spent + cost > cap:
            name = limit_label(f"funding_cap:{source}", check.words)
            yield (
                f"{check.prefix}: {name} has {_dollars(cap)} for this scenario; pinned projects "
                f"already draw {_dollars(spent)} from it and {costs}."
            )


def _dollars(amount: int) -> str:
    """The optimiser's whole dollars as '$1,235'."""
    return money(amount * 100)


def _count(number: int, noun: str) -> str:
    """'1 month', '3 months'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _plural(number: int, one: str, many: str) -> str:
    """One phrase or the other."""
    return one if number == 1 else many


def _span(check: PinCheck) -> str:
    """'Oct 2027' or 'Oct 2027 to Nov 2027'."""
    first, last = check.month, check.month + check.candidate.duration - 1
    if last == first:
        return check.label(first)
    return f"{check.label(first)} to {check.label(min(last, check.problem.horizon - 1))}"
