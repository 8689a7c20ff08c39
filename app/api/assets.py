"""/api/v1/assets: list (the asset page's filters, search and sorts), read, create, change,
retire (or dispose of), as the pages do. A site administrator's token sees only the assets of
their own sites; writing is for inventory editors, as on the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from app.api.auth import api_roles, api_user
from app.api.common import (
    ETAG_HEADER,
    IF_MATCH,
    PAGE_HEADERS,
    blueprint,
    etag_headers,
    field_problem,
    not_found,
    paged,
    problems,
    require_if_match,
    save,
)
from app.api.schemas import PageArgsSchema, choice, object_id, page_schema, query_id, text, whole
from app.db import get_session
from app.security import EVERYONE, INVENTORY_EDITORS
from inventory.models import Asset, AssetModel, AssetStatus
from inventory.operations.assets import create_asset, retire_asset, update_asset
from inventory.operations.catalog import MAX_ITEM_COST_CENTS
from inventory.operations.sites import find_site
from inventory.queries import assets as queries
from inventory.queries.paging import page_of
from inventory.queries.scope import visible_asset, visible_site

bp = blueprint("assets", "/assets", "Assets: the items at each site (scoped to the user).")
FIELD_NAMES = {"site": "site_id", "model": "model_id"}
PAST = "past"


class AssetSchema(Schema):
    """An asset."""

    id = fields.Integer(dump_only=True)
    tag = text(64, min_length=1, required=True)
    serial = text(128, allow_none=True)
    site_id = object_id(required=True)
    site_code = fields.String(dump_only=True)
    model_id = object_id(required=True)
    part_number = fields.String(dump_only=True)
    manufacturer = fields.String(dump_only=True)
    location = text(120, allow_none=True)
    status = choice(AssetStatus, metadata={"description": "Default: in_service."})
    installed_on = fields.Date(allow_none=True)
    cost_cents = whole(0, MAX_ITEM_COST_CENTS, allow_none=True)
    warranty_end_on = fields.Date(allow_none=True)
    end_of_life_on = fields.Date(
        dump_only=True, allow_none=True,
        metadata={"description": "Install date + the model's useful life (or its end of support)."},
    )  # fmt: skip
    notes = text(10_000, allow_none=True)
    version = fields.Integer(dump_only=True)


class AssetChangeSchema(AssetSchema):
    """An asset's changed fields (any of them)."""

    tag = text(64, min_length=1)
    site_id = object_id()
    model_id = object_id()


class AssetRowSchema(Schema):
    """An asset as the list shows it."""

    id = fields.Integer()
    tag = fields.String()
    serial = fields.String(allow_none=True)
    status = fields.String()
    location = fields.String(allow_none=True)
    installed_on = fields.Date(allow_none=True)
    end_of_life_on = fields.Date(allow_none=True)
    site_id = fields.Integer()
    site_code = fields.String()
    site_name = fields.String()
    part_number = fields.String()
    model_name = fields.String()
    manufacturer = fields.String()


class RetireSchema(Schema):
    """How an asset leaves service."""

    disposed = fields.Boolean(
        load_default=False,
        metadata={"description": "True: it is gone (disposed of); false: retired."},
    )


class AssetFilterSchema(PageArgsSchema):
    """The asset list's filters, search and sorts, as on the assets page."""

    q = text(100, metadata={"description": "Tag or serial starts with, or site/model contains."})
    site = text(32, metadata={"description": "A site code (one of the user's)."})
    site_id = query_id("Assets at this site.")
    region_id = query_id("Assets at the sites of this region.")
    system_id = query_id("Assets whose model belongs to this system.")
    model_id = query_id("Assets of this model.")
    status = choice(AssetStatus)
    eol = fields.String(
        validate=validate.Regexp(r"^(past|[0-9]{4})$"),
        metadata={"description": "End of life: `past`, or due in fiscal year YYYY (from today)."},
    )  # fmt: skip
    sort = fields.String(validate=validate.OneOf(list(queries.SORTS)))
    desc = fields.Boolean(load_default=False, metadata={"description": "Sort descending."})


DUMPED = ("id", "tag", "serial", "site_id", "model_id", "location", "installed_on", "cost_cents",
          "warranty_end_on", "end_of_life_on", "notes", "version")  # fmt: skip
ROW = tuple(AssetRowSchema._declared_fields)


def dump_asset(asset: Asset) -> dict[str, Any]:
    """An asset with its site code and model."""
    body = {name: getattr(asset, name) for name in DUMPED}
    body.update(
        status=asset.status.value, site_code=asset.site.code,
        part_number=asset.model.part_number, manufacturer=asset.model.manufacturer.name,
    )  # fmt: skip
    return body


def _row(row: Any) -> dict[str, Any]:
    """A list row as the API shows it."""
    body = {name: getattr(row, name) for name in ROW}
    body["status"] = row.status.value
    return body


