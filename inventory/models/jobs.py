"""Background jobs: their parameters, progress, result and cancellation flag."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inventory.base import Base, enum_column, utcnow
from inventory.enums import JobStatus


class Job(Base):
    """One piece of long work (an optimiser run, a big import) done by a worker."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.QUEUED)
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    # Figures a job reports beside its progress (an optimiser run: value, bound, gap).
    progress_detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Set whenever the job reports progress: a running job silent for long has lost its worker.
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    is_cancel_requested: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    worker: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status.value}>"

    @property
    def percent(self) -> int:
        """Progress as a whole percentage (0 when the total is not known yet)."""
        return self.percent_of(self.progress_done, self.progress_total)

    def percent_of(self, done: int, total: int) -> int:
        """A whole percentage of this job's progress given as done of total (100 once it has
        succeeded): also used for progress reported outside the row."""
        if self.status is JobStatus.SUCCEEDED:
            return 100
        if total <= 0:
            return 0
        return min(100, int(100 * done / total))
