"""The demo district comes with a realistic inventory from the shipped catalogue."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from inventory.demo import CATALOGUE, DemoOptions, load_demo
from inventory.lifecycle import fiscal_year_of
from inventory.models import Asset, AssetModel, Manufacturer, System


def test_demo_gives_every_site_30_to_150_assets_due_over_the_years(session) -> None:
    summary = load_demo(session, DemoOptions(sites=12, seed=7, password="demo password 1"))
    session.commit()
    per_site = session.execute(select(Asset.site_id, func.count(Asset.id)).group_by(Asset.site_id))
    counts = [count for _site, count in per_site]
    assert len(counts) == 12
    assert all(30 <= count <= 150 for count in counts)
    assert summary.assets == sum(counts)
    assert summary.models == session.scalar(select(func.count(AssetModel.id))) > 40
    assert session.scalar(select(func.count(System.id))) == 10
    assert session.scalar(select(Manufacturer.id).where(Manufacturer.name == "Cisco"))
    this_year = fiscal_year_of(dt.date.today())
    due = {fiscal_year_of(day) for (day,) in session.execute(select(Asset.end_of_life_on))}
    assert set(range(this_year, this_year + 5)) <= due
    assert CATALOGUE.is_file() and "shared" not in str(CATALOGUE)
    assert "assets" in summary.describe()
