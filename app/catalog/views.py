"""The catalogue: asset models, systems and manufacturers; list, detail, create, edit, retire."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.catalog.forms import ManufacturerForm, ModelForm, SystemForm
from app.db import get_or_404, get_session
from app.forms import choices
from app.pages import (
    PER_PAGE,
    cents_to_dollars,
    commit_and_flash,
    dollars_to_cents,
    export_response,
    form_page,
    get_chosen,
    int_arg,
    page_arg,
    read_version,
)
from app.security import DISTRICT_READERS, INVENTORY_EDITORS, role_required
from inventory.errors import DomainError
from inventory.models import AssetModel, Manufacturer, System
from inventory.operations import catalog as ops
from inventory.queries import catalog as queries
from inventory.queries.paging import page_of

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


def _model_filters() -> queries.ModelFilters:
    """The model list's filters from the query string."""
    return queries.ModelFilters(
        manufacturer_id=int_arg("manufacturer_id"),
        system_id=int_arg("system_id"),
        search=request.args.get("q", "")[:100],
    )


@bp.route("/models")
@role_required(*DISTRICT_READERS)
def models() -> str:
    """Asset models, filtered and paged."""
    session = get_session()
    page = page_of(session, queries.models_query(_model_filters()), page_arg(), PER_PAGE)
    keys = ("manufacturer_id", "system_id", "q")
    return render_template(
        "catalog/models.html", page=page,
        args={key: request.args[key] for key in keys if request.args.get(key)},
        manufacturers=queries.options(session, Manufacturer, Manufacturer.name),
        systems=queries.options(session, System, System.name),
    )  # fmt: skip


@bp.route("/models/export")
@role_required(*DISTRICT_READERS)
def models_export() -> Response:
    """The filtered models as .xlsx or .csv, with the import's column names."""
    rows = queries.model_export_rows(get_session(), _model_filters())
    return export_response(queries.EXPORT_HEADERS, rows, "models")


@bp.route("/models/<int:model_id>")
@role_required(*DISTRICT_READERS)
def model_detail(model_id: int) -> str:
    """One model and how many assets use it."""
    model = get_or_404(AssetModel, model_id)
    count = queries.model_asset_count(get_session(), model.id)
    return render_template("catalog/model_detail.html", model=model, asset_count=count)


def _model_form(model: AssetModel | None = None, **kwargs: Any) -> ModelForm:
    """The model form with the active manufacturers and systems to choose from (and the
    model's own, even when retired); nothing is chosen for a new model."""
    session = get_session()
    data = {"unit_cost": cents_to_dollars(model.unit_cost_cents)} if model else {}
    form = ModelForm(obj=model, data=data, **kwargs)
    makers = queries.form_options(session, Manufacturer, keep=model and model.manufacturer_id)
    systems = queries.form_options(session, System, keep=model and model.system_id)
    form.manufacturer_id.choices = choices([("", "Choose a manufacturer"), *makers])
    form.system_id.choices = choices([("", "Choose a system"), *systems])
    return form


def _model_values(form: ModelForm) -> dict[str, Any]:
    """The model form's data as the operation's keyword fields."""
    return {
        "manufacturer": get_chosen(
            Manufacturer, form.manufacturer_id.data, field="manufacturer", noun="manufacturer"
        ),
        "part_number": form.part_number.data,
        "name": form.name.data,
        "system": get_chosen(System, form.system_id.data, field="system", noun="system"),
        "useful_life_years": form.useful_life_years.data,
        "end_of_sale_on": form.end_of_sale_on.data,
        "end_of_support_on": form.end_of_support_on.data,
        "unit_cost_cents": dollars_to_cents(form.unit_cost.data),
    }


