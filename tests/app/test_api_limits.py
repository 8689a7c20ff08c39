"""Rate limits on the REST API: per token, per address without a valid token, a fixed
one-minute window, shared through Redis by every web process when Redis is the backend."""

from __future__ import annotations

import os
import uuid

import pytest
from flask import Flask
from redis import Redis

from app import create_app
from app.api import limits
from config import ConfigError, load_config
from inventory.enums import Role
from inventory.operations.api_tokens import create_token
from tests.app.test_api_tokens import WHOAMI, add_test_api, bearer

WINDOW_START = 1_800_000_000 - 1_800_000_000 % 60  # a minute's first second

pytestmark = pytest.mark.fresh_app  # the test API's routes are added to the app


class Clock:
    """The limiter's clock, stopped at a moment the test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app_overrides() -> dict:
    return {"API_RATE_LIMIT": 3, "API_ANONYMOUS_RATE_LIMIT": 2}


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """30 seconds into a minute."""
    stopped = Clock(WINDOW_START + 30)
    monkeypatch.setattr(limits, "clock", stopped)
    return stopped


@pytest.fixture
def api(app: Flask) -> Flask:
    add_test_api(app)
    return app


def _tokens(session, users, *roles: Role) -> list[str]:
    made = [create_token(session, users[role], name="Script")[1] for role in roles]
    session.commit()
    return made


def _get(client, token: str | None = None, address: str = "192.0.2.1", **headers: str):
    headers = {**(bearer(token) if token else {}), **headers}
    return client.get(WHOAMI, headers=headers, environ_base={"REMOTE_ADDR": address})


def test_the_fourth_request_in_a_minute_is_refused_until_the_next(
    api, client, session, users, clock
) -> None:
    mine, other = _tokens(session, users, Role.STAFF, Role.PLANNER)
    answers = [_get(client, mine) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert answers[0].headers["RateLimit-Limit"] == "3"
    assert answers[0].headers["RateLimit-Reset"] == "30"

    clock.now += 10
    refused = _get(client, mine)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.headers["Retry-After"] == "20"
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert refused.json["status"] == 429 and "20 seconds" in refused.json["detail"]

    assert _get(client, other).status_code == 200  # another token counts on its own
    clock.now += 20  # the next minute
    assert _get(client, mine).status_code == 200


def test_requests_without_a_valid_token_are_limited_by_address(
    api, client, session, users, clock
) -> None:
    (token,) = _tokens(session, users, Role.STAFF)
    assert [_get(client).status_code for _ in range(3)] == [401, 401, 429]
    assert _get(client, address="192.0.2.2").status_code == 401  # another address
    # Guessing tokens counts against the address too, and then gets no answer either way.
    guesses = [_get(client, "rlt_" + "x" * 40, address="192.0.2.3") for _ in range(3)]
    assert [g.status_code for g in guesses] == [401, 401, 429]
    assert guesses[-1].headers["Retry-After"] == "30"
    # A live token from the same address is counted by its token.
    assert _get(client, token, address="192.0.2.3").status_code == 200


def test_an_ipv6_subscriber_is_one_address(api, client, clock) -> None:
    statuses = [_get(client, address=f"2001:db8:1:2::{n}").status_code for n in (1, 2, 3)]
    assert statuses == [401, 401, 429]
    assert _get(client, address="2001:db8:1:3::1").status_code == 401


def test_pages_outside_the_api_are_not_counted(api, client, clock) -> None:
    for _ in range(5):
        response = client.get("/healthz")
        assert response.status_code == 200 and "RateLimit-Limit" not in response.headers


class TestBehindAProxy:
    """With a trusted proxy, each visitor's own address is counted."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        return {"API_ANONYMOUS_RATE_LIMIT": 1, "TRUSTED_PROXIES": 1}

    def test_each_forwarded_address_counts_on_its_own(self, api, client, clock) -> None:
        one = [_get(client, **{"X-Forwarded-For": "198.51.100.1"}) for _ in range(2)]
        two = _get(client, **{"X-Forwarded-For": "198.51.100.2"})
        assert [r.status_code for r in one] + [two.status_code] == [401, 429, 401]


