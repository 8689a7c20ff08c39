"""The monthly schedule of a published plan as an .xlsx workbook: a Summary sheet (budget by
month and by funding source), one sheet per month (what starts and what is under way) and one
per site.

Written in openpyxl's write-only mode (rows streamed, so a 10,000-project plan stays fast);
every sheet has a bold frozen header row, an auto-filter and set column widths; dates are date
cells, money is dollars in a currency format, and every text cell is neutralised against
formula injection. An optional `progress(done, total, message)` hears of each sheet written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from inventory.models import Plan
from inventory.queries.published import PublishedProject
from inventory.queries.sep_document import (
    NO_FUNDING,
    MonthLine,
    SiteScope,
    month_lines,
    sites_of,
)
from inventory.spreadsheets.writing import xlsx_value

MONEY_FORMAT = '"$"#,##0.00'
DATE_FORMAT = "mmm d, yyyy"
MONTH_FORMAT = "mmm yyyy"
MAX_TITLE = 31
PROJECT_HEADERS = (
    ("Work this month", 16), ("Region", 18), ("Site code", 11), ("Site", 30), ("System", 18),
    ("Upgrade", 30), ("Trades", 24), ("Starts", 14), ("Ends", 14), ("Cost", 14),
    ("Funding", 20), ("Project manager", 22),
)  # fmt: skip
SITE_HEADERS = (
    ("Upgrade", 30), ("System", 18), ("What it involves", 50), ("Trades", 24), ("Starts", 14),
    ("Ends", 14), ("Months", 8), ("Cost", 14), ("Funding", 20), ("Project manager", 22),
    ("Manager's email", 26),
)  # fmt: skip


Progress = Callable[[int, int, str], None]  # done, total, what is being done now


def no_progress(done: int, total: int, message: str) -> None:
    """Progress nobody watches (the command line, the benchmarks)."""


class Money(Decimal):
    """Dollars, written with the currency format."""


class MonthStart(dt.date):
    """The first day of a month, written as 'Jul 2027'."""


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    """A typed cell: neutralised text, a date or money with its number format."""
    if isinstance(value, MonthStart):
        value = dt.date(value.year, value.month, value.day)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONTH_FORMAT
    elif isinstance(value, Money):
        cell = WriteOnlyCell(sheet, value=Decimal(value))
        cell.number_format = MONEY_FORMAT
    else:
        cell = WriteOnlyCell(sheet, value=xlsx_value(value))
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def dollars(cents: int) -> Money:
    """Cents as dollars, exactly."""
    return Money(Decimal(cents) / 100)


def _table(workbook: Workbook, title: str, headers: Sequence[tuple[str, int]],
           rows: Iterable[Sequence[Any]], footer: Sequence[Any] | None = None) -> None:  # fmt: skip
    """A sheet: the bold header frozen, the rows, an auto-filter over them, set widths, and an
    optional bold total line under the filtered range."""
    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    for index, (_name, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_cell(sheet, name, bold=True) for name, _width in headers])
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    last = get_column_letter(len(headers))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    if footer is not None:
        sheet.append([_cell(sheet, value, bold=True) for value in footer])


def _summary(workbook: Workbook, months: list[MonthLine], projects: list[PublishedProject]) -> None:
    """Budget by month, split by funding source, with a total line."""
    sources = sorted({project.funding_name or NO_FUNDING for project in projects})
    by_month: dict[tuple[int, str], int] = {}
    for project in projects:
        key = (project.start_month, project.funding_name or NO_FUNDING)
        by_month[key] = by_month.get(key, 0) + project.cost_cents
    headers = [("Month", 12), ("Projects starting", 18), ("Projects under way", 19),
               ("Sites with work", 16)]  # fmt: skip
    headers += [(f"{source}", max(14, min(len(source) + 4, 40))) for source in sources]
    headers.append(("Total cost", 16))
    rows = [
        [MonthStart(line.starts_on.year, line.starts_on.month, 1), line.starting,
         line.under_way, len(line.sites_busy)]
        + [dollars(by_month.get((line.month, source), 0)) for source in sources]
        + [dollars(line.cost_cents)]
        for line in months
    ]  # fmt: skip
    totals = {source: 0 for source in sources}
    for (_month, source), cents in by_month.items():
        totals[source] += cents
    footer = ["Total", len(projects), None, None]
    footer += [dollars(totals[source]) for source in sources]
    footer.append(dollars(sum(project.cost_cents for project in projects)))
    _table(workbook, "Summary", headers, rows, footer)


def _project_row(project: PublishedProject, starting: bool) -> list[Any]:
    """A project as a line of a month's sheet."""
    return [
        "Starts" if starting else "Under way", project.region_name or "", project.site_code,
        project.site_name, project.system_name, project.upgrade_name, ", ".join(project.trades),
        project.starts_on, project.ends_on, dollars(project.cost_cents),
        project.funding_name or "", project.manager_name or "Not yet assigned",
    ]  # fmt: skip


