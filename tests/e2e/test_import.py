"""A staff member imports assets in a real browser: errors by row, fixing the mapping, importing
the valid rows, then finding, editing and tracing an imported asset; site scope holds by URL."""

from __future__ import annotations

import openpyxl
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from inventory.enums import JobStatus, Role
from inventory.imports import ImportRequest, run_import
from inventory.models import Asset, AssetModel, Job
from inventory.operations.catalog import create_model, ensure_standard_systems
from inventory.operations.jobs import enqueue_job
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, make_site, make_user
from tests.inventory.imports.conftest import csv_bytes

pytestmark = pytest.mark.e2e

ROWS = [
    ["Asset Tag", "Serial", "Model", "Site", "Room", "Installed", "Warranty"],
    ["E2E-1", "FOC-E2E-1", "C9300-48P", "S-A", "MDF", "2022-01-10", "36"],
    ["E2E-2", "FOC-E2E-2", "C9300-48P", "S-B", "IDF 1", "2022-02-10", "lifetime"],
    ["E2E-3", "FOC-E2E-3", "C9300-48P", "S-Z", "IDF 2", "2022-03-10", "36"],
]


@pytest.fixture
def district(session, users):
    """Two sites, one model, and a site administrator of the first site only."""
    ensure_standard_systems(session)
    create_model(session, by=None, manufacturer="Cisco", part_number="C9300-48P", system="lan")
    site_a = make_site(session, code="S-A", name="Site A")
    make_site(session, code="S-B", name="Site B")
    make_user(session, Role.SITE_ADMIN, username="principal", sites=[site_a])
    session.commit()


def test_staff_imports_fixes_finds_edits_and_traces_an_asset(
    page: Page, session, district, tmp_path
) -> None:
    path = tmp_path / "switches.csv"
    path.write_bytes(csv_bytes(ROWS))
    sign_in(page, "staff", PASSWORD)
    page.get_by_test_id("nav").get_by_role("link", name="Import").click()
    page.get_by_label("What the file holds").select_option("assets")
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()

    errors = page.get_by_test_id("row-errors")
    expect(errors).to_contain_text("Warranty (G)")
    expect(errors.locator("tr", has_text="There is no site S-Z")).to_contain_text("4")
    expect(page.get_by_role("button", name="Import", exact=True)).to_have_count(0)

    page.get_by_label("Warranty", exact=True).select_option("")  # the column is not months
    page.get_by_role("button", name="Apply the mapping").click()
    expect(errors).not_to_contain_text("Warranty")
    expect(errors.get_by_role("row")).to_have_count(2)  # header + the row with site S-Z
    page.get_by_role("button", name="Import only the valid rows").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 created")
    expect(page.get_by_test_id("import-summary")).to_contain_text("1 invalid")

    page.get_by_test_id("nav").get_by_role("link", name="Assets").click()
    page.get_by_test_id("asset-search").fill("FOC-E2E-2")
    page.get_by_test_id("asset-search").press("Enter")
    page.get_by_test_id("assets").get_by_role("link", name="E2E-2").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Room or closet").fill("IDF 9")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Asset E2E-2 saved.")
    page.get_by_test_id("history-tab").click()
    history = page.get_by_role("table")
    expect(history).to_contain_text("IDF 9")
    expect(history).to_contain_text("IDF 1")
    expect(history).to_contain_text("staff")


def test_site_administrator_cannot_open_another_sites_asset(
    page: Page, session, district, live_server
) -> None:
    rows = [ROWS[0][:6], ROWS[1][:6], ROWS[2][:6]]
    report = run_import(session, ImportRequest("assets", csv_bytes(rows), "a.csv"), by=None)
    assert report.ok, report.lines()
    session.commit()
    own = session.scalar(select(Asset.id).where(Asset.tag == "E2E-1"))
    other = session.scalar(select(Asset.id).where(Asset.tag == "E2E-2"))
    sign_in(page, "principal", PASSWORD)
    assert page.goto(f"/assets/{own}").status == 200
    # Requests with the browser's cookies, so the expected 404s do not count as page errors.
    for url in (f"/assets/{other}", f"/assets/{other}/edit", f"/assets/{other}/history"):
        assert page.request.get(f"{live_server}{url}").status in (403, 404), url


