"""Production as the README writes it: its own commands, in a fresh shell, start gunicorn on
PostgreSQL with a Redis-fed `flask worker`, each in its own process; a client signs in over HTTP
(behind an HTTPS proxy, as the README says) and a plan runs through the worker. Also: every
dependency the project declares is used."""

from __future__ import annotations

import ast
import contextlib
import html
import http.client
import importlib.metadata
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import time
import tomllib
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlencode, urlsplit

import pytest
from redis import Redis
from rq import Queue
from rq.registry import FinishedJobRegistry
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from inventory.database import make_engine, make_session_factory
from inventory.enums import JobStatus
from inventory.models import Job, Plan
from tests.app.planning.run_data import small_scenario
from tests.conftest import postgres_admin_url, postgres_database
from tests.test_readme import fresh_shell, readme_section, shell_blocks

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("app", "inventory", "scheduler", "migrations", "tests", "benchmarks", "scripts")
PASSWORD = "Cobalt-Harbour-Lantern-42"
# Dependencies used without an `import` of their own, and the line that shows the use.
USED_INDIRECTLY = {
    "psycopg": ("README.md", "postgresql+psycopg://"),  # SQLAlchemy's PostgreSQL driver
    "email-validator": ("app/admin/forms.py", "Email()"),  # WTForms' Email() loads it
    "gunicorn": ("README.md", "gunicorn 'app:create_app()'"),  # the production web server
    "pytest-flask": ("tests/conftest.py", "client: FlaskClient"),  # its `client` fixture
    "pytest-timeout": ("pyproject.toml", "timeout = "),  # the suite's time limit
    "ruff": ("Makefile", "ruff check"),  # `make lint`
    # The import benchmark's comparison line, run in a child process (dev extra only).
    "python-calamine": ("benchmarks/imports.py", "from python_calamine import CalamineWorkbook"),
}


def _missing(service: str, variable: str) -> NoReturn:
    """Skip the test without the service, or fail where CI says it is required."""
    if os.environ.get(variable) == "1":
        pytest.fail(f"{service} is required ({variable}=1) but unreachable")
    pytest.skip(f"no {service} reachable")


