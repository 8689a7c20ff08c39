"""My site: a site's page of the published plan, what changed, blackout requests, the PDF, and
who may open which site."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from inventory.base import utcnow
from inventory.enums import Role
from inventory.models import BlackoutRequest, PortalVisit, ScenarioSite
from tests.app.html_reading import parse
from tests.factories import make_project, make_scenario, make_site, make_upgrade_type
from tests.published_plans import make_plan

UPGRADES = {"wifi": "Wi-Fi 6 access points", "cameras": "Security cameras",
            "phones": "Voice handsets", "other": "Core switch", "draft": "Door access"}  # fmt: skip


@pytest.fixture
def school(session, users):
    """The site administrator's school and another one, with projects in an FY2028 scenario
    (Jul 2027 to Jun 2028): `wifi`, `cameras`, `phones` at the school, `other` elsewhere."""
    own = users[Role.SITE_ADMIN].sites[0]
    elsewhere = make_site(session, name="Faraway High")
    scenario = make_scenario(session, name="FY2028 plan", blackout_months=[10])
    session.add(ScenarioSite(scenario=scenario, site=own, blackout_months=[5]))
    upgrades = {key: make_upgrade_type(session, name=name) for key, name in UPGRADES.items()}
    projects = {key: make_project(session, scenario, site=own, upgrade_type=upgrade)
                for key, upgrade in upgrades.items() if key != "other"}  # fmt: skip
    projects["other"] = make_project(session, scenario, site=elsewhere,
                                     upgrade_type=upgrades["other"])  # fmt: skip
    session.commit()
    return {"own": own, "elsewhere": elsewhere, "scenario": scenario, **projects}


def _publish(session, school, users, placements, *, ago_days=0, publish=True):
    plan = make_plan(
        session, school["scenario"], [(school[key], month) for key, month in placements],
        by=users[Role.PLANNER], published_at=utcnow() - dt.timedelta(days=ago_days),
        publish=publish,
    )  # fmt: skip
    session.commit()
    return plan


def _page(client, site):
    response = client.get(f"/portal/sites/{site.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _texts(page, testid):
    return [element.text for element in parse(page).find_all(**{"data-testid": testid})]


def test_the_page_lists_the_published_projects_at_the_site_only(
    client, login_as, session, users, school
) -> None:
    _publish(session, school, users, [("wifi", 1), ("cameras", 3), ("other", 1)])
    _publish(session, school, users, [("wifi", 1), ("draft", 2)], publish=False)  # a draft
    login_as(Role.SITE_ADMIN)
    page = _page(client, school["own"])
    upcoming = _texts(page, "upcoming-project")
    assert len(upcoming) == 2
    assert "Wi-Fi 6 access points" in upcoming[0] and "August 2027" in upcoming[0]
    assert "Security cameras" in upcoming[1] and "October 2027" in upcoming[1]
    assert "Not yet assigned" in upcoming[0]
    assert "Core switch" not in page and "Door access" not in page
    assert "Next: Wi-Fi 6 access points in August 2027" in _texts(page, "summary")[0]
    blackouts = _texts(page, "blackout")
    assert any(text.startswith("May 2028") and "whole district" in text for text in blackouts)
    assert any(text.startswith("December 2027") and "your school" in text for text in blackouts)
    assert 'data-chart="site-timeline"' in page


def test_the_manager_is_shown_with_how_to_reach_them(
    client, login_as, session, users, school
) -> None:
    manager = users[Role.PMO]
    manager.full_name, manager.email, manager.phone = (
        "Pam Manager",
        "pam@district.example",
        "555 0100",
    )
    school["wifi"].manager_id = manager.id
    session.commit()
    _publish(session, school, users, [("wifi", 1)])
    login_as(Role.SITE_ADMIN)
    page = _page(client, school["own"])
    assert "Pam Manager" in _texts(page, "manager")[0]
    assert 'href="mailto:pam@district.example"' in page
    assert 'href="tel:5550100"' in page


def test_what_changed_shows_moved_added_and_dropped_with_their_months(
    client, login_as, session, users, school
) -> None:
    _publish(session, school, users, [("wifi", 1), ("cameras", 3), ("phones", 4)], ago_days=10)
    _publish(session, school, users, [("wifi", 6), ("cameras", 3), ("draft", 2)])
    login_as(Role.SITE_ADMIN)
    page = _page(client, school["own"])
    changes = {
        element.attrs["data-kind"]: element.text
        for element in parse(page).find_all(**{"data-testid": "change"})
    }
    assert set(changes) == {"moved", "added", "dropped"}
    assert "Wi-Fi 6 access points" in changes["moved"]
    assert "August 2027 → January 2028" in changes["moved"]
    assert "Door access" in changes["added"] and "September 2027" in changes["added"]
    assert "Voice handsets" in changes["dropped"] and "was November 2027" in changes["dropped"]
    assert "Security cameras" not in " ".join(changes.values())  # unchanged


def test_new_since_the_last_visit_appears_after_a_publication_and_not_before(
    client, login_as, session, users, school
) -> None:
    _publish(session, school, users, [("wifi", 1)], ago_days=20)
    _publish(session, school, users, [("wifi", 2)], ago_days=10)
    login_as(Role.SITE_ADMIN)
    first = _page(client, school["own"])  # the first visit: nothing is "new" yet
    assert _texts(first, "change") and not _texts(first, "new-flag")
    visit = session.get(PortalVisit, (users[Role.SITE_ADMIN].id, school["own"].id))
    assert visit is not None
    again = _page(client, school["own"])
    assert not _texts(again, "new-flag")  # nothing published since
    _publish(session, school, users, [("wifi", 4), ("cameras", 5)])
    after = _page(client, school["own"])
    flagged = [element.text for element in parse(after).find_all(**{"data-testid": "change"})
               if "New since your last visit" in element.text]  # fmt: skip
    assert len(flagged) == 2  # Wi-Fi moved again, cameras added
    assert "2 changes since your last visit" in _texts(after, "new-changes")[0]
    assert not _texts(_page(client, school["own"]), "new-flag")  # seen now


def test_a_blackout_request_is_recorded_listed_for_planners_and_answered(
    client, login_as, session, users, school
) -> None:
    _publish(session, school, users, [("wifi", 1)])
    login_as(Role.SITE_ADMIN)
    month = f"{dt.date.today().year + 1}-03"
    data = {"months": [month], "note": "Testing <moved> to March"}
    response = client.post(f"/portal/sites/{school['own'].id}/blackout-requests", data=data)
    assert response.status_code == 302
    request = session.scalars(select(BlackoutRequest)).one()
    assert request.requested_by_id == users[Role.SITE_ADMIN].id
    assert request.requested_at is not None and request.status == "open"
    assert request.months == [month] and request.site_id == school["own"].id
    page = _page(client, school["own"])
    assert "Waiting for an answer" in _texts(page, "request-status")
    assert "Testing &lt;moved&gt; to March" in page  # escaped

    login_as(Role.PMO)
    listed = client.get("/portal/requests").get_data(as_text=True)
    assert school["own"].name in _texts(listed, "request")[0]
    assert "answer-form" not in listed  # the PMO reads, does not answer
    assert client.post(f"/portal/requests/{request.id}/answer",
                       data={"status": "done"}).status_code == 403  # fmt: skip

    login_as(Role.PLANNER)
    listed = client.get("/portal/requests").get_data(as_text=True)
    assert users[Role.SITE_ADMIN].full_name in _texts(listed, "requested-by")[0]
    answer = {"status": "declined", "answer": "Testing stays in May."}
    response = client.post(f"/portal/requests/{request.id}/answer", data=answer)
    assert response.status_code == 302
    session.refresh(request)
    assert request.status == "declined" and request.answered_by_id == users[Role.PLANNER].id
    login_as(Role.SITE_ADMIN)
    page = _page(client, school["own"])
    assert "Declined" in _texts(page, "request-status")
    assert "Testing stays in May." in _texts(page, "request")[0]


def test_a_request_that_changes_nothing_is_refused(client, login_as, session, users, school):
    _publish(session, school, users, [("wifi", 1)])
    login_as(Role.SITE_ADMIN)
    response = client.post(f"/portal/sites/{school['own'].id}/blackout-requests", data={})
    assert response.status_code == 400
    assert "Tick or untick a month" in response.get_data(as_text=True)
    assert session.scalar(select(func.count(BlackoutRequest.id))) == 0


def test_a_site_administrator_cannot_open_another_site(
    client, login_as, session, users, school
) -> None:
    _publish(session, school, users, [("wifi", 1), ("other", 2)])
    login_as(Role.SITE_ADMIN)
    other = school["elsewhere"].id
    assert client.get(f"/portal/sites/{other}").status_code == 404
    assert client.get(f"/portal/sites/{other}/schedule.pdf").status_code == 404
    assert client.get(f"/portal/?site_id={other}").status_code == 302  # then the 404 above
    response = client.post(f"/portal/sites/{other}/blackout-requests",
                           data={"months": ["2027-03"], "note": "Not mine"})  # fmt: skip
    assert response.status_code == 404
    assert session.scalar(select(func.count(BlackoutRequest.id))) == 0
    assert client.get("/portal/sites/999999").status_code == 404


def test_a_planner_opens_any_site_page(client, login_as, session, users, school) -> None:
    _publish(session, school, users, [("wifi", 1), ("other", 2)])
    login_as(Role.PLANNER)
    page = _page(client, school["elsewhere"])
    assert "Core switch" in page and "Wi-Fi 6" not in page
    assert _texts(page, "viewing-as")
    picker = client.get("/portal/").get_data(as_text=True)
    assert school["elsewhere"].name in picker


def test_a_site_administrator_lands_on_their_site_after_signing_in(client, users) -> None:
    from tests.factories import PASSWORD

    response = client.post("/auth/login", data={"username": "siteadmin", "password": PASSWORD})
    assert response.headers["Location"].endswith("/portal/")
    site_id = users[Role.SITE_ADMIN].sites[0].id
    assert client.get("/portal/").headers["Location"].endswith(f"/portal/sites/{site_id}")
    assert client.get("/").headers["Location"].endswith("/portal/")


def test_the_pdf_is_one_page_with_the_site_and_its_months(
    client, login_as, session, users, school
) -> None:
    scenario = school["scenario"]
    extra = [make_project(session, scenario, site=school["own"],
                          upgrade_type=make_upgrade_type(session, name=f"Upgrade number {n}"))
             for n in range(12)]  # fmt: skip
    session.commit()
    placements = [(school[key], n) for n, key in enumerate(["wifi", "cameras", "phones"])]
    make_plan(session, scenario, placements + [(p, n % 12) for n, p in enumerate(extra)],
              by=users[Role.PLANNER])  # fmt: skip
    session.commit()
    login_as(Role.SITE_ADMIN)
    response = client.get(f"/portal/sites/{school['own'].id}/schedule.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1  # 15 projects on one page
    text = " ".join(reader.pages[0].extract_text().split())
    assert school["own"].name in text
    assert "Wi-Fi 6 access points" in text and "July 2027" in text
    assert "Upgrade number 11" in text
