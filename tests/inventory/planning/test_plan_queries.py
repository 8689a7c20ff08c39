"""The plan review queries' arithmetic, on plan rows written by hand, on both databases.

The plan: FY2028 (month 0 = Jul 2027) at three sites, North (N1, N2) and South (S1):
  N1:cab  cabling  start 0, 2 months, $40k, 1 cabling crew          general fund
  N1:wifi network  start 2, 2 months, $90k, 1 network + 1 cabling   E-Rate (N1's own budget)
  N2:cab  cabling  start 0, 1 month,  $40k, 1 cabling crew, pinned  general fund
  S1:wifi network  start 11, 3 months (runs past the year), $60k    no source
left out: N2:wifi (annual budget), S1:cab (crews:cabling), S1:cams (site_concurrency:S1),
          S2:cams (funding_cap:erate@S2)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from inventory.models import Project, Region, Scenario
from inventory.operations.plans import LeftOutProject, PlannedProject, PlanOutcome, record_plan
from inventory.queries.plan_totals import (
    assignment_spans,
    crew_use,
    funding_use,
    left_out_by_limit,
    month_totals,
    plan_horizon,
    solution_rows,
    totals_by_year,
)
from inventory.queries.plans import (
    PlanFilters,
    filter_options,
    left_out_rows,
    plan_sites,
    schedule_rows,
    trades_by_code,
)
from tests.factories import (
    make_project,
    make_scenario,
    make_site,
    make_system,
    make_trade,
    make_upgrade_type,
)

K = 100_000  # a thousand dollars, in cents


class District:
    """The rows the tests look at."""

    def __init__(self, session: Session) -> None:
        self.scenario: Scenario = make_scenario(session, years=2)
        network, self.cabling = make_trade(session, "network"), make_trade(session, "cabling")
        self.cab = make_upgrade_type(session, code="cab", name="Cabling", trade=self.cabling,
                                     system=make_system(session, "cabling"))  # fmt: skip
        self.wifi = make_upgrade_type(session, code="wifi", name="Wi-Fi", trade=network,
                                      system=make_system(session, "wifi"))  # fmt: skip
        self.wifi.crew_needs.append(type(self.wifi.crew_needs[0])(trade=self.cabling, crews=1))
        self.cams = make_upgrade_type(session, code="cams", name="Cameras",
                                      system=make_system(session, "cameras"))  # fmt: skip
        self.north, south = Region(code="NO", name="North"), Region(code="SO", name="South")
        session.add_all([self.north, south])
        self.n1 = make_site(session, code="N1", name="Lincoln Elementary", region=self.north)
        self.n2 = make_site(session, code="N2", name="Adams Middle", region=self.north)
        self.s1 = make_site(session, code="S1", name="Grant High", region=south)
        self.s2 = make_site(session, code="S2", name="Polk Elementary")  # no region
        self.projects: dict[str, Project] = {}
        for site, kind in ((self.n1, self.cab), (self.n1, self.wifi), (self.n2, self.cab),
                           (self.s1, self.wifi), (self.n2, self.wifi), (self.s1, self.cab),
                           (self.s1, self.cams), (self.s2, self.cams)):  # fmt: skip
            project = make_project(session, self.scenario, site=site, upgrade_type=kind,
                                   name=f"{kind.name} at {site.name}")  # fmt: skip
            self.projects[project.key] = project
        self.plan = record_plan(session, self.scenario, by=None, outcome=self._outcome())
        session.commit()

    def _outcome(self) -> PlanOutcome:
        """The plan's rows as listed in the module's docstring."""
        p = self.projects

        def planned(key: str, start: int, months: int, cost: int, pinned: bool = False):
            return PlannedProject(p[key].id, key, start, months, cost * K, 10, pinned)

        def left(key: str, limit: str, cost: int, value: int):
            return LeftOutProject(p[key].id, key, f"left out in period 3 ({limit})", limit,
                                  cost * K, value)  # fmt: skip

        return PlanOutcome(
            status="feasible", value=40, bound=60.0, runtime_s=1.0, time_limit_s=5,
            method="test", problem=self._problem(), inputs_revision=1,
            assignments=[planned("N1:cab", 0, 2, 40), planned("N1:wifi", 2, 2, 90),
                         planned("N2:cab", 0, 1, 40, True), planned("S1:wifi", 11, 3, 60)],
            left_out=[left("N2:wifi", "annual_budget", 90, 30),
                      left("S1:cab", "crews:cabling", 40, 7),
                      left("S1:cams", "site_concurrency:S1", 20, 5),
                      left("S2:cams", "funding_cap:erate@S2", 25, 6)],
        )  # fmt: skip

    def _problem(self) -> dict[str, Any]:
        """The problem the plan was made from: crews and funding per project."""
        crews = {"cab": {"cabling": 1}, "wifi": {"network": 1, "cabling": 1}, "cams": {}}
        funding = {"N1:cab": "general", "N2:cab": "general", "N1:wifi": "erate@N1",
                   "N2:wifi": "erate@N2", "S2:cams": "erate@S2"}  # fmt: skip
        projects = [
            {"id": key, "site": key[:2], "duration": 1, "cost": 1, "value": 1,
             "crews": crews[key[3:]], "funding": funding.get(key)}
            for key in self.projects
        ]  # fmt: skip
        caps = {"general": 100_000, "erate@N1": 83_500}
        return {"horizon": 24, "trades": {"network": 2, "cabling": 3}, "funding_caps": caps,
                "projects": projects}  # fmt: skip


def test_month_totals_count_starts_and_months_under_way(session) -> None:
    district = District(session)
    totals = month_totals(session, district.plan.id, 24)

    assert [t.starting for t in totals[:4]] == [2, 0, 1, 0]
    assert [t.under_way for t in totals[:4]] == [2, 1, 1, 1]
    assert [t.cost_cents for t in totals[:3]] == [80 * K, 0, 90 * K]
    assert totals[11].starting == 1 and totals[11].cost_cents == 60 * K
    assert [t.under_way for t in totals[11:15]] == [1, 1, 1, 0]  # into the second year
    assert sum(t.starting for t in totals) == 4
    assert totals_by_year(totals) == [230 * K, 0]


def test_filters_narrow_every_total_the_same_way(session) -> None:
    district = District(session)
    north = PlanFilters(region_id=district.north.id)

    totals = month_totals(session, district.plan.id, 24, north)
    assert sum(t.starting for t in totals) == 3 and totals[11].starting == 0
    assert len(schedule_rows(session, district.plan.id, north)) == 3
    by_trade = PlanFilters(trade_id=district.cabling.id)  # Wi-Fi needs cabling crews too
    assert len(schedule_rows(session, district.plan.id, by_trade)) == 4
    by_system = PlanFilters(system_id=district.wifi.system_id)
    assert {r.key for r in schedule_rows(session, district.plan.id, by_system)} == {
        "N1:wifi", "S1:wifi"}  # fmt: skip
    # A site's exact code picks that site only; other text matches codes and names.
    assert {r.key for r in schedule_rows(session, district.plan.id, PlanFilters(site="n1"))} == {
        "N1:cab", "N1:wifi"}  # fmt: skip
    assert {r.site_code for r in schedule_rows(session, district.plan.id,
                                               PlanFilters(site="ADAMS"))} == {"N2"}  # fmt: skip
    assert schedule_rows(session, district.plan.id, PlanFilters(site="50%_")) == []
    assert len(assignment_spans(session, district.plan.id, north)) == 3


def test_schedule_rows_carry_place_system_trades_and_months(session) -> None:
    district = District(session)
    rows = schedule_rows(session, district.plan.id)

    assert [r.key for r in rows] == ["N1:cab", "N2:cab", "N1:wifi", "S1:wifi"]
    wifi = rows[2]
    assert (wifi.site_code, wifi.region_name, wifi.system_name) == ("N1", "North", "Wi-Fi")
    assert wifi.trades == ("Cabling", "Network")
    assert (wifi.start_month, wifi.end_month, wifi.cost_cents) == (2, 3, 90 * K)
    assert rows[1].is_pinned and not rows[0].is_pinned
    # Under way in month 1: N1's cabling (started in month 0); month 12: S1's Wi-Fi.
    assert [r.key for r in schedule_rows(session, district.plan.id, month=1)] == ["N1:cab"]
    assert [r.key for r in schedule_rows(session, district.plan.id, month=12)] == ["S1:wifi"]
    assert [r.key for r in schedule_rows(session, district.plan.id, offset=1, limit=2)] == [
        "N2:cab", "N1:wifi"]  # fmt: skip


def test_crews_used_per_trade_and_month_follow_the_plans_problem(session) -> None:
    district = District(session)
    used = crew_use(session, district.plan)

    assert used["cabling"][:5] == [2, 1, 1, 1, 0]  # N1 and N2 cabling, then N1's Wi-Fi
    assert used["network"][:5] == [0, 0, 1, 1, 0]
    assert used["network"][11:15] == [1, 1, 1, 0]
    assert len(used["network"]) == 24


def test_funding_use_by_key_and_projects_without_a_source(session) -> None:
    district = District(session)
    use = funding_use(session, district.plan)

    assert use == {"general": (2, 80 * K), "erate@N1": (1, 90 * K), None: (1, 60 * K)}


def test_left_out_rows_and_totals_by_limit(session) -> None:
    district = District(session)
    totals = left_out_by_limit(session, district.plan.id)

    assert [(t.limit_key, t.projects, t.cost_cents, t.value) for t in totals] == [
        ("annual_budget", 1, 90 * K, 30), ("crews:cabling", 1, 40 * K, 7),
        ("funding_cap:erate@S2", 1, 25 * K, 6), ("site_concurrency:S1", 1, 20 * K, 5),
    ]  # fmt: skip
    rows = left_out_rows(session, district.plan.id)
    assert [r.key for r in rows] == ["N2:wifi", "S1:cab", "S1:cams", "S2:cams"]  # S2: no region
    assert rows[0].reason == "left out in period 3 (annual_budget)"
    assert rows[0].limit_key == "annual_budget" and rows[0].value == 30
    only = left_out_rows(session, district.plan.id, limit_keys=["crews:cabling"])
    assert [r.key for r in only] == ["S1:cab"]
    assert left_out_rows(session, district.plan.id, limit_keys=[]) == []
    south = PlanFilters(site="S1")
    assert [t.limit_key for t in left_out_by_limit(session, district.plan.id, south)] == [
        "crews:cabling", "site_concurrency:S1"]  # fmt: skip


def test_sites_with_scheduled_projects_page_by_code(session) -> None:
    district = District(session)
    sites, total = plan_sites(session, district.plan.id, offset=1, limit=1)

    assert total == 3
    assert [(s.code, s.region_name) for s in sites] == [("N2", "North")]
    assert plan_sites(session, district.plan.id, PlanFilters(site="S2"))[1] == 0


def test_solution_rows_and_filter_options(session) -> None:
    district = District(session)
    starts, left = solution_rows(session, district.plan.id)

    assert starts == [("N1:cab", 0), ("N2:cab", 0), ("N1:wifi", 2), ("S1:wifi", 11)]
    assert ("S1:cab", "left out in period 3 (crews:cabling)", "crews:cabling") in left
    options = filter_options(session)
    assert [name for _id, name in options["regions"]] == ["North", "South"]
    assert trades_by_code(session)["cabling"] == (district.cabling.id, "Cabling")
    assert plan_horizon(session, district.plan.id) == 24


def test_a_plan_of_another_scenario_is_not_mixed_in(session) -> None:
    district = District(session)
    other = make_scenario(session)
    project = make_project(session, other, site=district.n1, upgrade_type=district.cab)
    outcome = PlanOutcome(
        status="optimal", value=10, bound=10.0, runtime_s=0.1, time_limit_s=5, method="test",
        problem={"horizon": 12, "projects": []}, inputs_revision=1,
        assignments=[PlannedProject(project.id, project.key, 0, 1, 40 * K, 10)], left_out=[],
    )  # fmt: skip
    record_plan(session, other, by=None, outcome=outcome)
    session.commit()

    assert len(schedule_rows(session, district.plan.id)) == 4
    assert month_totals(session, district.plan.id, 24)[0].starting == 2
    assert plan_sites(session, district.plan.id)[1] == 3
