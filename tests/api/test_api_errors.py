"""Refusals are RFC 9457 problem details naming the fields at fault."""

from __future__ import annotations

import pytest

from inventory.enums import Role

PROBLEM = "application/problem+json"


def problem(response, status: int) -> dict:
    """The response's problem details, checked."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status and body["title"]
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [({"tag": 5, "site_id": "{own_site}", "model_id": "{model}"}, "tag"),
     ({"tag": "A-1", "site_id": "x", "model_id": "{model}"}, "site_id"),
     ({"tag": "A-1", "site_id": 2147483648, "model_id": "{model}"}, "site_id"),
     ({"tag": "A-1", "site_id": "{own_site}", "model_id": 424242}, "model_id"),
     ({"tag": "A-1", "site_id": "{own_site}", "model_id": "{model}", "status": "lost"}, "status"),
     ({"tag": "A-1", "site_id": "{own_site}", "model_id": "{model}", "installed_on": "soon"},
      "installed_on"),
     ({"tag": "A-1", "site_id": "{own_site}", "model_id": "{model}", "colour": "red"}, "colour"),
     ({"site_id": "{own_site}", "model_id": "{model}"}, "tag"),
     ({"tag": "A\x00", "site_id": "{own_site}", "model_id": "{model}"}, "tag")],
)  # fmt: skip
def test_invalid_asset_fields_are_named(api, world, body, field) -> None:
    ids = world.ids
    sent = {k: (int(v.format(**ids)) if isinstance(v, str) and v.startswith("{") else v)
            for k, v in body.items()}  # fmt: skip
    details = problem(api(Role.STAFF)("POST", "/api/v1/assets", json=sent), 422)
    assert list(details["errors"]) == [field], details


def test_a_tag_already_used_is_a_conflict_on_its_field(api, world) -> None:
    body = {"tag": "own-0001", "site_id": world.ids["own_site"], "model_id": world.ids["model"]}
    details = problem(api(Role.STAFF)("POST", "/api/v1/assets", json=body), 409)
    assert list(details["errors"]) == ["tag"]


def test_a_body_that_is_not_json_is_refused(api, world) -> None:
    response = api(Role.STAFF)("POST", "/api/v1/sites", data="{nope",
                               headers={"Content-Type": "application/json"})  # fmt: skip
    assert response.status_code in (400, 422)
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/v1/assets/2147483648", 404), ("/api/v1/sites/999999", 404),
     ("/api/v1/plans/2147483648/assignments", 404), ("/api/v1/nothing", 404),
     ("/api/v1/assets?colour=red", 422), ("/api/v1/assets?site_id=2147483648", 422),
     ("/api/v1/assets?per_page=501", 422), ("/api/v1/assets?page=0", 422),
     ("/api/v1/assets?sort=colour", 422), ("/api/v1/assets?eol=soon", 422),
     ("/api/v1/sites?kind=castle", 422), ("/api/v1/assets?q=%00", 400)],
)  # fmt: skip
def test_bad_reads_are_problems(api, world, path, status) -> None:
    details = problem(api(Role.ADMIN)("GET", path), status)
    if status == 422:
        assert details["errors"], details


def test_unknown_filter_names_the_parameter(api, world) -> None:
    details = problem(api(Role.ADMIN)("GET", "/api/v1/sites?colour=red"), 422)
    assert details["errors"] == {"colour": ["Unknown field."]}


def test_a_bad_token_is_401_with_a_challenge(api, world, client) -> None:
    response = client.get("/api/v1/sites", headers={"Authorization": "Bearer rk_nope"})
    problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_session_cookie_is_not_a_token(login_as, world) -> None:
    client = login_as(Role.ADMIN)
    problem(client.get("/api/v1/sites"), 401)


def test_a_wrong_method_is_a_problem(api, world) -> None:
    problem(api(Role.ADMIN)("PUT", "/api/v1/sites"), 405)
