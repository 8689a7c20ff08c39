"""Forms of the account page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from inventory.operations.api_tokens import MAX_NAME


class TokenForm(FlaskForm):
    """A new personal API token: what will use it, and optionally the last day it works."""

    name = StringField(
        "Name",
        validators=[DataRequired("Give the token a name."), Length(max=MAX_NAME)],
    )
    expires_at = DateField(
        "Valid until (optional)",
        validators=[Optional()],
        format="%Y-%m-%d",
    )
