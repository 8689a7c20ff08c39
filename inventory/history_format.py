"""The change log as people read it: "Cost: $1,234.50 → $1,300.00", "Site: Lincoln High (LIN)",
"Status: In repair", for every audited model (inventory, accounts and planning).

The stored log keeps raw values (cents, ids, enum values, ISO dates, month numbers); this module
turns an entry's fields into labels and values with what each model's columns say about them
(money, a reference to another record, a choice, a date) and what `history_fields` adds.
References are looked up in one query per table; a record since removed keeps the last name
its own history gave it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory import history_fields as known
from inventory.changelog import ChangeLogEntry
from inventory.history_values import Reading, secret, shown
from inventory.models import Scenario

ACTIONS = {"create": "Created", "update": "Changed", "delete": "Deleted"}


@dataclass(frozen=True)
class ReadableField:
    """One changed field: its label, and its value before and after, as text."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ReadableEntry:
    """One change log entry with its action in words and its visible fields in column order."""

    entry: ChangeLogEntry
    action: str
    fields: list[ReadableField]


class _Names:
    """Names of referenced records, loaded in one query per table."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.names: dict[tuple[str, int], str] = {}

    def load(self, wanted: dict[str, set[int]]) -> None:
        """Look up every (table, id) wanted; removed records keep their last logged name."""
        for table, ids in wanted.items():
            mapper = known.mapper_of(table)
            if mapper is not None:
                model = mapper.class_
                for record in self.session.scalars(select(model).where(model.id.in_(ids))):
                    self.names[table, record.id] = _name_of(record)
            missing = [i for i in ids if (table, i) not in self.names]
            if missing:
                last = select(ChangeLogEntry.object_id, ChangeLogEntry.object_label).where(
                    ChangeLogEntry.object_type == table, ChangeLogEntry.object_id.in_(missing)
                )
                for object_id, label in self.session.execute(last.order_by(ChangeLogEntry.id)):
                    self.names[table, object_id] = label

    def name(self, table: str, record_id: Any) -> str:
        """The record's name, or its table and number when nothing names it."""
        if not isinstance(record_id, int):
            return str(record_id)
        found = self.names.get((table, record_id))
        return found or f"{table.replace('_', ' ').rstrip('s')} {record_id} (removed)"


def _name_of(record: Any) -> str:
    """How a referenced record is named: a site by name and code, others by their log label."""
    if hasattr(record, "code") and type(record).__tablename__ == "sites":
        return f"{record.name} ({record.code})"
    if hasattr(record, "audit_label"):
        return record.audit_label()
    return f"{type(record).__tablename__.replace('_', ' ').rstrip('s')} {record.id}"


def _visible(entry: ChangeLogEntry) -> list[tuple[str, Sequence[Any]]]:
    """The entry's fields worth showing, in column order."""
    hidden = known.HIDDEN.get(entry.object_type, set())
    order = known.field_order(entry.object_type)
    pairs = [(key, pair) for key, pair in (entry.changes or {}).items() if key not in hidden]
    return sorted(pairs, key=lambda item: (order.get(item[0], len(order)), item[0]))


def _wanted_names(entries: Iterable[ChangeLogEntry]) -> dict[str, set[int]]:
    """Every referenced (table, id) in the entries."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        for key, pair in _visible(entry):
            kind, table = known.kind_of(entry.object_type, key)
            if kind == "ref":
                ids = {value for value in pair if isinstance(value, int)}
                wanted.setdefault(table, set()).update(ids)
    return wanted


def _scenario_of(session: Session, entry: ChangeLogEntry) -> Scenario | None:
    """The scenario whose months the entry counts in (its own, or the one it belongs to)."""
    if entry.object_type == "scenarios":
        return session.get(Scenario, entry.object_id)
    pair = (entry.changes or {}).get("scenario_id")
    scenario_id = next((v for v in (pair or []) if isinstance(v, int)), None)
    mapper = known.mapper_of(entry.object_type)
    if scenario_id is None and mapper is not None and "scenario_id" in mapper.columns:
        record = session.get(mapper.class_, entry.object_id)
        scenario_id = getattr(record, "scenario_id", None)
    return session.get(Scenario, scenario_id) if scenario_id is not None else None


def readable_history(session: Session, entries: Sequence[ChangeLogEntry]) -> list[ReadableEntry]:
    """The entries in people's words; a change of bookkeeping fields only is left out."""
    names = _Names(session)
    names.load(_wanted_names(entries))
    readable = []
    for entry in entries:
        reading = Reading(names, _scenario_of(session, entry))
        fields = []
        for key, pair in _visible(entry):
            kind, extra = known.kind_of(entry.object_type, key)
            if kind == "secret":
                before, after = secret(pair)
            else:
                before, after = (shown(kind, extra, value, reading) for value in pair[:2])
            fields.append(ReadableField(known.label_of(entry.object_type, key), before, after))
        if fields or entry.action != "update":
            readable.append(ReadableEntry(entry, ACTIONS.get(entry.action, entry.action), fields))
    return readable
