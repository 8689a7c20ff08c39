"""The feed over HTTP: made and shown once, read without signing in, refused (404, whatever
the reason) when unknown, guessed, revoked, replaced or the account is disabled."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from inventory.enums import Role
from inventory.models import CalendarFeed, User
from inventory.operations.calendar_feeds import (
    TOKEN_LENGTH,
    create_feed,
    live_feed,
    revoke_feed,
    user_for_token,
)
from tests.app.calendar.conftest import by_summary
from tests.conftest import sign_in
from tests.factories import make_user

ADDRESS = re.compile(r"http://localhost/calendar/([A-Za-z0-9_-]+)\.ics")


def make_address(client: FlaskClient, user: User) -> str:
    """Sign in as the user, make a feed through the page, and return its token."""
    sign_in(client, user)
    response = client.post("/calendar/feed", data={"next": "/calendar/"})
    assert response.status_code == 200
    tokens = set(ADDRESS.findall(response.get_data(as_text=True)))
    assert len(tokens) == 1
    return tokens.pop()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A plain test client: pytest-flask's keeps its last request's context pushed, which
    would share `g` (and so the signed-in user) with the other clients these tests use."""
    return app.test_client()


def read_feed(app: Flask, token: str, suffix: str = ".ics"):
    """The feed as a calendar app fetches it: a fresh client, no cookies."""
    return app.test_client().get(f"/calendar/{token}{suffix}")


def test_the_feed_is_served_without_sign_in_as_text_calendar(app, client, district) -> None:
    token = make_address(client, district.site_admin)
    assert len(token) == TOKEN_LENGTH
    response = read_feed(app, token)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert set(by_summary(response.data)) == {"Wi-Fi refresh", "Cameras"}
    assert read_feed(app, token).status_code == 200  # calendar apps poll again and again


def test_a_site_administrator_sees_only_their_sites_through_any_token(
    app, client, session, district
) -> None:
    # Making a feed always makes the signed-in user's own; a user id in the form is ignored.
    sign_in(client, district.site_admin)
    client.post("/calendar/feed", data={"user_id": str(district.planner.id)})
    assert live_feed(session, district.planner) is None
    second_admin = make_user(session, Role.SITE_ADMIN, sites=[district.other_site])
    session.commit()
    own = make_address(client, district.site_admin)
    theirs = make_address(app.test_client(), second_admin)
    assert set(by_summary(read_feed(app, own).data)) == {"Wi-Fi refresh", "Cameras"}
    assert set(by_summary(read_feed(app, theirs).data)) == {"Phones"}
    planner = make_address(app.test_client(), district.planner)
    assert len(by_summary(read_feed(app, planner).data)) == 3


@pytest.mark.parametrize(
    "made_up",
    [
        "A" * TOKEN_LENGTH,  # the right shape, guessed
        "short",
        "A" * (TOKEN_LENGTH + 1),
        "../../etc/passwd",
        "%00" + "A" * 40,
    ],
)
def test_a_guessed_or_malformed_token_is_404(app, district, made_up) -> None:
    assert read_feed(app, made_up).status_code == 404


def test_revoking_makes_the_address_404(app, client, session, district) -> None:
    token = make_address(client, district.site_admin)
    response = client.post("/calendar/feed/revoke", data={"next": "/calendar/"})
    assert response.status_code == 302 and response.headers["Location"] == "/calendar/"
    assert read_feed(app, token).status_code == 404
    assert read_feed(app, token, ".ICS").status_code == 404  # another format of the same
    assert "You have no calendar feed" in client.get("/calendar/").get_data(as_text=True)


def test_regenerating_makes_the_old_address_404(app, client, district) -> None:
    first = make_address(client, district.site_admin)
    second = make_address(client, district.site_admin)
    assert first != second
    assert read_feed(app, first).status_code == 404
    assert read_feed(app, second).status_code == 200


def test_a_disabled_account_feed_is_404(app, client, session, district) -> None:
    token = make_address(client, district.site_admin)
    session.get(User, district.site_admin.id).is_active = False
    session.commit()
    assert read_feed(app, token).status_code == 404


def test_the_address_is_shown_once_then_only_its_hint(app, client, district) -> None:
    token = make_address(client, district.site_admin)
    for path in ("/calendar/", "/home", "/portal/"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert token not in page, path
    page = client.get("/calendar/").get_data(as_text=True)
    assert f"…{token[-4:]}" in page
    assert "Lincoln Elementary" in page and "Adams Middle" not in page


def test_next_must_be_a_path_on_this_site(client, district) -> None:
    sign_in(client, district.site_admin)
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post("/calendar/feed/revoke", data={"next": target})
        assert response.headers["Location"] == "/calendar/"
        page = client.post("/calendar/feed", data={"next": target}).get_data(as_text=True)
        assert "evil.example" not in page


def test_the_last_use_is_recorded_at_most_once_a_minute(session, district) -> None:
    user = session.get(User, district.planner.id)
    feed, token = create_feed(session, user)
    start = dt.datetime(2027, 1, 1, 12, 0, tzinfo=dt.UTC)
    assert user_for_token(session, token, now=start) is user
    assert user_for_token(session, token, now=start + dt.timedelta(seconds=30)) is user
    session.commit()
    session.refresh(feed)
    assert feed.last_used_at.replace(tzinfo=dt.UTC) == start
    user_for_token(session, token, now=start + dt.timedelta(seconds=61))
    session.commit()
    session.refresh(feed)
    assert feed.last_used_at.replace(tzinfo=dt.UTC) == start + dt.timedelta(seconds=61)


def test_only_the_hash_and_a_hint_of_the_token_are_stored(session, district) -> None:
    feed, token = create_feed(session, session.get(User, district.planner.id))
    session.commit()
    stored = session.get(CalendarFeed, feed.id)
    assert token not in (stored.token_hash, stored.token_hint)
    assert stored.token_hint == token[-4:] and len(stored.token_hash) == 64
    assert revoke_feed(session, stored.user) == 1
    assert revoke_feed(session, stored.user) == 0
    assert user_for_token(session, token) is None
