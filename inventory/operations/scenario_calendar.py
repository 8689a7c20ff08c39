"""A scenario's calendar: district blackout months, work windows for disruptive work (summer
break, winter break), and each site's own rules (projects at once, blackout months, E-Rate
already committed in the cycle).

API (keyword data; draft scenarios only; each change counts as a change of the inputs; flush,
never commit; `expected_version` is the scenario's version the form was read at):
    set_blackout_months(session, scenario, *, by, months, expected_version=None) -> None
    add_work_window(session, scenario, *, by, name, months, expected_version=None) -> WorkWindow
    update_work_window(session, window, *, by, name=None, months=None, expected_version=None)
        -> WorkWindow
    remove_work_window(session, window, *, by, expected_version=None) -> None
    set_site_rule(session, scenario, site, *, by, max_concurrent=None, blackout_months=(),
                  erate_committed_cents=0, note=None, expected_version=None) -> ScenarioSite
    remove_site_rule(session, rule, *, by, expected_version=None) -> None
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from inventory.errors import Duplicate, InvalidValue
from inventory.models import Scenario, ScenarioSite, Site, User, WorkWindow
from inventory.operations.scenario_fields import (
    begin_input_change,
    bounded,
    cents,
    end_input_change,
    months_of,
    text,
)


def set_blackout_months(
    session: Session,
    scenario: Scenario,
    *,
    by: User | None,
    months: Iterable[Any],
    expected_version: int | None = None,
) -> None:
    """The months no project may be under way anywhere in the district."""
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    scenario.blackout_months = months_of(
        scenario, months, field="blackout_months", label="District blackout months"
    )
    end_input_change(session, scenario)


def _window_values(
    scenario: Scenario, window: WorkWindow | None, name: Any, months: Any
) -> dict[str, Any]:
    """A window's name (unique in the scenario) and months (at least one)."""
    values: dict[str, Any] = {}
    if name is not None or window is None:
        cleaned = text(name, field="name", label="Name", max_length=120, need=True)
        assert cleaned is not None
        for other in scenario.windows:
            if other is not window and other.name.lower() == cleaned.lower():
                raise Duplicate(
                    f"This scenario already has a window named {cleaned}.", field="name"
                )
        values["name"] = cleaned
    if months is not None or window is None:
        chosen = months_of(scenario, months, field="months", label="Months")
        if not chosen:
            raise InvalidValue("Choose the months of the window.", field="months")
        values["months"] = chosen
    return values


def add_work_window(
    session: Session,
    scenario: Scenario,
    *,
    by: User | None,
    name: str,
    months: Iterable[Any],
    expected_version: int | None = None,
) -> WorkWindow:
    """Add months when disruptive work may be done; such a project must fit in one window."""
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    window = WorkWindow(**_window_values(scenario, None, name, months))
    scenario.windows.append(window)
    end_input_change(session, scenario)
    return window


def update_work_window(
    session: Session,
    window: WorkWindow,
    *,
    by: User | None,
    name: str | None = None,
    months: Iterable[Any] | None = None,
    expected_version: int | None = None,
) -> WorkWindow:
    """Rename a window or change its months (None keeps them)."""
    scenario = window.scenario
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    for key, value in _window_values(scenario, window, name, months).items():
        if getattr(window, key) != value:
            setattr(window, key, value)
    end_input_change(session, scenario)
    return window


def remove_work_window(
    session: Session, window: WorkWindow, *, by: User | None, expected_version: int | None = None
) -> None:
    """Remove a work window."""
    scenario = window.scenario
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    scenario.windows.remove(window)
    end_input_change(session, scenario)


def set_site_rule(
    session: Session,
    scenario: Scenario,
    site: Site,
    *,
    by: User | None,
    max_concurrent: Any = None,
    blackout_months: Iterable[Any] = (),
    erate_committed_cents: Any = 0,
    note: Any = None,
    expected_version: int | None = None,
) -> ScenarioSite:
    """A site's own rules in the scenario (created when it has none): how many projects at once
    (None: the scenario's default), its blackout months, the E-Rate budget it has committed
    already in the cycle, and a note."""
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    values = {
        "max_concurrent": bounded(
            max_concurrent, 1, 50, field="max_concurrent", label="Projects at once"
        ),
        "blackout_months": months_of(
            scenario, blackout_months, field="blackout_months", label="Blackout months"
        ),
        "erate_committed_cents": cents(
            erate_committed_cents, field="erate_committed_cents", label="E-Rate committed"
        )
        or 0,
        "note": text(note, field="note", label="Note", max_length=2000),
    }
    rule = next((row for row in scenario.site_settings if row.site_id == site.id), None)
    if rule is None:
        rule = ScenarioSite(site=site, **values)
        scenario.site_settings.append(rule)
    else:
        for key, value in values.items():
            if getattr(rule, key) != value:
                setattr(rule, key, value)
    end_input_change(session, scenario)
    return rule


def remove_site_rule(
    session: Session, rule: ScenarioSite, *, by: User | None, expected_version: int | None = None
) -> None:
    """Remove a site's own rules (the scenario's defaults apply to it again)."""
    scenario = rule.scenario
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    scenario.site_settings.remove(rule)
    end_input_change(session, scenario)
