"""The demo district: regions, schools and offices with enrollment, a user for every role, and
each site's inventory (30-150 assets of real catalogue models, installed over the last 12 years).

Rows are inserted in bulk, so the change log does not record them one by one."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from inventory.base import Base, utcnow
from inventory.demo_planning import DemoPlanning, load_demo_planning
from inventory.enums import Role, SiteKind, SiteStatus
from inventory.errors import InvalidValue
from inventory.lifecycle import add_years, end_of_life
from inventory.models import Asset, AssetModel, AssetStatus, Manufacturer, Region, Site, User
from inventory.operations.catalog import ensure_standard_systems
from inventory.operations.users import create_user

CATALOGUE = Path(__file__).resolve().parent / "data" / "device_catalogue.csv"
ASSET_BATCH = 10_000
INSTALL_SPAN_DAYS = 12 * 365
# How often each system appears among a site's assets (a data centre is mostly core and servers).
SYSTEM_WEIGHTS = {
    "wifi": 30,
    "lan": 12,
    "voice": 20,
    "cameras": 14,
    "access_control": 4,
    "video": 10,
    "power": 4,
    "network_core": 2,
    "servers": 1,
    "cabling": 3,
}
DATA_CENTRE_WEIGHTS = {"network_core": 20, "lan": 20, "servers": 40, "power": 15, "cabling": 5}
STATUS_WEIGHTS = {
    AssetStatus.IN_SERVICE: 88,
    AssetStatus.SPARE: 6,
    AssetStatus.IN_REPAIR: 3,
    AssetStatus.PLANNED: 3,
}
ROOMS = ["MDF", "IDF-1", "IDF-2", "Library", "Gym", "Office", "Cafeteria"] + [
    f"Room {n}" for n in range(101, 131)]  # fmt: skip

DEFAULT_DEMO_PASSWORD = "rollout-demo"  # noqa: S105 - printed with a warning when used
MAX_SITES = 5000

REGION_NAMES = ["North", "South", "East", "West", "Central", "Lakeside", "Hillcrest", "Riverside"]
NAME_STEMS = [
    "Lincoln", "Washington", "Jefferson", "Roosevelt", "Franklin", "Madison", "Jackson", "Adams",
    "Oak Grove", "Maple", "Cedar", "Willow", "Pine Ridge", "Sunrise", "Lakeview", "Riverbend",
    "Hillside", "Meadow", "Valley", "Harbor", "Parkside", "Brookside", "Fairview", "Highland",
    "King", "Parks", "Chavez", "Curie", "Carver", "Tubman", "Douglass", "Earhart", "Hawthorne",
    "Emerson", "Whitman", "Edison", "Mountain View", "Bayside", "Cypress", "Magnolia",
]  # fmt: skip
STREETS = ["Main St", "Oak Ave", "School Rd", "Park Blvd", "Elm St", "Center St", "Lake Dr"]
CITIES = ["Springfield", "Riverton", "Fairfield", "Georgetown", "Salem", "Clinton", "Madison"]

# (kind, share of sites, name suffix, code prefix, enrollment range)
SITE_MIX = [
    (SiteKind.ELEMENTARY, 0.58, "Elementary School", "ES", (250, 850)),
    (SiteKind.MIDDLE, 0.18, "Middle School", "MS", (500, 1300)),
    (SiteKind.HIGH, 0.14, "High School", "HS", (900, 2800)),
    (SiteKind.K12, 0.04, "Academy", "KA", (300, 1200)),
    (SiteKind.OFFICE, 0.05, "Administrative Center", "AD", None),
    (SiteKind.DATA_CENTER, 0.01, "Data Center", "DC", None),
]


@dataclass(frozen=True)
class DemoOptions:
    """How big the demo district is, its random seed, and the users' password."""

    sites: int = 150
    seed: int = 2026
    password: str = DEFAULT_DEMO_PASSWORD
    replace: bool = False
    fiscal_year_start_month: int = 7  # the configuration's, when the command line loads it


@dataclass
class DemoSummary:
    """What the demo load created, and the logins to print."""

    regions: int = 0
    sites: int = 0
    models: int = 0
    assets: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    password: str = ""
    planning: DemoPlanning | None = None

    def describe(self) -> str:
        """A short report with the demo logins."""
        lines = [
            f"Demo district loaded: {self.regions} regions, {self.sites:,} sites, "
            f"{self.models} asset models, {self.assets:,} assets.",
        ]
        if self.planning is not None:
            lines.append(
                f"Planning: {self.planning.upgrade_types} upgrade types and the draft scenario "
                f"{self.planning.scenario!r} (needs not generated yet)."
            )
        lines.append("Logins:")
        lines += [f"  {name:<12} {label:<22} {scope}" for name, label, scope in self.logins]
        lines.append(f"Password for every demo user: {self.password}")
        return "\n".join(lines)


