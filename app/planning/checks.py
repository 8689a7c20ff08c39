"""Submission checks: what must be fixed before a scenario goes for approval, each in planners'
words with a link to the input to change.

Cheap checks read the rows (projects with no cost, budgets, crews, E-Rate without students,
disruptive work longer than every window); then the optimiser's own static checks
(`scheduler.explain.static_conflicts`) name required projects that cannot fit, predecessor chains
that end too late and required costs over a budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy.orm import Session

from app.planning.adapter import Ids, problem_for
from app.planning.common import has_endpoint, months_text
from app.planning.wording import in_words, vocabulary_for
from inventory.errors import InvalidValue
from inventory.models import Project, Scenario
from inventory.queries.scenario_readiness import (
    candidate_count,
    disruptive_projects,
    erate_projects_without_students,
    projects_without_cost,
    required_count,
    trades_without_crews,
)
from scheduler import Conflict
from scheduler.explain import static_conflicts

MAX_CONFLICTS = 10
MAX_NAMED = 3
# Where each of the optimiser's conflicts is fixed (projects: the first project's page).
CONFLICT_PAGES = {
    "annual_budget": ("scenarios.budget", "Change the budget"),
    "monthly_budget": ("scenarios.budget", "Change the monthly caps"),
    "funding_cap": ("scenarios.funding", "Change the funding"),
    "site_budget": ("scenarios.sites", "Change the site rules"),
    "site_concurrency": ("scenarios.sites", "Change the site rules"),
    "crews": ("scenarios.crews", "Change the crews"),
}


@dataclass(frozen=True)
class Check:
    """One thing to fix before submitting, and where to fix it."""

    message: str
    endpoint: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    link_text: str = "Fix"

    @property
    def url(self) -> str | None:
        """The page where it is fixed (None when that page is not served)."""
        if self.endpoint is None or not has_endpoint(self.endpoint):
            return None
        return url_for(self.endpoint, **self.args)


def submission_checks(session: Session, scenario: Scenario) -> list[Check]:
    """Everything that blocks the scenario's submission; an empty list means ready."""
    checks = _project_checks(session, scenario)
    checks += _budget_checks(scenario)
    checks += _crew_checks(session, scenario)
    checks += _erate_checks(session, scenario)
    checks += _window_checks(session, scenario)
    return checks + _optimiser_checks(session, scenario)


def _names(projects: list[Project]) -> str:
    """'A, B, C and 4 more'."""
    shown = ", ".join(project.name for project in projects[:MAX_NAMED])
    more = len(projects) - MAX_NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def _plural(count: int, word: str) -> str:
    """'1 project', '3 projects'."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _project_checks(session: Session, scenario: Scenario) -> list[Check]:
    """The scenario has projects, and each has a cost."""
    args = {"scenario_id": scenario.id}
    if candidate_count(session, scenario) == 0:
        return [
            Check("The scenario has no projects yet.", "projects.needs", args, "Generate needs")
        ]
    missing = projects_without_cost(session, scenario)
    if not missing:
        return []
    return [
        Check(
            f"{_plural(missing, 'project')} {'has' if missing == 1 else 'have'} no cost.",
            "projects.index",
            {**args, "no_cost": "1"},
            "See them",
        )
    ]


def _budget_checks(scenario: Scenario) -> list[Check]:
    """Every fiscal year has an annual budget above zero."""
    budgets = list(scenario.annual_budgets_cents or [])
    checks = []
    for index, year in enumerate(scenario.fiscal_years):
        budget = budgets[index] if index < len(budgets) else None
        if budget is None or int(budget) <= 0:
            state = "is not set" if budget is None else "is zero"
            checks.append(
                Check(
                    f"The annual budget for FY{year} {state}.",
                    "scenarios.budget",
                    {"scenario_id": scenario.id},
                    "Set the budget",
                )
            )
    return checks


def _crew_checks(session: Session, scenario: Scenario) -> list[Check]:
    """Every trade the projects need has crews in some month."""
    return [
        Check(
            f"{_plural(count, 'project')} {'needs' if count == 1 else 'need'} {trade.name} "
            "crews, and the scenario has none.",
            "scenarios.crews",
            {"scenario_id": scenario.id},
            "Add crews",
        )
        for trade, count in trades_without_crews(session, scenario)
    ]


def _erate_checks(session: Session, scenario: Scenario) -> list[Check]:
    """E-Rate pays only at schools: an E-Rate project at a site with no students has no budget."""
    projects = erate_projects_without_students(session, scenario)
    if not projects:
        return []
    verb = "is" if len(projects) == 1 else "are"
    return [
        Check(
            f"{_plural(len(projects), 'project')} paid by E-Rate {verb} at a site with no "
            f"enrollment (no E-Rate budget): {_names(projects)}.",
            "projects.detail",
            {"project_id": projects[0].id},
            "Change the first",
        )
    ]


def longest_window(scenario: Scenario) -> int:
    """The longest run of consecutive months inside one work window."""
    longest = 0
    for window in scenario.windows:
        months = set(window.months or [])
        for month in months:
            if month - 1 not in months:
                length = 1
                while month + length in months:
                    length += 1
                longest = max(longest, length)
    return longest


def _window_checks(session: Session, scenario: Scenario) -> list[Check]:
    """Disruptive work must fit inside one work window."""
    longest = longest_window(scenario)
    too_long = [p for p in disruptive_projects(session, scenario) if p.duration_months > longest]
    if not too_long:
        return []
    if not scenario.windows:
        why = "the scenario has no work windows"
    else:
        why = f"the longest work window has {_plural(longest, 'month')} in a row"
    return [
        Check(
            f"{_plural(len(too_long), 'disruptive project')} cannot fit in any work window "
            f"({why}): {_names(too_long)}.",
            "scenarios.calendar",
            {"scenario_id": scenario.id},
            "Change the windows",
        )
    ]


def _optimiser_checks(session: Session, scenario: Scenario) -> list[Check]:
    """The optimiser's static checks, in planners' words. They are about the projects a plan
    must include, so a scenario with none skips building the problem (a second at 10,000
    projects)."""
    if not required_count(session, scenario):
        return []
    try:
        problem, ids = problem_for(session, scenario)
    except InvalidValue as error:
        return [Check(error.message, "projects.index", {"scenario_id": scenario.id}, "Projects")]
    conflicts = static_conflicts(problem)[:MAX_CONFLICTS]
    if not conflicts:
        return []
    words = vocabulary_for(session, scenario)
    return [
        _conflict_check(scenario, conflict, ids, in_words(conflict.message, words))
        for conflict in conflicts
    ]


def _conflict_check(scenario: Scenario, conflict: Conflict, ids: Ids, message: str) -> Check:
    """One conflict and the page where it is fixed."""
    sentence = message[:1].upper() + message[1:]
    if not sentence.endswith("."):
        sentence += "."
    if conflict.constraint in CONFLICT_PAGES:
        endpoint, text = CONFLICT_PAGES[conflict.constraint]
        return Check(sentence, endpoint, {"scenario_id": scenario.id}, text)
    if conflict.periods and not conflict.projects:
        sentence += f" ({months_text(scenario, conflict.periods)})"
    project_id = ids.projects.get(conflict.projects[0]) if conflict.projects else None
    if project_id is None:
        return Check(sentence, "scenarios.calendar", {"scenario_id": scenario.id}, "Calendar")
    return Check(sentence, "projects.detail", {"project_id": project_id}, "Change the project")
