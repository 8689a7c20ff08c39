"""Import pages: upload a file, preview and map its columns, then import it (large files and
every check of them run as background jobs)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.db import get_or_404, get_session
from app.imports.forms import (
    DEFAULT_ROWS,
    KIND_LABELS,
    MappingForm,
    UploadForm,
    columns_from,
    mapping_form,
)
from app.imports.jobs import JOB_KIND, job_params
from app.imports.preview import BACKGROUND_ROWS, build_preview, current_mapping
from app.imports.uploads import Upload, delete_upload, load_upload, save_details, save_upload
from app.jobs.worker import submit_job
from app.security import INVENTORY_EDITORS, role_required
from inventory.enums import Role
from inventory.errors import DomainError
from inventory.imports import (
    ImportOptions,
    ImportReport,
    import_table,
    load_mapping,
    mapping_names,
    save_mapping,
)
from inventory.models import Job
from inventory.spreadsheets import SpreadsheetError, Table, read_table, suggest_mapping

bp = Blueprint("imports", __name__, url_prefix="/imports")
MAX_ERRORS_SHOWN = 200


def _upload(token: str) -> tuple[Upload, Table]:
    """The signed-in user's upload and its table; 404 for anyone else's or an unknown token."""
    try:
        upload, data = load_upload(current_app.instance_path, user_id=current_user.id, token=token)
    except (FileNotFoundError, ValueError):
        abort(404)
    try:
        return upload, read_table(data, upload.filename, sheet_name=upload.sheet)
    except SpreadsheetError as error:
        flash(error.message, "danger")
        abort(redirect(url_for("imports.upload")))


@bp.route("/", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def upload() -> str | Response:
    """Choose what to import and upload the file."""
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
        try:
            read_table(data, form.file.data.filename or "upload.csv")
        except SpreadsheetError as error:
            form.file.errors.append(error.message)
        else:
            saved = save_upload(
                current_app.instance_path,
                user_id=current_user.id,
                kind=form.kind.data,
                filename=form.file.data.filename or "upload.csv",
                data=data,
            )
            return redirect(url_for("imports.preview", token=saved.token))
    return render_template("imports/upload.html", form=form)


@bp.route("/<token>", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def preview(token: str) -> str | Response:
    """The file's columns mapped to fields, the dry run's counts and errors, and the actions."""
    upload, table = _upload(token)
    if request.method == "POST" and request.form.get("action") == "sheet":
        return _choose_sheet(upload, table)
    session = get_session()
    mapping = current_mapping(upload.kind, table, upload.columns, upload.defaults)
    form = mapping_form(upload.kind, table.headers, mapping, mapping_names(session, upload.kind))
    if form.validate_on_submit():
        try:
            mapping = _chosen_mapping(form, upload, table)
        except (ValueError, DomainError) as error:
            flash(getattr(error, "message", str(error)), "danger")
        else:
            upload.columns = mapping.columns
            upload.defaults = mapping.defaults
            save_details(current_app.instance_path, upload)
            return _act(request.form.get("action", "apply"), form, upload, table)
    preview_data = build_preview(session, table, mapping, by=current_user)
    return render_template(
        "imports/preview.html", form=form, upload=upload, preview=preview_data,
        kind_label=KIND_LABELS[upload.kind], max_errors=MAX_ERRORS_SHOWN,
        default_rows=DEFAULT_ROWS,
    )  # fmt: skip


def _choose_sheet(upload: Upload, table: Table) -> Response:
    """Read another sheet of the workbook; its columns get a fresh suggested mapping."""
    if FlaskForm().validate_on_submit():
        sheet = request.form.get("sheet", "")
        if sheet not in table.sheet_names:
            flash("Choose one of the workbook's sheets.", "danger")
        elif sheet != table.sheet_name:
            upload.sheet, upload.columns = sheet, None
            save_details(current_app.instance_path, upload)
            flash(f'Reading the sheet "{sheet}".', "info")
    return redirect(url_for("imports.preview", token=upload.token))


def _chosen_mapping(form: MappingForm, upload: Upload, table: Table):
    """The mapping from the form, or the saved one the user asked to load."""
    if request.form.get("action") == "load" and form.load_name.data:
        saved = load_mapping(get_session(), upload.kind, form.load_name.data)
        flash(f'Mapping "{form.load_name.data}" loaded.', "info")
        return suggest_mapping(upload.kind, table.headers, saved=saved)
    return columns_from(form, upload.kind, table.headers)


def _act(action: str, form: MappingForm, upload: Upload, table: Table) -> str | Response:
    """Save the mapping, or import (now, or as a job for large files); else show the preview."""
    session = get_session()
    if action == "save":
        try:
            mapping = current_mapping(upload.kind, table, upload.columns, upload.defaults)
            save_mapping(session, by=current_user, kind=upload.kind,
                         name=form.save_name.data or "", mapping=mapping)  # fmt: skip
        except DomainError as error:
            session.rollback()
            flash(error.message, "danger")
        else:
            session.commit()
            flash(f'Mapping saved as "{form.save_name.data.strip()}".', "success")
    elif action in ("import", "import_valid", "check"):
        return _import(
            upload, table, dry_run=action == "check", valid_only=action == "import_valid"
        )
    return redirect(url_for("imports.preview", token=upload.token))


def _import(upload: Upload, table: Table, *, dry_run: bool, valid_only: bool) -> str | Response:
    """Import a small file now (one transaction); a large one, or a check of it, as a job."""
    session = get_session()
    if dry_run or len(table.rows) > BACKGROUND_ROWS:
        verb = "Check" if dry_run else "Import"
        title = f"{verb} {KIND_LABELS[upload.kind].lower()}: {upload.filename}"
        params = job_params(upload.token, dry_run=dry_run, valid_only=valid_only)
        job = submit_job(session, by=current_user, kind=JOB_KIND, title=title, params=params)
        return redirect(url_for("jobs.detail", job_id=job.id))
    mapping = current_mapping(upload.kind, table, upload.columns, upload.defaults)
    options = ImportOptions(valid_only=valid_only)
    report = import_table(session, table, mapping, by=current_user, options=options)
    if not report.written:
        session.rollback()
        flash("Nothing was imported: fix the errors, or import only the valid rows.", "danger")
        return redirect(url_for("imports.preview", token=upload.token))
    session.commit()
    delete_upload(current_app.instance_path, user_id=current_user.id, token=upload.token)
    flash(report.summary(), "success")
    return _show_report(report, upload.filename, token=None)


def _show_report(report: ImportReport, title: str, *, token: str | None) -> str:
    """The report page; `token` links back to the preview of a file not yet imported."""
    return render_template(
        "imports/report.html", report=report, title=title, token=token,
        kind_label=KIND_LABELS[report.kind], max_errors=MAX_ERRORS_SHOWN,
    )  # fmt: skip


@bp.route("/jobs/<int:job_id>")
@role_required(*INVENTORY_EDITORS)
def job_report(job_id: int) -> str:
    """The report of an import job, for the user who started it or an administrator."""
    job = get_or_404(Job, job_id)
    visible = current_user.role is Role.ADMIN or job.created_by_id == current_user.id
    if job.kind != JOB_KIND or not visible or not (job.result or {}).get("report"):
        abort(404)
    report = ImportReport.from_dict(job.result["report"])
    token = None if report.written else job.params.get("token")
    return _show_report(report, job.title, token=token)
