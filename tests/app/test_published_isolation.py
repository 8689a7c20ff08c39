"""A site administrator tries every published-plan route with another site's ids.

The routes are read from the app's url_map (the portal, the SEP, the calendar feeds and every
planning page under /planning/), so a route added later is tried too. Each one is refused
(403 or 404) when it names another site's objects or the district's plan; the site
administrator's own pages answer, and no response ever names the other school or its project.
A route without an entry in TRIES (portal, SEP, calendar), or a planning route with an argument
no builder knows, fails with a message saying what to add.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask, url_for
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app import create_app
from inventory.enums import FundingKind, Role
from inventory.models import BlackoutRequest, FundingSource, User, WorkWindow
from inventory.operations.calendar_feeds import create_feed
from inventory.operations.jobs import enqueue_job
from tests.conftest import sign_in
from tests.factories import make_project, make_scenario, make_site, make_upgrade_type, make_user
from tests.published_plans import make_plan

PREFIXES = ("portal.", "sep.", "calendar.", "plans.", "decisions.")
PLANNING_PATH = "/planning/"
OTHER_SITE = "Zebra Crossing Elementary"
OTHER_CODE = "ZCX901"
OTHER_PROJECT = "Zebra crossing rewiring"


@dataclass
class Try:
    """One request: its URL arguments from the world, method, form, and whether it must be
    refused (403/404) or may answer (the site administrator's own view)."""

    args: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda w: {})
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    refused: bool = True


def own(**options: Any) -> Try:
    """The site administrator's own view: it may answer, but shows nothing of the other site."""
    return Try(refused=False, **options)


def other_site(w: dict[str, Any]) -> dict[str, Any]:
    return {"site_id": w["other_site"].id}


def the_plan(w: dict[str, Any]) -> dict[str, Any]:
    return {"plan_id": w["plan"].id}


# Portal, SEP and calendar routes, one entry each: a new route fails until it is added here.
TRIES: dict[str, list[Try]] = {
    "portal.index": [own()],
    "portal.site": [Try(other_site), own(args=lambda w: {"site_id": w["own_site"].id})],
    "portal.site_pdf": [Try(other_site), own(args=lambda w: {"site_id": w["own_site"].id})],
    "portal.request_blackout_months": [
        Try(other_site, method="POST", data={"months": ["2027-08"], "note": "exams"})
    ],
    "portal.requests": [own()],
    "portal.answer_request": [
        Try(
            lambda w: {"request_id": w["other_request"].id},
            method="POST",
            data={"status": "done", "answer": "ok"},
        ),
    ],
    "sep.index": [own()],
    "sep.document": [Try(the_plan)],
    "sep.document_pdf": [Try(the_plan)],
    "sep.schedule_pdf": [Try(the_plan)],
    "sep.schedule_xlsx": [Try(the_plan)],
    "sep.prepare": [Try(lambda w: {"plan_id": w["plan"].id, "kind": "sep_pdf"}, method="POST")],
    "calendar.index": [own()],
    # The only token a site administrator can get is their own: it shows only their site.
    "calendar.feed": [
        own(args=lambda w: {"token": w["own_token"]}),
        Try(lambda w: {"token": "A" * 43}),
    ],
    "calendar.create": [own(method="POST", data={"user_id": "1", "next": "/calendar/"})],
    "calendar.revoke": [own(method="POST", data={"next": "/calendar/"})],
}

# Planning routes (all refused to site administrators): arguments by name.
ARGUMENTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "plan_id": lambda w: w["plan"].id,
    "scenario_id": lambda w: w["scenario"].id,
    "project_id": lambda w: w["other_project"].id,
    "site_id": lambda w: w["other_site"].id,
    "job_id": lambda w: w["job"].id,
    "source_id": lambda w: w["source"].id,
    "window_id": lambda w: w["window"].id,
    "upgrade_type_id": lambda w: w["upgrade"].id,
    "trade_id": lambda w: w["upgrade"].crew_needs[0].trade_id,
}


def _endpoints() -> list[tuple[str, str, frozenset[str], tuple[str, ...]]]:
    """(endpoint, path, methods, argument names) of the routes under test, from an app built
    without touching a database."""
    app = create_app({"ENV_NAME": "test", "DATABASE_URL": "sqlite://", "WTF_CSRF_ENABLED": False})
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(PREFIXES) or rule.rule.startswith(PLANNING_PATH):
            methods = frozenset(rule.methods or ()) - {"HEAD", "OPTIONS"}
            found.append((rule.endpoint, rule.rule, methods, tuple(sorted(rule.arguments))))
    return sorted(found)


