"""The checks of a whole file's values for blank cells, and the columns errors are named by."""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from typing import Any

from inventory.spreadsheets import Mapping, parse_field
from inventory.spreadsheets.fields import kind_spec
from inventory.spreadsheets.table import column_letter


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

    def __init__(self, headers: list[str], mapping: Mapping, sources: MappingABC[str, str]) -> None:
        self.positions = {header: index for index, header in enumerate(headers)}
        self.mapping = mapping
        self.sources = sources  # derived or resolved field -> field whose column feeds it

    def column(self, field_name: str | None) -> tuple[str | None, str | None]:
        """The header and column letter feeding a field, or (None, None)."""
        if field_name is None:
            return None, None
        header = self.mapping.header_for(field_name)
        if header is None and field_name in self.sources:
            header = self.mapping.header_for(self.sources[field_name])
        if header is None or header not in self.positions:
            return None, None
        return header, column_letter(self.positions[header] + 1)