def _filters(args: dict[str, Any]) -> queries.AssetFilters:
    """The list's filters; a site code the user does not see matches nothing."""
    eol = args.get("eol")
    fiscal_year = int(eol) if eol and eol != PAST else None
    site_id = args.get("site_id")
    if args.get("site"):
        site = find_site(get_session(), args["site"])
        visible = site is not None and visible_site(get_session(), api_user(), site.id)
        site_id = site.id if visible and site_id in (None, site.id) else -1
    default_sort = "end_of_life_on" if eol else "tag"
    return queries.AssetFilters(
        site_id=site_id, region_id=args.get("region_id"), system_id=args.get("system_id"),
        model_id=args.get("model_id"), status=args.get("status") and AssetStatus(args["status"]),
        end_of_life_fy=fiscal_year if fiscal_year and 1901 <= fiscal_year <= 9998 else None,
        past_end_of_life=eol == PAST, search=args.get("q", ""),
        sort=args.get("sort") or default_sort, descending=args["desc"], today=dt.date.today(),
    )  # fmt: skip


def _asset(asset_id: int) -> Asset:
    """The asset, if it is at one of the user's sites; otherwise a 404."""
    asset = visible_asset(get_session(), api_user(), asset_id)
    if asset is None:
        raise not_found("asset")
    return asset


def _values(data: dict[str, Any]) -> dict[str, Any]:
    """The request's fields as the operation's: the site (one the user sees) and the model
    looked up by id, each refused on its field when there is none."""
    values = dict(data)
    if "site_id" in values:
        site_id = values.pop("site_id")
        values["site"] = visible_site(get_session(), api_user(), site_id)
        if values["site"] is None:
            raise field_problem("site_id", f"There is no site {site_id} you can see.")
    if "model_id" in values:
        model_id = values.pop("model_id")
        values["model"] = get_session().get(AssetModel, model_id)
        if values["model"] is None:
            raise field_problem("model_id", f"There is no model {model_id} in the catalogue.")
    return values


@bp.route("")
class Assets(MethodView):
    """The assets the token's user sees."""

    @api_roles(*EVERYONE)
    @bp.arguments(AssetFilterSchema, location="query", unknown="raise")
    @bp.response(200, page_schema("AssetPage", AssetRowSchema), headers=PAGE_HEADERS)
    @problems(bp, 401, 422)
    def get(self, args: dict[str, Any]) -> Any:
        """List assets, filtered, searched and sorted as on the assets page (a search counts
        its matches up to 10,000: `total_is_capped`)."""
        session, user, filters = get_session(), api_user(), _filters(args)
        page = page_of(
            session, queries.assets_query(user, filters), args["page"], args["per_page"],
            count=queries.count_assets(session, user, filters),
        )  # fmt: skip
        return paged(page, _row)

    @api_roles(*INVENTORY_EDITORS)
    @bp.arguments(AssetSchema)
    @bp.response(201, AssetSchema, headers=ETAG_HEADER)
    @problems(bp, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Record an asset; its tag must be unused."""
        values = _values(data)
        asset = save(
            lambda: create_asset(get_session(), by=api_user(), **values), None, FIELD_NAMES
        )
        return dump_asset(asset), etag_headers(asset)


@bp.route("/<int:asset_id>")
class AssetItem(MethodView):
    """One asset."""

    @api_roles(*EVERYONE)
    @bp.response(200, AssetSchema, headers=ETAG_HEADER)
    @problems(bp, 401, 404)
    def get(self, asset_id: int) -> Any:
        """Read an asset (its ETag is its version)."""
        asset = _asset(asset_id)
        return dump_asset(asset), etag_headers(asset)

    @api_roles(*INVENTORY_EDITORS)
    @bp.arguments(AssetChangeSchema)
    @bp.response(200, AssetSchema, headers=ETAG_HEADER)
    @bp.doc(parameters=[IF_MATCH])
    @problems(bp, 401, 403, 404, 409, 412, 422, 428)
    def patch(self, data: dict[str, Any], asset_id: int) -> Any:
        """Change some of an asset's fields; its end of life follows (If-Match: its ETag)."""
        asset = _asset(asset_id)
        version = require_if_match(asset)
        values = _values(data)
        save(
            lambda: update_asset(
                get_session(), asset, by=api_user(), expected_version=version, **values
            ),
            asset, FIELD_NAMES,
        )  # fmt: skip
        return dump_asset(asset), etag_headers(asset)


@bp.route("/<int:asset_id>/retire")
class AssetRetire(MethodView):
    """Taking an asset out of service."""

    @api_roles(*INVENTORY_EDITORS)
    @bp.arguments(RetireSchema, required=False)
    @bp.response(200, AssetSchema, headers=ETAG_HEADER)
    @bp.doc(parameters=[IF_MATCH])
    @problems(bp, 401, 403, 404, 412, 422, 428)
    def post(self, data: dict[str, Any], asset_id: int) -> Any:
        """Retire an asset, or record it disposed of, as the asset page does (If-Match: its
        ETag). It stays listed, with its history."""
        asset = _asset(asset_id)
        require_if_match(asset)
        disposed = data.get("disposed", False)
        save(lambda: retire_asset(get_session(), asset, by=api_user(), disposed=disposed), asset)
        return dump_asset(asset), etag_headers(asset)
