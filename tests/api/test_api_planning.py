"""The planning through the API: scenarios, plan versions, the published baseline, and a
plan's schedule (with calendar dates) and left-out projects (in a planner's words)."""

from __future__ import annotations

from inventory.enums import Role


def test_scenarios_and_their_plans(api, world) -> None:
    call = api(Role.PMO)
    scenarios = call("GET", "/api/v1/scenarios").get_json()
    assert {item["name"] for item in scenarios["items"]} == {"FY2028 plan", "What if"}
    scenario = call("GET", f"/api/v1/scenarios/{world.ids['scenario']}").get_json()
    assert scenario["first_month_on"] == "2027-07-01"
    plans = call("GET", f"/api/v1/scenarios/{world.ids['scenario']}/plans").get_json()
    [plan] = plans["items"]
    assert plan["is_published"] and plan["is_baseline"] and plan["projects_scheduled"] == 1


def test_the_baseline_is_the_published_plan_or_404(api, world) -> None:
    call = api(Role.PLANNER)
    baseline = call("GET", f"/api/v1/scenarios/{world.ids['scenario']}/baseline")
    assert baseline.status_code == 200 and baseline.get_json()["id"] == world.ids["plan"]
    none = call("GET", f"/api/v1/scenarios/{world.ids['draft_scenario']}/baseline")
    assert none.status_code == 404 and none.mimetype == "application/problem+json"


def test_assignments_have_sites_upgrades_and_dates(api, world) -> None:
    response = api(Role.STAFF)("GET", f"/api/v1/plans/{world.ids['plan']}/assignments")
    assert response.status_code == 200
    [row] = response.get_json()["items"]
    assert row["site_id"] == world.ids["own_site"] and row["upgrade"] == "Wi-Fi refresh"
    assert row["start_month"] == 2 and row["start_on"] == "2027-09-01"
    assert response.get_json()["pagination"]["total"] == 1


def test_left_out_projects_give_their_reason_in_words(api, world) -> None:
    response = api(Role.ADMIN)("GET", f"/api/v1/plans/{world.ids['plan']}/left-out")
    [row] = response.get_json()["items"]
    assert row["site_id"] == world.ids["other_site"]
    assert "period 3" not in row["reason"] and "Oct 2027" in row["reason"], row["reason"]


def test_plan_rows_filter_by_site(api, world) -> None:
    from_other = api(Role.ADMIN)(
        "GET", f"/api/v1/plans/{world.ids['plan']}/assignments", query_string={"site": "Other"}
    )
    assert from_other.get_json()["items"] == []
    assert from_other.get_json()["pagination"]["total"] == 0
