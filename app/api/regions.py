"""/api/v1/regions: list, read, create, change, and remove an empty region (as the pages do)."""

from __future__ import annotations

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
    not_found,
    paged,
    problems,
    require_if_match,
    save,
)
from app.api.schemas import CODE, PageArgsSchema, page_schema, text
from app.db import get_session
from app.security import DISTRICT_READERS, INVENTORY_EDITORS
from inventory.models import Region
from inventory.operations.sites import create_region, retire_region, update_region
from inventory.queries.paging import page_of
from inventory.queries.sites import regions_query

bp = blueprint("regions", "/regions", "Regions: groups of sites. District readers read them.")


class RegionSchema(Schema):
    """A region."""

    id = fields.Integer(dump_only=True)
    code = text(32, validate.Regexp(CODE), required=True)
    name = text(120, min_length=1, required=True)
    site_count = fields.Integer(dump_only=True)
    version = fields.Integer(dump_only=True)


class RegionChangeSchema(RegionSchema):
    """A region's changed fields."""

    code = text(32, validate.Regexp(CODE))
    name = text(120, min_length=1)


RegionPage = page_schema("RegionPage", RegionSchema)


def _dump(region: Region, site_count: int | None = None) -> dict[str, Any]:
    """A region as the API shows it."""
    body = {"id": region.id, "code": region.code, "name": region.name, "version": region.version}
    if site_count is not None:
        body["site_count"] = site_count
    return body


def _region(region_id: int) -> Region:
    """The region, or a 404."""
    region = get_session().get(Region, region_id)
    if region is None:
        raise not_found("region")
    return region


@bp.route("")
class Regions(MethodView):
    """Every region."""

    @api_roles(*DISTRICT_READERS)
    @bp.arguments(PageArgsSchema, location="query", unknown="raise")
    @bp.response(200, RegionPage, headers=PAGE_HEADERS)
    @problems(bp, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> Any:
        """List regions by name, with their number of sites."""
        page = page_of(get_session(), regions_query(), args["page"], args["per_page"])
        return paged(page, lambda row: _dump(row[0], row[1]))

    @api_roles(*INVENTORY_EDITORS)
    @bp.arguments(RegionSchema)
    @bp.response(201, RegionSchema, headers=ETAG_HEADER)
    @problems(bp, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a region; its code and name must be unused."""
        region = save(lambda: create_region(get_session(), by=api_user(), **data))
        return _dump(region), etag_headers(region)


@bp.route("/<int:region_id>")
class RegionItem(MethodView):
    """One region."""

    @api_roles(*DISTRICT_READERS)
    @bp.response(200, RegionSchema, headers=ETAG_HEADER)
    @problems(bp, 401, 403, 404)
    def get(self, region_id: int) -> Any:
        """Read a region (its ETag is its version)."""
        region = _region(region_id)
        return _dump(region), etag_headers(region)

    @api_roles(*INVENTORY_EDITORS)
    @bp.arguments(RegionChangeSchema)
    @bp.response(200, RegionSchema, headers=ETAG_HEADER)
    @bp.doc(parameters=[IF_MATCH])
    @problems(bp, 401, 403, 404, 409, 412, 422, 428)
    def patch(self, data: dict[str, Any], region_id: int) -> Any:
        """Rename or recode a region (If-Match: its ETag)."""
        region = _region(region_id)
        version = require_if_match(region)
        save(
            lambda: update_region(
                get_session(), region, by=api_user(), expected_version=version, **data
            ),
            region,
        )
        return _dump(region), etag_headers(region)

    @api_roles(*INVENTORY_EDITORS)
    @bp.response(204)
    @bp.doc(parameters=[IF_MATCH])
    @problems(bp, 401, 403, 404, 412, 422, 428)
    def delete(self, region_id: int) -> None:
        """Remove a region that has no sites left, as the regions page does (a region with
        sites is refused: move them first). The change log keeps its history."""
        region = _region(region_id)
        require_if_match(region)
        save(lambda: retire_region(get_session(), region, by=api_user()), region)
