"""A scenario's input pages: budget grid, crews grid, funding (E-Rate per school), calendar and
work windows, site rules found with a search box."""

from __future__ import annotations

import pytest

from inventory.enums import FundingKind, Role
from inventory.models import FundingSource
from tests.factories import make_project, make_scenario, make_site, make_trade


@pytest.fixture
def scenario(session, users):
    """A draft one-year scenario with 2 network crews a month."""
    made = make_scenario(session, name="FY2028 plan")
    session.commit()
    return made


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_the_budget_grid_takes_dollars_and_names_a_mistake(
    client, session, scenario, login_as
) -> None:
    login_as(Role.PLANNER)
    url = f"/planning/scenarios/{scenario.id}/budget"
    caps = {f"cap-{m}": "" for m in range(12)}
    bad = client.post(
        url, data={"annual-0": "$5,000,000", **caps, "cap-3": "lots", "version": scenario.version}
    )
    assert "Cap for Oct 2027: enter an amount in dollars" in text_of(bad)
    assert 'value="lots"' in text_of(bad)  # the typed text is kept
    good = client.post(
        url,
        data={"annual-0": "$5,000,000", **caps, "cap-3": "750,000.50", "version": scenario.version},
    )
    assert good.status_code == 302
    session.expire_all()
    assert scenario.annual_budgets_cents == [500_000_000]
    assert scenario.monthly_caps_cents == [None] * 3 + [75_000_050] + [None] * 8
    page = text_of(client.get(url))
    assert (
        "monthly caps add up to <strong>$750,000.50</strong> with 11 months without a cap" in page
    )


def test_the_crews_grid_with_same_every_month_add_and_remove(
    client, session, scenario, login_as
) -> None:
    network = make_trade(session, "network")
    cabling = make_trade(session, "cabling", "Cabling")
    session.commit()
    login_as(Role.PLANNER)
    url = f"/planning/scenarios/{scenario.id}/crews"
    grid = {f"crews-{network.id}-{m}": "2" for m in range(12)}
    client.post(url, data={**grid, f"crews-{network.id}-5": "0", "version": scenario.version})
    session.expire_all()
    assert scenario.trades[0].crews_by_month == [2] * 5 + [0] + [2] * 6
    client.post(url, data={**grid, f"same-{network.id}": "4", "version": scenario.version})
    session.expire_all()
    assert scenario.trades[0].crews_by_month == [4] * 12
    client.post(
        url,
        data={"action": "add", "trade_id": cabling.id, "crews": "3", "version": scenario.version},
    )
    session.expire_all()
    assert {row.trade.code: row.crews_by_month[0] for row in scenario.trades} == {
        "network": 4, "cabling": 3,
    }  # fmt: skip
    client.post(url, data={"action": "remove", "trade_id": network.id, "version": scenario.version})
    session.expire_all()
    assert [row.trade.code for row in scenario.trades] == ["cabling"]
    bad = client.post(url, data={f"crews-{cabling.id}-0": "x", "version": scenario.version})
    assert "Cabling in Jul 2027: enter a whole number of crews" in text_of(bad)


def _add_erate(client, scenario, **extra):
    """Post the funding page's form for an E-Rate source."""
    data = {"name": "E-Rate", "code": "erate", "kind": "erate_c2", "erate_per_student": "167",
            "erate_floor": "25,000", "erate_discount_percent": "80", "is_default": "y",
            "version": scenario.version, **extra}  # fmt: skip
    return client.post(f"/planning/scenarios/{scenario.id}/funding", data=data)


def test_an_erate_source_and_each_schools_budget(client, session, scenario, login_as) -> None:
    school = make_site(session, code="ES9", name="Lincoln Elementary", enrollment=500)
    session.commit()
    login_as(Role.PLANNER)
    missing = _add_erate(client, scenario, erate_per_student="")
    assert "needs the amount per student" in text_of(missing)
    assert _add_erate(client, scenario).status_code == 302
    source = session.query(FundingSource).one()
    assert (source.erate_per_student_cents, source.erate_floor_cents) == (16_700, 2_500_000)
    make_project(session, scenario, site=school, cost_cents=10_000_000)
    session.commit()
    page = text_of(client.get(f"/planning/scenarios/{scenario.id}/funding"))
    # 500 x $167 = $83,500; the $100,000 project can claim $83,500, of which E-Rate pays 80%.
    assert "ES9 Lincoln Elementary" in page and "$83,500" in page and "$66,800" in page


