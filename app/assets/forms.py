"""The asset form: shape only; the operation checks tags, dates and references."""

from __future__ import annotations

from wtforms import DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import enum_choices
from app.pages import VersionedForm, dollar_amount
from inventory.models import AssetStatus
from inventory.operations.catalog import MAX_ITEM_COST_CENTS


class AssetForm(VersionedForm):
    """One asset; cost in dollars. Site and model are typed (a code, a part number) or picked
    from suggestions; neither is chosen for the user."""

    tag = StringField("Asset tag", validators=[DataRequired(), Length(max=64)])
    serial = StringField("Serial number", validators=[Optional(), Length(max=128)])
    site = StringField("Site", validators=[DataRequired("Choose a site."), Length(max=300)])
    model = StringField("Model", validators=[DataRequired("Choose a model."), Length(max=300)])
    location = StringField("Room or closet", validators=[Optional(), Length(max=120)])
    status = SelectField(
        "Status", choices=enum_choices(AssetStatus), default=AssetStatus.IN_SERVICE.value,
        validators=[DataRequired()],
    )  # fmt: skip
    installed_on = DateField("Install date", validators=[Optional()])
    cost = DecimalField(
        "Cost ($)", places=2, validators=[Optional(), dollar_amount("Cost", MAX_ITEM_COST_CENTS)]
    )
    warranty_end_on = DateField("Warranty end", validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=10_000)])
