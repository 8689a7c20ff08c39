"""The project pages: the list and its totals, generating needs, adding and editing by hand,
predecessors, withdraw/restore/delete; editors vs readers, field errors, stale saves, CSRF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from inventory.enums import Role, ScenarioStatus
from inventory.models import Project
from inventory.operations.plans import PlannedProject, PlanOutcome, record_plan
from tests.factories import (
    make_asset,
    make_model,
    make_project,
    make_scenario,
    make_site,
    make_system,
    make_upgrade_type,
)


@pytest.fixture
def world(session, users):
    """A draft scenario with three projects at two sites, and Wi-Fi due at a third site."""
    scenario = make_scenario(session, name="FY2028 plan")
    wifi = make_upgrade_type(session, code="wifi", name="Wi-Fi refresh",
                             system=make_system(session, "wifi"), per_asset_cost_cents=110_000,
                             fixed_cost_cents=350_000)  # fmt: skip
    cabling = make_upgrade_type(session, code="cab", name="Cabling refresh")
    wifi.prerequisites = [cabling]
    lincoln = make_site(session, code="LIN", name="Lincoln Elementary")
    adams = make_site(session, code="ADA", name="Adams Middle")
    first = make_project(session, scenario, site=lincoln, upgrade_type=cabling,
                         name="Cabling at Lincoln", cost_cents=1_000_000)  # fmt: skip
    second = make_project(session, scenario, site=lincoln, upgrade_type=wifi,
                          name="Wi-Fi at Lincoln", cost_cents=2_500_000)  # fmt: skip
    third = make_project(session, scenario, site=adams, upgrade_type=cabling,
                         name="Cabling at Adams", cost_cents=0)  # fmt: skip
    school = make_site(session, code="WAS", name="Washington High", enrollment=100)
    model = make_model(session, system=make_system(session, "wifi"), useful_life_years=5)
    tag = make_asset(session, site=school, model=model, installed_on=dt.date(2022, 1, 5),
                     location="Library").tag  # fmt: skip
    for site in users[Role.SITE_ADMIN].sites:
        site.status = site.status.CLOSED
    session.commit()
    return {"scenario": scenario, "wifi": wifi, "cabling": cabling, "projects": (first, second,
            third), "tag": tag, "adams": adams}  # fmt: skip


def _list(client, scenario, query="") -> str:
    """The project list page's text."""
    return client.get(f"/planning/scenarios/{scenario.id}/projects{query}").get_data(as_text=True)


def test_the_list_filters_and_its_totals_match_the_rows(client, world, login_as) -> None:
    login_as(Role.PMO)
    scenario = world["scenario"]
    page = _list(client, scenario)
    assert "<strong>3</strong> projects · cost <strong>$35,000</strong>" in page
    assert page.count('href="/planning/projects/') == 3
    assert "Add a project" not in page
    page = _list(client, scenario, "?q=lincoln")
    assert "<strong>2</strong> projects · cost <strong>$35,000</strong>" in page
    assert "Cabling at Adams" not in page
    page = _list(client, scenario, "?no_cost=1")
    assert "<strong>1</strong> project · cost <strong>$0</strong>" in page
    assert "Cabling at Adams" in page and "With no cost" in page
    page = _list(client, scenario, f"?system_id={world['wifi'].system_id}")
    assert "<strong>1</strong> project ·" in page and "Wi-Fi at Lincoln" in page
    page = _list(client, scenario, "?upgrade_type_id=x&page=-3")  # hand-edited: ignored
    assert "<strong>3</strong> projects" in page


