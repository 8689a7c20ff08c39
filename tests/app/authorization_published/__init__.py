"""The published plan's part of the authorization matrix (SEP document and schedule, site
portal, calendar feeds), one module per blueprint."""

from __future__ import annotations

from tests.app.authorization_published import calendar, portal, sep
from tests.app.authorization_rules import Expect

PUBLISHED_TABLE: dict[str, Expect] = {**sep.TABLE, **portal.TABLE, **calendar.TABLE}
