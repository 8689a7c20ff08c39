"""/api/v1/systems, /manufacturers, /models: the catalogue. District readers read it;
inventory editors change it; retiring stops offering an entry for new use (as the pages do)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import Select

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
from app.api.schemas import CODE, PageArgsSchema, object_id, page_schema, query_id, text, whole
from app.db import get_session
from app.security import DISTRICT_READERS, INVENTORY_EDITORS
from inventory.models import AssetModel, Manufacturer, System
from inventory.operations import catalog as ops
from inventory.operations.catalog import MAX_ITEM_COST_CENTS
from inventory.queries import catalog as queries
from inventory.queries.paging import page_of

systems_bp = blueprint("systems", "/systems", "Infrastructure systems of the catalogue.")
manufacturers_bp = blueprint("manufacturers", "/manufacturers", "Manufacturers of models.")
models_bp = blueprint("models", "/models", "Asset models: part numbers and their lifecycles.")
MODEL_FIELDS = {"manufacturer": "manufacturer_id", "system": "system_id"}


class SystemSchema(Schema):
    """An infrastructure system."""

    id = fields.Integer(dump_only=True)
    code = text(32, validate.Regexp(CODE), required=True)
    name = text(120, min_length=1, required=True)
    default_useful_life_years = whole(1, 50)
    is_active = fields.Boolean(dump_only=True)
    model_count = fields.Integer(dump_only=True)
    version = fields.Integer(dump_only=True)


class SystemChangeSchema(SystemSchema):
    """A system's changed fields."""

    code = text(32, validate.Regexp(CODE))
    name = text(120, min_length=1)


class ManufacturerSchema(Schema):
    """A manufacturer."""

    id = fields.Integer(dump_only=True)
    name = text(120, min_length=1, required=True)
    is_active = fields.Boolean(dump_only=True)
    model_count = fields.Integer(dump_only=True)
    version = fields.Integer(dump_only=True)


class ModelSchema(Schema):
    """An asset model."""

    id = fields.Integer(dump_only=True)
    manufacturer_id = object_id(required=True)
    manufacturer = fields.String(dump_only=True)
    part_number = text(120, min_length=1, required=True)
    name = text(200, allow_none=True, metadata={"description": "Default: the part number."})
    system_id = object_id(required=True)
    system = fields.String(dump_only=True)
    useful_life_years = whole(
        1, 50, allow_none=True, metadata={"description": "Default: the system's."}
    )
    end_of_sale_on = fields.Date(allow_none=True)
    end_of_support_on = fields.Date(allow_none=True)
    unit_cost_cents = whole(0, MAX_ITEM_COST_CENTS, allow_none=True)
    is_active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)


class ModelChangeSchema(ModelSchema):
    """A model's changed fields."""

    manufacturer_id = object_id()
    part_number = text(120, min_length=1)
    system_id = object_id()


class ModelFilterSchema(PageArgsSchema):
    """The model list's filters, as on the models page."""

    manufacturer_id = query_id("Models of this manufacturer.")
    system_id = query_id("Models of this system.")
    q = text(100, metadata={"description": "Part number, name or manufacturer contains this."})


SYSTEM_DUMPED = ("id", "code", "name", "default_useful_life_years", "is_active", "version")
MODEL_DUMPED = (
    "id", "manufacturer_id", "part_number", "name", "system_id", "useful_life_years",
    "end_of_sale_on", "end_of_support_on", "unit_cost_cents", "is_active", "version",
)  # fmt: skip


def _dump(names: tuple[str, ...]) -> Callable[..., dict[str, Any]]:
    """A function showing an object's fields (and a model count, in lists)."""

    def dump(obj: Any, model_count: int | None = None) -> dict[str, Any]:
        body = {name: getattr(obj, name) for name in names}
        if model_count is not None:
            body["model_count"] = model_count
        return body

    return dump


dump_system = _dump(SYSTEM_DUMPED)
dump_manufacturer = _dump(("id", "name", "is_active", "version"))


def dump_model(model: AssetModel) -> dict[str, Any]:
    """A model with its manufacturer's and system's names."""
    body = {name: getattr(model, name) for name in MODEL_DUMPED}
    body.update(manufacturer=model.manufacturer.name, system=model.system.name)
    return body


def _get(entity: type, object_id: int, noun: str) -> Any:
    """The catalogue entry, or a 404."""
    found = get_session().get(entity, object_id)
    if found is None:
        raise not_found(noun)
    return found


def _model_values(data: dict[str, Any]) -> dict[str, Any]:
    """The request's fields as the operation's: manufacturer and system looked up by id."""
    values = dict(data)
    for name, entity in (("manufacturer", Manufacturer), ("system", System)):
        if f"{name}_id" in values:
            key = values.pop(f"{name}_id")
            values[name] = get_session().get(entity, key)
            if values[name] is None:
                raise field_problem(f"{name}_id", f"There is no {name} {key}.")
    return values


def _listed(bp: Blueprint, item: type[Schema], query: Callable[[], Select], dump: Any) -> Any:
    """A district readers' list of every row of a small catalogue table, with model counts."""
    page_class = page_schema(f"{item.__name__.removesuffix('Schema')}Page", item)

    @api_roles(*DISTRICT_READERS)
    @bp.arguments(PageArgsSchema, location="query", unknown="raise")
    @bp.response(200, page_class, headers=PAGE_HEADERS)
    @problems(bp, 401, 403, 422)
    def get(self: Any, args: dict[str, Any]) -> Any:
        """List them by name, with their number of models."""
        page = page_of(get_session(), query(), args["page"], args["per_page"])
        return paged(page, lambda row: dump(row[0], row[1]))

    return get


