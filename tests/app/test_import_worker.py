"""A worker on another machine imports an uploaded file: `flask worker` in its own process, run
from its own copy of the code (so with its own instance folder), fed by the Redis queue. The
file reaches it through the database, not through a folder the web app and the worker share."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import func, select

from app.imports import views
from app.jobs.worker import _redis_queue
from inventory.enums import JobStatus, Role
from inventory.models import ImportUpload, Job, Site
from tests.inventory.imports.conftest import csv_bytes

ROOT = Path(__file__).resolve().parents[2]
ROWS = [["Code", "Name"], *([f"W{n}", f"School {n}"] for n in range(1, 6))]


def _redis_url() -> str | None:
    """A reachable Redis, or None."""
    url = os.environ.get("ROLLOUT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:
        return None
    return url


@pytest.fixture
def app_overrides() -> dict:
    """The Redis backend, on a queue of this test run's own."""
    url = _redis_url()
    if url is None:
        if os.environ.get("ROLLOUT_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is required (ROLLOUT_REQUIRE_REDIS=1) but unreachable")
        pytest.skip("no Redis reachable")
    return {"JOB_BACKEND": "redis", "REDIS_URL": url, "JOB_QUEUE": f"test-imports-{os.getpid()}"}


@pytest.fixture
def other_machine(tmp_path) -> Path:
    """The code as another machine has it: its own folder, so its own instance folder."""
    machine = tmp_path / "machine-2"
    for package in ("app", "inventory", "scheduler"):
        shutil.copytree(
            ROOT / package, machine / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "config.py", machine / "config.py")
    return machine


def _environment(app, machine: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ROLLOUT_")}
    env.update(
        ROLLOUT_ENV="test", ROLLOUT_DATABASE_URL=app.config["DATABASE_URL"],
        ROLLOUT_JOB_BACKEND="redis", ROLLOUT_REDIS_URL=app.config["REDIS_URL"],
        ROLLOUT_JOB_QUEUE=app.config["JOB_QUEUE"], PYTHONPATH=str(machine),
    )  # fmt: skip
    return env


def _run(app, machine: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=machine, env=_environment(app, machine),
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_a_worker_with_its_own_instance_folder_imports_an_upload(
    app, login_as, session, other_machine, monkeypatch
) -> None:
    monkeypatch.setattr(views, "BACKGROUND_ROWS", 2)  # five rows: a job
    client = login_as(Role.STAFF)
    data = {"kind": "sites", "file": (io.BytesIO(csv_bytes(ROWS)), "schools.csv")}
    token = (
        client.post("/imports/", data=data, content_type="multipart/form-data")
        .headers["Location"]
        .rsplit("/", 1)[1]
    )
    response = client.post(
        f"/imports/{token}", data={"column_0": "code", "column_1": "name", "action": "import"}
    )
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    where = _run(app, other_machine, "-c", "import app; print(app.__file__)")
    assert where.stdout.strip() == str(other_machine / "app" / "__init__.py"), where.stderr
    try:
        worker = _run(
            app, other_machine, "-m", "flask", "--app", "app:create_app", "worker", "--once"
        )
    finally:
        with app.app_context():
            _redis_queue().delete(delete_jobs=True)
    assert worker.returncode == 0, worker.stderr
    session.expire_all()
    job = session.get(Job, job_id)
    assert job.status is JobStatus.SUCCEEDED, (job.message, job.error)
    assert job.worker and "5 created" in job.message
    codes = session.scalars(select(Site.code).where(Site.code.like("W%")).order_by(Site.code))
    assert list(codes) == ["W1", "W2", "W3", "W4", "W5"]
    assert session.scalar(select(func.count(ImportUpload.id))) == 0  # removed once imported
