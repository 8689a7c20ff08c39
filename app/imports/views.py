"""Import pages: upload a file, preview and map its columns, then import it (large files and
every check of them run as background jobs)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
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
from app.imports.preview import BACKGROUND_ROWS, FileStart, build_preview, current_mapping
from app.imports.preview import read_start as read_file_start
from app.imports.uploads import keep_for, own_upload_or_404, save_upload
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
from inventory.imports.uploads import (
    discard_upload,
    file_size,
    find_upload,
    record_choices,
    waiting_uploads,
)
from inventory.models import ImportUpload, Job
from inventory.spreadsheets import SpreadsheetError, open_table, suggest_mapping

bp = Blueprint("imports", __name__, url_prefix="/imports")
MAX_ERRORS_SHOWN = 200


def read_start(upload: ImportUpload) -> FileStart:
    """The upload's header and first rows; an unreadable file goes back to the upload page."""
    try:
        return read_file_start(upload, limit=BACKGROUND_ROWS)
    except SpreadsheetError as error:
        flash(error.message, "danger")
        abort(redirect(url_for("imports.upload")))


@bp.route("/", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def upload() -> str | Response:
    """Choose what to import and upload the file; the files waiting for their import."""
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
        filename = form.file.data.filename or "upload.csv"
        try:
            open_table(data, filename).close()  # refuse what cannot be opened at once
            saved = save_upload(kind=form.kind.data, filename=filename, data=data)
        except (SpreadsheetError, DomainError) as error:
            get_session().rollback()
            form.file.errors.append(error.message)
        else:
            get_session().commit()
            return redirect(url_for("imports.preview", token=saved.token))
    waiting = waiting_uploads(get_session(), current_user)
    return render_template(
        "imports/upload.html", form=form, waiting=waiting, file_size=file_size,
        kind_labels=KIND_LABELS, keep_hours=int(keep_for().total_seconds() // 3600),
        action_form=FlaskForm(),
    )  # fmt: skip


@bp.route("/<token>", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def preview(token: str) -> str | Response:
    """The file's columns mapped to fields, the dry run's counts and errors, and the actions."""
    upload = own_upload_or_404(token)
    start = read_start(upload)
    if request.method == "POST" and request.form.get("action") == "sheet":
        return _choose_sheet(upload, start)
    session = get_session()
    mapping = current_mapping(upload, start.table)
    headers = start.table.headers
    form = mapping_form(upload.kind, headers, mapping, mapping_names(session, upload.kind))
    if form.validate_on_submit():
        try:
            mapping = _chosen_mapping(form, upload, headers)
        except (ValueError, DomainError) as error:
            flash(getattr(error, "message", str(error)), "danger")
        else:
            record_choices(session, upload, columns=mapping.columns, defaults=mapping.defaults)
            session.commit()
            return _act(request.form.get("action", "apply"), form, upload, start)
    preview_data = build_preview(session, start, mapping, by=current_user)
    return render_template(
        "imports/preview.html", form=form, upload=upload, preview=preview_data,
        kind_label=KIND_LABELS[upload.kind], max_errors=MAX_ERRORS_SHOWN,
        default_rows=DEFAULT_ROWS,
    )  # fmt: skip


def _choose_sheet(upload: ImportUpload, start: FileStart) -> Response:
    """Read another sheet of the workbook; its columns get a fresh suggested mapping."""
    if FlaskForm().validate_on_submit():
        sheet = request.form.get("sheet", "")
        if sheet not in start.table.sheet_names:
            flash("Choose one of the workbook's sheets.", "danger")
        elif sheet != start.table.sheet_name:
            record_choices(get_session(), upload, sheet=sheet, columns=None)
            get_session().commit()
            flash(f'Reading the sheet "{sheet}".', "info")
    return redirect(url_for("imports.preview", token=upload.token))


def _chosen_mapping(form: MappingForm, upload: ImportUpload, headers: list[str]):
    """The mapping from the form, or the saved one the user asked to load."""
    if request.form.get("action") == "load" and form.load_name.data:
        saved = load_mapping(get_session(), upload.kind, form.load_name.data)
        flash(f'Mapping "{form.load_name.data}" loaded.', "info")
        return suggest_mapping(upload.kind, headers, saved=saved)
    return columns_from(form, upload.kind, headers)


def _act(action: str, form: MappingForm, upload: ImportUpload, start: FileStart):
    """Save the mapping, or import (now, or as a job for large files); else show the preview."""
    session = get_session()
    if action == "save":
        try:
            mapping = current_mapping(upload, start.table)
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
            upload, start, dry_run=action == "check", valid_only=action == "import_valid"
        )
    return redirect(url_for("imports.preview", token=upload.token))


@bp.route("/<token>/import", methods=["POST"])
@role_required(*INVENTORY_EDITORS)
def start_import(token: str) -> str | Response:
    """Import a file with the mapping chosen in its preview (the report of its check offers
    this)."""
    upload = own_upload_or_404(token)
    if not FlaskForm().validate_on_submit():
        flash("The form expired; try again.", "danger")
        return redirect(url_for("imports.preview", token=upload.token))
    valid_only = request.form.get("action") == "import_valid"
    return _import(upload, read_start(upload), dry_run=False, valid_only=valid_only)


def _import(upload: ImportUpload, start: FileStart, *, dry_run: bool, valid_only: bool):
    """Import a small file now (one transaction); a large one, or a check of it, as a job."""
    session = get_session()
    if dry_run or not start.complete:
        verb = "Check" if dry_run else "Import"
        title = f"{verb} {KIND_LABELS[upload.kind].lower()}: {upload.filename}"
        params = job_params(upload.token, dry_run=dry_run, valid_only=valid_only)
        job = submit_job(session, by=current_user, kind=JOB_KIND, title=title, params=params)
        return redirect(url_for("jobs.detail", job_id=job.id))
    mapping = current_mapping(upload, start.table)
    options = ImportOptions(valid_only=valid_only)
    report = import_table(session, start.table, mapping, by=current_user, options=options)
    if not report.written:
        session.rollback()
        flash("Nothing was imported: fix the errors, or import only the valid rows.", "danger")
        return redirect(url_for("imports.preview", token=upload.token))
    filename = upload.filename
    discard_upload(session, upload)
    session.commit()
    flash(report.summary(), "success")
    return _show_report(report, filename)


@bp.route("/<token>/discard", methods=["POST"])
@role_required(*INVENTORY_EDITORS)
def discard(token: str) -> Response:
    """Remove a file waiting for its import."""
    upload = own_upload_or_404(token)
    if FlaskForm().validate_on_submit():
        discard_upload(get_session(), upload)
        get_session().commit()
        flash(f"{upload.filename} was removed.", "info")
    return redirect(url_for("imports.upload"))


def _show_report(report: ImportReport, title: str, *, upload: ImportUpload | None = None) -> str:
    """The report page; `upload` is the file not imported yet (to import it, or go back to
    its preview)."""
    return render_template(
        "imports/report.html", report=report, title=title, upload=upload,
        kind_label=KIND_LABELS[report.kind], max_errors=MAX_ERRORS_SHOWN, form=FlaskForm(),
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
    upload = None
    if not report.written and job.created_by_id == current_user.id:
        upload = find_upload(get_session(), owner_id=current_user.id, token=job.params["token"])
    return _show_report(report, job.title, upload=upload)
