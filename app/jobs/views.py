"""Job pages: progress (HTML and JSON for the progress bar) and cancel."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.db import get_or_404, get_session
from app.jobs.sidechannel import side_channel
from inventory.enums import JobStatus, Role
from inventory.errors import InvalidValue
from inventory.models import Job
from inventory.operations.jobs import jobs_query, request_cancel

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _visible_job(job_id: int) -> Job:
    """A job its creator or an administrator may see; others get 404."""
    job = get_or_404(Job, job_id)
    if current_user.role is not Role.ADMIN and job.created_by_id != current_user.id:
        abort(404)
    return job


@bp.route("/")
@login_required
def index() -> str:
    """The user's recent jobs (all jobs for an administrator)."""
    jobs = get_session().scalars(jobs_query(current_user).limit(100)).all()
    return render_template("jobs/index.html", jobs=jobs)


def live_progress(job: Job) -> dict:
    """Done, total, percent, message and detail: from the row, or for a running job on SQLite
    from the side channel (the job may hold the database's only write lock)."""
    progress = {
        "done": job.progress_done,
        "total": job.progress_total,
        "message": job.message,
        "detail": job.progress_detail,
    }
    channel = side_channel()
    cancelling = job.is_cancel_requested
    if channel is not None and job.status is JobStatus.RUNNING:
        progress = channel.read_progress(job.id) or progress
        cancelling = cancelling or channel.cancel_requested(job.id)
    if cancelling and job.status is JobStatus.RUNNING:
        progress["message"] = "Cancel requested; stopping at the next step."
    progress["percent"] = job.percent_of(progress["done"], progress["total"])
    return progress


@bp.route("/<int:job_id>")
@login_required
def detail(job_id: int) -> str:
    """A job's progress bar, message and result."""
    job = _visible_job(job_id)
    return render_template(
        "jobs/detail.html", job=job, progress=live_progress(job), form=FlaskForm(),
        state_labels=dict(JobStatus.choices()),
    )  # fmt: skip


@bp.route("/<int:job_id>/status.json")
@login_required
def status(job_id: int) -> Response:
    """The job's state for the progress bar to poll."""
    job = _visible_job(job_id)
    progress = live_progress(job)
    state = {
        "id": job.id,
        "status": job.status.value,
        "finished": job.status.is_finished,
        "percent": progress["percent"],
        "done": progress["done"],
        "total": progress["total"],
        "message": progress["message"],
    }
    if progress["detail"] is not None:  # the figures a job reports beside its progress
        state["detail"] = progress["detail"]
    return jsonify(state)


@bp.route("/<int:job_id>/cancel", methods=["POST"])
@login_required
def cancel(job_id: int) -> Response:
    """Ask a job to stop."""
    job = _visible_job(job_id)
    channel = side_channel()
    if FlaskForm().validate_on_submit():
        if channel is not None and job.status is JobStatus.RUNNING:
            # On SQLite a running job may hold the write lock: ask through the side channel.
            channel.request_cancel(job.id)
            flash("Cancel requested.", "info")
            return redirect(url_for("jobs.detail", job_id=job.id))
        try:
            request_cancel(get_session(), job)
        except InvalidValue as error:
            flash(error.message, "warning")
        else:
            get_session().commit()
            flash("Cancel requested.", "info")
    return redirect(url_for("jobs.detail", job_id=job.id))
