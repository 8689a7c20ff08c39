"""Rate limits on the REST API, per token, with a lower limit for requests without one.

A fixed one-minute window: each request adds one to the count of its key for the minute under
way, and a request over the limit gets a 429 problem with `Retry-After` (the seconds left in the
minute). The key is the token (a request with a bearer token; a bad token gets its 401 from
`api_user`, after counting against its address, so guessing tokens is slowed too) or else the
client's address (`request.remote_addr`; behind a proxy, ProxyFix has already applied
TRUSTED_PROXIES; IPv6 per /64, which one subscriber holds whole).

With JOB_BACKEND "redis" the counts live in Redis, shared by every web process on every
machine; otherwise in this process's memory, for development and tests.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from flask import Flask, current_app, g, request
from redis import Redis, RedisError
from werkzeug.wrappers import Response

from app.api.auth import ApiProblem, api_user, bearer_token

API_PREFIX = "/api/"
WINDOW_SECONDS = 60
REDIS_KEY = "rollout:api-rate:{key}:{window}"
clock = time.time  # the tests stop it at a moment of their choosing


class Counter(Protocol):
    """Counts requests per key and window."""

    def hit(self, key: str, window: int) -> int:
        """Add one request to the key's count in this window; the count after it."""
        ...


class MemoryCounter:
    """Counts in this process only: each gunicorn worker (or each machine) would count its own
    requests, so a client could make a multiple of the limit. Fine for development and tests;
    production with several processes uses Redis."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, int], int] = {}

    def hit(self, key: str, window: int) -> int:
        """Add one, forgetting the windows that are over."""
        with self._lock:
            if any(seen != window for _key, seen in self._counts):
                self._counts = {k: n for k, n in self._counts.items() if k[1] == window}
            count = self._counts.get((key, window), 0) + 1
            self._counts[(key, window)] = count
            return count


class RedisCounter:
    """Counts in Redis, shared by every web process: INCR and EXPIRE in one transaction, so a
    key never outlives its window for long."""

    def __init__(self, url: str) -> None:
        self._redis = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)

    def hit(self, key: str, window: int) -> int:
        """INCR the window's key and let it expire once the window is over."""
        name = REDIS_KEY.format(key=key, window=window)
        pipeline = self._redis.pipeline()
        pipeline.incr(name)
        pipeline.expire(name, WINDOW_SECONDS * 2)
        count, _ = pipeline.execute()
        return int(count)


@dataclass(frozen=True)
class Verdict:
    """One request's place in its window."""

    limit: int
    count: int
    reset_seconds: int

    @property
    def remaining(self) -> int:
        """Requests left in the window."""
        return max(0, self.limit - self.count)

    def headers(self) -> dict[str, str]:
        """The RateLimit headers (IETF draft names)."""
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }


def init_app(app: Flask) -> None:
    """Count every request under /api/ before its view, and label its response."""
    if app.config["JOB_BACKEND"] == "redis":
        counter: Counter = RedisCounter(app.config["REDIS_URL"])
    else:
        counter = MemoryCounter()
    app.extensions["rollout.api_limits"] = counter
    app.before_request(_limit_api_request)
    app.after_request(_add_rate_limit_headers)


def _limit_api_request() -> None:
    """Refuse an API request over its limit with 429; a bad token counts against its address
    and then gets its 401."""
    if not request.path.startswith(API_PREFIX):
        return
    config = current_app.config
    if bearer_token() is None:
        _count(f"address:{_place(request.remote_addr)}", int(config["API_ANONYMOUS_RATE_LIMIT"]))
        return
    try:
        user = api_user()
    except ApiProblem:
        _count(f"address:{_place(request.remote_addr)}", int(config["API_ANONYMOUS_RATE_LIMIT"]))
        raise
    _count(f"token:{user.api_token_id}", int(config["API_RATE_LIMIT"]))


def _count(key: str, limit: int) -> None:
    """Count the request; over the limit, a 429 problem that says when to try again."""
    now = clock()
    window = int(now // WINDOW_SECONDS)
    reset = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
    counter: Counter = current_app.extensions["rollout.api_limits"]
    try:
        count = counter.hit(key, window)
    except RedisError:  # Redis unreachable: serve the API rather than refuse everyone
        current_app.logger.warning("API rate limit not applied: the counter failed", exc_info=True)
        return
    verdict = Verdict(limit=limit, count=count, reset_seconds=reset)
    g.api_rate_limit = verdict
    if count > limit:
        problem = ApiProblem(
            429,
            "Too Many Requests",
            f"At most {limit} requests a minute; try again in {reset} seconds.",
        )
        problem.headers.update({"Retry-After": str(reset), **verdict.headers()})
        raise problem


def _add_rate_limit_headers(response: Response) -> Response:
    """Tell an API client its limit, what is left and when the window ends."""
    verdict: Any = g.get("api_rate_limit")
    if verdict is not None:
        for name, value in verdict.headers().items():
            response.headers.setdefault(name, value)
    return response


def _place(address: str | None) -> str:
    """The IPv4 address, or the IPv6 /64 network the address is in."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
