"""The checks every operation's fields share: trimmed text, codes, whole and decimal numbers,
money, dates, choices of an enum; applying only what changed; and saving without overwriting
someone else's save (optimistic locking) or crashing on a unique value saved meanwhile. Each
cleaner raises InvalidValue naming its field and label."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from inventory.database import begin_before_savepoint
from inventory.errors import Duplicate, InvalidValue, StaleEdit

Cleaner = Callable[[Session, Any], Any]
T = TypeVar("T")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def text(field: str, label: str, max_length: int, *, required: bool = False) -> Cleaner:
    """A cleaner for a text field: trimmed, blank is None, bounded length."""

    def clean(_session: Session, value: Any) -> str | None:
        value = None if value is None else str(value).strip() or None
        if value is None and required:
            raise InvalidValue(f"{label} is required.", field=field)
        if value is not None and len(value) > max_length:
            raise InvalidValue(f"{label} is at most {max_length} characters.", field=field)
        return value

    return clean


def code(field: str, label: str, max_length: int = 32) -> Cleaner:
    """A cleaner for a required code: letters, digits and . _ / - with no spaces."""
    base = text(field, label, max_length, required=True)

    def clean(session: Session, value: Any) -> str:
        cleaned = base(session, value)
        if not CODE_PATTERN.match(cleaned):
            raise InvalidValue(f"{label} may hold letters, digits, . _ / and -.", field=field)
        return cleaned

    return clean


def number(field: str, label: str, low: int, high: int, *, required: bool = False) -> Cleaner:
    """A cleaner for a whole number in [low, high]."""

    def clean(_session: Session, value: Any) -> int | None:
        if value is None or value == "":
            if required:
                raise InvalidValue(f"{label} is required.", field=field)
            return None
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
            raise InvalidValue(f"{label} must be a whole number.", field=field)
        try:
            whole = int(value)
        except ValueError:
            raise InvalidValue(f"{label} must be a whole number.", field=field) from None
        if whole != Decimal(str(value)) or not low <= whole <= high:
            raise InvalidValue(f"{label} must be a whole number from {low} to {high}.", field=field)
        return whole

    return clean


def money(field: str, label: str, max_cents: int) -> Cleaner:
    """A cleaner for an amount in whole cents from 0 to `max_cents`, explained in dollars."""
    whole = number(field, label, 0, max_cents)

    def clean(session: Session, value: Any) -> int | None:
        try:
            return whole(session, value)
        except InvalidValue:
            message = f"{label} must be from $0 to ${max_cents / 100:,.0f}."
            raise InvalidValue(message, field=field) from None

    return clean


def decimal(field: str, label: str, low: float, high: float) -> Cleaner:
    """A cleaner for a decimal number in [low, high], stored as a float."""

    def clean(_session: Session, value: Any) -> float | None:
        if value is None or value == "":
            return None
        try:
            result = float(value)
        except (TypeError, ValueError):
            raise InvalidValue(f"{label} must be a number.", field=field) from None
        if not low <= result <= high:
            raise InvalidValue(f"{label} must be between {low} and {high}.", field=field)
        return result

    return clean


def date(field: str, label: str) -> Cleaner:
    """A cleaner for a date (a date, or text as YYYY-MM-DD)."""

    def clean(_session: Session, value: Any) -> dt.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidValue(f"{label} must be a date (YYYY-MM-DD).", field=field) from None

    return clean


def choice(field: str, label: str, enum_class: type[Enum], *, required: bool = True) -> Cleaner:
    """A cleaner for a member of an enum, given as the member or its value."""

    def clean(_session: Session, value: Any) -> Enum | None:
        if value is None or value == "":
            if required:
                raise InvalidValue(f"{label} is required.", field=field)
            return None
        try:
            return enum_class(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum_class)
            raise InvalidValue(f"{label} must be one of: {allowed}.", field=field) from None

    return clean


def clean_fields(session: Session, cleaners: Mapping[str, Cleaner], fields: Mapping) -> dict:
    """Check every given field with its cleaner; an unknown field name is a programming error."""
    unknown = set(fields) - set(cleaners)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    return {name: cleaners[name](session, value) for name, value in fields.items()}


def apply_changes(obj: object, values: Mapping[str, Any]) -> bool:
    """Set the attributes whose value differs; True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def refuse_taken(
    session: Session, entity: type, values: Mapping[str, Any], unique: tuple[str, ...], noun: str
) -> None:
    """Raise Duplicate on the first of the `unique` fields among `values` that another row of
    `entity` already holds (ignoring case); `values` may carry the object's own `id`."""
    own_id = values.get("id")
    for name in unique:
        if name in values and taken(session, getattr(entity, name), values[name], own_id):
            raise Duplicate(f"A {noun} with {name} {values[name]} exists already.", field=name)


def taken(session: Session, column: Any, value: Any, own_id: int | None) -> bool:
    """True if another row already holds the value in a unique column (case-insensitive)."""
    query = select(column.table.c.id).where(func.lower(column) == str(value).lower())
    if own_id is not None:
        query = query.where(column.table.c.id != own_id)
    return session.scalar(query.limit(1)) is not None


def check_version(obj: Any, expected_version: int | None) -> None:
    """Refuse a save from a form read before someone else saved the object (None: no form, so
    no check)."""
    if expected_version is not None and int(expected_version) != obj.version:
        raise StaleEdit(obj.audit_label())


def flush_or_stale(session: Session, obj: Any) -> None:
    """Flush; a row another session saved since this one read it (a race the version check
    could not see) is a StaleEdit, never a silent overwrite."""
    label = obj.audit_label()
    try:
        session.flush()
    except StaleDataError:
        raise StaleEdit(label) from None


def insert_new(session: Session, build: Callable[[], T], recheck: Callable[[], None]) -> T:
    """Build a new object and insert it under a SAVEPOINT (built there, so that no related
    object lists it before it is in the session). When another session saved the same unique
    value after this one's checks ran, `recheck` runs them again to raise the field's Duplicate
    (a violation it cannot explain stands)."""
    begin_before_savepoint(session)
    try:
        with session.begin_nested():
            obj = build()
            session.add(obj)
            session.flush()
    except IntegrityError:
        recheck()
        raise
    return obj
