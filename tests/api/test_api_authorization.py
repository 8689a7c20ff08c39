"""Every /api/v1 route and method against every role's token and no token: the matrix below
names who may call it; a route missing from it fails. (The page matrix,
tests/app/test_authorization.py, signs in with the session cookie, which the API ignores.)"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.security import DISTRICT_READERS, EVERYONE, INVENTORY_EDITORS, PLAN_READERS
from inventory.enums import Role
from inventory.models import Region
from tests.factories import make_region

_numbers = itertools.count(1)
ANONYMOUS = None
CALLERS = (ANONYMOUS, Role.SITE_ADMIN, Role.PMO, Role.PLANNER, Role.STAFF, Role.ADMIN)


@dataclass(frozen=True)
class Route:
    """How to call a route (`path` from the world's ids, a `body` made fresh for each call),
    who may (`allowed`: None is everyone, a token or not) and what success is."""

    path: str | Callable[[Any, dict[str, int]], str]
    allowed: tuple[Role, ...] | None
    success: int = 200
    body: Callable[[dict[str, int]], dict[str, Any]] | None = None
    if_match: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _code() -> str:
    return f"M{next(_numbers)}"


def _empty_region(session: Any, _ids: dict[str, int]) -> str:
    region = make_region(session)
    session.commit()
    return f"/api/v1/regions/{region.id}"


MATRIX: dict[tuple[str, str], Route] = {
    ("api-docs.openapi_json", "GET"): Route("/api/v1/openapi.json", None),
    ("api_reference.reference", "GET"): Route("/api/v1/docs", None),
    ("api_reference.start", "GET"): Route("/api/v1/docs/start.js", None),
    ("api_reference.static", "GET"): Route("/api/v1/docs/assets/swagger-ui.css", None),
    ("api_regions.Regions", "GET"): Route("/api/v1/regions", DISTRICT_READERS),
    ("api_regions.Regions", "POST"): Route(
        "/api/v1/regions", INVENTORY_EDITORS, 201,
        body=lambda _ids: {"code": _code(), "name": f"Region {_code()}"},
    ),
    ("api_regions.RegionItem", "GET"): Route("/api/v1/regions/{region}", DISTRICT_READERS),
    ("api_regions.RegionItem", "PATCH"): Route(
        "/api/v1/regions/{region}", INVENTORY_EDITORS, body=lambda _ids: {"name": _code()},
        if_match=True,
    ),
    ("api_regions.RegionItem", "DELETE"): Route(
        _empty_region, INVENTORY_EDITORS, 204, if_match=True
    ),
    ("api_sites.Sites", "GET"): Route("/api/v1/sites", EVERYONE),
    ("api_sites.Sites", "POST"): Route(
        "/api/v1/sites", INVENTORY_EDITORS, 201,
        body=lambda _ids: {"code": _code(), "name": "New School"},
    ),
    ("api_sites.SiteItem", "GET"): Route("/api/v1/sites/{own_site}", EVERYONE),
    ("api_sites.SiteItem", "PATCH"): Route(
        "/api/v1/sites/{own_site}", INVENTORY_EDITORS, body=lambda _ids: {"city": _code()},
        if_match=True,
    ),
    ("api_sites.SiteRetire", "POST"): Route(
        "/api/v1/sites/{own_site}/retire", INVENTORY_EDITORS, if_match=True
    ),
    ("api_systems.Systems", "GET"): Route("/api/v1/systems", DISTRICT_READERS),
    ("api_systems.Systems", "POST"): Route(
        "/api/v1/systems", INVENTORY_EDITORS, 201,
        body=lambda _ids: {"code": _code(), "name": f"System {_code()}"},
    ),
    ("api_systems.SystemItem", "GET"): Route("/api/v1/systems/{system}", DISTRICT_READERS),
    ("api_systems.SystemItem", "PATCH"): Route(
        "/api/v1/systems/{system}", INVENTORY_EDITORS,
        body=lambda _ids: {"default_useful_life_years": 8}, if_match=True,
    ),
    ("api_systems.SystemRetire", "POST"): Route(
        "/api/v1/systems/{system}/retire", INVENTORY_EDITORS, if_match=True
    ),
    ("api_manufacturers.Manufacturers", "GET"): Route("/api/v1/manufacturers", DISTRICT_READERS),
    ("api_manufacturers.Manufacturers", "POST"): Route(
        "/api/v1/manufacturers", INVENTORY_EDITORS, 201,
        body=lambda _ids: {"name": f"Maker {_code()}"},
    ),
    ("api_manufacturers.ManufacturerItem", "GET"): Route(
        "/api/v1/manufacturers/{manufacturer}", DISTRICT_READERS
    ),
    ("api_manufacturers.ManufacturerItem", "PATCH"): Route(
        "/api/v1/manufacturers/{manufacturer}", INVENTORY_EDITORS,
        body=lambda _ids: {"name": f"Maker {_code()}"}, if_match=True,
    ),
    ("api_manufacturers.ManufacturerRetire", "POST"): Route(
        "/api/v1/manufacturers/{manufacturer}/retire", INVENTORY_EDITORS, if_match=True
    ),
    ("api_models.Models", "GET"): Route("/api/v1/models", DISTRICT_READERS),
    ("api_models.Models", "POST"): Route(
        "/api/v1/models", INVENTORY_EDITORS, 201,
        body=lambda ids: {"manufacturer_id": ids["manufacturer"], "system_id": ids["system"],
                          "part_number": _code()},
    ),
    ("api_models.AssetModelItem", "GET"): Route("/api/v1/models/{model}", DISTRICT_READERS),
    ("api_models.AssetModelItem", "PATCH"): Route(
        "/api/v1/models/{model}", INVENTORY_EDITORS, body=lambda _ids: {"name": _code()},
        if_match=True,
    ),
    ("api_models.AssetModelRetire", "POST"): Route(
        "/api/v1/models/{model}/retire", INVENTORY_EDITORS, if_match=True
    ),
    ("api_assets.Assets", "GET"): Route("/api/v1/assets", EVERYONE),
    ("api_assets.Assets", "POST"): Route(
        "/api/v1/assets", INVENTORY_EDITORS, 201,
        body=lambda ids: {"tag": _code(), "site_id": ids["own_site"], "model_id": ids["model"]},
    ),
    ("api_assets.AssetItem", "GET"): Route("/api/v1/assets/{own_asset}", EVERYONE),
    ("api_assets.AssetItem", "PATCH"): Route(
        "/api/v1/assets/{own_asset}", INVENTORY_EDITORS, body=lambda _ids: {"notes": _code()},
        if_match=True,
    ),
    ("api_assets.AssetRetire", "POST"): Route(
        "/api/v1/assets/{own_asset}/retire", INVENTORY_EDITORS, if_match=True
    ),
    ("api_planning.Scenarios", "GET"): Route("/api/v1/scenarios", PLAN_READERS),
    ("api_planning.ScenarioItem", "GET"): Route("/api/v1/scenarios/{scenario}", PLAN_READERS),
    ("api_planning.ScenarioPlans", "GET"): Route(
        "/api/v1/scenarios/{scenario}/plans", PLAN_READERS
    ),
    ("api_planning.ScenarioBaseline", "GET"): Route(
        "/api/v1/scenarios/{scenario}/baseline", PLAN_READERS
    ),
    ("api_planning.PlanItem", "GET"): Route("/api/v1/plans/{plan}", PLAN_READERS),
    ("api_planning.PlanAssignments", "GET"): Route(
        "/api/v1/plans/{plan}/assignments", PLAN_READERS
    ),
    ("api_planning.PlanLeftOuts", "GET"): Route("/api/v1/plans/{plan}/left-out", PLAN_READERS),
}  # fmt: skip


def api_routes(app: Flask) -> set[tuple[str, str]]:
    """Every (endpoint, method) the app serves under /api/."""
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_api_route_has_an_entry_in_the_matrix(app) -> None:
    served = api_routes(app)
    assert served - set(MATRIX) == set(), "add these routes to MATRIX"
    assert set(MATRIX) - served == set(), "these MATRIX entries match no route"


def expected(route: Route, caller: Role | None) -> int:
    """The status a caller should get."""
    if route.allowed is None:
        return route.success
    if caller is None:
        return 401
    return route.success if caller in route.allowed else 403


@pytest.mark.parametrize(("endpoint", "method"), sorted(MATRIX))
def test_api_route_against_every_role(api, world, session, endpoint, method) -> None:
    route = MATRIX[endpoint, method]
    outcomes = {}
    for caller in CALLERS:
        path = route.path(session, world.ids) if callable(route.path) else route.path
        path = path.format(**world.ids)
        headers = {}
        if route.if_match:
            headers["If-Match"] = api(Role.ADMIN)("GET", path.removesuffix("/retire")).headers[
                "ETag"
            ]
        body = route.body(world.ids) if route.body else None
        response = api(caller)(method, path, json=body, headers=headers)
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json", response.data[:200]
        outcomes[caller] = response.status_code
        response.close()  # a static file's response holds the file open
    assert outcomes == {caller: expected(route, caller) for caller in CALLERS}


def test_a_deleted_region_is_gone(api, world, session) -> None:
    path = _empty_region(session, world.ids)
    etag = api(Role.ADMIN)("GET", path).headers["ETag"]
    assert api(Role.ADMIN)("DELETE", path, headers={"If-Match": etag}).status_code == 204
    assert api(Role.ADMIN)("GET", path).status_code == 404
    assert session.scalar(select(func.count(Region.id))) == 3


def test_a_region_with_sites_is_not_removed(api, world) -> None:
    path = f"/api/v1/regions/{world.ids['region']}"
    etag = api(Role.ADMIN)("GET", path).headers["ETag"]
    response = api(Role.ADMIN)("DELETE", path, headers={"If-Match": etag})
    assert response.status_code == 422
    assert "Move this region's sites" in response.get_json()["errors"]["region"][0]
