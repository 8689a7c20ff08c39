"""The asset form: shape only; the operation checks tags, dates and references."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import enum_choices
from app.pages import optional_int
from inventory.models import AssetStatus


class AssetForm(FlaskForm):
    """One asset; cost in dollars."""

    tag = StringField("Asset tag", validators=[DataRequired(), Length(max=64)])
    serial = StringField("Serial number", validators=[Optional(), Length(max=128)])
    model_id = SelectField("Model", coerce=optional_int, choices=[])
    site_id = SelectField("Site", coerce=optional_int, choices=[])
    location = StringField("Room or closet", validators=[Optional(), Length(max=120)])
    status = SelectField("Status", choices=enum_choices(AssetStatus), validators=[DataRequired()])
    installed_on = DateField("Install date", validators=[Optional()])
    cost = DecimalField("Cost ($)", places=2, validators=[Optional(), NumberRange(min=0)])
    warranty_end_on = DateField("Warranty end", validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=10_000)])
