"""The standard upgrade catalogue: one sensible upgrade type for every standard system.

Costs are typical K-12 figures (equipment, installation and labour; dollars as integer cents)
that a district edits to its own contracts. E-Rate Category 2 covers internal connections:
cabling, switches, routers and firewalls, access points and the UPS that keeps them running; not
cameras, phones, classroom AV, servers or door access.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.models import System, UpgradeType

# The trades of crews (code, name); the migration seeds the same list.
STANDARD_TRADES = [
    ("cabling", "Cabling"),
    ("network", "Network"),
    ("voice", "Voice"),
    ("security", "Security"),
    ("electrical", "Electrical"),
    ("vendor", "Vendor"),
]


@dataclass(frozen=True)
class StandardUpgrade:
    """One entry of the standard catalogue (money in cents, crews by trade code)."""

    code: str
    name: str
    system: str
    description: str
    crews: dict[str, int]
    duration_months: int
    fixed_cost_cents: int
    per_asset_cost_cents: int
    value_weight: int
    per_student_cost_cents: int = 0
    is_disruptive: bool = False
    is_erate_eligible: bool = False
    coverage_min_assets: int = 0
    coverage_students_per_asset: int | None = None
    prerequisites: tuple[str, ...] = field(default_factory=tuple)


STANDARD_UPGRADES = [
    StandardUpgrade(
        code="cabling", name="Cabling refresh", system="cabling",
        description="Replace the classroom cabling, patch panels and the fibre risers between "
        "wiring closets, certified to Category 6A, so new switches and access points run at "
        "full speed. Walls and ceilings are opened: done while the school is on a break.",
        crews={"cabling": 2}, duration_months=2, fixed_cost_cents=1_200_000,
        per_asset_cost_cents=300_000, value_weight=8, is_disruptive=True, is_erate_eligible=True,
    ),
    StandardUpgrade(
        code="ups", name="UPS and power refresh", system="power",
        description="Replace the battery backup (UPS) units and rack power strips that keep "
        "the network closets running through power cuts, and test the circuits.",
        crews={"electrical": 1}, duration_months=1, fixed_cost_cents=250_000,
        per_asset_cost_cents=160_000, value_weight=6, is_erate_eligible=True,
    ),
    StandardUpgrade(
        code="core", name="Network core refresh", system="network_core",
        description="Replace the core switch, router and firewall in the main wiring closet "
        "that connect the school to the district network and the internet. The whole school "
        "is offline during the cut-over: done while the school is on a break.",
        crews={"network": 2}, duration_months=1, fixed_cost_cents=1_500_000,
        per_asset_cost_cents=3_000_000, value_weight=12, is_disruptive=True,
        is_erate_eligible=True, prerequisites=("ups",),
    ),
    StandardUpgrade(
        code="lan", name="Switch refresh", system="lan",
        description="Replace the access switches in the wiring closets with Power over "
        "Ethernet models that power access points, phones and cameras, and move every "
        "connection across.",
        crews={"network": 1}, duration_months=1, fixed_cost_cents=400_000,
        per_asset_cost_cents=480_000, value_weight=10, is_erate_eligible=True,
        prerequisites=("cabling", "core"),
    ),
    StandardUpgrade(
        code="wifi", name="Wi-Fi refresh", system="wifi",
        description="Replace the access points and controllers with current Wi-Fi models, "
        "after a site survey, so every classroom has a strong signal: one access point per "
        "25 students, and at least four per school.",
        crews={"network": 1}, duration_months=1, fixed_cost_cents=350_000,
        per_asset_cost_cents=110_000, per_student_cost_cents=400, value_weight=10,
        is_erate_eligible=True, coverage_min_assets=4, coverage_students_per_asset=25,
        prerequisites=("cabling",),
    ),
    StandardUpgrade(
        code="voice", name="Phone system refresh", system="voice",
        description="Replace the desk and classroom phones and voice gateways, keeping every "
        "room's extension and the emergency calling (911) location data.",
        crews={"voice": 1}, duration_months=1, fixed_cost_cents=300_000,
        per_asset_cost_cents=40_000, value_weight=5,
    ),
    StandardUpgrade(
        code="av", name="Classroom AV refresh", system="video",
        description="Replace the classroom interactive displays and projectors, with their "
        "mounts and cabling to the teacher's desk.",
        crews={"vendor": 1}, duration_months=1, fixed_cost_cents=200_000,
        per_asset_cost_cents=280_000, value_weight=4,
    ),
    StandardUpgrade(
        code="cameras", name="Security camera refresh", system="cameras",
        description="Replace the security cameras and the video recorder, covering entrances, "
        "hallways and parking: at least eight cameras per school.",
        crews={"security": 1}, duration_months=1, fixed_cost_cents=500_000,
        per_asset_cost_cents=150_000, value_weight=9, coverage_min_assets=8,
    ),
    StandardUpgrade(
        code="access", name="Door access control refresh", system="access_control",
        description="Replace the card readers and door controllers on the exterior doors so "
        "entrances lock on a schedule and in a lockdown.",
        crews={"security": 1, "electrical": 1}, duration_months=1, fixed_cost_cents=400_000,
        per_asset_cost_cents=120_000, value_weight=8, coverage_min_assets=2,
    ),
    StandardUpgrade(
        code="servers", name="Server refresh", system="servers",
        description="Replace the local servers and storage (file, print and door or camera "
        "management) and move their data and services across.",
        crews={"vendor": 1}, duration_months=1, fixed_cost_cents=300_000,
        per_asset_cost_cents=850_000, value_weight=5,
    ),
]  # fmt: skip


def standard_to_add(session: Session) -> list[StandardUpgrade]:
    """The standard entries whose code and name are unused and whose system has no active
    upgrade type yet."""
    codes = {c.lower() for c in session.scalars(select(UpgradeType.code))}
    names = {n.lower() for n in session.scalars(select(UpgradeType.name))}
    covered = set(
        session.scalars(
            select(System.code)
            .join(UpgradeType, UpgradeType.system_id == System.id)
            .where(UpgradeType.is_active.is_(True))
        )
    )
    return [
        entry
        for entry in STANDARD_UPGRADES
        if entry.code.lower() not in codes
        and entry.name.lower() not in names
        and entry.system not in covered
    ]


def fields_of(entry: StandardUpgrade) -> dict[str, Any]:
    """A standard entry as the keyword data of create_upgrade_type."""
    values = {item.name: getattr(entry, item.name) for item in dataclasses.fields(entry)}
    del values["prerequisites"]
    return values


def standard_type(session: Session, type_code: str, system_code: str) -> UpgradeType | None:
    """The upgrade type with this code, else the first active one of the system."""
    found = session.scalar(select(UpgradeType).where(UpgradeType.code == type_code))
    if found is not None:
        return found
    return session.scalar(
        select(UpgradeType)
        .join(System, System.id == UpgradeType.system_id)
        .where(System.code == system_code, UpgradeType.is_active.is_(True))
        .order_by(UpgradeType.id)
        .limit(1)
    )
