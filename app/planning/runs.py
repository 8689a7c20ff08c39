"""Planning pages: generate a plan in the background, re-plan from a version, and watch a run
(a live progress bar with the plan's value, the proven bound and the gap; Cancel keeps the best
plan found so far)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from app.db import get_session
from app.jobs.sidechannel import side_channel
from app.jobs.worker import dispatch_job
from app.planning.common import EDITORS, READERS, has_endpoint, plan_or_404, scenario_or_404
from app.planning.jobs import (
    JOB_KIND,
    RunInProgress,
    default_time_limit,
    fail_if_silent,
    plan_run_or_none,
    start_plan_run,
)
from app.planning.run_outcome import run_state
from app.planning.solving import MAX_TIME_LIMIT_S, RunSettings
from app.security import role_required
from inventory.enums import JobStatus
from inventory.errors import DomainError
from inventory.models import Job, Plan, Scenario
from inventory.operations.jobs import jobs_of_kind_query, release_scenario, request_cancel

bp = Blueprint("runs", __name__, url_prefix="/planning")
MAX_MOVE_PENALTY = 100_000


class RunForm(FlaskForm):
    """Generate a plan: how long the optimiser may search (blank: the scenario's setting)."""

    time_limit_s = IntegerField(
        "Time limit (seconds)",
        validators=[
            Optional(),
            NumberRange(1, MAX_TIME_LIMIT_S, f"Enter from 1 to {MAX_TIME_LIMIT_S} seconds."),
        ],
    )


class ReplanForm(RunForm):
    """Re-plan from a version: pins stay, and each month a project moves costs this much value."""

    move_penalty = IntegerField(
        "Cost of moving a project (value per month)",
        validators=[
            Optional(),
            NumberRange(
                0, MAX_MOVE_PENALTY, f"Enter a whole number from 0 to {MAX_MOVE_PENALTY:,}."
            ),
        ],
    )


@bp.app_context_processor
def _run_helpers() -> dict[str, Any]:
    """`last_plan_run(scenario)` for the scenario overview's "Last run" box."""
    return {"last_plan_run": last_plan_run}


def last_plan_run(scenario: Scenario) -> dict[str, Any] | None:
    """The scenario's running plan job, else its most recent one, with its live state."""
    session = get_session()
    job = session.get(Job, scenario.running_job_id) if scenario.running_job_id else None
    if job is None:
        query = jobs_of_kind_query(JOB_KIND, scenario_id=scenario.id).limit(1)
        job = session.scalars(query).first()
    return None if job is None else {"job": job, "state": run_state(job)}


@bp.route("/scenarios/<int:scenario_id>/plan", methods=["POST"])
@role_required(*EDITORS)
def start(scenario_id: int) -> Response:
    """Generate a plan of the scenario in the background; show its progress."""
    scenario = scenario_or_404(scenario_id)
    form = RunForm()
    if not form.validate_on_submit():
        return _refused(form, _scenario_page(scenario))
    limit = form.time_limit_s.data or default_time_limit(scenario)
    return _start(scenario, RunSettings(scenario.id, limit), _scenario_page(scenario))


@bp.route("/plans/<int:plan_id>/replan", methods=["POST"])
@role_required(*EDITORS)
def replan(plan_id: int) -> Response:
    """Plan again from this version: pins stay, other projects move as little as possible."""
    plan = plan_or_404(plan_id)
    scenario = plan.scenario
    form = ReplanForm()
    if not form.validate_on_submit():
        return _refused(form, _plan_page(plan))
    penalty = form.move_penalty.data
    settings = RunSettings(
        scenario.id,
        form.time_limit_s.data or default_time_limit(scenario),
        based_on_plan_id=plan.id,
        move_penalty=scenario.move_penalty if penalty is None else penalty,
    )
    return _start(scenario, settings, _plan_page(plan))


def _start(scenario: Scenario, settings: RunSettings, back: str) -> Response:
    """Queue the run (one per scenario), commit, hand it to the workers, show its page."""
    session = get_session()
    try:
        job = start_plan_run(session, scenario, by=current_user, settings=settings)
    except RunInProgress as error:
        session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("runs.detail", job_id=error.job_id) if error.job_id else back)
    except DomainError as error:
        session.rollback()
        flash(error.message, "danger")
        return redirect(back)
    session.commit()
    dispatch_job(job.id)
    return redirect(url_for("runs.detail", job_id=job.id))


def _refused(form: FlaskForm, back: str) -> Response:
    """Say which field is wrong, and go back to the page the form was on."""
    for field in form:
        for error in field.errors:
            label = "The form" if field.name == "csrf_token" else field.label.text
            flash(f"{label}: {error}", "danger")
    return redirect(back)


def _scenario_page(scenario: Scenario) -> str:
    """The scenario's overview (or the planning home while it is not built)."""
    if has_endpoint("scenarios.detail"):
        return url_for("scenarios.detail", scenario_id=scenario.id)
    return url_for("main.index")


def _plan_page(plan: Plan) -> str:
    """The plan's overview, else its scenario's."""
    if has_endpoint("plans.overview"):
        return url_for("plans.overview", plan_id=plan.id)
    return _scenario_page(plan.scenario)


def _run_or_404(job_id: int) -> Job:
    """A plan run; a run whose worker died is marked failed on sight."""
    session = get_session()
    job = plan_run_or_none(session, job_id)
    if job is None:
        abort(404)
    if job.status is JobStatus.RUNNING and fail_if_silent(session, job):
        session.commit()
    return job


@bp.route("/runs/<int:job_id>")
@role_required(*READERS)
def detail(job_id: int) -> str:
    """A run's live page: progress, figures, Cancel, and the outcome once done."""
    job = _run_or_404(job_id)
    session = get_session()
    settings = RunSettings.from_params(job.params)
    scenario = session.get(Scenario, settings.scenario_id)
    based_on = session.get(Plan, settings.based_on_plan_id) if settings.based_on_plan_id else None
    result = job.result or {}
    plan = session.get(Plan, result["plan_id"]) if result.get("plan_id") else None
    return render_template(
        "planning/runs/detail.html", job=job, scenario=scenario, settings=settings,
        based_on=based_on, plan=plan, result=result, state=run_state(job), form=FlaskForm(),
    )  # fmt: skip


@bp.route("/runs/<int:job_id>/status.json")
@role_required(*READERS)
def status(job_id: int) -> Response:
    """The run's state for its page to poll every second."""
    return jsonify(run_state(_run_or_404(job_id)))


@bp.route("/runs/<int:job_id>/cancel", methods=["POST"])
@role_required(*EDITORS)
def cancel(job_id: int) -> Response:
    """Stop the run: it stores the best plan found so far (a queued run is simply dropped)."""
    job = _run_or_404(job_id)
    page = url_for("runs.detail", job_id=job.id)
    if not FlaskForm().validate_on_submit():
        flash("The form expired; reload the page and try again.", "danger")
        return redirect(page)
    channel = side_channel()
    if channel is not None and job.status is JobStatus.RUNNING:
        channel.request_cancel(job.id)  # SQLite: the job reads it without the write lock
    else:
        session = get_session()
        try:
            request_cancel(session, job)
        except DomainError as error:
            flash(error.message, "warning")
            return redirect(page)
        if job.status is JobStatus.CANCELLED:
            release_scenario(session, RunSettings.from_params(job.params).scenario_id, job.id)
        session.commit()
    flash("Stopping: the best plan found so far will be kept.", "info")
    return redirect(page)
