"""Sign-in and sign-out pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth.forms import LoginForm
from app.db import get_session
from inventory.enums import Role
from inventory.errors import InvalidCredentials, LoginThrottled
from inventory.operations.authentication import (
    REMEMBERED_FOR,
    ThrottlePolicy,
    authenticate,
    end_login,
    start_login,
)

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _policy() -> ThrottlePolicy:
    """The throttling policy from the configuration."""
    config = current_app.config
    return ThrottlePolicy(
        free_failures=config["LOGIN_THROTTLE_FREE_FAILURES"],
        base_seconds=config["LOGIN_THROTTLE_BASE_SECONDS"],
        max_seconds=config["LOGIN_THROTTLE_MAX_SECONDS"],
    )


def landing_page() -> str:
    """Where a signed-in user starts: a site administrator on My site, others on Home."""
    if current_user.role is Role.SITE_ADMIN and "portal.index" in current_app.view_functions:
        return url_for("portal.index")
    return url_for("main.home")


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after sign-in."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.netloc and not parts.scheme and "\\" not in target:
            return target
    return landing_page()


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Ask for a user name and password; throttle repeated failures."""
    if current_user.is_authenticated:
        return redirect(landing_page())
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        address = request.remote_addr or "unknown"  # the client's, through trusted proxies
        try:
            user = authenticate(
                session,
                username=form.username.data,
                password=form.password.data,
                address=address,
                policy=_policy(),
            )
        except (InvalidCredentials, LoginThrottled) as error:
            session.commit()
            flash(error.message, "danger")
            return render_template("auth/login.html", form=form), 401
        start_login(
            session,
            user,
            remember=form.remember.data,
            address=address,
            user_agent=request.user_agent.string,
        )
        session.commit()
        login_user(user, remember=form.remember.data, duration=REMEMBERED_FOR)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    """Sign out, ending this sign-in for real: a copy of its cookies no longer works (a POST
    with a CSRF token, so no other site can sign a user out)."""
    session = get_session()
    end_login(session, current_user)
    session.commit()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
