"""The review of a scenario: draft -> submitted -> approved, or back to draft with a reason.

API (flush, never commit; the change log records who and when; statuses are not inputs, so a
status change leaves the scenario's inputs revision alone):
    submit_scenario(session, scenario, *, by, checks, expected_version=None) -> Scenario
        # checks(session, scenario) -> failures (texts or objects with `message`); any failure
        # refuses with SubmissionBlocked, whose `problems` lists them
    approve_scenario(session, scenario, *, by, note=None, expected_version=None) -> Scenario
    return_to_draft(session, scenario, *, by, reason, expected_version=None) -> Scenario
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.enums import ScenarioStatus
from inventory.errors import WrongState
from inventory.models import Scenario, User
from inventory.operations.scenario_fields import check_version, text


class SubmissionBlocked(WrongState):
    """Submitting was refused: the checks found things to fix (listed in `problems`)."""

    def __init__(self, scenario: Scenario, problems: Sequence[str]) -> None:
        count = len(problems)
        things = "one thing" if count == 1 else f"{count} things"
        super().__init__(f"{scenario.name} cannot be submitted yet: {things} to fix.")
        self.problems = list(problems)


def submit_scenario(
    session: Session,
    scenario: Scenario,
    *,
    by: User | None,
    checks: Callable[[Session, Scenario], Sequence[Any]],
    expected_version: int | None = None,
) -> Scenario:
    """Submit a draft for approval; refused (SubmissionBlocked, listing what to fix) when any
    of `checks` fails. Each failure is a text or has a `message`."""
    if scenario.status is not ScenarioStatus.DRAFT:
        raise WrongState(f"{scenario.name} is {scenario.status.label.lower()} already.")
    check_version(scenario, expected_version)
    failures = [getattr(item, "message", item) for item in checks(session, scenario)]
    if failures:
        raise SubmissionBlocked(scenario, [str(item) for item in failures])
    return _move(session, scenario, ScenarioStatus.SUBMITTED, by=by, note=None)


def approve_scenario(
    session: Session,
    scenario: Scenario,
    *,
    by: User | None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Scenario:
    """Approve a submitted scenario (its plans may then be published)."""
    if scenario.status is not ScenarioStatus.SUBMITTED:
        raise WrongState(
            f"{scenario.name} is {scenario.status.label.lower()}: only a submitted scenario "
            "can be approved."
        )
    check_version(scenario, expected_version)
    note = text(note, field="note", label="Note", max_length=2000)
    return _move(session, scenario, ScenarioStatus.APPROVED, by=by, note=note)


def return_to_draft(
    session: Session,
    scenario: Scenario,
    *,
    by: User | None,
    reason: str,
    expected_version: int | None = None,
) -> Scenario:
    """Send a submitted or approved scenario back to draft, saying why (kept as its note)."""
    if scenario.status is ScenarioStatus.DRAFT:
        raise WrongState(f"{scenario.name} is a draft already.")
    check_version(scenario, expected_version)
    why = text(reason, field="reason", label="Reason", max_length=2000, need=True)
    return _move(session, scenario, ScenarioStatus.DRAFT, by=by, note=why)


def _move(
    session: Session, scenario: Scenario, status: ScenarioStatus, *, by: User | None, note: Any
) -> Scenario:
    """Change the status (the change log records who and when); the inputs do not change."""
    set_actor(session, by)
    scenario.status = status
    scenario.status_note = note
    session.flush()
    return scenario
