"""A `flask worker` killed (kill -9) in the middle of a plan run, on a file SQLite database and
on PostgreSQL: the job ends failed (when a worker starts again, or when its silence is noticed)
and the plan versions made before are exactly as they were."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.jobs.sidechannel import side_channel
from app.jobs.worker import run_job
from app.planning.jobs import start_plan_run
from app.planning.solving import RunSettings
from inventory.base import utcnow
from inventory.enums import JobStatus, Role
from inventory.models import Job, Plan, Scenario
from tests.app.planning.run_data import busy_scenario

ROOT = Path(__file__).resolve().parents[3]


def _environment(app) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ROLLOUT_")}
    env.update(
        ROLLOUT_ENV="test", ROLLOUT_DATABASE_URL=app.config["DATABASE_URL"],
        ROLLOUT_JOB_BACKEND="embedded", PYTHONPATH=str(ROOT),
    )  # fmt: skip
    return env


def _command() -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "app:create_app", "worker"]


def _worker(app, log: Path) -> subprocess.Popen:
    """`flask worker` in its own process, as an operator starts it (its log in a file)."""
    with log.open("wb") as stderr:
        return subprocess.Popen(
            _command(), cwd=ROOT, env=_environment(app), stdout=subprocess.DEVNULL, stderr=stderr
        )


def _restart_worker(app) -> subprocess.CompletedProcess:
    """`flask worker --once`: a worker starting again runs what is queued, then stops."""
    return subprocess.run(
        [*_command(), "--once"], cwd=ROOT, env=_environment(app), capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip


def _rows(plan: Plan) -> list[tuple]:
    """What a plan version says, to compare before and after."""
    return [
        (plan.version, plan.status, plan.value, plan.stopped_early),
        *((a.key, a.start_month, a.cost_cents) for a in plan.assignments),
        *((o.key, o.reason) for o in plan.left_out),
    ]


def _plans(session) -> list[list[tuple]]:
    session.expire_all()
    return [_rows(plan) for plan in session.query(Plan).order_by(Plan.version)]


@pytest.fixture
def earlier_plans(app, session, users) -> Scenario:
    """A scenario with two plan versions already, made by short runs in this process."""
    scenario = busy_scenario(session, projects=200)
    session.commit()
    for _ in range(2):
        with app.app_context():
            job = start_plan_run(
                session, scenario, by=users[Role.PLANNER], settings=RunSettings(scenario.id, 1)
            )
            session.commit()
            assert run_job(job.id) is JobStatus.SUCCEEDED
    return scenario


def _killed_mid_run(app, session, users, scenario, login_as, log: Path) -> Job:
    """Start a long run, let a worker process search, then kill -9 that worker."""
    with app.app_context():
        job = start_plan_run(
            session, scenario, by=users[Role.PLANNER], settings=RunSettings(scenario.id, 300)
        )
    session.commit()
    worker = _worker(app, log)
    client = login_as(Role.PMO)
    try:
        state: dict = {}
        for _ in range(1200):  # until the worker runs it and has a plan value
            state = client.get(f"/planning/runs/{job.id}/status.json").json
            if state["status"] == "running" and (state["detail"] or {}).get("value") is not None:
                break
            assert worker.poll() is None, log.read_text(encoding="utf-8", errors="replace")
            time.sleep(0.05)
        assert state["status"] == "running" and state["detail"]["value"] is not None, state
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    session.expire_all()
    killed = session.get(Job, job.id)
    assert killed.status is JobStatus.RUNNING  # nobody has noticed yet
    return killed


@pytest.fixture(autouse=True)
def _forget_side_channel_files(app):
    """A killed worker leaves its job's progress file (SQLite); remove it after the test."""
    yield
    with app.app_context():
        channel = side_channel()
        if channel is not None:
            for job_id in range(1, 10):
                channel.clear(job_id)


def test_a_new_worker_marks_the_killed_run_failed(
    app, session, users, login_as, earlier_plans, tmp_path
) -> None:
    before = _plans(session)
    job = _killed_mid_run(app, session, users, earlier_plans, login_as, tmp_path / "worker.log")

    restarted = _restart_worker(app)
    assert restarted.returncode == 0, restarted.stderr

    session.expire_all()
    job = session.get(Job, job.id)
    assert job.status is JobStatus.FAILED
    assert "The worker stopped while running this job" in job.message
    assert _plans(session) == before and len(before) == 2
    page = login_as(Role.PLANNER).get(f"/planning/runs/{job.id}").get_data(as_text=True)
    assert "The run failed" in page


def test_a_killed_run_gone_silent_is_taken_over(
    app, session, users, login_as, earlier_plans, tmp_path
) -> None:
    before = _plans(session)
    job = _killed_mid_run(app, session, users, earlier_plans, login_as, tmp_path / "worker.log")
    long_ago = utcnow() - dt.timedelta(minutes=5)
    job.started_at = job.heartbeat_at = long_ago
    session.commit()
    with app.app_context():
        channel = side_channel()
        if channel is not None:  # SQLite: the progress file's time is the heartbeat
            progress = channel.folder / f"job-{job.id}.progress"
            os.utime(progress, (long_ago.timestamp(), long_ago.timestamp()))

    client = login_as(Role.PLANNER)
    response = client.post(f"/planning/scenarios/{earlier_plans.id}/plan", data={})

    assert response.status_code == 302 and "/planning/runs/" in response.headers["Location"]
    session.expire_all()
    assert session.get(Job, job.id).status is JobStatus.FAILED
    new_id = session.get(Scenario, earlier_plans.id).running_job_id
    assert new_id is not None and new_id != job.id
    assert _plans(session) == before
