"""Regions and the sites in them: schools, offices, data centres."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.base import Base, Timestamped, enum_column
from inventory.changelog import Audited
from inventory.enums import SiteKind, SiteStatus


class Region(Audited, Timestamped, Base):
    """A group of sites (an area, a feeder pattern, a county)."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # Optimistic locking: a save from a form read at an older version is refused.
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}

    sites: Mapped[list[Site]] = relationship(back_populates="region")

    def __repr__(self) -> str:
        return f"<Region {self.code}>"

    def audit_label(self) -> str:
        """Regions are named by name."""
        return self.name


class Site(Audited, Timestamped, Base):
    """A school, an office or a data centre where assets live and projects happen."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[SiteKind] = mapped_column(enum_column(SiteKind), default=SiteKind.OTHER)
    status: Mapped[SiteStatus] = mapped_column(enum_column(SiteStatus), default=SiteStatus.ACTIVE)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(32))
    postal_code: Mapped[str | None] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(40))
    enrollment: Mapped[int | None]
    administrator_name: Mapped[str | None] = mapped_column(String(120))
    administrator_email: Mapped[str | None] = mapped_column(String(254))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    notes: Mapped[str | None] = mapped_column(Text)
    # Optimistic locking: a save from a form read at an older version is refused.
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}

    region: Mapped[Region | None] = relationship(back_populates="sites")

    def __repr__(self) -> str:
        return f"<Site {self.code}>"

    def audit_label(self) -> str:
        """Sites are named by code and name."""
        return f"{self.code} {self.name}"
