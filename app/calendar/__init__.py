"""Calendar feeds: the published plan as iCalendar, per user, behind a secret token."""

from __future__ import annotations

from app.calendar.log_redaction import init_logging

__all__ = ["init_logging"]
