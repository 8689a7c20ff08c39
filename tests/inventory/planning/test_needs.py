"""Generating needs against hand-made inventories: end of life by install date and by model
end of support, coverage rules, merges, duplicates, cost and value, and what gets written."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, insert, select

from inventory import needs as needs_module
from inventory.base import utcnow
from inventory.changelog import ChangeLogEntry
from inventory.enums import FundingKind, NeedKind, Role, ScenarioStatus, SiteKind, SiteStatus
from inventory.errors import Duplicate, WrongState
from inventory.models import Asset, AssetStatus, FundingSource, Project, ProjectAsset
from inventory.needs import create_needs, find_needs
from inventory.operations.projects import create_project
from tests.factories import (
    make_asset,
    make_model,
    make_project,
    make_scenario,
    make_site,
    make_system,
    make_upgrade_type,
)

TODAY = dt.date(2027, 3, 15)  # the scenario is FY2028: Jul 2027 to Jun 2028


@pytest.fixture
def district(session, users):
    """Lincoln (500 students) with Wi-Fi due and overdue; Adams (50 students) with no Wi-Fi;
    a switch whose model's support ends in the scenario; a camera with no upgrade type."""
    for site in users[Role.SITE_ADMIN].sites:  # the users' own school stays out of the way
        site.status = SiteStatus.CLOSED
    scenario = make_scenario(session)
    erate = FundingSource(scenario=scenario, code="erate", name="E-Rate",
                          kind=FundingKind.ERATE_C2)  # fmt: skip
    session.add(erate)
    wifi_model = make_model(session, system=make_system(session, "wifi"), useful_life_years=6)
    switch_model = make_model(session, system=make_system(session, "lan"), useful_life_years=7,
                              end_of_support_on=dt.date(2028, 2, 1))  # fmt: skip
    camera_model = make_model(session, system=make_system(session, "cameras"))
    wifi = make_upgrade_type(
        session, code="wifi", name="Wi-Fi refresh", system=make_system(session, "wifi"),
        fixed_cost_cents=350_000, per_asset_cost_cents=110_000, per_student_cost_cents=400,
        value_weight=10, is_erate_eligible=True, coverage_min_assets=4,
        coverage_students_per_asset=25, description="Replace the access points.",
    )  # fmt: skip
    lan = make_upgrade_type(session, code="lan", name="Switch refresh", value_weight=7,
                            fixed_cost_cents=0, per_asset_cost_cents=480_000)  # fmt: skip
    lincoln = make_site(session, code="LIN", name="Lincoln Elementary", enrollment=500)
    adams = make_site(session, code="ADA", name="Adams Elementary", enrollment=50)
    office = make_site(session, code="OFF", name="District Office", kind=SiteKind.OFFICE)
    closed = make_site(session, code="OLD", name="Old School", status=SiteStatus.CLOSED)

    def ap(site, installed, status=AssetStatus.IN_SERVICE, model=wifi_model):
        return make_asset(session, site=site, model=model, installed_on=installed, status=status)

    assets = {
        "overdue": ap(lincoln, dt.date(2021, 3, 1)),  # end of life Mar 2027
        "repair": ap(lincoln, dt.date(2021, 5, 1), AssetStatus.IN_REPAIR),  # May 2027
        "due": ap(lincoln, dt.date(2022, 1, 10)),  # Jan 2028
        "later": ap(lincoln, dt.date(2023, 1, 1)),  # 2029: not due
        "spare": ap(lincoln, dt.date(2019, 1, 1), AssetStatus.SPARE),
        "retired": ap(lincoln, dt.date(2019, 1, 1), AssetStatus.RETIRED),
        "planned": ap(lincoln, dt.date(2019, 1, 1), AssetStatus.PLANNED),
        "office": ap(office, dt.date(2020, 1, 1)),
        "closed": ap(closed, dt.date(2020, 1, 1)),
        "camera": ap(lincoln, dt.date(2015, 1, 1), model=camera_model),
    }
    # A switch loaded in bulk (as the demo does) whose stored end of life ignores its model's
    # end of support: Feb 2028 still makes it due.
    session.execute(insert(Asset), [{
        "tag": "SW-LIN-1", "model_id": switch_model.id, "site_id": lincoln.id,
        "status": AssetStatus.IN_SERVICE, "installed_on": dt.date(2025, 1, 1),
        "end_of_life_on": dt.date(2032, 1, 1), "created_at": utcnow(), "updated_at": utcnow(),
    }])  # fmt: skip
    assets["switch"] = session.scalar(select(Asset).where(Asset.tag == "SW-LIN-1"))
    session.commit()
    return {"scenario": scenario, "wifi": wifi, "lan": lan, "lincoln": lincoln,
            "adams": adams, "office": office, "erate": erate, "assets": assets}  # fmt: skip


