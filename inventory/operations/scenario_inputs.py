"""What every change of a scenario's inputs shares: only drafts change, and each change is
counted, so a plan knows whether it was made from the scenario's current inputs."""

from __future__ import annotations

from inventory.enums import ScenarioStatus
from inventory.errors import WrongState
from inventory.models import Scenario


def require_draft(scenario: Scenario) -> None:
    """Refuse to change a scenario that is submitted or approved."""
    if scenario.status is not ScenarioStatus.DRAFT:
        raise WrongState(
            f"{scenario.name} is {scenario.status.label.lower()}; return it to draft to change "
            "its inputs."
        )


def touch_inputs(scenario: Scenario) -> None:
    """Record that the scenario's inputs changed (plans made before are now out of date)."""
    scenario.inputs_revision = (scenario.inputs_revision or 0) + 1
