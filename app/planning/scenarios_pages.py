"""What the scenario pages share: who may change a scenario, and saving one change (commit,
flash, redirect; or the page again with the mistake, or with a note that someone else saved
first)."""

from __future__ import annotations

import ast
import calendar
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, request
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from app.db import get_session
from app.pages import show_error
from app.planning.common import can_edit_plans, is_draft, money, months_text
from inventory.enums import FundingKind, LabelledEnum, ScenarioStatus
from inventory.errors import DomainError, StaleEdit
from inventory.models import Scenario

INCOMPLETE = "Nothing was changed: the form was incomplete. Reload the page and try again."


def editable(scenario: Scenario) -> bool:
    """Whether the signed-in user may change the scenario's inputs now."""
    return can_edit_plans() and is_draft(scenario)


def require_editor() -> None:
    """A POST to a page readers may see: only planners and administrators."""
    if request.method == "POST" and not can_edit_plans():
        abort(403)


@dataclass
class Attempt:
    """The result of trying to save: a redirect when it worked; otherwise the page is shown
    again (`stale`: someone else saved the scenario after this page was read)."""

    response: Response | None = None
    stale: bool = False
    result: Any = None


def attempt(
    scenario: Scenario | None,
    form: FlaskForm,
    change: Callable[[], Any],
    *,
    done: Callable[[Any], str],
    message: Callable[[Any], str],
) -> Attempt:
    """Run one operation and commit; a domain error goes on its field (or is flashed)."""
    session = get_session()
    try:
        result = change()
        session.commit()
    except (StaleEdit, StaleDataError):
        session.rollback()
        label = f"Scenario {scenario.name}" if scenario is not None else "The scenario"
        flash(StaleEdit(label).message, "danger")
        if scenario is not None:
            _read_at_current_version(scenario, form)
        return Attempt(stale=True)
    except DomainError as error:
        session.rollback()
        show_error(form, error)
        return Attempt()
    flash(message(result), "success")
    return Attempt(response=redirect(done(result)), result=result)


def _read_at_current_version(scenario: Scenario, form: FlaskForm) -> None:
    """After a stale save the form carries the version just read, so saving again (having
    seen the current values) is a choice, not an accident."""
    version = getattr(form, "version", None)
    if version is not None:
        version.data = scenario.version
        version.raw_data = [str(scenario.version)]


def post_button(
    scenario: Scenario,
    form: FlaskForm,
    change: Callable[[], Any],
    *,
    done: str,
    back: str,
    message: Callable[[Any], str],
) -> Response:
    """A button that changes the scenario (remove, delete, a status): to `done` when it
    worked, else back to `back` with the reason flashed."""
    if not form.validate_on_submit():
        flash(INCOMPLETE, "warning")
        return redirect(back)
    outcome = attempt(scenario, form, change, done=lambda _r: done, message=message)
    if outcome.response is not None:
        return outcome.response
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}" if field.label.text else error, "danger")
    return redirect(back)


# The change log of a scenario in planners' words: labels, months and dollars.
ENUMS: dict[str, type[LabelledEnum]] = {"kind": FundingKind, "status": ScenarioStatus}
HIDDEN_FIELDS = {"inputs_revision", "scenario_id", "site_id", "trade_id", "created_by_id"}
FIELD_LABELS = {
    "annual_budgets_cents": "Annual budgets",
    "monthly_caps_cents": "Monthly caps",
    "blackout_months": "Blackout months",
    "months": "Months",
    "crews_by_month": "Crews by month",
    "cap_cents": "Cap",
    "erate_committed_cents": "E-Rate committed",
    "erate_per_student_cents": "E-Rate per student",
    "erate_floor_cents": "E-Rate floor",
    "erate_discount_percent": "E-Rate discount (%)",
    "erate_pooled": "E-Rate pooled",
    "is_default": "Default source",
    "max_concurrent": "Projects at once",
    "default_max_concurrent": "Projects at once per site",
    "time_limit_s": "Search time (seconds)",
    "status_note": "Note",
    "first_year": "First fiscal year",
    "start_month": "First month",
    "copied_from_id": "Copied from scenario",
    "needs_generated_at": "Needs generated (UTC)",
}


def _listed(value: Any) -> Any:
    """A list the change log kept as its text ('[0, 1, None]') back as a list."""
    if isinstance(value, str) and value.startswith("[") and len(value) < 5000:
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    return value


def _dollars(value: Any) -> str:
    """Cents as dollars (with cents when there are some); None is no limit."""
    if not isinstance(value, int):
        return "no limit" if value is None else str(value)
    return money(value, 0 if value % 100 == 0 else 2)


def _runs(scenario: Scenario, values: list[Any]) -> str:
    """A number per month as runs: 'Jul 2027 to Dec 2027: 3; Jan 2028 to Jun 2028: 2'."""
    if len(set(values)) == 1:
        return f"{values[0]} every month"
    parts, start = [], 0
    for month in range(1, len(values) + 1):
        if month == len(values) or values[month] != values[start]:
            span = months_text(scenario, list(range(start, month)))
            parts.append(f"{span}: {values[start]}")
            start = month
    return "; ".join(parts)


def _shown(scenario: Scenario, name: str, value: Any) -> str:
    """One value of the change log as people read it."""
    value = _listed(value)
    if value is None:
        return "—"
    if name in ("months", "blackout_months") and isinstance(value, list):
        return months_text(scenario, [m for m in value if isinstance(m, int)])
    if name == "crews_by_month" and isinstance(value, list) and value:
        return _runs(scenario, value)
    if name.endswith("_cents"):
        return ", ".join(map(_dollars, value)) if isinstance(value, list) else _dollars(value)
    if name == "start_month" and isinstance(value, int) and 1 <= value <= 12:
        return calendar.month_name[value]
    if name.endswith("_at") and isinstance(value, str):
        return value[:16].replace("T", " ")
    if name in ENUMS and isinstance(value, str):
        return _label(ENUMS[name], value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _label(enum_class: type[LabelledEnum], value: str) -> str:
    """An enum's value as its label."""
    try:
        return enum_class(value).label
    except ValueError:
        return value


def history_rows(scenario: Scenario, entries: list[Any]) -> list[dict[str, Any]]:
    """Each change with its fields (label, before, after); bookkeeping fields left out."""
    rows = []
    for entry in entries:
        fields = [
            (
                FIELD_LABELS.get(name, name.replace("_", " ").capitalize()),
                _shown(scenario, name, pair[0]),
                _shown(scenario, name, pair[1]),
            )
            for name, pair in sorted((entry.changes or {}).items())
            if name not in HIDDEN_FIELDS
        ]
        if fields or entry.action != "update":
            rows.append({"entry": entry, "fields": fields})
    return rows
