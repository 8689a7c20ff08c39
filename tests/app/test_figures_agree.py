"""Figures that agree: every home-page card opens a list showing the card's number; lists state
their real total; a search finds all of a user's matches; an export of a search has them all."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import insert

from inventory.enums import Role
from inventory.lifecycle import fiscal_year_bounds, fiscal_year_of
from inventory.models import Asset, AssetStatus
from inventory.queries import assets as asset_queries
from tests.app.html_reading import pager_total, parse
from tests.factories import make_asset, make_model, make_site

TODAY = dt.date.today()  # the pages count from the real date, so the data does too


def _model_ending(session, day: dt.date):
    """A model whose support ends on the day: its assets (no install date) end life then."""
    return make_model(session, end_of_support_on=day, end_of_sale_on=None)


@pytest.fixture
def district(session, users):
    """Assets on both sides of every card's boundary, at the site administrator's site and at
    another one: past end of life (earlier this fiscal year too), due in the rest of this fiscal
    year, due next fiscal year, later, unknown, and retired or disposed ones among them."""
    this_start, this_end = fiscal_year_bounds(fiscal_year_of(TODAY))
    next_start = this_end
    days = {
        "long past": TODAY - dt.timedelta(days=3 * 365),
        "due this year": this_end - dt.timedelta(days=1),
        "due next year": next_start + dt.timedelta(days=40),
        "later": next_start + dt.timedelta(days=500),
    }
    if TODAY - dt.timedelta(days=1) >= this_start:
        days["past, this fiscal year"] = TODAY - dt.timedelta(days=1)
    own, other = users[Role.SITE_ADMIN].sites[0], make_site(session)
    for number, (_name, day) in enumerate(days.items()):
        model = _model_ending(session, day)
        for site in (own, other):
            for _copy in range(number + 1):
                make_asset(session, site=site, model=model)
            make_asset(session, site=site, model=model, status=AssetStatus.RETIRED)
            make_asset(session, site=site, model=model, status=AssetStatus.IN_REPAIR)
    make_asset(session, site=own, status=AssetStatus.DISPOSED, model=_model_ending(session, TODAY))
    make_asset(session, site=other, model=make_model(session))  # no end of life known
    session.commit()
    return {"own": own, "other": other, "days": days}


def _cards(page: str) -> dict[str, tuple[int, str | None]]:
    """Each card's title, figure and link (None when the card opens nothing)."""
    cards = {}
    for card in parse(page).find_all():
        classes = card.attrs.get("class", "").split()
        if "card" not in classes:
            continue
        body = card.find(class_="card-body")
        title = body.children[0].text
        figure = next(d for d in body.find_all("div") if "fs-3" in d.attrs.get("class", ""))
        link = card.attrs.get("href") if card.tag == "a" else None
        cards[title] = (int(figure.text.replace(",", "")), link)
    return cards


def _status_buttons(page: str) -> dict[str, tuple[int, str]]:
    """Each status button of the home page: its count and link."""
    buttons = parse(page).find(data_testid="status-counts").find_all("a")
    return {b.text.rsplit(" ", 1)[0]: (int(b.find("span").text.replace(",", "")), b.attrs["href"])
            for b in buttons}  # fmt: skip


@pytest.mark.parametrize("role", [Role.STAFF, Role.SITE_ADMIN])
def test_each_home_card_opens_a_list_of_its_number(client, login_as, district, role) -> None:
    login_as(role)
    home = client.get("/home").get_data(as_text=True)
    cards = _cards(home)
    titles = {title.split(" ·")[0] for title in cards}
    assert {"Past end of life", "Due this fiscal year", "Due next fiscal year"} <= titles
    linked = {title: card for title, card in cards.items() if card[1] is not None}
    expected_links = ["Past end of life", "Due this fiscal year", "Due next fiscal year"]
    if role is not Role.SITE_ADMIN:
        expected_links += ["Sites", "Assets"]
    for expected in expected_links:
        assert any(title.startswith(expected) for title in linked), f"{expected} opens no list"
    for title, (figure, link) in {**linked, **_status_buttons(home)}.items():
        listing = client.get(link)
        assert listing.status_code == 200, (title, link)
        assert pager_total(listing.get_data(as_text=True)) == figure, (title, link)