def _by_key(preview):
    """Proposals by (site code, upgrade type name)."""
    return {(p.site_code, p.upgrade_type_name): p for p in preview.proposed}


def test_end_of_life_and_coverage_become_one_project_per_site_and_upgrade(district, session):
    preview = find_needs(session, district["scenario"], today=TODAY)
    proposals = _by_key(preview)
    assert set(proposals) == {
        ("LIN", "Wi-Fi refresh"), ("LIN", "Switch refresh"), ("ADA", "Wi-Fi refresh"),
        ("OFF", "Wi-Fi refresh"),
    }  # fmt: skip
    assets = district["assets"]
    lincoln = proposals["LIN", "Wi-Fi refresh"]
    assert sorted(lincoln.asset_ids) == sorted(
        [assets["overdue"].id, assets["repair"].id, assets["due"].id]
    )
    # 4 access points in service or in repair; 500 students need 20: 16 more.
    assert (lincoln.assets_replaced, lincoln.assets_overdue, lincoln.assets_added) == (3, 2, 16)
    assert lincoln.need_kind == NeedKind.END_OF_LIFE.value
    assert lincoln.need_summary == (
        "3 access points reach end of life by Jun 2028 (2 already past it before Jul 2027); "
        "16 more needed for one per 25 students"
    )
    assert lincoln.cost_cents == 350_000 + (3 + 16) * 110_000 + 500 * 400
    assert lincoln.cost_basis == (
        "$3,500 fixed + 19 access points at $1,100 + 500 students at $4 = $26,400"
    )
    assert lincoln.value == 10 * (2 * 2 + 1 + 16)
    assert lincoln.funding_source_id == district["erate"].id
    assert lincoln.name == "Wi-Fi refresh at Lincoln Elementary"
    adams = proposals["ADA", "Wi-Fi refresh"]
    assert (adams.assets_replaced, adams.assets_added, adams.need_kind) == (0, 4, "coverage")
    assert adams.need_summary == "4 access points needed for at least 4 (none in service)"
    office = proposals["OFF", "Wi-Fi refresh"]  # end of life only: offices have no coverage rule
    assert (office.assets_replaced, office.assets_added) == (1, 0)


def test_model_end_of_support_makes_an_asset_due(district, session) -> None:
    proposals = _by_key(find_needs(session, district["scenario"], today=TODAY))
    switch = proposals["LIN", "Switch refresh"]
    assert switch.asset_ids == [district["assets"]["switch"].id]
    assert switch.asset_end_of_life == [dt.date(2028, 2, 1)]
    assert (switch.cost_cents, switch.value, switch.funding_source_id) == (480_000, 7, None)


def test_systems_without_an_upgrade_type_are_listed(district, session) -> None:
    preview = find_needs(session, district["scenario"], today=TODAY)
    assert preview.without_upgrade_type == ["Security cameras"]
    assert preview.assets_without_upgrade_type == {"Security cameras": 1}
    assert preview.total_cost_cents == sum(p.cost_cents for p in preview.proposed)
    assert preview.by_system[0][:2] == ("Wi-Fi", 3)


def test_finding_needs_writes_nothing(district, session) -> None:
    scenario = district["scenario"]
    revision, entries = scenario.inputs_revision, session.scalar(func.count(ChangeLogEntry.id))
    find_needs(session, scenario, today=TODAY)
    session.commit()
    assert session.scalar(select(func.count(Project.id))) == 0
    assert session.scalar(select(func.count(ChangeLogEntry.id))) == entries
    assert scenario.inputs_revision == revision and scenario.needs_generated_at is None


