"""Uploaded files kept on the server between the preview and the import.

Each upload lives in the instance folder under a random token and the uploader's user id;
requests name only the token, and a user can open only their own uploads, so no path ever
comes from the client. Old uploads are removed when new ones arrive.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")
MAX_AGE_SECONDS = 24 * 3600


@dataclass
class Upload:
    """What we know about an uploaded file: its kind, name and the mapping chosen so far."""

    token: str
    user_id: int
    kind: str
    filename: str
    columns: dict[str, str | None] | None = None
    size: int = 0
    defaults: dict[str, str] | None = None  # values for blank cells, for the whole file
    sheet: str | None = None  # the workbook's sheet to read; None: the first visible one


def upload_folder(instance_path: str) -> Path:
    """The folder holding uploads, created on first use."""
    folder = Path(instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _paths(folder: Path, user_id: int, token: str) -> tuple[Path, Path]:
    """The data and details files of one upload."""
    if not TOKEN_PATTERN.match(token):
        raise FileNotFoundError(token)
    stem = f"u{int(user_id)}-{token}"
    return folder / f"{stem}.bin", folder / f"{stem}.json"


def save_upload(
    instance_path: str, *, user_id: int, kind: str, filename: str, data: bytes
) -> Upload:
    """Keep an uploaded file under a new token; old uploads are cleaned up."""
    folder = upload_folder(instance_path)
    remove_old_uploads(folder)
    upload = Upload(
        secrets.token_hex(16), user_id, kind, Path(filename).name[:200], None, len(data)
    )
    data_path, _ = _paths(folder, user_id, upload.token)
    data_path.write_bytes(data)
    save_details(instance_path, upload)
    return upload


def save_details(instance_path: str, upload: Upload) -> None:
    """Store the upload's kind, name and mapping."""
    _, details_path = _paths(upload_folder(instance_path), upload.user_id, upload.token)
    details_path.write_text(json.dumps(asdict(upload)), encoding="utf-8")


def load_upload(instance_path: str, *, user_id: int, token: str) -> tuple[Upload, bytes]:
    """The user's upload with this token; FileNotFoundError when there is none."""
    data_path, details_path = _paths(upload_folder(instance_path), user_id, token)
    details: dict[str, Any] = json.loads(details_path.read_text(encoding="utf-8"))
    known = Upload.__dataclass_fields__
    return Upload(**{k: v for k, v in details.items() if k in known}), data_path.read_bytes()


def delete_upload(instance_path: str, *, user_id: int, token: str) -> None:
    """Remove an upload once it has been imported."""
    for path in _paths(upload_folder(instance_path), user_id, token):
        path.unlink(missing_ok=True)


def remove_old_uploads(folder: Path, *, now: float | None = None) -> int:
    """Delete uploads older than a day; return how many files were removed."""
    cutoff = (now or time.time()) - MAX_AGE_SECONDS
    removed = 0
    for path in folder.glob("u*-*.*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
