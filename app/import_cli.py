"""`flask import sites|models|assets FILE`: import a spreadsheet through the same pipeline as the
web app, print the report, and exit 1 (without a traceback) when the file or a row is invalid."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.db import get_session
from inventory.errors import DomainError
from inventory.imports import ImportOptions, ImportReport, ImportRequest, run_import
from inventory.models import User
from inventory.operations.users import require_user
from inventory.spreadsheets import DEFAULT_LIMITS, KINDS


def _defaults(pairs: tuple[str, ...]) -> dict[str, str]:
    """FIELD=VALUE options as a dict; a malformed one is a usage error."""
    defaults = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r} is not FIELD=VALUE", param_hint="--default")
        defaults[name.strip()] = value.strip()
    return defaults


def _read(path: Path) -> bytes:
    """The file's bytes, refusing an oversized file before reading it."""
    size = path.stat().st_size
    if size > DEFAULT_LIMITS.max_bytes:
        _finish(
            None,
            f"The file is {size / 1e6:,.1f} MB; the limit is "
            f"{DEFAULT_LIMITS.max_bytes / 1e6:,.0f} MB. Split it into smaller files.",
        )
    return path.read_bytes()


def _finish(report: ImportReport | None, message: str | None = None) -> None:
    """Print the report; exit 1 when nothing could be imported as asked."""
    if report is None:
        click.echo(f"Error: {message}", err=True)
        sys.exit(1)
    failed = bool(report.file_errors) or (report.invalid and not report.valid_only)
    for line in report.lines(max_errors=1000):
        click.echo(line, err=failed)
    if failed:
        sys.exit(1)


@click.command("import")
@with_appcontext
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_name", help="Use the saved column mapping of this name.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if others fail.")
@click.option(
    "--default",
    "defaults",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Value for a field the file leaves blank (e.g. system=lan); repeatable.",
)
@click.option("--sheet", help="The workbook's sheet to read (default: the first visible one).")
@click.option("--user", "username", help="Record the changes as this user (default: system).")
def import_command(
    kind: str,
    file: Path,
    mapping_name: str | None,
    dry_run: bool,
    valid_only: bool,
    defaults: tuple[str, ...],
    sheet: str | None,
    username: str | None,
) -> None:
    """Import sites, asset models or assets from an .xlsx or .csv FILE."""
    session = get_session()
    by: User | None = None
    if username:
        try:
            by = require_user(session, username)
        except DomainError as error:
            _finish(None, error.message)
    options = ImportOptions(dry_run=dry_run, valid_only=valid_only, defaults=_defaults(defaults))
    request = ImportRequest(
        kind, _read(file), file.name, mapping_name=mapping_name, options=options, sheet=sheet
    )
    report = run_import(session, request, by=by)
    if report.written:
        session.commit()
    else:
        session.rollback()
    _finish(report)
