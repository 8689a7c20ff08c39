"""The catalogue: infrastructure systems, manufacturers and the asset models they make."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.base import Base, Timestamped
from inventory.changelog import Audited


class System(Audited, Timestamped, Base):
    """An infrastructure layer an asset belongs to: network core, Wi-Fi, cameras, power..."""

    __tablename__ = "systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    default_useful_life_years: Mapped[int] = mapped_column(default=7)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Optimistic locking: a save from a form read at an older version is refused.
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<System {self.code}>"

    def audit_label(self) -> str:
        """Systems are named by name."""
        return self.name


class Manufacturer(Audited, Timestamped, Base):
    """A company that makes asset models."""

    __tablename__ = "manufacturers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Optimistic locking: a save from a form read at an older version is refused.
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}

    models: Mapped[list[AssetModel]] = relationship(back_populates="manufacturer")

    def __repr__(self) -> str:
        return f"<Manufacturer {self.name}>"

    def audit_label(self) -> str:
        """Manufacturers are named by name."""
        return self.name


class AssetModel(Audited, Timestamped, Base):
    """A product: part number, system, useful life and the vendor's end-of-sale/support dates."""

    __tablename__ = "asset_models"
    __table_args__ = (UniqueConstraint("manufacturer_id", "part_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    manufacturer_id: Mapped[int] = mapped_column(ForeignKey("manufacturers.id"))
    part_number: Mapped[str] = mapped_column(String(120), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    useful_life_years: Mapped[int]
    end_of_sale_on: Mapped[dt.date | None] = mapped_column(Date)
    end_of_support_on: Mapped[dt.date | None] = mapped_column(Date)
    unit_cost_cents: Mapped[int | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    # Optimistic locking: a save from a form read at an older version is refused.
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}

    manufacturer: Mapped[Manufacturer] = relationship(back_populates="models")
    system: Mapped[System] = relationship()

    def __repr__(self) -> str:
        return f"<AssetModel {self.part_number}>"

    def audit_label(self) -> str:
        """Models are named by manufacturer and part number."""
        name = self.manufacturer.name if self.manufacturer else ""
        return f"{name} {self.part_number}".strip()
