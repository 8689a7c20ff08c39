"""The published SEP: the plan document and the monthly schedule (web, PDF, xlsx).

Only published plans are shown here: a draft's id gives 404, whoever asks. Site administrators
get 403 (they read their own sites' work in the site portal). The downloads take too long to
make inside a request on a large district: Prepare starts a background job (app/sep/jobs.py)
that stores the file in the database, and the download links serve the stored file.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import defer

from app.db import get_session
from app.jobs.worker import dispatch_job
from app.security import PLAN_READERS, role_required
from app.sep.document import document_context, download_name
from app.sep.jobs import DOWNLOADS, Download, download_states, may_watch, start_preparing
from inventory.models import Plan
from inventory.operations.documents import prepared_document, prepared_documents
from inventory.queries.published import all_published, district_baselines

bp = Blueprint("sep", __name__, url_prefix="/sep")


def _published_or_404(plan_id: int) -> Plan:
    """The plan if it is published, else a 404 page (drafts never leave the planning pages)."""
    plan = get_session().get(Plan, plan_id, options=[defer(Plan.problem)])
    if plan is None or plan.published_at is None:
        abort(404)
    return plan


def _page(plan: Plan) -> str:
    """The plan's page, at its downloads."""
    return url_for("sep.document", plan_id=plan.id, _anchor="downloads")


@bp.route("/")
@role_required(*PLAN_READERS)
def index() -> str:
    """The district's current SEP (each scenario's baseline) and the other published versions."""
    session = get_session()
    baselines = district_baselines(session)
    current = {plan.id for plan in baselines}
    others = [plan for plan in all_published(session) if plan.id not in current]
    prepared = prepared_documents(session, current)
    return render_template("sep/index.html", baselines=baselines, others=others,
                           prepared=prepared, downloads=DOWNLOADS)  # fmt: skip


@bp.route("/plans/<int:plan_id>")
@role_required(*PLAN_READERS)
def document(plan_id: int) -> str:
    """The SEP document of a published plan, as a web page, with its downloads."""
    plan = _published_or_404(plan_id)
    session = get_session()
    downloads = download_states(session, plan, current_user)
    return render_template("sep/document.html", downloads=downloads,
                           **document_context(session, plan))  # fmt: skip


@bp.route("/plans/<int:plan_id>/prepare/<kind>", methods=["POST"])
@role_required(*PLAN_READERS)
def prepare(plan_id: int, kind: str) -> Response:
    """Prepare a download in the background and show its progress; if it is being prepared
    already, show that job instead of starting another."""
    plan = _published_or_404(plan_id)
    download = DOWNLOADS.get(kind)
    if download is None:
        abort(404)
    session = get_session()
    job, started = start_preparing(session, plan, download, by=current_user)
    session.commit()
    if started:
        dispatch_job(job.id)
    elif may_watch(job, current_user):
        flash(f"{download.label} is being prepared already: here is how far it got.", "info")
    else:
        flash(f"{download.label} is being prepared already, at someone else's request; it "
              "appears here once it is ready.", "info")  # fmt: skip
        return redirect(_page(plan))
    return redirect(url_for("jobs.detail", job_id=job.id))


def _prepared_file(plan_id: int, download: Download) -> Response:
    """The prepared file, to save under a safe name, never cached; if it has not been
    prepared, back to the plan's page to prepare it."""
    plan = _published_or_404(plan_id)
    prepared = prepared_document(get_session(), plan.id, download.kind)
    if prepared is None:
        flash(f"{download.label} has not been prepared yet: press Prepare, then download it "
              "once it is ready.", "info")  # fmt: skip
        return redirect(_page(plan))
    name = download_name(plan, download.what, download.extension)  # ASCII letters, digits, dashes
    return Response(
        prepared.content,
        mimetype=download.mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/plans/<int:plan_id>/sep.pdf", endpoint="document_pdf")
@role_required(*PLAN_READERS)
def document_pdf_file(plan_id: int) -> Response:
    """The SEP document of a published plan, as a PDF (once prepared)."""
    return _prepared_file(plan_id, DOWNLOADS["sep_pdf"])


@bp.route("/plans/<int:plan_id>/schedule.xlsx", endpoint="schedule_xlsx")
@role_required(*PLAN_READERS)
def schedule_xlsx_file(plan_id: int) -> Response:
    """The monthly schedule of a published plan, as an Excel workbook (once prepared)."""
    return _prepared_file(plan_id, DOWNLOADS["schedule_xlsx"])


@bp.route("/plans/<int:plan_id>/schedule.pdf", endpoint="schedule_pdf")
@role_required(*PLAN_READERS)
def schedule_pdf_file(plan_id: int) -> Response:
    """The monthly schedule of a published plan, as a PDF (once prepared)."""
    return _prepared_file(plan_id, DOWNLOADS["schedule_pdf"])
