"""What changed between plans: moved, added, dropped against another version; two plans of two
scenarios compared by site and upgrade type, by site and by calendar month."""

from __future__ import annotations

import datetime as dt

from inventory.models import Plan, Project, Scenario
from inventory.operations.plans import LeftOutProject, PlannedProject, PlanOutcome, record_plan
from inventory.queries.changes import (
    ChangeFilters,
    compare_plans,
    plan_changes,
    plan_versions,
    plans_by_scenario,
)
from tests.factories import (
    make_project,
    make_region,
    make_scenario,
    make_site,
    make_system,
    make_upgrade_type,
)


def record(
    session,
    scenario: Scenario,
    starts: dict[Project, int],
    left_out: dict[Project, str] | None = None,
) -> Plan:
    """A plan version of the scenario scheduling `starts` and leaving out `left_out`."""
    outcome = PlanOutcome(
        status="feasible", value=sum(p.value for p in starts), bound=None, runtime_s=0.1,
        time_limit_s=1, method="test", problem={}, inputs_revision=scenario.inputs_revision,
        assignments=[
            PlannedProject(p.id, f"K{p.id}", month, p.duration_months, p.cost_cents, p.value)
            for p, month in starts.items()
        ],
        left_out=[
            LeftOutProject(p.id, f"K{p.id}", reason, "annual_budget", p.cost_cents, p.value)
            for p, reason in (left_out or {}).items()
        ],
    )  # fmt: skip
    return record_plan(session, scenario, by=None, outcome=outcome)


def two_versions(session):
    """Version 1 and version 2 of a scenario, with one project of each kind of change."""
    scenario = make_scenario(session)
    north = make_region(session)
    north.name = "North"
    wifi = make_upgrade_type(session, name="Wi-Fi refresh", system=make_system(session, "wifi"))
    same, moves, drops, withdrawn, added = (
        make_project(session, scenario, name=name, site=make_site(session, region=north))
        for name in ("Same", "Moves", "Drops", "Withdrawn", "Added")
    )
    added.upgrade_type = wifi
    added.site.name = "Lincoln Elementary"
    first = record(session, scenario, {same: 0, moves: 1, drops: 2, withdrawn: 3})
    withdrawn.is_withdrawn = True
    second = record(
        session, scenario, {same: 0, moves: 4, added: 5}, {drops: "annual budget exhausted"}
    )
    session.flush()
    return first, second, north


def test_moved_added_and_dropped_against_an_earlier_version(session) -> None:
    first, second, _north = two_versions(session)

    changes = plan_changes(session, second, first)

    assert [(row.name, row.old_month, row.new_month) for row in changes.moved] == [("Moves", 1, 4)]
    assert [(row.name, row.old_month, row.new_month) for row in changes.added] == [
        ("Added", None, 5)
    ]
    dropped = {row.name: row for row in changes.dropped}
    assert set(dropped) == {"Drops", "Withdrawn"}
    assert dropped["Drops"].reason == "annual budget exhausted"
    assert dropped["Drops"].old_month == 2 and dropped["Drops"].new_month is None
    assert dropped["Withdrawn"].reason is None and dropped["Withdrawn"].is_withdrawn
    assert changes.unchanged == 1
    assert changes.changed == 4
    assert changes.moved[0].region_name == "North"


def test_the_other_way_round_swaps_added_and_dropped(session) -> None:
    first, second, _north = two_versions(session)

    changes = plan_changes(session, first, second)

    assert {row.name for row in changes.added} == {"Drops", "Withdrawn"}
    assert [row.name for row in changes.dropped] == ["Added"]
    assert changes.dropped[0].reason is None  # version 1 did not consider it left out
    assert [(row.old_month, row.new_month) for row in changes.moved] == [(4, 1)]


def test_filters_narrow_every_list_and_the_count(session) -> None:
    first, second, north = two_versions(session)

    wifi_only = plan_changes(
        session, second, first, ChangeFilters(system_id=make_system(session, "wifi").id)
    )
    assert [row.name for row in wifi_only.added] == ["Added"]
    assert wifi_only.moved == [] and wifi_only.dropped == [] and wifi_only.unchanged == 0

    by_site = plan_changes(session, second, first, ChangeFilters(site="lincoln"))
    assert [row.name for row in by_site.added] == ["Added"] and by_site.changed == 1

    elsewhere = plan_changes(session, second, first, ChangeFilters(region_id=north.id + 1000))
    assert elsewhere.changed == 0 and elsewhere.unchanged == 0
    in_north = plan_changes(session, second, first, ChangeFilters(region_id=north.id))
    assert in_north.changed == 4 and in_north.unchanged == 1


