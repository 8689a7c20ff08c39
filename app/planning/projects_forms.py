"""Forms of the project pages: shape only (the operations check the rules). Money is typed in
dollars; months are chosen by their labels."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.pages import optional_int
from app.planning.upgrades_forms import MAX_DOLLARS, CheckboxesField

# The edit form's fields as the operation names them, and the labels a stale save shows.
LABELS = {
    "name": "Name", "scope": "Scope", "duration_months": "Months of work", "cost_cents": "Cost",
    "value": "Value", "is_mandatory": "Mandatory", "earliest_month": "Earliest start",
    "latest_month": "Last month of work", "allowed_start_months": "Allowed start months",
    "funding_source": "Funding source", "manager": "Project manager",
}  # fmt: skip


class ProjectForm(FlaskForm):
    """A project's details (the site and upgrade type are fixed once it exists)."""

    name = StringField("Name", validators=[Optional(), Length(max=200)])
    scope = TextAreaField(
        "Scope: the work, in plain words", validators=[Optional(), Length(max=5000)]
    )
    duration_months = IntegerField(
        "Months of work", validators=[Optional(), NumberRange(min=1, max=60)]
    )
    cost = DecimalField(
        "Cost ($)", places=2, validators=[Optional(), NumberRange(min=0, max=MAX_DOLLARS)]
    )
    value = IntegerField("Value", validators=[Optional(), NumberRange(min=0, max=10_000_000)])
    is_mandatory = BooleanField("Mandatory: every plan must schedule it")
    earliest_month = SelectField("Earliest start", coerce=optional_int, choices=[])
    latest_month = SelectField("Last month it may still be under way", coerce=optional_int,
                               choices=[])  # fmt: skip
    allowed_start_months = CheckboxesField("Only start in these months", coerce=int, choices=[])
    funding_source_id = SelectField("Funding source", coerce=optional_int, choices=[])
    manager_id = SelectField("Project manager", coerce=optional_int, choices=[])
    version = HiddenField()


class NewProjectForm(ProjectForm):
    """A project added by hand: where, which upgrade, and what the catalogue should price."""

    site = StringField("Site (code or name)", validators=[DataRequired(), Length(max=200)])
    upgrade_type_id = SelectField("Upgrade", coerce=optional_int, choices=[])
    assets_replaced = IntegerField(
        "Assets it replaces", default=0, validators=[Optional(), NumberRange(min=0, max=100_000)]
    )
    assets_added = IntegerField(
        "Assets it adds", default=0, validators=[Optional(), NumberRange(min=0, max=100_000)]
    )


class PredecessorsForm(FlaskForm):
    """The projects this one must follow."""

    predecessor_ids = CheckboxesField("Must follow", coerce=int, choices=[])
    version = HiddenField()


def month_options(labels: list[tuple[int, str]], blank: str) -> list[tuple[Any, str]]:
    """A select box's options: a blank choice, then the scenario's months."""
    return [("", blank), *labels]
