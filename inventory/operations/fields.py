"""The checks every operation's fields share: trimmed text, codes, whole and decimal numbers,
dates, choices of an enum; and applying only what changed. Each cleaner raises InvalidValue
naming its field and label."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventory.errors import InvalidValue

Cleaner = Callable[[Session, Any], Any]
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


def taken(session: Session, column: Any, value: Any, own_id: int | None) -> bool:
    """True if another row already holds the value in a unique column (case-insensitive)."""
    query = select(column.table.c.id).where(func.lower(column) == str(value).lower())
    if own_id is not None:
        query = query.where(column.table.c.id != own_id)
    return session.scalar(query.limit(1)) is not None
