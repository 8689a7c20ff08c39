"""The "sep_document" job: prepare a published plan's download (the SEP document as a PDF, the
monthly schedule as a PDF or a workbook) in the background and keep it in the database.

A PDF of a large district takes tens of seconds and a lot of memory, too long for a web request;
the job reads everything from the database and stores the file there, so a worker on any
machine can make it and any web server can serve it. One job per plan and kind at a time: a
second Prepare finds the one that is queued or running. A cancelled job stores nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session, defer

from app.jobs.registry import JobCancelled, JobContext, JobFailed, job_kind
from app.planning.jobs import last_sign_of_life
from app.planning.run_outcome import path_for
from app.sep.document import Progress, document_pdf, download_name, schedule_pdf
from app.sep.schedule_xlsx import schedule_xlsx
from inventory.base import utcnow
from inventory.enums import JobStatus, Role
from inventory.models import Job, Plan, PreparedDocument, User
from inventory.operations.documents import prepared_documents, store_document
from inventory.operations.jobs import enqueue_job, fail_stalled_job, jobs_of_kind_query
from inventory.queries.published import published_projects

JOB_KIND = "sep_document"
SILENT_LIMIT = dt.timedelta(minutes=10)  # laying out a big PDF is one long silent step
REPORT_EVERY_S = 0.5  # repeated reports of one step (a sheet each) reach the row this often


@dataclass(frozen=True)
class Download:
    """One of a published plan's downloads: what it is called and how it is served."""

    kind: str
    label: str
    what: str  # the file name's first word
    extension: str
    mimetype: str
    endpoint: str


DOWNLOADS = {
    download.kind: download
    for download in (
        Download("sep_pdf", "The plan (PDF)", "sep", "pdf", "application/pdf",
                 "sep.document_pdf"),
        Download("schedule_xlsx", "The monthly schedule (Excel)", "schedule", "xlsx",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "sep.schedule_xlsx"),
        Download("schedule_pdf", "The monthly schedule (PDF)", "schedule", "pdf", "application/pdf",
                 "sep.schedule_pdf"),
    )
}  # fmt: skip


def _schedule_xlsx(session: Session, plan: Plan, progress: Progress) -> bytes:
    """The schedule workbook, after reading the plan's projects."""
    progress(0, 1, "Reading the plan")
    return schedule_xlsx(plan, published_projects(session, plan), progress)


BUILDERS: dict[str, Callable[[Session, Plan, Progress], bytes]] = {
    "sep_pdf": document_pdf,
    "schedule_xlsx": _schedule_xlsx,
    "schedule_pdf": schedule_pdf,
}


def active_jobs(session: Session, plan_id: int) -> dict[str, Job]:
    """The plan's downloads being prepared now (queued or running): {kind: job}."""
    found: dict[str, Job] = {}
    query = jobs_of_kind_query(JOB_KIND, plan_id=plan_id).where(
        Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING])
    )
    for job in session.scalars(query):
        found.setdefault(str((job.params or {}).get("document")), job)  # newest first
    return found


def is_alive(session: Session, job: Job) -> bool:
    """Whether a queued or running job may still finish: a running one silent longer than
    SILENT_LIMIT has lost its worker and is marked failed (flushes)."""
    if job.status is not JobStatus.RUNNING:
        return job.status is JobStatus.QUEUED
    cutoff = utcnow() - SILENT_LIMIT
    seen = last_sign_of_life(job)
    if seen is not None and seen >= cutoff:
        return True
    return not fail_stalled_job(session, job.id, silent_since=cutoff)


def start_preparing(
    session: Session, plan: Plan, download: Download, *, by: User
) -> tuple[Job, bool]:
    """The job preparing a plan's download and whether it is new: the one queued or running
    already, else a new queued job (flushes; the caller commits, then dispatches it)."""
    running = active_jobs(session, plan.id).get(download.kind)
    if running is not None and is_alive(session, running):
        return running, False
    title = f"{download.label}: {plan.scenario.name}, version {plan.version}"
    params = {"plan_id": plan.id, "document": download.kind}
    return enqueue_job(session, by=by, kind=JOB_KIND, title=title, params=params), True


