"""Browser tests: the app served on a free local port, driven by Playwright in Debian's Chromium.

Playwright never downloads a browser here: it launches /usr/bin/chromium (installed by
`make test` from Debian's packages) headless, with the flags this machine's closed network needs.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from werkzeug.serving import make_server

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """Debian's Chromium, or another one named by ROLLOUT_CHROMIUM."""
    return os.environ.get("ROLLOUT_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    path = chromium_path()
    if path is None:
        if os.environ.get("ROLLOUT_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (ROLLOUT_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("Chromium is not installed (make test installs Debian's chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def app_overrides() -> dict:
    """Browser tests run with CSRF protection on, as in production."""
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served by a threaded WSGI server on a free port; yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A fresh browser tab (own cookies) pointed at the live server."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: _record_console_error(message, errors))
    yield tab
    context.close()
    assert errors == [], f"the page logged errors: {errors}"


# Pages that refuse a request on purpose (a wrong password: 401, a missing CSRF token: 400,
# a forbidden page: 403) make the browser log the status; that is not a page error.
EXPECTED_REFUSALS = re.compile(r"status of (400|401|403) ")


def _record_console_error(message: ConsoleMessage, errors: list[str]) -> None:
    """Keep console errors, except the browser's note of a deliberate refusal."""
    if message.type == "error" and not EXPECTED_REFUSALS.search(message.text):
        errors.append(message.text)


def sign_in(page: Page, username: str, password: str) -> None:
    """Fill and submit the sign-in form."""
    page.goto("/auth/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
