"""Planning pages: the scenarios list, a scenario's overview, its settings, copies, review
workflow, deletion and history. Its budget, crews and funding pages are in scenarios_resources.py,
its calendar and site rules in scenarios_calendar.py; their routes are added to this blueprint
below."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import get_session
from app.planning import scenarios_calendar, scenarios_funding, scenarios_resources
from app.planning.checks import submission_checks
from app.planning.common import EDITORS, READERS, has_endpoint, is_draft, scenario_or_404
from app.planning.scenarios_forms import (
    CopyForm,
    EditScenarioForm,
    NewScenarioForm,
    StatusForm,
    VersionForm,
    default_first_year,
)
from app.planning.scenarios_grids import Grid, read_extra_crews
from app.planning.scenarios_pages import attempt, history_rows, post_button
from app.security import role_required
from inventory.models import Scenario
from inventory.operations.plans import baseline_of
from inventory.operations.scenarios import (
    approve_scenario,
    copy_scenario,
    create_scenario,
    delete_scenario,
    return_to_draft,
    submit_scenario,
    update_scenario,
)
from inventory.queries.scenarios import (
    active_trades,
    last_status_change,
    plan_options,
    plan_versions,
    scenario_history,
    scenario_list,
    scenario_summary,
)

bp = Blueprint("scenarios", __name__, url_prefix="/planning/scenarios")
for _module in (scenarios_resources, scenarios_funding, scenarios_calendar):
    for _rule, _endpoint, _view, _methods in _module.ROUTES:
        bp.add_url_rule(_rule, _endpoint, _view, methods=_methods)

SETTINGS = (
    "name",
    "description",
    "years",
    "default_max_concurrent",
    "time_limit_s",
    "move_penalty",
)


@bp.route("/")
@role_required(*READERS)
def index() -> str:
    """Every scenario with its years, status, projects, plans and baseline."""
    return render_template("planning/scenarios/index.html", rows=scenario_list(get_session()))


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def create() -> str | Response:
    """A new scenario for one or more fiscal years (starting in the configured month)."""
    start_month = int(current_app.config["FISCAL_YEAR_START_MONTH"])
    form = NewScenarioForm()
    if request.method == "GET":
        form.first_year.data = default_first_year(dt.date.today(), start_month)
    if form.validate_on_submit():
        outcome = attempt(
            None,
            form,
            lambda: create_scenario(
                get_session(),
                by=current_user,
                name=form.name.data,
                first_year=form.first_year.data,
                years=form.years.data,
                start_month=start_month,
                description=form.description.data,
                time_limit_s=int(current_app.config["PLAN_TIME_LIMIT_SECONDS"]),
            ),
            done=lambda scenario: url_for("scenarios.detail", scenario_id=scenario.id),
            message=lambda scenario: (
                f"Scenario {scenario.name} created. Add its budget, crews "
                "and calendar, then generate its needs."
            ),
        )
        if outcome.response is not None:
            return outcome.response
    return render_template(
        "planning/scenarios/new.html", form=form, start_month=start_month,
    )  # fmt: skip


@bp.route("/<int:scenario_id>")
@role_required(*READERS)
def detail(scenario_id: int) -> str:
    """The overview: status, what to fix before submitting, numbers, plan versions, actions."""
    scenario = scenario_or_404(scenario_id)
    session = get_session()
    comparing = has_endpoint("decisions.compare")
    original = scenario.copied_from_id and session.get(Scenario, scenario.copied_from_id)
    return render_template(
        "planning/scenarios/detail.html", scenario=scenario,
        summary=scenario_summary(session, scenario), plans=plan_versions(session, scenario),
        baseline=baseline_of(session, scenario),
        checks=submission_checks(session, scenario) if is_draft(scenario) else [],
        status_change=last_status_change(session, scenario),
        plan_options=plan_options(session) if comparing else [],
        copied_from=original or None,
    )  # fmt: skip


@bp.route("/<int:scenario_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(scenario_id: int) -> str | Response:
    """A scenario's name, years and planning settings (a draft only)."""
    scenario = scenario_or_404(scenario_id)
    form = EditScenarioForm(obj=scenario)
    stale = False
    if form.validate_on_submit():
        outcome = attempt(
            scenario, form,
            lambda: update_scenario(
                get_session(), scenario, by=current_user, expected_version=form.version.data,
                **{name: getattr(form, name).data for name in SETTINGS},
            ),
            done=lambda _dropped: url_for("scenarios.detail", scenario_id=scenario.id),
            message=_saved_message,
        )  # fmt: skip
        if outcome.response is not None:
            return outcome.response
        stale = outcome.stale
    return render_template(
        "planning/scenarios/edit.html", scenario=scenario, form=form, stale=stale,
        saved={name: getattr(scenario, name) for name in SETTINGS},
    )  # fmt: skip


