"""Files prepared in the background for a published plan (the SEP PDF, the schedule as PDF
and as a workbook), kept in the database so that any worker can write them and any web server
can serve them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.base import Base, utcnow
from inventory.models.users import User


class PreparedDocument(Base):
    """The newest prepared file of one kind for one published plan ("sep_pdf", "schedule_pdf"
    or "schedule_xlsx"): preparing it again replaces it. The plan itself never changes once
    published, but what the file shows of project managers and phases may, so it records
    when it was prepared."""

    __tablename__ = "prepared_documents"
    __table_args__ = (UniqueConstraint("plan_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PreparedDocument {self.kind} of plan {self.plan_id}>"
