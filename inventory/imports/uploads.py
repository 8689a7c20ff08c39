"""Uploaded files waiting between their preview and their import, kept in the database so that a
worker on any machine can read them.

An upload is private to its owner and named by a random token; the choices made in its preview
(the columns' fields, values for the whole file, the workbook's sheet) are kept in its details.
Each owner may keep a limited number of bytes; an upload is removed once imported, and every
upload when it expires.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import PurePath
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.errors import InvalidValue
from inventory.models import ImportUpload, User

TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")
CHOICES = ("columns", "defaults", "sheet")


def file_size(size: int) -> str:
    """A size as people read it: "840 bytes", "12.3 KB", "4.5 MB"."""
    if size < 1000:
        return f"{size:,} bytes"
    if size < 1_000_000:
        return f"{size / 1000:,.1f} KB"
    return f"{size / 1_000_000:,.1f} MB"


def store_upload(
    session: Session,
    *,
    by: User,
    kind: str,
    filename: str,
    data: bytes,
    quota_bytes: int,
    keep_for: dt.timedelta,
) -> ImportUpload:
    """Keep an uploaded file for its owner under a new token; expired uploads are removed
    first. Refused when the owner's waiting uploads and this one pass `quota_bytes`."""
    now = utcnow()
    remove_expired_uploads(session, now=now)
    waiting = session.scalar(
        select(func.coalesce(func.sum(ImportUpload.size), 0)).where(ImportUpload.user_id == by.id)
    )
    if waiting + len(data) > quota_bytes:
        raise InvalidValue(
            f"Your files waiting to be imported take {file_size(waiting)}; this one "
            f"({file_size(len(data))}) would pass your {file_size(quota_bytes)} allowance. "
            "Import or discard a waiting file first.",
            field="file",
        )
    upload = ImportUpload(
        token=secrets.token_hex(16), user_id=by.id, kind=kind,
        filename=PurePath(filename.replace("\\", "/")).name[:200] or "upload",
        size=len(data), content=data, details={}, created_at=now, expires_at=now + keep_for,
    )  # fmt: skip
    session.add(upload)
    session.flush()
    return upload


def find_upload(session: Session, *, owner_id: int | None, token: str) -> ImportUpload | None:
    """The owner's upload with this token, if it has not expired; None otherwise."""
    if owner_id is None or not TOKEN_PATTERN.match(token or ""):
        return None
    return session.scalar(
        select(ImportUpload).where(
            ImportUpload.token == token,
            ImportUpload.user_id == owner_id,
            ImportUpload.expires_at > utcnow(),
        )
    )


def waiting_uploads(session: Session, owner: User) -> list[ImportUpload]:
    """The owner's uploads not imported yet, newest first."""
    query = (
        select(ImportUpload)
        .where(ImportUpload.user_id == owner.id, ImportUpload.expires_at > utcnow())
        .order_by(ImportUpload.created_at.desc(), ImportUpload.id.desc())
    )
    return list(session.scalars(query))


def upload_choice(upload: ImportUpload, name: str) -> Any:
    """A choice made in the upload's preview (columns, defaults or sheet), or None."""
    return (upload.details or {}).get(name)


def record_choices(session: Session, upload: ImportUpload, **choices: Any) -> None:
    """Keep choices made in the preview: columns (header → field), defaults, sheet."""
    unknown = set(choices) - set(CHOICES)
    if unknown:
        raise TypeError(f"unknown upload choices: {', '.join(sorted(unknown))}")
    upload.details = {**(upload.details or {}), **choices}
    session.flush()


def discard_upload(session: Session, upload: ImportUpload) -> None:
    """Remove an upload (imported, or no longer wanted)."""
    session.delete(upload)
    session.flush()


def remove_expired_uploads(session: Session, *, now: dt.datetime | None = None) -> int:
    """Delete every expired upload; return how many there were."""
    result = session.execute(
        delete(ImportUpload).where(ImportUpload.expires_at <= (now or utcnow()))
    )
    return result.rowcount or 0
