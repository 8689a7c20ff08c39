"""The home page: a short overview for every role."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.db import get_session
from inventory.enums import Role
from inventory.models import Region, Site, User

bp = Blueprint("main", __name__)


@bp.route("/")
def index() -> Response:
    """Send visitors to sign in, and signed-in users to their home page."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.login"))


@bp.route("/home")
@login_required
def home() -> str:
    """Counts that orient the user; a site administrator sees their own sites."""
    session = get_session()
    if current_user.role is Role.SITE_ADMIN:
        return render_template("main/site_home.html", sites=current_user.sites)
    counts = {
        "Regions": session.scalar(select(func.count(Region.id))),
        "Sites": session.scalar(select(func.count(Site.id))),
        "Users": session.scalar(select(func.count(User.id)).where(User.is_active)),
    }
    return render_template("main/home.html", counts=counts)


@bp.route("/healthz")
def health() -> tuple[str, int]:
    """A probe for load balancers: the app answers and the database is reachable."""
    get_session().execute(select(1))
    return "ok", 200
