"""Regions: list, create, edit and retire (remove when empty)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import get_or_404, get_session
from app.pages import commit_and_flash, form_page, read_version
from app.security import DISTRICT_READERS, INVENTORY_EDITORS, role_required
from app.sites.forms import RegionForm
from inventory.errors import DomainError
from inventory.models import Region
from inventory.operations.sites import create_region, retire_region, update_region
from inventory.queries.sites import regions_query

bp = Blueprint("regions", __name__, url_prefix="/regions")


@bp.route("/")
@role_required(*DISTRICT_READERS)
def index() -> str:
    """Every region with its number of sites."""
    rows = get_session().execute(regions_query()).all()
    return render_template("regions/index.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def create() -> str | Response:
    """Add a region."""
    form = RegionForm()
    return form_page(
        form,
        title="New region",
        cancel_url=url_for("regions.index"),
        save=lambda: create_region(
            get_session(), by=current_user, code=form.code.data, name=form.name.data
        ),
        done=lambda region: url_for("regions.index"),
        message=lambda region: f"Region {region.name} created.",
    )


@bp.route("/<int:region_id>/edit", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def edit(region_id: int) -> str | Response:
    """Rename or recode a region; a save over someone else's newer save is refused and
    explained."""
    region = get_or_404(Region, region_id)
    form = RegionForm(obj=region)
    return form_page(
        form,
        title=f"Edit region {region.name}",
        cancel_url=url_for("regions.index"),
        save=lambda: update_region(
            get_session(),
            region,
            by=current_user,
            expected_version=read_version(form),
            code=form.code.data,
            name=form.name.data,
        ),
        saved=lambda: RegionForm(obj=region, formdata=None),
        done=lambda _changed: url_for("regions.index"),
        message=lambda _changed: f"Region {region.name} saved.",
    )


@bp.route("/<int:region_id>/retire", methods=["POST"])
@role_required(*INVENTORY_EDITORS)
def retire(region_id: int) -> Response:
    """Remove a region that has no sites left."""
    region = get_or_404(Region, region_id)
    name = region.name
    try:
        retire_region(get_session(), region, by=current_user)
    except DomainError as error:
        get_session().rollback()
        flash(error.message, "danger")
    else:
        commit_and_flash(f"Region {name} removed.")
    return redirect(url_for("regions.index"))
