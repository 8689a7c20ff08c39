"""Submitting jobs to the configured backend, and the worker that runs them."""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
import traceback
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from app.db import session_factory
from app.jobs.registry import HANDLERS, JobCancelled, JobContext, JobFailed
from app.jobs.sidechannel import side_channel
from inventory.enums import JobStatus
from inventory.models import Job, User
from inventory.operations.jobs import (
    claim_job,
    enqueue_job,
    fail_abandoned_jobs,
    finish_job,
    next_queued_job_id,
    report_progress,
)

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


def submit_job(
    session: Session, *, by: User | None, kind: str, title: str, params: dict[str, Any]
) -> Job:
    """Queue a job, commit, and tell the backend; returns the job row."""
    if kind not in HANDLERS:
        raise KeyError(f"unknown job kind {kind!r}")
    job = enqueue_job(session, by=by, kind=kind, title=title, params=params)
    session.commit()
    dispatch_job(job.id)
    return job


def dispatch_job(job_id: int) -> None:
    """Tell the backend that a queued job is committed and waiting (embedded workers find it
    in the table by themselves)."""
    if current_app.config["JOB_BACKEND"] == "redis":
        _redis_queue().enqueue("app.jobs.worker.run_job_in_new_app", job_id, job_timeout=-1)


def _redis_queue() -> Any:
    """The RQ queue named in the configuration."""
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(current_app.config["REDIS_URL"])
    return Queue(current_app.config["JOB_QUEUE"], connection=connection)


def worker_name() -> str:
    """Which machine and process runs a job, shown on the job page."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(job_id: int) -> JobStatus | None:
    """Claim and run one job; None when another worker had claimed it."""
    sessions = session_factory()
    channel = side_channel()
    with sessions() as session:
        if not claim_job(session, job_id, worker=worker_name()):
            session.rollback()
            return None
        session.commit()
        if channel is not None:
            channel.clear(job_id)  # leftovers of an earlier database's job with this id
        job = session.get(Job, job_id)
        context = JobContext(job_id, dict(job.params), job.created_by_id, sessions, channel)
        handler = HANDLERS.get(job.kind)
    status, result, error, message = _execute(handler, context)
    progress = channel.read_progress(job_id) if channel is not None else None
    with sessions() as session:
        if progress is not None:  # how far it got, kept in the row once the lock is free
            report_progress(
                session, job_id, done=progress["done"], total=progress["total"],
                detail=progress["detail"],
            )  # fmt: skip
        finish_job(session, job_id, status=status, result=result, error=error, message=message)
        session.commit()
    if channel is not None:
        channel.clear(job_id)
    return status


def _execute(handler: Any, context: JobContext) -> tuple[JobStatus, Any, str | None, str]:
    """Run the handler, turning its ending into a status, result, error and message."""
    if handler is None:
        return JobStatus.FAILED, None, "This kind of job is not known to the worker.", "Failed."
    try:
        result = handler(context)
    except JobCancelled:
        return JobStatus.CANCELLED, None, None, "Cancelled."
    except JobFailed as failure:  # a reason for the user, not a traceback
        return JobStatus.FAILED, None, failure.message, failure.message
    except Exception:
        log.exception("Job %s failed", context.job_id)
        return JobStatus.FAILED, None, traceback.format_exc(limit=5), "Failed."
    return JobStatus.SUCCEEDED, result, None, (result or {}).get("message", "Done.")


def run_job_in_new_app(job_id: int) -> str | None:
    """Entry point for RQ workers: build the app from the environment and run the job."""
    from app import create_app

    with create_app().app_context():
        status = run_job(job_id)
    return status.value if status else None


def run_worker(*, once: bool = False) -> None:
    """Run jobs until stopped: poll the table (embedded) or serve the RQ queue (redis)."""
    if current_app.config["JOB_BACKEND"] == "redis":
        _fail_abandoned_jobs()
        _run_rq_worker(burst=once)
        return
    stopping = _install_stop_handlers()
    _fail_abandoned_jobs()
    log.info("Embedded worker %s polling for jobs", worker_name())
    while not stopping["stop"]:
        with session_factory()() as session:
            job_id = next_queued_job_id(session)
        if job_id is not None:
            run_job(job_id)
        elif once:
            return
        else:
            time.sleep(POLL_SECONDS)


def _process_alive(pid: int) -> bool:
    """True if a process with this id runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fail_abandoned_jobs() -> None:
    """Jobs left running by a worker of this machine that died are marked failed."""
    with session_factory()() as session:
        count = fail_abandoned_jobs(session, host=socket.gethostname(), is_alive=_process_alive)
        session.commit()
    if count:
        log.warning("Marked %d abandoned job(s) as failed", count)


def _install_stop_handlers() -> dict[str, bool]:
    """Finish the current job, then stop, on SIGTERM or Ctrl-C."""
    state = {"stop": False}

    def stop(_signum: int, _frame: Any) -> None:
        state["stop"] = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    return state


def _run_rq_worker(*, burst: bool) -> None:
    """Serve the Redis queue with an RQ worker."""
    from rq import Worker

    queue = _redis_queue()
    Worker([queue], connection=queue.connection).work(burst=burst, with_scheduler=False)