def test_creating_needs_writes_projects_assets_and_one_history_entry(district, session, users):
    scenario = district["scenario"]
    planner = users[Role.PLANNER]
    revision = scenario.inputs_revision
    result = create_needs(session, scenario, by=planner, today=TODAY)
    session.commit()
    assert (result.created, result.assets_linked, result.skipped) == (4, 5, 0)
    projects = {p.key: p for p in session.scalars(select(Project))}
    assert set(projects) == {"LIN:wifi", "LIN:lan", "ADA:wifi", "OFF:wifi"}
    lincoln = projects["LIN:wifi"]
    assert lincoln.is_generated and lincoln.created_by_id == planner.id
    assert lincoln.funding_source_id == district["erate"].id
    assert lincoln.scope == "Replace the access points."
    assert len(lincoln.asset_links) == 3
    assert result.total_cost_cents == sum(p.cost_cents for p in projects.values())
    assert session.scalar(select(func.count(ProjectAsset.id))) == 5
    assert scenario.needs_generated_at is not None
    assert scenario.inputs_revision == revision + 1
    entries = session.scalars(
        select(ChangeLogEntry).where(
            ChangeLogEntry.object_type == "scenarios",
            ChangeLogEntry.object_id == scenario.id,
            ChangeLogEntry.action == "update",
        )
    ).all()
    assert len(entries) == 1 and entries[0].actor_name == planner.username
    assert entries[0].changes["projects_from_needs"][1].startswith("4 projects created ($")
    generated_at = scenario.needs_generated_at.replace(tzinfo=None)  # SQLite keeps no zone
    assert generated_at == result.created_at.replace(tzinfo=None)
    # Again: everything is already in the scenario.
    again = create_needs(session, scenario, by=planner, today=TODAY)
    assert (again.created, again.skipped) == (0, 4)


def test_a_project_added_by_hand_first_is_skipped_and_names_the_first(district, session, users):
    scenario = district["scenario"]
    create_project(session, scenario, by=users[Role.ADMIN], site=district["lincoln"],
                   upgrade_type=district["wifi"])  # fmt: skip
    preview = find_needs(session, scenario, today=TODAY)
    assert preview.already_planned == 1
    assert ("LIN", "Wi-Fi refresh") not in _by_key(preview)
    create_needs(session, scenario, by=users[Role.PLANNER], today=TODAY)
    session.commit()
    with pytest.raises(
        Duplicate,
        match=r"Wi-Fi refresh at Adams Elementary is already in this "
        r"scenario \(generated from needs by planner on ",
    ):
        create_project(session, scenario, by=users[Role.ADMIN], site=district["adams"],
                       upgrade_type=district["wifi"])  # fmt: skip


def test_needs_are_generated_for_a_draft_only(district, session, users) -> None:
    scenario = district["scenario"]
    scenario.status = ScenarioStatus.SUBMITTED
    with pytest.raises(WrongState, match="is submitted"):
        create_needs(session, scenario, by=users[Role.PLANNER], today=TODAY)
    session.rollback()
    assert session.scalar(select(func.count(Project.id))) == 0


def test_a_retired_upgrade_type_answers_no_needs(district, session) -> None:
    district["wifi"].is_active = False
    preview = find_needs(session, district["scenario"], today=TODAY)
    assert {p.upgrade_type_name for p in preview.proposed} == {"Switch refresh"}
    assert preview.without_upgrade_type == ["Security cameras", "Wi-Fi"]


def test_a_project_added_while_needs_are_created_stops_them_all(
    district, session, users, monkeypatch
) -> None:
    """The database's unique rule catches a project added between finding and creating: the
    whole batch is undone and the planner is told to generate again."""
    scenario = district["scenario"]
    preview = find_needs(session, scenario, today=TODAY)
    make_project(session, scenario, site=district["adams"], upgrade_type=district["wifi"])
    session.commit()
    monkeypatch.setattr(needs_module, "find_needs", lambda *args, **kwargs: preview)
    with pytest.raises(Duplicate, match="generate the needs again"):
        create_needs(session, scenario, by=users[Role.PLANNER], today=TODAY)
    session.rollback()
    assert session.scalar(select(func.count(Project.id))) == 1  # the one added meanwhile
    assert session.scalar(select(func.count(ProjectAsset.id))) == 0
