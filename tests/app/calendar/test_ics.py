"""The published plan as iCalendar, read back with icalendar: one all-day event per project,
stable UIDs across versions, dropped projects cancelled, text escaped."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from app.calendar.ics import feed_calendar, plan_calendar
from inventory.models import Site, User
from tests.app.calendar.conftest import PUBLISHED_ON, by_summary, events
from tests.factories import make_project, make_upgrade_type
from tests.published_plans import make_plan


def test_a_site_administrator_gets_one_all_day_event_per_project_at_their_site(
    session, district
) -> None:
    body = feed_calendar(session, district.site_admin, domain="schools.example")
    calendar = Calendar.from_ical(body)
    assert str(calendar["x-wr-calname"]) == "Lincoln Elementary upgrades"
    assert str(calendar["method"]) == "PUBLISH" and str(calendar["version"]) == "2.0"
    found = by_summary(body)
    assert set(found) == {"Wi-Fi refresh", "Cameras"}  # not the other school's Phones
    wifi = found["Wi-Fi refresh"]
    # All-day: VALUE=DATE, first day of the first month to the day after the last month.
    assert wifi["dtstart"].params.get("VALUE") == "DATE"
    assert wifi.decoded("dtstart") == dt.date(2027, 8, 1)
    assert wifi.decoded("dtend") == dt.date(2027, 10, 1)  # Aug-Sep 2027, exclusive end
    assert not isinstance(wifi.decoded("dtstart"), dt.datetime)
    cameras = found["Cameras"]
    assert (cameras.decoded("dtstart"), cameras.decoded("dtend")) == (
        dt.date(2027, 10, 1), dt.date(2027, 11, 1))  # fmt: skip
    assert str(wifi["location"]) == "Lincoln Elementary, 12 Oak St, Springfield, IL 62701"
    assert str(wifi["uid"]) == f"project-{district.wifi.id}@schools.example"
    assert str(wifi["status"]) == "CONFIRMED"
    assert wifi.decoded("last-modified") == PUBLISHED_ON
    description = str(wifi["description"])
    assert "Disruptive: planned during Summer break." in description
    assert "New access points." in description
    assert "Project manager: Test Planner" in description
    assert "Aug 2027 to Sep 2027 (2 months)" in description


def test_planners_get_the_whole_plan_named_by_site(session, district) -> None:
    body = feed_calendar(session, district.planner)
    assert str(Calendar.from_ical(body)["x-wr-calname"]) == "District upgrade plan"
    assert set(by_summary(body)) == {
        "Wi-Fi refresh at Lincoln Elementary",
        "Cameras at Lincoln Elementary",
        "Phones at Adams Middle",
    }
    assert all(str(event["uid"]).endswith("@rollout") for event in events(body))


def test_a_site_administrator_removed_from_a_site_stops_seeing_it(session, district) -> None:
    admin = session.get(User, district.site_admin.id)
    admin.sites = [session.get(Site, district.other_site.id)]
    session.commit()
    assert set(by_summary(feed_calendar(session, admin))) == {"Phones"}
    admin.sites = []
    session.commit()
    assert events(feed_calendar(session, admin)) == []


def test_a_moved_project_keeps_its_uid_with_new_dates_and_a_higher_sequence(
    session, district
) -> None:
    before = by_summary(feed_calendar(session, district.site_admin))
    make_plan(session, district.scenario,
              [(district.wifi, 4), (district.cameras, 3), (district.other, 0)],
              by=district.planner, published_at=PUBLISHED_ON + dt.timedelta(days=30))  # fmt: skip
    session.commit()
    after_body = feed_calendar(session, district.site_admin)
    after = by_summary(after_body)
    assert len(events(after_body)) == 2  # moved, not duplicated
    old, new = before["Wi-Fi refresh"], after["Wi-Fi refresh"]
    assert str(new["uid"]) == str(old["uid"])
    assert new.decoded("dtstart") == dt.date(2027, 11, 1)
    assert new.decoded("dtend") == dt.date(2028, 1, 1)  # Nov-Dec 2027
    assert int(new["sequence"]) > int(old["sequence"])
    assert str(after["Cameras"]["uid"]) == str(before["Cameras"]["uid"])


def test_a_dropped_project_is_sent_as_cancelled_under_its_uid(session, district) -> None:
    before = by_summary(feed_calendar(session, district.site_admin))
    make_plan(session, district.scenario, [(district.wifi, 1), (district.other, 0)],
              by=district.planner, published_at=PUBLISHED_ON + dt.timedelta(days=30))  # fmt: skip
    session.commit()
    after = by_summary(feed_calendar(session, district.site_admin))
    assert set(after) == {"Wi-Fi refresh", "Cancelled: Cameras"}
    cancelled = after["Cancelled: Cameras"]
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["uid"]) == str(before["Cameras"]["uid"])
    assert int(cancelled["sequence"]) > int(before["Cameras"]["sequence"])
    assert cancelled.decoded("dtstart") == dt.date(2027, 10, 1)  # where it was last planned
    # The other school's dropped projects never show up at this school.
    make_plan(session, district.scenario, [(district.wifi, 1)], by=district.planner,
              published_at=PUBLISHED_ON + dt.timedelta(days=60))  # fmt: skip
    session.commit()
    assert set(by_summary(feed_calendar(session, district.site_admin))) == {
        "Wi-Fi refresh", "Cancelled: Cameras"}  # fmt: skip


def test_drafts_never_reach_a_feed(session, district) -> None:
    make_plan(session, district.scenario, [(district.wifi, 5)], by=district.planner,
              publish=False)  # fmt: skip
    session.commit()
    wifi = by_summary(feed_calendar(session, district.site_admin))["Wi-Fi refresh"]
    assert wifi.decoded("dtstart") == dt.date(2027, 8, 1)


def test_text_with_commas_semicolons_and_new_lines_is_escaped(session, district) -> None:
    name = "Wi-Fi, cabling; and\nracks"
    site = session.get(Site, district.own_site.id)
    site.name, site.address = "St. Mary's; North, Campus", "1 Main St,\nSuite 2"
    upgrade = make_upgrade_type(session, name=name, description="Line one\nLine two; more, too")
    project = make_project(session, district.scenario, site=site, upgrade_type=upgrade)
    plan = make_plan(session, district.scenario, [(project, 2)], by=district.planner,
                     published_at=PUBLISHED_ON + dt.timedelta(days=1))  # fmt: skip
    session.commit()
    body = plan_calendar(session, plan)
    assert b"Wi-Fi\\, cabling\\; and\\nracks" in body
    (event,) = [e for e in events(body) if str(e["status"]) == "CONFIRMED"]
    assert str(event["summary"]) == f"{name} at St. Mary's; North, Campus"
    assert str(event["location"]).startswith("St. Mary's; North, Campus, 1 Main St,\nSuite 2")
    assert "Line one\nLine two; more, too" in str(event["description"])


def test_a_plan_export_holds_the_whole_plan(session, district) -> None:
    plan = district.scenario.plans[0]
    body = plan_calendar(session, plan)
    calendar = Calendar.from_ical(body)
    assert str(calendar["x-wr-calname"]) == "FY2028 plan version 1"
    assert str(calendar["prodid"]).startswith("-//Rollout//")
    assert len(events(body)) == 3
    assert all(str(event["transp"]) == "TRANSPARENT" for event in events(body))
