"""Text search: `%`, `_` and `\\` in what a person types mean themselves, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from inventory.models import Asset
from inventory.queries.assets import search_condition
from inventory.queries.search import like_pattern
from inventory.queries.sites import SiteFilters, sites_query
from tests.factories import make_asset, make_model, make_site


def test_wildcards_are_escaped_in_the_pattern() -> None:
    assert like_pattern(" 100%_A\\b ") == "%100\\%\\_a\\\\b%"


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("100%", ["100% Digital Academy"]),
        ("wing_b", ["Lincoln Wing_B"]),
        ("_", ["Lincoln Wing_B"]),
        ("%", ["100% Digital Academy"]),
        ("c:\\", ["Depot C:\\Temp"]),
    ],
)
def test_site_search_takes_wildcards_literally(session, typed: str, found: list[str]) -> None:
    for name in ("100% Digital Academy", "1000 Oaks School", "Lincoln Wing_B", "Lincoln WingsB",
                 "Depot C:\\Temp"):  # fmt: skip
        make_site(session, name=name)
    session.flush()
    rows = session.execute(sites_query(None, SiteFilters(search=typed))).all()
    assert [site.name for site, _region in rows] == found


def test_asset_search_by_model_name_takes_wildcards_literally(session) -> None:
    literal = make_asset(session, model=make_model(session, name="AP 50% duty"))
    make_asset(session, model=make_model(session, name="AP 500 duty"))
    session.flush()
    tags = session.scalars(select(Asset.tag).where(search_condition("50%"))).all()
    assert tags == [literal.tag]