def test_a_workbook_sheet_with_a_title_and_a_value_for_the_whole_file(
    page: Page, session, district, tmp_path
) -> None:
    """A vendor's catalogue as its second sheet, under a title line, with no system column."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "Read me"
    workbook.active.append(["Prices valid until June"])
    sheet = workbook.create_sheet("Catalogue")
    for row in (["Vendor price list 2026"], ["manufacturer", "model", "part_number"],
                ["Aruba", "AP-515", "AP-515"], ["Aruba", "AP-635", "AP-635"]):  # fmt: skip
        sheet.append(row)
    path = tmp_path / "catalogue.xlsx"
    workbook.save(path)
    sign_in(page, "staff", PASSWORD)
    page.get_by_test_id("nav").get_by_role("link", name="Import").click()
    page.get_by_label("What the file holds").select_option("models")
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()

    page.get_by_label("Sheet").select_option("Catalogue")
    page.get_by_role("button", name="Read this sheet").click()
    expect(page.get_by_test_id("mapping")).to_contain_text("AP-515")
    expect(page.get_by_test_id("row-errors")).to_contain_text("System")
    page.get_by_label("Field 1 with a value for the whole file").select_option("system")
    page.get_by_label("Value 1").fill("wifi")
    page.get_by_role("button", name="Apply the mapping").click()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 created")
    session.expire_all()
    models = session.scalars(select(AssetModel).where(AssetModel.part_number.like("AP-%"))).all()
    assert sorted((m.part_number, m.system.code) for m in models) == [
        ("AP-515", "wifi"), ("AP-635", "wifi")
    ]  # fmt: skip


# Every field a column can feed, once chosen, must be readable in full: the select box is at
# least as wide as the text of its longest choice (measured in the box's own font).
CUT_CHOICES = """
() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const cut = [];
  document.querySelectorAll("[data-testid=mapping] select, [data-testid=defaults] select")
    .forEach((select) => {
      const style = getComputedStyle(select);
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = select.clientWidth - parseFloat(style.paddingLeft)
        - parseFloat(style.paddingRight);
      for (const option of select.options) {
        if (canvas.measureText(option.text).width > room + 1) {
          cut.push(`${select.name}: ${option.text}`);
        }
      }
    });
  return cut;
}
"""
DIRECTORY = [  # a state directory's columns, with its long cells (they squeezed the choices)
    ["NCESID", "NAME", "ADDRESS", "CITY", "STATE", "ZIP", "TELEPHONE", "LEVEL_", "ENROLLMENT",
     "COUNTY", "DISTRICTID", "PRINCIPAL", "PRINCIPAL_EMAIL", "LATITUDE", "LONGITUDE", "SOURCE",
     "NAICS_DESC"],
    *([f"12000020797{n}", f"FLORIDA VIRTUAL SCHOOL NUMBER {n}", "2145 METROCENTER BLVD STE 100",
       "ORLANDO", "FL", "32835", "(800) 374-1430", "ELEMENTARY", "2600", "ORANGE", "1200002",
       "Ann Lee", "ann.lee@example.org", "28.5189857", "-81.4679235",
       f"https://nces.ed.gov/ccd/schoolsearch/school_list.asp?schoolid=12000020797{n}",
       "ELEMENTARY AND SECONDARY SCHOOLS"] for n in range(3)),
]  # fmt: skip


@pytest.mark.parametrize("viewport", [(1280, 900), (375, 740)])
def test_every_field_choice_is_readable_in_full(page: Page, users, tmp_path, viewport) -> None:
    path = tmp_path / "directory.csv"
    path.write_bytes(csv_bytes(DIRECTORY))
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    sign_in(page, "staff", PASSWORD)
    page.goto("/imports/")
    page.get_by_label("What the file holds").select_option("sites")
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_test_id("mapping")).to_be_visible()
    assert page.evaluate(CUT_CHOICES) == []
    expect(page.get_by_label("COUNTY", exact=True)).to_have_value("region")
    expect(page.get_by_label("DISTRICTID", exact=True)).to_have_value("")
    expect(page.get_by_test_id("related-records")).to_contain_text(
        "Will also create 1 region: ORANGE"
    )
    page.get_by_label("Field 1 with a value for the whole file").select_option(
        "administrator_email"
    )
    assert page.evaluate(CUT_CHOICES) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport[0], f"the page scrolls sideways: {width}px"


def test_a_job_state_reads_as_its_label_while_the_page_follows_it(
    page: Page, session, users
) -> None:
    """The page shows "Queued", then "Running" as the bar follows the job (it read "running")."""
    job = enqueue_job(
        session, by=users[Role.STAFF], kind="import", title="Import sites: big.xlsx",
        params={"token": "0" * 32, "dry_run": False, "valid_only": False},
    )  # fmt: skip
    session.commit()
    sign_in(page, "staff", PASSWORD)
    page.goto(f"/jobs/{job.id}")
    state = page.locator("[data-job-state]")
    expect(state).to_have_text("Queued")
    session.execute(
        update(Job).where(Job.id == job.id).values(
            status=JobStatus.RUNNING, progress_done=250, progress_total=1000,
            message="Row 250 of about 1,000",
        )
    )  # fmt: skip
    session.commit()
    expect(page.locator("[data-job-message]")).to_have_text("Row 250 of about 1,000")
    expect(state).to_have_text("Running")
