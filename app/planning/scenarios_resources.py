"""A scenario's budget page (annual budgets and monthly caps) and crews page (each trade's crews
per month). Readers see them read-only; the routes are added to the scenarios blueprint
(ROUTES)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import get_session
from app.planning.common import READERS, scenario_or_404
from app.planning.scenarios_forms import VersionForm
from app.planning.scenarios_grids import budget_grid, crews_grid, read_budget, read_crews
from app.planning.scenarios_pages import (
    INCOMPLETE,
    attempt,
    editable,
    post_button,
    require_editor,
)
from app.security import role_required
from inventory.models import Scenario, Trade
from inventory.operations.scenarios import remove_trade, set_budgets, set_crews
from inventory.queries.scenarios import active_trades, scenario_summary


@role_required(*READERS)
def budget(scenario_id: int) -> str | Response:
    """Each fiscal year's budget and each month's spending cap (blank: no cap), with totals."""
    scenario = scenario_or_404(scenario_id)
    require_editor()
    form = VersionForm(version=scenario.version)
    grid, stale = budget_grid(scenario), False
    if request.method == "POST":
        grid, annual, caps = read_budget(scenario, request.form)
        if form.validate_on_submit() and not grid.errors:
            outcome = attempt(
                scenario, form,
                lambda: set_budgets(
                    get_session(), scenario, by=current_user, annual_budgets_cents=annual,
                    monthly_caps_cents=caps, expected_version=form.version.data,
                ),
                done=lambda _r: url_for("scenarios.budget", scenario_id=scenario.id),
                message=lambda _r: "Budget saved.",
            )  # fmt: skip
            if outcome.response is not None:
                return outcome.response
            stale = outcome.stale
        elif not grid.errors:
            flash(INCOMPLETE, "warning")
    return render_template(
        "planning/scenarios/budget.html", scenario=scenario, form=form, grid=grid,
        saved=budget_grid(scenario) if stale else None, years=_budget_years(scenario),
        summary=scenario_summary(get_session(), scenario), editable=editable(scenario),
    )  # fmt: skip


def _budget_years(scenario: Scenario) -> list[dict[str, Any]]:
    """Per fiscal year: its months, annual budget, and the total of its monthly caps."""
    annual = list(scenario.annual_budgets_cents or [])
    caps = list(scenario.monthly_caps_cents or [])
    years = []
    for index, year in enumerate(scenario.fiscal_years):
        months = list(range(12 * index, 12 * index + 12))
        year_caps = [caps[m] if m < len(caps) else None for m in months]
        years.append({
            "index": index, "year": year, "months": months,
            "annual": annual[index] if index < len(annual) else None,
            "caps_total": sum(int(c) for c in year_caps if c is not None),
            "uncapped": sum(1 for c in year_caps if c is None),
        })  # fmt: skip
    return years


@role_required(*READERS)
def crews(scenario_id: int) -> str | Response:
    """Trades x months: how many crews can work; add a trade, or set one number for a year."""
    scenario = scenario_or_404(scenario_id)
    require_editor()
    form = VersionForm(version=scenario.version)
    grid, stale = crews_grid(scenario), False
    if request.method == "POST":
        here = url_for("scenarios.crews", scenario_id=scenario.id)
        action = request.form.get("action", "save")
        if action in ("add", "remove"):
            return _add_or_remove_trade(scenario, form, action, here)
        trades = [row.trade for row in scenario.trades]
        grid, by_trade = read_crews(scenario, trades, request.form)
        if form.validate_on_submit() and not grid.errors:
            outcome = attempt(
                scenario, form,
                lambda: set_crews(
                    get_session(), scenario, by=current_user,
                    crews={t: by_trade[t.id] for t in trades}, expected_version=form.version.data,
                ),
                done=lambda _r: here, message=lambda _r: "Crews saved.",
            )  # fmt: skip
            if outcome.response is not None:
                return outcome.response
            stale = outcome.stale
        elif not grid.errors:
            flash(INCOMPLETE, "warning")
    have = {row.trade_id for row in scenario.trades}
    return render_template(
        "planning/scenarios/crews.html", scenario=scenario, form=form, grid=grid,
        saved=crews_grid(scenario) if stale else None, editable=editable(scenario),
        addable=[t for t in active_trades(get_session()) if t.id not in have],
    )  # fmt: skip


def _add_or_remove_trade(scenario: Scenario, form: VersionForm, action: str, here: str) -> Response:
    """Add a trade with the same crews every month, or take one out of the scenario."""
    trade = get_session().get(Trade, int_arg_from_form("trade_id") or 0)
    if trade is None:
        flash("Choose a trade.", "warning")
        return redirect(here)
    session = get_session()
    if action == "remove":
        change = lambda: remove_trade(  # noqa: E731
            session, scenario, trade, by=current_user, expected_version=form.version.data
        )
        message = f"{trade.name} crews removed from the scenario."
    else:
        count = int_arg_from_form("crews", maximum=999) or 0
        change = lambda: set_crews(  # noqa: E731
            session, scenario, by=current_user, crews={trade: [count] * scenario.months},
            expected_version=form.version.data,
        )  # fmt: skip
        message = f"{trade.name} added with {count} crew{'s' if count != 1 else ''} a month."
    return post_button(scenario, form, change, done=here, back=here, message=lambda _r: message)


def int_arg_from_form(name: str, *, maximum: int = 2**31 - 1) -> int | None:
    """A whole number from the posted form, or None."""
    value = request.form.get(name, "").strip()
    if not value.isdigit() or len(value) > 10 or int(value) > maximum:
        return None
    return int(value)


ROUTES = [
    ("/<int:scenario_id>/budget", "budget", budget, ["GET", "POST"]),
    ("/<int:scenario_id>/crews", "crews", crews, ["GET", "POST"]),
]
