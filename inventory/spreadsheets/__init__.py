"""Database-free spreadsheet layer: read .csv/.xlsx safely, map columns, parse values, export."""

from inventory.spreadsheets.conversion import parse_field
from inventory.spreadsheets.errors import SpreadsheetError
from inventory.spreadsheets.escaping import neutralise_formula_text, restore_formula_text
from inventory.spreadsheets.fields import KIND_SPECS, KINDS, FieldSpec, KindSpec, kind_spec
from inventory.spreadsheets.mapping import (
    Mapping,
    ParsedRow,
    RowParser,
    suggest_mapping,
    unknown_columns,
)
from inventory.spreadsheets.reading import open_table, read_table
from inventory.spreadsheets.stream import RowStream
from inventory.spreadsheets.table import DEFAULT_LIMITS, ReadLimits, Row, Table, column_letter
from inventory.spreadsheets.writing import write_csv, write_xlsx

__all__ = [
    "DEFAULT_LIMITS",
    "KINDS",
    "KIND_SPECS",
    "FieldSpec",
    "KindSpec",
    "Mapping",
    "ParsedRow",
    "ReadLimits",
    "Row",
    "RowParser",
    "RowStream",
    "SpreadsheetError",
    "Table",
    "column_letter",
    "kind_spec",
    "neutralise_formula_text",
    "open_table",
    "parse_field",
    "read_table",
    "restore_formula_text",
    "suggest_mapping",
    "unknown_columns",
    "write_csv",
    "write_xlsx",
]
