"""Assets: list (filters, sort, search, pages), detail, create, edit, retire, history, export.

A site administrator sees only the assets of their own sites; others' are 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.assets.forms import AssetForm
from app.db import get_session
from app.pages import (
    PER_PAGE,
    cents_to_dollars,
    choice_arg,
    commit_and_flash,
    dollars_to_cents,
    export_response,
    form_page,
    int_arg,
    page_arg,
    read_version,
)
from app.security import DISTRICT_READERS, EVERYONE, INVENTORY_EDITORS, role_required
from inventory.changelog import history_query
from inventory.errors import DomainError, NotFound
from inventory.lifecycle import fiscal_year_label
from inventory.models import Asset, AssetModel, AssetStatus
from inventory.operations.assets import create_asset, retire_asset, update_asset
from inventory.operations.sites import find_site
from inventory.queries import assets as queries
from inventory.queries.paging import page_of
from inventory.queries.pickers import (
    model_from_text,
    model_label,
    model_suggestions,
    site_from_text,
    site_label,
    site_suggestions,
)
from inventory.queries.scope import visible_asset, visible_site
from inventory.queries.sites import region_options

bp = Blueprint("assets", __name__, url_prefix="/assets")
FILTER_KEYS = ("site", "site_id", "region_id", "system_id", "model_id", "status", "eol", "q",
               "sort", "desc")  # fmt: skip
EDITED = ("tag", "serial", "location", "installed_on", "warranty_end_on", "notes")
PAST = "past"  # ?eol=past: past end of life, as the home page's card


def _filters() -> queries.AssetFilters:
    """The list's filters from the query string (?eol= a fiscal year, or `past`)."""
    end_of_life_fy = int_arg("eol", minimum=1901, maximum=9998)
    past = request.args.get("eol") == PAST
    return queries.AssetFilters(
        site_id=_site_id(), region_id=int_arg("region_id"),
        system_id=int_arg("system_id"), model_id=int_arg("model_id"),
        status=choice_arg("status", AssetStatus), end_of_life_fy=end_of_life_fy,
        past_end_of_life=past, search=request.args.get("q", "")[:100],
        # Filtered by end of life, the list reads best (and fastest) in that order.
        sort=request.args.get("sort") or ("end_of_life_on" if end_of_life_fy or past else "tag"),
        descending=request.args.get("desc") == "1", today=dt.date.today(),
    )  # fmt: skip


def _site_id() -> int | None:
    """The site filter: ?site_id=, or ?site= a site code (typed, so that the page needs no list
    of every site); an unknown or invisible code matches nothing."""
    code = request.args.get("site", "").strip()
    if not code:
        return int_arg("site_id")
    site = find_site(get_session(), code)
    visible = site is not None and visible_site(get_session(), current_user, site.id)
    return site.id if visible else -1


def _filter_args() -> dict[str, Any]:
    """The filters as they appear in the query string, for links."""
    return {key: request.args[key] for key in FILTER_KEYS if request.args.get(key)}


def _asset_or_404(asset_id: int) -> Asset:
    """The asset if it is at one of the user's sites; otherwise a 404."""
    asset = visible_asset(get_session(), current_user, asset_id)
    if asset is None:
        abort(404)
    return asset


def _end_of_life_choices(today: dt.date) -> list[tuple[str, str]]:
    """The end-of-life filter's choices, in the home page's words (what is still to replace)."""
    this_year, *later = queries.end_of_life_years(today)
    return [
        (PAST, "Past end of life"),
        (str(this_year), f"Due this fiscal year (rest of FY{this_year})"),
        *[(str(year), f"Due in {fiscal_year_label(year)}") for year in later],
    ]


def _filter_options() -> dict[str, Any]:
    """The choices of the list's filter boxes: the user's own regions and systems only."""
    session = get_session()
    return {
        "regions": region_options(session, current_user),
        "systems": queries.system_options(session, current_user),
        "statuses": AssetStatus.choices(),
        "years": _end_of_life_choices(dt.date.today()),
        "sorts": [(key, key.replace("_on", "").replace("_", " ").capitalize())
                  for key in queries.SORTS],
    }  # fmt: skip


@bp.route("/")
@role_required(*EVERYONE)
def index() -> str:
    """The assets the user sees: filtered, sorted, searched, a page at a time, with the real
    total (a search: up to the number it lists)."""
    filters = _filters()
    session = get_session()
    page = page_of(
        session, queries.assets_query(current_user, filters), page_arg(), PER_PAGE,
        count=queries.count_assets(session, current_user, filters),
    )  # fmt: skip
    model_id = filters.model_id
    model = queries.visible_model(session, current_user, model_id) if model_id else None
    return render_template(
        "assets/index.html", page=page, args=_filter_args(), model=model, **_filter_options()
    )


@bp.route("/export")
@role_required(*EVERYONE)
def export() -> Response:
    """The filtered assets as .xlsx or .csv, with the import's column names."""
    rows = queries.asset_export_rows(get_session(), current_user, _filters())
    return export_response(queries.EXPORT_HEADERS, rows, "assets")


