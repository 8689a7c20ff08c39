"""A project manager's phone number, kept on their account (shown on the school pages)."""

from __future__ import annotations

from sqlalchemy import select

from inventory.enums import Role
from inventory.models import User
from inventory.operations.users import update_user
from tests.factories import PASSWORD


def test_the_admin_form_sets_and_clears_a_phone(client, session, users, login_as) -> None:
    login_as(Role.ADMIN)
    response = client.post("/admin/users/new", data={
        "username": "manager.one", "full_name": "Mo Manager", "role": "pmo",
        "phone": " (555) 010-3000 ", "password": PASSWORD, "confirm": PASSWORD,
        "is_active": "y"})  # fmt: skip
    assert response.status_code == 302
    user = session.scalar(select(User).where(User.username == "manager.one"))
    assert user.phone == "(555) 010-3000"
    assert 'value="(555) 010-3000"' in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{user.id}", data={
        "full_name": "Mo Manager", "role": "pmo", "phone": "", "is_active": "y"})  # fmt: skip
    assert response.status_code == 302
    session.refresh(user)
    assert user.phone is None


def test_an_update_without_a_phone_keeps_it(session, users) -> None:
    user = users[Role.PLANNER]
    user.phone = "555 0100"
    session.commit()
    update_user(session, user, by=None, full_name="Pat", email=None, role=Role.PLANNER,
                sites=[], is_active=True)  # fmt: skip
    assert user.phone == "555 0100"
