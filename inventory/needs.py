"""Needs: what the inventory says must be done in a scenario's years, as candidate projects.

(Interface fixed for the pages and the command line; the body is being built.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from inventory.models import Scenario, User


@dataclass
class ProposedProject:
    """One project that generating needs would create: where, which upgrade, and why."""

    site_id: int
    site_code: str
    site_name: str
    upgrade_type_id: int
    upgrade_type_name: str
    system_name: str
    need_kind: str
    need_summary: str
    asset_ids: list[int]
    assets_replaced: int
    assets_overdue: int
    assets_added: int
    cost_cents: int
    cost_basis: str
    value: int


@dataclass
class NeedsPreview:
    """What generating needs would create, what it skips (already in the scenario), totals."""

    proposed: list[ProposedProject] = field(default_factory=list)
    already_planned: int = 0
    without_upgrade_type: list[str] = field(default_factory=list)  # systems with no type

    @property
    def total_cost_cents(self) -> int:
        """What the proposed projects would cost."""
        return sum(item.cost_cents for item in self.proposed)


@dataclass
class NeedsResult:
    """What generating needs created."""

    created: int = 0
    assets_linked: int = 0
    skipped: int = 0
    total_cost_cents: int = 0


def find_needs(session: Session, scenario: Scenario, *, today: dt.date) -> NeedsPreview:
    """The projects the inventory calls for in the scenario's years (nothing is written)."""
    raise NotImplementedError


def create_needs(
    session: Session, scenario: Scenario, *, by: User | None, today: dt.date
) -> NeedsResult:
    """Create the proposed projects (flushes, never commits); a draft scenario only."""
    raise NotImplementedError
