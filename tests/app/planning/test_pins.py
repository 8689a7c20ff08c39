"""Checking a pin before it is saved: each rule of the scenario, named in month labels and names.

The scenario of these tests is FY2028: month 0 is Jul 2027, month 3 Oct 2027, month 11 Jun 2028.
"""

from __future__ import annotations

from app.planning.adapter import problem_for
from app.planning.pins import check_pin
from inventory.enums import FundingKind, ScenarioStatus
from inventory.models import FundingSource, ScenarioSite, WorkWindow
from inventory.operations.projects import pin_project
from tests.factories import (
    make_project,
    make_scenario,
    make_site,
    make_trade,
    make_upgrade_type,
)


def only(messages: list[str]) -> str:
    """The one message a check gave."""
    assert len(messages) == 1, messages
    return messages[0]


def test_a_pin_that_breaks_no_rule_is_allowed_and_saved(session, users) -> None:
    scenario = make_scenario(session)
    project = make_project(session, scenario, name="Wi-Fi at Lincoln")
    revision = scenario.inputs_revision

    assert check_pin(session, project, 3) == []
    pin_project(session, project, by=None, month=3)
    session.commit()

    assert project.pinned_month == 3
    assert scenario.inputs_revision == revision + 1
    assert check_pin(session, project, 4) == []  # its own pin does not count against it


def test_months_outside_the_scenario_and_its_earliest_and_latest_months(session) -> None:
    scenario = make_scenario(session)
    project = make_project(
        session, scenario, name="Wi-Fi at Lincoln", earliest_month=3, latest_month=6,
        duration_months=2,
    )  # fmt: skip

    assert only(check_pin(session, project, 12)) == (
        "The month must be one of the scenario's, Jul 2027 to Jun 2028."
    )
    assert only(check_pin(session, project, 1)) == (
        "Pinning Wi-Fi at Lincoln to Aug 2027 starts before its earliest month, Oct 2027."
    )
    assert only(check_pin(session, project, 6)) == (
        "Pinning Wi-Fi at Lincoln to Jan 2028: it would still be under way in Feb 2028, after "
        "its latest month, Jan 2028."
    )
    project.latest_month = None
    assert only(check_pin(session, project, 11)) == (
        "Pinning Wi-Fi at Lincoln to Jun 2028: it lasts 2 months and would run past the "
        "scenario's last month, Jun 2028."
    )
    assert check_pin(session, project, 5) == []


def test_allowed_start_months(session) -> None:
    scenario = make_scenario(session)
    project = make_project(session, scenario, name="Phones", allowed_start_months=[0, 1, 6])

    assert only(check_pin(session, project, 4)) == (
        "Pinning Phones to Nov 2027: Nov 2027 is not one of its allowed start months "
        "(Jul 2027 to Aug 2027, Jan 2028)."
    )
    assert check_pin(session, project, 6) == []


def test_disruptive_work_must_lie_inside_one_work_window(session) -> None:
    scenario = make_scenario(session)
    cabling = make_upgrade_type(session, name="Cabling", is_disruptive=True, duration_months=2)
    project = make_project(session, scenario, name="Cabling at Oak", upgrade_type=cabling)

    assert "but the scenario has no work windows" in only(check_pin(session, project, 0))
    scenario.windows = [
        WorkWindow(name="Summer break", months=[0, 1, 11]),
        WorkWindow(name="Winter break", months=[5]),
    ]
    session.flush()

    assert only(check_pin(session, project, 5)) == (
        "Pinning Cabling at Oak to Dec 2027: Cabling is disruptive work, which must lie inside "
        "one work window, and Dec 2027 to Jan 2028 is not inside one (Summer break: Jul 2027 to "
        "Aug 2027, Jun 2028; Winter break: Dec 2027)."
    )
    assert check_pin(session, project, 0) == []


def test_district_and_site_blackout_months(session) -> None:
    scenario = make_scenario(session, blackout_months=[5])
    oak = make_site(session, name="Oak Middle")
    scenario.site_settings = [ScenarioSite(site=oak, blackout_months=[9, 10])]
    project = make_project(session, scenario, name="UPS at Oak", site=oak, duration_months=2)

    assert only(check_pin(session, project, 4)) == (
        "Pinning UPS at Oak to Nov 2027 puts it under way in Dec 2027, a district blackout month."
    )
    assert only(check_pin(session, project, 8)) == (
        "Pinning UPS at Oak to Mar 2028 puts it under way in Apr 2028, a blackout month at Oak "
        "Middle."
    )
    assert "Apr 2028 to May 2028, blackout months at Oak Middle" in only(
        check_pin(session, project, 9)
    )


