"""The change log: every create, update and delete of an audited model, in the same transaction.

Models opt in by inheriting `Audited`. Operations name the acting user with `set_actor`; a
listener on every flush then writes who, when, which object, and each changed field's value
before and after, through the flushing connection, so the entry commits or rolls back with the
change itself.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.orm.attributes import History

from inventory.base import Base, utcnow

REDACTED = "(changed)"
NOT_AUDITED = {"id", "created_at", "updated_at", "last_login_at", "version"}


class Audited:
    """Marks a model whose changes are written to the change log."""

    __audit_redact__: frozenset[str] = frozenset()
    __audit_skip__: frozenset[str] = frozenset()  # bulky columns the history leaves out
    __audit_collections__: tuple[str, ...] = ()

    def audit_label(self) -> str:
        """How the object is named in its history; models override this."""
        return str(getattr(self, "id", ""))


class ChangeLogEntry(Base):
    """One create, update or delete of one object: who, when, and the fields before and after."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_name: Mapped[str] = mapped_column(String(120))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int] = mapped_column()
    object_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(10))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<ChangeLogEntry {self.action} {self.object_type}#{self.object_id}>"


def set_actor(session: Session, user: Any | None) -> None:
    """Name the user whose changes the session is about to flush (None: the system)."""
    session.info["actor"] = user


def object_type_of(obj: Any) -> str:
    """The name under which an object's history is filed: its table name."""
    return type(obj).__tablename__


def history_query(object_type: str, object_id: int):
    """The change log of one object, newest first."""
    return (
        select(ChangeLogEntry)
        .where(ChangeLogEntry.object_type == object_type, ChangeLogEntry.object_id == object_id)
        .order_by(ChangeLogEntry.changed_at.desc(), ChangeLogEntry.id.desc())
    )


def install_change_log(factory: sessionmaker[Session]) -> None:
    """Make every session of the factory write the change log when it flushes."""
    event.listen(factory, "after_flush", _write_entries)


def _write_entries(session: Session, _flush_context: Any) -> None:
    """Turn the flush's new, dirty and deleted audited objects into change log rows."""
    rows = []
    for obj in session.new:
        if isinstance(obj, Audited):
            rows.append(_row(session, obj, "create", _changes(obj, "create")))
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj):
            changes = _changes(obj, "update")
            if changes:
                rows.append(_row(session, obj, "update", changes))
    for obj in session.deleted:
        if isinstance(obj, Audited):
            rows.append(_row(session, obj, "delete", _changes(obj, "delete")))
    if rows:
        session.connection().execute(ChangeLogEntry.__table__.insert(), rows)


def _row(session: Session, obj: Audited, action: str, changes: dict[str, Any]) -> dict[str, Any]:
    """One change log row for an object."""
    actor = session.info.get("actor")
    return {
        "changed_at": utcnow(),
        "actor_id": getattr(actor, "id", None),
        "actor_name": getattr(actor, "username", None) or "system",
        "object_type": object_type_of(obj),
        "object_id": obj.id,  # type: ignore[attr-defined]
        "object_label": obj.audit_label()[:200],
        "action": action,
        "changes": changes,
    }


def _changes(obj: Audited, action: str) -> dict[str, list[Any]]:
    """Each changed field as [before, after]; secrets are recorded only as changed."""
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for column_attr in state.mapper.column_attrs:
        key = column_attr.key
        if key in NOT_AUDITED or key in obj.__audit_skip__:
            continue
        pair = _pair(state.attrs[key].history, action, state.attrs[key].value)
        if pair is not None:
            changes[key] = _redact(key, pair, obj)
    for key in obj.__audit_collections__:
        pair = _collection_pair(state.attrs[key].history, action)
        if pair is not None:
            changes[key] = pair
    return changes


def _pair(history: History, action: str, current: Any) -> list[Any] | None:
    """[before, after] of one column for the action, or None when it did not change."""
    if action == "create":
        return None if current is None else [None, _plain(current)]
    if action == "delete":
        before = history.deleted[0] if history.deleted else current
        return None if before is None else [_plain(before), None]
    if not history.has_changes():
        return None
    before = history.deleted[0] if history.deleted else None
    after = history.added[0] if history.added else None
    if before == after:
        return None
    return [_plain(before), _plain(after)]


def _collection_pair(history: History, action: str) -> list[Any] | None:
    """[before, after] of a collection, as sorted labels, or None when it did not change."""
    if action == "update" and not history.has_changes():
        return None
    unchanged = [_label(item) for item in history.unchanged]
    before = sorted(unchanged + [_label(item) for item in history.deleted])
    after = sorted(unchanged + [_label(item) for item in history.added])
    if action == "create":
        before = []
    if action == "delete":
        after = []
    return None if before == after else [before, after]


def _label(item: Any) -> str:
    """A related object's name in a collection change."""
    return item.audit_label() if isinstance(item, Audited) else str(item)


def _redact(key: str, pair: list[Any], obj: Audited) -> list[Any]:
    """Hide the values of secret fields, keeping the fact that they changed."""
    if key in obj.__audit_redact__:
        return [None if pair[0] is None else REDACTED, None if pair[1] is None else REDACTED]
    return pair


def _plain(value: Any) -> Any:
    """A value as JSON can hold it."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
