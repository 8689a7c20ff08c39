"""The background job that imports (or checks) a large uploaded file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app

from app.imports.uploads import delete_upload, load_upload
from app.jobs.registry import JobContext, job_kind
from inventory.imports import ImportOptions, ImportReport, ImportRequest, run_import
from inventory.models import User

JOB_KIND = "import"
MAX_STORED_ERRORS = 1000  # the job row keeps the report; a broken file has an error per row


def job_params(token: str, *, dry_run: bool, valid_only: bool) -> dict[str, Any]:
    """The job's parameters: the upload's token (never a path) and how to run."""
    return {"token": token, "dry_run": dry_run, "valid_only": valid_only}


@job_kind(JOB_KIND)
def import_job(context: JobContext) -> dict[str, Any]:
    """Import the uploaded file in one transaction; a cancel leaves the database unchanged."""
    params = context.params
    instance = current_app.instance_path
    upload, data = load_upload(instance, user_id=context.created_by_id or 0, token=params["token"])
    options = ImportOptions(
        dry_run=params["dry_run"], valid_only=params["valid_only"], defaults=upload.defaults or {}
    )
    request = ImportRequest(
        upload.kind, data, upload.filename, columns=upload.columns, options=options,
        sheet=upload.sheet,
    )  # fmt: skip

    with context.sessions() as session:
        by = session.get(User, context.created_by_id) if context.created_by_id else None
        progress = _progress_reporter(context)
        report = run_import(session, request, by=by, progress=progress)
        if report.written:
            session.commit()
    if report.written:
        delete_upload(instance, user_id=upload.user_id, token=upload.token)
    return _result(context.job_id, report)


def _progress_reporter(context: JobContext) -> Callable[[int, int], None]:
    """Progress (row counts) and cancel checks for the import pipeline."""

    def report_progress(done: int, total: int) -> None:
        context.progress(done, total, f"Row {done:,} of {total:,}")

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