def test_crews_left_among_the_other_pinned_projects(session) -> None:
    scenario = make_scenario(session)  # 2 Network crews a month
    for name in ("First", "Second"):
        make_project(session, scenario, name=name, pinned_month=3)
    make_project(session, scenario, name="Unpinned", duration_months=3)  # does not count
    project = make_project(session, scenario, name="Wi-Fi at Lincoln", duration_months=2)

    assert only(check_pin(session, project, 2)) == (
        "Pinning Wi-Fi at Lincoln to Sep 2027 needs 1 Network crew in Oct 2027; the scenario has "
        "2 and pinned projects already use 2."
    )
    assert check_pin(session, project, 4) == []


def test_a_trade_short_in_several_months_says_so(session) -> None:
    scenario = make_scenario(session)
    security = make_trade(session, "security", "Security")
    cameras = make_upgrade_type(session, trade=security, crews=2, duration_months=2)
    project = make_project(session, scenario, name="Cameras at Elm", upgrade_type=cameras)

    assert only(check_pin(session, project, 0)) == (
        "Pinning Cameras at Elm to Jul 2027 needs 2 Security crews in Jul 2027; the scenario has "
        "0 and pinned projects already use 0 (also short in Aug 2027)."
    )


def test_projects_at_once_at_a_site(session) -> None:
    scenario = make_scenario(session)
    lincoln = make_site(session, name="Lincoln Elementary")
    make_project(session, scenario, name="Cabling at Lincoln", site=lincoln, pinned_month=3)
    project = make_project(session, scenario, name="Wi-Fi at Lincoln", site=lincoln)

    assert only(check_pin(session, project, 3)) == (
        "Pinning Wi-Fi at Lincoln to Oct 2027: Lincoln Elementary takes at most 1 project at "
        "once, and Cabling at Lincoln is pinned there in Oct 2027."
    )
    scenario.site_settings = [ScenarioSite(site=lincoln, max_concurrent=2)]
    session.flush()
    assert check_pin(session, project, 3) == []


def test_the_months_spending_cap(session) -> None:
    scenario = make_scenario(session, monthly_caps_cents=[3_000_000] * 12)
    make_project(session, scenario, name="Cabling at Oak", pinned_month=3)  # $20,000
    project = make_project(session, scenario, name="Wi-Fi at Lincoln")

    assert only(check_pin(session, project, 3)) == (
        "Pinning Wi-Fi at Lincoln to Oct 2027: the spending cap of Oct 2027 is $30,000; pinned "
        "projects already spend $20,000 then and this one costs $20,000."
    )
    assert check_pin(session, project, 4) == []


def test_the_annual_budget(session) -> None:
    scenario = make_scenario(session, annual_budgets_cents=[5_000_000])
    make_project(session, scenario, name="Cabling at Oak", pinned_month=0)
    make_project(session, scenario, name="Cabling at Elm", pinned_month=6)
    project = make_project(session, scenario, name="Wi-Fi at Lincoln")

    assert only(check_pin(session, project, 3)) == (
        "Pinning Wi-Fi at Lincoln to Oct 2027: the annual budget is $50,000; pinned projects "
        "already cost $40,000 and this one costs $20,000."
    )


def test_the_funding_sources_cap(session) -> None:
    scenario = make_scenario(session)
    bond = FundingSource(scenario=scenario, code="bond", name="Bond program",
                         kind=FundingKind.BOND, cap_cents=3_000_000)  # fmt: skip
    session.add(bond)
    make_project(session, scenario, name="Cabling at Oak", pinned_month=0, funding_source=bond)
    make_project(session, scenario, name="Cabling at Elm", pinned_month=1)  # general fund
    project = make_project(session, scenario, name="Wi-Fi at Lincoln", funding_source=bond)

    assert only(check_pin(session, project, 3)) == (
        "Pinning Wi-Fi at Lincoln to Oct 2027: Bond program has $30,000 for this scenario; "
        "pinned projects already draw $20,000 from it and this one costs $20,000."
    )