ENDPOINTS = _endpoints()


def tries_for(endpoint: str, path: str, methods: frozenset[str], names: tuple[str, ...]):
    """The requests to make, or a failure saying what to add."""
    if endpoint in TRIES:
        return TRIES[endpoint]
    if not path.startswith(PLANNING_PATH):
        pytest.fail(f"{endpoint} ({path}) has no entry in TRIES in {__file__}: say what a site "
                    "administrator gets with another site's ids")  # fmt: skip
    unknown = [name for name in names if name not in ARGUMENTS]
    if unknown:
        pytest.fail(f"{endpoint} ({path}): add a builder for {unknown} to ARGUMENTS in {__file__}")
    method = "GET" if "GET" in methods else "POST"
    return [Try(lambda w: {name: ARGUMENTS[name](w) for name in names}, method=method)]


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    """Two schools in one published plan; the site administrator has the first, another site
    administrator the second (with a blackout request); a draft-side job, window and source."""
    own_site = make_site(session, name="Own Academy")
    other = make_site(session, name=OTHER_SITE, code=OTHER_CODE)
    site_admin = make_user(session, Role.SITE_ADMIN, username="isoadmin", sites=[own_site])
    other_admin = make_user(session, Role.SITE_ADMIN, username="isoother", sites=[other])
    planner = make_user(session, Role.PLANNER, username="isoplanner")
    scenario = make_scenario(session, name="Isolation plan")
    upgrade = make_upgrade_type(session, name="Isolation upgrade")
    own_project = make_project(session, scenario, site=own_site, upgrade_type=upgrade,
                               name="Own Academy upgrade")  # fmt: skip
    other_project = make_project(session, scenario, site=other, upgrade_type=upgrade,
                                 name=OTHER_PROJECT)  # fmt: skip
    source = FundingSource(scenario=scenario, code="general", name="General fund",
                           kind=FundingKind.GENERAL, is_default=True)  # fmt: skip
    window = WorkWindow(scenario=scenario, name="Summer break", months=[0, 1])
    request = BlackoutRequest(site=other, months=["2027-09"], note="Testing week",
                              requested_by_id=other_admin.id)  # fmt: skip
    session.add_all([source, window, request])
    plan = make_plan(session, scenario, [(own_project, 1), (other_project, 2)], by=planner)
    job = enqueue_job(session, by=planner, kind="plan", title="Plan Isolation plan",
                      params={"scenario_id": scenario.id, "time_limit_s": 5})  # fmt: skip
    _feed, own_token = create_feed(session, site_admin)
    session.commit()
    return {
        "site_admin": site_admin, "own_site": own_site, "other_site": other,
        "scenario": scenario, "plan": plan, "upgrade": upgrade, "own_project": own_project,
        "other_project": other_project, "source": source, "window": window,
        "other_request": request, "job": job, "own_token": own_token,
    }  # fmt: skip


def body_text(response) -> str:
    """The response's text: a PDF's extracted text, else the body as text."""
    if response.mimetype == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    return response.get_data().decode("utf-8", errors="replace")


def test_a_site_administrator_cannot_reach_another_site(app: Flask, world) -> None:
    """Every route in one test per database: the world is built once (a site administrator's
    refused requests change nothing), and the failure lists every route that let them through."""
    client = app.test_client()
    sign_in(client, world["site_admin"])
    wrong = []
    for endpoint, path, methods, names in ENDPOINTS:
        for attempt in tries_for(endpoint, path, methods, names):
            with app.test_request_context():
                url = url_for(endpoint, **attempt.args(world))
            response = client.open(url, method=attempt.method, data=attempt.data)
            text = body_text(response) + response.headers.get("Location", "")
            where = f"{endpoint}: {attempt.method} {url}"
            if response.status_code >= 500:
                wrong.append(f"{where}: {response.status_code}")
            elif attempt.refused and response.status_code not in (403, 404):
                wrong.append(f"{where}: {response.status_code}, expected 403 or 404")
            leaked = [name for name in (OTHER_SITE, OTHER_CODE, OTHER_PROJECT) if name in text]
            if leaked:
                wrong.append(f"{where} shows {leaked}")
    assert wrong == []


def test_the_routes_under_test_include_every_published_plan_blueprint() -> None:
    found = {endpoint.split(".")[0] for endpoint, *_rest in ENDPOINTS}
    assert {"calendar", "plans", "decisions", "scenarios"} <= found


def test_the_site_administrator_is_not_linked_to_the_other_site(session, world) -> None:
    admin = session.get(User, world["site_admin"].id)
    assert [site.name for site in admin.sites] == ["Own Academy"]
