"""Helpers shared by the forms of every feature."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from wtforms.fields import SelectChoice


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Select-box options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def enum_choices(enum_class: type[Enum], *, blank: str | None = None) -> list[SelectChoice]:
    """Select-box options for an enum of the domain, optionally led by a blank option."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(member.value, member.label) for member in enum_class]
