"""Planning pages: scenarios (being built)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("scenarios", __name__, url_prefix="/planning/scenarios")
