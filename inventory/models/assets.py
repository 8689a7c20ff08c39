"""Assets: one physical item at a site, with its lifecycle dates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.base import Base, Timestamped, enum_column
from inventory.changelog import Audited
from inventory.enums import LabelledEnum
from inventory.models.catalog import AssetModel
from inventory.models.sites import Site


class AssetStatus(LabelledEnum):
    """Where an asset is in its life."""

    PLANNED = "planned"
    IN_SERVICE = "in_service"
    SPARE = "spare"
    IN_REPAIR = "in_repair"
    RETIRED = "retired"
    DISPOSED = "disposed"


# Assets in these states no longer need replacing.
GONE_STATUSES = (AssetStatus.RETIRED, AssetStatus.DISPOSED)


class Asset(Audited, Timestamped, Base):
    """One physical item at a site: a switch, an access point, a UPS."""

    __tablename__ = "assets"
    # Each list filter comes with its sort key (tag or id), so a page reads an index range.
    __table_args__ = (
        Index("ix_assets_site_id_tag", "site_id", "tag"),
        # Tags are unique ignoring case: the check and the import's lookup use lower(tag).
        Index("ix_assets_tag_lower", func.lower(text("tag"))),
        Index("ix_assets_model_id_tag", "model_id", "tag"),
        Index("ix_assets_status_tag", "status", "tag"),
        Index("ix_assets_status_end_of_life_on", "status", "end_of_life_on"),
        Index("ix_assets_end_of_life_on_id", "end_of_life_on", "id"),
        Index("ix_assets_installed_on_id", "installed_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tag: Mapped[str] = mapped_column(String(64), unique=True)
    serial: Mapped[str | None] = mapped_column(String(128), index=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("asset_models.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    location: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[AssetStatus] = mapped_column(
        enum_column(AssetStatus), default=AssetStatus.IN_SERVICE
    )
    installed_on: Mapped[dt.date | None] = mapped_column(Date)
    cost_cents: Mapped[int | None]
    warranty_end_on: Mapped[dt.date | None] = mapped_column(Date)
    end_of_life_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # Optimistic locking: a save from a form read at an older version is refused.
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}

    model: Mapped[AssetModel] = relationship()
    site: Mapped[Site] = relationship()

    def __repr__(self) -> str:
        return f"<Asset {self.tag} at site {self.site_id}>"

    def audit_label(self) -> str:
        """Assets are named by tag."""
        return f"Asset {self.tag}"
