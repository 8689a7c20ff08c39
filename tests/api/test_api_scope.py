"""A site administrator's token reads only their own sites' objects: another site's ids are 404
and no filter widens the list (the API's own check of what the pages promise)."""

from __future__ import annotations

import pytest

from inventory.enums import Role
from inventory.models import Site


def test_own_site_and_asset_are_readable(api, world) -> None:
    call = api(Role.SITE_ADMIN)
    assert call("GET", f"/api/v1/sites/{world.ids['own_site']}").status_code == 200
    assert call("GET", f"/api/v1/assets/{world.ids['own_asset']}").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/api/v1/sites/{other_site}", "/api/v1/assets/{other_asset}",
     "/api/v1/sites/{other_site}/retire", "/api/v1/assets/{other_asset}/retire"],
)  # fmt: skip
def test_another_sites_objects_are_not_found(api, world, path) -> None:
    path = path.format(**world.ids)
    method = "POST" if path.endswith("/retire") else "GET"
    response = api(Role.SITE_ADMIN)(method, path, headers={"If-Match": '"1"'})
    # Reading: hidden (404). Retiring: site administrators may not write at all (403), so
    # nothing tells them whether the id exists.
    assert response.status_code == (404 if method == "GET" else 403)
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "query",
    [{}, {"site_id": "{other_site}"}, {"site": "other"}, {"region_id": "{region}"},
     {"q": "OTHER"}, {"model_id": "{model}"}, {"status": "in_service"}, {"eol": "past"},
     {"sort": "site", "desc": "true"}],
)  # fmt: skip
def test_asset_filters_never_widen_the_scope(api, world, session, query) -> None:
    args = {key: value.format(**world.ids) for key, value in query.items()}
    if args.get("site") == "other":
        args["site"] = session.get(Site, world.ids["other_site"]).code
    response = api(Role.SITE_ADMIN)("GET", "/api/v1/assets", query_string=args)
    assert response.status_code == 200
    sites = {item["site_id"] for item in response.get_json()["items"]}
    assert sites <= {world.ids["own_site"]}
    assert response.get_json()["pagination"]["total"] == len(response.get_json()["items"])


@pytest.mark.parametrize("query", [{}, {"q": "Other"}, {"region_id": "{region}"}, {"sort": "name"}])
def test_site_filters_never_widen_the_scope(api, world, query) -> None:
    args = {key: value.format(**world.ids) for key, value in query.items()}
    response = api(Role.SITE_ADMIN)("GET", "/api/v1/sites", query_string=args)
    assert response.status_code == 200
    assert {item["id"] for item in response.get_json()["items"]} <= {world.ids["own_site"]}


def test_district_readers_see_every_site(api, world) -> None:
    response = api(Role.PMO)("GET", "/api/v1/sites")
    assert response.get_json()["pagination"]["total"] == 3


def test_site_administrators_cannot_write_even_at_their_own_site(api, world) -> None:
    body = {"tag": "SA-1", "site_id": world.ids["own_site"], "model_id": world.ids["model"]}
    assert api(Role.SITE_ADMIN)("POST", "/api/v1/assets", json=body).status_code == 403


def test_creating_an_asset_at_an_unknown_site_is_refused_on_its_field(api, world) -> None:
    body = {"tag": "X-1", "site_id": 999_999, "model_id": world.ids["model"]}
    response = api(Role.STAFF)("POST", "/api/v1/assets", json=body)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["site_id"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/regions", "/api/v1/systems", "/api/v1/manufacturers", "/api/v1/models",
     "/api/v1/scenarios", "/api/v1/plans/{plan}", "/api/v1/scenarios/{scenario}/baseline"],
)  # fmt: skip
def test_district_and_planning_reads_are_forbidden_to_site_administrators(api, world, path):
    response = api(Role.SITE_ADMIN)("GET", path.format(**world.ids))
    assert response.status_code == 403