def test_due_and_past_count_what_still_needs_replacing(client, login_as, district) -> None:
    login_as(Role.STAFF)
    cards = _cards(client.get("/home").get_data(as_text=True))
    figures = {title.split(" ·")[0]: figure for title, (figure, _link) in cards.items()}
    # Per site: 2 in service and 1 in repair are due in the rest of this fiscal year; the
    # retired one is not due; 1 + 1 are long past, and 5 + 1 passed earlier this fiscal year.
    past_this_year = 2 * (5 + 1) if "past, this fiscal year" in district["days"] else 0
    assert figures["Due this fiscal year"] == 2 * (2 + 1)
    assert figures["Past end of life"] == 2 * (1 + 1) + past_this_year
    assert figures["Due next fiscal year"] == 2 * (3 + 1)


def _bulk_assets(session, site, model, tags: list[str]) -> None:
    """Many assets in one statement (the change log is not needed for counting)."""
    rows = [{"tag": tag, "serial": None, "model_id": model.id, "site_id": site.id,
             "status": AssetStatus.IN_SERVICE} for tag in tags]  # fmt: skip
    session.execute(insert(Asset), rows)
    session.commit()


def test_the_asset_list_states_its_real_total_past_a_thousand(client, session, login_as, users):
    site, model = make_site(session), make_model(session)
    _bulk_assets(session, site, model, [f"BULK-{n:05d}" for n in range(1_234)])
    login_as(Role.PMO)
    home = _cards(client.get("/home").get_data(as_text=True))
    assert home["Assets"][0] == 1_234
    listing = client.get("/assets/").get_data(as_text=True)
    assert pager_total(listing) == 1_234
    assert "1,234" in parse(listing).find("nav", data_testid="pager").text


@pytest.fixture
def crowded_search(session, users):
    """The search 'MATCH' matches more assets elsewhere than a search may list, and 30 at the
    site administrator's site (whose tags sort after all the others)."""
    own, other = users[Role.SITE_ADMIN].sites[0], make_site(session)
    model = make_model(session)
    elsewhere = asset_queries.SEARCH_MATCH_CAP + 20
    _bulk_assets(session, other, model, [f"MATCH-A{n:05d}" for n in range(elsewhere)])
    _bulk_assets(session, own, model, [f"MATCH-Z{n:03d}" for n in range(30)])
    return {"elsewhere": elsewhere}


def test_a_site_administrators_search_finds_all_their_matches(
    client, login_as, crowded_search
) -> None:
    login_as(Role.SITE_ADMIN)
    listing = client.get("/assets/?q=MATCH").get_data(as_text=True)
    assert pager_total(listing) == 30
    exported = client.get("/assets/export?format=csv&q=MATCH").get_data(as_text=True)
    tags = [row["tag"] for row in csv.DictReader(io.StringIO(exported.lstrip("\ufeff")))]
    assert sorted(tags) == [f"MATCH-Z{n:03d}" for n in range(30)]


def test_an_export_of_a_search_has_every_match(client, login_as, crowded_search) -> None:
    login_as(Role.STAFF)
    exported = client.get("/assets/export?format=csv&q=MATCH").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert len(rows) == crowded_search["elsewhere"] + 30
    assert len({row["tag"] for row in rows}) == len(rows)


def test_a_search_with_more_matches_than_listed_says_so(client, login_as, crowded_search) -> None:
    login_as(Role.STAFF)
    listing = client.get("/assets/?q=MATCH").get_data(as_text=True)
    notice = parse(listing).find(data_testid="search-capped").text
    cap = f"{asset_queries.SEARCH_MATCH_CAP:,}"
    assert f"More than {cap} match" in notice
    assert "the export has every match" in notice.lower()
