"""The published SEP: the plan document and the monthly schedule (web, PDF, xlsx)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sep", __name__, url_prefix="/sep")
