"""What the planning pages share: who may read and change plans, loading their objects, and
the filters that show money and months."""

from __future__ import annotations

from flask import Flask, abort, current_app
from flask_login import current_user

from app.db import get_session
from app.security import PLAN_EDITORS, PLAN_READERS
from inventory.enums import ScenarioStatus
from inventory.models import Plan, Project, Scenario

# Planners and administrators change scenarios and plans; the PMO viewer and infrastructure
# staff read them; site administrators see none of it (the role sets live in app/security.py).
EDITORS = PLAN_EDITORS
READERS = PLAN_READERS


def init_app(app: Flask) -> None:
    """Template filters for money and months."""
    app.add_template_filter(money, "money")
    app.add_template_filter(money_short, "money_short")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(counted, "counted")
    app.add_template_global(can_edit_plans, "can_edit_plans")
    app.add_template_global(has_endpoint, "has_endpoint")


def has_endpoint(endpoint: str) -> bool:
    """Whether the app serves this endpoint (tabs of pages not built yet stay hidden)."""
    return endpoint in current_app.view_functions


def can_edit_plans() -> bool:
    """Whether the signed-in user may change scenarios and plans."""
    return current_user.is_authenticated and current_user.role in EDITORS


def scenario_or_404(scenario_id: int) -> Scenario:
    """The scenario, or a 404 page."""
    scenario = get_session().get(Scenario, scenario_id)
    if scenario is None:
        abort(404)
    return scenario


def project_or_404(project_id: int) -> Project:
    """The project, or a 404 page."""
    project = get_session().get(Project, project_id)
    if project is None:
        abort(404)
    return project


def plan_or_404(plan_id: int) -> Plan:
    """The plan, or a 404 page."""
    plan = get_session().get(Plan, plan_id)
    if plan is None:
        abort(404)
    return plan


def is_draft(scenario: Scenario) -> bool:
    """Only a draft scenario's inputs may change."""
    return scenario.status is ScenarioStatus.DRAFT


def money(cents: int | None, places: int = 0) -> str:
    """Cents as dollars: 123456 -> '$1,235' (or '—' when unknown)."""
    if cents is None:
        return "—"
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) / 100:,.{places}f}"


def money_short(cents: int | float | None) -> str:
    """Cents as short dollars for charts and cards: '$1.2M', '$350k', '$900'."""
    if cents is None:
        return "—"
    dollars = cents / 100
    size = abs(dollars)
    if size >= 1_000_000:
        return f"${dollars / 1_000_000:,.1f}M"
    if size >= 10_000:
        return f"${dollars / 1_000:,.0f}k"
    if size >= 1_000:
        return f"${dollars / 1_000:,.1f}k"
    return f"${dollars:,.0f}"


def counted(number: int, noun: str) -> str:
    """'1 project', '1,072 projects'."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def percent(fraction: float | None, places: int = 1) -> str:
    """0.0512 -> '5.1%' (or '—')."""
    if fraction is None:
        return "—"
    return f"{100 * fraction:.{places}f}%"


def months_text(scenario: Scenario, months: list[int] | set[int] | None) -> str:
    """Month numbers as runs of labels: [0, 1, 2, 11] -> 'Jul 2027 to Sep 2027, Jun 2028'."""
    ordered = sorted(set(months or ()))
    if not ordered:
        return "none"
    runs: list[tuple[int, int]] = []
    for month in ordered:
        if runs and month == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return ", ".join(
        scenario.month_label(a)
        if a == b
        else f"{scenario.month_label(a)} to {scenario.month_label(b)}"
        for a, b in runs
    )


def month_choices(scenario: Scenario) -> list[tuple[int, str]]:
    """(month number, 'Jul 2027') for every month of the scenario, for select boxes."""
    return [(month, scenario.month_label(month)) for month in range(scenario.months)]
