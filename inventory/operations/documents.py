"""Prepared files of published plans: keep the newest of each kind, find them again."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from inventory.base import utcnow
from inventory.models import PreparedDocument


def store_document(
    session: Session,
    *,
    plan_id: int,
    kind: str,
    filename: str,
    content: bytes,
    by_id: int | None,
    job_id: int | None,
) -> PreparedDocument:
    """Keep a prepared file as the plan's file of this kind, replacing an earlier one
    (flushes; the caller commits)."""
    document = session.scalar(
        select(PreparedDocument).where(
            PreparedDocument.plan_id == plan_id, PreparedDocument.kind == kind
        )
    )
    if document is None:
        document = PreparedDocument(plan_id=plan_id, kind=kind)
        session.add(document)
    document.filename = filename[:200]
    document.content = content
    document.size = len(content)
    document.created_at = utcnow()
    document.created_by_id = by_id
    document.job_id = job_id
    session.flush()
    return document


def prepared_document(session: Session, plan_id: int, kind: str) -> PreparedDocument | None:
    """The plan's prepared file of this kind, with its content, or None."""
    return session.scalar(
        select(PreparedDocument)
        .options(undefer(PreparedDocument.content))
        .where(PreparedDocument.plan_id == plan_id, PreparedDocument.kind == kind)
    )


def prepared_documents(
    session: Session, plan_ids: Iterable[int]
) -> dict[int, dict[str, PreparedDocument]]:
    """The prepared files of these plans, without their content: {plan id: {kind: file}}."""
    found: dict[int, dict[str, PreparedDocument]] = {}
    ids = list(plan_ids)
    if not ids:
        return found
    query = select(PreparedDocument).where(PreparedDocument.plan_id.in_(ids))
    for document in session.scalars(query):
        found.setdefault(document.plan_id, {})[document.kind] = document
    return found