def test_predecessors_and_pinned_successors(session) -> None:
    scenario = make_scenario(session)
    oak = make_site(session, name="Oak Middle")
    scenario.site_settings = [ScenarioSite(site=oak, max_concurrent=2)]  # the order alone
    cabling_type = make_upgrade_type(session, name="Cabling", duration_months=2)
    wifi_type = make_upgrade_type(session, name="Wi-Fi")
    wifi_type.prerequisites = [cabling_type]  # the catalogue: cabling before Wi-Fi
    cabling = make_project(session, scenario, name="Cabling at Oak", site=oak,
                           upgrade_type=cabling_type, pinned_month=3)  # fmt: skip
    wifi = make_project(session, scenario, name="Wi-Fi at Oak", site=oak, upgrade_type=wifi_type)

    assert only(check_pin(session, wifi, 4)) == (
        "Pinning Wi-Fi at Oak to Nov 2027: Cabling at Oak must come first and is pinned to "
        "Oct 2027, under way until Nov 2027."
    )
    assert check_pin(session, wifi, 5) == []

    wifi.pinned_month = 5
    session.flush()
    assert only(check_pin(session, cabling, 4)) == (
        "Pinning Cabling at Oak to Nov 2027: it would be under way until Dec 2027, but Wi-Fi at "
        "Oak must come after it and is pinned to Dec 2027."
    )


def test_an_unpinned_predecessor_that_cannot_finish_in_time(session) -> None:
    scenario = make_scenario(session)
    first = make_project(session, scenario, name="Core switch", earliest_month=6)
    later = make_project(session, scenario, name="Closet switches")
    later.predecessors = [first]  # set by hand
    session.flush()

    assert only(check_pin(session, later, 3)) == (
        "Pinning Closet switches to Oct 2027: Core switch must come first, and its own months, "
        "windows and blackouts (and those of the work before it) do not let it finish before "
        "Oct 2027."
    )
    assert check_pin(session, later, 7) == []


def test_only_a_draft_scenarios_projects_can_be_pinned(session) -> None:
    scenario = make_scenario(session, name="FY2028 plan", status=ScenarioStatus.APPROVED)
    project = make_project(session, scenario)

    assert only(check_pin(session, project, 3)) == (
        "FY2028 plan is approved: pins change its inputs, so return it to draft first (on the "
        "scenario's overview)."
    )


def test_a_withdrawn_project_is_not_pinned(session) -> None:
    scenario = make_scenario(session)
    project = make_project(session, scenario, name="Old phones", is_withdrawn=True)

    assert only(check_pin(session, project, 3)) == (
        "Old phones is withdrawn from the scenario; restore it before pinning it."
    )


def test_every_broken_rule_is_listed(session) -> None:
    scenario = make_scenario(session, blackout_months=[3], annual_budgets_cents=[1_000_000])
    project = make_project(session, scenario, name="Wi-Fi", earliest_month=5)

    messages = check_pin(session, project, 3)

    assert len(messages) == 3
    assert "earliest month" in messages[0]
    assert "district blackout" in messages[1]
    assert "annual budget is $10,000" in messages[2]


def test_the_timing_rules_agree_with_the_optimisers_own(session) -> None:
    """Every month the optimiser's static starts refuse is refused here too, and the others
    pass (with no other pins, only the timing and calendar rules can refuse)."""
    scenario = make_scenario(session, blackout_months=[4])
    scenario.windows = [WorkWindow(name="Summer break", months=[0, 1, 2, 10, 11])]
    oak = make_site(session)
    scenario.site_settings = [ScenarioSite(site=oak, blackout_months=[8])]
    kind = make_upgrade_type(session, is_disruptive=True, duration_months=2)
    project = make_project(session, scenario, site=oak, upgrade_type=kind, earliest_month=1,
                           allowed_start_months=[0, 1, 2, 5, 7, 10])  # fmt: skip
    problem, _ids = problem_for(session, scenario)
    starts = set(problem.static_starts(problem.project_by_id[project.key]))

    allowed = {month for month in range(12) if check_pin(session, project, month) == []}

    assert allowed == starts == {1, 10}
