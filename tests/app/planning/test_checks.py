"""Submission checks: each failure in planners' words, with a link to the input to change."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from app.planning.checks import longest_window, submission_checks
from inventory.enums import FundingKind
from inventory.models import FundingSource, WorkWindow
from tests.factories import make_project, make_scenario, make_site, make_trade, make_upgrade_type


@pytest.fixture
def checks_of(app, session):
    """The checks of a scenario as (message, link) pairs, links built in a request."""

    def run(scenario):
        with app.test_request_context():
            return [(check.message, check.url) for check in submission_checks(session, scenario)]

    return run


def test_a_scenario_with_sound_inputs_is_ready(session, checks_of) -> None:
    scenario = make_scenario(session)
    make_project(session, scenario)
    assert checks_of(scenario) == []


def test_an_empty_scenario_and_a_missing_budget_are_named(session, checks_of) -> None:
    scenario = make_scenario(session, years=2, annual_budgets_cents=[100_00, 0])
    messages = [message for message, _link in checks_of(scenario)]
    assert messages == [
        "The scenario has no projects yet.",
        "The annual budget for FY2029 is zero.",
    ]
    scenario.annual_budgets_cents = [100_00]
    assert "The annual budget for FY2029 is not set." in [m for m, _ in checks_of(scenario)]


def test_projects_with_no_cost_link_to_the_filtered_project_list(session, checks_of) -> None:
    scenario = make_scenario(session)
    make_project(session, scenario, cost_cents=0)
    make_project(session, scenario, cost_cents=0)
    make_project(session, scenario, cost_cents=0, is_withdrawn=True)  # not in the plan
    [(message, link)] = checks_of(scenario)
    assert message == "2 projects have no cost."
    if link is not None:  # the projects list is another part's page
        assert parse_qs(urlparse(link).query) == {"no_cost": ["1"]}


def test_a_trade_the_projects_need_without_crews(session, checks_of) -> None:
    scenario = make_scenario(session)
    voice = make_trade(session, "voice", "Voice")
    make_project(session, scenario, upgrade_type=make_upgrade_type(session, trade=voice))
    messages = [message for message, _link in checks_of(scenario)]
    assert messages[0] == "1 project needs Voice crews, and the scenario has none."
    assert (messages[0], f"/planning/scenarios/{scenario.id}/crews") in checks_of(scenario)


def test_erate_projects_at_a_site_without_students(session, checks_of) -> None:
    scenario = make_scenario(session)
    erate = FundingSource(
        scenario=scenario, code="erate", name="E-Rate", kind=FundingKind.ERATE_C2,
        erate_per_student_cents=16_700, erate_discount_percent=80, is_default=True,
    )  # fmt: skip
    session.add(erate)
    office = make_site(session, name="District Office", enrollment=None)
    make_project(session, scenario, site=office)  # paid by the default source: E-Rate
    make_project(session, scenario, site=make_site(session, enrollment=500))
    messages = [message for message, _link in checks_of(scenario)]
    assert any(
        m.startswith("1 project paid by E-Rate is at a site with no enrollment") for m in messages
    )
    assert any("District Office" in m for m in messages)


def test_disruptive_work_longer_than_every_window(session, checks_of) -> None:
    scenario = make_scenario(session)
    scenario.windows = [WorkWindow(name="Summer break", months=[0, 1, 11])]
    cameras = make_upgrade_type(session, name="Cameras", is_disruptive=True, duration_months=3)
    make_project(session, scenario, upgrade_type=cameras, duration_months=3, name="Cameras at ES1")
    message, link = checks_of(scenario)[0]
    assert message == (
        "1 disruptive project cannot fit in any work window (the longest work window has "
        "2 months in a row): Cameras at ES1."
    )
    assert link == f"/planning/scenarios/{scenario.id}/calendar"


def test_longest_window_counts_months_in_a_row() -> None:
    scenario = type("S", (), {})()
    scenario.windows = [
        WorkWindow(name="Summer", months=[0, 1, 11, 12, 13]),
        WorkWindow(name="Winter", months=[5]),
    ]
    assert longest_window(scenario) == 3


def test_a_mandatory_project_that_cannot_fit_is_named_in_months(session, checks_of) -> None:
    scenario = make_scenario(session)
    late = make_project(
        session, scenario, name="Core switch at HS1", is_mandatory=True, earliest_month=11,
        duration_months=3,
    )  # fmt: skip
    [(message, link)] = checks_of(scenario)
    assert message == (
        "Mandatory project Core switch at HS1: it cannot start in Jun 2028 or later and last "
        "3 months while ending by the end of Jun 2028."
    )
    if link is not None:
        assert link.endswith(f"/projects/{late.id}")


def test_required_costs_over_the_budget_link_to_the_budget(session, checks_of) -> None:
    scenario = make_scenario(session, annual_budgets_cents=[50_000_00])
    make_project(session, scenario, name="Core A", is_mandatory=True, cost_cents=40_000_00)
    make_project(session, scenario, name="Core B", is_mandatory=True, cost_cents=30_000_00)
    [(message, link)] = checks_of(scenario)
    assert "Core A" in message and "$50" in message and "annual budget" in message
    assert link == f"/planning/scenarios/{scenario.id}/budget"
