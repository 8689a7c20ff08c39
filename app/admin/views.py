"""Administrators manage user accounts: list, create, edit, reset password; and everyone's
personal API tokens: list and revoke."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields import SelectChoice

from app.admin.forms import EditUserForm, NewUserForm, PasswordForm
from app.db import get_or_404, get_session
from app.forms import choices
from app.pages import form_page, int_arg, show_error
from app.security import role_required
from inventory.base import utcnow
from inventory.enums import Role
from inventory.errors import DomainError, NotFound, StaleEdit
from inventory.models import Site, User
from inventory.operations.api_tokens import revoke_token as revoke_api_token
from inventory.operations.api_tokens import user_tokens
from inventory.operations.users import create_user, set_password, update_user

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The fields of the edit form, as a stale save's comparison names them.
LABELS = {"full_name": "Full name", "email": "E-mail", "phone": "Phone", "role": "Role",
          "sites": "Sites", "is_active": "Can sign in"}  # fmt: skip


def _site_choices() -> list[SelectChoice]:
    """Every site, for the site administrator's scope."""
    rows = get_session().execute(select(Site.id, Site.code, Site.name).order_by(Site.code))
    return choices((site_id, f"{code} - {name}") for site_id, code, name in rows)


def _sites(site_ids: list[int]) -> list[Site]:
    """The chosen sites."""
    return list(get_session().scalars(select(Site).where(Site.id.in_(site_ids or []))))


@bp.route("/users")
@role_required(Role.ADMIN)
def users() -> str:
    """Every account with its role and state."""
    rows = get_session().scalars(select(User).order_by(User.username)).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create() -> str | Response:
    """Open a new account."""
    form = NewUserForm()
    form.site_ids.choices = _site_choices()
    return form_page(
        form, title="New account", cancel_url=url_for("admin.users"),
        save=lambda: create_user(
            get_session(), by=current_user, username=form.username.data,
            password=form.password.data, role=Role(form.role.data),
            full_name=form.full_name.data or "", email=form.email.data,
            phone=form.phone.data, sites=_sites(form.site_ids.data),
        ),
        done=lambda _user: url_for("admin.users"),
        message=lambda user: f"Account {user.username} created.",
        template="admin/user_form.html", user=None,
    )  # fmt: skip


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(user_id: int) -> str | Response:
    """Change an account's details, role, sites or state; a save over someone else's newer
    save is refused and shows what they changed, keeping what this administrator typed."""
    user = get_or_404(User, user_id)
    form = EditUserForm(obj=user, data={"site_ids": sorted(user.site_ids), "role": user.role.value})
    form.site_ids.choices = _site_choices()
    differences: list[tuple[str, str, str]] = []
    if form.validate_on_submit():
        session = get_session()
        try:
            update_user(
                session, user, by=current_user, full_name=form.full_name.data or "",
                email=form.email.data, phone=form.phone.data or "", role=Role(form.role.data),
                sites=_sites(form.site_ids.data), is_active=form.is_active.data,
                expected_version=_version(form.version.data),
            )  # fmt: skip
        except StaleEdit as error:
            session.rollback()
            flash(error.message, "danger")
            differences = _stale(form, user)
        except DomainError as error:
            session.rollback()
            show_error(form, error)
        else:
            session.commit()
            flash(f"Account {user.username} saved.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, title=f"Edit {user.username}",
                           user=user, differences=differences)  # fmt: skip


def _version(value: object) -> int | None:
    """The version the form was read at (None if the form did not carry one)."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() else None


def _stale(form: EditUserForm, user: User) -> list[tuple[str, str, str]]:
    """After a refused save: (field, saved now, typed) for each field that differs; the form
    then carries the saved version, so saving again is a deliberate overwrite."""
    get_session().refresh(user)
    form.version.data = str(user.version)
    site_labels = {choice.value: choice.label for choice in form.site_ids.choices}
    saved = {"full_name": user.full_name, "email": user.email, "phone": user.phone,
             "role": user.role.label,
             "sites": [f"{site.code} - {site.name}" for site in user.sites],
             "is_active": user.is_active}  # fmt: skip
    typed = {"full_name": (form.full_name.data or "").strip(), "email": form.email.data,
             "phone": (form.phone.data or "").strip() or None,
             "role": Role(form.role.data).label, "is_active": form.is_active.data,
             "sites": [site_labels.get(site_id, "") for site_id in sorted(form.site_ids.data)]
             if form.role.data == Role.SITE_ADMIN.value else []}  # fmt: skip
    return [(label, _shown(saved[name]), _shown(typed[name])) for name, label in LABELS.items()
            if _shown(saved[name]) != _shown(typed[name])]  # fmt: skip


def _shown(value: object) -> str:
    """A value as the comparison shows it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(sorted(value))
    return str(value)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def password(user_id: int) -> str | Response:
    """Give an account a new password, signing it out everywhere."""
    user = get_or_404(User, user_id)
    form = PasswordForm()
    return form_page(
        form, title=f"Password of {user.username}", cancel_url=url_for("admin.users"),
        save=lambda: set_password(get_session(), user, by=current_user,
                                  password=form.password.data),
        done=lambda _result: url_for("admin.users"),
        message=lambda _result: f"Password of {user.username} changed.",
        template="admin/password.html", user=user,
    )  # fmt: skip


@bp.route("/tokens")
@role_required(Role.ADMIN)
def tokens() -> str:
    """Everyone's API tokens (or one user's: ?user=<id>), newest first."""
    session = get_session()
    user_id = int_arg("user")
    rows = user_tokens(session, user_id)
    everyone = session.scalars(select(User).order_by(User.username)).all()
    return render_template("admin/tokens.html", tokens=rows, users=everyone,
                           user_id=user_id, now=utcnow())  # fmt: skip


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@role_required(Role.ADMIN)
def revoke_token(token_id: int) -> Response:
    """Revoke anyone's token, recording which administrator did it."""
    session = get_session()
    try:
        row = revoke_api_token(session, token_id, by=current_user)
    except NotFound:
        abort(404)
    session.commit()
    flash(f"Token “{row.name}” of {row.user.username} revoked: it no longer works.", "success")
    user_id = request.form.get("user", "")
    kept = (
        {"user": int(user_id)}
        if user_id.isascii() and user_id.isdigit() and len(user_id) < 12
        else {}
    )
    return redirect(url_for("admin.tokens", **kept))
