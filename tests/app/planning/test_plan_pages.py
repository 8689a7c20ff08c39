"""Reviewing a plan: the overview, the monthly schedule, the timelines, the left-out list and the
plan file, as a planner and a PMO viewer, on both databases.

The district is solved by the optimiser (3 s at most); the tests compare each page with the
queries and with the other pages, so they hold whatever plan the optimiser finds.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET  # the Element type; parsing goes through defusedxml

import pytest
from defusedxml.ElementTree import fromstring
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.planning import plans as plan_pages
from app.planning.adapter import problem_for, store_plan
from app.planning.charts_gantt import Span, pack
from inventory.enums import FundingKind, Role
from inventory.models import (
    FundingSource,
    Plan,
    Region,
    Scenario,
    ScenarioTrade,
    User,
    WorkWindow,
)
from inventory.operations.plans import PlannedProject, PlanOutcome, record_plan
from scheduler import check, solve
from scheduler.io import problem_from_dict, problem_to_dict, solution_from_dict
from tests.factories import make_project, make_scenario, make_site, make_system, make_trade
from tests.factories import make_upgrade_type as make_type

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
SCHOOLS = ("Lincoln Elementary", "Adams Middle", "Garfield High", "Hoover Elementary",
           "Taft Middle", "Wilson High", "Grant Elementary", "Polk Middle")  # fmt: skip


def review_district(session: Session) -> Scenario:
    """FY2028 at nine schools in two regions (one school in none): cabling before Wi-Fi,
    cameras only in the work windows, no network crews in December, a $450k budget with
    $60k monthly caps from January, E-Rate for Wi-Fi, one pinned project and one that cannot
    fit its months."""
    scenario = make_scenario(
        session, name="Review FY2028", annual_budgets_cents=[45_000_000],
        monthly_caps_cents=[None] * 6 + [6_000_000] * 6,
    )  # fmt: skip
    scenario.trades[0].crews_by_month = [2] * 5 + [0] + [2] * 6
    cabling, security = make_trade(session, "cabling"), make_trade(session, "security")
    scenario.trades += [ScenarioTrade(trade=cabling, crews_by_month=[1] * 12),
                        ScenarioTrade(trade=security, crews_by_month=[1] * 12)]  # fmt: skip
    erate = FundingSource(
        code="erate", name="E-Rate Category 2", kind=FundingKind.ERATE_C2,
        erate_per_student_cents=16_700, erate_floor_cents=2_500_000, erate_discount_percent=80,
    )  # fmt: skip
    scenario.funding_sources += [
        FundingSource(code="general", name="General fund", kind=FundingKind.GENERAL,
                      is_default=True, cap_cents=25_000_000), erate,
    ]  # fmt: skip
    scenario.windows = [WorkWindow(name="Summer", months=[0, 1, 11]),
                        WorkWindow(name="Winter break", months=[5])]  # fmt: skip
    wire = make_type(session, code="cabl", name="Cabling refresh", trade=cabling,
                     system=make_system(session, "cabling"))  # fmt: skip
    wifi = make_type(session, code="wifi", name="Wi-Fi refresh", duration_months=2,
                     system=make_system(session, "wifi"), is_erate_eligible=True)  # fmt: skip
    wifi.prerequisites = [wire]
    cams = make_type(session, code="cams", name="Camera refresh", trade=security,
                     system=make_system(session, "cameras"), is_disruptive=True)  # fmt: skip
    north, south = Region(code="N", name="North"), Region(code="S", name="South")
    session.add_all([north, south])
    for index, name in enumerate((*SCHOOLS, "District Office")):
        region = None if index == len(SCHOOLS) else (north if index % 2 == 0 else south)
        site = make_site(session, code=f"RV{index + 1:02d}", name=name, region=region)
        make_project(session, scenario, site=site, upgrade_type=wire, cost_cents=4_000_000,
                     value=20 + index, pinned_month=2 if index == 0 else None,
                     name=f"Cabling at {name}")  # fmt: skip
        make_project(session, scenario, site=site, upgrade_type=wifi, cost_cents=6_000_000,
                     value=50 + index, funding_source=erate, duration_months=2,
                     name=f"Wi-Fi at {name}")  # fmt: skip
        if index % 3 == 0:  # at Hoover, cameras cannot fit: two months from June on
            late = {"earliest_month": 11, "duration_months": 2} if index == 3 else {}
            make_project(session, scenario, site=site, upgrade_type=cams, cost_cents=3_000_000,
                         value=15, name=f"Cameras at {name}", **late)  # fmt: skip
    session.flush()
    return scenario


def solved_plan(session: Session, scenario: Scenario, by: User | None = None) -> Plan:
    """The scenario solved (3 s at most) and stored as its next plan version."""
    problem, ids = problem_for(session, scenario)
    solution = solve(problem, time_limit_s=3, seed=1)
    assert solution.has_plan, solution.conflicts
    plan = store_plan(session, scenario, problem, ids, solution, by=by, time_limit_s=3)
    session.commit()
    return plan


@pytest.fixture
def plan(session: Session, users: dict[Role, User]) -> Plan:
    """The review district's plan, version 1."""
    return solved_plan(session, review_district(session), users[Role.PLANNER])


