"""Scenario operations: create and resize, budgets, crews, funding (E-Rate), calendar, site
rules, the review workflow and deletion; draft only, and every input change counted."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from inventory.enums import Role, ScenarioStatus
from inventory.errors import Duplicate, InvalidValue, StaleEdit, WrongState
from inventory.models import Plan, Project, Scenario
from inventory.operations.plans import publish_plan
from inventory.operations.scenarios import (
    SubmissionBlocked,
    add_work_window,
    approve_scenario,
    create_scenario,
    delete_scenario,
    return_to_draft,
    set_budgets,
    set_site_rule,
    submit_scenario,
    update_scenario,
)
from inventory.queries.scenarios import scenario_history
from tests.factories import make_project, make_scenario, make_site, make_user
from tests.inventory.planning.scenario_helpers import record_simple_plan


@pytest.fixture
def planner(session):
    user = make_user(session, Role.PLANNER)
    session.commit()
    return user


def no_checks(_session, _scenario):
    return []


def test_create_sizes_the_lists_to_the_years_and_refuses_a_taken_name(session, planner) -> None:
    scenario = create_scenario(
        session, by=planner, name="FY2028 plan", first_year=2028, years=2, start_month=7
    )
    assert scenario.status is ScenarioStatus.DRAFT
    assert scenario.annual_budgets_cents == [None, None]
    assert scenario.months == 24 and scenario.month_label(0) == "Jul 2027"
    assert scenario.month_label(23) == "Jun 2029"
    assert scenario.created_by_id == planner.id
    with pytest.raises(Duplicate) as error:
        create_scenario(session, by=planner, name="fy2028 PLAN", first_year=2028, start_month=7)
    assert error.value.field == "name"


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"years": 6}, "years"), ({"start_month": 13}, "start_month"), ({"name": " "}, "name")],
)
def test_create_refuses_values_out_of_range(session, planner, fields, field) -> None:
    values = {"name": "Plan", "first_year": 2028, "years": 1, "start_month": 7, **fields}
    with pytest.raises(InvalidValue) as error:
        create_scenario(session, by=planner, **values)
    assert error.value.field == field


def test_more_years_pad_every_list_and_repeat_the_calendar(session, planner) -> None:
    scenario = make_scenario(session, annual_budgets_cents=[500_000_00], blackout_months=[5])
    scenario.trades[0].crews_by_month = [1] * 11 + [3]
    add_work_window(session, scenario, by=planner, name="Summer break", months=[0, 1, 11])
    revision = scenario.inputs_revision
    dropped = update_scenario(session, scenario, by=planner, years=2)
    assert dropped == 0
    assert scenario.annual_budgets_cents == [500_000_00, None]
    assert scenario.trades[0].crews_by_month == [1] * 11 + [3] * 13
    assert scenario.windows[0].months == [0, 1, 11, 12, 13, 23]
    assert scenario.blackout_months == [5, 17]
    assert scenario.inputs_revision == revision + 1


def test_fewer_years_drop_months_and_pins_past_the_end(session, planner) -> None:
    scenario = make_scenario(session, years=2, annual_budgets_cents=[1, 2], blackout_months=[3, 15])
    scenario.monthly_caps_cents = [100] * 24
    site = make_site(session)
    set_site_rule(session, scenario, site, by=planner, blackout_months=[2, 14, 20])
    project = make_project(session, scenario, pinned_month=18, allowed_start_months=[1, 13])
    dropped = update_scenario(session, scenario, by=planner, years=1)
    assert dropped == 5  # one district blackout, two site blackouts, a pin, an allowed start
    assert scenario.annual_budgets_cents == [1]
    assert len(scenario.monthly_caps_cents) == 12
    assert len(scenario.trades[0].crews_by_month) == 12
    assert scenario.site_settings[0].blackout_months == [2]
    assert project.pinned_month is None and project.allowed_start_months == [1]


def test_a_stale_form_and_a_submitted_scenario_are_refused(session, planner) -> None:
    scenario = make_scenario(session)
    read_at = scenario.version
    update_scenario(session, scenario, by=planner, name="Renamed", expected_version=read_at)
    with pytest.raises(StaleEdit):
        update_scenario(session, scenario, by=planner, time_limit_s=30, expected_version=read_at)
    scenario.status = ScenarioStatus.SUBMITTED
    with pytest.raises(WrongState):
        set_budgets(session, scenario, by=planner, annual_budgets_cents=[1])


def test_renaming_does_not_make_plans_out_of_date(session, planner) -> None:
    scenario = make_scenario(session)
    revision = scenario.inputs_revision
    update_scenario(session, scenario, by=planner, name="Other name", time_limit_s=120)
    assert scenario.inputs_revision == revision
    update_scenario(session, scenario, by=planner, default_max_concurrent=2)
    assert scenario.inputs_revision == revision + 1


def test_submission_is_blocked_by_failed_checks(session, planner) -> None:
    scenario = make_scenario(session)
    with pytest.raises(SubmissionBlocked) as error:
        submit_scenario(session, scenario, by=planner, checks=lambda *_: ["Budget is zero."])
    assert error.value.problems == ["Budget is zero."]
    assert scenario.status is ScenarioStatus.DRAFT


def test_the_review_goes_submitted_approved_and_back_with_a_reason(session, planner) -> None:
    scenario = make_scenario(session)
    session.commit()
    revision = scenario.inputs_revision
    submit_scenario(session, scenario, by=planner, checks=no_checks)
    with pytest.raises(WrongState):
        add_work_window(session, scenario, by=planner, name="Summer", months=[0])
    approve_scenario(session, scenario, by=planner)
    assert scenario.status is ScenarioStatus.APPROVED
    with pytest.raises(InvalidValue) as error:
        return_to_draft(session, scenario, by=planner, reason="  ")
    assert error.value.field == "reason"
    return_to_draft(session, scenario, by=planner, reason="Budget cut by the board")
    session.commit()
    assert scenario.status is ScenarioStatus.DRAFT
    assert scenario.status_note == "Budget cut by the board"
    assert scenario.inputs_revision == revision  # a status is not an input
    history = scenario_history(session, scenario)
    entries = [e for e in history if e.action == "update" and "status" in e.changes]
    assert [e.changes["status"][1] for e in entries] == ["draft", "approved", "submitted"]
    assert {e.actor_name for e in entries} == {planner.username}


def test_approval_needs_a_submitted_scenario(session, planner) -> None:
    scenario = make_scenario(session)
    with pytest.raises(WrongState):
        approve_scenario(session, scenario, by=planner)
    with pytest.raises(WrongState):
        return_to_draft(session, scenario, by=planner, reason="Why")


def test_delete_removes_projects_and_plans_but_never_a_published_plan(session, planner) -> None:
    scenario = make_scenario(session)
    plan = record_simple_plan(session, scenario, planner)
    session.commit()
    delete_scenario(session, scenario, by=planner)
    session.commit()
    assert session.scalar(select(func.count(Project.id))) == 0
    assert session.scalar(select(func.count(Plan.id))) == 0
    kept = make_scenario(session, status=ScenarioStatus.APPROVED)
    plan = record_simple_plan(session, kept, planner)
    publish_plan(session, plan, by=planner)
    kept.status = ScenarioStatus.DRAFT
    with pytest.raises(WrongState, match="published"):
        delete_scenario(session, kept, by=planner)
    assert session.scalar(select(func.count(Scenario.id))) == 1
