"""Administrators manage users in the web app; every change shows in the history."""

from __future__ import annotations

from sqlalchemy import select

from inventory.enums import Role
from inventory.models import User
from tests.factories import make_site


def test_admin_creates_a_site_administrator(client, session, users, login_as) -> None:
    site = make_site(session, code="LIN01")
    session.commit()
    login_as(Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={
            "username": "principal.lincoln",
            "full_name": "Lee <b>Lincoln</b>",
            "role": "site_admin",
            "site_ids": [site.id],
            "password": "a long enough password",
            "confirm": "a long enough password",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    user = session.scalar(select(User).where(User.username == "principal.lincoln"))
    assert [s.code for s in user.sites] == ["LIN01"]
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "Lee &lt;b&gt;Lincoln&lt;/b&gt;" in listing


def test_creating_a_site_administrator_without_a_site_explains(client, users, login_as) -> None:
    login_as(Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={"username": "nosite", "role": "site_admin", "password": "x" * 12,
              "confirm": "x" * 12},
    )  # fmt: skip
    assert response.status_code == 200
    assert b"A site administrator needs at least one site." in response.data


def test_duplicate_user_name_is_shown_on_the_field(client, users, login_as) -> None:
    login_as(Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={"username": "planner", "role": "pmo", "password": "x" * 12, "confirm": "x" * 12},
    )
    assert b"already taken" in response.data


def test_edit_and_history(client, session, users, login_as) -> None:
    login_as(Role.ADMIN)
    target = users[Role.PMO]
    response = client.post(
        f"/admin/users/{target.id}",
        data={"full_name": "Pam Renamed", "role": "planner", "email": "pam@district.example"},
    )
    assert response.status_code == 302
    session.refresh(target)
    assert target.role is Role.PLANNER
    assert target.is_active is False  # the unchecked box disables the account
    history = client.get(f"/history/users/{target.id}").get_data(as_text=True)
    assert "Pam Renamed" in history
    assert "admin" in history
    assert "planner" in history


def test_admin_resets_a_password(client, session, users, login_as) -> None:
    login_as(Role.ADMIN)
    target = users[Role.STAFF]
    old_hash = target.password_hash
    response = client.post(
        f"/admin/users/{target.id}/password",
        data={"password": "fresh password 1", "confirm": "fresh password 1"},
    )
    assert response.status_code == 302
    session.refresh(target)
    assert target.password_hash != old_hash


def test_mismatched_passwords_are_explained(client, users, login_as) -> None:
    login_as(Role.ADMIN)
    response = client.post(
        f"/admin/users/{users[Role.STAFF].id}/password",
        data={"password": "fresh password 1", "confirm": "fresh password 2"},
    )
    assert b"The passwords differ." in response.data


def test_site_admin_home_lists_only_their_sites(client, session, users, login_as) -> None:
    other = make_site(session, name="Someone Else's School")
    session.commit()
    login_as(Role.SITE_ADMIN)
    html = client.get("/home").get_data(as_text=True)
    assert users[Role.SITE_ADMIN].sites[0].name in html
    assert other.name not in html
