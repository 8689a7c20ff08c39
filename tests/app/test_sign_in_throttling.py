"""Sign-in throttling in the web app: a school behind one address, an account under attack,
the client's address behind trusted proxies, and failures arriving all at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from inventory.models import LoginThrottle
from tests.factories import PASSWORD

SCHOOL = "203.0.113.9"
HOME = "198.51.100.1"


def _login(client, username, password, *, address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    data = {"username": username, "password": password}
    return client.post("/auth/login", data=data, headers=headers)


def _counters(session) -> dict[str, int]:
    session.expire_all()
    return {row.key: row.failures for row in session.scalars(select(LoginThrottle))}


def test_made_up_names_do_not_lock_out_everyone_at_the_address(app, client, users) -> None:
    for _ in range(app.config["LOGIN_THROTTLE_FREE_FAILURES"] + 1):
        assert _login(client, "nosuchuser", "a guess").status_code == 401
    assert b"Too many failed" in _login(client, "nosuchuser", "a guess").data
    # A teacher in the same school (same address) signs in with the right password.
    assert _login(client, "planner", PASSWORD).status_code == 302


class TestBehindAProxy:
    """One trusted proxy in front of the app: the client's address is the one it forwards."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        return {"TRUSTED_PROXIES": 1}

    def test_an_account_under_attack_signs_in_from_elsewhere(self, app, client, users) -> None:
        for _ in range(app.config["LOGIN_THROTTLE_FREE_FAILURES"]):
            assert _login(client, "staff", "a guess", address=SCHOOL).status_code == 401
        refused = _login(client, "staff", PASSWORD, address=SCHOOL)
        assert b"Too many failed" in refused.data
        assert _login(client, "staff", PASSWORD, address=HOME).status_code == 302

    def test_the_forwarded_address_is_the_one_counted(self, client, users, session) -> None:
        _login(client, "staff", "a guess", address=f"10.9.9.9, {SCHOOL}")
        assert list(_counters(session)) == [f"login:staff@{SCHOOL}"]


def test_forwarded_addresses_are_ignored_without_trusted_proxies(app, client, users, session):
    assert app.config["TRUSTED_PROXIES"] == 0
    for _ in range(app.config["LOGIN_THROTTLE_FREE_FAILURES"]):
        _login(client, "staff", "a guess", address=SCHOOL)
    # A made-up X-Forwarded-For does not give an attacker a fresh address to guess from.
    assert b"Too many failed" in _login(client, "staff", PASSWORD, address=HOME).data
    assert list(_counters(session)) == ["login:staff@127.0.0.1"]


class TestAllAtOnce:
    """Forty wrong passwords for one account at the same moment, each from its own client."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        return {"LOGIN_THROTTLE_FREE_FAILURES": 1000}

    def test_concurrent_failures_are_counted_exactly(self, app, users, session) -> None:
        statuses: list[int] = []
        start = threading.Barrier(40)

        def attempt() -> None:
            browser = app.test_client()
            start.wait()
            statuses.append(_login(browser, "staff", "a guess").status_code)

        threads = [threading.Thread(target=attempt) for _ in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [401] * 40
        assert _counters(session) == {"login:staff@127.0.0.1": 40}
