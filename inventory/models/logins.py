"""Signed-in sessions, one row per sign-in, so that signing out ends that session for real."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from inventory.base import Base, utcnow


class UserLogin(Base):
    """One sign-in of a user on one browser: its secret is kept hashed; signing out deletes it,
    and a copied session or remember-me cookie naming it is refused from then on."""

    __tablename__ = "user_logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    remember: Mapped[bool] = mapped_column(default=False)
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<UserLogin {self.id} of user {self.user_id}>"
