"""Progress and cancel for running jobs on SQLite, kept in small files beside the database.

SQLite has a single writer. A job that writes in one long transaction (a big import, which must
be all-or-nothing) holds that lock until it commits, so it cannot record its own progress in the
jobs table, and the user's cancel would wait for the lock. On SQLite the embedded worker runs on
the web app's machine and shares its instance folder, so a running job's progress and its
cancel request travel through files there instead; the job row still records how it ended.
PostgreSQL has no such limit: there the row stays the only channel (``side_channel()`` is None).
A progress file's modification time is the job's heartbeat on SQLite. Each database gets its
own folder, so two databases' jobs with the same id never share files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app


@dataclass(frozen=True)
class SideChannel:
    """The files of running jobs' progress and cancel requests in one folder."""

    folder: Path

    def _path(self, job_id: int, suffix: str) -> Path:
        return self.folder / f"job-{int(job_id)}.{suffix}"

    def write_progress(
        self,
        job_id: int,
        *,
        done: int,
        total: int,
        message: str,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Replace the job's progress atomically (a reader never sees half a file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(job_id, "progress")
        temporary = path.with_suffix(f".tmp{os.getpid()}-{threading.get_ident()}")
        data = {"done": int(done), "total": int(total), "message": message[:500], "detail": detail}
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)

    def read_progress(self, job_id: int) -> dict[str, Any] | None:
        """The job's last progress, or None when it has reported none here."""
        try:
            data = json.loads(self._path(job_id, "progress").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        detail = data.get("detail")
        return {
            "done": int(data.get("done", 0)),
            "total": int(data.get("total", 0)),
            "message": str(data.get("message", "")),
            "detail": detail if isinstance(detail, dict) else None,
        }

    def heartbeat_at(self, job_id: int) -> dt.datetime | None:
        """When the job last reported progress here (UTC), or None."""
        try:
            seconds = self._path(job_id, "progress").stat().st_mtime
        except FileNotFoundError:
            return None
        return dt.datetime.fromtimestamp(seconds, dt.UTC)

    def request_cancel(self, job_id: int) -> None:
        """Ask the running job to stop at its next step."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._path(job_id, "cancel").touch()

    def cancel_requested(self, job_id: int) -> bool:
        """Whether the user asked the job to stop."""
        return self._path(job_id, "cancel").exists()

    def clear(self, job_id: int) -> None:
        """Forget a finished job's files."""
        for suffix in ("progress", "cancel"):
            self._path(job_id, suffix).unlink(missing_ok=True)


def side_channel() -> SideChannel | None:
    """The side channel when the database is SQLite, else None (the job row is enough)."""
    url = str(current_app.config["DATABASE_URL"])
    if not url.startswith("sqlite"):
        return None
    database = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
    return SideChannel(Path(current_app.instance_path) / "jobs" / database)
