"""Fixtures for the REST API: a token per role (made as the account page makes them), a client
that sends one, and a small world: two regions, three sites (one the site administrator's),
the catalogue, assets at every site, and a scenario with a published plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from inventory.enums import Role
from inventory.models import PlanLeftOut, User
from inventory.operations.api_tokens import create_token
from tests.factories import (
    make_asset,
    make_model,
    make_project,
    make_region,
    make_scenario,
    make_site,
    make_upgrade_type,
)
from tests.published_plans import make_plan

# Every test here makes many requests in a minute: the rate limits are tested on their own.
LIMITS = {"API_RATE_LIMIT": 1_000_000, "API_ANONYMOUS_RATE_LIMIT": 1_000_000}


@pytest.fixture
def app_overrides() -> dict:
    """No rate limit gets in the way of these tests."""
    return dict(LIMITS)


@pytest.fixture
def tokens(session: Session, users: dict[Role, User]) -> dict[Role, str]:
    """A live personal token of each role's user."""
    made = {role: create_token(session, user, name="tests")[1] for role, user in users.items()}
    session.commit()
    return made


Call = Callable[..., Any]


@pytest.fixture
def api(client: FlaskClient, tokens: dict[Role, str]) -> Callable[[Role | None], Call]:
    """`api(role)(method, path, **kwargs)`: a request with the role's token (None: none)."""

    def as_role(role: Role | None) -> Call:
        def call(method: str, path: str, **kwargs: Any) -> Any:
            headers = dict(kwargs.pop("headers", {}))
            if role is not None:
                headers["Authorization"] = f"Bearer {tokens[role]}"
            return client.open(path, method=method, headers=headers, **kwargs)

        return call

    return as_role


@dataclass
class World:
    """What the API's routes point at; `own_*` are the site administrator's, `other_*` not."""

    ids: dict[str, int]


@pytest.fixture
def world(session: Session, users: dict[Role, User]) -> World:
    """Two regions, the site administrator's site and two others, models, assets everywhere,
    and a scenario whose published plan schedules one project and leaves one out."""
    north, south, empty = make_region(session), make_region(session), make_region(session)
    own_site = users[Role.SITE_ADMIN].sites[0]
    own_site.region = north
    other_site = make_site(session, name="Other School", region=south)
    third = make_site(session, name="Third School", region=north)
    model = make_model(session, manufacturer="Cisco", part_number="C9200-24P")
    spare = make_model(session, manufacturer="Aruba", part_number="AP-515")
    own_asset = make_asset(session, site=own_site, model=model, tag="OWN-0001")
    other_asset = make_asset(session, site=other_site, model=spare, tag="OTHER-0001")
    make_asset(session, site=third, model=model, tag="THIRD-0001")
    scenario = make_scenario(session, name="FY2028 plan")
    upgrade = make_upgrade_type(session, name="Wi-Fi refresh")
    own_project = make_project(session, scenario, site=own_site, upgrade_type=upgrade)
    other_project = make_project(session, scenario, site=other_site, upgrade_type=upgrade)
    plan = make_plan(session, scenario, [(own_project, 2)], by=users[Role.PLANNER])
    session.add(PlanLeftOut(
        plan_id=plan.id, project_id=other_project.id, key=other_project.key,
        reason="over the annual budget in period 3", limit_key="budget:0",
        cost_cents=other_project.cost_cents, value=other_project.value,
    ))  # fmt: skip
    draft = make_scenario(session, name="What if")
    session.commit()
    ids = {
        "region": north.id, "empty_region": empty.id,
        "own_site": own_site.id, "other_site": other_site.id, "model": model.id,
        "manufacturer": model.manufacturer_id, "system": model.system_id,
        "own_asset": own_asset.id, "other_asset": other_asset.id, "scenario": scenario.id,
        "draft_scenario": draft.id, "plan": plan.id,
    }  # fmt: skip
    session.commit()
    return World(ids=ids)