def page(client, url: str) -> str:
    """The page's HTML (it must answer 200)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def number(html: str, testid: str) -> int:
    """The whole number shown in the element with this data-testid."""
    found = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)
    assert found, testid
    return int(found[1].replace(",", "").replace("$", "").strip())


def svgs(html: str) -> dict[str, ET.Element]:
    """Every inline SVG of a page, parsed as XML, by its data-chart name."""
    charts = {}
    for markup in SVG.findall(html):
        root = fromstring(markup)
        assert root.get("viewBox") and root.get("width") and root.get("height")
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
        charts[root.get("data-chart")] = root
    return charts


def marks(root: ET.Element, tag: str, attribute: str) -> list[ET.Element]:
    """The chart's elements of a tag that carry an attribute."""
    return [e for e in root.iter(f"{{http://www.w3.org/2000/svg}}{tag}") if e.get(attribute)]


def rows_of(html: str) -> list[str]:
    """The project ids of a list's rows."""
    return re.findall(r'<tr data-project="(\d+)"', html)


@pytest.mark.parametrize("role", [Role.PLANNER, Role.PMO])
def test_the_overviews_numbers_equal_the_lists_they_link_to(plan, login_as, role) -> None:
    client = login_as(role)
    html = page(client, f"/planning/plans/{plan.id}")

    scheduled, left_out = number(html, "scheduled-count"), number(html, "left-out-count")
    assert (scheduled, left_out) == (plan.projects_scheduled, plan.projects_left_out)
    assert left_out > 0 and scheduled > 0
    schedule = page(client, f"/planning/plans/{plan.id}/schedule")
    assert len(rows_of(schedule)) == scheduled
    assert number(html, "total-cost") * 100 == plan.total_cost_cents
    assert len(rows_of(page(client, f"/planning/plans/{plan.id}/left-out"))) == left_out
    links = re.findall(r'href="([^"]+)" data-testid="limit-link">([\d,]+)<', html)
    assert links and sum(int(count) for _url, count in links) == left_out
    for url, count in links:
        assert len(rows_of(page(client, url.replace("&amp;", "&")))) == int(count)
    assert 'data-testid="proven"' in html and "Proven bound" in html


def test_the_charts_are_self_contained_svg_with_the_expected_marks(plan, login_as) -> None:
    html = page(login_as(Role.PMO), f"/planning/plans/{plan.id}")
    charts = svgs(html)

    assert set(charts) == {"budget", "funding", "crews"}
    budget = charts["budget"]
    assert len(marks(budget, "rect", "data-bar")) == 12
    assert len(marks(budget, "line", "data-cap")) == 6  # caps from January only
    assert "FY2028" in budget.find("{http://www.w3.org/2000/svg}desc").text
    assert [e.get("data-source") for e in marks(charts["funding"], "g", "data-source")] == [
        "0", "1"]  # fmt: skip
    cells = marks(charts["crews"], "g", "data-cell")
    assert len(cells) == 3 * 12  # network, cabling, security
    hatched = [c for c in cells if c.get("data-hatched")]
    assert len(hatched) == 1 and "Dec 2027: no crews" in hatched[0][0].text
    assert all(re.fullmatch(r"\d+/\d+|none", c.get("data-cell")) for c in cells)
    assert "class=" not in "".join(SVG.findall(html)) and "style=" not in html


