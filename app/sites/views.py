"""Sites: list, detail, create, edit, retire, history and export; scoped to the user's sites."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import get_session
from app.forms import choices
from app.pages import (
    PER_PAGE,
    choice_arg,
    commit_and_flash,
    export_response,
    form_page,
    get_chosen,
    int_arg,
    page_arg,
    read_version,
)
from app.security import EVERYONE, INVENTORY_EDITORS, role_required
from app.sites.forms import SiteForm
from inventory.changelog import history_query
from inventory.enums import SiteKind, SiteStatus
from inventory.errors import DomainError
from inventory.models import Region, Site
from inventory.operations.sites import create_site, retire_site, update_site
from inventory.queries.paging import page_of
from inventory.queries.scope import visible_site
from inventory.queries.sites import (
    EXPORT_HEADERS,
    SiteFilters,
    asset_count_by_site,
    region_options,
    site_export_rows,
    sites_query,
)

bp = Blueprint("sites", __name__, url_prefix="/sites")
FIELDS = ("code", "name", "kind", "status", "address", "city", "state", "postal_code", "phone",
          "enrollment", "administrator_name", "administrator_email", "latitude", "longitude",
          "notes")  # fmt: skip


def _filters() -> SiteFilters:
    """The list's filters from the query string."""
    return SiteFilters(
        region_id=int_arg("region_id"),
        kind=choice_arg("kind", SiteKind),
        status=choice_arg("status", SiteStatus),
        search=request.args.get("q", "")[:100],
        sort=request.args.get("sort", "code"),
    )


def _filter_args() -> dict[str, Any]:
    """The filters as they appear in the query string, for links."""
    keys = ("region_id", "kind", "status", "q", "sort")
    return {key: request.args[key] for key in keys if request.args.get(key)}


def _site_or_404(site_id: int) -> Site:
    """The site if the user may see it; otherwise a 404."""
    site = visible_site(get_session(), current_user, site_id)
    if site is None:
        abort(404)
    return site


@bp.route("/")
@role_required(*EVERYONE)
def index() -> str:
    """The sites the user sees, filtered, sorted and paged (with their real total); the
    region box lists a site administrator's own regions only."""
    session = get_session()
    page = page_of(session, sites_query(current_user, _filters()), page_arg(), PER_PAGE)
    counts = asset_count_by_site(session, [site.id for site, _region in page.rows])
    return render_template(
        "sites/index.html", page=page, counts=counts, args=_filter_args(),
        regions=region_options(session, current_user), kinds=SiteKind.choices(),
        statuses=SiteStatus.choices(),
    )  # fmt: skip


@bp.route("/export")
@role_required(*EVERYONE)
def export() -> Response:
    """The filtered sites as .xlsx or .csv, with the import's column names."""
    rows = site_export_rows(get_session(), current_user, _filters())
    return export_response(EXPORT_HEADERS, rows, "sites")


@bp.route("/<int:site_id>")
@role_required(*EVERYONE)
def detail(site_id: int) -> str:
    """One site and a summary of its assets."""
    site = _site_or_404(site_id)
    count = asset_count_by_site(get_session(), [site.id]).get(site.id, 0)
    return render_template("sites/detail.html", site=site, asset_count=count)


@bp.route("/<int:site_id>/history")
@role_required(*EVERYONE)
def history(site_id: int) -> str:
    """Every recorded change of the site."""
    site = _site_or_404(site_id)
    entries = get_session().scalars(history_query("sites", site.id).limit(500)).all()
    return render_template(
        "inventory/history.html", entries=entries, label=f"{site.code} {site.name}",
        back_url=url_for("sites.detail", site_id=site.id),
    )  # fmt: skip


def _form(site: Site | None = None, **kwargs: Any) -> SiteForm:
    """The site form (blank, or the site as saved) with the regions to choose from."""
    data = {"kind": site.kind.value, "status": site.status.value} if site else {}
    form = SiteForm(obj=site, data=data, **kwargs)
    form.region_id.choices = choices([("", "(none)"), *region_options(get_session())])
    return form


def _values(form: SiteForm) -> dict[str, Any]:
    """The form's data as the operation's keyword fields; a region id that is not one of the
    regions (or too large for any) is refused on its field, never silently cleared."""
    values = {name: getattr(form, name).data for name in FIELDS}
    values["region"] = get_chosen(Region, form.region_id.data, field="region", noun="region")
    return values


@bp.route("/new", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def create() -> str | Response:
    """Add a site."""
    form = _form()
    return form_page(
        form, title="New site", cancel_url=url_for("sites.index"),
        save=lambda: create_site(get_session(), by=current_user, **_values(form)),
        done=lambda site: url_for("sites.detail", site_id=site.id),
        message=lambda site: f"Site {site.code} created.",
    )  # fmt: skip


@bp.route("/<int:site_id>/edit", methods=["GET", "POST"])
@role_required(*INVENTORY_EDITORS)
def edit(site_id: int) -> str | Response:
    """Change a site's details; a save over someone else's newer save is refused and
    explained."""
    site = _site_or_404(site_id)
    form = _form(site)
    return form_page(
        form, title=f"Edit {site.code}", cancel_url=url_for("sites.detail", site_id=site.id),
        save=lambda: update_site(get_session(), site, by=current_user,
                                 expected_version=read_version(form), **_values(form)),
        saved=lambda: _form(site, formdata=None),
        done=lambda _changed: url_for("sites.detail", site_id=site.id),
        message=lambda _changed: f"Site {site.code} saved.",
    )  # fmt: skip


@bp.route("/<int:site_id>/retire", methods=["POST"])
@role_required(*INVENTORY_EDITORS)
def retire(site_id: int) -> Response:
    """Mark a site closed."""
    site = _site_or_404(site_id)
    try:
        retire_site(get_session(), site, by=current_user)
    except DomainError as error:  # someone else saved it meanwhile
        get_session().rollback()
        flash(error.message, "danger")
    else:
        commit_and_flash(f"Site {site.code} is now closed.")
    return redirect(url_for("sites.detail", site_id=site.id))
