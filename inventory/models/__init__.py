"""Every model, imported here so that the metadata is complete for Alembic and the tests."""

from inventory.changelog import ChangeLogEntry
from inventory.models.assets import GONE_STATUSES, Asset, AssetStatus
from inventory.models.catalog import AssetModel, Manufacturer, System
from inventory.models.imports import ImportKind, ImportMapping
from inventory.models.jobs import Job
from inventory.models.sites import Region, Site
from inventory.models.users import LoginThrottle, User, user_sites

__all__ = [
    "GONE_STATUSES",
    "Asset",
    "AssetModel",
    "AssetStatus",
    "ChangeLogEntry",
    "ImportKind",
    "ImportMapping",
    "Job",
    "LoginThrottle",
    "Manufacturer",
    "Region",
    "Site",
    "System",
    "User",
    "user_sites",
]
