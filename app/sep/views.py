"""The published SEP: the plan document and the monthly schedule (web, PDF, xlsx).

Only published plans are shown here: a draft's id gives 404, whoever asks. Site administrators
get 403 (they read their own sites' work in the site portal).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from sqlalchemy.orm import defer

from app.db import get_session
from app.security import PLAN_READERS, role_required
from app.sep.document import (
    document_context,
    document_pdf,
    download_name,
    schedule_pdf,
)
from app.sep.schedule_xlsx import schedule_xlsx
from inventory.models import Plan
from inventory.queries.published import all_published, district_baselines, published_projects

bp = Blueprint("sep", __name__, url_prefix="/sep")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _published_or_404(plan_id: int) -> Plan:
    """The plan if it is published, else a 404 page (drafts never leave the planning pages)."""
    plan = get_session().get(Plan, plan_id, options=[defer(Plan.problem)])
    if plan is None or plan.published_at is None:
        abort(404)
    return plan


def _download(body: bytes, mimetype: str, file_name: str) -> Response:
    """A file to save, under a safe name, never cached."""
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{file_name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/")
@role_required(*PLAN_READERS)
def index() -> str:
    """The district's current SEP (each scenario's baseline) and the other published versions."""
    session = get_session()
    baselines = district_baselines(session)
    current = {plan.id for plan in baselines}
    others = [plan for plan in all_published(session) if plan.id not in current]
    return render_template("sep/index.html", baselines=baselines, others=others)


@bp.route("/plans/<int:plan_id>")
@role_required(*PLAN_READERS)
def document(plan_id: int) -> str:
    """The SEP document of a published plan, as a web page."""
    plan = _published_or_404(plan_id)
    return render_template("sep/document.html", **document_context(get_session(), plan))


@bp.route("/plans/<int:plan_id>/sep.pdf", endpoint="document_pdf")
@role_required(*PLAN_READERS)
def document_pdf_file(plan_id: int) -> Response:
    """The SEP document of a published plan, as a PDF."""
    plan = _published_or_404(plan_id)
    body = document_pdf(get_session(), plan)
    return _download(body, "application/pdf", download_name(plan, "sep", "pdf"))


@bp.route("/plans/<int:plan_id>/schedule.xlsx", endpoint="schedule_xlsx")
@role_required(*PLAN_READERS)
def schedule_xlsx_file(plan_id: int) -> Response:
    """The monthly schedule of a published plan, as an Excel workbook."""
    plan = _published_or_404(plan_id)
    body = schedule_xlsx(plan, published_projects(get_session(), plan))
    return _download(body, XLSX, download_name(plan, "schedule", "xlsx"))


@bp.route("/plans/<int:plan_id>/schedule.pdf", endpoint="schedule_pdf")
@role_required(*PLAN_READERS)
def schedule_pdf_file(plan_id: int) -> Response:
    """The monthly schedule of a published plan, as a PDF: a section per month."""
    plan = _published_or_404(plan_id)
    body = schedule_pdf(get_session(), plan)
    return _download(body, "application/pdf", download_name(plan, "schedule", "pdf"))
