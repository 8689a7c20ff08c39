"""What every change of a scenario's inputs shares: the draft-and-version guard around it, and
the checks of its values (names, month lists, money per year or month, crews per month).

Months are the scenario's (0 = its first month); money is integer cents; None means no limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.errors import InvalidValue, StaleEdit
from inventory.models import (
    FundingSource,
    Project,
    Scenario,
    ScenarioSite,
    ScenarioTrade,
    User,
    WorkWindow,
)
from inventory.operations.scenario_inputs import require_draft, touch_inputs

MAX_CENTS = 10**13  # $100 billion: more is a typing mistake, not a budget
MAX_CREWS = 999
INPUT_MODELS = (Scenario, ScenarioTrade, FundingSource, WorkWindow, ScenarioSite, Project)


def check_version(scenario: Scenario, expected_version: int | None) -> None:
    """Refuse a form read before someone else saved the scenario (None: no form, no check)."""
    if expected_version is not None and expected_version != scenario.version:
        raise StaleEdit(f"Scenario {scenario.name}")


def begin_input_change(
    session: Session, scenario: Scenario, *, by: User | None, expected_version: int | None
) -> None:
    """Before an input changes: a draft only, read at its current version, by this user."""
    require_draft(scenario)
    check_version(scenario, expected_version)
    set_actor(session, by)


def end_input_change(session: Session, scenario: Scenario) -> None:
    """After an input changed: plans made before are out of date; write it. Saving a form with
    nothing changed leaves the plans up to date."""
    if inputs_changed(session):
        touch_inputs(scenario)
    session.flush()


def inputs_changed(session: Session) -> bool:
    """Whether the session holds a real change of a scenario or one of its inputs."""
    if any(isinstance(obj, INPUT_MODELS) for obj in (*session.new, *session.deleted)):
        return True
    return any(isinstance(obj, INPUT_MODELS) and session.is_modified(obj) for obj in session.dirty)


def whole(value: Any, *, field: str, label: str) -> int | None:
    """A whole number from an int or digits (None or blank stays None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
        raise InvalidValue(f"{label} must be a whole number.", field=field)
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        raise InvalidValue(f"{label} must be a whole number.", field=field) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise InvalidValue(f"{label} must be a whole number.", field=field)
    return int(number)


def bounded(value: Any, low: int, high: int, *, field: str, label: str) -> int | None:
    """A whole number in [low, high], or None when not given."""
    number = whole(value, field=field, label=label)
    if number is not None and not low <= number <= high:
        raise InvalidValue(f"{label} must be a whole number from {low} to {high}.", field=field)
    return number


def required(value: Any, low: int, high: int, *, field: str, label: str) -> int:
    """A whole number in [low, high] that must be given."""
    number = bounded(value, low, high, field=field, label=label)
    if number is None:
        raise InvalidValue(f"{label} is required.", field=field)
    return number


def cents(value: Any, *, field: str, label: str) -> int | None:
    """An amount in cents, zero or more (None: no limit)."""
    amount = whole(value, field=field, label=label)
    if amount is not None and amount < 0:
        raise InvalidValue(f"{label} cannot be negative.", field=field)
    if amount is not None and amount > MAX_CENTS:
        raise InvalidValue(f"{label} is too large.", field=field)
    return amount


def cents_per(
    values: Sequence[Any], length: int, *, field: str, label_of: Callable[[int], str]
) -> list[int | None]:
    """One amount (or None) per year or month: exactly `length` of them."""
    if len(values) != length:
        raise InvalidValue(f"Give {length} amounts, one for each period.", field=field)
    return [cents(value, field=field, label=label_of(index)) for index, value in enumerate(values)]


def crews_per_month(scenario: Scenario, values: Sequence[Any], *, label: str) -> list[int]:
    """One crew count per month of the scenario, each 0 to 999 (blank counts as 0)."""
    if len(values) != scenario.months:
        raise InvalidValue(
            f"{label}: give {scenario.months} numbers, one for each month.", field="crews"
        )
    return [
        bounded(value, 0, MAX_CREWS, field="crews", label=f"{label} in {scenario.month_label(i)}")
        or 0
        for i, value in enumerate(values)
    ]


def months_of(scenario: Scenario, months: Iterable[Any] | None, *, field: str, label: str) -> list:
    """Distinct month numbers of the scenario, sorted."""
    chosen: set[int] = set()
    for value in months or ():
        month = whole(value, field=field, label=label)
        if month is None:
            continue
        if not 0 <= month < scenario.months:
            raise InvalidValue(
                f"{label}: month {month} is outside the scenario "
                f"({scenario.month_label(0)} to {scenario.month_label(scenario.months - 1)}).",
                field=field,
            )
        chosen.add(month)
    return sorted(chosen)


def text(value: Any, *, field: str, label: str, max_length: int, need: bool = False) -> str | None:
    """Trimmed text (blank is None), bounded, required when `need`."""
    cleaned = None if value is None else str(value).strip() or None
    if cleaned is None and need:
        raise InvalidValue(f"{label} is required.", field=field)
    if cleaned is not None and len(cleaned) > max_length:
        raise InvalidValue(f"{label} is at most {max_length} characters.", field=field)
    return cleaned


def resized(values: Sequence[Any] | None, length: int, fill: Any) -> list[Any]:
    """A per-period list cut or padded to `length` (padding with `fill`)."""
    items = list(values or [])[:length]
    return items + [fill] * (length - len(items))


def repeat_yearly(months: Iterable[int], old_years: int, new_years: int) -> list[int]:
    """Month numbers for a scenario resized from `old_years` to `new_years`: months past the new
    end are dropped, and each added year repeats the months of the last year there was."""
    kept = sorted({m for m in months if 0 <= m < 12 * min(old_years, new_years)})
    last_year = [m % 12 for m in kept if m // 12 == old_years - 1]
    added = [12 * year + m for year in range(old_years, new_years) for m in last_year]
    return kept + added