def may_watch(job: Job, user: User) -> bool:
    """Whether the user may open the job's page (as app/jobs/views.py decides)."""
    return user.role is Role.ADMIN or job.created_by_id == user.id


@dataclass(frozen=True)
class DownloadState:
    """A download as the plan's page shows it: prepared (when, how big), being prepared (by
    which job, and whether this user may watch it), or neither."""

    download: Download
    prepared: PreparedDocument | None
    job: Job | None
    may_watch: bool

    @property
    def size(self) -> str:
        """The prepared file's size, in words."""
        return size_label(self.prepared.size) if self.prepared else ""


def download_states(session: Session, plan: Plan, viewer: User) -> list[DownloadState]:
    """Each download of the plan, prepared or not, and the job preparing it."""
    prepared = prepared_documents(session, [plan.id]).get(plan.id, {})
    jobs = active_jobs(session, plan.id)
    states = []
    for kind, download in DOWNLOADS.items():
        job = jobs.get(kind)
        watch = job is not None and may_watch(job, viewer)
        states.append(DownloadState(download, prepared.get(kind), job, watch))
    return states


class _Reporter:
    """The builders' progress, shown on the job's page: a step's first report always, its
    repeats (a sheet each) at most every REPORT_EVERY_S; one more step is kept for saving.
    Each report reaching the job also checks for a cancel (JobCancelled)."""

    def __init__(self, context: JobContext) -> None:
        self.context = context
        self.step = ""
        self.total = 1
        self.last_report = 0.0

    def __call__(self, done: int, total: int, message: str) -> None:
        step = message.split(":")[0]
        now = time.monotonic()
        if step == self.step and now - self.last_report < REPORT_EVERY_S:
            return
        self.step, self.total, self.last_report = step, total, now
        self.context.progress(done, total + 1, message)

    def saving(self) -> None:
        """The last step: storing the file."""
        self.context.progress(self.total, self.total + 1, "Saving the file")


@job_kind(JOB_KIND)
def prepare_document_job(context: JobContext) -> dict[str, Any]:
    """Make the download from the database and store it there, replacing an earlier one."""
    download = DOWNLOADS.get(str(context.params.get("document")))
    if download is None:
        raise JobFailed("This kind of download is not known.")
    report = _Reporter(context)
    with context.sessions() as session:
        plan = session.get(Plan, context.params["plan_id"], options=[defer(Plan.problem)])
        if plan is None or plan.published_at is None:
            raise JobFailed("This plan is not published: only published plans have downloads.")
        with current_app.test_request_context():  # the templates' context needs a request
            content = BUILDERS[download.kind](session, plan, report)
        filename = download_name(plan, download.what, download.extension)
    report.saving()
    with context.sessions() as session:
        if context.is_cancelled():
            raise JobCancelled()
        store_document(
            session, plan_id=context.params["plan_id"], kind=download.kind, filename=filename,
            content=content, by_id=context.created_by_id, job_id=context.job_id,
        )  # fmt: skip
        session.commit()
    return _result(context.params["plan_id"], download, len(content))


def size_label(size: int) -> str:
    """A file size as people read it: '850 KB', '12.4 MB'."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000)):,} KB"
    return f"{size / 1_000_000:,.1f} MB"


def _result(plan_id: int, download: Download, size: int) -> dict[str, Any]:
    """The job's result: a message, the download, and the plan's page."""
    result: dict[str, Any] = {
        "message": f"{download.label} is ready ({size_label(size)}).",
        "plan_id": plan_id,
        "document": download.kind,
        "size": size,
    }
    url = path_for(download.endpoint, plan_id=plan_id)
    if url is not None:
        result["download_url"] = url
        result["download_label"] = f"Download {download.label[0].lower()}{download.label[1:]}"
    page = path_for("sep.document", plan_id=plan_id)
    if page is not None:
        result["link"] = page
        result["link_label"] = "Back to the plan"
    return result
