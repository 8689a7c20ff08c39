"""Forms of the upgrade catalogue: trades and upgrade types (shape only; the operations check
the rules). Money is typed in dollars."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.pages import optional_int

MAX_DOLLARS = 100_000_000


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def dollars(label: str) -> DecimalField:
    """An amount in dollars, zero or more (blank counts as zero)."""
    return DecimalField(
        label, places=2, default=0, validators=[Optional(), NumberRange(min=0, max=MAX_DOLLARS)]
    )


class TradeForm(FlaskForm):
    """A trade of crews."""

    code = StringField("Code (short, no spaces)", validators=[DataRequired(), Length(max=32)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    description = TextAreaField("What its crews do", validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class UpgradeTypeForm(FlaskForm):
    """An upgrade type; the crews per trade are added per request (see with_crews)."""

    code = StringField("Code (short, no spaces)", validators=[DataRequired(), Length(max=32)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    system_id = SelectField("System it works on", coerce=optional_int, choices=[])
    description = TextAreaField(
        "What the work is, in plain words", validators=[Optional(), Length(max=2000)]
    )
    duration_months = IntegerField(
        "Months of work", default=1, validators=[DataRequired(), NumberRange(min=1, max=36)]
    )
    is_disruptive = BooleanField("Disruptive: only during the scenario's work windows")
    fixed_cost = dollars("Fixed cost per project ($)")
    per_asset_cost = dollars("Cost per asset replaced or added ($)")
    per_student_cost = dollars("Cost per enrolled student ($)")
    value_weight = IntegerField(
        "Value weight", default=10, validators=[DataRequired(), NumberRange(min=1, max=10_000)]
    )
    replaces_end_of_life = BooleanField("Replaces the system's assets at end of life", default=True)
    coverage_min_assets = IntegerField(
        "At least this many assets per school", default=0,
        validators=[Optional(), NumberRange(min=0, max=100_000)],
    )  # fmt: skip
    coverage_students_per_asset = IntegerField(
        "One asset per this many students (blank: no such rule)",
        validators=[Optional(), NumberRange(min=1, max=100_000)],
    )
    is_erate_eligible = BooleanField("E-Rate Category 2 eligible")
    prerequisites = CheckboxesField(
        "Upgrades that must be done first at the same site", coerce=int, choices=[]
    )
    version = HiddenField()

    def crew_fields(self) -> list[Any]:
        """The crews-per-trade fields, in the order of the trades."""
        return [field for field in self if field.name.startswith("crews_")]


def upgrade_type_form(trades: Iterable[Any], **kwargs: Any) -> UpgradeTypeForm:
    """The upgrade type form with one 'crews per month' number per trade."""

    class WithCrews(UpgradeTypeForm):
        """The form with this request's trades."""

    for trade in trades:
        field = IntegerField(
            trade.name, default=0, validators=[Optional(), NumberRange(min=0, max=99)]
        )
        setattr(WithCrews, f"crews_{trade.id}", field)
    return WithCrews(**kwargs)


def stale_differences(
    labels: dict[str, str], mine: dict[str, Any], current: dict[str, Any]
) -> list[tuple[str, str, str]]:
    """(field label, saved value, your value) for each field someone else saved differently."""
    return [
        (label, _shown(current.get(name)), _shown(mine.get(name)))
        for name, label in labels.items()
        if _shown(current.get(name)) != _shown(mine.get(name))
    ]


def _shown(value: Any) -> str:
    """A value as the comparison shows it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | set):
        return ", ".join(str(item) for item in value)
    return str(value)
