"""Every route against every role, from the table in authorization_table.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, url_for

from inventory.enums import Role
from inventory.models import Job, Site, User
from inventory.operations.jobs import enqueue_job
from tests.app.authorization_planning.world import planning_world
from tests.app.authorization_published.world import published_world
from tests.app.authorization_table import ROLES, TABLE
from tests.factories import make_asset, make_region, make_site

IGNORED_ENDPOINTS = {"static", "bootstrap.static"}


@dataclass
class World:
    """Objects the routes' arguments point at."""

    users: dict[Role, User]
    site: Site
    job: Job
    extra: dict[str, Any]
    planning: dict[str, Any]
    published: dict[str, Any]


@pytest.fixture
def world(session, users) -> World:
    """A site, a job started by the planner, plus what later features add to `extra`."""
    site = make_site(session, name="Matrix School")
    job = enqueue_job(session, by=users[Role.PLANNER], kind="test.noop", title="t", params={})
    region = make_region(session)
    make_site(session, region=region)
    extra = {"region": region, "asset": make_asset(session, site=site)}  # not the site admin's
    extra["model"] = extra["asset"].model
    planning = planning_world(session, users)
    published = published_world(session, users, site)
    session.commit()
    return World(
        users=users, site=site, job=job, extra=extra, planning=planning, published=published
    )


def registered_endpoints(app: Flask) -> set[str]:
    """Every endpoint the app serves, but static files and the REST API: the API takes tokens,
    never the session cookie these pages sign in with, so its routes have their own matrix in
    tests/api/test_api_authorization.py."""
    pages = [rule for rule in app.url_map.iter_rules() if not rule.rule.startswith("/api/")]
    return {rule.endpoint for rule in pages} - IGNORED_ENDPOINTS


def test_every_route_has_an_entry_in_the_table(app) -> None:
    missing = registered_endpoints(app) - set(TABLE)
    stale = set(TABLE) - registered_endpoints(app)
    assert missing == set(), f"add these endpoints to tests/app/authorization_table.py: {missing}"
    assert stale == set(), f"these table entries match no route: {stale}"


def outcome_of(response) -> str:
    """Classify a response as allow, login, deny or hidden."""
    if response.status_code == 403:
        return "deny"
    if response.status_code == 404:
        return "hidden"
    if response.status_code in (301, 302, 303):
        # Flask-Login sends anonymous visitors to the sign-in page with ?next=; a signed-in
        # user who signs out lands there without it.
        return "login" if "/auth/login?next=" in response.headers["Location"] else "allow"
    if response.status_code < 300 or response.status_code in (400, 401, 422):
        return "allow"
    return f"status {response.status_code}"


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_route_against_every_role(app, client, login_as, world, endpoint) -> None:
    expect = TABLE[endpoint]
    with app.test_request_context():
        url = url_for(endpoint, **expect.args(world))
    wrong = []
    for role in ROLES:
        login_as(role)
        response = client.open(url, method=expect.method, data=expect.data)
        actual = outcome_of(response)
        response.close()
        if actual != expect.outcomes[role]:
            name = role.value if role else "anonymous"
            wrong.append(f"{name}: expected {expect.outcomes[role]}, got {actual}")
    assert wrong == [], f"{expect.method} {url}"
