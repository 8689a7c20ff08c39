"""A person signing in with a real browser: navigation by role, errors, CSRF, phone screens."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from inventory.enums import Role
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

# What each role must and must not see in the navigation bar.
NAVIGATION = {
    Role.ADMIN: ({"Home", "Users", "Jobs"}, set()),
    Role.STAFF: ({"Home", "Jobs"}, {"Users"}),
    Role.PLANNER: ({"Home", "Jobs"}, {"Users"}),
    Role.PMO: ({"Home"}, {"Users", "Jobs"}),
    Role.SITE_ADMIN: ({"Home"}, {"Users", "Jobs"}),
}


def test_each_role_sees_its_navigation(page: Page, users) -> None:
    for role, (shown, hidden) in NAVIGATION.items():
        page.context.clear_cookies()
        sign_in(page, users[role].username, PASSWORD)
        expect(page.get_by_test_id("whoami")).to_contain_text(role.label)
        links = set(page.get_by_test_id("nav").get_by_role("link").all_inner_texts())
        assert shown <= links, role
        assert not (hidden & links), role


def test_a_wrong_password_shows_an_error(page: Page, users) -> None:
    sign_in(page, "planner", "not my password")
    expect(page.get_by_role("alert")).to_have_text("Invalid user name or password.")
    assert page.url.endswith("/auth/login")


def test_a_form_posted_without_its_csrf_token_is_refused(page: Page, users) -> None:
    page.goto("/auth/login")
    page.eval_on_selector("input[name=csrf_token]", "element => element.remove()")
    page.get_by_label("User name").fill("planner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Bad request")).to_be_visible()
    expect(page.get_by_text("The form has expired")).to_be_visible()
    page.goto("/home")
    assert "/auth/login" in page.url  # not signed in


def test_sign_out(page: Page, users) -> None:
    sign_in(page, "staff", PASSWORD)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("alert")).to_have_text("You are signed out.")
    page.goto("/home")
    assert "/auth/login" in page.url


def test_navigation_works_on_a_phone_sized_screen(page: Page, users) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "admin", PASSWORD)
    # The toggle must be clicked on the signed-in page with Bootstrap's script bound, not on
    # the sign-in page that is still showing while the redirect runs (a race seen in CI).
    page.wait_for_url("**/home")
    page.wait_for_load_state("load")
    users_link = page.get_by_test_id("nav").get_by_role("link", name="Users")
    expect(users_link).to_be_hidden()
    page.get_by_role("button", name="Toggle navigation").click()
    expect(users_link).to_be_visible()
    # Bootstrap swaps "collapsing" for "collapse show" when the opening animation ends; a click
    # during the animation can land on the menu while it still moves and go nowhere (seen in CI).
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    users_link.click()
    page.wait_for_url("**/admin/users")
    expect(page.get_by_role("heading", name="Users")).to_be_visible()


def test_copied_cookies_are_refused_after_sign_out(page: Page, users, browser, live_server) -> None:
    sign_in_remembered(page, "staff")
    cookies = page.context.cookies()
    assert {cookie["name"] for cookie in cookies} >= {"session", "remember_token"}
    # Another browser holding copies of both cookies is signed in, until the owner signs out.
    thief = browser.new_context(base_url=live_server)
    thief.add_cookies(cookies)
    stolen = thief.new_page()
    stolen.goto("/home")
    expect(stolen.get_by_test_id("whoami")).to_contain_text("staff")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("alert")).to_have_text("You are signed out.")
    for kept in (cookies, [c for c in cookies if c["name"] == "remember_token"]):
        thief.clear_cookies()
        thief.add_cookies(kept)
        stolen.goto("/home")
        assert "/auth/login" in stolen.url, [c["name"] for c in kept]
        expect(stolen.get_by_label("User name")).to_be_visible()
    thief.close()


def sign_in_remembered(page: Page, username: str) -> None:
    """Sign in with "Keep me signed in on this device" ticked."""
    page.goto("/auth/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Keep me signed in on this device").check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home")
