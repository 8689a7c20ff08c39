"""Calendar feeds: the published plan as iCalendar, per user, behind a secret token."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
