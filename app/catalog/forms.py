"""Forms for systems, manufacturers and asset models."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.pages import optional_int


class SystemForm(FlaskForm):
    """An infrastructure system."""

    code = StringField("Code", validators=[DataRequired(), Length(max=32)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    default_useful_life_years = IntegerField(
        "Default useful life (years)", validators=[DataRequired(), NumberRange(min=1, max=50)]
    )


class ManufacturerForm(FlaskForm):
    """A manufacturer's name."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])


class ModelForm(FlaskForm):
    """An asset model; cost in dollars."""

    manufacturer_id = SelectField("Manufacturer", coerce=optional_int, choices=[])
    part_number = StringField("Part number", validators=[DataRequired(), Length(max=120)])
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    system_id = SelectField("System", coerce=optional_int, choices=[])
    useful_life_years = IntegerField(
        "Useful life (years; blank: the system's default)",
        validators=[Optional(), NumberRange(min=1, max=50)],
    )
    end_of_sale_on = DateField("End of sale", validators=[Optional()])
    end_of_support_on = DateField("End of support", validators=[Optional()])
    unit_cost = DecimalField("Unit cost ($)", places=2, validators=[Optional(), NumberRange(min=0)])
