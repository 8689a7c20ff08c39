"""Forms for managing user accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.forms import enum_choices
from inventory.enums import Role
from inventory.passwords import MIN_PASSWORD_LENGTH


class UserForm(FlaskForm):
    """A user's details, role and sites."""

    full_name = StringField("Full name", validators=[Optional(), Length(max=120)])
    email = StringField("E-mail", validators=[Optional(), Email(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    role = SelectField("Role", choices=enum_choices(Role), validators=[DataRequired()])
    site_ids = SelectMultipleField("Sites (site administrators only)", coerce=int, choices=[])
    is_active = BooleanField("Can sign in", default=True)


class EditUserForm(UserForm):
    """An account's details as they were when the form was opened (its version)."""

    version = HiddenField()


class NewUserForm(UserForm):
    """A new account: also a user name and a first password."""

    username = StringField("User name", validators=[DataRequired(), Length(min=2, max=80)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        "Repeat password", validators=[EqualTo("password", message="The passwords differ.")]
    )


class PasswordForm(FlaskForm):
    """A new password for a user."""

    password = PasswordField(
        "New password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        "Repeat password", validators=[EqualTo("password", message="The passwords differ.")]
    )
