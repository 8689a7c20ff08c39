"""The Lifecycle chart in a real browser: on a phone and on a desktop screen, every label is
readable (10 px or more) and no two labels overlap; the value axis reads in round steps."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from inventory.enums import Role
from inventory.lifecycle import fiscal_year_bounds, fiscal_year_of
from inventory.operations.catalog import ensure_standard_systems
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, make_asset, make_model, make_site

pytestmark = pytest.mark.e2e

# Each text element's box on the screen and its font size in screen pixels (the SVG's font
# size times the scale the page draws the SVG at).
BOXES = """svg => [...svg.querySelectorAll('text')].map(t => {
  const r = t.getBoundingClientRect();
  return {text: t.textContent.trim(), left: r.left, top: r.top, right: r.right,
          bottom: r.bottom, size: parseFloat(getComputedStyle(t).fontSize) *
          svg.getScreenCTM().a};
})"""


@pytest.fixture
def district(session) -> None:
    """Ten systems' assets reaching end of life over the coming years at uneven costs."""
    site = make_site(session)
    first = fiscal_year_of(dt.date.today())
    for index, system in enumerate(ensure_standard_systems(session)):
        for offset in range(-1, 5):
            day = fiscal_year_bounds(first + offset)[1] - dt.timedelta(days=3)
            model = make_model(session, system=system, end_of_support_on=day,
                               unit_cost_cents=1_234_567 + index * 987_654)  # fmt: skip
            for _copy in range(1 + (index + offset) % 3):
                make_asset(session, site=site, model=model)
    session.commit()


def _overlaps(a: dict, b: dict) -> bool:
    """True when two texts on the same line run into each other (less than 4 px apart) or
    two lines overlap."""
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > -4
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1)  # fmt: skip


@pytest.mark.parametrize(("width", "height", "shown"), [(375, 740, "narrow"), (1280, 900, "wide")])
def test_chart_labels_are_readable_and_apart(page: Page, users, district, width, height, shown):
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, users[Role.PMO].username, PASSWORD)
    page.goto("/lifecycle/")
    chart = page.get_by_test_id(f"lifecycle-chart-{shown}")
    expect(chart).to_be_visible()
    boxes = chart.evaluate(BOXES)
    texts = [box for box in boxes if box["text"]]
    assert len(texts) >= 19, texts  # ticks, six periods, ten systems
    small = [box["text"] for box in texts if box["size"] < 10]
    assert not small, f"text under 10 px: {small}"
    clashes = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1 :]
               if _overlaps(a, b)]  # fmt: skip
    assert not clashes, clashes
    frame = chart.bounding_box()
    assert all(box["left"] >= frame["x"] - 1 for box in texts)
    assert all(box["right"] <= frame["x"] + frame["width"] + 1 for box in texts)
    ticks = [box["text"] for box in texts if re.fullmatch(r"\$[\d.,]+[kM]?", box["text"])]
    assert ticks[0] == "$0" and len(ticks) >= 3
    assert all(re.fullmatch(r"\$(\d+|\d+\.\d?[05])[kM]?", tick) for tick in ticks), ticks
