"""What the feature blueprints share: form pages, domain errors on their fields, query-string
arguments, paging, exports, and dollars in forms."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from app.db import MAX_ID, get_session
from inventory.errors import DomainError
from inventory.spreadsheets import write_csv, write_xlsx

PER_PAGE = 50
MIME_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Put a domain error on its form field (`site` → `site_id` too), or flash it."""
    name = error.field or ""
    field = getattr(form, name, None) or getattr(form, f"{name}_id", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")


def form_page(
    form: FlaskForm,
    *,
    title: str,
    cancel_url: str,
    save: Callable[[], Any],
    done: Callable[[Any], str],
    message: Callable[[Any], str],
    template: str = "inventory/form.html",
    **context: Any,
) -> str | BaseResponse:
    """Validate, run one operation, commit, flash and redirect; or show the form with errors
    (in the shared form template, or the page's own `template` with its `context`)."""
    if form.validate_on_submit():
        session = get_session()
        try:
            result = save()
        except DomainError as error:
            session.rollback()
            show_error(form, error)
        else:
            session.commit()
            flash(message(result), "success")
            return redirect(done(result))
    return render_template(template, form=form, title=title, cancel_url=cancel_url, **context)


def commit_and_flash(text: str) -> None:
    """Commit the request's transaction and tell the user what happened."""
    get_session().commit()
    flash(text, "success")


def int_arg(name: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """A whole-number query argument, or None when absent, not a number or out of range (a
    hand-edited URL gets an empty result, never an error)."""
    value = request.args.get(name, "")
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def choice_arg(name: str, enum_class: type) -> Any:
    """An enum query argument, or None when absent or unknown."""
    try:
        return enum_class(request.args.get(name, ""))
    except ValueError:
        return None


def page_arg() -> int:
    """The page number asked for (1 when absent)."""
    return max(1, int_arg("page") or 1)


def export_response(headers: Sequence[str], rows: Iterable[Sequence[Any]], name: str) -> Response:
    """The rows as an .xlsx or .csv download (?format=xlsx|csv)."""
    kind = request.args.get("format", "xlsx")
    if kind not in MIME_TYPES:
        abort(400)
    if kind == "csv":
        body = write_csv(headers, rows)
    else:
        body = write_xlsx(headers, rows, sheet_title=name)
    response = Response(body, mimetype=MIME_TYPES[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def dollars_to_cents(amount: Decimal | None) -> int | None:
    """A form's dollar amount as integer cents."""
    if amount is None:
        return None
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_to_dollars(cents: int | None) -> Decimal | None:
    """Integer cents as a dollar amount for a form."""
    return None if cents is None else Decimal(cents) / 100


def optional_int(value: Any) -> int | None:
    """Coerce a select box's value to an id, blank to None."""
    if value in (None, "", "None"):
        return None
    return int(value)
