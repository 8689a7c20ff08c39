"""Planning pages: plans (being built)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/planning/plans")