def _item_views(bp: Blueprint, item: type[Schema], change: type[Schema], spec: dict) -> Any:
    """Read, change (PATCH) and retire (POST .../retire) views of one catalogue entry."""
    entity, noun, dump = spec["entity"], spec["noun"], spec["dump"]

    @api_roles(*DISTRICT_READERS)
    @bp.response(200, item, headers=ETAG_HEADER)
    @problems(bp, 401, 403, 404)
    def read(self: Any, object_id: int) -> Any:
        """Read one (its ETag is its version)."""
        obj = _get(entity, object_id, noun)
        return dump(obj), etag_headers(obj)

    @api_roles(*INVENTORY_EDITORS)
    @bp.arguments(change)
    @bp.response(200, item, headers=ETAG_HEADER)
    @bp.doc(parameters=[IF_MATCH])
    @problems(bp, 401, 403, 404, 409, 412, 422, 428)
    def patch(self: Any, data: dict[str, Any], object_id: int) -> Any:
        """Change some of its fields (If-Match: its ETag)."""
        obj = _get(entity, object_id, noun)
        version = require_if_match(obj)
        values = spec.get("values", dict)(data)
        update = spec["update"]
        save(
            lambda: update(get_session(), obj, by=api_user(), expected_version=version, **values),
            obj, spec.get("fields"),
        )  # fmt: skip
        return dump(obj), etag_headers(obj)

    @api_roles(*INVENTORY_EDITORS)
    @bp.response(200, item, headers=ETAG_HEADER)
    @bp.doc(parameters=[IF_MATCH])
    @problems(bp, 401, 403, 404, 412, 428)
    def retire(self: Any, object_id: int) -> Any:
        """Stop offering it for new use, as the catalogue page's Retire does; what already
        uses it keeps it (If-Match: its ETag)."""
        obj = _get(entity, object_id, noun)
        require_if_match(obj)
        save(lambda: spec["retire"](get_session(), obj, by=api_user()), obj)
        return dump(obj), etag_headers(obj)

    item_view = type(f"{entity.__name__}Item", (MethodView,), {"get": read, "patch": patch})
    retire_view = type(f"{entity.__name__}Retire", (MethodView,), {"post": retire})
    bp.route("/<int:object_id>")(item_view)
    bp.route("/<int:object_id>/retire")(retire_view)


@systems_bp.route("")
class Systems(MethodView):
    """Every system."""

    get = _listed(systems_bp, SystemSchema, queries.systems_query, dump_system)

    @api_roles(*INVENTORY_EDITORS)
    @systems_bp.arguments(SystemSchema)
    @systems_bp.response(201, SystemSchema, headers=ETAG_HEADER)
    @problems(systems_bp, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a system; its code and name must be unused."""
        system = save(lambda: ops.create_system(get_session(), by=api_user(), **data))
        return dump_system(system), etag_headers(system)


@manufacturers_bp.route("")
class Manufacturers(MethodView):
    """Every manufacturer."""

    get = _listed(
        manufacturers_bp, ManufacturerSchema, queries.manufacturers_query, dump_manufacturer
    )

    @api_roles(*INVENTORY_EDITORS)
    @manufacturers_bp.arguments(ManufacturerSchema)
    @manufacturers_bp.response(201, ManufacturerSchema, headers=ETAG_HEADER)
    @problems(manufacturers_bp, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a manufacturer; names are unique, ignoring case."""
        maker = save(lambda: ops.create_manufacturer(get_session(), by=api_user(), **data))
        return dump_manufacturer(maker), etag_headers(maker)


@models_bp.route("")
class Models(MethodView):
    """The catalogue's asset models."""

    @api_roles(*DISTRICT_READERS)
    @models_bp.arguments(ModelFilterSchema, location="query", unknown="raise")
    @models_bp.response(200, page_schema("ModelPage", ModelSchema), headers=PAGE_HEADERS)
    @problems(models_bp, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> Any:
        """List models by manufacturer and part number, filtered as on the models page."""
        filters = queries.ModelFilters(
            manufacturer_id=args.get("manufacturer_id"), system_id=args.get("system_id"),
            search=args.get("q", ""),
        )  # fmt: skip
        page = page_of(get_session(), queries.models_query(filters), args["page"], args["per_page"])
        return paged(page, lambda row: dump_model(row[0]))

    @api_roles(*INVENTORY_EDITORS)
    @models_bp.arguments(ModelSchema)
    @models_bp.response(201, ModelSchema, headers=ETAG_HEADER)
    @problems(models_bp, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a model; part numbers are unique per manufacturer."""
        values = _model_values(data)
        model = save(
            lambda: ops.create_model(get_session(), by=api_user(), **values), None, MODEL_FIELDS
        )
        return dump_model(model), etag_headers(model)


_item_views(systems_bp, SystemSchema, SystemChangeSchema, {
    "entity": System, "noun": "system", "dump": dump_system,
    "update": ops.update_system, "retire": ops.retire_system,
})  # fmt: skip
_item_views(manufacturers_bp, ManufacturerSchema, ManufacturerSchema, {
    "entity": Manufacturer, "noun": "manufacturer", "dump": dump_manufacturer,
    "update": ops.update_manufacturer, "retire": ops.retire_manufacturer,
})  # fmt: skip
_item_views(models_bp, ModelSchema, ModelChangeSchema, {
    "entity": AssetModel, "noun": "model", "dump": dump_model, "update": ops.update_model,
    "retire": ops.retire_model, "values": _model_values, "fields": MODEL_FIELDS,
})  # fmt: skip