def test_a_scenarios_versions_and_the_plans_to_pick_from(session) -> None:
    first, second, _north = two_versions(session)
    other = make_scenario(session, name="Another")

    assert [plan.version for plan in plan_versions(session, first.scenario_id)] == [2, 1]
    groups = plans_by_scenario(session)
    assert [(scenario.id, [p.id for p in plans]) for scenario, plans in groups] == [
        (first.scenario_id, [second.id, first.id])
    ]
    assert other.id not in {scenario.id for scenario, _plans in groups}


def test_compare_matches_two_scenarios_by_site_and_upgrade_type(session) -> None:
    """A two-year scenario (from Jul 2027) and a one-year copy from Jul 2028: the copy's month
    0 is the first's month 12, so a project in those months is in the same calendar month."""
    first = make_scenario(session, name="Two years", years=2, annual_budgets_cents=[10**8] * 2)
    second = make_scenario(session, name="Next year", first_year=2029)
    cabling, wifi = make_upgrade_type(session, name="Cabling"), make_upgrade_type(session)
    lincoln, oak, elm = (make_site(session, code=code) for code in ("LIN", "OAK", "ELM"))
    in_first = {
        "same": make_project(session, first, site=lincoln, upgrade_type=cabling, value=5),
        "moves": make_project(session, first, site=oak, upgrade_type=cabling, value=7),
        "only_a": make_project(session, first, site=elm, upgrade_type=wifi),
    }
    in_second = {
        "same": make_project(session, second, site=lincoln, upgrade_type=cabling, value=5),
        "moves": make_project(session, second, site=oak, upgrade_type=cabling, value=7),
        "only_b": make_project(session, second, site=lincoln, upgrade_type=wifi),
    }
    plan_a = record(session, first, {in_first["same"]: 12, in_first["moves"]: 13,
                                     in_first["only_a"]: 2})  # fmt: skip
    plan_b = record(session, second, {in_second["same"]: 0, in_second["moves"]: 3,
                                      in_second["only_b"]: 4})  # fmt: skip

    result = compare_plans(session, plan_a, plan_b)

    assert result.same == 1
    assert [(d.site_code, d.upgrade_name, d.a_month, d.b_month) for d in result.moved] == [
        ("OAK", "Cabling", dt.date(2028, 8, 1), dt.date(2028, 10, 1))
    ]
    assert [(d.site_code, d.a_month, d.b_month) for d in result.only_a] == [
        ("ELM", dt.date(2027, 9, 1), None)
    ]
    assert [(d.site_code, d.a_month, d.b_month) for d in result.only_b] == [
        ("LIN", None, dt.date(2028, 11, 1))
    ]
    # By site: the three sites differ (Lincoln has Wi-Fi only in B), each side's totals.
    sites = {site.code: site for site in result.sites}
    assert all(site.differs for site in result.sites)
    assert (sites["LIN"].a.projects, sites["LIN"].b.projects) == (1, 2)
    assert sites["ELM"].b.projects == 0 and sites["ELM"].a.cost_cents == 2_000_000
    # By month: 24 calendar months (Jul 2027 to Jun 2029), the starts of each plan in them.
    assert len(result.months) == 24
    months = {row.month: row for row in result.months}
    assert months[dt.date(2028, 7, 1)].a.projects == 1 and months[dt.date(2028, 7, 1)].b.projects
    assert months[dt.date(2027, 9, 1)].a.cost_cents == 2_000_000
    assert months[dt.date(2027, 9, 1)].b.projects == 0


def test_two_versions_of_one_scenario_compare_too_and_sites_that_differ_come_first(
    session,
) -> None:
    first, second, _north = two_versions(session)

    result = compare_plans(session, first, second)

    assert {d.upgrade_name for d in result.only_b} == {"Wi-Fi refresh"}
    assert len(result.only_a) == 2 and len(result.moved) == 1 and result.same == 1
    flags = [site.differs for site in result.sites]
    assert flags == sorted(flags, reverse=True) and flags.count(False) == 1
