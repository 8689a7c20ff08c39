"""The SEP pages: the list of published plans, the document as a web page and as a PDF, the
schedule as a PDF (prepared by a background job, then downloaded); drafts are 404, site
administrators 403, user text escaped and fetched nowhere."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from inventory.enums import Role
from tests.app.sep.world import HOSTILE, prepared_download, sep_world
from tests.factories import make_scenario
from tests.published_plans import make_plan

PDF_WORDS = ("Strategic Execution Plan", "$87,346", "Lincoln Elementary", HOSTILE, "Jul 2027",
             "Dec 2027", "Page 2 of", "Not yet assigned", "Bond program")  # fmt: skip


@pytest.fixture
def world(session, users):
    return sep_world(session, users)


def _pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_index_lists_the_baseline_with_links(client, login_as, world) -> None:
    login_as(Role.PMO)
    page = client.get("/sep/").get_data(as_text=True)
    assert "FY2028 program, version 1" in page
    assert f"/sep/plans/{world.plan.id}" in page
    assert f"/sep/plans/{world.draft.id}" not in page


def test_document_page_shows_the_plan_and_escapes_user_text(client, login_as, world) -> None:
    login_as(Role.PLANNER)
    response = client.get(f"/sep/plans/{world.plan.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert HOSTILE not in page and "&lt;img src=" in page
    for words in ("Lincoln Elementary", "Replace the access points in every classroom",
                  "12 access points reach end of life", "Not yet assigned", "$87,346",
                  "Bond program", "On-time start", "Jul 2027", "Dec 2027"):  # fmt: skip
        assert words in page, words
    assert 'data-chart="program-timeline"' in page and 'data-chart="crews"' in page


@pytest.mark.parametrize("suffix", ["", "/sep.pdf", "/schedule.xlsx", "/schedule.pdf",
                                    "/prepare/sep_pdf", "/prepare/schedule_xlsx",
                                    "/prepare/schedule_pdf"])  # fmt: skip
def test_a_draft_is_not_found_and_site_admins_are_refused(client, login_as, world, suffix) -> None:
    method = "POST" if "/prepare/" in suffix else "GET"
    login_as(Role.ADMIN)
    assert client.open(f"/sep/plans/{world.draft.id}{suffix}", method=method).status_code == 404
    assert client.open(f"/sep/plans/999999{suffix}", method=method).status_code == 404
    login_as(Role.SITE_ADMIN)
    assert client.open(f"/sep/plans/{world.plan.id}{suffix}", method=method).status_code == 403


def test_document_pdf_has_the_totals_months_and_sites(app, client, login_as, world,
                                                      monkeypatch) -> None:  # fmt: skip
    fetched: list[str] = []
    monkeypatch.setattr("app.pdf.RefuseEverything.fetch",
                        lambda self, url, headers=None: fetched.append(url))  # fmt: skip
    login_as(Role.PMO)
    response = prepared_download(app, client, world.plan.id, "sep_pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="sep-fy2028-program-version-1.pdf"'
    text, pages = _pdf_text(response.data)
    assert pages > 1
    for words in PDF_WORDS:
        assert words in text, words
    assert fetched == []  # the hostile name is text: nothing was even asked for


def test_schedule_pdf_has_a_section_per_month(app, client, login_as, world) -> None:
    login_as(Role.STAFF)
    response = prepared_download(app, client, world.plan.id, "schedule_pdf")
    assert response.mimetype == "application/pdf"
    assert "schedule-fy2028-program-version-1.pdf" in response.headers["Content-Disposition"]
    text, pages = _pdf_text(response.data)
    assert pages >= 13  # a cover and a section per month
    for words in ("Starting in Jul 2027", "Still under way in Sep 2027", "Lincoln Elementary",
                  HOSTILE, "Network", "Page 3 of"):  # fmt: skip
        assert words in text, words


def test_index_lists_earlier_versions_apart(client, login_as, world, session) -> None:
    world.draft.published_at = dt.datetime(2027, 9, 1, tzinfo=dt.UTC)
    session.commit()
    login_as(Role.ADMIN)
    page = client.get("/sep/").get_data(as_text=True)
    current, _, earlier = page.partition("Earlier and other published versions")
    assert "FY2028 program, version 2" in current and "version 1" not in current
    assert "FY2028 program, version 1" in earlier


def test_the_plan_overview_links_to_the_document_once_published(client, login_as, world) -> None:
    login_as(Role.PLANNER)
    published = client.get(f"/planning/plans/{world.plan.id}").get_data(as_text=True)
    draft = client.get(f"/planning/plans/{world.draft.id}").get_data(as_text=True)
    assert f'href="/sep/plans/{world.plan.id}"' in published
    assert 'data-testid="sep-document-link"' not in draft


def test_a_published_plan_without_projects_still_renders(app, client, login_as, session,
                                                         users) -> None:  # fmt: skip
    scenario = make_scenario(session, name="Empty program", years=2)
    plan = make_plan(session, scenario, [], by=users[Role.PLANNER])
    session.commit()
    login_as(Role.PMO)
    page = client.get(f"/sep/plans/{plan.id}")
    assert page.status_code == 200 and "The plan schedules no projects." in page.get_data(True)
    for kind in ("schedule_xlsx", "sep_pdf"):
        assert prepared_download(app, client, plan.id, kind).data