@bp.route("/models/new", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def model_create() -> str | Response:
    """Add a model."""
    form = _model_form()
    return form_page(
        form, title="New asset model", cancel_url=url_for("catalog.models"),
        save=lambda: ops.create_model(get_session(), by=current_user, **_model_values(form)),
        done=lambda model: url_for("catalog.model_detail", model_id=model.id),
        message=lambda model: f"Model {model.part_number} created.",
    )  # fmt: skip


@bp.route("/models/<int:model_id>/edit", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def model_edit(model_id: int) -> str | Response:
    """Change a model; its assets' end of life follows. A save over someone else's newer save
    is refused and explained."""
    model = get_or_404(AssetModel, model_id)
    form = _model_form(model)
    back = url_for("catalog.model_detail", model_id=model.id)
    return form_page(
        form, title=f"Edit {model.part_number}", cancel_url=back,
        save=lambda: ops.update_model(get_session(), model, by=current_user,
                                      expected_version=read_version(form),
                                      **_model_values(form)),
        saved=lambda: _model_form(model, formdata=None),
        done=lambda _changed: back, message=lambda _changed: f"Model {model.part_number} saved.",
    )  # fmt: skip


@bp.route("/models/<int:model_id>/retire", methods=["POST"])
@role_required(*INVENTORY_EDITORS)
def model_retire(model_id: int) -> Response:
    """Stop offering a model for new assets."""
    model = get_or_404(AssetModel, model_id)
    _retire(ops.retire_model, model, f"Model {model.part_number} retired.")
    return redirect(url_for("catalog.model_detail", model_id=model.id))


def _retire(operation: Callable[..., Any], obj: Any, done: str) -> None:
    """Retire a catalogue entry and say so; or say that someone else saved it meanwhile."""
    try:
        operation(get_session(), obj, by=current_user)
    except DomainError as error:
        get_session().rollback()
        flash(error.message, "danger")
    else:
        commit_and_flash(done)


@bp.route("/systems")
@role_required(*DISTRICT_READERS)
def systems() -> str:
    """Infrastructure systems with their number of models."""
    rows = get_session().execute(queries.systems_query()).all()
    return render_template("catalog/systems.html", rows=rows)


@bp.route("/systems/new", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def system_create() -> str | Response:
    """Add a system."""
    form = SystemForm()
    return form_page(
        form, title="New system", cancel_url=url_for("catalog.systems"),
        save=lambda: ops.create_system(get_session(), by=current_user, code=form.code.data,
            name=form.name.data, default_useful_life_years=form.default_useful_life_years.data),
        done=lambda _system: url_for("catalog.systems"),
        message=lambda system: f"System {system.name} created.",
    )  # fmt: skip


@bp.route("/systems/<int:system_id>/edit", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def system_edit(system_id: int) -> str | Response:
    """Change a system; a save over someone else's newer save is refused and explained."""
    system = get_or_404(System, system_id)
    form = SystemForm(obj=system)
    return form_page(
        form, title=f"Edit {system.name}", cancel_url=url_for("catalog.systems"),
        save=lambda: ops.update_system(get_session(), system, by=current_user,
            expected_version=read_version(form), code=form.code.data, name=form.name.data,
            default_useful_life_years=form.default_useful_life_years.data),
        saved=lambda: SystemForm(obj=system, formdata=None),
        done=lambda _changed: url_for("catalog.systems"),
        message=lambda _changed: f"System {system.name} saved.",
    )  # fmt: skip


@bp.route("/systems/<int:system_id>/retire", methods=["POST"])
@role_required(*INVENTORY_EDITORS)
def system_retire(system_id: int) -> Response:
    """Stop offering a system for new models."""
    system = get_or_404(System, system_id)
    _retire(ops.retire_system, system, f"System {system.name} retired.")
    return redirect(url_for("catalog.systems"))


@bp.route("/manufacturers")
@role_required(*DISTRICT_READERS)
def manufacturers() -> str:
    """Manufacturers with their number of models."""
    rows = get_session().execute(queries.manufacturers_query()).all()
    return render_template("catalog/manufacturers.html", rows=rows)


@bp.route("/manufacturers/new", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def manufacturer_create() -> str | Response:
    """Add a manufacturer."""
    form = ManufacturerForm()
    return form_page(
        form, title="New manufacturer", cancel_url=url_for("catalog.manufacturers"),
        save=lambda: ops.create_manufacturer(get_session(), by=current_user, name=form.name.data),
        done=lambda _m: url_for("catalog.manufacturers"),
        message=lambda m: f"Manufacturer {m.name} created.",
    )  # fmt: skip


@bp.route("/manufacturers/<int:manufacturer_id>/edit", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def manufacturer_edit(manufacturer_id: int) -> str | Response:
    """Rename a manufacturer; a save over someone else's newer save is refused and explained."""
    manufacturer = get_or_404(Manufacturer, manufacturer_id)
    form = ManufacturerForm(obj=manufacturer)
    return form_page(
        form, title=f"Edit {manufacturer.name}", cancel_url=url_for("catalog.manufacturers"),
        save=lambda: ops.update_manufacturer(get_session(), manufacturer, by=current_user,
                                             name=form.name.data,
                                             expected_version=read_version(form)),
        saved=lambda: ManufacturerForm(obj=manufacturer, formdata=None),
        done=lambda _changed: url_for("catalog.manufacturers"),
        message=lambda _changed: f"Manufacturer {manufacturer.name} saved.",
    )  # fmt: skip


@bp.route("/manufacturers/<int:manufacturer_id>/retire", methods=["POST"])
@role_required(*INVENTORY_EDITORS)
def manufacturer_retire(manufacturer_id: int) -> Response:
    """Stop offering a manufacturer for new models."""
    manufacturer = get_or_404(Manufacturer, manufacturer_id)
    _retire(ops.retire_manufacturer, manufacturer, f"Manufacturer {manufacturer.name} retired.")
    return redirect(url_for("catalog.manufacturers"))
