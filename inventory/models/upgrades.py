"""The upgrade catalogue: trades of crews, and the kinds of project (upgrade types) they do."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.base import Base, Timestamped
from inventory.changelog import Audited
from inventory.models.catalog import System


class Trade(Audited, Timestamped, Base):
    """A kind of crew: cabling, network, voice, security, electrical, vendor."""

    __tablename__ = "trades"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Trade {self.code}>"

    def audit_label(self) -> str:
        """Trades are named by name."""
        return self.name


upgrade_type_prerequisites = Table(
    "upgrade_type_prerequisites",
    Base.metadata,
    Column("upgrade_type_id", ForeignKey("upgrade_types.id", ondelete="CASCADE"), primary_key=True),
    Column("prerequisite_id", ForeignKey("upgrade_types.id", ondelete="CASCADE"), primary_key=True),
)


class UpgradeType(Audited, Timestamped, Base):
    """A kind of project in the catalogue: its system, crews, duration, cost model and value.

    Cost of a project = fixed + per asset (replaced or added) x assets + per student x
    enrollment. A disruptive upgrade may only happen inside a scenario's work windows. The
    upgrade types listed as prerequisites must be done first at the same site.
    """

    __tablename__ = "upgrade_types"
    __audit_collections__ = ("crew_needs", "prerequisites")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    duration_months: Mapped[int] = mapped_column(default=1)
    fixed_cost_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    per_asset_cost_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    per_student_cost_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    value_weight: Mapped[int] = mapped_column(default=10)
    is_disruptive: Mapped[bool] = mapped_column(default=False)
    is_erate_eligible: Mapped[bool] = mapped_column(default=False)
    # Which needs it answers: the system's assets at end of life, and coverage gaps (fewer
    # assets of the system than the larger of a minimum and one per N enrolled students).
    replaces_end_of_life: Mapped[bool] = mapped_column(default=True)
    coverage_min_assets: Mapped[int] = mapped_column(default=0)
    coverage_students_per_asset: Mapped[int | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    system: Mapped[System] = relationship()
    crew_needs: Mapped[list[UpgradeTypeCrew]] = relationship(
        back_populates="upgrade_type", cascade="all, delete-orphan", order_by="UpgradeTypeCrew.id"
    )
    prerequisites: Mapped[list[UpgradeType]] = relationship(
        secondary=upgrade_type_prerequisites,
        primaryjoin="UpgradeType.id == upgrade_type_prerequisites.c.upgrade_type_id",
        secondaryjoin="UpgradeType.id == upgrade_type_prerequisites.c.prerequisite_id",
        order_by="UpgradeType.code",
    )

    def __repr__(self) -> str:
        return f"<UpgradeType {self.code}>"

    def audit_label(self) -> str:
        """Upgrade types are named by name."""
        return self.name

    @property
    def crews(self) -> dict[str, int]:
        """Crews needed per month of work, by trade code."""
        return {need.trade.code: need.crews for need in self.crew_needs}


class UpgradeTypeCrew(Base):
    """How many crews of a trade an upgrade type keeps busy in each month it is under way."""

    __tablename__ = "upgrade_type_crews"
    __table_args__ = (UniqueConstraint("upgrade_type_id", "trade_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    upgrade_type_id: Mapped[int] = mapped_column(
        ForeignKey("upgrade_types.id", ondelete="CASCADE"), index=True
    )
    trade_id: Mapped[int] = mapped_column(ForeignKey("trades.id"), index=True)
    crews: Mapped[int] = mapped_column(default=1)

    upgrade_type: Mapped[UpgradeType] = relationship(back_populates="crew_needs")
    trade: Mapped[Trade] = relationship()

    def __repr__(self) -> str:
        return f"<UpgradeTypeCrew {self.crews} of trade {self.trade_id}>"

    def __str__(self) -> str:
        name = self.trade.name if self.trade is not None else f"trade {self.trade_id}"
        return f"{self.crews} {name} crew" + ("s" if self.crews != 1 else "")
