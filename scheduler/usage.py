"""Running totals of crews, site slots and money used by a partial plan, for greedy and reasons."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scheduler.problem import Problem, Project


@dataclass(frozen=True)
class Blocker:
    """Why a project cannot start in a period, given what the plan already uses."""

    rule: str
    message: str
    subject: str = ""  # the trade, funding source or site the rule is about, when there is one


class Usage:
    """Resources consumed by the projects placed so far."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.starts: dict[str, int] = {}
        self.crews: dict[tuple[str, int], int] = defaultdict(int)
        self.site_active: dict[tuple[str, int], int] = defaultdict(int)
        self.monthly: list[int] = [0] * problem.horizon
        self.total = 0
        self.funding: dict[str, int] = defaultdict(int)
        self.site_spent: dict[str, int] = defaultdict(int)

    def add(self, project: Project, start: int, sign: int = 1) -> None:
        """Record (or with sign=-1, remove) the project starting at `start`."""
        if sign > 0:
            self.starts[project.id] = start
        else:
            del self.starts[project.id]
        for period in range(start, start + project.duration):
            for trade, units in project.crews.items():
                self.crews[trade, period] += sign * units
            if project.site is not None:
                self.site_active[project.site, period] += sign
        self.monthly[start] += sign * project.cost
        self.total += sign * project.cost
        if project.funding is not None:
            self.funding[project.funding] += sign * project.cost
        if project.site is not None:
            self.site_spent[project.site] += sign * project.cost

    def remove(self, project: Project) -> None:
        """Take a placed project out of the plan."""
        self.add(project, self.starts[project.id], sign=-1)

    def money_blocker(self, project: Project) -> Blocker | None:
        """The annual, funding or site budget that cannot absorb the project, whatever the month."""
        problem = self.problem
        annual = problem.annual_budget
        if annual is not None and self.total + project.cost > annual:
            return Blocker("annual_budget", f"annual budget exhausted ({annual - self.total} left)")
        cap = problem.funding_caps.get(project.funding) if project.funding else None
        if cap is not None and self.funding[project.funding] + project.cost > cap:
            left = cap - self.funding[project.funding]
            return Blocker(
                "funding_cap", f"{project.funding} funding exhausted ({left} left)", project.funding
            )
        site = problem.site_of(project)
        site_cap = site.budget_cap if site is not None else None
        if site is not None and site_cap is not None:
            left = site_cap - self.site_spent[site.id]
            if project.cost > left:
                return Blocker(
                    "site_budget", f"budget of site {site.id} exhausted ({left} left)", site.id
                )
        return None

    def period_blocker(self, project: Project, start: int) -> Blocker | None:
        """The monthly budget, crew or site slot that blocks starting in `start`, if any."""
        problem = self.problem
        monthly = problem.monthly_budget
        if monthly is not None and self.monthly[start] + project.cost > monthly[start]:
            return Blocker("monthly_budget", f"monthly budget of period {start} exhausted")
        site = problem.site_of(project)
        for period in range(start, start + project.duration):
            for trade, units in project.crews.items():
                if self.crews[trade, period] + units > problem.trades[trade][period]:
                    return Blocker("crews", f"no {trade} crew free in period {period}", trade)
            if site is not None and self.site_active[site.id, period] >= site.max_concurrent:
                if site.max_concurrent == 0:
                    return Blocker("site_concurrency", f"site {site.id} takes no projects", site.id)
                return Blocker(
                    "site_concurrency", f"site {site.id} busy in period {period}", site.id
                )
        return None

    def ready_from(self, project: Project) -> int | None:
        """First period after every predecessor ends, or None if one is not placed."""
        ready = 0
        for other in project.after:
            if other not in self.starts:
                return None
            end = self.starts[other] + self.problem.project_by_id[other].duration
            ready = max(ready, end)
        return ready

    def first_fit(self, project: Project, starts: list[int]) -> int | None:
        """Earliest start among `starts` where the project fits with what is placed."""
        ready = self.ready_from(project)
        if ready is None or self.money_blocker(project) is not None:
            return None
        for start in starts:
            if start >= ready and self.period_blocker(project, start) is None:
                return start
        return None
