"""Forms for systems, manufacturers and asset models: shape only, the operations check rules."""

from __future__ import annotations

from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.pages import VersionedForm, dollar_amount, optional_int
from inventory.operations.catalog import MAX_ITEM_COST_CENTS


class SystemForm(VersionedForm):
    """An infrastructure system."""

    code = StringField("Code", validators=[DataRequired(), Length(max=32)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    default_useful_life_years = IntegerField(
        "Default useful life (years)", validators=[DataRequired(), NumberRange(min=1, max=50)]
    )


class ManufacturerForm(VersionedForm):
    """A manufacturer's name."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])


class ModelForm(VersionedForm):
    """An asset model; cost in dollars. Manufacturer and system are chosen from the active ones
    (and the model's own), never pre-selected for a new model."""

    manufacturer_id = SelectField(
        "Manufacturer", coerce=optional_int, choices=[],
        validators=[InputRequired("Choose a manufacturer.")],
    )  # fmt: skip
    part_number = StringField("Part number", validators=[DataRequired(), Length(max=120)])
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    system_id = SelectField(
        "System", coerce=optional_int, choices=[], validators=[InputRequired("Choose a system.")]
    )
    useful_life_years = IntegerField(
        "Useful life (years; blank: the system's default)",
        validators=[Optional(), NumberRange(min=1, max=50)],
    )
    end_of_sale_on = DateField("End of sale", validators=[Optional()])
    end_of_support_on = DateField("End of support", validators=[Optional()])
    unit_cost = DecimalField(
        "Unit cost ($)", places=2,
        validators=[Optional(), dollar_amount("Unit cost", MAX_ITEM_COST_CENTS)],
    )  # fmt: skip
