"""The published plan the authorization matrix's routes point at: an approved scenario whose
published plan has a project at the site administrator's own site and one at another site."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from inventory.enums import Role
from inventory.models import Site, User
from tests.factories import make_project, make_scenario, make_upgrade_type
from tests.published_plans import make_plan


def published_world(session: Session, users: dict[Role, User], other_site: Site) -> dict[str, Any]:
    """`own_site` (the site administrator's), `other_site`, `scenario`, `plan` (published),
    `own_project`, `other_project`."""
    own_site = users[Role.SITE_ADMIN].sites[0]
    scenario = make_scenario(session, name="Matrix published scenario")
    upgrade = make_upgrade_type(session)
    own = make_project(session, scenario, site=own_site, upgrade_type=upgrade)
    other = make_project(session, scenario, site=other_site, upgrade_type=upgrade)
    plan = make_plan(session, scenario, [(own, 1), (other, 2)], by=users[Role.PLANNER])
    return {
        "own_site": own_site,
        "other_site": other_site,
        "scenario": scenario,
        "plan": plan,
        "own_project": own,
        "other_project": other,
    }
