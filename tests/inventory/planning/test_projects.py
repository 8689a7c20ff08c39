"""Projects by hand: defaults from the catalogue, duplicates refused, months, predecessors,
pins, withdraw, restore and delete."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from inventory.enums import FundingKind, NeedKind, Role, ScenarioStatus
from inventory.errors import Duplicate, InvalidValue, StaleEdit, WrongState
from inventory.models import FundingSource, Project
from inventory.operations import projects as ops
from inventory.operations.plans import LeftOutProject, PlanOutcome, record_plan
from inventory.operations.project_rules import cost_of, value_of
from tests.factories import make_project, make_scenario, make_site, make_upgrade_type


def _sources(session, scenario):
    """An E-Rate source and the general fund (the default) for the scenario."""
    erate = FundingSource(scenario=scenario, code="erate", name="E-Rate",
                          kind=FundingKind.ERATE_C2, erate_per_student_cents=16_700)  # fmt: skip
    general = FundingSource(scenario=scenario, code="general", name="General fund",
                            is_default=True)  # fmt: skip
    session.add_all([erate, general])
    session.flush()
    return erate, general


def test_a_project_by_hand_takes_the_catalogue_s_defaults(session, users) -> None:
    scenario = make_scenario(session)
    erate, general = _sources(session, scenario)
    site = make_site(session, name="Lincoln Elementary", enrollment=400)
    wifi = make_upgrade_type(
        session, name="Wi-Fi refresh", description="Replace the access points.",
        duration_months=2, fixed_cost_cents=350_000, per_asset_cost_cents=110_000,
        per_student_cost_cents=400, value_weight=10, is_erate_eligible=True,
    )  # fmt: skip
    revision = scenario.inputs_revision
    project = ops.create_project(
        session, scenario, by=users[Role.PLANNER], site=site, upgrade_type=wifi,
        assets_replaced=10, assets_added=2,
    )  # fmt: skip
    assert project.name == "Wi-Fi refresh at Lincoln Elementary"
    assert project.scope == "Replace the access points."
    assert project.duration_months == 2
    assert project.cost_cents == 350_000 + 12 * 110_000 + 400 * 400
    assert project.cost_basis == (
        "$3,500 fixed + 12 switches at $1,100 + 400 students at $4 = $18,300"
    )
    assert project.value == 10 * 12
    assert project.funding_source is erate
    assert project.need_kind is NeedKind.REQUEST
    assert project.created_by_id == users[Role.PLANNER].id
    assert scenario.inputs_revision == revision + 1
    cameras = make_upgrade_type(session, name="Cameras", value_weight=9)
    other = ops.create_project(session, scenario, by=None, site=site, upgrade_type=cameras,
                               cost_cents=123_400)  # fmt: skip
    assert (other.cost_cents, other.cost_basis, other.value) == (123_400, "Set by hand.", 9)
    assert other.funding_source is general


def test_cost_and_value_follow_the_cost_model() -> None:
    class System:
        code = "wifi"

    class Upgrade:
        fixed_cost_cents, per_asset_cost_cents, per_student_cost_cents = 100_000, 50_050, 0
        value_weight, system = 5, System()

    cost, basis = cost_of(Upgrade(), replaced=1, added=0, enrollment=300)
    assert (cost, basis) == (150_050, "$1,000 fixed + 1 access point at $500.50 = $1,500.50")
    assert value_of(Upgrade(), overdue=3, replaced=5, added=2) == 5 * (2 * 3 + 2 + 2)
    assert value_of(Upgrade(), overdue=0, replaced=0, added=0) == 5  # at least the weight


def test_a_second_project_of_the_same_upgrade_at_a_site_is_refused(session, users) -> None:
    scenario = make_scenario(session)
    site = make_site(session, name="Lincoln Elementary")
    wifi = make_upgrade_type(session, name="Wi-Fi refresh")
    first = ops.create_project(session, scenario, by=users[Role.PLANNER], site=site,
                               upgrade_type=wifi)  # fmt: skip
    session.commit()
    day = first.created_at
    with pytest.raises(Duplicate) as error:
        ops.create_project(session, scenario, by=users[Role.ADMIN], site=site, upgrade_type=wifi)
    assert error.value.message == (
        f"Wi-Fi refresh at Lincoln Elementary is already in this scenario (added by planner on "
        f"{day.day} {day:%b %Y})."
    )
    assert error.value.field == "upgrade_type"
    # Another scenario may have the same project.
    ops.create_project(session, make_scenario(session), by=None, site=site, upgrade_type=wifi)


def test_the_database_s_unique_rule_gives_the_same_message(session, monkeypatch) -> None:
    """A project added between the check and the insert (a race) is caught by the database
    and reported like the check would."""
    scenario = make_scenario(session)
    site = make_site(session, name="Lincoln Elementary")
    wifi = make_upgrade_type(session, name="Wi-Fi refresh")
    make_project(session, scenario, site=site, upgrade_type=wifi, name="Wi-Fi at Lincoln")
    session.commit()
    real = ops._refuse_duplicate
    calls = []

    def late(*args):
        calls.append(args)
        if len(calls) > 1:  # the second look, after the database refused
            real(*args)

    monkeypatch.setattr(ops, "_refuse_duplicate", late)
    with pytest.raises(Duplicate, match="Wi-Fi at Lincoln is already in this scenario"):
        ops.create_project(session, scenario, by=None, site=site, upgrade_type=wifi)
    session.rollback()
    assert session.scalar(select(func.count(Project.id))) == 1


def test_months_are_checked_in_month_labels(session) -> None:
    scenario = make_scenario(session)  # FY2028: Jul 2027 to Jun 2028
    project = make_project(session, scenario, duration_months=2)
    with pytest.raises(InvalidValue) as error:
        ops.update_project(session, project, by=None, earliest_month=12)
    assert error.value.message == "The earliest start must be a month from Jul 2027 to Jun 2028."
    assert error.value.field == "earliest_month"
    with pytest.raises(InvalidValue, match=r"last month \(Aug 2027\) is before the earliest"):
        ops.update_project(session, project, by=None, earliest_month=3, latest_month=1)
    with pytest.raises(InvalidValue, match="From Oct 2027 to Oct 2027 is 1 months, too short"):
        ops.update_project(session, project, by=None, earliest_month=3, latest_month=3)
    with pytest.raises(InvalidValue) as error:
        ops.update_project(session, project, by=None, allowed_start_months=[11])
    assert error.value.field == "allowed_start_months"
    assert ops.update_project(
        session, project, by=None, earliest_month=2, latest_month=6, allowed_start_months=[4, 2],
        is_mandatory=True,
    )  # fmt: skip
    assert (project.earliest_month, project.latest_month) == (2, 6)
    assert project.allowed_start_months == [2, 4] and project.is_mandatory
    assert ops.update_project(session, project, by=None, allowed_start_months=[])
    assert project.allowed_start_months is None


def test_a_stale_edit_and_a_foreign_funding_source_are_refused(session) -> None:
    scenario = make_scenario(session)
    project = make_project(session, scenario, name="Wi-Fi at Lincoln")
    seen = project.version
    ops.update_project(session, project, by=None, expected_version=seen, cost_cents=5_000_000)
    assert project.cost_basis == "Set by hand."
    with pytest.raises(StaleEdit, match="Wi-Fi at Lincoln was changed by someone else"):
        ops.update_project(session, project, by=None, expected_version=seen, value=1)
    elsewhere, _ = _sources(session, make_scenario(session))
    with pytest.raises(InvalidValue) as error:
        ops.update_project(session, project, by=None, funding_source=elsewhere)
    assert error.value.field == "funding_source"


def test_predecessors_stay_in_the_scenario_and_make_no_loop(session) -> None:
    scenario = make_scenario(session)
    site = make_site(session, name="Lincoln")
    cabling = make_upgrade_type(session, name="Cabling")
    wifi = make_upgrade_type(session, name="Wi-Fi")
    wifi.prerequisites = [cabling]
    cabling_job = make_project(session, scenario, site=site, upgrade_type=cabling,
                               name="Cabling at Lincoln")  # fmt: skip
    wifi_job = make_project(session, scenario, site=site, upgrade_type=wifi,
                            name="Wi-Fi at Lincoln")  # fmt: skip
    cameras = make_project(session, scenario, site=site, name="Cameras at Lincoln")
    other = make_project(session, make_scenario(session))
    with pytest.raises(InvalidValue, match="in another scenario"):
        ops.set_predecessors(session, cameras, [other], by=None)
    with pytest.raises(InvalidValue, match="cannot follow itself"):
        ops.set_predecessors(session, cameras, [cameras], by=None)
    assert ops.set_predecessors(session, cameras, [wifi_job], by=None)
    # Cabling after cameras would close a loop through the catalogue's "cabling before Wi-Fi".
    with pytest.raises(InvalidValue) as error:
        ops.set_predecessors(session, cabling_job, [cameras], by=None)
    assert error.value.message == (
        "That would make a loop: Cabling at Lincoln, which comes after Cameras at Lincoln, "
        "which comes after Wi-Fi at Lincoln, which comes after Cabling at Lincoln."
    )
    assert cabling_job.predecessors == []
    assert not ops.set_predecessors(session, cameras, [wifi_job], by=None)  # no change


def test_pins_withdraw_restore_and_the_draft_rule(session, users) -> None:
    scenario = make_scenario(session)
    project = make_project(session, scenario, name="Wi-Fi at Lincoln")
    with pytest.raises(InvalidValue, match="from Jul 2027 to Jun 2028"):
        ops.pin_project(session, project, by=None, month=12)
    revision = scenario.inputs_revision
    ops.pin_project(session, project, by=None, month=3)
    assert project.pinned_month == 3 and scenario.inputs_revision == revision + 1
    ops.withdraw_project(session, project, by=None)
    assert project.is_withdrawn and project.pinned_month is None
    with pytest.raises(WrongState, match="restore it before pinning"):
        ops.pin_project(session, project, by=None, month=2)
    ops.restore_project(session, project, by=None)
    assert not project.is_withdrawn
    scenario.status = ScenarioStatus.SUBMITTED
    with pytest.raises(WrongState, match="is submitted; return it to draft"):
        ops.pin_project(session, project, by=None, month=None)
    with pytest.raises(WrongState):
        ops.create_project(session, scenario, by=None, site=make_site(session),
                           upgrade_type=make_upgrade_type(session))  # fmt: skip


def test_a_project_in_a_plan_is_withdrawn_not_deleted(session) -> None:
    scenario = make_scenario(session)
    kept = make_project(session, scenario, name="Wi-Fi at Lincoln")
    gone = make_project(session, scenario)
    outcome = PlanOutcome(
        status="feasible", value=0, bound=None, runtime_s=0.1, time_limit_s=5, method="test",
        problem={}, inputs_revision=scenario.inputs_revision, assignments=[],
        left_out=[LeftOutProject(kept.id, kept.key, "annual budget", "annual_budget", 1, 1)],
    )  # fmt: skip
    record_plan(session, scenario, by=None, outcome=outcome)
    with pytest.raises(WrongState, match="Wi-Fi at Lincoln is in plan version 1, so it stays"):
        ops.delete_project(session, kept, by=None)
    ops.delete_project(session, gone, by=None)
    session.commit()
    assert session.scalars(select(Project.id)).all() == [kept.id]
