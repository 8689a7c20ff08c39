"""The deciding pages, part two: publishing, changes against the baseline, and two plans
compared. Plans are written with record_plan (no optimiser run is needed)."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree
from flask import render_template
from flask_login import login_user

from inventory.enums import Role, ScenarioStatus
from inventory.models import Plan
from inventory.operations.plans import (
    publish_plan,
)
from tests.app.planning.plan_records import flashes, record
from tests.factories import make_project, make_scenario, make_site

# Publishing -----------------------------------------------------------------------------------


def test_publish_needs_an_approved_scenario_and_a_current_plan(client, login_as, session, users):
    scenario = make_scenario(session, name="FY2028 plan")
    project = make_project(session, scenario)
    plan = record(session, scenario, {project: 0})
    session.commit()
    login_as(Role.PLANNER)

    client.post(f"/planning/plans/{plan.id}/publish")
    assert "only an approved scenario's plan can be published" in flashes(client)[-1][1]

    scenario.status = ScenarioStatus.APPROVED
    scenario.inputs_revision += 1
    session.commit()
    client.post(f"/planning/plans/{plan.id}/publish")
    assert "made before the scenario's inputs last changed" in flashes(client)[-1][1]
    session.expire_all()
    assert plan.published_at is None

    current = record(session, scenario, {project: 1})
    session.commit()
    response = client.post(f"/planning/plans/{current.id}/publish", data={"note": "Board, May"})
    assert response.status_code == 302 and str(current.id) in response.headers["Location"]
    category, text = flashes(client)[-1]
    assert category == "success"
    assert text.startswith("Version 2 is now the baseline of FY2028 plan, published by planner")
    session.expire_all()
    assert current.published_by_id == users[Role.PLANNER].id and current.note == "Board, May"

    client.post(f"/planning/plans/{current.id}/publish")
    assert flashes(client)[-1][1] == "Version 2 was already published."


def render_actions(app, user, plan: Plan) -> str:
    """The plan overview's actions, for a signed-in user."""
    with app.test_request_context(f"/planning/plans/{plan.id}"):
        login_user(user)
        return render_template("planning/decisions/_plan_actions.html", plan=plan)


def test_the_plan_actions_say_why_publishing_is_not_possible(app, session, users) -> None:
    scenario = make_scenario(session, name="FY2028 plan")
    plan = record(session, scenario, {make_project(session, scenario): 0})
    session.commit()
    planner, pmo = users[Role.PLANNER], users[Role.PMO]

    html = render_actions(app, planner, plan)
    assert "FY2028 plan is draft. Submit it for approval" in html
    assert 'data-testid="publish-form"' not in html
    assert f"/planning/plans/{plan.id}/changes" in html
    assert ('data-testid="replan-form"' in html) == ("runs.replan" in app.view_functions)

    scenario.status = ScenarioStatus.APPROVED
    session.commit()
    html = render_actions(app, planner, plan)
    assert 'data-testid="publish-form"' in html and "publish-blocked" not in html
    reader = render_actions(app, pmo, plan)
    assert "publish" not in reader.lower().replace("published", "")
    assert "replan" not in reader and "Changes against the baseline" in reader

    scenario.inputs_revision += 1
    session.commit()
    assert "inputs changed after this version was made" in render_actions(app, planner, plan)

    plan.inputs_revision = scenario.inputs_revision  # as if made from the current inputs
    publish_plan(session, plan, by=planner, note="Approved by the board")
    session.commit()
    html = render_actions(app, pmo, plan)
    assert "Published" in html and "Approved by the board" in html


# Changes against the baseline -----------------------------------------------------------------


def three_versions(session, users):
    """Versions 1 (published first), 2 (the baseline) and 3 of an approved scenario."""
    scenario = make_scenario(session, name="FY2028 plan", status=ScenarioStatus.APPROVED)
    same, moves, drops = (
        make_project(session, scenario, name=name, site=make_site(session, name=f"{name} School"))
        for name in ("Same", "Moves", "Drops")
    )
    added = make_project(session, scenario, name="Added")
    first = record(session, scenario, {same: 0, moves: 1})
    publish_plan(session, first, by=users[Role.PLANNER])
    baseline = record(session, scenario, {same: 0, moves: 2, drops: 3})
    publish_plan(session, baseline, by=users[Role.PLANNER])
    reason = f"no month where it fits: monthly budget exhausted in 3-4; {moves.key} first"
    latest = record(session, scenario, {same: 0, moves: 5, added: 6}, {drops: reason})
    session.commit()
    return first, baseline, latest


def test_changes_against_the_baseline(client, login_as, session, users) -> None:
    _first, baseline, latest = three_versions(session, users)
    login_as(Role.PMO)

    html = client.get(f"/planning/plans/{latest.id}/changes").get_data(as_text=True)

    assert f"Version 3 against version {baseline.version} (the baseline" in html
    assert 'data-testid="count-moved">1<' in html and 'data-testid="count-added">1<' in html
    assert 'data-testid="count-dropped">1<' in html
    assert 'data-testid="count-unchanged">1<' in html
    assert '<td>Sep 2027</td><td aria-hidden="true">→</td><td><strong>Dec 2027</strong>' in html
    assert html.count('class="table-warning"') == 1 and html.count('class="table-success"') == 1
    # Why it was dropped, in months and names.
    assert "monthly budget exhausted in Oct 2027 to Nov 2027; Moves first" in html
    assert "period" not in html


