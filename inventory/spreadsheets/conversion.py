"""Parse a mapped cell into the Python value its field needs (None for a blank cell)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from inventory.spreadsheets import normalisers, values
from inventory.spreadsheets.fields import kind_spec

_PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": values.parse_text,
    "identifier": values.parse_identifier,
    "int": values.parse_int,
    "money": values.parse_money_cents,
    "date": values.parse_date,
    "decimal": values.parse_decimal,
    "postal_code": normalisers.normalise_postal_code,
    "site_kind": normalisers.normalise_site_kind,
    "site_status": normalisers.normalise_site_status,
    "system": normalisers.normalise_system,
    "asset_status": normalisers.normalise_asset_status,
}


def parse_field(kind: str, field_name: str, value: Any) -> Any:
    """Parse one cell for a field of an import kind; blanks and sentinels become None.

    Raises ValueError with a reason to show next to the row and column.
    """
    spec = kind_spec(kind).field(field_name)
    return values.parse_optional(value, _PARSERS[spec.value_type])


def field_parser(kind: str, field_name: str) -> Callable[[Any], Any]:
    """`parse_field` for one field, looked up once (an import parses every row with it)."""
    spec = kind_spec(kind).field(field_name)
    return partial(values.parse_optional, parse=_PARSERS[spec.value_type])
