"""Planning pages: upgrades (being built)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("upgrades", __name__, url_prefix="/planning/catalogue")
