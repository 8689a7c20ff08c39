"""Lifecycle: assets reaching end of life per fiscal year, by system and site; chart; export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Blueprint, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import get_session
from app.lifecycle.chart import NARROW, WIDE, lifecycle_chart
from app.pages import export_response, int_arg
from app.security import EVERYONE, role_required
from inventory.lifecycle import LifecycleReport, lifecycle_report
from inventory.queries.assets import system_options
from inventory.queries.sites import region_options

bp = Blueprint("lifecycle", __name__, url_prefix="/lifecycle")
SITES_SHOWN = 50


def _report() -> LifecycleReport:
    """The report for the filters in the query string, for the user's sites."""
    return lifecycle_report(
        get_session(), current_user, today=dt.date.today(),
        region_id=int_arg("region_id"), system_id=int_arg("system_id"),
    )  # fmt: skip


@bp.route("/")
@role_required(*EVERYONE)
def index() -> str:
    """The table and the chart (drawn twice: for wide screens and for phones)."""
    session = get_session()
    report = _report()
    args = {key: request.args[key] for key in ("region_id", "system_id") if request.args.get(key)}
    charts = {"wide": lifecycle_chart(report, WIDE), "narrow": lifecycle_chart(report, NARROW)}
    return render_template(
        "lifecycle/index.html", report=report, charts=charts, args=args,
        regions=region_options(session, current_user),
        systems=system_options(session, current_user),
        sites_shown=SITES_SHOWN,
    )  # fmt: skip


def _export_rows(report: LifecycleReport) -> list[list[object]]:
    """One row per system then per site: count and cost (dollars) per period."""
    rows: list[list[object]] = []
    for group, entries in (("system", report.by_system), ("site", report.by_site)):
        for entry in entries:
            row: list[object] = [group, entry.label]
            for cell in [*entry.cells, entry.total]:
                row += [cell.count, Decimal(cell.cost_cents) / 100]
            rows.append(row)
    return rows


@bp.route("/export")
@role_required(*EVERYONE)
def export() -> Response:
    """The report as a spreadsheet: every system and every site."""
    report = _report()
    headers = ["group", "name"]
    for label in [*report.period_labels, "Total"]:
        headers += [f"{label} count", f"{label} cost ($)"]
    return export_response(headers, _export_rows(report), "lifecycle")
