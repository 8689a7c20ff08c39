"""Personal API tokens: how scripts and other systems act as a user through the REST API."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.base import Base, utcnow
from inventory.models.users import User


class ApiToken(Base):
    """A token a user made for a script or another system. Only its SHA-256 hash is kept (the
    token is shown once), with its first characters to recognise it in lists; it acts with its
    user's role and sites, until it expires or is revoked."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… of user {self.user_id}>"

    def is_live(self, now: dt.datetime) -> bool:
        """Neither revoked nor expired at `now`."""
        if self.revoked_at is not None:
            return False
        expires = self.expires_at
        if expires is not None and expires.tzinfo is None:  # SQLite returns naive UTC
            expires = expires.replace(tzinfo=dt.UTC)
        return expires is None or expires > now

    def status(self, now: dt.datetime) -> str:
        """The state lists show: "revoked", "expired" or "live"."""
        if self.revoked_at is not None:
            return "revoked"
        return "live" if self.is_live(now) else "expired"
