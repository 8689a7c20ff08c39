"""Background jobs: the embedded worker and the Redis queue, progress and cancel."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

from app.db import get_session
from app.jobs.registry import JobContext, job_kind
from app.jobs.worker import _redis_queue, run_job, run_worker, submit_job
from inventory.enums import JobStatus, Role
from inventory.models import Job, Region


@job_kind("test.count")
def count_job(context: JobContext) -> dict:
    """Counts to params['to'], reporting each step; stops when cancelled."""
    total = context.params["to"]
    for step in range(1, total + 1):
        context.progress(step, total, f"step {step}")
        time.sleep(context.params.get("pause", 0))
    return {"message": f"Counted to {total}.", "counted": total}


@job_kind("test.fail")
def failing_job(context: JobContext) -> dict:
    """Always fails."""
    raise RuntimeError("boom")


@job_kind("test.hold_write_lock")
def holding_job(context: JobContext) -> dict:
    """Writes in one long transaction (as a big import does), reporting progress meanwhile."""
    total = context.params["to"]
    with context.sessions() as session:
        session.add(Region(code="HELD", name="Held by the job"))
        session.flush()  # on SQLite the job now holds the only write lock
        for step in range(1, total + 1):
            context.progress(step, total, f"step {step}")
            time.sleep(0.01)
        session.commit()
    return {"message": "Wrote one region."}


def _submit(app, users, kind="test.count", **params):
    with app.app_context():
        return submit_job(
            get_session(), by=users[Role.PLANNER], kind=kind, title="Test job", params=params
        ).id


def _job(session, job_id) -> Job:
    session.expire_all()
    return session.get(Job, job_id)


def test_embedded_worker_runs_a_job_to_the_end(app, session, users) -> None:
    job_id = _submit(app, users, to=3)
    with app.app_context():
        run_worker(once=True)
    job = _job(session, job_id)
    assert job.status is JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.result == {"message": "Counted to 3.", "counted": 3}
    assert job.percent == 100
    assert job.worker


def test_a_failing_job_is_recorded_not_raised(app, session, users) -> None:
    job_id = _submit(app, users, kind="test.fail")
    with app.app_context():
        assert run_job(job_id) is JobStatus.FAILED
    job = _job(session, job_id)
    assert "boom" in job.error


def test_a_job_runs_only_once(app, session, users) -> None:
    job_id = _submit(app, users, to=1)
    with app.app_context():
        assert run_job(job_id) is JobStatus.SUCCEEDED
        assert run_job(job_id) is None


def test_cancelling_a_running_job_stops_it(app, session, users, client, login_as) -> None:
    job_id = _submit(app, users, to=400, pause=0.01)

    def work() -> None:
        with app.app_context():
            run_job(job_id)

    thread = threading.Thread(target=work)
    thread.start()
    login_as(Role.PLANNER)
    for _ in range(200):
        if client.get(f"/jobs/{job_id}/status.json").json["done"] > 0:
            break
        time.sleep(0.02)
    response = client.post(f"/jobs/{job_id}/cancel")
    assert response.status_code == 302
    thread.join(timeout=30)
    job = _job(session, job_id)
    assert job.status is JobStatus.CANCELLED
    assert 0 < job.progress_done < 400


def test_a_job_holding_the_write_lock_shows_progress_and_can_be_cancelled(
    app, session, users, client, login_as
) -> None:
    """SQLite has one writer: progress and cancel must not wait for the job's transaction."""
    job_id = _submit(app, users, kind="test.hold_write_lock", to=3000)
    login_as(Role.PLANNER)  # signing in writes its sign-in row: before the job takes the lock
    thread = threading.Thread(target=lambda: _run_in(app, job_id))
    thread.start()
    seen = []
    for _ in range(500):
        seen.append(client.get(f"/jobs/{job_id}/status.json").json["done"])
        if seen[-1] >= 20:
            break
        time.sleep(0.02)
    assert seen[-1] >= 20, "the progress bar never moved while the job held the lock"
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "step " in page
    response = client.post(f"/jobs/{job_id}/cancel")
    assert response.status_code == 302
    state = client.get(f"/jobs/{job_id}/status.json").json  # the job may already have stopped
    assert state["status"] == "cancelled" or "Cancel requested" in state["message"], state
    thread.join(timeout=60)
    job = _job(session, job_id)
    assert job.status is JobStatus.CANCELLED
    assert 20 <= job.progress_done < 3000  # how far it got is kept in the row
    assert session.query(Region).filter_by(code="HELD").count() == 0


def _run_in(app, job_id: int) -> None:
    with app.app_context():
        run_job(job_id)


def test_cancelling_a_queued_job_is_immediate(app, session, users, client, login_as) -> None:
    job_id = _submit(app, users, to=1)
    login_as(Role.PLANNER)
    client.post(f"/jobs/{job_id}/cancel")
    assert _job(session, job_id).status is JobStatus.CANCELLED
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Cancelled before it started." in page


def test_the_progress_page_and_json(app, session, users, client, login_as) -> None:
    job_id = _submit(app, users, to=2)
    login_as(Role.PLANNER)
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'role="progressbar"' in page
    assert f"/jobs/{job_id}/status.json" in page
    status = client.get(f"/jobs/{job_id}/status.json").json
    assert status == {"id": job_id, "status": "queued", "finished": False, "percent": 0,
                      "done": 0, "total": 0, "message": ""}  # fmt: skip


def _redis_url() -> str | None:
    """A reachable Redis, or None."""
    from redis import Redis

    url = os.environ.get("ROLLOUT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:
        return None
    return url


class TestRedisBackend:
    """The production backend: jobs travel through a real Redis queue to an RQ worker."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        url = _redis_url()
        if url is None:
            if os.environ.get("ROLLOUT_REQUIRE_REDIS") == "1":
                pytest.fail("Redis is required (ROLLOUT_REQUIRE_REDIS=1) but unreachable")
            pytest.skip("no Redis reachable")
        return {"JOB_BACKEND": "redis", "REDIS_URL": url, "JOB_QUEUE": f"test-{os.getpid()}"}

    def test_a_job_goes_through_redis_to_a_worker(self, app, session, users, monkeypatch):
        for name, value in {
            "ROLLOUT_ENV": "test",
            "ROLLOUT_DATABASE_URL": app.config["DATABASE_URL"],
            "ROLLOUT_JOB_BACKEND": "redis",
            "ROLLOUT_REDIS_URL": app.config["REDIS_URL"],
            "ROLLOUT_JOB_QUEUE": app.config["JOB_QUEUE"],
        }.items():
            monkeypatch.setenv(name, value)
        job_id = _submit(app, users, to=2)
        with app.app_context():
            queue = _redis_queue()
            assert queue.count == 1
            run_worker(once=True)  # an RQ worker in burst mode: runs what is queued, stops
            queue.delete(delete_jobs=True)
        job = _job(session, job_id)
        assert job.status is JobStatus.SUCCEEDED
        assert job.result["counted"] == 2


def test_jobs_of_a_dead_worker_are_marked_failed(app, session, users) -> None:
    job_id, other_id = _submit(app, users, to=1), _submit(app, users, to=1)
    job, other = _job(session, job_id), _job(session, other_id)
    job.status = JobStatus.RUNNING
    job.worker = f"{socket.gethostname()}:999999999"  # no such process
    other.status = JobStatus.RUNNING
    other.worker = "another-machine:1"
    session.commit()
    with app.app_context():
        run_worker(once=True)
    assert _job(session, job_id).status is JobStatus.FAILED
    assert "worker stopped" in _job(session, job_id).message
    assert _job(session, other.id).status is JobStatus.RUNNING