def test_the_baseline_against_the_previous_one_and_a_chosen_version(
    client, login_as, session, users
):
    first, baseline, latest = three_versions(session, users)
    login_as(Role.PLANNER)

    html = client.get(f"/planning/plans/{baseline.id}/changes").get_data(as_text=True)
    assert "Version 2 against version 1" in html and "(published" in html
    assert 'data-testid="count-added">1<' in html  # Drops was added in version 2

    html = client.get(f"/planning/plans/{latest.id}/changes?against={first.id}").get_data(
        as_text=True
    )
    assert "Version 3 against version 1" in html
    assert f'<option value="{first.id}" selected>' in html

    html = client.get(f"/planning/plans/{first.id}/changes").get_data(as_text=True)
    assert "Version 1 against version 2 (the baseline" in html  # an older one: the baseline

    other = record(session, make_scenario(session), {})
    session.commit()
    html = client.get(f"/planning/plans/{latest.id}/changes?against={other.id}").get_data(
        as_text=True
    )
    assert "that is not another version of this scenario" in html
    assert "Version 3 against version 2" in html  # back to the baseline


def test_changes_without_a_baseline_offer_the_versions(client, login_as, session, users):
    scenario = make_scenario(session, status=ScenarioStatus.APPROVED)
    project = make_project(session, scenario)
    first = record(session, scenario, {project: 0})
    session.commit()
    login_as(Role.STAFF)
    html = client.get(f"/planning/plans/{first.id}/changes").get_data(as_text=True)
    assert "only version: nothing to compare yet" in html

    second = record(session, scenario, {project: 1})
    session.commit()

    html = client.get(f"/planning/plans/{second.id}/changes").get_data(as_text=True)
    assert "No version of this scenario is published yet" in html
    assert ">Version 1</option>" in html and 'data-testid="moved"' not in html

    publish_plan(session, first, by=users[Role.PLANNER])
    session.commit()
    html = client.get(f"/planning/plans/{first.id}/changes").get_data(as_text=True)
    assert "first baseline: there is no earlier one" in html
    assert "Pick a version below" in html and 'data-testid="moved"' not in html


def test_changes_filters_narrow_rows_and_counts(client, login_as, session, users) -> None:
    _first, _baseline, latest = three_versions(session, users)
    login_as(Role.PLANNER)

    html = client.get(f"/planning/plans/{latest.id}/changes?site=moves").get_data(as_text=True)

    assert 'data-testid="count-moved">1<' in html and 'data-testid="count-added">0<' in html
    assert 'data-testid="count-dropped">0<' in html and 'data-testid="count-unchanged">0<' in html
    assert "Nothing added." in html and ", filtered." in html


# Comparing two plans ---------------------------------------------------------------------------


def test_compare_offers_plans_grouped_by_scenario(client, login_as, session, users) -> None:
    first, _baseline, latest = three_versions(session, users)
    login_as(Role.PMO)

    html = client.get("/planning/compare").get_data(as_text=True)

    assert '<optgroup label="FY2028 plan (FY2028)">' in html
    assert html.count(f'<option value="{first.id}"') == 2  # in A and in B
    html = client.get(f"/planning/compare?a={latest.id}").get_data(as_text=True)
    assert f'<option value="{latest.id}" selected>' in html and "In short" not in html


def test_compare_two_scenarios_side_by_side(client, login_as, session) -> None:
    original = make_scenario(session, name="FY2028 plan")
    copy = make_scenario(session, name="Budget less 10%")
    lincoln, oak, elm = (make_site(session, name=name) for name in ("Lincoln", "Oak", "Elm"))
    a_lincoln = make_project(session, original, site=lincoln)
    wifi = a_lincoln.upgrade_type
    a_oak = make_project(session, original, site=oak, upgrade_type=wifi)
    b_lincoln = make_project(session, copy, site=lincoln, upgrade_type=wifi)
    b_elm = make_project(session, copy, site=elm, upgrade_type=wifi)
    plan_a = record(session, original, {a_lincoln: 0, a_oak: 3})
    plan_b = record(session, copy, {b_lincoln: 5, b_elm: 1})
    session.commit()
    login_as(Role.PLANNER)

    response = client.get(f"/planning/compare?a={plan_a.id}&b={plan_b.id}")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "FY2028 plan, version 1" in html and "Budget less 10%, version 1" in html
    assert "1 only in A" in html and "1 only in B" in html and "1 in a different month" in html
    moved = html[html.index('data-testid="compare-moved"') :]
    assert "<td>Jul 2027</td><td>Dec 2027</td>" in moved
    sites = html[html.index('data-testid="compare-sites"') : html.index('id="only-a"')]
    assert sites.count("differs</span>") == 3
    chart = html[html.index("<svg") : html.index("</svg>") + 6]
    bars = ElementTree.fromstring(chart).findall("{http://www.w3.org/2000/svg}rect")
    assert len(bars) == 12 * 2 + 2  # two series of 12 months, and the legend
    assert "Jul 2027, plan A: 1 project starting, $20,000" in chart
    assert "Jul 2027, plan B: 0 projects starting, $0" in chart


@pytest.mark.parametrize("query", ["a=99999&b=1", "a=abc&b=2", "a=1&b=2147483648"])
def test_compare_with_unknown_plans_says_so(client, login_as, session, query) -> None:
    login_as(Role.PLANNER)

    response = client.get(f"/planning/compare?{query}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "there is no plan" in html and "In short" not in html
