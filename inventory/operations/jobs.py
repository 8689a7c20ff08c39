"""Background jobs as rows: queue, claim, report progress, finish, cancel.

The database row is the single source of truth for a job's state, so the progress bar, the
cancel button and any number of workers (embedded or Redis-fed, on any machine) agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.enums import JobStatus
from inventory.errors import InvalidValue
from inventory.models import Job, User


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
    session: Session, job_id: int, *, done: int, total: int, message: str = ""
) -> bool:
    """Store progress; returns True when a cancel has been requested."""
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(progress_done=done, progress_total=total, message=message[:500])
    )
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
        job.message = "The worker stopped while running this job; start the job again."
    session.flush()
    return len(abandoned)