def test_the_limits_are_settings(tmp_path) -> None:
    config = load_config(tmp_path, environ={"ROLLOUT_ENV": "test"})
    assert (config["API_RATE_LIMIT"], config["API_ANONYMOUS_RATE_LIMIT"]) == (600, 60)
    environ = {"ROLLOUT_ENV": "test", "ROLLOUT_API_RATE_LIMIT": "1200",
               "ROLLOUT_API_ANONYMOUS_RATE_LIMIT": "10"}  # fmt: skip
    config = load_config(tmp_path, environ=environ)
    assert (config["API_RATE_LIMIT"], config["API_ANONYMOUS_RATE_LIMIT"]) == (1200, 10)
    with pytest.raises(ConfigError, match="ROLLOUT_API_RATE_LIMIT"):
        load_config(tmp_path, environ={"ROLLOUT_ENV": "test", "ROLLOUT_API_RATE_LIMIT": "0"})


# Redis: the count every web process shares -------------------------------------------------


def _redis_url() -> str:
    """A reachable Redis for the test (its own database number), as tests/app/test_jobs.py."""
    url = os.environ.get("ROLLOUT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:
        if os.environ.get("ROLLOUT_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is required (ROLLOUT_REQUIRE_REDIS=1) but unreachable")
        pytest.skip("no Redis reachable")
    return url


class TestRedisCounts:
    """Two app instances (two web processes, or two machines) share one count."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        return {"API_RATE_LIMIT": 3, "API_ANONYMOUS_RATE_LIMIT": 2,
                "JOB_BACKEND": "redis", "REDIS_URL": _redis_url()}  # fmt: skip

    @pytest.fixture
    def clock(self, monkeypatch) -> Clock:
        """A minute no other run uses, its keys deleted afterwards."""
        start = (WINDOW_START // 60 + uuid.uuid4().int % 10**9) * 60
        stopped = Clock(start + 45)
        monkeypatch.setattr(limits, "clock", stopped)
        yield stopped
        redis = Redis.from_url(_redis_url())
        for key in redis.scan_iter(f"rollout:api-rate:*:{start // 60}"):
            redis.delete(key)

    def test_two_app_instances_share_one_count(
        self, api, app_overrides, database_url, session, users, clock
    ) -> None:
        (token,) = _tokens(session, users, Role.STAFF)
        second = create_app({"ENV_NAME": "test", "DATABASE_URL": database_url, **app_overrides})
        add_test_api(second)
        try:
            one, two = api.test_client(), second.test_client()
            statuses = [_get(client, token).status_code for client in (one, two, one, two)]
            assert statuses == [200, 200, 200, 429]
            refused = _get(one, token)
            assert refused.status_code == 429 and refused.headers["Retry-After"] == "15"
            assert [_get(c).status_code for c in (one, two, one)] == [401, 401, 429]
        finally:
            second.extensions["rollout.engine"].dispose()
        keys = list(
            Redis.from_url(_redis_url()).scan_iter(f"rollout:api-rate:*:{clock.now // 60:.0f}")
        )
        assert len(keys) == 2
        assert 0 < Redis.from_url(_redis_url()).ttl(keys[0]) <= 120


class TestRedisUnreachable:
    """Redis down: the API still answers (and the failure is logged), rather than refusing
    everyone."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        return {"API_RATE_LIMIT": 1, "JOB_BACKEND": "redis", "REDIS_URL": "redis://127.0.0.1:1/0"}

    def test_the_api_answers_without_limits(self, api, client, session, users, caplog) -> None:
        (token,) = _tokens(session, users, Role.STAFF)
        assert [_get(client, token).status_code for _ in range(3)] == [200, 200, 200]
        assert "API rate limit not applied" in caplog.text
