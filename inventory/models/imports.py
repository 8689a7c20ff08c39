"""Saved column mappings for spreadsheet imports, reused by name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from inventory.base import Base, Timestamped, enum_column
from inventory.changelog import Audited
from inventory.enums import LabelledEnum


class ImportKind(LabelledEnum):
    """What a spreadsheet import creates or updates."""

    SITES = "sites"
    MODELS = "models"
    ASSETS = "assets"


class ImportMapping(Audited, Timestamped, Base):
    """A named mapping of file headers to import fields, for one kind of import."""

    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[ImportKind] = mapped_column(enum_column(ImportKind))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    def __repr__(self) -> str:
        return f"<ImportMapping {self.kind.value}:{self.name}>"

    def audit_label(self) -> str:
        """Mappings are named by kind and name."""
        return f"{self.kind.value} mapping {self.name}"
