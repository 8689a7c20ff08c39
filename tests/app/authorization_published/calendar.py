"""Authorization entries of the calendar pages (world.published holds their objects)."""

from __future__ import annotations

from tests.app.authorization_rules import Expect

TABLE: dict[str, Expect] = {}
