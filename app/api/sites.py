"""/api/v1/sites: list (the site page's filters and sorts), read, create, change, retire
(closed, as the page does). A site administrator's token sees only their own sites."""

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
    field_problem,
    not_found,
    paged,
    problems,
    require_if_match,
    save,
)
from app.api.schemas import (
    CODE,
    PageArgsSchema,
    choice,
    object_id,
    page_schema,
    query_id,
    text,
    whole,
)
from app.db import get_session
from app.security import EVERYONE, INVENTORY_EDITORS
from inventory.enums import SiteKind, SiteStatus
from inventory.models import Region, Site
from inventory.operations.sites import create_site, retire_site, update_site
from inventory.queries.paging import page_of
from inventory.queries.scope import visible_site
from inventory.queries.sites import SORTS, SiteFilters, sites_query

bp = blueprint("sites", "/sites", "Sites: schools, offices, data centres (scoped to the user).")
FIELD_NAMES = {"region": "region_id"}  # the operation's field names as the API calls them


class SiteSchema(Schema):
    """A site."""

    id = fields.Integer(dump_only=True)
    code = text(32, validate.Regexp(CODE), required=True)
    name = text(200, min_length=1, required=True)
    kind = choice(SiteKind, metadata={"description": "Default: other."})
    status = choice(SiteStatus, metadata={"description": "Default: active."})
    region_id = object_id(allow_none=True)
    region_name = fields.String(dump_only=True, allow_none=True)
    address = text(200, allow_none=True)
    city = text(100, allow_none=True)
    state = text(32, allow_none=True)
    postal_code = text(16, allow_none=True)
    phone = text(40, allow_none=True)
    enrollment = whole(0, 100_000, allow_none=True)
    administrator_name = text(120, allow_none=True)
    administrator_email = text(254, allow_none=True, metadata={"description": "An e-mail address."})
    latitude = fields.Float(allow_none=True, validate=validate.Range(min=-90, max=90))
    longitude = fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))
    notes = text(10_000, allow_none=True)
    version = fields.Integer(dump_only=True)


class SiteChangeSchema(SiteSchema):
    """A site's changed fields (any of them)."""

    code = text(32, validate.Regexp(CODE))
    name = text(200, min_length=1)


class SiteFilterSchema(PageArgsSchema):
    """The site list's filters, as on the sites page."""

    region_id = query_id("Sites of this region.")
    kind = choice(SiteKind)
    status = choice(SiteStatus)
    q = text(100, metadata={"description": "Code, name or city contains this."})
    sort = fields.String(load_default="code", validate=validate.OneOf(list(SORTS)))


SitePage = page_schema("SitePage", SiteSchema)
DUMPED = (
    "id", "code", "name", "region_id", "address", "city", "state", "postal_code", "phone",
    "enrollment", "administrator_name", "administrator_email", "latitude", "longitude", "notes",
    "version",
)  # fmt: skip


def dump_site(site: Site, region_name: str | None = None) -> dict[str, Any]:
    """A site as the API shows it."""
    body = {name: getattr(site, name) for name in DUMPED}
    body.update(kind=site.kind.value, status=site.status.value)
    body["region_name"] = region_name if region_name else (site.region and site.region.name)
    return body


def _site(site_id: int) -> Site:
    """The site, if the token's user may see it; otherwise a 404."""
    site = visible_site(get_session(), api_user(), site_id)
    if site is None:
        raise not_found("site")
    return site


def _values(data: dict[str, Any]) -> dict[str, Any]:
    """The request's fields as the operation's: the region looked up by id."""
    values = dict(data)
    if "region_id" in values:
        region_id = values.pop("region_id")
        region = get_session().get(Region, region_id) if region_id is not None else None
        if region_id is not None and region is None:
            raise field_problem("region_id", f"There is no region {region_id}.")
        values["region"] = region
    return values


@bp.route("")
class Sites(MethodView):
    """The sites the token's user sees."""

    @api_roles(*EVERYONE)
    @bp.arguments(SiteFilterSchema, location="query", unknown="raise")
    @bp.response(200, SitePage, headers=PAGE_HEADERS)
    @problems(bp, 401, 422)
    def get(self, args: dict[str, Any]) -> Any:
        """List sites, filtered and sorted as on the sites page."""
        filters = SiteFilters(
            region_id=args.get("region_id"), kind=args.get("kind") and SiteKind(args["kind"]),
            status=args.get("status") and SiteStatus(args["status"]),
            search=args.get("q", ""), sort=args["sort"],
        )  # fmt: skip
        query = sites_query(api_user(), filters)
        page = page_of(get_session(), query, args["page"], args["per_page"])
        return paged(page, lambda row: dump_site(row[0], row[1]))

    @api_roles(*INVENTORY_EDITORS)
    @bp.arguments(SiteSchema)
    @bp.response(201, SiteSchema, headers=ETAG_HEADER)
    @problems(bp, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a site; its code must be unused."""
        values = _values(data)
        site = save(lambda: create_site(get_session(), by=api_user(), **values), None, FIELD_NAMES)
        return dump_site(site), etag_headers(site)


@bp.route("/<int:site_id>")
class SiteItem(MethodView):
    """One site."""

    @api_roles(*EVERYONE)
    @bp.response(200, SiteSchema, headers=ETAG_HEADER)
    @problems(bp, 401, 404)
    def get(self, site_id: int) -> Any:
        """Read a site (its ETag is its version)."""
        site = _site(site_id)
        return dump_site(site), etag_headers(site)

    @api_roles(*INVENTORY_EDITORS)
    @bp.arguments(SiteChangeSchema)
    @bp.response(200, SiteSchema, headers=ETAG_HEADER)
    @bp.doc(parameters=[IF_MATCH])
    @problems(bp, 401, 403, 404, 409, 412, 422, 428)
    def patch(self, data: dict[str, Any], site_id: int) -> Any:
        """Change some of a site's fields (If-Match: its ETag)."""
        site = _site(site_id)
        version = require_if_match(site)
        values = _values(data)
        save(
            lambda: update_site(
                get_session(), site, by=api_user(), expected_version=version, **values
            ),
            site, FIELD_NAMES,
        )  # fmt: skip
        return dump_site(site), etag_headers(site)


@bp.route("/<int:site_id>/retire")
class SiteRetire(MethodView):
    """Closing a site."""

    @api_roles(*INVENTORY_EDITORS)
    @bp.response(200, SiteSchema, headers=ETAG_HEADER)
    @bp.doc(parameters=[IF_MATCH])
    @problems(bp, 401, 403, 404, 412, 428)
    def post(self, site_id: int) -> Any:
        """Mark a site closed, as the site page's Retire does; its assets and history stay
        (If-Match: its ETag)."""
        site = _site(site_id)
        require_if_match(site)
        save(lambda: retire_site(get_session(), site, by=api_user()), site)
        return dump_site(site), etag_headers(site)
