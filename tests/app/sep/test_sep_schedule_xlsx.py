"""The monthly schedule workbook (prepared by a background job, then downloaded), opened and
read cell by cell: typed dates and money, frozen headers, filters, a sheet per month and per
site, totals that match the plan, and user text that cannot run as a formula."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from openpyxl.styles.numbers import is_date_format

from app.sep.schedule_xlsx import unique_title
from inventory.enums import Role
from tests.app.sep.world import FORMULA, HOSTILE, prepared_download, sep_world


@pytest.fixture
def world(session, users):
    return sep_world(session, users)


@pytest.fixture
def workbook(app, client, login_as, world):
    login_as(Role.PMO)
    response = prepared_download(app, client, world.plan.id, "schedule_xlsx")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="schedule-fy2028-program-version-1.xlsx"'
    )
    return load_workbook(io.BytesIO(response.data))


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows()]


def test_a_sheet_per_month_and_per_site_each_frozen_and_filtered(workbook) -> None:
    names = workbook.sheetnames
    assert names[0] == "Summary"
    assert names[1:13] == [f"{m} 2027" for m in ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")] + [
        f"{m} 2028" for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
    ]
    site_sheets = names[13:]
    assert len(site_sheets) == 3 and any("Lincoln Elementary" in n for n in site_sheets)
    for name in names:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\"), name
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), name
        assert sheet.column_dimensions["A"].width >= 10, name
        assert all(cell.font.b for cell in sheet[1]), name


def test_dates_are_dates_and_money_is_dollars_in_a_currency_format(workbook) -> None:
    header, *rows = _rows(workbook["Jul 2027"])
    columns = [cell.value for cell in header]
    row = rows[0]
    starts, ends, cost = (row[columns.index(name)] for name in ("Starts", "Ends", "Cost"))
    assert isinstance(starts.value, dt.date) and is_date_format(starts.number_format)
    assert starts.value.date() == dt.date(2027, 7, 1)
    assert ends.value.date() == dt.date(2027, 8, 31) and is_date_format(ends.number_format)
    assert cost.value == 45_000 and cost.data_type == "n" and "$" in cost.number_format
    assert row[columns.index("Project manager")].value == "Test Planner"


def test_what_starts_and_what_is_under_way_each_month(workbook) -> None:
    august = [[cell.value for cell in row] for row in workbook["Aug 2027"].iter_rows(min_row=2)]
    assert [(row[0], row[5]) for row in august] == [
        ("Starts", "Wi-Fi refresh"),
        ("Under way", "Wi-Fi refresh"),
    ]
    assert [row[3] for row in august] == [HOSTILE, "Lincoln Elementary"]
    assert workbook["Oct 2027"].max_row == 1  # nothing under way: the header only


def test_summary_sums_to_the_plans_total_cost(workbook, world, session) -> None:
    header, *rows = _rows(workbook["Summary"])
    columns = [cell.value for cell in header]
    assert columns[-1] == "Total cost" and "Bond program" in columns
    *months, total = rows
    assert len(months) == 12 and total[0].value == "Total"
    first = months[0][0]
    assert isinstance(first.value, dt.datetime) and is_date_format(first.number_format)
    cents = round(100 * sum(row[-1].value for row in months))
    assert cents == world.plan.total_cost_cents == 8_734_566
    assert round(100 * total[-1].value) == cents
    bond = columns.index("Bond program")
    assert sum(row[bond].value for row in months) == 45_000
    assert all("$" in row[-1].number_format for row in rows)


def test_a_name_like_a_formula_stays_text(workbook) -> None:
    cells = [cell for row in workbook["Dec 2027"].iter_rows(min_row=2) for cell in row]
    [site] = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert site.value == "'" + FORMULA and site.data_type == "s"
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


def test_sheet_titles_are_cleaned_cut_and_unique() -> None:
    taken = {"summary"}
    assert unique_title("Summary", taken) == "Summary (2)"
    long = "S0001 A very long school name: North [campus] / annex?"
    first, second = unique_title(long, taken), unique_title(long, taken)
    assert first != second and len(first) <= 31 and len(second) <= 31
    assert not set(first + second) & set("[]:*?/\\")
    assert unique_title("'''", taken) == "Sheet"
