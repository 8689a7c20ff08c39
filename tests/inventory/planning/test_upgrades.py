"""The upgrade catalogue: trades, upgrade types, prerequisites and the standard catalogue."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from inventory.enums import Role
from inventory.errors import Duplicate, InvalidValue, StaleEdit, WrongState
from inventory.models import ChangeLogEntry, System, Trade, UpgradeType
from inventory.operations.catalog import STANDARD_SYSTEMS
from inventory.operations.projects import set_predecessors
from inventory.operations.upgrade_catalogue import STANDARD_TRADES
from inventory.operations.upgrades import (
    create_trade,
    create_upgrade_type,
    ensure_standard_trades,
    load_standard_catalogue,
    restore_upgrade_type,
    retire_trade,
    retire_upgrade_type,
    standard_upgrades_missing,
    update_trade,
    update_upgrade_type,
)
from tests.factories import (
    make_project,
    make_scenario,
    make_site,
    make_system,
    make_trade,
    make_upgrade_type,
)


def test_standard_trades_are_added_once(session) -> None:
    assert {t.code for t in ensure_standard_trades(session)} == {c for c, _ in STANDARD_TRADES}
    ensure_standard_trades(session)
    assert session.scalar(select(func.count(Trade.id))) == len(STANDARD_TRADES)


def test_the_standard_catalogue_covers_every_system_once(session, users) -> None:
    planner = users[Role.PLANNER]
    added = load_standard_catalogue(session, by=planner)
    session.commit()

    systems = {t.system.code for t in added}
    assert systems == {code for code, _name, _life in STANDARD_SYSTEMS}
    by_code = {t.code: t for t in added}
    assert [p.code for p in by_code["wifi"].prerequisites] == ["cabling"]
    assert {p.code for p in by_code["lan"].prerequisites} == {"cabling", "core"}
    assert [p.code for p in by_code["core"].prerequisites] == ["ups"]
    assert {t.code for t in added if t.is_disruptive} == {"cabling", "core"}
    assert {t.code for t in added if t.is_erate_eligible} == {"cabling", "core", "lan", "wifi",
                                                             "ups"}  # fmt: skip
    assert (by_code["wifi"].coverage_students_per_asset, by_code["wifi"].coverage_min_assets) == (
        25,
        4,
    )
    assert by_code["cameras"].coverage_min_assets == 8
    assert all(t.description and t.crews and t.fixed_cost_cents > 0 for t in added)
    assert by_code["access"].crews == {"security": 1, "electrical": 1}
    # Loading again adds nothing; the history names who added them.
    assert load_standard_catalogue(session, by=planner) == []
    assert standard_upgrades_missing(session) == []
    assert session.scalar(select(func.count(UpgradeType.id))) == len(STANDARD_SYSTEMS)
    entry = session.scalar(
        select(ChangeLogEntry).where(
            ChangeLogEntry.object_type == "upgrade_types",
            ChangeLogEntry.object_id == by_code["wifi"].id,
        )
    )
    assert entry.actor_name == planner.username


def test_the_standard_catalogue_keeps_a_district_s_own_types(session, users) -> None:
    ensure_standard_trades(session)
    make_system(session)  # every standard system
    own_cabling = create_upgrade_type(
        session, by=None, code="recable", name="Recable classrooms", system="cabling",
        crews={"cabling": 3}, fixed_cost_cents=100,
    )  # fmt: skip
    missing = standard_upgrades_missing(session)
    assert "Cabling refresh" not in missing and "Wi-Fi refresh" in missing
    added = {t.code: t for t in load_standard_catalogue(session, by=None)}
    assert "cabling" not in added
    assert added["wifi"].prerequisites == [own_cabling]  # the system's own type comes first


def test_upgrade_type_needs_crews_and_a_unique_code(session) -> None:
    trade = make_trade(session)
    make_system(session)
    with pytest.raises(InvalidValue) as error:
        create_upgrade_type(session, by=None, code="x1", name="X", system="lan", crews={trade: 0})
    assert error.value.field == "crews"
    create_upgrade_type(session, by=None, code="x1", name="X", system="lan", crews={trade: 1})
    with pytest.raises(Duplicate) as error:
        create_upgrade_type(session, by=None, code="X1", name="Y", system="lan", crews={trade: 1})
    assert error.value.field == "code"
    with pytest.raises(InvalidValue) as error:
        create_upgrade_type(
            session, by=None, code="x2", name="Z", system="lan", crews={trade: 1},
            per_asset_cost_cents=-5,
        )  # fmt: skip
    assert error.value.field == "per_asset_cost_cents"
    with pytest.raises(InvalidValue, match="system"):
        create_upgrade_type(session, by=None, code="x3", name="W", system="", crews={trade: 1})


def test_a_loop_of_prerequisites_is_refused_and_named(session) -> None:
    cabling = make_upgrade_type(session, code="cab", name="Cabling refresh")
    wifi = make_upgrade_type(session, code="wifi", name="Wi-Fi refresh")
    lan = make_upgrade_type(session, code="lan", name="Switch refresh")
    update_upgrade_type(session, wifi, by=None, prerequisites=[cabling])
    update_upgrade_type(session, cabling, by=None, prerequisites=[lan])
    with pytest.raises(InvalidValue) as error:
        update_upgrade_type(session, lan, by=None, prerequisites=[wifi])
    assert error.value.field == "prerequisites"
    assert "Switch refresh needs Wi-Fi refresh needs Cabling refresh needs Switch refresh" in (
        error.value.message
    )
    with pytest.raises(InvalidValue, match="before itself"):
        update_upgrade_type(session, lan, by=None, prerequisites=[lan])
    assert lan.prerequisites == []


def test_a_stale_edit_of_an_upgrade_type_is_refused(session) -> None:
    upgrade = make_upgrade_type(session, name="Wi-Fi refresh")
    seen = upgrade.version
    assert update_upgrade_type(session, upgrade, by=None, expected_version=seen, value_weight=12)
    with pytest.raises(StaleEdit, match="Wi-Fi refresh was changed by someone else"):
        update_upgrade_type(session, upgrade, by=None, expected_version=seen, value_weight=3)
    assert upgrade.value_weight == 12


def test_crews_change_and_a_retired_type_comes_back(session) -> None:
    upgrade = make_upgrade_type(session)
    security = make_trade(session, "security")
    assert update_upgrade_type(session, upgrade, by=None, crews={"network": 2, security: 1})
    assert upgrade.crews == {"network": 2, "security": 1}
    assert not update_upgrade_type(session, upgrade, by=None, crews={"network": 2, "security": 1})
    retire_upgrade_type(session, upgrade, by=None)
    assert upgrade.is_active is False
    restore_upgrade_type(session, upgrade, by=None)
    assert upgrade.is_active is True


def test_trades_are_unique_and_kept_while_needed(session) -> None:
    trade = create_trade(session, by=None, code="fiber", name="Fibre splicing")
    with pytest.raises(Duplicate, match="Another trade has the name fibre SPLICING"):
        create_trade(session, by=None, code="fiber2", name="fibre SPLICING")
    with pytest.raises(StaleEdit):
        update_trade(session, trade, by=None, expected_version=trade.version + 1, name="Fibre")
    assert update_trade(session, trade, by=None, expected_version=trade.version, name="Fibre")
    upgrade = make_upgrade_type(session, name="Fibre uplinks", trade=trade)
    with pytest.raises(WrongState, match="Fibre crews are needed by Fibre uplinks"):
        retire_trade(session, trade, by=None)
    retire_upgrade_type(session, upgrade, by=None)
    assert retire_trade(session, trade, by=None).is_active is False


def test_system_is_found_by_code(session) -> None:
    make_system(session)
    wifi = session.scalar(select(System).where(System.code == "wifi"))
    upgrade = create_upgrade_type(
        session, by=None, code="w", name="W", system="wifi", crews={make_trade(session): 1},
        coverage_students_per_asset="", is_disruptive="false",
    )  # fmt: skip
    assert upgrade.system is wifi
    assert upgrade.coverage_students_per_asset is None and upgrade.is_disruptive is False


def test_a_catalogue_order_that_loops_with_a_scenario_s_order_is_refused(session) -> None:
    cabling = make_upgrade_type(session, name="Cabling refresh")
    wifi = make_upgrade_type(session, name="Wi-Fi refresh")
    scenario = make_scenario(session)
    site = make_site(session)
    first = make_project(session, scenario, site=site, upgrade_type=cabling, name="Cabling")
    second = make_project(session, scenario, site=site, upgrade_type=wifi, name="Wi-Fi")
    set_predecessors(session, first, [second], by=None)  # by hand: cabling after Wi-Fi
    session.commit()
    with pytest.raises(InvalidValue, match=r"That would make a loop: .*Cabling.*Wi-Fi"):
        update_upgrade_type(session, wifi, by=None, prerequisites=[cabling])
    session.rollback()
    assert wifi.prerequisites == []