def test_a_source_changes_kind_then_is_removed(client, session, scenario, login_as) -> None:
    login_as(Role.PLANNER)
    _add_erate(client, scenario)
    session.expire_all()
    source = session.query(FundingSource).one()
    saved = client.post(
        f"/planning/scenarios/{scenario.id}/funding/{source.id}/edit",
        data={"name": "Bond", "code": "bond", "kind": "bond", "cap": "1,000,000",
              "version": scenario.version},
    )  # fmt: skip
    assert saved.status_code == 302
    session.expire_all()
    assert (source.kind, source.cap_cents, source.erate_per_student_cents) == (
        FundingKind.BOND, 100_000_000, None,
    )  # fmt: skip
    client.post(
        f"/planning/scenarios/{scenario.id}/funding/{source.id}/delete",
        data={"version": scenario.version},
    )
    assert session.query(FundingSource).count() == 0


def test_blackouts_and_work_windows_by_month_labels(client, session, scenario, login_as) -> None:
    login_as(Role.PLANNER)
    calendar = f"/planning/scenarios/{scenario.id}/calendar"
    client.post(calendar, data={"months": ["9", "10"], "version": scenario.version})
    session.expire_all()
    assert scenario.blackout_months == [9, 10]
    form = text_of(client.get(f"/planning/scenarios/{scenario.id}/windows/new?preset=summer"))
    assert 'value="Summer break"' in form
    assert form.count("checked") == 3  # Jul, Aug 2027 and Jun 2028
    client.post(
        f"/planning/scenarios/{scenario.id}/windows/new",
        data={"name": "Summer break", "months": ["0", "1", "11"], "version": scenario.version},
    )
    session.expire_all()
    window = scenario.windows[0]
    assert "Jul 2027 to Aug 2027, Jun 2028" in text_of(client.get(calendar))
    out_of_range = client.post(
        f"/planning/scenarios/{scenario.id}/windows/{window.id}/edit",
        data={"name": "Summer break", "months": ["12"], "version": scenario.version},
    )
    assert "is not a valid choice" in text_of(out_of_range)
    client.post(
        f"/planning/scenarios/{scenario.id}/windows/{window.id}/delete",
        data={"version": scenario.version},
    )
    session.expire_all()
    assert scenario.windows == []


def test_site_rules_found_by_search_then_saved_and_removed(
    client, session, scenario, login_as
) -> None:
    site = make_site(session, code="HS7", name="Roosevelt High", enrollment=1800)
    make_site(session, code="ES1", name="Adams Elementary")
    session.commit()
    login_as(Role.PLANNER)
    page = text_of(client.get(f"/planning/scenarios/{scenario.id}/sites?q=roose"))
    assert "HS7 Roosevelt High" in page and "Adams" not in page
    edit = f"/planning/scenarios/{scenario.id}/sites/{site.id}/edit"
    assert "Give it rules" in page and edit in page
    client.post(
        edit,
        data={"max_concurrent": "2", "blackout_months": ["8"], "erate_committed": "12,500",
              "note": "State testing", "version": scenario.version},
    )  # fmt: skip
    session.expire_all()
    rule = scenario.site_settings[0]
    assert (rule.max_concurrent, rule.blackout_months, rule.erate_committed_cents) == (
        2, [8], 1_250_000,
    )  # fmt: skip
    listing = text_of(client.get(f"/planning/scenarios/{scenario.id}/sites"))
    assert "Mar 2028" in listing and "$12,500" in listing
    client.post(
        f"/planning/scenarios/{scenario.id}/sites/{site.id}/remove",
        data={"version": scenario.version},
    )
    session.expire_all()
    assert scenario.site_settings == []


def test_readers_see_the_inputs_without_forms(client, scenario, login_as) -> None:
    login_as(Role.STAFF)
    for tab in ("budget", "crews", "funding", "calendar", "sites"):
        page = text_of(client.get(f"/planning/scenarios/{scenario.id}/{tab}"))
        assert "planners change them" in page
        assert '<button type="submit"' not in page.split("</nav>", 1)[1].split("Sign out")[-1]
