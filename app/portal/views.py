"""My site: what the published plan does at a site administrator's own sites."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")
