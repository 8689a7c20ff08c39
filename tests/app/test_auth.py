"""Sign-in, sign-out, sessions, cookies, security headers and CSRF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import update

from inventory.base import utcnow
from inventory.enums import Role
from inventory.models import UserLogin
from inventory.operations.users import disable_user, set_password
from tests.factories import PASSWORD


def _login(client, username, password, **extra):
    return client.post("/auth/login", data={"username": username, "password": password, **extra})


def test_sign_in_and_out(client, users) -> None:
    response = _login(client, "planner", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    page = client.get("/home")
    assert page.status_code == 200
    assert b"planner" in page.data
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/home").status_code == 302


def test_a_wrong_password_shows_an_error(client, users) -> None:
    response = _login(client, "planner", "wrong password")
    assert response.status_code == 401
    assert b"Invalid user name or password." in response.data


def test_logout_needs_a_post(client, users, login_as) -> None:
    login_as(Role.PMO)
    assert client.get("/auth/logout").status_code == 405


def test_next_only_redirects_within_the_site(client, users) -> None:
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
        client.post("/auth/logout")
        response = client.post(
            f"/auth/login?next={target}", data={"username": "pmo", "password": PASSWORD}
        )
        assert response.headers["Location"].endswith("/home"), target
    client.post("/auth/logout")
    response = client.post(
        "/auth/login?next=/admin/users", data={"username": "admin", "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/admin/users")


def test_repeated_failures_are_throttled_in_the_web_app(client, users, app) -> None:
    for _ in range(app.config["LOGIN_THROTTLE_FREE_FAILURES"]):
        assert _login(client, "staff", "wrong").status_code == 401
    response = _login(client, "staff", PASSWORD)
    assert response.status_code == 401
    assert b"Too many failed sign-in attempts" in response.data


def _cookie(client, name: str) -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None, name
    return cookie.value


def _signed_in(app, **cookies: str) -> bool:
    """Whether a fresh browser holding only these cookies is signed in."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other.get("/home").status_code == 200


# Tests with several browsers use plain test clients: the `client` fixture keeps its last
# request's context (and so `g`, with the signed-in user) for the next request of any client.


def test_a_copied_session_cookie_is_refused_after_sign_out(app, users) -> None:
    browser = app.test_client()
    assert _login(browser, "planner", PASSWORD).status_code == 302
    copied = _cookie(browser, "session")
    assert _signed_in(app, session=copied)
    assert browser.post("/auth/logout").status_code == 302
    assert not _signed_in(app, session=copied)


def test_a_copied_remember_me_cookie_is_refused_after_sign_out(app, users) -> None:
    browser = app.test_client()
    assert _login(browser, "planner", PASSWORD, remember="y").status_code == 302
    remembered = _cookie(browser, "remember_token")
    assert _signed_in(app, remember_token=remembered)  # it does sign in on its own
    copied_session = _cookie(browser, "session")
    assert browser.post("/auth/logout").status_code == 302
    assert not _signed_in(app, remember_token=remembered)
    assert not _signed_in(app, session=copied_session, remember_token=remembered)


def test_signing_out_ends_only_that_sign_in(app, users) -> None:
    laptop, phone = app.test_client(), app.test_client()
    assert _login(laptop, "planner", PASSWORD).status_code == 302
    assert _login(phone, "planner", PASSWORD).status_code == 302
    assert phone.post("/auth/logout").status_code == 302
    assert laptop.get("/home").status_code == 200
    assert _signed_in(app, session=_cookie(laptop, "session"))


@pytest.mark.parametrize("change", ["password", "disable"])
def test_a_new_password_or_disabling_ends_every_sign_in(app, users, session, change) -> None:
    staff, browser = users[Role.STAFF], app.test_client()
    assert _login(browser, "staff", PASSWORD, remember="y").status_code == 302
    cookies = {"session": _cookie(browser, "session"),
               "remember_token": _cookie(browser, "remember_token")}  # fmt: skip
    assert _signed_in(app, **cookies)
    if change == "password":
        set_password(session, staff, by=None, password="a brand new password")
    else:
        disable_user(session, staff, by=None)
    session.commit()
    assert browser.get("/home").status_code == 302
    assert not _signed_in(app, **cookies)
    assert not _signed_in(app, remember_token=cookies["remember_token"])


def test_an_expired_sign_in_is_refused(client, users, session) -> None:
    assert _login(client, "pmo", PASSWORD).status_code == 302
    assert client.get("/home").status_code == 200
    session.execute(update(UserLogin).values(expires_at=utcnow() - dt.timedelta(minutes=1)))
    session.commit()
    assert client.get("/home").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, users) -> None:
    response = _login(client, "planner", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_security_headers_on_every_page(client) -> None:
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(client, users, login_as) -> None:
    login_as(Role.ADMIN)
    for url in ["/auth/login", "/home", "/admin/users", "/jobs/"]:
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html, url
        assert "cdn" not in html.lower(), url


def test_bootstrap_is_served_from_the_package(client) -> None:
    html = client.get("/auth/login").get_data(as_text=True)
    css = re.search(r'href="([^"]*bootstrap[^"]*\.css)"', html).group(1)
    assert css.startswith("/")
    with client.get(css) as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"


@pytest.mark.parametrize("code", [403, 404])
def test_error_pages_are_friendly(client, users, login_as, code) -> None:
    login_as(Role.PMO)
    url = "/admin/users" if code == 403 else "/no/such/page"
    response = client.get(url)
    assert response.status_code == code
    assert b"Go to the home page" in response.data


class TestWithCsrf:
    """CSRF is on in real use; these tests turn it back on."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        return {"WTF_CSRF_ENABLED": True}

    def test_a_form_posted_without_a_token_is_refused(self, client, users) -> None:
        response = _login(client, "planner", PASSWORD)
        assert response.status_code == 400
        assert b"The form has expired" in response.data

    def test_a_form_with_its_token_is_accepted(self, client, users) -> None:
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = _login(client, "planner", PASSWORD, csrf_token=token)
        assert response.status_code == 302


@pytest.mark.fresh_app  # adds a failing route
def test_an_unexpected_error_shows_a_calm_page(app, caplog) -> None:
    def broken() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/broken-for-test", view_func=broken)
    with app.test_client() as anonymous:
        response = anonymous.get("/broken-for-test")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"a bug" not in response.data
    assert "Unhandled error" in caplog.text
