"""The job kinds the workers know, and the context a job uses to report progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.jobs.sidechannel import SideChannel
from inventory.models import Job
from inventory.operations.jobs import report_progress


class JobCancelled(Exception):
    """Raised inside a job when the user asked it to stop."""


class JobFailed(Exception):
    """Raised by a job that cannot be done, with a reason fit to show to the user (recorded as
    the job's message, without a traceback)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class JobContext:
    """What a running job may use: its parameters, the acting user id, progress reporting."""

    job_id: int
    params: dict[str, Any]
    created_by_id: int | None
    sessions: sessionmaker[Session]
    side_channel: SideChannel | None = None  # SQLite: progress and cancel travel through files
    cancel_requested: bool = False

    def progress(
        self, done: int, total: int, message: str = "", detail: dict[str, Any] | None = None
    ) -> None:
        """Show progress and the figures in `detail` (in its own short transaction, or through
        the side channel on SQLite, where the job may hold the only write lock); each report is
        also the job's heartbeat. Raise JobCancelled if asked to stop."""
        if self.side_channel is not None:
            self.side_channel.write_progress(
                self.job_id, done=done, total=total, message=message, detail=detail
            )
            self.is_cancelled()  # reading the row needs no lock
        else:
            with self.sessions() as session:
                self.cancel_requested = report_progress(
                    session, self.job_id, done=done, total=total, message=message, detail=detail
                )
                session.commit()
        if self.cancel_requested:
            raise JobCancelled()

    def is_cancelled(self) -> bool:
        """Whether the user asked the job to stop (checked without raising)."""
        if self.side_channel is not None and self.side_channel.cancel_requested(self.job_id):
            self.cancel_requested = True
            return True
        with self.sessions() as session:
            job = session.get(Job, self.job_id)
            self.cancel_requested = bool(job and job.is_cancel_requested)
        return self.cancel_requested


JobHandler = Callable[[JobContext], dict[str, Any]]
HANDLERS: dict[str, JobHandler] = {}


def job_kind(name: str) -> Callable[[JobHandler], JobHandler]:
    """Register a function as the handler of a job kind."""

    def register(handler: JobHandler) -> JobHandler:
        HANDLERS[name] = handler
        return handler

    return register
