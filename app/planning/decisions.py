"""Planning pages: decisions (being built)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("decisions", __name__, url_prefix="/planning")
