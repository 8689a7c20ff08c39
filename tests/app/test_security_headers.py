"""Cookies and headers in production (HTTPS only, HSTS), and responses browsers must not keep."""

from __future__ import annotations

import re

import pytest

from inventory.enums import Role
from inventory.operations.jobs import enqueue_job
from tests.factories import PASSWORD

HSTS = "max-age=31536000; includeSubDomains"
HTTPS = "https://localhost"


def _set_cookies(response) -> dict[str, str]:
    """Each cookie the response sets, with its attributes."""
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


class TestProduction:
    """The app as `ROLLOUT_ENV=production` runs it, behind HTTPS."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        return {"ENV_NAME": "production", "SECRET_KEY": "p" * 32}

    def test_both_sign_in_cookies_are_secure(self, app, client, users) -> None:
        assert app.config["REMEMBER_COOKIE_SECURE"] is True
        response = client.post("/auth/login", base_url=HTTPS, data={
            "username": "planner", "password": PASSWORD, "remember": "y"})  # fmt: skip
        assert response.status_code == 302
        cookies = _set_cookies(response)
        assert set(cookies) == {"session", "remember_token"}
        for name, header in cookies.items():
            assert re.search(r";\s*Secure", header), name
            assert "HttpOnly" in header, name
            assert "SameSite=Lax" in header, name

    def test_every_response_asks_for_https_only(self, client, users) -> None:
        for url in ["/auth/login", "/healthz", "/no/such/page"]:
            response = client.get(url, base_url=HTTPS)
            assert response.headers["Strict-Transport-Security"] == HSTS, url


def test_no_hsts_outside_production(app, client) -> None:
    assert app.config["ENV_NAME"] == "test"
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers


def test_exports_and_json_are_not_kept_by_the_browser(client, session, users, login_as) -> None:
    job = enqueue_job(session, by=users[Role.PLANNER], kind="plan", title="A job", params={})
    session.commit()
    login_as(Role.PLANNER)
    for url in ["/sites/export?format=csv", "/sites/export?format=xlsx",
                f"/jobs/{job.id}/status.json", "/home"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_static_files_may_be_cached(client) -> None:
    html = client.get("/auth/login").get_data(as_text=True)
    bootstrap = re.search(r'href="([^"]*bootstrap[^"]*\.css)"', html).group(1)
    for url in ["/static/app.js", bootstrap]:
        with client.get(url) as response:
            assert response.status_code == 200, url
            assert "no-store" not in response.headers.get("Cache-Control", ""), url