def test_the_crew_cells_show_the_crews_the_schedule_keeps_busy(plan, login_as, session) -> None:
    client = login_as(Role.PLANNER)
    cells = marks(svgs(page(client, f"/planning/plans/{plan.id}"))["crews"], "g", "data-cell")
    busy = [0] * 12
    for row in plan.assignments:
        if row.project.upgrade_type.code == "cabl":
            for month in range(row.start_month, min(row.end_month + 1, 12)):
                busy[month] += 1
    cabling = cells[12:24]  # rows in the problem's order: network, cabling, security
    assert [int(c.get("data-cell").split("/")[0]) for c in cabling] == busy
    assert all(c.get("data-cell").endswith("/1") for c in cabling)


def test_the_schedule_by_month_shows_what_starts_and_what_is_under_way(plan, login_as) -> None:
    client = login_as(Role.PMO)
    for month in range(12):
        html = page(client, f"/planning/plans/{plan.id}/schedule?month={month}")
        active = [r for r in plan.assignments if r.start_month <= month <= r.end_month]
        assert sorted(rows_of(html)) == sorted(str(r.project_id) for r in active)
        assert re.search(rf'data-under-way="{month}"[^>]*>{len(active)}<', html)
        starting = sum(1 for r in active if r.start_month == month)
        assert html.count(">Starts</span>") == starting
    assert "Pinned" in page(client, f"/planning/plans/{plan.id}/schedule")


def test_filters_narrow_the_schedule_the_timeline_and_the_left_out_list(
    plan, login_as, session
) -> None:
    client = login_as(Role.PLANNER)
    north = session.scalar(select(Region.id).where(Region.name == "North"))
    in_north = [r for r in plan.assignments if r.project.site.region_id == north]
    html = page(client, f"/planning/plans/{plan.id}/schedule?region={north}")
    assert sorted(rows_of(html)) == sorted(str(r.project_id) for r in in_north)
    assert number(page(client, f"/planning/plans/{plan.id}?region={north}"),
                  "scheduled-count") == len(in_north)  # fmt: skip
    html = page(client, f"/planning/plans/{plan.id}/schedule?site=rv01")
    assert {r.project.site.code for r in plan.assignments
            if str(r.project_id) in rows_of(html)} == {"RV01"}  # fmt: skip
    left = page(client, f"/planning/plans/{plan.id}/left-out?site=hoover")
    assert sorted(rows_of(left)) == sorted(
        str(r.project_id) for r in plan.left_out if r.project.site.code == "RV04"
    )
    timeline = svgs(page(client, f"/planning/plans/{plan.id}/timeline?region={north}"))["gantt"]
    assert len(marks(timeline, "g", "data-bar")) == len(in_north)


def test_the_timelines_draw_a_bar_per_project_and_crew_and_page_through_sites(
    plan, login_as, monkeypatch
) -> None:
    client = login_as(Role.PMO)
    by_site = svgs(page(client, f"/planning/plans/{plan.id}/timeline"))["gantt"]
    assert len(marks(by_site, "g", "data-bar")) == plan.projects_scheduled
    labels = [t.text for t in by_site.iter("{http://www.w3.org/2000/svg}title")]
    pinned = next(r for r in plan.assignments if r.is_pinned)
    assert any(text.startswith(pinned.project.name) and "pinned" in text for text in labels)
    by_trade = svgs(page(client, f"/planning/plans/{plan.id}/timeline?view=trade"))["gantt"]
    crews_needed = sum(len(r.project.upgrade_type.crew_needs) for r in plan.assignments)
    assert len(marks(by_trade, "g", "data-bar")) == crews_needed

    monkeypatch.setattr(plan_pages, "SITES_PER_PAGE", 2)
    sites = {r.project.site.code for r in plan.assignments}
    second = page(client, f"/planning/plans/{plan.id}/timeline?page=2")
    assert f"Sites 3\u20134 of {len(sites)}" in second
    assert len(marks(svgs(second)["gantt"], "g", "data-row")) == 2


