"""The upgrade catalogue pages: readers see it, editors change it, bad input is named, stale
saves are refused, forms need their CSRF token."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from inventory.enums import Role
from inventory.models import Trade, UpgradeType
from tests.factories import make_system, make_trade, make_upgrade_type


def _type_form(**overrides) -> dict:
    """A valid new-upgrade form for the LAN system and the network trade."""
    return {"code": "wifi6", "name": "Wi-Fi 6 refresh", "system_id": "", "duration_months": "1",
            "fixed_cost": "3500", "per_asset_cost": "1100.50", "per_student_cost": "4",
            "value_weight": "10", "coverage_min_assets": "4",
            "coverage_students_per_asset": "25", "is_erate_eligible": "y", **overrides}  # fmt: skip


def test_readers_see_the_catalogue_without_the_editing_buttons(client, session, login_as):
    make_upgrade_type(session, name="Wi-Fi refresh", description="Replace the access points.")
    session.commit()
    login_as(Role.PMO)
    page = client.get("/planning/catalogue/").get_data(as_text=True)
    assert "Wi-Fi refresh" in page and "Replace the access points." in page
    assert "How a project's cost and value are worked out" in page
    assert "New upgrade type" not in page and "Add the standard catalogue" not in page
    assert client.get("/planning/catalogue/new").status_code == 403
    assert client.post("/planning/catalogue/standard").status_code == 403


def test_a_planner_adds_the_standard_catalogue(client, session, login_as) -> None:
    login_as(Role.PLANNER)
    page = client.get("/planning/catalogue/").get_data(as_text=True)
    assert "Add the standard catalogue" in page
    response = client.post("/planning/catalogue/standard", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Added 10 upgrade types" in page
    assert "Wi-Fi refresh" in page and "Cabling refresh" in page
    assert "Add the standard catalogue" not in page
    assert len(session.scalars(select(UpgradeType)).all()) == 10


def test_a_planner_creates_an_upgrade_with_crews_and_prerequisites(client, session, login_as):
    network, cabling = make_trade(session), make_trade(session, "cabling")
    first = make_upgrade_type(session, name="Cabling refresh", trade=cabling)
    wifi = make_system(session, "wifi")
    session.commit()
    login_as(Role.PLANNER)
    form = client.get("/planning/catalogue/new").get_data(as_text=True)
    assert f'name="crews_{network.id}"' in form and f'name="crews_{cabling.id}"' in form
    data = _type_form(system_id=wifi.id, prerequisites=[first.id], **{f"crews_{network.id}": "2"})
    response = client.post("/planning/catalogue/new", data=data)
    assert response.status_code == 302
    created = session.scalar(select(UpgradeType).where(UpgradeType.code == "wifi6"))
    assert created.crews == {"network": 2}
    assert created.per_asset_cost_cents == 110_050 and created.is_erate_eligible
    assert created.prerequisites == [first] and created.coverage_students_per_asset == 25


def test_bad_input_is_named_on_its_field(client, session, login_as) -> None:
    trade = make_trade(session)
    make_upgrade_type(session, code="taken", name="Taken")
    lan = make_system(session)
    session.commit()
    login_as(Role.ADMIN)
    crews = {f"crews_{trade.id}": "1"}
    page = client.post("/planning/catalogue/new",
                       data=_type_form(system_id=lan.id, fixed_cost="-5", **crews))  # fmt: skip
    assert page.status_code == 200
    assert "Number must be between 0 and 100000000." in page.get_data(as_text=True)
    page = client.post("/planning/catalogue/new", data=_type_form(system_id=lan.id))
    assert "Give at least one trade a number of crews." in page.get_data(as_text=True)
    page = client.post("/planning/catalogue/new",
                       data=_type_form(system_id=lan.id, code="TAKEN", **crews))  # fmt: skip
    text = page.get_data(as_text=True)
    assert "Another upgrade type has the code TAKEN." in text
    assert re.search(r'id="code"[^>]*value="TAKEN"', text)  # the input is kept
    page = client.post("/planning/catalogue/new", data=_type_form(**crews))
    assert "Choose the system this upgrade works on." in page.get_data(as_text=True)


def test_a_stale_save_shows_what_changed_and_keeps_the_input(client, session, login_as):
    upgrade = make_upgrade_type(session, name="Wi-Fi refresh", value_weight=10)
    session.commit()
    seen = upgrade.version
    upgrade.value_weight = 15  # someone else saves first
    session.commit()
    login_as(Role.PLANNER)
    trade_id = upgrade.crew_needs[0].trade_id
    crews = {f"crews_{trade_id}": "1"}
    data = _type_form(code=upgrade.code, name="Wi-Fi refresh", system_id=upgrade.system_id,
                      value_weight="12", version=str(seen), **crews)  # fmt: skip
    response = client.post(f"/planning/catalogue/{upgrade.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Wi-Fi refresh was changed by someone else" in page
    assert 'data-testid="stale-differences"' in page
    assert re.search(r"Value weight</td><td[^>]*>15</td><td[^>]*>12</td>", page)
    session.expire_all()
    assert session.get(UpgradeType, upgrade.id).value_weight == 15
    # Saving again (the form now carries the saved version) is a deliberate overwrite.
    data["version"] = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    assert client.post(f"/planning/catalogue/{upgrade.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert session.get(UpgradeType, upgrade.id).value_weight == 12


def test_trades_are_listed_created_and_kept_while_needed(client, session, login_as) -> None:
    trade = make_trade(session, "cabling")
    make_upgrade_type(session, name="Cabling refresh", trade=trade)
    session.commit()
    login_as(Role.PMO)
    assert client.get("/planning/catalogue/trades").status_code == 403
    login_as(Role.PLANNER)
    assert "Cabling" in client.get("/planning/catalogue/trades").get_data(as_text=True)
    response = client.post("/planning/catalogue/trades/new",
                           data={"code": "fiber", "name": "Fibre splicing"})  # fmt: skip
    assert response.status_code == 302
    assert session.scalar(select(Trade).where(Trade.code == "fiber")) is not None
    again = client.post("/planning/catalogue/trades/new", data={"code": "x", "name": "Cabling"})
    assert "Another trade has the name Cabling." in again.get_data(as_text=True)
    page = client.post(f"/planning/catalogue/trades/{trade.id}/retire", follow_redirects=True)
    assert "Cabling crews are needed by Cabling refresh" in page.get_data(as_text=True)


def test_retire_and_restore_an_upgrade_type(client, session, login_as) -> None:
    upgrade = make_upgrade_type(session, name="Server refresh")
    session.commit()
    login_as(Role.PLANNER)
    page = client.post(f"/planning/catalogue/{upgrade.id}/retire", follow_redirects=True)
    assert "Server refresh is retired" in page.get_data(as_text=True)
    session.expire_all()
    assert session.get(UpgradeType, upgrade.id).is_active is False
    client.post(f"/planning/catalogue/{upgrade.id}/restore")
    session.expire_all()
    assert session.get(UpgradeType, upgrade.id).is_active is True


class TestWithCsrf:
    """CSRF is on in real use: the catalogue's forms carry the token and need it."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        """Turn CSRF protection back on."""
        return {"WTF_CSRF_ENABLED": True}

    def test_posts_without_the_token_are_refused(self, client, session, login_as) -> None:
        upgrade = make_upgrade_type(session)
        session.commit()
        login_as(Role.PLANNER)
        page = client.get("/planning/catalogue/").get_data(as_text=True)
        assert page.count('name="csrf_token"') >= 2  # the retire button and the standard one
        assert client.post("/planning/catalogue/standard").status_code == 400
        assert client.post(f"/planning/catalogue/{upgrade.id}/retire").status_code == 400
        form = client.get(f"/planning/catalogue/{upgrade.id}/edit").get_data(as_text=True)
        assert 'name="csrf_token"' in form
