"""Turn one mapped spreadsheet row into typed field values, collecting per-column errors."""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from typing import Any

from inventory.spreadsheets import MappedRow, Mapping, Table, parse_field
from inventory.spreadsheets.fields import kind_spec
from inventory.spreadsheets.table import column_letter


@dataclass
class ParsedRow:
    """A row's parsed values by field name, and the errors of the cells that did not parse."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field name, reason)


def parse_row(kind: str, row: MappedRow, defaults: MappingABC[str, Any]) -> ParsedRow:
    """Parse every mapped cell; a blank cell takes the field's default when one is given."""
    parsed = ParsedRow(number=row.number)
    for name, raw in row.raw.items():
        try:
            parsed.values[name] = parse_field(kind, name, raw)
        except ValueError as error:
            parsed.errors.append((name, str(error)))
    for name, default in defaults.items():
        if parsed.values.get(name) is None and name not in dict(parsed.errors):
            try:
                parsed.values[name] = parse_field(kind, name, default)
            except ValueError as error:
                parsed.errors.append((name, f"the default value: {error}"))
    return parsed


def check_defaults(kind: str, defaults: MappingABC[str, Any]) -> list[str]:
    """Problems with the default values given for a whole file (unknown fields, bad values)."""
    spec = kind_spec(kind)
    known = {f.name for f in spec.fields}
    problems = []
    for name, value in defaults.items():
        if name not in known:
            problems.append(f'"{name}" is not a field of {kind}; it cannot have a default.')
            continue
        try:
            parse_field(kind, name, value)
        except ValueError as error:
            problems.append(f"The default {spec.field(name).label}: {error}")
    return problems


class ColumnNamer:
    """Finds the column a field came from, so an error can name what the user sees."""

    def __init__(self, table: Table, mapping: Mapping, sources: MappingABC[str, str]) -> None:
        self.table = table
        self.mapping = mapping
        self.sources = sources  # derived or resolved field -> field whose column feeds it

    def column(self, field_name: str | None) -> tuple[str | None, str | None]:
        """The header and column letter feeding a field, or (None, None)."""
        if field_name is None:
            return None, None
        header = self.mapping.header_for(field_name)
        if header is None and field_name in self.sources:
            header = self.mapping.header_for(self.sources[field_name])
        if header is None or header not in self.table.headers:
            return None, None
        return header, column_letter(self.table.headers.index(header) + 1)