def test_left_out_reasons_are_in_months_and_names(plan, login_as) -> None:
    html = page(login_as(Role.PLANNER), f"/planning/plans/{plan.id}/left-out")
    reasons = re.findall(r'data-testid="reason">([^<]*)<', html)

    assert len(reasons) == plan.projects_left_out
    assert not any(re.search(r"\bperiods? \d", text) for text in reasons)
    assert not any(re.search(r"\bRV\d\d:", text) for text in reasons)
    hoover = page(login_as(Role.PLANNER), f"/planning/plans/{plan.id}/left-out?limit=timing")
    assert "Cameras at Hoover Elementary" in hoover and "Jun 2028" in hoover
    assert len(rows_of(hoover)) == 1


def test_the_plan_file_re_checks_with_the_schedulers_checker(plan, login_as) -> None:
    response = login_as(Role.PMO).get(f"/planning/plans/{plan.id}/plan.json")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    problem, solution = problem_from_dict(data["problem"]), solution_from_dict(data["solution"])
    assert check(problem, solution) == []
    assert len(solution.assignments) == plan.projects_scheduled
    assert {item.limit for item in solution.unscheduled} >= {"timing"}


def test_nonsense_in_the_query_string_filters_nothing_and_never_fails(plan, login_as) -> None:
    client = login_as(Role.PLANNER)
    junk = "region=north&system=-1&trade=9999999999999&month=99&page=0&limit=nope&view=x"
    for path in ("", "/schedule", "/timeline", "/left-out"):
        page(client, f"/planning/plans/{plan.id}{path}?{junk}")
    assert "past the last of" in page(client, f"/planning/plans/{plan.id}/schedule?page=9")
    assert login_as(Role.PLANNER).get("/planning/plans/999999").status_code == 404


def test_a_year_over_its_own_budget_is_flagged(session, login_as, users) -> None:
    scenario = make_scenario(session, years=2, annual_budgets_cents=[5_000_000, 20_000_000])
    projects = [make_project(session, scenario, cost_cents=4_000_000) for _ in range(3)]
    problem, _ids = problem_for(session, scenario)
    outcome = PlanOutcome(
        status="feasible", value=30, bound=30.0, runtime_s=0.1, time_limit_s=5, method="test",
        problem=problem_to_dict(problem), inputs_revision=scenario.inputs_revision,
        assignments=[PlannedProject(p.id, p.key, month, 1, p.cost_cents, p.value)
                     for p, month in zip(projects, (0, 1, 13), strict=True)],
        left_out=[],
    )  # fmt: skip
    plan = record_plan(session, scenario, by=users[Role.PLANNER], outcome=outcome)
    session.commit()

    html = page(login_as(Role.PMO), f"/planning/plans/{plan.id}")
    assert "Over its budget by $30,000" in html  # FY2028: $80k of $50k
    assert html.count('data-testid="over-budget"') == 1  # FY2029: $40k of $200k
    assert "FY2028 to FY2029: $120k of the $250k budget of its 2 years" in html
    assert 'data-testid="nothing-left-out"' in html


def test_crew_lanes_never_overlap_and_number_no_more_than_the_crews_busy_at_once() -> None:
    spans = [Span("a", 0, 3, 2), Span("b", 0, 1), Span("c", 1, 2), Span("d", 3, 1, 3),
             Span("e", 4, 2), Span("f", 2, 1)]  # fmt: skip
    taken, count = pack(spans)

    busy = [sum(s.lanes for s in spans if s.start <= m < s.start + s.duration) for m in range(6)]
    assert count == max(busy) == 4  # a (2 crews), c and f in month 2
    assert all(len(taken[s.key]) == s.lanes for s in spans)
    for one in spans:
        for other in spans:
            overlap = (
                one.start < other.start + other.duration and other.start < one.start + one.duration
            )
            if one.key < other.key and overlap:
                assert not set(taken[one.key]) & set(taken[other.key]), (one.key, other.key)
    assert taken["a"] == [0, 1] and taken["d"] == [0, 1, 2]  # the lowest free lanes first
