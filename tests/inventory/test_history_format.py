"""The change log as people read it: labels, dollars, names, labels of choices, dates and months,
for every audited model (the stored log keeps its raw values)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from inventory.base import utcnow
from inventory.changelog import ChangeLogEntry, history_query, set_actor
from inventory.enums import Role
from inventory.history_format import readable_history
from inventory.models import AssetStatus, Plan, Region
from inventory.operations.assets import update_asset
from inventory.operations.sites import create_region, create_site, update_site
from inventory.operations.users import update_user
from tests.factories import (
    make_asset,
    make_project,
    make_scenario,
    make_site,
    make_upgrade_type,
    make_user,
)


def _history(session, object_type: str, object_id: int):
    """The object's readable history, newest first."""
    entries = session.scalars(history_query(object_type, object_id)).all()
    return readable_history(session, entries)


def _fields(entry) -> dict[str, tuple[str, str]]:
    """An entry's changes as {label: (before, after)}."""
    return {field.label: (field.before, field.after) for field in entry.fields}


def test_an_asset_change_reads_in_words_and_dollars(session) -> None:
    staff = make_user(session, Role.STAFF)
    lincoln = make_site(session, code="LIN01", name="Lincoln High")
    asset = make_asset(session, tag="SW-9", cost_cents=123_450)
    first_site = asset.site
    update_asset(session, asset, by=staff, cost_cents=130_000, site=lincoln,
                 status=AssetStatus.IN_REPAIR, installed_on=dt.date(2021, 8, 1))  # fmt: skip
    session.commit()

    changed, created = _history(session, "assets", asset.id)

    assert changed.action == "Changed" and created.action == "Created"
    fields = _fields(changed)
    assert fields["Cost"] == ("$1,234.50", "$1,300.00")
    assert fields["Site"] == (f"{first_site.name} ({first_site.code})", "Lincoln High (LIN01)")
    assert fields["Status"] == ("In service", "In repair")
    assert fields["Install date"] == ("—", "2021-08-01")
    assert fields["End of life"][1] == "2028-08-01"
    shown = " ".join(f"{f.label} {f.before} {f.after}" for f in changed.fields + created.fields)
    for raw in ("cost_cents", "site_id", "in_repair", "123450", "_"):
        assert raw not in shown
    created_fields = _fields(created)
    assert created_fields["Asset tag"] == ("—", "SW-9")
    assert created_fields["Model"][1] == f"Acme Networks {asset.model.part_number}"
    stored = session.get(ChangeLogEntry, changed.entry.id)
    assert stored.changes["cost_cents"] == [123_450, 130_000]  # the log keeps raw values


def test_a_removed_region_keeps_its_last_name(session) -> None:
    staff = make_user(session, Role.STAFF)
    north = create_region(session, by=staff, code="N", name="North")
    site = create_site(session, by=staff, code="A1", name="Adams", region=north)
    update_site(session, site, by=staff, region=None, enrollment=1200)
    session.flush()
    session.delete(session.scalar(select(Region).where(Region.code == "N")))
    session.commit()

    changed = _history(session, "sites", site.id)[0]

    assert _fields(changed)["Region"] == ("North", "—")
    assert _fields(changed)["Enrollment"] == ("—", "1,200")


def test_an_account_change_names_roles_and_hides_secrets(session) -> None:
    admin = make_user(session, Role.ADMIN, username="boss")
    site = make_site(session, code="E1", name="Elm")
    user = make_user(session, Role.PMO, username="pam")
    update_user(session, user, by=admin, full_name="Pam Renamed", email=None,
                role=Role.SITE_ADMIN, sites=[site], is_active=False)  # fmt: skip
    session.commit()

    changed, created = _history(session, "users", user.id)[:2]

    fields = _fields(changed)
    assert fields["Role"] == ("PMO viewer", "Site administrator")
    assert fields["Active"] == ("Yes", "No")
    assert fields["Sites"] == ("none", "E1 Elm")
    assert changed.entry.actor_name == "boss"
    assert _fields(created)["Password"] == ("—", "(set)")
    assert "argon2" not in str(created.fields)


def test_planning_changes_read_in_months_and_dollars(session) -> None:
    planner = make_user(session, Role.PLANNER)
    scenario = make_scenario(session, name="FY2028 draft", blackout_months=[5])
    upgrade = make_upgrade_type(session, name="Wi-Fi 7", fixed_cost_cents=1_250_000)
    project = make_project(session, scenario, upgrade_type=upgrade, pinned_month=3,
                           cost_cents=2_000_000)  # fmt: skip
    session.commit()

    scenario_created = _fields(_history(session, "scenarios", scenario.id)[-1])
    assert scenario_created["Blackout months"] == ("—", "Dec 2027")
    assert scenario_created["Annual budgets"] == ("—", "FY2028: $1,000,000")
    assert scenario_created["First month"] == ("—", "July")
    assert scenario_created["First fiscal year"] == ("—", "FY2028")
    project_created = _fields(_history(session, "projects", project.id)[-1])
    assert project_created["Pinned to"] == ("—", "Oct 2027")
    assert project_created["Cost"] == ("—", "$20,000.00")
    assert project_created["Upgrade type"] == ("—", "Wi-Fi 7")
    assert project_created["Scenario"] == ("—", "FY2028 draft")
    upgrade_created = _fields(_history(session, "upgrade_types", upgrade.id)[-1])
    assert upgrade_created["Fixed cost"] == ("—", "$12,500.00")
    assert upgrade_created["Crews"] == ("none", "1 Network crew")
    assert upgrade_created["System"] == ("—", "LAN switching")
    plan = _plan(session, scenario, planner)
    plan.published_at, plan.published_by_id = utcnow(), planner.id
    session.commit()
    published = _fields(_history(session, "plans", plan.id)[0])
    assert published["Published by"] == ("—", planner.username)
    assert published["Published"][1].endswith(" UTC")


def _plan(session, scenario, user):
    """A stored plan of the scenario, recorded as the user's (no optimiser needed)."""
    set_actor(session, user)
    plan = Plan(scenario=scenario, version=1, status="optimal", value=10, problem={},
                inputs_revision=scenario.inputs_revision, total_cost_cents=2_000_000,
                created_by_id=user.id)  # fmt: skip
    session.add(plan)
    session.flush()
    return plan
