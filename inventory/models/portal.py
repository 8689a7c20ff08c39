"""What the published plan gives each site: calendar feeds, blackout requests, and when a
site administrator last looked (so "what changed since your last visit" means something)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.base import Base, utcnow
from inventory.changelog import Audited
from inventory.models.sites import Site
from inventory.models.users import User


class CalendarFeed(Base):
    """A user's personal iCalendar feed: the secret token in its address is kept hashed (only
    its last four characters in clear, to recognise it); revoking sets `revoked_at`, and a new
    feed replaces it with a new token."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(String(8), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} of user {self.user_id}>"


class BlackoutRequest(Audited, Base):
    """A site administrator's request to change their site's blackout months: a note to the
    planners, recorded with who and when, answered by a planner."""

    __tablename__ = "blackout_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    # Calendar months asked for, as "YYYY-MM" strings (not scenario month numbers: the
    # request outlives any one scenario).
    months: Mapped[list[Any]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, done, declined
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    site: Mapped[Site] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    def __repr__(self) -> str:
        return f"<BlackoutRequest {self.id} for site {self.site_id}>"

    def audit_label(self) -> str:
        """'Blackout request for <site>'."""
        name = self.site.name if self.site is not None else f"site {self.site_id}"
        return f"Blackout request for {name}"


class PortalVisit(Base):
    """When a user last opened a site's page, and which published plan they saw then."""

    __tablename__ = "portal_visits"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True
    )
    visited_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<PortalVisit user {self.user_id} site {self.site_id}>"
