"""Scenarios: the inputs of a plan (years, budgets, crews, funding, calendar, site rules).

Months are counted from the scenario's first month (0 = the first month of its first fiscal
year), so a blackout or a work window is a list of month numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.base import Base, Timestamped, enum_column
from inventory.changelog import Audited
from inventory.enums import FundingKind, ScenarioStatus
from inventory.models.sites import Site
from inventory.models.upgrades import Trade

if TYPE_CHECKING:
    from inventory.models.plans import Plan
    from inventory.models.projects import Project

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Scenario(Audited, Timestamped, Base):
    """One set of plan inputs for one or more fiscal years, and the plans made from it."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    # The fiscal year is named by the calendar year it ends in (FY2028: Jul 2027 to Jun 2028).
    first_year: Mapped[int]
    years: Mapped[int] = mapped_column(default=1)
    start_month: Mapped[int] = mapped_column(default=7)
    status: Mapped[ScenarioStatus] = mapped_column(
        enum_column(ScenarioStatus), default=ScenarioStatus.DRAFT
    )
    status_note: Mapped[str | None] = mapped_column(Text)
    # Money in cents; None means no limit. One annual budget per fiscal year, one cap per month.
    annual_budgets_cents: Mapped[list[Any]] = mapped_column(JSON, default=list)
    monthly_caps_cents: Mapped[list[Any] | None] = mapped_column(JSON)
    blackout_months: Mapped[list[Any]] = mapped_column(JSON, default=list)
    default_max_concurrent: Mapped[int] = mapped_column(default=1)
    time_limit_s: Mapped[int] = mapped_column(default=60)
    move_penalty: Mapped[int] = mapped_column(default=1)
    # Bumped by every change of the inputs, so a plan knows whether it was made from them.
    inputs_revision: Mapped[int] = mapped_column(default=1)
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("scenarios.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    running_job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    needs_generated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    trades: Mapped[list[ScenarioTrade]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="ScenarioTrade.id"
    )
    funding_sources: Mapped[list[FundingSource]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="FundingSource.id"
    )
    windows: Mapped[list[WorkWindow]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="WorkWindow.id"
    )
    site_settings: Mapped[list[ScenarioSite]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="ScenarioSite.id"
    )
    projects: Mapped[list[Project]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", passive_deletes=True
    )
    plans: Mapped[list[Plan]] = relationship(
        back_populates="scenario",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Plan.version",
    )

    def __repr__(self) -> str:
        return f"<Scenario {self.name}>"

    def audit_label(self) -> str:
        """Scenarios are named by name."""
        return self.name

    @property
    def months(self) -> int:
        """How many months the scenario covers (the optimiser's horizon)."""
        return 12 * self.years

    @property
    def first_month_on(self) -> dt.date:
        """The first day of month 0."""
        start_year = self.first_year - 1 if self.start_month > 1 else self.first_year
        return dt.date(start_year, self.start_month, 1)

    def month_on(self, month: int) -> dt.date:
        """The first day of a month of the scenario (month 0 is the first)."""
        index = self.first_month_on.month - 1 + month
        return dt.date(self.first_month_on.year + index // 12, index % 12 + 1, 1)

    def month_label(self, month: int) -> str:
        """'Oct 2027' for a month of the scenario."""
        day = self.month_on(month)
        return f"{MONTH_NAMES[day.month - 1]} {day.year}"

    @property
    def fiscal_years(self) -> list[int]:
        """The fiscal years covered, by name."""
        return [self.first_year + index for index in range(self.years)]

    @property
    def years_label(self) -> str:
        """'FY2028' or 'FY2028 to FY2030'."""
        if self.years == 1:
            return f"FY{self.first_year}"
        return f"FY{self.first_year} to FY{self.first_year + self.years - 1}"


class ScenarioTrade(Audited, Base):
    """The crews of a trade available in each month of a scenario."""

    __tablename__ = "scenario_trades"
    __table_args__ = (UniqueConstraint("scenario_id", "trade_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    trade_id: Mapped[int] = mapped_column(ForeignKey("trades.id"), index=True)
    crews_by_month: Mapped[list[Any]] = mapped_column(JSON, default=list)

    scenario: Mapped[Scenario] = relationship(back_populates="trades")
    trade: Mapped[Trade] = relationship()

    def __repr__(self) -> str:
        return f"<ScenarioTrade {self.trade_id} in scenario {self.scenario_id}>"

    def audit_label(self) -> str:
        """'Network crews' of a scenario."""
        name = self.trade.name if self.trade is not None else f"trade {self.trade_id}"
        return f"{name} crews"


class FundingSource(Audited, Base):
    """Money a scenario's projects may draw on, with an optional cap.

    An E-Rate Category 2 source has no cap of its own: each school's five-year budget is the
    per-student amount times its enrollment, at least the floor, less what the school has
    already committed in the cycle; E-Rate pays the discount rate of the eligible cost.
    """

    __tablename__ = "funding_sources"
    __table_args__ = (UniqueConstraint("scenario_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[FundingKind] = mapped_column(enum_column(FundingKind), default=FundingKind.GENERAL)
    cap_cents: Mapped[int | None] = mapped_column(BigInteger)
    is_default: Mapped[bool] = mapped_column(default=False)
    erate_per_student_cents: Mapped[int | None] = mapped_column(BigInteger)
    erate_floor_cents: Mapped[int | None] = mapped_column(BigInteger)
    erate_discount_percent: Mapped[int | None]
    # Since FY2021 a district may pool its schools' budgets; otherwise each school's is its own.
    erate_pooled: Mapped[bool] = mapped_column(default=False)

    scenario: Mapped[Scenario] = relationship(back_populates="funding_sources")

    def __repr__(self) -> str:
        return f"<FundingSource {self.code} in scenario {self.scenario_id}>"

    def audit_label(self) -> str:
        """Sources are named by name."""
        return self.name

    @property
    def is_erate(self) -> bool:
        """True for an E-Rate Category 2 source."""
        return self.kind is FundingKind.ERATE_C2

    def erate_budget_cents(self, enrollment: int | None) -> int:
        """A school's five-year E-Rate budget: per student x enrollment, at least the floor."""
        per_student = (self.erate_per_student_cents or 0) * (enrollment or 0)
        return max(per_student, self.erate_floor_cents or 0)


class WorkWindow(Audited, Base):
    """Months when disruptive work may happen (summer break, winter break)."""

    __tablename__ = "work_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    months: Mapped[list[Any]] = mapped_column(JSON, default=list)

    scenario: Mapped[Scenario] = relationship(back_populates="windows")

    def __repr__(self) -> str:
        return f"<WorkWindow {self.name} in scenario {self.scenario_id}>"

    def audit_label(self) -> str:
        """Windows are named by name."""
        return self.name


class ScenarioSite(Audited, Base):
    """A site's own rules in a scenario: how many projects at once, its blackout months, and
    the E-Rate budget it has already committed in the cycle."""

    __tablename__ = "scenario_sites"
    __table_args__ = (UniqueConstraint("scenario_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    max_concurrent: Mapped[int | None]
    blackout_months: Mapped[list[Any]] = mapped_column(JSON, default=list)
    erate_committed_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[str | None] = mapped_column(Text)

    scenario: Mapped[Scenario] = relationship(back_populates="site_settings")
    site: Mapped[Site] = relationship()

    def __repr__(self) -> str:
        return f"<ScenarioSite {self.site_id} in scenario {self.scenario_id}>"

    def audit_label(self) -> str:
        """Named by the site."""
        return self.site.audit_label() if self.site is not None else f"site {self.site_id}"
