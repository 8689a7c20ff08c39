"""Sign-in, sign-out, sessions, cookies, security headers and CSRF."""

from __future__ import annotations

import re

import pytest

from inventory.enums import Role
from inventory.operations.users import set_password
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


def test_changing_the_password_ends_other_sessions(client, users, session, login_as) -> None:
    login_as(Role.STAFF)
    assert client.get("/home").status_code == 200
    set_password(session, users[Role.STAFF], by=None, password="a brand new password")
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
