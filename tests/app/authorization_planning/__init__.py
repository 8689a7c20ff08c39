"""The planning pages' part of the authorization matrix, one module per blueprint."""

from __future__ import annotations

from tests.app.authorization_planning import decisions, plans, projects, runs, scenarios, upgrades
from tests.app.authorization_rules import Expect

PLANNING_TABLE: dict[str, Expect] = {
    **upgrades.TABLE,
    **scenarios.TABLE,
    **projects.TABLE,
    **runs.TABLE,
    **plans.TABLE,
    **decisions.TABLE,
}
