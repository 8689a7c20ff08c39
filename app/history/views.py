"""The change log of one object: who changed what, when, from what to what, in people's words.

`readable_history(entries)` is available to every template, so each page that shows a history
(this one, an asset's, a site's) shows it through history/_table.html the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, abort, render_template
from flask_login import current_user

from app.db import get_session
from app.security import DISTRICT_READERS, role_required
from inventory.changelog import ChangeLogEntry, history_query
from inventory.enums import Role
from inventory.history_format import ReadableEntry
from inventory.history_format import readable_history as _readable

bp = Blueprint("history", __name__, url_prefix="/history")


@bp.app_template_global()
def readable_history(entries: Sequence[ChangeLogEntry]) -> list[ReadableEntry]:
    """The entries with labels and values as people read them (names, dollars, dates)."""
    return _readable(get_session(), entries)


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
