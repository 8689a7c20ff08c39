"""Assets: list (filters, sort, search, pages), detail, create, edit, retire, history, export.

A site administrator sees only the assets of their own sites; others' are 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.assets.forms import AssetForm
from app.db import get_session
from app.forms import choices
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
)
from app.security import EVERYONE, INVENTORY_EDITORS, role_required
from inventory.changelog import history_query
from inventory.lifecycle import fiscal_year_label
from inventory.models import Asset, AssetModel, AssetStatus, System
from inventory.operations.assets import create_asset, retire_asset, update_asset
from inventory.operations.sites import find_site
from inventory.queries import assets as queries
from inventory.queries.catalog import model_options, options
from inventory.queries.paging import page_of
from inventory.queries.scope import site_options, visible_asset, visible_site
from inventory.queries.sites import region_options

bp = Blueprint("assets", __name__, url_prefix="/assets")
FILTER_KEYS = ("site", "site_id", "region_id", "system_id", "model_id", "status", "eol", "q",
               "sort", "desc")  # fmt: skip


def _filters() -> queries.AssetFilters:
    """The list's filters from the query string."""
    end_of_life_fy = int_arg("eol", minimum=1901, maximum=9998)
    return queries.AssetFilters(
        site_id=_site_id(), region_id=int_arg("region_id"),
        system_id=int_arg("system_id"), model_id=int_arg("model_id"),
        status=choice_arg("status", AssetStatus), end_of_life_fy=end_of_life_fy,
        search=request.args.get("q", "")[:100],
        # Filtered to an end-of-life year, the list reads best (and fastest) in that order.
        sort=request.args.get("sort") or ("end_of_life_on" if end_of_life_fy else "tag"),
        descending=request.args.get("desc") == "1",
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


def _filter_options() -> dict[str, Any]:
    """The choices of the list's filter boxes."""
    session = get_session()
    years = queries.end_of_life_years(dt.date.today())
    return {
        "regions": region_options(session),
        "systems": options(session, System, System.name),
        "statuses": AssetStatus.choices(),
        "years": [(year, fiscal_year_label(year)) for year in years],
        "sorts": [(key, key.replace("_on", "").replace("_", " ").capitalize())
                  for key in queries.SORTS],
    }  # fmt: skip


@bp.route("/")
@role_required(*EVERYONE)
def index() -> str:
    """The assets the user sees: filtered, sorted, searched, a page at a time."""
    filters = _filters()
    session = get_session()
    page = page_of(
        session, queries.assets_query(current_user, filters), page_arg(), PER_PAGE,
        count_query=queries.asset_ids_query(current_user, filters),
    )  # fmt: skip
    model = session.get(AssetModel, filters.model_id) if filters.model_id else None
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
    return render_template("assets/detail.html", asset=_asset_or_404(asset_id))


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


def _form(asset: Asset | None = None) -> AssetForm:
    """The asset form with the user's sites and the active models to choose from."""
    session = get_session()
    data = {}
    if asset is not None:
        data = {"status": asset.status.value, "cost": cents_to_dollars(asset.cost_cents)}
    form = AssetForm(obj=asset, data=data)
    form.site_id.choices = choices(site_options(session, current_user))
    form.model_id.choices = choices(model_options(session))
    return form


def _values(form: AssetForm) -> dict[str, Any]:
    """The form's data as the operation's keyword fields."""
    session = get_session()
    site = visible_site(session, current_user, form.site_id.data)
    if site is None:
        abort(404)
    fields = ("tag", "serial", "location", "status", "installed_on", "warranty_end_on", "notes")
    values = {name: getattr(form, name).data for name in fields}
    values.update(site=site, model=session.get(AssetModel, form.model_id.data),
                  cost_cents=dollars_to_cents(form.cost.data))  # fmt: skip
    return values


@bp.route("/new", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def create() -> str | Response:
    """Record a new asset."""
    form = _form()
    if request.method == "GET" and int_arg("site_id"):
        form.site_id.data = int_arg("site_id")
    return form_page(
        form, title="New asset", cancel_url=url_for("assets.index"),
        save=lambda: create_asset(get_session(), by=current_user, **_values(form)),
        done=lambda asset: url_for("assets.detail", asset_id=asset.id),
        message=lambda asset: f"Asset {asset.tag} recorded.",
    )  # fmt: skip


@bp.route("/<int:asset_id>/edit", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def edit(asset_id: int) -> str | Response:
    """Change an asset."""
    asset = _asset_or_404(asset_id)
    form = _form(asset)
    back = url_for("assets.detail", asset_id=asset.id)
    return form_page(
        form, title=f"Edit asset {asset.tag}", cancel_url=back,
        save=lambda: update_asset(get_session(), asset, by=current_user, **_values(form)),
        done=lambda _changed: back, message=lambda _changed: f"Asset {asset.tag} saved.",
    )  # fmt: skip


@bp.route("/<int:asset_id>/retire", methods=["POST"])
@role_required(*INVENTORY_EDITORS)
def retire(asset_id: int) -> Response:
    """Take an asset out of service (or record it disposed)."""
    asset = _asset_or_404(asset_id)
    disposed = request.form.get("disposed") == "1"
    retire_asset(get_session(), asset, by=current_user, disposed=disposed)
    commit_and_flash(f"Asset {asset.tag} is now {asset.status.label.lower()}.")
    return redirect(url_for("assets.detail", asset_id=asset.id))
