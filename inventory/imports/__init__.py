"""Spreadsheet imports of sites, asset models and assets through the domain operations.

No Flask here: the web app, the command line and background jobs all call `run_import`.
"""

from inventory.imports.files import ImportRequest, run_import
from inventory.imports.mappings import (
    delete_mapping,
    load_mapping,
    mapping_names,
    resolve_mapping,
    save_mapping,
)
from inventory.imports.pipeline import IMPORTERS, ImportOptions, import_table
from inventory.imports.report import ImportReport, RowError

__all__ = [
    "IMPORTERS",
    "ImportOptions",
    "ImportReport",
    "ImportRequest",
    "RowError",
    "delete_mapping",
    "import_table",
    "load_mapping",
    "mapping_names",
    "resolve_mapping",
    "run_import",
    "save_mapping",
]
