"""Forms for regions and sites: shape only, the operations check the rules."""

from __future__ import annotations

from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import enum_choices
from app.pages import VersionedForm, optional_int
from inventory.enums import SiteKind, SiteStatus


class RegionForm(VersionedForm):
    """A region's code and name."""

    code = StringField("Code", validators=[DataRequired(), Length(max=32)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])


class SiteForm(VersionedForm):
    """A site's details; the region is chosen from the existing ones (the view refuses an id
    that is not one of them)."""

    code = StringField("Site code", validators=[DataRequired(), Length(max=32)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=enum_choices(SiteKind), validators=[DataRequired()])
    status = SelectField("Status", choices=enum_choices(SiteStatus), validators=[DataRequired()])
    region_id = SelectField("Region", coerce=optional_int, choices=[], validate_choice=False)
    address = StringField("Address", validators=[Optional(), Length(max=200)])
    city = StringField("City", validators=[Optional(), Length(max=100)])
    state = StringField("State", validators=[Optional(), Length(max=32)])
    postal_code = StringField("Postal code", validators=[Optional(), Length(max=16)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    enrollment = IntegerField("Enrollment", validators=[Optional(), NumberRange(min=0)])
    administrator_name = StringField("Administrator", validators=[Optional(), Length(max=120)])
    administrator_email = StringField(
        "Administrator e-mail", validators=[Optional(), Length(max=254)]
    )
    latitude = DecimalField("Latitude", places=6, validators=[Optional()])
    longitude = DecimalField("Longitude", places=6, validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=10_000)])
