"""What the feature blueprints share: form pages, domain errors on their fields, edit forms that
refuse a stale save and show what changed, query-string arguments, paging, exports, and dollars
in forms."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from flask import Response, abort, flash, redirect, render_template, request
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.wrappers import Response as BaseResponse
from wtforms import BooleanField, Field, HiddenField, SelectField, ValidationError

from app.db import MAX_ID, get_session
from inventory.errors import DomainError, NotFound, StaleEdit
from inventory.spreadsheets import write_csv, write_xlsx

PER_PAGE = 50
MIME_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
T = TypeVar("T")
Difference = tuple[str, str, str, str]  # field label, the value seen, saved now, typed


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
    saved: Callable[[], FlaskForm] | None = None,
    **context: Any,
) -> str | BaseResponse:
    """Validate, run one operation, commit, flash and redirect; or show the form with errors
    (in the shared form template, or the page's own `template` with its `context`). An edit
    page (a VersionedForm) gives `saved`: the form as the object is saved now; a save over
    someone else's newer one is refused, lists what they changed, and keeps what was typed."""
    if saved is not None and not form.is_submitted():
        form.seen.data = json.dumps(_snapshot(form))
    differences: list[Difference] = []
    if form.validate_on_submit():
        session = get_session()
        try:
            result = save()
            session.commit()
        except (StaleEdit, StaleDataError) as error:
            session.rollback()
            differences = _stale(form, saved, error)
        except DomainError as error:
            session.rollback()
            show_error(form, error)
        else:
            flash(message(result), "success")
            return redirect(done(result))
    return render_template(template, form=form, title=title, cancel_url=cancel_url,
                           differences=differences, **context)  # fmt: skip


class VersionedForm(FlaskForm):
    """An edit form that carries the version it was read at and what it showed then."""

    version = HiddenField()
    seen = HiddenField()


def read_version(form: VersionedForm) -> int:
    """The version the submitted form was read at; 0 (never a saved version) when missing or
    garbled, so such a save is refused as stale instead of overwriting."""
    value = form.version.raw_data[0] if form.version.raw_data else ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 0


def _stale(
    form: FlaskForm, saved: Callable[[], FlaskForm] | None, error: Exception
) -> list[Difference]:
    """Say that someone else saved since this form was read, and list what they changed."""
    stale = error if isinstance(error, StaleEdit) else StaleEdit("This record")
    flash(stale.message, "danger")
    if saved is None:
        return []
    try:
        now = saved()
    except ObjectDeletedError:  # removed meanwhile: nothing left to compare
        return []
    return _differences(form, now)


def _differences(form: FlaskForm, now: FlaskForm) -> list[Difference]:
    """Each field someone else changed: the value this form showed, the value saved now, and
    the user's entry. What the user typed is kept; a field they left alone takes the saved
    value (saving again must not undo the other save by accident). The form then carries the
    saved version."""
    yours, current, rows = _snapshot(form), _snapshot(now), []
    try:
        seen = json.loads(form.seen.data or "{}")
    except ValueError:
        seen = {}
    seen = seen if isinstance(seen, dict) else {}
    for name, value in current.items():
        before = seen.get(name)
        if value in (before, yours[name]):
            continue  # nobody else changed it, or both made the same change
        untouched = yours[name] == before
        if untouched:  # left alone by this user: the form takes the saved value
            form[name].data, form[name].raw_data = now[name].data, None
        rows.append((form[name].label.text, "not known" if before is None else str(before),
                     value, "(not changed)" if untouched else yours[name]))  # fmt: skip
    for field, text in ((form.version, str(now.version.data)), (form.seen, json.dumps(current))):
        field.data, field.raw_data = text, [text]
    return rows


def _snapshot(form: FlaskForm) -> dict[str, str]:
    """Each visible field's value as the page shows it (not the version, nor the CSRF token)."""
    visible = (field for field in form if getattr(field.widget, "input_type", "") != "hidden")
    return {field.name: _shown(field) for field in visible}


def _shown(field: Field) -> str:
    """A field's value as a person reads it: a choice's label, yes or no, or the text."""
    if isinstance(field, SelectField):
        text = next((label for _v, label, selected, *_ in field.iter_choices() if selected), "")
    elif isinstance(field, BooleanField):
        text = "yes" if field.data else "no"
    else:
        text = field._value()
    return str(text).strip() or "—"


def get_chosen(model: type[T], object_id: int | None, *, field: str, noun: str) -> T | None:
    """The object a form's select box names (None for a blank choice); an id that no row has,
    or that no database column could hold, is refused on the field, never looked up."""
    if object_id is None:
        return None
    found = get_session().get(model, object_id) if 0 < object_id <= MAX_ID else None
    if found is None:
        raise NotFound(f"There is no such {noun}; choose one from the list.", field=field)
    return found


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


def dollar_amount(label: str, max_cents: int) -> Callable[[Any, Field], None]:
    """A form validator: an amount from $0 to the maximum; a number too large, or not a finite
    number, is refused on the field before it is converted."""

    def check(_form: Any, field: Field) -> None:
        amount = field.data
        limit = Decimal(max_cents) / 100  # compared, never multiplied: 1e999999 would overflow
        if amount is not None and not (amount.is_finite() and 0 <= amount <= limit):
            raise ValidationError(f"{label} must be from $0 to ${max_cents / 100:,.0f}.")

    return check


def cents_to_dollars(cents: int | None) -> Decimal | None:
    """Integer cents as a dollar amount for a form."""
    return None if cents is None else Decimal(cents) / 100


def optional_int(value: Any) -> int | None:
    """Coerce a select box's value to an id, blank to None."""
    if value in (None, "", "None"):
        return None
    return int(value)
