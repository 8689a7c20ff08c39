"""The signed-in user's uploads, as the import pages use them (the rules are in
`inventory.imports.uploads`)."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app
from flask_login import current_user

from app.db import get_session
from inventory.imports.uploads import find_upload, store_upload
from inventory.models import ImportUpload


def keep_for() -> dt.timedelta:
    """How long an upload waits for its import (ROLLOUT_UPLOAD_MAX_AGE_HOURS)."""
    return dt.timedelta(hours=int(current_app.config["UPLOAD_MAX_AGE_HOURS"]))


def save_upload(*, kind: str, filename: str, data: bytes) -> ImportUpload:
    """Keep the signed-in user's file within their allowance (ROLLOUT_UPLOAD_QUOTA_BYTES)."""
    return store_upload(
        get_session(), by=current_user, kind=kind, filename=filename, data=data,
        quota_bytes=int(current_app.config["UPLOAD_QUOTA_BYTES"]), keep_for=keep_for(),
    )  # fmt: skip


def own_upload_or_404(token: str) -> ImportUpload:
    """The signed-in user's upload with this token; 404 for anyone else's, an unknown or an
    expired one."""
    upload = find_upload(get_session(), owner_id=current_user.id, token=token)
    if upload is None:
        abort(404)
    return upload
