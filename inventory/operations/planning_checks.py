"""Checks the planning operations share: yes/no fields, optimistic locking, loops of
predecessors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from inventory.errors import StaleEdit


def flag(_session: Session, value: Any) -> bool:
    """A yes/no field: anything truthy but the text 'false' or '0'."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off")
    return bool(value)


def check_version(obj: Any, expected_version: int | None) -> None:
    """Refuse a save made from a form opened before someone else's save."""
    if expected_version is not None and int(expected_version) != obj.version:
        raise StaleEdit(obj.name)


def flush_or_stale(session: Session, label: str) -> None:
    """Flush; a row another session saved meanwhile (a race) is a StaleEdit, never a silent
    overwrite."""
    try:
        session.flush()
    except StaleDataError:
        raise StaleEdit(label) from None


def cycle_through(graph: Mapping[int, Iterable[int]], start: int) -> list[int] | None:
    """A path start -> ... -> start following the graph's edges, or None (depth first)."""
    path, seen, stack = [start], {start}, [iter(graph.get(start, ()))]
    while stack:
        following = next(stack[-1], None)
        if following is None:
            stack.pop()
            path.pop()
        elif following == start:
            return [*path, start]
        elif following not in seen:
            seen.add(following)
            path.append(following)
            stack.append(iter(graph.get(following, ())))
    return None