def _saved_message(dropped: int) -> str:
    """What saving the settings did, and what a shorter scenario lost."""
    if not dropped:
        return "Scenario saved."
    return (
        f"Scenario saved. {dropped} month{'s' if dropped != 1 else ''} past the new end "
        "(blackouts, window months, pins or allowed start months) were dropped."
    )


@bp.route("/<int:scenario_id>/copy", methods=["GET", "POST"])
@role_required(*EDITORS)
def copy(scenario_id: int) -> str | Response:
    """A what-if copy: every project or the pinned ones, budgets changed, crews added."""
    scenario = scenario_or_404(scenario_id)
    trades = active_trades(get_session())
    form = CopyForm()
    if request.method == "GET":
        form.name.data = f"{scenario.name} (what if)"[:120]
    grid = Grid()
    if request.method == "POST":
        grid, extra = read_extra_crews(trades, request.form)
        if form.validate_on_submit() and not grid.errors:
            outcome = attempt(
                None, form,
                lambda: copy_scenario(
                    get_session(), scenario, by=current_user, name=form.name.data,
                    pinned_only=form.scope.data == "pinned",
                    budget_change_percent=form.budget_change_percent.data, extra_crews=extra,
                ),
                done=lambda made: url_for("scenarios.detail", scenario_id=made.id),
                message=lambda made: f"Scenario {made.name} is a copy of {scenario.name}.",
            )  # fmt: skip
            if outcome.response is not None:
                return outcome.response
    return render_template(
        "planning/scenarios/copy.html", scenario=scenario, form=form, trades=trades, grid=grid
    )


@bp.route("/<int:scenario_id>/status", methods=["POST"])
@role_required(*EDITORS)
def status(scenario_id: int) -> Response:
    """Submit for approval, approve, or return to draft with a reason."""
    scenario = scenario_or_404(scenario_id)
    form = StatusForm()
    session, version = get_session(), form.version.data
    changes = {
        "submit": lambda: submit_scenario(
            session, scenario, by=current_user, checks=submission_checks, expected_version=version
        ),
        "approve": lambda: approve_scenario(
            session, scenario, by=current_user, note=form.reason.data, expected_version=version
        ),
        "return": lambda: return_to_draft(
            session, scenario, by=current_user, reason=form.reason.data, expected_version=version
        ),
    }
    messages = {
        "submit": "is submitted for approval.",
        "approve": "is approved: its plans may now be published.",
        "return": "is a draft again: its inputs may be changed.",
    }
    action = form.action.data if form.action.data in changes else "submit"
    here = url_for("scenarios.detail", scenario_id=scenario.id)
    return post_button(
        scenario, form, changes[action], done=here, back=here,
        message=lambda _s: f"{scenario.name} {messages[action]}",
    )  # fmt: skip


@bp.route("/<int:scenario_id>/delete", methods=["POST"])
@role_required(*EDITORS)
def delete(scenario_id: int) -> Response:
    """Delete a draft scenario with its projects and plans (never one with a published plan)."""
    scenario = scenario_or_404(scenario_id)
    name, form = scenario.name, VersionForm()
    return post_button(
        scenario, form,
        lambda: delete_scenario(
            get_session(), scenario, by=current_user, expected_version=form.version.data
        ),
        done=url_for("scenarios.index"),
        back=url_for("scenarios.detail", scenario_id=scenario.id),
        message=lambda _r: f"Scenario {name} deleted.",
    )  # fmt: skip


@bp.route("/<int:scenario_id>/history")
@role_required(*READERS)
def history(scenario_id: int) -> str:
    """The change log of the scenario and its inputs."""
    scenario = scenario_or_404(scenario_id)
    rows = history_rows(scenario, scenario_history(get_session(), scenario))
    return render_template("planning/scenarios/history.html", scenario=scenario, rows=rows)
