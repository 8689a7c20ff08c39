"""History pages in people's words: an asset's, a site's and any record's for administrators,
planning records included."""

from __future__ import annotations

from inventory.enums import Role
from inventory.models import AssetStatus
from inventory.operations.assets import create_asset, update_asset
from tests.app.html_reading import history_changes
from tests.factories import make_model, make_project, make_scenario, make_site


def test_an_asset_history_shows_labels_dollars_names_and_choices(
    client, session, users, login_as
) -> None:
    first, lincoln = make_site(session), make_site(session, code="LIN01", name="Lincoln High")
    staff = users[Role.STAFF]
    asset = create_asset(session, by=staff, tag="SW-9", model=make_model(session), site=first,
                         cost_cents=123_450)  # fmt: skip
    update_asset(session, asset, by=staff, cost_cents=130_000, site=lincoln,
                 status=AssetStatus.IN_REPAIR)  # fmt: skip
    session.commit()
    login_as(Role.STAFF)

    changes = history_changes(client.get(f"/assets/{asset.id}/history").get_data(as_text=True))

    staff = staff.username
    assert (staff, "Changed", "Cost", "$1,234.50", "$1,300.00") in changes
    assert (staff, "Changed", "Site", f"{first.name} ({first.code})", "Lincoln High (LIN01)") in (
        changes
    )
    assert (staff, "Changed", "Status", "In service", "In repair") in changes
    assert (staff, "Created", "Asset tag", "—", "SW-9") in changes
    assert not [c for c in changes if "_" in c[2] or c[4] in ("123450", str(lincoln.id))]


def test_administrators_read_planning_histories_in_months_and_dollars(
    client, session, users, login_as
) -> None:
    scenario = make_scenario(session, name="FY2028 draft", blackout_months=[5, 6])
    project = make_project(session, scenario, pinned_month=3, cost_cents=2_000_000)
    session.commit()
    login_as(Role.ADMIN)

    scenario_page = client.get(f"/history/scenarios/{scenario.id}").get_data(as_text=True)
    project_page = client.get(f"/history/projects/{project.id}").get_data(as_text=True)

    assert ("system", "Created", "Blackout months", "—", "Dec 2027 to Jan 2028") in (
        history_changes(scenario_page)
    )
    project_changes = history_changes(project_page)
    assert ("system", "Created", "Pinned to", "—", "Oct 2027") in project_changes
    assert ("system", "Created", "Cost", "—", "$20,000.00") in project_changes
    assert ("system", "Created", "Scenario", "—", "FY2028 draft") in project_changes
