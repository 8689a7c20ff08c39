"""Scenario pages: the list, creating, the overview, settings with optimistic locking, copies,
the review workflow, deletion and the history."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from inventory.enums import Role, ScenarioStatus
from inventory.models import Scenario
from tests.factories import make_project, make_scenario, make_trade
from tests.inventory.planning.scenario_helpers import record_simple_plan


@pytest.fixture
def scenario(session, users):
    """A draft FY2028 scenario, ready to submit, with one project and one plan."""
    made = make_scenario(session, name="FY2028 plan")
    make_project(session, made, cost_cents=12_345_00)
    record_simple_plan(session, made, users[Role.PLANNER], value=42)
    session.commit()
    return made


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_the_list_shows_counts_and_only_editors_may_create(client, scenario, login_as) -> None:
    login_as(Role.PMO)
    page = text_of(client.get("/planning/scenarios/"))
    assert "FY2028 plan" in page and "FY2028" in page
    assert "New scenario" not in page
    login_as(Role.PLANNER)
    page = text_of(client.get("/planning/scenarios/"))
    assert "New scenario" in page
    assert ">42 <" in page  # the last plan's value


def test_creating_a_scenario_uses_the_configured_fiscal_year(client, session, login_as) -> None:
    login_as(Role.PLANNER)
    form = text_of(client.get("/planning/scenarios/new"))
    assert "fiscal years start in July" in form
    response = client.post(
        "/planning/scenarios/new", data={"name": "FY2029 plan", "first_year": "2029", "years": "2"}
    )
    assert response.status_code == 302
    made = session.scalar(select(Scenario).where(Scenario.name == "FY2029 plan"))
    assert (made.start_month, made.years, made.month_label(0)) == (7, 2, "Jul 2028")
    again = client.post(
        "/planning/scenarios/new", data={"name": "fy2029 PLAN", "first_year": "2029", "years": "1"}
    )
    assert again.status_code == 200
    assert "A scenario named fy2029 PLAN exists already." in text_of(again)


def test_the_overview_shows_checks_numbers_and_versions(client, scenario, login_as) -> None:
    login_as(Role.PLANNER)
    page = text_of(client.get(f"/planning/scenarios/{scenario.id}"))
    assert "Ready to submit." in page
    assert 'data-testid="projects-count">1<' in page
    assert "$12,345" in page
    assert "Version 1" in page
    assert f'action="/planning/scenarios/{scenario.id}/status"' in page


def test_the_overview_counts_the_projects_as_the_project_list_does(
    client, session, scenario, login_as
) -> None:
    make_project(session, scenario, is_mandatory=True, pinned_month=2)
    make_project(session, scenario, is_withdrawn=True)
    session.commit()
    login_as(Role.PMO)
    page = text_of(client.get(f"/planning/scenarios/{scenario.id}"))
    assert 'data-testid="projects-count">2<' in page  # the list leaves withdrawn ones out
    assert 'withdrawn=yes" data-testid="withdrawn-count">1<' in page
    assert 'mandatory=yes" data-testid="mandatory-count">1<' in page
    assert 'pinned=yes" data-testid="pinned-count">1<' in page
    assert "Submit for approval" not in page  # readers see the checks, not the buttons


def test_the_overview_lists_what_blocks_submission(client, session, scenario, login_as) -> None:
    scenario.annual_budgets_cents = [0]
    session.commit()
    login_as(Role.PLANNER)
    page = text_of(client.get(f"/planning/scenarios/{scenario.id}"))
    assert "The annual budget for FY2028 is zero." in page
    assert f'href="/planning/scenarios/{scenario.id}/budget">Set the budget' in page
    response = client.post(
        f"/planning/scenarios/{scenario.id}/status",
        data={"action": "submit", "version": scenario.version},
        follow_redirects=True,
    )
    assert "cannot be submitted yet: one thing to fix." in text_of(response)
    session.expire_all()
    assert scenario.status is ScenarioStatus.DRAFT


def test_submit_approve_and_return_with_a_reason(client, session, scenario, login_as) -> None:
    login_as(Role.PLANNER)
    url = f"/planning/scenarios/{scenario.id}/status"
    client.post(url, data={"action": "submit", "version": scenario.version})
    session.expire_all()
    assert scenario.status is ScenarioStatus.SUBMITTED
    locked = text_of(client.get(f"/planning/scenarios/{scenario.id}/budget"))
    assert "its inputs are read-only" in locked and "Save the budget" not in locked
    client.post(url, data={"action": "approve", "version": scenario.version})
    session.expire_all()
    assert scenario.status is ScenarioStatus.APPROVED
    refused = client.post(
        url, data={"action": "return", "version": scenario.version}, follow_redirects=True
    )
    assert "Reason is required." in text_of(refused)
    client.post(
        url,
        data={"action": "return", "reason": "Board cut the budget", "version": scenario.version},
    )
    session.expire_all()
    assert scenario.status is ScenarioStatus.DRAFT
    page = text_of(client.get(f"/planning/scenarios/{scenario.id}"))
    assert "Board cut the budget" in page and "Returned to draft" in page


def test_a_stale_settings_form_saves_nothing_and_shows_the_saved_value(
    client, session, scenario, login_as
) -> None:
    login_as(Role.PLANNER)
    read_at = scenario.version
    data = {"name": "FY2028 plan", "years": "1", "default_max_concurrent": "1",
            "time_limit_s": "60", "move_penalty": "1"}  # fmt: skip
    first = client.post(
        f"/planning/scenarios/{scenario.id}/edit",
        data={**data, "time_limit_s": "90", "version": read_at},
    )
    assert first.status_code == 302
    second = client.post(
        f"/planning/scenarios/{scenario.id}/edit",
        data={**data, "time_limit_s": "30", "version": read_at},
    )
    page = text_of(second)
    assert second.status_code == 200
    assert "was changed by someone else" in page and "Saved now: 90" in page
    session.expire_all()
    assert scenario.time_limit_s == 90


def test_fewer_years_say_what_was_dropped(client, session, login_as, users) -> None:
    long = make_scenario(session, years=2, annual_budgets_cents=[1, 1], blackout_months=[3, 20])
    session.commit()
    login_as(Role.PLANNER)
    response = client.post(
        f"/planning/scenarios/{long.id}/edit",
        data={"name": long.name, "years": "1", "default_max_concurrent": "1",
              "time_limit_s": "60", "move_penalty": "1", "version": long.version},
        follow_redirects=True,
    )  # fmt: skip
    assert "1 month past the new end" in text_of(response)


def test_a_what_if_copy_with_less_budget_and_one_more_crew(
    client, session, scenario, login_as
) -> None:
    network = make_trade(session, "network")
    session.commit()
    login_as(Role.PLANNER)
    response = client.post(
        f"/planning/scenarios/{scenario.id}/copy",
        data={"name": "Leaner", "scope": "all", "budget_change_percent": "-10",
              f"extra-{network.id}": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    copy = session.scalar(select(Scenario).where(Scenario.name == "Leaner"))
    assert copy.annual_budgets_cents == [90_000_000]
    assert copy.trades[0].crews_by_month == [3] * 12
    assert len(copy.projects) == 1 and copy.plans == []
    bad = client.post(
        f"/planning/scenarios/{scenario.id}/copy",
        data={"name": "Other", "scope": "all", "budget_change_percent": "0",
              f"extra-{network.id}": "lots"},
    )  # fmt: skip
    assert "More Network crews: enter a whole number" in text_of(bad)


def test_delete_asks_for_the_current_version(client, session, scenario, login_as) -> None:
    login_as(Role.PLANNER)
    url = f"/planning/scenarios/{scenario.id}/delete"
    assert client.post(url, data={}).status_code == 302
    assert session.scalar(select(func.count(Scenario.id))) == 1
    response = client.post(url, data={"version": scenario.version})
    assert response.headers["Location"].endswith("/planning/scenarios/")
    assert session.scalar(select(func.count(Scenario.id))) == 0


def test_readers_cannot_post_and_the_history_names_the_inputs(
    client, session, scenario, login_as
) -> None:
    login_as(Role.PLANNER)
    client.post(
        f"/planning/scenarios/{scenario.id}/windows/new",
        data={"name": "Winter break", "months": ["5"], "version": scenario.version},
    )
    login_as(Role.PMO)
    budget = client.post(f"/planning/scenarios/{scenario.id}/budget", data={"annual-0": "1"})
    assert budget.status_code == 403
    history = text_of(client.get(f"/planning/scenarios/{scenario.id}/history"))
    assert "Work window Winter break added" in history and "Dec 2027" in history
