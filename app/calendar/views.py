"""Calendar feeds: the published plan as iCalendar, per user, behind a secret token.

Calendar apps cannot sign in, so the feed's address carries a secret token and is served to
anyone who has it. A wrong, guessed, revoked or disabled-account token is the same 404; the
address is shown once, on the page that answers "make a feed", and never again.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from app.calendar.ics import feed_calendar, uid_domain
from app.calendar.panel import feed_panel
from app.db import get_session
from app.planning.decisions import safe_next
from inventory.operations.calendar_feeds import create_feed, revoke_feed, user_for_token
from inventory.queries.published import district_baselines

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


@bp.route("/<token>.ics")
def feed(token: str) -> Response:
    """The feed of the user this token belongs to (no sign-in: the token is the credential)."""
    session = get_session()
    user = user_for_token(session, token)
    session.commit()  # the last use, in its own short transaction, before the long read
    if user is None:
        abort(404)
    body = feed_calendar(session, user, domain=uid_domain())
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="rollout.ics"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/")
@login_required
def index() -> str:
    """The user's feed panel, with what it covers now."""
    baselines = district_baselines(get_session())
    return render_template(
        "calendar/index.html", feed_panel=feed_panel(current_user), baselines=baselines
    )


@bp.route("/feed", methods=["POST"])
@login_required
def create() -> str:
    """Make (or remake) the user's feed and show its address, this once only."""
    session = get_session()
    _feed, token = create_feed(session, current_user)
    session.commit()
    address = url_for("calendar.feed", token=token, _external=True)
    return render_template(
        "calendar/created.html",
        address=address,
        webcal=address.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        back=safe_next(request.form.get("next"), url_for("calendar.index")),
    )


@bp.route("/feed/revoke", methods=["POST"])
@login_required
def revoke() -> BaseResponse:
    """Stop the user's feed: its address answers 404 from now on."""
    session = get_session()
    stopped = revoke_feed(session, current_user)
    session.commit()
    if stopped:
        flash("Your calendar feed is stopped: its address no longer works.", "success")
    else:
        flash("You had no calendar feed to stop.", "info")
    return redirect(safe_next(request.form.get("next"), url_for("calendar.index")))
