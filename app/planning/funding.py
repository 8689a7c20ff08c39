"""Who pays for each project, as the optimiser sees it: a funding key per project and the caps.

A source's own cap binds its projects; an E-Rate Category 2 source is capped by the schools'
five-year budgets less what they committed already: pooled across the district (one key), or
each school's own (a key per school, `CODE@SITECODE`). The optimiser counts whole dollars:
costs round up and caps round down, so a plan that fits in dollars fits in cents.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.enums import SiteStatus
from inventory.models import FundingSource, Project, Scenario, Site

if TYPE_CHECKING:
    from app.planning.adapter import Ids


def dollars_up(cents: int) -> int:
    """A cost in whole dollars, rounded up."""
    return math.ceil(cents / 100)


def dollars_down(cents: int) -> int:
    """A budget in whole dollars, rounded down."""
    return cents // 100


def funding_source_of(scenario: Scenario, project: Project) -> FundingSource | None:
    """The source that pays for a project: its own, or the scenario's default source."""
    if project.funding_source is not None:
        return project.funding_source
    return next((s for s in scenario.funding_sources if s.is_default), None)


def erate_remaining_cents(scenario: Scenario, source: FundingSource, site: Site) -> int:
    """What is left of a school's E-Rate Category 2 budget for this scenario's projects."""
    if not site.enrollment:
        return 0  # E-Rate budgets belong to schools (sites with students)
    committed = next(
        (row.erate_committed_cents for row in scenario.site_settings if row.site_id == site.id), 0
    )
    return max(0, source.erate_budget_cents(site.enrollment) - committed)


def funding_of(
    session: Session, scenario: Scenario, projects: list[Project], ids: Ids
) -> tuple[dict[int, str], dict[str, int]]:
    """Each project's funding key, and the caps: a source's own cap, or for E-Rate the schools'
    remaining budgets (pooled across the district, or each school's own)."""
    keys: dict[int, str] = {}
    caps: dict[str, int] = {}
    for project in projects:
        source = funding_source_of(scenario, project)
        if source is None:
            continue
        key = source.code
        if source.is_erate and not source.erate_pooled:
            key = f"{source.code}@{project.site.code}"
            caps[key] = dollars_down(erate_remaining_cents(scenario, source, project.site))
        elif key not in caps and source.is_erate:
            caps[key] = dollars_down(_pooled_erate_cents(session, scenario, source))
        elif key not in caps and source.cap_cents is not None:
            caps[key] = dollars_down(source.cap_cents)
        keys[project.id] = key
        ids.funding[key] = source.id
    return keys, caps


def _pooled_erate_cents(session: Session, scenario: Scenario, source: FundingSource) -> int:
    """The district's pooled E-Rate budget left: every open school's budget less commitments."""
    schools = session.scalars(
        select(Site).where(Site.status != SiteStatus.CLOSED, Site.enrollment > 0)
    )
    total = sum(erate_remaining_cents(scenario, source, site) for site in schools)
    return total if source.cap_cents is None else min(total, source.cap_cents)
