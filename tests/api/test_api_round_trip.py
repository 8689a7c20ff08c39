"""A script's day: create a site and an asset, read them with their ETags, refuse a stale
save, save with the current ETag, list, retire; the change log names the token's user."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.api.auth import ApiProblem
from app.api.common import save
from app.db import get_session
from inventory.enums import Role
from inventory.models import Asset, ChangeLogEntry, User
from inventory.operations.assets import update_asset

JSON = {"Content-Type": "application/json"}


def test_site_and_asset_round_trip(api, world, users, session) -> None:
    call = api(Role.STAFF)
    response = call(
        "POST",
        "/api/v1/sites",
        json={
            "code": "RT-1",
            "name": "Round Trip School",
            "kind": "high",
            "region_id": world.ids["region"],
        },
    )
    assert response.status_code == 201, response.get_json()
    site = response.get_json()
    assert site["region_id"] == world.ids["region"] and site["status"] == "active"
    assert response.headers["ETag"] == f'"{site["version"]}"'

    body = {"tag": "RT-0001", "site_id": site["id"], "model_id": world.ids["model"],
            "installed_on": "2024-08-01", "cost_cents": 123_400}  # fmt: skip
    response = call("POST", "/api/v1/assets", json=body)
    assert response.status_code == 201, response.get_json()
    asset_id = response.get_json()["id"]

    response = call("GET", f"/api/v1/assets/{asset_id}")
    assert response.status_code == 200
    first_etag = response.headers["ETag"]
    assert response.get_json()["end_of_life_on"] == "2031-08-01"  # 7 years of useful life

    response = call("PATCH", f"/api/v1/assets/{asset_id}", json={"location": "Room 101"},
                    headers={"If-Match": first_etag})  # fmt: skip
    assert response.status_code == 200, response.get_json()
    second_etag = response.headers["ETag"]
    assert second_etag != first_etag and response.get_json()["location"] == "Room 101"

    stale = call("PATCH", f"/api/v1/assets/{asset_id}", json={"location": "Room 999"},
                 headers={"If-Match": first_etag})  # fmt: skip
    assert stale.status_code == 412
    assert stale.mimetype == "application/problem+json"
    assert stale.get_json()["current_version"] == response.get_json()["version"]
    assert stale.headers["ETag"] == second_etag
    assert call("GET", f"/api/v1/assets/{asset_id}").get_json()["location"] == "Room 101"

    missing = call("PATCH", f"/api/v1/assets/{asset_id}", json={"location": "Room 7"})
    assert missing.status_code == 428 and missing.mimetype == "application/problem+json"

    listed = call("GET", "/api/v1/assets", query_string={"site_id": site["id"]})
    assert listed.status_code == 200
    assert [item["tag"] for item in listed.get_json()["items"]] == ["RT-0001"]
    assert listed.get_json()["pagination"]["total"] == 1
    assert listed.headers["X-Total-Count"] == "1"

    retired = call("POST", f"/api/v1/assets/{asset_id}/retire", headers={"If-Match": second_etag})
    assert retired.status_code == 200, retired.get_json()
    assert call("GET", f"/api/v1/assets/{asset_id}").get_json()["status"] == "retired"

    etag = call("GET", f"/api/v1/sites/{site['id']}").headers["ETag"]
    closed = call("POST", f"/api/v1/sites/{site['id']}/retire", headers={"If-Match": etag})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"

    entries = session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.object_type.in_(("assets", "sites")))
        .where(ChangeLogEntry.object_id.in_((asset_id, site["id"])))
    ).all()  # fmt: skip
    assert len(entries) >= 5
    assert {entry.actor_name for entry in entries} == {users[Role.STAFF].username}


def test_list_pages_link_to_each_other(api, world) -> None:
    call = api(Role.ADMIN)
    first = call("GET", "/api/v1/assets", query_string={"per_page": 2, "sort": "tag"})
    assert first.status_code == 200
    body = first.get_json()
    assert body["pagination"] == {"page": 1, "per_page": 2, "total": 3, "total_is_capped": False,
                                  "has_next": True, "has_previous": False}  # fmt: skip
    assert 'rel="next"' in first.headers["Link"] and "page=2" in first.headers["Link"]
    second = call("GET", "/api/v1/assets", query_string={"per_page": 2, "sort": "tag", "page": 2})
    tags = [item["tag"] for item in body["items"] + second.get_json()["items"]]
    assert tags == sorted(tags) and len(tags) == 3
    assert 'rel="prev"' in second.headers["Link"]


def test_a_save_raced_by_another_between_check_and_write_is_a_412(app, world, users) -> None:
    """If-Match matched, then someone else saved before the write: the version column catches
    it, nothing is overwritten, and the answer is a 412 with the version now stored."""
    with app.test_request_context("/api/v1/assets/1"):
        session = get_session()
        asset = session.get(Asset, world.ids["own_asset"])
        read_version = asset.version
        with app.extensions["rollout.sessions"]() as other:
            update_asset(other, other.get(Asset, asset.id), by=None, notes="theirs")
            other.commit()
        staff = session.get(User, users[Role.STAFF].id)
        with pytest.raises(ApiProblem) as refused:
            save(lambda: update_asset(session, asset, by=staff, expected_version=read_version,
                                      notes="mine"), asset)  # fmt: skip
        assert refused.value.code == 412
        assert refused.value.extra["current_version"] == read_version + 1
        assert session.get(Asset, asset.id).notes == "theirs"
