"""Background jobs as rows: queue, claim, report progress, finish, cancel.

The database row is the single source of truth for a job's state, so the progress bar, the
cancel button and any number of workers (embedded or Redis-fed, on any machine) agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.enums import JobStatus
from inventory.errors import InvalidValue
from inventory.models import Job, Scenario, User

WORKER_STOPPED = "The worker stopped while running this job; start the job again."


def enqueue_job(
    session: Session, *, by: User | None, kind: str, title: str, params: dict[str, Any]
) -> Job:
    """Record a job as queued; the caller commits, then hands the id to the job backend."""
    job = Job(
        kind=kind,
        title=title[:200],
        params=params,
        status=JobStatus.QUEUED,
        created_by_id=by.id if by else None,
    )
    session.add(job)
    session.flush()
    return job


def claim_job(session: Session, job_id: int, *, worker: str) -> bool:
    """Mark a queued job as running by this worker; False if another worker has it already."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, worker=worker[:120], started_at=utcnow())
    )
    return result.rowcount == 1


def next_queued_job_id(session: Session) -> int | None:
    """The oldest queued job, or None."""
    return session.scalar(
        select(Job.id).where(Job.status == JobStatus.QUEUED).order_by(Job.id).limit(1)
    )


def report_progress(
    session: Session,
    job_id: int,
    *,
    done: int,
    total: int,
    message: str = "",
    detail: dict[str, Any] | None = None,
) -> bool:
    """Store progress (and the figures in `detail`, when given) as the job's heartbeat;
    returns True when a cancel has been requested."""
    values: dict[str, Any] = {
        "progress_done": done,
        "progress_total": total,
        "message": message[:500],
        "heartbeat_at": utcnow(),
    }
    if detail is not None:
        values["progress_detail"] = detail
    session.execute(update(Job).where(Job.id == job_id).values(**values))
    return bool(session.scalar(select(Job.is_cancel_requested).where(Job.id == job_id)))


def finish_job(
    session: Session,
    job_id: int,
    *,
    status: JobStatus,
    result: dict[str, Any] | None = None,
    error: str | None = None,
    message: str = "",
) -> None:
    """Record how a job ended."""
    if not status.is_finished:
        raise InvalidValue(f"{status.value} is not a final job status.")
    values: dict[str, Any] = {"status": status, "finished_at": utcnow(), "error": error}
    if result is not None:
        values["result"] = result
    if message:
        values["message"] = message[:500]
    session.execute(update(Job).where(Job.id == job_id).values(**values))


def request_cancel(session: Session, job: Job) -> None:
    """Ask the job to stop; a queued job is cancelled at once, a running one at its next step."""
    if job.status.is_finished:
        raise InvalidValue("This job has already finished.")
    job.is_cancel_requested = True
    if job.status is JobStatus.QUEUED:
        job.status = JobStatus.CANCELLED
        job.finished_at = utcnow()
        job.message = "Cancelled before it started."
    session.flush()


def jobs_query(user: User):
    """The jobs a user may see: their own, or all of them for an administrator."""
    query = select(Job).order_by(Job.id.desc())
    if user.role.value != "admin":
        query = query.where(Job.created_by_id == user.id)
    return query


def fail_abandoned_jobs(session: Session, *, host: str, is_alive: Callable[[int], bool]) -> int:
    """Mark as failed the running jobs of this host whose worker process has died."""
    abandoned = []
    for job in session.scalars(select(Job).where(Job.status == JobStatus.RUNNING)):
        job_host, _, pid = (job.worker or "").rpartition(":")
        if job_host == host and pid.isdigit() and not is_alive(int(pid)):
            abandoned.append(job)
    for job in abandoned:
        job.status = JobStatus.FAILED
        job.finished_at = utcnow()
        job.message = WORKER_STOPPED
    session.flush()
    return len(abandoned)


def fail_stalled_job(session: Session, job_id: int, *, silent_since: dt.datetime) -> bool:
    """Mark a running job failed when the row's last sign of life (its heartbeat, else its
    start) is older than `silent_since`: its worker died. False if it is alive or not running."""
    last_seen = func.coalesce(Job.heartbeat_at, Job.started_at)
    result = session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            Job.status == JobStatus.RUNNING,
            or_(last_seen.is_(None), last_seen < silent_since),
        )
        .values(status=JobStatus.FAILED, finished_at=utcnow(), message=WORKER_STOPPED)
    )
    return result.rowcount == 1


def claim_scenario(
    session: Session, scenario_id: int, job_id: int, *, replacing: int | None = None
) -> bool:
    """Make the job the scenario's one running plan: only if no job holds it (or the holder is
    `replacing`, a job found finished or dead); atomic, so two starts cannot both win."""
    free = Scenario.running_job_id.is_(None)
    if replacing is not None:
        free = or_(free, Scenario.running_job_id == replacing)
    result = session.execute(
        update(Scenario)
        .where(Scenario.id == scenario_id, free)
        .values(running_job_id=job_id, updated_at=Scenario.updated_at)  # not an edit
    )
    return result.rowcount == 1


def release_scenario(session: Session, scenario_id: int, job_id: int) -> None:
    """The job no longer runs the scenario's plan (a claim by another job is left alone)."""
    session.execute(
        update(Scenario)
        .where(Scenario.id == scenario_id, Scenario.running_job_id == job_id)
        .values(running_job_id=None, updated_at=Scenario.updated_at)
    )


def jobs_of_kind_query(kind: str, **params: int) -> Select[tuple[Job]]:
    """Jobs of a kind whose parameters have these whole-number values, newest first."""
    query = select(Job).where(Job.kind == kind).order_by(Job.id.desc())
    for name, value in params.items():
        query = query.where(Job.params[name].as_integer() == value)
    return query