def _month_sheets(workbook: Workbook, months: list[MonthLine], projects: list[PublishedProject],
                  titles: set[str], sheet_done: Callable[[], None]) -> None:  # fmt: skip
    """One sheet per month: what starts, then what is under way from earlier months."""
    starting: dict[int, list[PublishedProject]] = {line.month: [] for line in months}
    running: dict[int, list[PublishedProject]] = {line.month: [] for line in months}
    for project in projects:
        starting[project.start_month].append(project)
        for month in range(project.start_month + 1, project.end_month + 1):
            running[month].append(project)
    for line in months:
        rows = [_project_row(p, True) for p in starting[line.month]]
        rows += [_project_row(p, False) for p in running[line.month]]
        _table(workbook, unique_title(line.label, titles), PROJECT_HEADERS, rows)
        sheet_done()


def _site_sheets(workbook: Workbook, sites: list[SiteScope], titles: set[str],
                 sheet_done: Callable[[], None]) -> None:  # fmt: skip
    """One sheet per site: its projects by start month."""
    for site in sites:
        rows = [
            [p.upgrade_name, p.system_name, p.upgrade_description or p.scope or "",
             ", ".join(p.trades), p.starts_on, p.ends_on, p.duration_months,
             dollars(p.cost_cents), p.funding_name or "", p.manager_name or "Not yet assigned",
             p.manager_email or ""]
            for p in site.projects
        ]  # fmt: skip
        title = unique_title(f"{site.code} {site.name}", titles)
        _table(workbook, title, SITE_HEADERS, rows)
        sheet_done()


def unique_title(wanted: str, taken: set[str]) -> str:
    """A sheet title Excel accepts: none of []:*?/\\, no leading or trailing quote, at most 31
    characters, and unlike every title already taken (ignoring case)."""
    cleaned = " ".join(re.sub(r"[\[\]:*?/\\\x00-\x1f]", " ", wanted).split()).strip("'")
    cleaned = cleaned[:MAX_TITLE].strip().strip("'") or "Sheet"
    title, number = cleaned, 1
    while title.lower() in taken:
        number += 1
        suffix = f" ({number})"
        title = cleaned[: MAX_TITLE - len(suffix)].rstrip().rstrip("'") + suffix
    taken.add(title.lower())
    return title


def schedule_xlsx(
    plan: Plan, projects: list[PublishedProject], progress: Progress = no_progress
) -> bytes:
    """The monthly schedule workbook of a plan's projects (published.published_projects),
    reporting each sheet written, then the saving, to `progress`."""
    workbook = Workbook(write_only=True)
    months = month_lines(plan, projects)
    sites = sites_of(projects)
    sheets = 1 + len(months) + len(sites)  # the summary, a sheet per month and per site
    written = [0]

    def sheet_done() -> None:
        written[0] += 1
        progress(written[0], sheets + 1, f"Writing the sheets: {written[0]:,} of {sheets:,}")

    titles = {"summary", "history"}  # "History" is reserved by Excel
    progress(0, sheets + 1, f"Writing the sheets: 0 of {sheets:,}")
    _summary(workbook, months, projects)
    sheet_done()
    _month_sheets(workbook, months, projects, titles, sheet_done)
    _site_sheets(workbook, sites, titles, sheet_done)
    progress(sheets, sheets + 1, "Saving the workbook")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
