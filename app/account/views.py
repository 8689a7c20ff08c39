"""The account page: the user's name, role and sites, and their personal API tokens (made
here, shown once, revoked here)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.account.forms import TokenForm
from app.db import get_session
from app.pages import show_error
from app.security import EVERYONE, role_required
from inventory.base import utcnow
from inventory.errors import DomainError, NotFound
from inventory.operations.api_tokens import (
    create_token,
    expiry_at_end_of,
    revoke_token,
    user_tokens,
)

bp = Blueprint("account", __name__, url_prefix="/account")
FIRST_API_PATH = "/api/v1/sites"  # the example request shown with a new token


@bp.route("/")
@role_required(*EVERYONE)
def index() -> str:
    """Who the user is and their tokens, with the form to make one."""
    return _page(TokenForm())


@bp.route("/tokens", methods=["POST"])
@role_required(*EVERYONE)
def create() -> str:
    """Make a token and show it, once, on this response only: it is never flashed (the flash
    would travel in the session cookie) nor stored anywhere but as its hash."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form)
    session = get_session()
    expires_at = expiry_at_end_of(form.expires_at.data) if form.expires_at.data else None
    try:
        row, token = create_token(
            session, current_user, name=form.name.data or "", expires_at=expires_at
        )
    except DomainError as error:
        session.rollback()
        show_error(form, error)
        return _page(form)
    session.commit()
    example_url = url_for("main.index", _external=True).rstrip("/") + FIRST_API_PATH
    return render_template("account/token_created.html", row=row, token=token,
                           example_url=example_url)  # fmt: skip


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@role_required(*EVERYONE)
def revoke(token_id: int) -> Response:
    """Revoke one of the user's own tokens (anyone else's is a 404); CSRFProtect checks the
    form's token, as for every POST."""
    session = get_session()
    try:
        row = revoke_token(session, token_id, by=current_user, owner_id=current_user.id)
    except NotFound:
        abort(404)
    session.commit()
    flash(f"Token “{row.name}” revoked: it no longer works.", "success")
    return redirect(url_for("account.index"))


def _page(form: TokenForm) -> str:
    """The account page with this form (empty, or with its errors)."""
    tokens = user_tokens(get_session(), current_user.id)
    return render_template("account/index.html", form=form, tokens=tokens, now=utcnow())
