"""The page layout: Bootstrap served from its package, and the navigation each role sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_bootstrap import Bootstrap5
from flask_login import current_user

from app.security import DISTRICT_READERS, EVERYONE, INVENTORY_EDITORS, PLAN_READERS
from inventory.enums import Role

bootstrap = Bootstrap5()


@dataclass(frozen=True)
class NavItem:
    """One link of the navigation bar and the roles that see it."""

    label: str
    endpoint: str
    roles: tuple[Role, ...]


# Features add their entries here; an entry whose endpoint does not exist yet is not shown.
NAVIGATION: list[NavItem] = [
    NavItem("Home", "main.home", EVERYONE),
    NavItem("My site", "portal.index", (Role.SITE_ADMIN,)),
    NavItem("Sites", "sites.index", EVERYONE),
    NavItem("Assets", "assets.index", EVERYONE),
    NavItem("Lifecycle", "lifecycle.index", EVERYONE),
    NavItem("Planning", "scenarios.index", PLAN_READERS),
    NavItem("Published plan", "sep.index", PLAN_READERS),
    NavItem("School requests", "portal.requests", (Role.ADMIN, Role.PLANNER, Role.PMO)),
    NavItem("Catalogue", "catalog.models", DISTRICT_READERS),
    NavItem("Regions", "regions.index", DISTRICT_READERS),
    NavItem("Import", "imports.upload", INVENTORY_EDITORS),
    NavItem("Users", "admin.users", (Role.ADMIN,)),
    NavItem("Jobs", "jobs.index", (Role.ADMIN, Role.STAFF, Role.PLANNER)),
]


def init_app(app: Flask) -> None:
    """Serve Bootstrap from the installed package and give templates the navigation."""
    app.config["BOOTSTRAP_SERVE_LOCAL"] = True
    bootstrap.init_app(app)
    app.context_processor(_navigation)


def navigation_for(role: Role | None) -> list[NavItem]:
    """The links a role sees, in order."""
    if role is None:
        return []
    return [
        item
        for item in NAVIGATION
        if role in item.roles and item.endpoint in current_app.view_functions
    ]


def _navigation() -> dict[str, Any]:
    """Template variables for the layout."""
    role = current_user.role if current_user.is_authenticated else None
    return {"navigation": navigation_for(role), "Role": Role}
