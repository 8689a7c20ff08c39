"""`flask export sites|models|assets FILE`: the whole inventory as .xlsx or .csv (by extension),
with the import's column names, so the file re-imports unchanged."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.db import get_session
from inventory.queries import assets, catalog, sites
from inventory.spreadsheets import write_csv, write_xlsx

export_cli = AppGroup("export", help="Export the inventory to .xlsx or .csv.")


def _write(path: Path, headers: tuple[str, ...], rows: list[tuple], name: str) -> None:
    """Write the rows in the format the file name asks for."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        click.echo(f"Error: {path.name} must end in .xlsx or .csv.", err=True)
        sys.exit(1)
    body = (
        write_csv(headers, rows)
        if suffix == ".csv"
        else write_xlsx(headers, rows, sheet_title=name)
    )
    path.write_bytes(body)
    click.echo(f"Exported {len(rows):,} {name} to {path}.")


@export_cli.command("sites")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_sites(file: Path) -> None:
    """Every site."""
    rows = list(sites.site_export_rows(get_session(), None, sites.SiteFilters()))
    _write(file, sites.EXPORT_HEADERS, rows, "sites")


@export_cli.command("models")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_models(file: Path) -> None:
    """Every asset model."""
    rows = list(catalog.model_export_rows(get_session(), catalog.ModelFilters()))
    _write(file, catalog.EXPORT_HEADERS, rows, "models")


@export_cli.command("assets")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_assets(file: Path) -> None:
    """Every asset."""
    rows = list(assets.asset_export_rows(get_session(), None, assets.AssetFilters()))
    _write(file, assets.EXPORT_HEADERS, rows, "assets")
