"""Projects: one upgrade type at one site in a scenario, from its need to its closing.

A project carries what the optimiser needs (cost, value, duration, timing rules, pin,
predecessors), the need and assets behind it, and what the PMO tracks while it is carried out
(phase, accountable manager, actual dates and cost, lessons learned).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.base import Base, Timestamped, enum_column
from inventory.changelog import Audited
from inventory.enums import NeedKind, ProjectPhase
from inventory.models.assets import Asset
from inventory.models.sites import Site
from inventory.models.upgrades import UpgradeType
from inventory.models.users import User

if TYPE_CHECKING:
    from inventory.models.scenarios import FundingSource, Scenario

project_predecessors = Table(
    "project_predecessors",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("predecessor_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
)


class Project(Audited, Timestamped, Base):
    """One upgrade at one site in one scenario: a candidate until a plan schedules it."""

    __tablename__ = "projects"
    __table_args__ = (
        # Two projects of the same upgrade at the same site would duplicate effort.
        UniqueConstraint("scenario_id", "site_id", "upgrade_type_id"),
        Index("ix_projects_scenario_id_site_id", "scenario_id", "site_id"),
    )
    __audit_collections__ = ("predecessors",)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    upgrade_type_id: Mapped[int] = mapped_column(ForeignKey("upgrade_types.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str | None] = mapped_column(Text)
    # The need behind it.
    need_kind: Mapped[NeedKind] = mapped_column(enum_column(NeedKind), default=NeedKind.REQUEST)
    need_summary: Mapped[str | None] = mapped_column(Text)
    assets_replaced: Mapped[int] = mapped_column(default=0)
    assets_overdue: Mapped[int] = mapped_column(default=0)
    assets_added: Mapped[int] = mapped_column(default=0)
    is_generated: Mapped[bool] = mapped_column(default=False)
    # What the optimiser needs. Months are the scenario's (0 = its first month).
    duration_months: Mapped[int] = mapped_column(default=1)
    cost_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    cost_basis: Mapped[str | None] = mapped_column(String(500))
    value: Mapped[int] = mapped_column(default=0)
    is_mandatory: Mapped[bool] = mapped_column(default=False)
    earliest_month: Mapped[int | None]
    latest_month: Mapped[int | None]  # the last month it may still be under way
    allowed_start_months: Mapped[list[Any] | None] = mapped_column(JSON)
    pinned_month: Mapped[int | None]
    funding_source_id: Mapped[int | None] = mapped_column(
        ForeignKey("funding_sources.id", ondelete="SET NULL"), index=True
    )
    is_withdrawn: Mapped[bool] = mapped_column(default=False)
    # Execution: what the PMO tracks once the project is under way.
    phase: Mapped[ProjectPhase] = mapped_column(
        enum_column(ProjectPhase), default=ProjectPhase.INITIATING
    )
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actual_start_on: Mapped[dt.date | None] = mapped_column(Date)
    actual_finish_on: Mapped[dt.date | None] = mapped_column(Date)
    actual_cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    lessons_learned: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    scenario: Mapped[Scenario] = relationship(back_populates="projects")
    site: Mapped[Site] = relationship()
    upgrade_type: Mapped[UpgradeType] = relationship()
    funding_source: Mapped[FundingSource | None] = relationship()
    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])
    predecessors: Mapped[list[Project]] = relationship(
        secondary=project_predecessors,
        primaryjoin="Project.id == project_predecessors.c.project_id",
        secondaryjoin="Project.id == project_predecessors.c.predecessor_id",
        order_by="Project.id",
    )
    asset_links: Mapped[list[ProjectAsset]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.name!r}>"

    def audit_label(self) -> str:
        """Projects are named by name."""
        return self.name

    @property
    def key(self) -> str:
        """The project's id in the optimiser's problem: site code and upgrade type code."""
        return f"{self.site.code}:{self.upgrade_type.code}"


class ProjectAsset(Base):
    """An asset a project replaces, with its end of life when the need was found."""

    __tablename__ = "project_assets"
    __table_args__ = (UniqueConstraint("project_id", "asset_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    end_of_life_on: Mapped[dt.date | None] = mapped_column(Date)

    project: Mapped[Project] = relationship(back_populates="asset_links")
    asset: Mapped[Asset] = relationship()

    def __repr__(self) -> str:
        return f"<ProjectAsset {self.asset_id} in project {self.project_id}>"
