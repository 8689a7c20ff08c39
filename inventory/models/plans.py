"""Plans: numbered versions of the optimiser's answer for a scenario; one may be the baseline.

A plan keeps the exact problem it was made from, so it can be checked again at any time and
exported for anyone's checker, whatever happened to the scenario's inputs since.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.base import Base, utcnow
from inventory.changelog import Audited
from inventory.models.projects import Project
from inventory.models.users import User

if TYPE_CHECKING:
    from inventory.models.scenarios import Scenario


class Plan(Audited, Base):
    """Version N of a scenario's plan: which project starts in which month, and what is left out."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("scenario_id", "version"),)
    __audit_skip__ = frozenset({"problem", "stats"})

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))  # optimal or feasible
    value: Mapped[int] = mapped_column(BigInteger, default=0)
    bound: Mapped[float | None]
    runtime_s: Mapped[float] = mapped_column(default=0.0)
    time_limit_s: Mapped[float] = mapped_column(default=0.0)
    method: Mapped[str] = mapped_column(String(64), default="")
    stopped_early: Mapped[bool] = mapped_column(default=False)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    move_penalty: Mapped[int] = mapped_column(default=0)
    inputs_revision: Mapped[int] = mapped_column(default=1)
    # Several MB at 15,000 projects: loaded only when asked for (checks, exports, re-plans).
    problem: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total_cost_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    projects_scheduled: Mapped[int] = mapped_column(default=0)
    projects_left_out: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    scenario: Mapped[Scenario] = relationship(back_populates="plans")
    based_on: Mapped[Plan | None] = relationship(remote_side=[id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    assignments: Mapped[list[PlanAssignment]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(PlanAssignment.start_month, PlanAssignment.id)",
    )
    left_out: Mapped[list[PlanLeftOut]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PlanLeftOut.id",
    )

    def __repr__(self) -> str:
        return f"<Plan {self.version} of scenario {self.scenario_id}>"

    def audit_label(self) -> str:
        """'FY2028 plan, version 3'."""
        name = self.scenario.name if self.scenario is not None else f"scenario {self.scenario_id}"
        return f"{name}, version {self.version}"

    @property
    def gap(self) -> float | None:
        """How far the value may be from the best possible (0.0 = proven best), or None."""
        if self.bound is None or self.bound <= 0:
            return None
        return max(0.0, (self.bound - self.value) / self.bound)

    @property
    def is_published(self) -> bool:
        """True once the plan has been published (it may since have been superseded)."""
        return self.published_at is not None


class PlanAssignment(Base):
    """A project a plan schedules: its start month and, as planned then, length, cost, value."""

    __tablename__ = "plan_assignments"
    __table_args__ = (
        UniqueConstraint("plan_id", "project_id"),
        Index("ix_plan_assignments_plan_id_start_month", "plan_id", "start_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    start_month: Mapped[int]
    duration_months: Mapped[int]
    cost_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    value: Mapped[int] = mapped_column(default=0)
    is_pinned: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[Plan] = relationship(back_populates="assignments")
    project: Mapped[Project] = relationship()

    def __repr__(self) -> str:
        return f"<PlanAssignment project {self.project_id} month {self.start_month}>"

    @property
    def end_month(self) -> int:
        """The last month the project is under way."""
        return self.start_month + self.duration_months - 1


class PlanLeftOut(Base):
    """A project a plan leaves out, and why (true in that plan)."""

    __tablename__ = "plan_left_out"
    __table_args__ = (UniqueConstraint("plan_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    limit_key: Mapped[str] = mapped_column(String(200), default="")
    cost_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    value: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="left_out")
    project: Mapped[Project] = relationship()

    def __repr__(self) -> str:
        return f"<PlanLeftOut project {self.project_id} ({self.limit_key})>"