@bp.route("/<int:asset_id>")
@role_required(*EVERYONE)
def detail(asset_id: int) -> str:
    """One asset with its model, site and lifecycle dates."""
    asset = _asset_or_404(asset_id)
    return render_template("assets/detail.html", asset=asset, model=_model_label(asset.model))


@bp.route("/<int:asset_id>/history")
@role_required(*EVERYONE)
def history(asset_id: int) -> str:
    """Every recorded change of the asset."""
    asset = _asset_or_404(asset_id)
    entries = get_session().scalars(history_query("assets", asset.id).limit(500)).all()
    return render_template(
        "inventory/history.html", entries=entries, label=f"asset {asset.tag}",
        back_url=url_for("assets.detail", asset_id=asset.id),
    )  # fmt: skip


def _form(asset: Asset | None = None, **kwargs: Any) -> AssetForm:
    """The asset form: blank (no site or model chosen for the user), or the asset as saved,
    its site and model as the boxes' labels."""
    data: dict[str, Any] = {}
    if asset is not None:
        data = {name: getattr(asset, name) for name in EDITED}
        data.update(site=site_label(asset.site.code, asset.site.name),
                    model=_model_label(asset.model), status=asset.status.value,
                    cost=cents_to_dollars(asset.cost_cents), version=asset.version)  # fmt: skip
    return AssetForm(data=data, **kwargs)


def _model_label(model: AssetModel) -> str:
    """A model as people read it ('Cisco C9200-24P — Catalyst 9200')."""
    return model_label(model.manufacturer.name, model.part_number, model.name)


def _values(form: AssetForm) -> dict[str, Any]:
    """The form's data as the operation's keyword fields; the typed site (one of the user's)
    and model looked up, each refused on its field when nothing matches."""
    session = get_session()
    site = site_from_text(session, current_user, form.site.data)
    if site is None:
        raise NotFound(f"There is no site {form.site.data}: type its code, or pick one from "
                       "the suggestions.", field="site")  # fmt: skip
    model = model_from_text(session, form.model.data)
    if model is None:
        raise NotFound(f"There is no model {form.model.data} in the catalogue: type the "
                       "manufacturer and part number, or pick one from the suggestions.",
                       field="model")  # fmt: skip
    values = {name: form[name].data for name in (*EDITED, "status")}
    values.update(site=site, model=model, cost_cents=dollars_to_cents(form.cost.data))
    return values


@bp.route("/new", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def create() -> str | Response:
    """Record a new asset (?site_id= starts it at one of the user's sites)."""
    form = _form()
    site_id = int_arg("site_id") if request.method == "GET" else None
    site = visible_site(get_session(), current_user, site_id) if site_id else None
    if site is not None:
        form.site.data = site_label(site.code, site.name)
    return form_page(
        form, title="New asset", cancel_url=url_for("assets.index"),
        save=lambda: create_asset(get_session(), by=current_user, **_values(form)),
        done=lambda asset: url_for("assets.detail", asset_id=asset.id),
        message=lambda asset: f"Asset {asset.tag} recorded.", template="assets/form.html",
    )  # fmt: skip


@bp.route("/<int:asset_id>/edit", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def edit(asset_id: int) -> str | Response:
    """Change an asset; a save over someone else's newer save is refused and explained."""
    asset = _asset_or_404(asset_id)
    form = _form(asset)
    back = url_for("assets.detail", asset_id=asset.id)
    return form_page(
        form, title=f"Edit asset {asset.tag}", cancel_url=back, template="assets/form.html",
        save=lambda: update_asset(get_session(), asset, by=current_user,
                                  expected_version=read_version(form), **_values(form)),
        saved=lambda: _form(asset, formdata=None),
        done=lambda _changed: back, message=lambda _changed: f"Asset {asset.tag} saved.",
    )  # fmt: skip


@bp.route("/<int:asset_id>/retire", methods=["POST"])
@role_required(*INVENTORY_EDITORS)
def retire(asset_id: int) -> Response:
    """Take an asset out of service (or record it disposed)."""
    asset = _asset_or_404(asset_id)
    disposed = request.form.get("disposed") == "1"
    try:
        retire_asset(get_session(), asset, by=current_user, disposed=disposed)
    except DomainError as error:  # someone else saved it meanwhile
        get_session().rollback()
        flash(error.message, "danger")
    else:
        commit_and_flash(f"Asset {asset.tag} is now {asset.status.label.lower()}.")
    return redirect(url_for("assets.detail", asset_id=asset.id))


@bp.route("/choices/sites")
@role_required(*EVERYONE)
def site_choices() -> Response:
    """The site box's suggestions: open sites the user sees matching ?q= (JSON)."""
    term = request.args.get("q", "")[:100]
    return _suggestions(site_suggestions(get_session(), current_user, term))


@bp.route("/choices/models")
@role_required(*DISTRICT_READERS)
def model_choices() -> Response:
    """The model box's suggestions: models offered for new assets matching ?q= (JSON)."""
    return _suggestions(model_suggestions(get_session(), request.args.get("q", "")[:100]))


def _suggestions(labels: list[str]) -> Response:
    """Labels as JSON, never cached."""
    response = jsonify(suggestions=labels)
    response.headers["Cache-Control"] = "no-store"
    return response
