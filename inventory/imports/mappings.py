"""Saved column mappings: store a mapping by name for a kind, load it for the next file."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.errors import InvalidValue, NotFound
from inventory.models import ImportKind, ImportMapping, User
from inventory.spreadsheets import Mapping, suggest_mapping

MAX_NAME_LENGTH = 120


def _saved(session: Session, kind: str, name: str) -> ImportMapping | None:
    """The saved mapping of this kind and name, or None."""
    query = select(ImportMapping).where(
        ImportMapping.kind == ImportKind(kind), ImportMapping.name == name.strip()
    )
    return session.scalar(query)


def mapping_names(session: Session, kind: str) -> list[str]:
    """The names of the saved mappings of a kind, sorted."""
    query = select(ImportMapping.name).where(ImportMapping.kind == ImportKind(kind))
    return sorted(session.scalars(query), key=str.casefold)


def save_mapping(
    session: Session, *, by: User | None, kind: str, name: str, mapping: Mapping
) -> ImportMapping:
    """Save a mapping under a name, replacing the kind's mapping of that name."""
    set_actor(session, by)
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidValue(f"A mapping name has 1 to {MAX_NAME_LENGTH} characters.", field="name")
    if mapping.kind != kind:
        raise InvalidValue(f"This is a mapping for {mapping.kind}, not {kind}.", field="kind")
    saved = _saved(session, kind, name)
    if saved is None:
        saved = ImportMapping(
            kind=ImportKind(kind), name=name, created_by_id=by.id if by else None, mapping={}
        )
        session.add(saved)
    saved.mapping = mapping.to_dict()
    session.flush()
    return saved


def load_mapping(session: Session, kind: str, name: str) -> Mapping:
    """The saved mapping of this kind and name; NotFound lists the names that exist."""
    saved = _saved(session, kind, name)
    if saved is None:
        names = mapping_names(session, kind)
        known = f" Saved {kind} mappings: {', '.join(names)}." if names else ""
        raise NotFound(f'There is no saved {kind} mapping called "{name}".{known}', field="name")
    try:
        return Mapping.from_dict(saved.mapping)
    except ValueError as error:
        raise InvalidValue(f'The saved mapping "{name}" cannot be used: {error}') from error


def delete_mapping(session: Session, *, by: User | None, kind: str, name: str) -> None:
    """Forget a saved mapping."""
    set_actor(session, by)
    saved = _saved(session, kind, name)
    if saved is None:
        raise NotFound(f'There is no saved {kind} mapping called "{name}".', field="name")
    session.delete(saved)
    session.flush()


def resolve_mapping(
    session: Session,
    kind: str,
    headers: Iterable[str],
    *,
    name: str | None = None,
    columns: dict[str, str | None] | None = None,
) -> Mapping:
    """The mapping to use: the user's own columns, else a saved one fitted to these headers,
    else the suggestion from the headers. Raises ValueError or a DomainError when unusable."""
    headers = list(headers)
    if columns is not None:
        return Mapping(kind=kind, columns={h: columns.get(h) for h in headers})
    saved = load_mapping(session, kind, name) if name else None
    return suggest_mapping(kind, headers, saved=saved)
