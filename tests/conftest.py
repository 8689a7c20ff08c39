"""Fixtures: the app and a database, run on SQLite and on PostgreSQL, a client per role.

Each database is created once per run, migrated with Alembic (so the tests exercise the real
migrations), and emptied after every test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app import create_app
from app.api.limits import MemoryCounter
from app.migrate import upgrade_database
from inventory.base import Base
from inventory.enums import Role
from inventory.models import User
from inventory.operations.authentication import start_login
from inventory.passwords import use_fast_test_parameters
from tests.factories import make_user

use_fast_test_parameters()

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
PG_CANDIDATES = (
    "postgresql+psycopg://postgres@/postgres?host=/var/run/postgresql",
    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
)


def _reachable(url: str) -> bool:
    """True if a PostgreSQL server answers at the URL."""
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception:
        return False
    return True


def postgres_admin_url() -> str | None:
    """The server where test databases are created, from the environment or the usual places."""
    if os.environ.get("ROLLOUT_TEST_DATABASE_URL"):
        return os.environ["ROLLOUT_TEST_DATABASE_URL"]
    return next((url for url in PG_CANDIDATES if _reachable(url)), None)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A migrated, empty database of each kind, for the whole run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'rollout.db'}"
        upgrade_database(url)
        yield url
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        if os.environ.get("ROLLOUT_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (ROLLOUT_REQUIRE_POSTGRES=1) but unreachable")
        pytest.skip("no PostgreSQL reachable: set ROLLOUT_TEST_DATABASE_URL")
    with postgres_database(admin_url) as url:
        upgrade_database(url)
        yield url


class postgres_database:  # noqa: N801 - used as a context manager, reads like one
    """Create a uniquely named PostgreSQL database, and drop it afterwards."""

    def __init__(self, admin_url: str) -> None:
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.name = f"rollout_test_{uuid.uuid4().hex[:12]}"
        self.url = make_url(admin_url).set(database=self.name).render_as_string(False)

    def __enter__(self) -> str:
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *_exc: object) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def empty_database(session: Session) -> None:
    """Delete every row (PostgreSQL: one TRUNCATE), keeping the migrated schema."""
    tables = [table.name for table in Base.metadata.sorted_tables]
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{name}"' for name in tables)
        session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for name in reversed(tables):
            session.execute(text(f'DELETE FROM "{name}"'))
    session.commit()


@pytest.fixture
def app_overrides() -> dict:
    """Settings a test module may change by overriding this fixture."""
    return {}


# Apps built for earlier tests, by settings: building one (blueprints, the OpenAPI document)
# costs about 0.1 s, and most tests need the same one. Each test gets it back with its
# settings as built and fresh in-process rate-limit counts; a test that changes the app itself
# (adds routes) is marked `fresh_app`.
_APPS: dict[tuple[str, str], tuple[Flask, dict]] = {}


@pytest.fixture
def app(request: pytest.FixtureRequest, database_url: str, app_overrides: dict) -> Iterator[Flask]:
    """The app on the test database; CSRF is off here and tested on its own with it on."""
    settings = {
        "ENV_NAME": "test",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    }
    settings.update(app_overrides)
    key = (database_url, repr(sorted(settings.items())))
    fresh = request.node.get_closest_marker("fresh_app") is not None
    if fresh or key not in _APPS:
        flask_app = create_app(settings)
        built = dict(flask_app.config)
        if not fresh:
            _APPS[key] = (flask_app, built)
    else:
        flask_app, built = _APPS[key]
        flask_app.config.clear()
        flask_app.config.update(built)
        if isinstance(flask_app.extensions.get("rollout.api_limits"), MemoryCounter):
            flask_app.extensions["rollout.api_limits"] = MemoryCounter()
    yield flask_app
    sessions = flask_app.extensions["rollout.sessions"]
    with sessions() as session:
        empty_database(session)
    flask_app.extensions["rollout.engine"].dispose()


@pytest.fixture(autouse=True)
def _push_request_context() -> None:
    """Replace pytest-flask's: a context held open across requests would share `g` (and so
    the database session and the signed-in user) between a test's requests."""


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A database session of the app's factory (the test commits when it needs to)."""
    with app.extensions["rollout.sessions"]() as db_session:
        yield db_session


@pytest.fixture
def users(session: Session) -> dict[Role, User]:
    """One user of every role, committed."""
    made = {role: make_user(session, role, username=role.value.replace("_", "")) for role in Role}
    session.commit()
    return made


def sign_in(client: FlaskClient, user: User) -> None:
    """Sign the user in as the sign-in page does (a live `user_logins` row), then put its key
    in the client's session."""
    with client.application.extensions["rollout.sessions"]() as db_session:
        key = start_login(db_session, db_session.get(User, user.id), remember=False)
        db_session.commit()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = key
        flask_session["_fresh"] = True


@pytest.fixture
def login_as(client: FlaskClient, users: dict[Role, User]) -> Callable[[Role | None], FlaskClient]:
    """Sign the test client in as the user of a role (None: stay anonymous)."""

    def login(role: Role | None) -> FlaskClient:
        with client.session_transaction() as flask_session:
            flask_session.clear()
        if role is not None:
            sign_in(client, users[role])
        return client

    return login
