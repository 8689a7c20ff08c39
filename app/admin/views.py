"""Administrators manage user accounts: list, create, edit, reset password."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields import SelectChoice

from app.admin.forms import NewUserForm, PasswordForm, UserForm
from app.db import get_or_404, get_session
from app.forms import choices
from app.pages import form_page
from app.security import role_required
from inventory.enums import Role
from inventory.models import Site, User
from inventory.operations.users import create_user, set_password, update_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


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
            sites=_sites(form.site_ids.data),
        ),
        done=lambda _user: url_for("admin.users"),
        message=lambda user: f"Account {user.username} created.",
        template="admin/user_form.html", user=None,
    )  # fmt: skip


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(user_id: int) -> str | Response:
    """Change an account's details, role, sites or state."""
    user = get_or_404(User, user_id)
    form = UserForm(obj=user, data={"site_ids": sorted(user.site_ids), "role": user.role.value})
    form.site_ids.choices = _site_choices()
    return form_page(
        form, title=f"Edit {user.username}", cancel_url=url_for("admin.users"),
        save=lambda: update_user(
            get_session(), user, by=current_user, full_name=form.full_name.data or "",
            email=form.email.data, role=Role(form.role.data),
            sites=_sites(form.site_ids.data), is_active=form.is_active.data,
        ),
        done=lambda _changed: url_for("admin.users"),
        message=lambda _changed: f"Account {user.username} saved.",
        template="admin/user_form.html", user=user,
    )  # fmt: skip


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
