"""A principal in a real browser: signs in, lands on My site, reads the school's upgrades and
what changed, downloads the printable schedule (and the calendar feed), and cannot open
another school's page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from inventory.base import utcnow
from inventory.enums import Role
from inventory.operations.portal import record_visit
from tests.e2e.conftest import sign_in
from tests.factories import (
    PASSWORD,
    make_project,
    make_scenario,
    make_site,
    make_upgrade_type,
    make_user,
)
from tests.published_plans import make_plan

pytestmark = pytest.mark.e2e
CALENDAR_PANEL = Path(__file__).resolve().parents[2] / "app" / "calendar" / "panel.py"


@pytest.fixture
def schools(session):
    """Lincoln Elementary (the principal's) and Faraway High; an FY2028 plan published twice:
    Wi-Fi moved from August to October 2027 after the principal's last visit."""
    lincoln = make_site(session, name="Lincoln Elementary")
    faraway = make_site(session, name="Faraway High")
    principal = make_user(session, Role.SITE_ADMIN, username="principal", sites=[lincoln])
    planner = make_user(session, Role.PLANNER, username="planner")
    scenario = make_scenario(session, name="FY2028 plan")
    wifi = make_project(
        session,
        scenario,
        site=lincoln,
        upgrade_type=make_upgrade_type(session, name="Wi-Fi 6 access points"),
    )
    cameras = make_project(
        session,
        scenario,
        site=lincoln,
        upgrade_type=make_upgrade_type(session, name="Security cameras"),
    )
    core = make_project(session, scenario, site=faraway,
                        upgrade_type=make_upgrade_type(session, name="Core switch"))  # fmt: skip
    now = utcnow()
    make_plan(session, scenario, [(wifi, 1), (cameras, 5), (core, 2)], by=planner,
              published_at=now - dt.timedelta(days=20))  # fmt: skip
    record_visit(session, principal, lincoln, plan_id=None, now=now - dt.timedelta(days=10))
    make_plan(session, scenario, [(wifi, 3), (cameras, 5), (core, 2)], by=planner,
              published_at=now - dt.timedelta(days=1))  # fmt: skip
    session.commit()
    return {"lincoln": lincoln, "faraway": faraway}


def test_a_principal_reads_their_school_page(page: Page, schools, live_server, tmp_path) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "principal", PASSWORD)
    page.wait_for_url(f"**/portal/sites/{schools['lincoln'].id}")
    expect(page.get_by_role("heading", name="Lincoln Elementary")).to_be_visible()
    expect(page.get_by_test_id("summary")).to_contain_text(
        "Next: Wi-Fi 6 access points in October 2027"
    )
    upcoming = page.get_by_test_id("upcoming-project")
    expect(upcoming).to_have_count(2)
    expect(upcoming.first).to_contain_text("Not yet assigned")
    expect(page.get_by_test_id("upcoming")).not_to_contain_text("Core switch")
    change = page.get_by_test_id("change")
    expect(change).to_have_count(1)
    expect(change).to_contain_text("August 2027 → October 2027")
    expect(change.get_by_test_id("new-flag")).to_have_text("New since your last visit")
    expect(page.get_by_test_id("timeline").locator("svg")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_test_id("pdf-link").click()
    pdf_path = tmp_path / "schedule.pdf"
    download_info.value.save_as(pdf_path)
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    assert len(reader.pages) == 1
    assert "Lincoln Elementary" in reader.pages[0].extract_text()

    if CALENDAR_PANEL.exists():  # the calendar feature (another part of the app) is present
        page.get_by_role("button", name="Make my calendar address").click()
        address = page.get_by_test_id("feed-address").input_value()
        feed = page.request.get(address)
        assert feed.status == 200
        assert "BEGIN:VCALENDAR" in feed.text() and "Wi-Fi 6 access points" in feed.text()

    # Another school's page, its schedule and its request form answer "not found".
    other = schools["faraway"].id
    for url in (f"/portal/sites/{other}", f"/portal/sites/{other}/schedule.pdf"):
        assert page.request.get(f"{live_server}{url}").status == 404, url
    # The request form's own POST (its CSRF token, this session), sent for the other school.
    page.goto(f"/portal/sites/{schools['lincoln'].id}")
    page.get_by_text("Ask for other blackout months").click()
    form = page.get_by_test_id("blackout-form")
    token = form.locator("input[name=csrf_token]").input_value()
    action = form.get_attribute("action")
    assert action == f"/portal/sites/{schools['lincoln'].id}/blackout-requests"
    refused = page.request.post(
        f"{live_server}{action.replace(str(schools['lincoln'].id), str(other))}",
        form={"csrf_token": token, "note": "Not my school"},
    )
    assert refused.status == 404