def _redis_url() -> str:
    """A reachable Redis for the test (its own database number)."""
    url = os.environ.get("ROLLOUT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:
        _missing("Redis", "ROLLOUT_REQUIRE_REDIS")
    return url


@pytest.fixture
def database() -> Iterator[str]:
    """A new, empty PostgreSQL database (not migrated: the README's steps do that)."""
    admin_url = postgres_admin_url() or _missing("PostgreSQL", "ROLLOUT_REQUIRE_POSTGRES")
    with postgres_database(admin_url) as url:
        yield url


@pytest.fixture
def sessions(database: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on that database, for what the test puts in and reads back."""
    engine = make_engine(database)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def queue() -> Iterator[Queue]:
    """An RQ queue of its own on the test Redis, emptied afterwards."""
    rq_queue = Queue(f"rollout-production-test-{uuid.uuid4().hex[:8]}",
                     connection=Redis.from_url(_redis_url()))  # fmt: skip
    yield rq_queue
    rq_queue.delete(delete_jobs=True)
    for key in rq_queue.connection.scan_iter(f"rq:*:{rq_queue.name}"):
        rq_queue.connection.delete(key)


def production_steps() -> list[str]:
    """The README's production commands, one per line."""
    [block] = shell_blocks("Production")
    return block


def production_shell(tmp_path: Path, database: str, queue: Queue) -> dict[str, str]:
    """The environment the README's set-up lines give a fresh shell, with this test's database,
    Redis and secret in place of the README's `...` and host names."""
    ours = {
        "ROLLOUT_SECRET_KEY": secrets.token_hex(32),
        "ROLLOUT_DATABASE_URL": database,
        "ROLLOUT_REDIS_URL": _redis_url(),
        "ROLLOUT_JOB_QUEUE": queue.name,  # a queue no other test's worker listens to
    }
    setup = []
    for line in production_steps():
        if line.startswith("export "):
            pairs = dict(word.split("=", 1) for word in shlex.split(line)[1:])
            assert pairs["ROLLOUT_ENV"] == "production" and pairs["ROLLOUT_JOB_BACKEND"] == "redis"
            assert pairs["ROLLOUT_DATABASE_URL"].startswith("postgresql+psycopg://")
            pairs.update(ours)
            setup.append("export " + " ".join(f"{k}={shlex.quote(v)}" for k, v in pairs.items()))
        elif line.startswith(". "):
            setup.append(line)
    shell = subprocess.run(
        ["bash", "-c", "\n".join([*setup, "env -0"])], cwd=ROOT, env=fresh_shell(tmp_path),
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    return dict(item.split("=", 1) for item in shell.stdout.decode().split("\0") if item)


def command_line(step: str, port: int) -> list[str]:
    """A README command as arguments; gunicorn binds this test's free port instead."""
    words = shlex.split(step, comments=True)
    if words[0] == "gunicorn":
        words[words.index("--bind") + 1] = f"127.0.0.1:{port}"
    return words


def run_steps(steps: list[str], env: dict, port: int, logs: Path) -> list[subprocess.Popen]:
    """Each command in turn (passwords typed when asked); the servers keep running, in their
    own process groups, their output in log files."""
    servers = []
    for step in steps:
        if step.startswith(("python3 -m venv", ". ", "export ")):
            continue  # installed by `make test`; the shell's set-up is in `env`
        if step.startswith(("gunicorn", "flask worker")):
            with (logs / f"{step.split()[0]}.log").open("wb") as log:
                servers.append(subprocess.Popen(
                    command_line(step, port), cwd=ROOT, env=env, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True,
                ))  # fmt: skip
            continue
        done = subprocess.run(
            command_line(step, port), cwd=ROOT, env=env, input=f"{PASSWORD}\n" * 2,
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, (step, done.stdout + done.stderr)
    return servers


def stop(process: subprocess.Popen) -> None:
    """Stop a server as an operator does (TERM), or kill it if it does not stop."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is None:
            os.killpg(process.pid, sent)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)


def wait_for_port(port: int, server: subprocess.Popen, log: Path) -> None:
    """Return once the server accepts connections; fail with its log if it stops."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not listen within 60 s:\n{log.read_text()}")


class Browser:
    """Just enough of a browser: cookies, forms with their CSRF token, and the headers of the
    HTTPS proxy in front of gunicorn."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.flags: dict[str, set[str]] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """Status, Location and body of one request, keeping the cookies it sets."""
        host = f"127.0.0.1:{self.port}"
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "Host": host,
                   "Referer": f"https://{host}/"}  # fmt: skip
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            body = None if form is None else urlencode(form)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
                self.flags[name] = {flag for flag in ("secure", "httponly") if morsel[flag]}
        return response.status, response.headers.get("Location", ""), text

    def submit(self, page: str, action: str, fields: dict) -> tuple[int, str, str]:
        """Post a form with the CSRF token of the page it is on."""
        status, _, text = self.request("GET", page)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
        assert status == 200 and token, text
        return self.request("POST", action, {**fields, "csrf_token": html.unescape(token[1])})

    def wait_for_run(self, run_page: str) -> dict:
        """Poll the run's status as its page does, until it has finished."""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status, _, text = self.request("GET", f"{run_page}/status.json")
            assert status == 200, text
            if (state := json.loads(text))["finished"]:
                return state
            time.sleep(0.5)
        pytest.fail(f"the run did not finish: {text}")


def test_production_as_the_readme_says(tmp_path: Path, database, sessions, queue) -> None:
    env, port = production_shell(tmp_path, database, queue), free_port()
    servers = []
    try:
        servers = run_steps(production_steps(), env, port, tmp_path)
        [server, _worker] = servers
        wait_for_port(port, server, tmp_path / "gunicorn.log")
        browser = Browser(port)
        status, home, _ = browser.submit(
            "/auth/login", "/auth/login", {"username": "admin", "password": PASSWORD}
        )
        assert status == 302 and "/auth/" not in home, (tmp_path / "gunicorn.log").read_text()
        assert browser.flags["session"] == {"secure", "httponly"}
        status, _, page = browser.request("GET", urlsplit(home).path)
        assert status == 200 and "Sign out" in page

        with sessions() as session:
            scenario = f"/planning/scenarios/{small_scenario(session).id}"
            session.commit()
        status, run, _ = browser.submit(scenario, f"{scenario}/plan", {"time_limit_s": "2"})
        assert status == 302 and "/planning/runs/" in run
        state = browser.wait_for_run(urlsplit(run).path)
    finally:
        for process in servers:
            stop(process)
    assert state["status"] == JobStatus.SUCCEEDED.value, state
    assert len(FinishedJobRegistry(queue=queue)) == 1  # it went through Redis to the worker
    with sessions() as session:
        assert session.scalars(select(Job.status)).all() == [JobStatus.SUCCEEDED]
        assert len(session.scalars(select(Plan.id)).all()) == 1


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_production_steps_install_the_server_they_start() -> None:
    """A fresh machine gets gunicorn from the project's own install."""
    steps = production_steps()
    assert steps[0].startswith("python3 -m venv .venv && .venv/bin/pip install")
    server = next(step.split()[0] for step in steps if "app:create_app()" in step)
    assert server in declared_dependencies()
    assert (ROOT / ".venv" / "bin" / server).exists()
    assert "X-Forwarded-Proto" in readme_section("Production")


def declared_dependencies() -> list[str]:
    """The distributions pyproject.toml asks for (runtime and dev), by their normalised name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    return [normalised(re.match(r"[A-Za-z0-9._-]+", spec)[0]) for spec in wanted]


def normalised(name: str) -> str:
    """A distribution's name as pip compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules() -> set[str]:
    """The top-level modules the project's code imports anywhere (in functions too)."""
    files = [ROOT / "config.py", *(p for folder in SOURCES for p in (ROOT / folder).rglob("*.py"))]
    names = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names


def test_every_declared_dependency_is_used() -> None:
    modules: dict[str, set[str]] = {}
    for module, owners in importlib.metadata.packages_distributions().items():
        for owner in owners:
            modules.setdefault(normalised(owner), set()).add(module)
    imported = imported_modules()
    unused = []
    for name in declared_dependencies():
        if modules.get(name, set()) & imported:
            continue
        path, evidence = USED_INDIRECTLY.get(name, ("pyproject.toml", "\0"))
        if evidence not in (ROOT / path).read_text(encoding="utf-8"):
            unused.append(name)
    assert unused == []
