"""Users, their roles and the sites a site administrator may see; sign-in throttling state."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Column, DateTime, ForeignKey, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.base import Base, Timestamped, enum_column
from inventory.changelog import Audited
from inventory.enums import Role

if TYPE_CHECKING:
    from inventory.models.sites import Site

user_sites = Table(
    "user_sites",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
)


class User(Audited, Timestamped, Base):
    """A person who signs in; site administrators see only the sites linked to them."""

    __tablename__ = "users"
    __audit_redact__ = frozenset({"password_hash"})
    __audit_collections__ = ("sites",)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    # How site staff reach the user (shown to them when the user manages their projects).
    phone: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Optimistic locking: a save from a form read at an older version is refused.
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}

    sites: Mapped[list[Site]] = relationship(secondary=user_sites, order_by="Site.code")

    # The secret of the sign-in (a `user_logins` row) this object was loaded for, set by
    # operations.authentication; never stored here.
    login_secret = None  # str | None; not annotated, so the ORM leaves it unmapped
    # The API token (an `api_tokens` id) this object was loaded for, set by
    # operations.api_tokens; None for a browser sign-in.
    api_token_id = None  # int | None; unmapped, as above

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role.value})>"

    def audit_label(self) -> str:
        """Users are named by their user name."""
        return self.username

    # The four members Flask-Login expects of a user object, without importing Flask here.
    @property
    def is_authenticated(self) -> bool:
        """A loaded user is signed in."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """A loaded user is never anonymous."""
        return False

    def get_id(self) -> str:
        """The key a session or remember-me cookie carries: `<user id>:<sign-in secret>`, so
        that signing out (which deletes the sign-in) ends that session for real. A user not
        loaded through a sign-in has just `<user id>`, which only test setups accept."""
        if self.login_secret is None:
            return str(self.id)
        return f"{self.id}:{self.login_secret}"

    @property
    def site_ids(self) -> set[int]:
        """The ids of the sites linked to the user."""
        return {site.id for site in self.sites}


class LoginThrottle(Base):
    """Failed sign-ins counted per account and per address, to slow down guessing."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<LoginThrottle {self.key} failures={self.failures}>"
