"""The deciding pages, part one: the pin form and the pin route (publishing, changes and
comparing are in test_publish_compare_views.py). Plans are written with record_plan (no
optimiser run is needed)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy.orm.exc import StaleDataError

from app.planning import decisions
from inventory.enums import Role, ScenarioStatus
from inventory.models import Plan
from tests.app.planning.plan_records import flashes, record
from tests.factories import make_project, make_scenario


@dataclass
class Row:
    """A schedule row as the plan pages give it to the pin form."""

    project_id: int
    start_month: int
    is_pinned: bool = False


# The pin form and the pin route --------------------------------------------------------------


def render_pin_form(app, user, plan: Plan, row: Row) -> str:
    """The pin form as a schedule row includes it, for a signed-in user."""
    with app.test_request_context("/planning/plans/1/schedule?month=3"):
        login_user(user)
        return render_template("planning/decisions/_pin_form.html", plan=plan, row=row)


def test_the_pin_form_shows_month_labels_to_editors_of_a_draft(app, session, users) -> None:
    scenario = make_scenario(session)
    project = make_project(session, scenario)
    plan = record(session, scenario, {project: 3})
    session.commit()

    html = render_pin_form(app, users[Role.PLANNER], plan, Row(project.id, 3))

    assert f'action="/planning/projects/{project.id}/pin"' in html
    assert '<option value="3" selected>Oct 2027</option>' in html
    assert html.count("<option") == 12 and "Jun 2028" in html
    assert 'name="next" value="/planning/plans/1/schedule?month=3"' in html
    assert 'name="csrf_token"' in html and "Unpin" not in html
    assert "Unpin" in render_pin_form(app, users[Role.ADMIN], plan, Row(project.id, 3, True))
    assert render_pin_form(app, users[Role.PMO], plan, Row(project.id, 3)).strip() == ""
    scenario.status = ScenarioStatus.SUBMITTED
    session.commit()
    assert render_pin_form(app, users[Role.PLANNER], plan, Row(project.id, 3)).strip() == ""


def test_a_valid_pin_is_saved_and_goes_back(client, login_as, session) -> None:
    scenario = make_scenario(session)
    project = make_project(session, scenario, name="Wi-Fi at Lincoln")
    revision = scenario.inputs_revision
    session.commit()
    login_as(Role.PLANNER)

    response = client.post(
        f"/planning/projects/{project.id}/pin",
        data={"month": "3", "next": "/planning/plans/7/schedule?site=lin"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/planning/plans/7/schedule?site=lin"
    assert flashes(client) == [
        ("success", "Pinned Wi-Fi at Lincoln to Oct 2027; re-plan to fit the rest around it.")
    ]
    session.expire_all()
    assert project.pinned_month == 3 and project.scenario.inputs_revision == revision + 1


def test_a_pin_that_breaks_rules_changes_nothing_and_says_why(client, login_as, session) -> None:
    scenario = make_scenario(session, blackout_months=[3])
    project = make_project(session, scenario, name="Wi-Fi at Lincoln", earliest_month=5)
    revision = scenario.inputs_revision
    session.commit()
    login_as(Role.PLANNER)

    response = client.post(f"/planning/projects/{project.id}/pin", data={"month": "3"})

    assert response.status_code == 302
    messages = flashes(client)
    assert [category for category, _text in messages] == ["danger", "danger"]
    assert "before its earliest month, Dec 2027" in messages[0][1]
    assert "Oct 2027, a district blackout month" in messages[1][1]
    session.expire_all()
    assert project.pinned_month is None and project.scenario.inputs_revision == revision


def test_unpin_and_a_bad_month(client, login_as, session) -> None:
    scenario = make_scenario(session)
    project = make_project(session, scenario, name="Phones", pinned_month=2)
    session.commit()
    login_as(Role.ADMIN)

    client.post(f"/planning/projects/{project.id}/pin", data={"month": "2", "unpin": "1"})
    session.expire_all()
    assert project.pinned_month is None
    assert "Unpinned Phones" in flashes(client)[0][1]

    client.post(f"/planning/projects/{project.id}/pin", data={"month": "12"})
    client.post(f"/planning/projects/{project.id}/pin", data={"month": "soon"})
    assert [text for _c, text in flashes(client)][-2:] == [
        "Month: choose one of the scenario's months.",
        "Month: choose one of the scenario's months.",
    ]


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil", ""])
def test_pin_goes_back_only_to_a_local_path(client, login_as, session, target) -> None:
    scenario = make_scenario(session)
    project = make_project(session, scenario)
    session.commit()
    login_as(Role.PLANNER)

    response = client.post(
        f"/planning/projects/{project.id}/pin", data={"month": "3", "next": target}
    )

    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil" not in location


def test_only_a_draft_scenarios_project_is_pinned_or_unpinned(client, login_as, session) -> None:
    scenario = make_scenario(session, name="FY2028 plan", status=ScenarioStatus.APPROVED)
    project = make_project(session, scenario, pinned_month=1)
    session.commit()
    login_as(Role.PLANNER)

    client.post(f"/planning/projects/{project.id}/pin", data={"month": "3"})
    client.post(f"/planning/projects/{project.id}/pin", data={"unpin": "1"})

    texts = [text for _category, text in flashes(client)]
    assert "return it to draft first" in texts[0]
    assert "return it to draft" in texts[1]
    session.expire_all()
    assert project.pinned_month == 1


def test_a_pin_racing_another_edit_is_not_saved(client, login_as, session, monkeypatch) -> None:
    scenario = make_scenario(session)
    project = make_project(session, scenario, name="Phones")
    session.commit()
    login_as(Role.PLANNER)

    def raced(*_args, **_kwargs):
        raise StaleDataError("the row's version moved on")

    monkeypatch.setattr(decisions, "pin_project", raced)
    client.post(f"/planning/projects/{project.id}/pin", data={"month": "3"})

    assert flashes(client) == [
        ("danger", "Phones was changed by someone else just now; nothing was saved. Check it "
                   "and try again.")
    ]  # fmt: skip
    session.expire_all()
    assert project.pinned_month is None
