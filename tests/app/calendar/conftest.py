"""A published district for the calendar tests: two schools with projects in one scenario,
a site administrator of the first, and helpers to read a feed back with icalendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from inventory.enums import Role
from inventory.models import Project, Scenario, Site, User, WorkWindow
from tests.factories import make_project, make_scenario, make_site, make_upgrade_type, make_user
from tests.published_plans import make_plan

PUBLISHED_ON = dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC)


@dataclass
class District:
    """What the calendar tests point at (scenario month 0 is July 2027)."""

    own_site: Site
    other_site: Site
    site_admin: User
    planner: User
    scenario: Scenario
    wifi: Project  # at own_site, two months, disruptive
    cameras: Project  # at own_site
    other: Project  # at other_site


@pytest.fixture
def district(session: Session) -> District:
    """Two schools, three projects, version 1 published (wifi Aug-Sep 2027, cameras Oct 2027,
    the other school's project Jul 2027)."""
    own = make_site(session, name="Lincoln Elementary", address="12 Oak St", city="Springfield",
                    state="IL", postal_code="62701")  # fmt: skip
    other = make_site(session, name="Adams Middle")
    planner = make_user(session, Role.PLANNER, username="calplanner")
    site_admin = make_user(session, Role.SITE_ADMIN, username="calsiteadmin", sites=[own])
    scenario = make_scenario(session, name="FY2028 plan")
    scenario.windows = [WorkWindow(name="Summer break", months=[0, 1, 2])]
    wifi_type = make_upgrade_type(session, name="Wi-Fi refresh", duration_months=2,
                                  is_disruptive=True, description="New access points.")  # fmt: skip
    wifi = make_project(session, scenario, site=own, upgrade_type=wifi_type, manager=planner)
    cameras = make_project(
        session, scenario, site=own, upgrade_type=make_upgrade_type(session, name="Cameras")
    )
    other_project = make_project(
        session, scenario, site=other, upgrade_type=make_upgrade_type(session, name="Phones")
    )
    make_plan(session, scenario, [(wifi, 1), (cameras, 3), (other_project, 0)], by=planner,
              published_at=PUBLISHED_ON)  # fmt: skip
    session.commit()
    return District(own, other, site_admin, planner, scenario, wifi, cameras, other_project)


def events(body: bytes) -> list[Event]:
    """The VEVENTs of an iCalendar body."""
    return Calendar.from_ical(body).walk("VEVENT")


def by_summary(body: bytes) -> dict[str, Event]:
    """The events by their SUMMARY."""
    return {str(event["summary"]): event for event in events(body)}
