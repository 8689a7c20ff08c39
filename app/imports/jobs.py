"""The background job that imports (or checks) a large uploaded file. The file is read from the
database, so a worker on any machine can run it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app

from app.jobs.registry import JobContext, JobFailed, job_kind
from inventory.imports import ImportOptions, ImportReport, ImportRequest, run_import
from inventory.imports.uploads import discard_upload, find_upload, upload_choice
from inventory.models import User

JOB_KIND = "import"
MAX_STORED_ERRORS = 1000  # the job row keeps the report; a broken file has an error per row
GONE = (
    "The uploaded file is no longer on the server: it was imported or discarded, or it waited "
    "longer than {hours} hours. Upload it again."
)


def job_params(token: str, *, dry_run: bool, valid_only: bool) -> dict[str, Any]:
    """The job's parameters: the upload's token (never a path) and how to run."""
    return {"token": token, "dry_run": dry_run, "valid_only": valid_only}


@job_kind(JOB_KIND)
def import_job(context: JobContext) -> dict[str, Any]:
    """Import the uploaded file in one transaction; a cancel leaves the database unchanged.
    Once imported, the upload is removed in the same transaction."""
    params = context.params
    with context.sessions() as session:
        upload = find_upload(session, owner_id=context.created_by_id, token=params["token"])
        if upload is None:
            raise JobFailed(GONE.format(hours=current_app.config["UPLOAD_MAX_AGE_HOURS"]))
        options = ImportOptions(
            dry_run=params["dry_run"], valid_only=params["valid_only"],
            defaults=upload_choice(upload, "defaults") or {},
        )  # fmt: skip
        request = ImportRequest(
            upload.kind, upload.content, upload.filename, options=options,
            columns=upload_choice(upload, "columns"), sheet=upload_choice(upload, "sheet"),
        )  # fmt: skip
        by = session.get(User, context.created_by_id) if context.created_by_id else None
        report = run_import(session, request, by=by, progress=_progress_reporter(context))
        if report.written:
            discard_upload(session, upload)
            session.commit()
    return _result(context.job_id, report)


def _progress_reporter(context: JobContext) -> Callable[[int, int, str], None]:
    """Progress (rows read, of about how many) and cancel checks for the import pipeline."""

    def report_progress(done: int, total: int, message: str) -> None:
        context.progress(done, total, message)

    return report_progress


def _result(job_id: int, report: ImportReport) -> dict[str, Any]:
    """The job's result: a summary line, the whole report, and the report page's address."""
    prefix = current_app.config.get("APPLICATION_ROOT", "/").rstrip("/")
    if len(report.errors) > MAX_STORED_ERRORS:
        hidden = len(report.errors) - MAX_STORED_ERRORS
        report.errors = report.errors[:MAX_STORED_ERRORS]
        report.warnings.append(f"{hidden:,} more row errors are not shown; fix these first.")
    return {
        "message": report.summary(),
        "report": report.to_dict(),
        "link": f"{prefix}/imports/jobs/{job_id}",
    }
