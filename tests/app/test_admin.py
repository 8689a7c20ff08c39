"""Administrators manage users in the web app; every change shows in the history."""

from __future__ import annotations

import re

from sqlalchemy import select

from inventory.enums import Role
from inventory.models import User
from tests.app.html_reading import history_changes
from tests.factories import PASSWORD, make_site


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
        data={"username": "nosite", "role": "site_admin", "password": PASSWORD,
              "confirm": PASSWORD},
    )  # fmt: skip
    assert response.status_code == 200
    assert b"A site administrator needs at least one site." in response.data


def test_duplicate_user_name_is_shown_on_the_field(client, users, login_as) -> None:
    login_as(Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={"username": "planner", "role": "pmo", "password": PASSWORD, "confirm": PASSWORD},
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
    # The history table's own cells: who, what, field, before, after (the signed-in name on
    # every page and the role's word in a menu cannot pass for them).
    changes = history_changes(history)
    assert ("admin", "Changed", "Full name", "Test PMO viewer", "Pam Renamed") in changes
    assert ("admin", "Changed", "Role", "PMO viewer", "Planner") in changes
    assert ("admin", "Changed", "Active", "Yes", "No") in changes


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


def test_a_weak_password_is_refused_with_the_reason(client, session, users, login_as) -> None:
    login_as(Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={"username": "newbie", "role": "pmo", "password": "password123",
              "confirm": "password123"},
    )  # fmt: skip
    assert response.status_code == 200
    assert b"This is a very common password." in response.data
    assert session.scalar(select(User).where(User.username == "newbie")) is None
    target = users[Role.STAFF]
    response = client.post(
        f"/admin/users/{target.id}/password",
        data={"password": "infrastructure2024", "confirm": "infrastructure2024"},
    )
    assert b"too easy to guess" in response.data
    assert b"the user name, full name or e-mail" in response.data


def _edit_form(target: User, **changes: object) -> dict:
    data = {"full_name": target.full_name, "email": target.email or "", "is_active": "y",
            "role": target.role.value, "version": str(target.version)}  # fmt: skip
    data.update(changes)
    return data


def test_a_stale_edit_is_refused_shown_and_kept(client, session, users, login_as) -> None:
    login_as(Role.ADMIN)
    target = users[Role.PMO]
    page = client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{target.version}"' in page
    opened = _edit_form(target)
    # Another administrator saves first.
    first = client.post(f"/admin/users/{target.id}",
                        data={**opened, "full_name": "Pam First", "role": "planner"})  # fmt: skip
    assert first.status_code == 302
    # The second save, from the form opened before, is refused and explained.
    response = client.post(f"/admin/users/{target.id}",
                           data={**opened, "full_name": "Pam Second"})  # fmt: skip
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "changed by someone else" in html
    start = html.index('data-testid="stale-differences"')
    differences = html[start : html.index("</table>", start)]
    assert re.search(r"<td>Full name</td><td[^>]*>Pam First</td><td[^>]*>Pam Second</td>",
                     differences)  # fmt: skip
    assert re.search(r"<td>Role</td><td[^>]*>Planner</td><td[^>]*>PMO viewer</td>", differences)
    assert "Can sign in" not in differences  # unchanged fields are not listed
    assert 'value="Pam Second"' in html  # the administrator's input is kept
    session.refresh(target)
    assert (target.full_name, target.role) == ("Pam First", Role.PLANNER)
    # Saving again (the form now carries the saved version) is a deliberate overwrite.
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    again = client.post(f"/admin/users/{target.id}",
                        data={**opened, "full_name": "Pam Second", "version": version})  # fmt: skip
    assert again.status_code == 302
    session.refresh(target)
    assert (target.full_name, target.role) == ("Pam Second", Role.PMO)
