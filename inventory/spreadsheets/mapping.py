"""Column mapping: which file header feeds which import field, suggested, saved and applied.

A mapping serialises to a JSON-able dict, so it can be saved by name and reused::

    {"version": 1, "kind": "assets",
     "columns": {"Asset Tag": "tag", "Serial": "serial", "Checked Out To": null},
     "defaults": {"status": "in_service"}}

``columns`` lists every header of the file in order; ``null`` means "not imported".
``defaults`` (optional) gives a field's value for the whole file where its cell is blank or no
column feeds it, e.g. the system of a vendor's catalogue that has no system column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from inventory.spreadsheets.conversion import field_parser, parse_field
from inventory.spreadsheets.fields import candidate_keys, header_key, kind_spec
from inventory.spreadsheets.table import Row, Table

MAPPING_FORMAT_VERSION = 1


@dataclass
class Mapping:
    """Header → field name (or None) for one import kind, in the file's column order."""

    kind: str
    columns: dict[str, str | None] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        spec = kind_spec(self.kind)
        known = {f.name for f in spec.fields}
        for name in self.defaults:
            if name not in known:
                raise ValueError(
                    f'"{name}" is not a field of {self.kind}; it cannot have a default'
                )
        seen: dict[str, str] = {}
        for header, target in self.columns.items():
            if target is None:
                continue
            if target not in known:
                raise ValueError(f'"{target}" is not a field of {self.kind}')
            if target in seen:
                raise ValueError(
                    f'Both "{seen[target]}" and "{header}" are mapped to {target}; '
                    "choose one column."
                )
            seen[target] = header

    def field_for(self, header: str) -> str | None:
        """The field a header feeds, or None."""
        return self.columns.get(header)

    def header_for(self, field_name: str) -> str | None:
        """The header that feeds a field, or None when no column does."""
        for header, target in self.columns.items():
            if target == field_name:
                return header
        return None

    @property
    def mapped_fields(self) -> list[str]:
        """Fields fed by some column, in column order."""
        return [target for target in self.columns.values() if target is not None]

    def unknown_columns(self) -> list[str]:
        """Headers that feed no field (they will be ignored), in column order."""
        return [header for header, target in self.columns.items() if target is None]

    def missing_required(self) -> list[tuple[str, ...]]:
        """Required field groups with neither a mapped column nor a default value;
        ("tag", "serial") means either will do."""
        mapped = set(self.mapped_fields) | {k for k, v in self.defaults.items() if v.strip()}
        groups = kind_spec(self.kind).required_groups
        return [group for group in groups if not mapped.intersection(group)]

    def problems(self) -> list[str]:
        """Sentences describing the missing required columns, for the preview page."""
        spec = kind_spec(self.kind)
        messages = []
        for group in self.missing_required():
            labels = " or ".join(f'"{spec.field(name).label}"' for name in group)
            messages.append(f"No column is mapped to {labels}, which is required.")
        return messages

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form of the mapping, for saving by name."""
        return {
            "version": MAPPING_FORMAT_VERSION,
            "kind": self.kind,
            "columns": dict(self.columns),
            "defaults": dict(self.defaults),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mapping:
        """Rebuild a mapping saved with to_dict; raise ValueError when it is malformed."""
        if not isinstance(data, dict) or data.get("version") != MAPPING_FORMAT_VERSION:
            raise ValueError("The saved mapping is not in a format this version understands.")
        columns = data.get("columns")
        if not isinstance(columns, dict) or not all(
            isinstance(h, str) and (t is None or isinstance(t, str)) for h, t in columns.items()
        ):
            raise ValueError("The saved mapping's columns are malformed.")
        defaults = data.get("defaults") or {}
        if not isinstance(defaults, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in defaults.items()
        ):
            raise ValueError("The saved mapping's default values are malformed.")
        return cls(kind=str(data.get("kind")), columns=dict(columns), defaults=dict(defaults))


def suggest_mapping(kind: str, headers: Iterable[str], *, saved: Mapping | None = None) -> Mapping:
    """Guess which header feeds which field; a saved mapping's choices win where headers match."""
    spec = kind_spec(kind)
    headers = list(headers)
    columns: dict[str, str | None] = dict.fromkeys(headers)
    taken: set[str] = set()
    if saved is not None:
        _apply_saved(saved, headers, columns, taken)
    for field_spec in spec.fields:
        if field_spec.name in taken:
            continue
        header = _best_header(candidate_keys(field_spec), headers, columns, saved)
        if header is not None:
            columns[header] = field_spec.name
            taken.add(field_spec.name)
    return Mapping(kind=kind, columns=columns, defaults=dict(saved.defaults) if saved else {})


def _apply_saved(
    saved: Mapping, headers: list[str], columns: dict[str, str | None], taken: set[str]
) -> None:
    """Copy a saved mapping's choices (including "ignore this column") onto matching headers."""
    saved_by_key = {header_key(h): target for h, target in saved.columns.items()}
    for header in headers:
        key = header_key(header)
        if key in saved_by_key and saved_by_key[key] not in taken:
            columns[header] = saved_by_key[key]
            if saved_by_key[key] is not None:
                taken.add(saved_by_key[key])


def _best_header(
    keys: list[str],
    headers: list[str],
    columns: dict[str, str | None],
    saved: Mapping | None,
) -> str | None:
    """The first free header matching the best-ranked synonym."""
    decided = {header_key(h) for h in saved.columns} if saved is not None else set()
    free = [h for h in headers if columns[h] is None and header_key(h) not in decided]
    for key in keys:
        for header in free:
            if header_key(header) == key:
                return header
    return None


def unknown_columns(table: Table, mapping: Mapping) -> list[str]:
    """The table's headers that the mapping does not import."""
    return [header for header in table.headers if mapping.field_for(header) is None]


@dataclass
class ParsedRow:
    """A row's parsed values by field name, and the errors of the cells that did not parse."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field name, reason)


class RowParser:
    """Parses a file's rows through a mapping: each mapped cell by its field's parser; a blank
    cell takes the field's value for the whole file when one is given."""

    def __init__(
        self, mapping: Mapping, headers: list[str], defaults: dict[str, Any] | None = None
    ) -> None:
        missing = [h for h, target in mapping.columns.items() if target and h not in headers]
        if missing:
            names = ", ".join(f'"{header}"' for header in missing)
            raise ValueError(f"The mapping uses columns this file does not have: {names}.")
        kind = mapping.kind
        self.cells = [
            (header, name, field_parser(kind, name))
            for header, name in mapping.columns.items()
            if name is not None
        ]
        self.defaults: list[tuple[str, Any, str | None]] = []  # (field, value, problem)
        for name, default in (mapping.defaults if defaults is None else defaults).items():
            try:
                self.defaults.append((name, parse_field(kind, name, default), None))
            except ValueError as error:
                self.defaults.append((name, None, f"the default value: {error}"))

    def parse(self, row: Row) -> ParsedRow:
        """The row's typed values and the reasons of the cells that did not parse."""
        parsed = ParsedRow(number=row.number)
        values, raw = parsed.values, row.raw
        for header, name, parse in self.cells:
            try:
                values[name] = parse(raw[header])
            except ValueError as error:
                parsed.errors.append((name, str(error)))
        for name, default, problem in self.defaults:
            if values.get(name) is None and all(name != failed for failed, _ in parsed.errors):
                if problem is None:
                    values[name] = default
                else:
                    parsed.errors.append((name, problem))
        return parsed
