"""The database for the web app: one engine per app, one session per request."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Flask, abort, current_app, g
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.routing import IntegerConverter

from inventory.database import make_engine, make_session_factory

T = TypeVar("T")


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ids are 32-bit in PostgreSQL, so a larger number in a URL
    is a 404, never a database overflow."""

    def __init__(self, url_map: Any, fixed_digits: int = 0, min: Any = None, max: Any = None,
                 signed: bool = False) -> None:  # fmt: skip
        super().__init__(url_map, fixed_digits, min, MAX_ID if max is None else max, signed)


MAX_ID = 2**31 - 1


def init_app(app: Flask) -> None:
    """Create the engine and session factory, and close the request's session at its end;
    route ids are bounded (before any blueprint adds its routes)."""
    app.url_map.converters["int"] = IdConverter
    engine = make_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    app.extensions["rollout.engine"] = engine
    app.extensions["rollout.sessions"] = make_session_factory(engine)
    app.teardown_appcontext(_close_session)


def session_factory() -> sessionmaker[Session]:
    """The current app's session factory (for jobs and commands that manage their own)."""
    return current_app.extensions["rollout.sessions"]


def get_session() -> Session:
    """The session of the current request or command, opened on first use."""
    if "db_session" not in g:
        g.db_session = session_factory()()
    return g.db_session


def _close_session(_exception: BaseException | None) -> None:
    """Roll back anything uncommitted and give the connection back."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def get_or_404(model: type[T], object_id: int) -> T:
    """The object with this id, or a 404 page."""
    obj = get_session().get(model, object_id)
    if obj is None:
        abort(404)
    return obj
