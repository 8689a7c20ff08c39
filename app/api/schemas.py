"""The schemas every resource shares: problem details, pages, and text the database can keep."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from app.db import MAX_ID

MAX_PER_PAGE = 500
DEFAULT_PER_PAGE = 50
MAX_PAGE = 1_000_000
CODE = r"^[A-Za-z0-9][A-Za-z0-9._/-]*$"  # as inventory.operations.fields checks codes


class Text(fields.String):
    """Text a database can store: no NUL character (PostgreSQL refuses it) and no lone
    surrogate (not UTF-8); a JSON escape can carry both."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("Text cannot contain a NUL character.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("Text must be valid Unicode.") from None
        return text


NO_NUL = r"^[^\x00]*$"  # documents Text's rule in the OpenAPI document


def text(max_length: int, *checks: Any, min_length: int = 0, **kwargs: Any) -> Text:
    """A text field of at most `max_length` characters (and at least `min_length`); without
    a pattern of its own, its pattern says that it has no NUL character."""
    length = validate.Length(min=min_length or None, max=max_length)
    if not any(isinstance(check, validate.Regexp) for check in checks):
        checks = (*checks, validate.Regexp(NO_NUL))
    return Text(validate=[length, *checks], **kwargs)


class Whole(fields.Integer):
    """A whole number as JSON has them: 42 or 42.0, never 42.5, "42" or true."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("Not a whole number.")
        return super()._deserialize(value, attr, data, **kwargs)


def whole(low: int, high: int, **kwargs: Any) -> Whole:
    """A whole number from `low` to `high`."""
    return Whole(validate=validate.Range(min=low, max=high), **kwargs)


def object_id(**kwargs: Any) -> Whole:
    """An id: a whole number a database id column can hold."""
    return whole(1, MAX_ID, **kwargs)


def query_id(description: str) -> fields.Integer:
    """An id filter in the query string."""
    return fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID), metadata={"description": description}
    )


def choice(values: Any, **kwargs: Any) -> fields.String:
    """One of an enum's values."""
    return fields.String(validate=validate.OneOf([member.value for member in values]), **kwargs)


class ProblemSchema(Schema):
    """RFC 9457 problem details: what went wrong, and for invalid input, each field's
    messages."""

    type = fields.String(metadata={"description": "Always about:blank."})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Invalid input: the messages of each field, by its name."},
    )
    current_version = fields.Integer(
        metadata={"description": "412: the object's version now (its ETag is its version)."}
    )


class PageArgsSchema(Schema):
    """Which page of a list: `page` from 1, `per_page` up to 500."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(
        load_default=DEFAULT_PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE)
    )


class PaginationSchema(Schema):
    """Where a page sits in its list."""

    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(
        required=True, metadata={"description": "How many items the whole list holds."}
    )
    total_is_capped = fields.Boolean(
        required=True,
        metadata={"description": "True when a search stops counting at `total` (more match)."},
    )
    has_next = fields.Boolean(required=True)
    has_previous = fields.Boolean(required=True)


def page_schema(name: str, item: type[Schema]) -> type[Schema]:
    """A page of `item`s with its pagination, as a named schema."""
    return Schema.from_dict(
        {"items": fields.List(fields.Nested(item), required=True),
         "pagination": fields.Nested(PaginationSchema, required=True)},
        name=name,
    )  # fmt: skip
