"""The home page: a short overview for every role."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.auth.views import landing_page
from app.db import get_session
from inventory.enums import Role
from inventory.models import Region, User
from inventory.queries.overview import inventory_overview

bp = Blueprint("main", __name__)


@bp.route("/")
def index() -> Response:
    """Send visitors to sign in, and signed-in users to their home page (a site
    administrator's is My site)."""
    if current_user.is_authenticated:
        return redirect(landing_page())
    return redirect(url_for("auth.login"))


@bp.route("/home")
@login_required
def home() -> str:
    """The inventory at a glance (end of life due, replacement cost, warranties ending), for
    the whole district, or for a site administrator's own sites; a figure with a list behind
    it opens that list, which shows the same number."""
    session = get_session()
    overview = inventory_overview(session, current_user, today=dt.date.today())
    if current_user.role is Role.SITE_ADMIN:
        return render_template("main/site_home.html", sites=current_user.sites, overview=overview)
    counts = [
        ("Regions", session.scalar(select(func.count(Region.id))), None),
        ("Sites", overview.sites, url_for("sites.index")),
        ("Assets", overview.assets, url_for("assets.index")),
    ]
    if current_user.role is Role.ADMIN:
        active = session.scalar(select(func.count(User.id)).where(User.is_active))
        counts.append(("Active users", active, None))
    return render_template("main/home.html", counts=counts, overview=overview)


@bp.route("/healthz")
def health() -> tuple[str, int]:
    """A probe for load balancers: the app answers and the database is reachable."""
    get_session().execute(select(1))
    return "ok", 200