def demo_password(environ: Mapping[str, str]) -> tuple[str, bool]:
    """The demo users' password: $DEMO_PASSWORD, or the default (and False: warn about it)."""
    password = environ.get("DEMO_PASSWORD", "")
    return (password, True) if password else (DEFAULT_DEMO_PASSWORD, False)


def load_demo(session: Session, options: DemoOptions) -> DemoSummary:
    """Build the demo district in the session (the caller commits)."""
    if not 1 <= options.sites <= MAX_SITES:
        raise InvalidValue(f"--sites must be between 1 and {MAX_SITES}.", field="sites")
    if session.scalar(select(func.count(User.id))):
        if not options.replace:
            raise InvalidValue("The database has data already; use --replace to wipe it.")
        _wipe(session)
    rng = random.Random(options.seed)
    regions = _create_regions(session, max(2, min(len(REGION_NAMES), options.sites // 20)))
    site_ids = _create_sites(session, rng, options.sites, regions)
    summary = DemoSummary(regions=len(regions), sites=len(site_ids), password=options.password)
    models = _create_catalogue(session)
    summary.models = sum(len(entries) for entries in models.values())
    summary.assets = _create_assets(session, rng, models)
    summary.logins = _create_users(session, options.password, site_ids)
    summary.planning = load_demo_planning(
        session, today=dt.date.today(), start_month=options.fiscal_year_start_month
    )
    return summary


def _wipe(session: Session) -> None:
    """Delete every row, children first (only for --replace on a demo database)."""
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(delete(table))


def _create_regions(session: Session, count: int) -> list[Region]:
    """A handful of regions."""
    regions = [
        Region(code=name[:3].upper() + str(index), name=f"{name} Region")
        for index, name in enumerate(REGION_NAMES[:count], start=1)
    ]
    session.add_all(regions)
    session.flush()
    return regions


def _site_kinds(count: int) -> list[tuple]:
    """The kind of each site, in the district's proportions (at least one of each school)."""
    kinds: list[tuple] = []
    for mix in SITE_MIX:
        kinds += [mix] * max(1 if mix[1] >= 0.1 else 0, round(count * mix[1]))
    kinds = kinds[:count]
    while len(kinds) < count:
        kinds.append(SITE_MIX[0])
    return kinds


def _create_sites(session: Session, rng: random.Random, count: int, regions: list[Region]) -> list:
    """Sites with codes, names, addresses and enrollment, inserted in bulk."""
    now = utcnow()
    rows, used_names = [], set()
    for number, (kind, _share, suffix, prefix, enrollment) in enumerate(_site_kinds(count), 1):
        stem = rng.choice(NAME_STEMS)
        name = f"{stem} {suffix}"
        if name in used_names:
            name = f"{stem} {rng.choice(['North', 'South', 'East', 'West'])} {suffix} {number}"
        used_names.add(name)
        rows.append(_site_row(rng, number, prefix, name, kind, enrollment, regions, now))
    session.execute(insert(Site), rows)
    return list(session.scalars(select(Site.id).order_by(Site.id)))


def _site_row(rng, number, prefix, name, kind, enrollment, regions, now) -> dict:
    """The columns of one demo site."""
    city = rng.choice(CITIES)
    return {
        "code": f"{prefix}{number:04d}",
        "name": name,
        "kind": kind,
        "status": SiteStatus.ACTIVE,
        "region_id": rng.choice(regions).id,
        "address": f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
        "city": city,
        "state": "FL",
        "postal_code": f"{rng.randint(32000, 34999):05d}",
        "phone": f"(555) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        "enrollment": rng.randint(*enrollment) if enrollment else None,
        "administrator_name": f"{rng.choice(['Pat', 'Sam', 'Alex', 'Jordan', 'Casey'])} "
        f"{rng.choice(['Rivera', 'Nguyen', 'Smith', 'Okafor', 'Garcia', 'Chen'])}",
        "administrator_email": f"admin.{prefix.lower()}{number:04d}@district.example",
        "latitude": round(rng.uniform(27.0, 30.5), 6),
        "longitude": round(rng.uniform(-83.0, -80.0), 6),
        "created_at": now,
        "updated_at": now,
    }


def _create_users(session: Session, password: str, site_ids: list[int]) -> list:
    """A user for every role, and site administrators for a few sites."""
    logins = []
    for username, role, full_name in [
        ("admin", Role.ADMIN, "Ada Admin"),
        ("staff", Role.STAFF, "Sam Staff"),
        ("planner", Role.PLANNER, "Pat Planner"),
        ("pmo", Role.PMO, "Pam PMO"),
    ]:
        create_user(session, by=None, username=username, password=password, role=role,
                    full_name=full_name)  # fmt: skip
        logins.append((username, role.label, "all sites"))
    sites = list(session.scalars(select(Site).where(Site.id.in_(site_ids[:3])).order_by(Site.id)))
    create_user(session, by=None, username="principal", password=password, role=Role.SITE_ADMIN,
                full_name="Priya Principal", sites=sites[:1])  # fmt: skip
    create_user(session, by=None, username="sitetech", password=password, role=Role.SITE_ADMIN,
                full_name="Theo Tech", sites=sites[1:3] or sites[:1])  # fmt: skip
    logins.append(("principal", Role.SITE_ADMIN.label, ", ".join(s.code for s in sites[:1])))
    logins.append(("sitetech", Role.SITE_ADMIN.label, ", ".join(s.code for s in sites[1:3])))
    return logins


def _create_catalogue(session: Session) -> dict[str, list[tuple[int, int, int | None]]]:
    """The standard systems and the shipped catalogue; (model id, life, cost) by system code."""
    systems = {system.code: system for system in ensure_standard_systems(session)}
    with CATALOGUE.open(encoding="utf-8", newline="") as handle:
        entries = list(csv.DictReader(handle))
    names = sorted({entry["manufacturer"] for entry in entries})
    now = utcnow()
    session.execute(insert(Manufacturer), [{"name": n, "created_at": now, "updated_at": now}
                                            for n in names])  # fmt: skip
    maker_ids = dict(session.execute(select(Manufacturer.name, Manufacturer.id)).all())
    rows = [
        {"manufacturer_id": maker_ids[e["manufacturer"]], "part_number": e["part_number"],
         "name": e["name"], "system_id": systems[e["system"]].id,
         "useful_life_years": int(e["useful_life_years"]),
         "unit_cost_cents": int(e["unit_cost_dollars"]) * 100, "created_at": now, "updated_at": now}
        for e in entries
    ]  # fmt: skip
    session.execute(insert(AssetModel), rows)
    by_system: dict[str, list[tuple[int, int, int | None]]] = {}
    query = select(AssetModel.id, AssetModel.useful_life_years, AssetModel.unit_cost_cents,
                   AssetModel.system_id)  # fmt: skip
    codes = {system.id: code for code, system in systems.items()}
    for model_id, life, cost, system_id in session.execute(query):
        by_system.setdefault(codes[system_id], []).append((model_id, life, cost))
    return by_system


def _asset_count(kind: SiteKind, enrollment: int | None, rng: random.Random) -> int:
    """30-150 assets: more for bigger schools; offices few, data centres many."""
    base = {SiteKind.OFFICE: 30, SiteKind.DATA_CENTER: 140}.get(kind)
    if base is None:
        base = 25 + (enrollment or 300) // (25 if kind is SiteKind.HIGH else 12)
    return max(30, min(150, base + rng.randint(-5, 5)))


def _site_systems(kind: SiteKind, enrollment: int | None, models: dict, rng: random.Random) -> list:
    """The system of each of a site's assets."""
    weights = DATA_CENTRE_WEIGHTS if kind is SiteKind.DATA_CENTER else SYSTEM_WEIGHTS
    codes = [code for code in weights if code in models]
    count = _asset_count(kind, enrollment, rng)
    return rng.choices(codes, weights=[weights[code] for code in codes], k=count)


WARRANTY_YEARS = (1, 3, 3, 5, 5, 10)  # vendors' usual terms; a few "limited lifetime" ones


def _asset_row(rng: random.Random, model: tuple, site: tuple, number: int, today, now) -> dict:
    """One demo asset, installed at a random day of the last 12 years."""
    model_id, life, cost = model
    installed = today - dt.timedelta(days=rng.randrange(INSTALL_SPAN_DAYS))
    return {
        "tag": f"{site[1]}-{number:04d}", "serial": f"{rng.getrandbits(48):012X}",
        "model_id": model_id, "site_id": site[0], "location": rng.choice(ROOMS),
        "status": rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0],
        "installed_on": installed, "cost_cents": int((cost or 0) * rng.uniform(0.85, 1.1)),
        "end_of_life_on": end_of_life(installed, life, None), "created_at": now, "updated_at": now,
        "warranty_end_on": add_years(installed, WARRANTY_YEARS[number % len(WARRANTY_YEARS)]),
    }  # fmt: skip


def _create_assets(session: Session, rng: random.Random, models: dict) -> int:
    """Each site's assets, in bulk; install dates over 12 years so end of life keeps coming."""
    today, now, total, batch = dt.date.today(), utcnow(), 0, []
    sites = select(Site.id, Site.code, Site.kind, Site.enrollment).order_by(Site.id)
    for site_id, code, kind, enrollment in session.execute(sites).all():
        for number, system in enumerate(_site_systems(kind, enrollment, models, rng), 1):
            model = rng.choice(models[system])
            batch.append(_asset_row(rng, model, (site_id, code), number, today, now))
        if len(batch) >= ASSET_BATCH:
            session.execute(insert(Asset), batch)
            total, batch = total + len(batch), []
    if batch:
        session.execute(insert(Asset), batch)
    return total + len(batch)
