"""Making and stopping a feed are forms: refused without the page's CSRF token."""

from __future__ import annotations

import re

import pytest

from inventory.models import User
from inventory.operations.calendar_feeds import live_feed
from tests.conftest import sign_in


@pytest.fixture
def app_overrides() -> dict:
    """CSRF on, as in production."""
    return {"WTF_CSRF_ENABLED": True}


def test_the_feed_forms_need_the_csrf_token(app, session, district) -> None:
    client = app.test_client()
    sign_in(client, district.site_admin)
    assert client.post("/calendar/feed").status_code == 400
    assert client.post("/calendar/feed/revoke").status_code == 400
    assert live_feed(session, session.get(User, district.site_admin.id)) is None
    page = client.get("/calendar/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/calendar/feed", data={"csrf_token": token, "next": "/calendar/"})
    assert response.status_code == 200 and "only now" in response.get_data(as_text=True)
