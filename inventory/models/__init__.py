"""Every model, imported here so that the metadata is complete for Alembic and the tests."""

from inventory.changelog import ChangeLogEntry
from inventory.models.api_tokens import ApiToken
from inventory.models.assets import GONE_STATUSES, Asset, AssetStatus
from inventory.models.catalog import AssetModel, Manufacturer, System
from inventory.models.documents import PreparedDocument
from inventory.models.imports import ImportKind, ImportMapping
from inventory.models.jobs import Job
from inventory.models.logins import UserLogin
from inventory.models.plans import Plan, PlanAssignment, PlanLeftOut
from inventory.models.portal import BlackoutRequest, CalendarFeed, PortalVisit
from inventory.models.projects import Project, ProjectAsset, project_predecessors
from inventory.models.scenarios import (
    FundingSource,
    Scenario,
    ScenarioSite,
    ScenarioTrade,
    WorkWindow,
)
from inventory.models.sites import Region, Site
from inventory.models.upgrades import (
    Trade,
    UpgradeType,
    UpgradeTypeCrew,
    upgrade_type_prerequisites,
)
from inventory.models.uploads import ImportUpload
from inventory.models.users import LoginThrottle, User, user_sites

__all__ = [
    "GONE_STATUSES",
    "ApiToken",
    "Asset",
    "AssetModel",
    "AssetStatus",
    "BlackoutRequest",
    "CalendarFeed",
    "ChangeLogEntry",
    "FundingSource",
    "ImportKind",
    "ImportMapping",
    "ImportUpload",
    "Job",
    "LoginThrottle",
    "Manufacturer",
    "Plan",
    "PlanAssignment",
    "PlanLeftOut",
    "PortalVisit",
    "PreparedDocument",
    "Project",
    "ProjectAsset",
    "Region",
    "Scenario",
    "ScenarioSite",
    "ScenarioTrade",
    "Site",
    "System",
    "Trade",
    "UpgradeType",
    "UpgradeTypeCrew",
    "User",
    "UserLogin",
    "WorkWindow",
    "project_predecessors",
    "upgrade_type_prerequisites",
    "user_sites",
]
