"""Planning pages for deciding: pin a project to a month, publish a plan as the baseline, see
what changed against the baseline, and compare two plans side by side."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from app.db import MAX_ID, get_session
from app.pages import int_arg
from app.planning.common import (
    EDITORS,
    READERS,
    has_endpoint,
    plan_or_404,
    project_or_404,
)
from app.planning.pins import check_pin
from app.planning.wording import in_words, vocabulary_for
from app.security import role_required
from inventory.errors import DomainError
from inventory.models import Plan, Project, System
from inventory.operations.plans import baseline_of, previous_baseline_of, publish_plan
from inventory.operations.projects import pin_project
from inventory.queries.catalog import options
from inventory.queries.changes import (
    ChangeFilters,
    compare_plans,
    plan_changes,
    plan_versions,
    plans_by_scenario,
)
from inventory.queries.sites import region_options

bp = Blueprint("decisions", __name__, url_prefix="/planning")
SHOWN = 1000  # rows of each list on a page; the counts still say how many there are


def safe_next(target: str | None, fallback: str) -> str:
    """A local path to go back to ("/..." but not "//..." nor "/\\..."), else the fallback."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(ch in target for ch in "\\\r\n\t")
    ):
        return fallback
    return target


def _project_page(project: Project) -> str:
    """Where a project is shown: its page, or its scenario's."""
    if has_endpoint("projects.detail"):
        return url_for("projects.detail", project_id=project.id)
    if has_endpoint("scenarios.detail"):
        return url_for("scenarios.detail", scenario_id=project.scenario_id)
    return url_for("main.home")


def _plan_page(plan: Plan) -> str:
    """Where a plan is shown: its overview, or its changes."""
    if has_endpoint("plans.overview"):
        return url_for("plans.overview", plan_id=plan.id)
    return url_for("decisions.changes", plan_id=plan.id)


def _month_field(project: Project) -> tuple[int | None, str | None]:
    """The form's month (None: unpin), or a message naming the field."""
    text = "" if "unpin" in request.form else request.form.get("month", "").strip()
    if not text:
        return None, None
    months = project.scenario.months
    if text.isascii() and text.isdigit() and int(text) < months:
        return int(text), None
    return None, "Month: choose one of the scenario's months."


@bp.route("/projects/<int:project_id>/pin", methods=["POST"])
@role_required(*EDITORS)
def pin(project_id: int) -> Response:
    """Pin a project to a month after checking the scenario's rules (or unpin it)."""
    session, project = get_session(), project_or_404(project_id)
    back = safe_next(request.form.get("next"), _project_page(project))
    month, problem = _month_field(project)
    if problem is not None:
        messages = [problem]
    else:  # unpinning breaks no rule; pin_project still refuses a scenario that is not a draft
        messages = [] if month is None else check_pin(session, project, month)
    for message in messages:
        flash(message, "danger")
    if messages:
        return redirect(back)
    name = project.name
    try:
        pin_project(session, project, by=current_user, month=month)
        session.commit()
    except DomainError as error:
        session.rollback()
        flash(error.message, "danger")
    except StaleDataError:
        session.rollback()
        flash(f"{name} was changed by someone else just now; nothing was saved. "
              "Check it and try again.", "danger")  # fmt: skip
    else:
        flash(_pinned_message(project, month), "success")
    return redirect(back)


def _pinned_message(project: Project, month: int | None) -> str:
    """What a pin or an unpin did, and what to do next."""
    if month is None:
        return f"Unpinned {project.name}; re-plan to let the optimiser choose its month."
    label = project.scenario.month_label(month)
    return f"Pinned {project.name} to {label}; re-plan to fit the rest around it."


@bp.route("/plans/<int:plan_id>/publish", methods=["POST"])
@role_required(*EDITORS)
def publish(plan_id: int) -> Response:
    """Publish a plan as its scenario's baseline (approved scenario, current inputs)."""
    session, plan = get_session(), plan_or_404(plan_id)
    try:
        publish_plan(session, plan, by=current_user, note=request.form.get("note", "")[:2000])
        session.commit()
    except DomainError as error:
        session.rollback()
        flash(error.message, "danger")
    else:
        when = f"{plan.published_at:%d %b %Y}"
        flash(f"Version {plan.version} is now the baseline of {plan.scenario.name}, published "
              f"by {current_user.username} on {when}.", "success")  # fmt: skip
    return redirect(_plan_page(plan))


def _against(plan: Plan, baseline: Plan | None) -> tuple[Plan | None, str | None]:
    """The plan to compare with: ?against=, else the baseline (the previous one when the plan
    is the baseline); and a message when there is none or the choice was refused."""
    session, note = get_session(), None
    if request.args.get("against"):
        other = session.get(Plan, int_arg("against") or 0)
        if other is not None and other.scenario_id == plan.scenario_id and other.id != plan.id:
            return other, None
        note = "Compare with: that is not another version of this scenario; pick one below."
    if baseline is not None and baseline.id == plan.id:
        baseline = previous_baseline_of(session, plan.scenario)
        first = "This version is the scenario's first baseline: there is no earlier one."
    else:
        first = "No version of this scenario is published yet, so there is no baseline."
    if baseline is None:
        return None, note or f"{first} Pick a version below to compare with."
    return baseline, note


def _change_filters() -> ChangeFilters:
    """The changes page's filters from the query string."""
    return ChangeFilters(
        region_id=int_arg("region_id"),
        site=request.args.get("site", "")[:100],
        system_id=int_arg("system_id"),
    )


@bp.route("/plans/<int:plan_id>/changes")
@role_required(*READERS)
def changes(plan_id: int) -> str:
    """What moved, was added or was dropped against the baseline (or a chosen version)."""
    session, plan = get_session(), plan_or_404(plan_id)
    baseline = baseline_of(session, plan.scenario)
    against, note = _against(plan, baseline)
    versions = plan_versions(session, plan.scenario_id)
    if len(versions) < 2:
        note = f"Version {plan.version} is the scenario's only version: nothing to compare yet."
    filters = _change_filters()
    result = plan_changes(session, plan, against, filters) if against is not None else None
    reasons = {}
    if result is not None and any(row.reason for row in result.dropped):
        words = vocabulary_for(session, plan.scenario)
        reasons = {r.project_id: in_words(r.reason, words) for r in result.dropped if r.reason}
    return render_template(
        "planning/decisions/changes.html", plan=plan, against=against, note=note,
        baseline=baseline, result=result, reasons=reasons, filters=filters, shown=SHOWN,
        versions=versions,
        regions=region_options(session), systems=options(session, System, System.name),
    )  # fmt: skip


def _plan_arg(name: str, label: str) -> tuple[Plan | None, str | None]:
    """Plan A or B from the query string, or a message saying why not."""
    text = request.args.get(name, "").strip()
    if not text:
        return None, None
    number = int_arg(name, minimum=1, maximum=MAX_ID)
    plan = get_session().get(Plan, number) if number else None
    if plan is None:
        return None, f"{label}: there is no plan {text[:20]!r}; pick one from the list."
    return plan, None


@bp.route("/compare")
@role_required(*READERS)
def compare() -> str:
    """Two plans side by side; without both, a form to pick them."""
    session = get_session()
    (a, error_a), (b, error_b) = _plan_arg("a", "Plan A"), _plan_arg("b", "Plan B")
    result = compare_plans(session, a, b) if a is not None and b is not None else None
    return render_template(
        "planning/decisions/compare.html", a=a, b=b, result=result, shown=SHOWN,
        errors=[e for e in (error_a, error_b) if e], choices=plans_by_scenario(session),
    )  # fmt: skip
