"""Feed tokens never reach a log: werkzeug's request log, gunicorn's access log and the app's
own error log all go through the redacting filter."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from http.client import HTTPConnection
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger as GunicornLogger
from werkzeug.serving import make_server

from app.calendar import init_logging
from app.calendar.log_redaction import FeedTokenFilter, redact
from inventory.models import User
from inventory.operations.calendar_feeds import create_feed


class Collect(logging.Handler):
    """Keeps every formatted line."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def token(session, district) -> str:
    """A live feed token of the site administrator."""
    _feed, made = create_feed(session, session.get(User, district.site_admin.id))
    session.commit()
    return made


def test_redact_rewrites_feed_addresses_only() -> None:
    token = "Ab3_-" * 8 + "xyz"
    line = f'"GET /calendar/{token}.ics?x=1 HTTP/1.1" 200 -'
    assert redact(line) == '"GET /calendar/[token].ics?x=1 HTTP/1.1" 200 -'
    assert redact(f"/calendar/{token}") == "/calendar/[token].ics"  # truncated address
    assert redact("POST /calendar/feed/revoke HTTP/1.1") == "POST /calendar/feed/revoke HTTP/1.1"
    assert redact("/calendar/") == "/calendar/"


def test_werkzeug_request_log_has_no_token(app, token, caplog) -> None:
    init_logging(app)
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path, status in ((f"/calendar/{token}.ics", 200), (f"/calendar/{'B' * 43}.ics", 404)):
            connection = HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            connection.request("GET", path)
            assert connection.getresponse().status == status
            connection.close()
    finally:
        server.shutdown()
        thread.join()
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert len(lines) == 2
    assert all("/calendar/[token].ics" in line for line in lines)
    assert token not in caplog.text and "B" * 43 not in caplog.text


def test_gunicorn_access_log_has_no_token(app, token) -> None:
    init_logging(app)
    config = Config()
    config.set("accesslog", "-")
    gunicorn_log = GunicornLogger(config)
    collect = Collect()
    gunicorn_log.access_log.addHandler(collect)
    path = f"/calendar/{token}.ics"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path, "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1",
               "HTTP_USER_AGENT": "Calendar/1.0"}  # fmt: skip
    response = SimpleNamespace(status="200 OK", sent=120, headers=[])
    request = SimpleNamespace(headers=[("User-Agent", "Calendar/1.0")])
    try:
        config.set("access_log_format", '%(h)s "%(r)s" %(s)s %(U)s %({raw_uri}e)s %({x}i)s')
        gunicorn_log.access(response, request, environ, dt.timedelta(milliseconds=5))
    finally:
        for handler in list(gunicorn_log.access_log.handlers):
            gunicorn_log.access_log.removeHandler(handler)
    (line,) = collect.lines
    assert token not in line
    assert line == '10.0.0.1 "GET /calendar/[token].ics HTTP/1.1" 200 /calendar/[token].ics ' \
        "/calendar/[token].ics -"  # fmt: skip


def test_the_app_error_log_has_no_token(app, token, caplog, monkeypatch) -> None:
    init_logging(app)

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("the feed could not be built")

    monkeypatch.setattr("app.calendar.views.feed_calendar", broken)
    response = app.test_client().get(f"/calendar/{token}.ics")
    assert response.status_code == 500
    assert "Unhandled error on GET /calendar/[token].ics" in caplog.text
    assert token not in caplog.text


def test_installing_twice_adds_one_filter(app) -> None:
    init_logging(app)
    init_logging(app)
    for logger in (logging.getLogger("werkzeug"), logging.getLogger("gunicorn.access"), app.logger):
        assert sum(isinstance(f, FeedTokenFilter) for f in logger.filters) == 1