def test_generate_needs_shows_then_creates_and_lists_what_it_created(client, world, login_as):
    scenario = world["scenario"]
    login_as(Role.PMO)
    preview = client.get(f"/planning/scenarios/{scenario.id}/needs").get_data(as_text=True)
    assert 'data-testid="will-create">1</strong> project costing' in preview
    assert "1 access point reaches end of life by Jun 2028" in preview
    assert 'data-testid="create-needs"' not in preview
    assert client.post(f"/planning/scenarios/{scenario.id}/needs").status_code == 403
    login_as(Role.PLANNER)
    response = client.post(f"/planning/scenarios/{scenario.id}/needs", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert (
        "Created 1 project costing $4,600, replacing 1 asset at end of life. They are listed"
        in page
    )
    assert "<strong>1</strong> project · cost <strong>$4,600</strong>" in page  # only those
    assert "Wi-Fi refresh at Washington High" in page
    assert "Generated from needs on" in page


def test_needs_in_a_submitted_scenario_are_refused(client, session, world, login_as) -> None:
    scenario = world["scenario"]
    scenario.status = ScenarioStatus.SUBMITTED
    session.commit()
    login_as(Role.PLANNER)
    preview = client.get(f"/planning/scenarios/{scenario.id}/needs").get_data(as_text=True)
    assert "is submitted: return it to draft to add projects" in preview
    page = client.post(f"/planning/scenarios/{scenario.id}/needs", follow_redirects=True)
    assert "FY2028 plan is submitted; return it to draft" in page.get_data(as_text=True)
    assert session.scalar(select(func.count(Project.id))) == 3
    refused = client.get(f"/planning/scenarios/{scenario.id}/projects/new")
    assert refused.status_code == 302  # back to the list, saying why
    edit = client.get(f"/planning/projects/{world['projects'][0].id}/edit", follow_redirects=True)
    assert "return it to draft to change its inputs" in edit.get_data(as_text=True)


def test_adding_a_project_by_hand_and_a_duplicate_named_on_its_field(client, world, login_as):
    scenario = world["scenario"]
    login_as(Role.PLANNER)
    url = f"/planning/scenarios/{scenario.id}/projects/new"
    form = client.get(url).get_data(as_text=True)
    assert '<option value="ADA — Adams Middle">' in form
    data = {"site": "ADA — Adams Middle", "upgrade_type_id": world["wifi"].id,
            "assets_added": "5", "earliest_month": "2"}  # fmt: skip
    response = client.post(url, data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Wi-Fi refresh at Adams Middle" in page
    assert "$3,500 fixed + 5 access points at $1,100 = $9,000" in page
    assert "Sep 2027" in page  # the earliest start, as a month label
    again = client.post(url, data=data).get_data(as_text=True)
    assert "Wi-Fi refresh at Adams Middle is already in this scenario (added by planner on" in (
        again
    )
    assert 'class="invalid-feedback d-block">Wi-Fi refresh at Adams Middle' in again
    bad = client.post(url, data={**data, "site": "NOPE"}).get_data(as_text=True)
    assert "There is no site NOPE." in bad
    late = client.post(url, data={**data, "upgrade_type_id": world["cabling"].id,
                                  "site": "WAS", "earliest_month": "5",
                                  "latest_month": "3"}).get_data(as_text=True)  # fmt: skip
    assert "The last month (Oct 2027) is before the earliest start (Dec 2027)." in late


def test_the_detail_page_shows_the_need_assets_order_and_plans(client, session, world, login_as):
    scenario = world["scenario"]
    login_as(Role.PLANNER)
    client.post(f"/planning/scenarios/{scenario.id}/needs")
    generated = session.scalar(select(Project).where(Project.is_generated.is_(True)))
    first, second, _third = world["projects"]
    outcome = PlanOutcome(
        status="optimal", value=1, bound=1.0, runtime_s=0.1, time_limit_s=5, method="test",
        problem={}, inputs_revision=scenario.inputs_revision,
        assignments=[PlannedProject(second.id, second.key, 4, 1, 1, 1)], left_out=[],
    )  # fmt: skip
    record_plan(session, scenario, by=None, outcome=outcome)
    session.commit()
    page = client.get(f"/planning/projects/{generated.id}").get_data(as_text=True)
    assert world["tag"] in page and "Library" in page and "/assets/" in page
    assert "1 access point reaches end of life by Jun 2028" in page
    page = client.get(f"/planning/projects/{second.id}").get_data(as_text=True)
    assert "Cabling at Lincoln" in page  # from the catalogue: cabling before Wi-Fi
    assert "Version 1" in page and "Nov 2027" in page
    assert "Delete" not in page  # a plan has it: withdraw instead
    if "decisions.pin" in client.application.view_functions:
        assert f'action="/planning/projects/{second.id}/pin"' in page
        assert f'name="next" value="/planning/projects/{second.id}"' in page
    login_as(Role.STAFF)
    page = client.get(f"/planning/projects/{first.id}").get_data(as_text=True)
    assert "Cabling at Lincoln" in page and 'data-testid="project-actions"' not in page
    assert 'data-testid="pin-form"' not in page


def test_a_stale_edit_is_refused_shows_what_changed_and_keeps_the_input(
    client, session, world, login_as
) -> None:
    project = world["projects"][0]
    seen = project.version
    project.cost_cents = 1_200_000  # someone else saves first
    session.commit()
    login_as(Role.PLANNER)
    data = {"name": "Cabling at Lincoln", "duration_months": "1", "cost": "9,99",
            "value": "10", "version": str(seen)}  # fmt: skip
    page = client.post(f"/planning/projects/{project.id}/edit", data=data).get_data(as_text=True)
    assert "Not a valid decimal value." in page  # shape first
    data["cost"] = "15000"
    response = client.post(f"/planning/projects/{project.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Cabling at Lincoln was changed by someone else" in page
    assert re.search(r"Cost</td><td[^>]*>\$12,000.00</td><td[^>]*>\$15,000.00</td>", page)
    assert re.search(r'id="cost"[^>]*value="15000', page)
    session.expire_all()
    assert session.get(Project, project.id).cost_cents == 1_200_000


def test_an_edit_with_bad_months_is_named_on_the_field(client, world, login_as) -> None:
    project = world["projects"][0]
    login_as(Role.ADMIN)
    data = {"name": "Cabling at Lincoln", "duration_months": "3", "cost": "100", "value": "1",
            "earliest_month": "10", "version": str(project.version)}  # fmt: skip
    page = client.post(f"/planning/projects/{project.id}/edit", data=data).get_data(as_text=True)
    assert "From May 2028 to Jun 2028 is 2 months, too short for 3 months of work." in page
    assert client.post(f"/planning/projects/{project.id}/edit",
                       data={**data, "earliest_month": "99"}).status_code == 200  # fmt: skip


def test_predecessors_search_save_and_refuse_a_loop(client, session, world, login_as) -> None:
    first, second, third = world["projects"]
    login_as(Role.PLANNER)
    url = f"/planning/projects/{first.id}/predecessors"
    page = client.get(url).get_data(as_text=True)
    assert "Wi-Fi at Lincoln" in page and "Cabling at Adams" not in page  # its site's first
    page = client.get(url + "?q=ada:").get_data(as_text=True)
    assert "Cabling at Adams" in page
    response = client.post(url + "?q=ada:", data={"predecessor_ids": [third.id]})
    assert response.status_code == 302
    session.expire_all()
    assert [p.id for p in session.get(Project, first.id).predecessors] == [third.id]
    # Cabling after Wi-Fi would loop through the catalogue's "cabling before Wi-Fi".
    page = client.post(url, data={"predecessor_ids": [second.id]}, follow_redirects=True)
    assert "That would make a loop: Cabling at Lincoln, which comes after Wi-Fi at Lincoln" in (
        page.get_data(as_text=True)
    )


def test_withdraw_restore_and_delete(client, session, world, login_as) -> None:
    first, _second, third = world["projects"]
    login_as(Role.PMO)
    assert client.post(f"/planning/projects/{first.id}/withdraw").status_code == 403
    login_as(Role.PLANNER)
    page = client.post(f"/planning/projects/{first.id}/withdraw", follow_redirects=True)
    assert "Cabling at Lincoln is withdrawn: plans leave it out." in page.get_data(as_text=True)
    assert "Cabling at Lincoln" not in _list(client, world["scenario"])
    assert "Cabling at Lincoln" in _list(client, world["scenario"], "?withdrawn=yes")
    client.post(f"/planning/projects/{first.id}/restore")
    page = client.post(f"/planning/projects/{third.id}/delete", follow_redirects=True)
    assert "Cabling at Adams is deleted." in page.get_data(as_text=True)
    assert session.scalar(select(func.count(Project.id))) == 2


class TestWithCsrf:
    """CSRF is on in real use: the project forms carry the token and need it."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        """Turn CSRF protection back on."""
        return {"WTF_CSRF_ENABLED": True}

    def test_posts_without_the_token_are_refused(self, client, world, login_as) -> None:
        project = world["projects"][0]
        login_as(Role.PLANNER)
        assert 'name="csrf_token"' in client.get(f"/planning/projects/{project.id}").get_data(
            as_text=True
        )
        for action in ("withdraw", "delete"):
            assert client.post(f"/planning/projects/{project.id}/{action}").status_code == 400
        scenario = world["scenario"]
        assert client.post(f"/planning/scenarios/{scenario.id}/needs").status_code == 400
        data = {"name": "x", "duration_months": "1", "cost": "1", "value": "1"}
        assert client.post(f"/planning/projects/{project.id}/edit", data=data).status_code == 400
