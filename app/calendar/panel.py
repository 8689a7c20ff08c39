"""The calendar feed panel that the site portal and the calendar page include: whether the
user has a feed, what it covers, and the buttons to make, remake or stop it. It never holds
the feed's address, only the last characters of its token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.calendar.ics import feed_name
from app.db import get_session
from inventory.models import User
from inventory.operations.calendar_feeds import live_feed
from inventory.queries.scope import sees_every_site


@dataclass(frozen=True)
class FeedPanel:
    """What the panel shows about the user's feed."""

    has_feed: bool
    created_at: dt.datetime | None
    hint: str | None  # the token's last characters, as "…abcd"
    last_used_at: dt.datetime | None
    calendar_name: str
    covers: str  # what the feed holds, in words
    whole_district: bool


def feed_panel(user: User) -> FeedPanel:
    """The panel for the signed-in user (their sites as they are now)."""
    feed = live_feed(get_session(), user)
    sites = None if sees_every_site(user) else list(user.sites)
    if sites is None:
        covers = "every project in the district's published plan, at every site"
    elif not sites:
        covers = "projects at your sites; you are not linked to any site yet, so it is empty"
    else:
        names = ", ".join(site.name for site in sites)
        covers = f"the published plan's projects at {names}"
    return FeedPanel(
        has_feed=feed is not None,
        created_at=feed.created_at if feed else None,
        hint=f"…{feed.token_hint}" if feed else None,
        last_used_at=feed.last_used_at if feed else None,
        calendar_name=feed_name(sites),
        covers=covers,
        whole_district=sites is None,
    )
