"""Authorization entries of the planning projects pages (world.planning holds their objects)."""

from __future__ import annotations

from tests.app.authorization_rules import Expect

TABLE: dict[str, Expect] = {}
