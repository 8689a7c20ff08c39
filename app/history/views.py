"""The change log of one object: who changed what, when, from what to what."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from app.db import get_session
from app.security import DISTRICT_READERS, role_required
from inventory.changelog import history_query
from inventory.enums import Role

bp = Blueprint("history", __name__, url_prefix="/history")

# Which object types' histories each role may read. Site administrators read histories through
# their own site pages (added with those pages), never by typing an object id here.
READABLE_TYPES = {
    Role.ADMIN: None,  # everything
    Role.STAFF: {"regions", "sites", "assets", "asset_models", "manufacturers", "systems"},
    Role.PLANNER: {"regions", "sites", "assets", "asset_models", "manufacturers", "systems"},
    Role.PMO: {"regions", "sites", "assets", "asset_models", "manufacturers", "systems"},
}


@bp.route("/<string:object_type>/<int:object_id>")
@role_required(*DISTRICT_READERS)
def detail(object_type: str, object_id: int) -> str:
    """Every recorded change of the object, newest first."""
    allowed = READABLE_TYPES[current_user.role]
    if allowed is not None and object_type not in allowed:
        abort(404)
    entries = get_session().scalars(history_query(object_type, object_id).limit(500)).all()
    if not entries:
        abort(404)
    return render_template(
        "history/detail.html", entries=entries, object_type=object_type, object_id=object_id
    )
