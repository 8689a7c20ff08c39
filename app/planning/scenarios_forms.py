"""Forms of the scenario pages: shape only (the operations check the rules).

Money is typed in dollars ("1,250,000" or "$1,250,000.50"); months are chosen by their labels.
Every form that changes a scenario carries the scenario's version it was read at.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from app.forms import choices, enum_choices
from inventory.enums import FundingKind

YEAR_CHOICES = [(n, "1 year" if n == 1 else f"{n} years") for n in range(1, 6)]
STATUS_ACTIONS = [("submit", "Submit"), ("approve", "Approve"), ("return", "Return to draft")]
SCOPES = [
    ("all", "Every project"),
    ("pinned", "Only the pinned projects (and the projects they need first)"),
]


def parse_dollars(text: str) -> Decimal | None:
    """'$1,250,000.50' -> Decimal('1250000.50'); blank -> None; ValueError when not money."""
    cleaned = text.strip().replace(",", "").replace("$", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(text)
    return amount


class DollarField(DecimalField):
    """An amount in dollars; commas and a dollar sign are fine (so a text input, not a number
    input, which would refuse them)."""

    widget = TextInput()

    def __init__(self, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, **kwargs)

    def _value(self) -> str:
        """1250000 as '1,250,000' (cents only when there are some)."""
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        amount = Decimal(self.data)
        return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read '1,250,000' as 1250000."""
        if not valuelist:
            return
        try:
            self.data = parse_dollars(str(valuelist[0]))
        except ValueError:
            self.data = None
            raise ValueError("Enter an amount in dollars, like 1,250,000.") from None


class MonthsField(SelectMultipleField):
    """Months of the scenario chosen by their labels (checkboxes on the page)."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, coerce=int, choices=[], **kwargs)


def version_field() -> IntegerField:
    """The scenario's version the page was read at."""
    return IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class VersionForm(FlaskForm):
    """A button that changes the scenario (remove, delete, grids): only the version it was
    read at."""

    version = version_field()


def default_first_year(today: dt.date, start_month: int) -> int:
    """The next fiscal year, named by the calendar year it ends in (FY2028 = Jul 2027 to
    Jun 2028 when the year starts in July)."""
    current = today.year + (1 if start_month > 1 and today.month >= start_month else 0)
    return current + 1


class NewScenarioForm(FlaskForm):
    """A new scenario: its name, first fiscal year and how many years."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    first_year = IntegerField(
        "First fiscal year", validators=[InputRequired(), NumberRange(min=2000, max=2100)]
    )
    years = SelectField("Years", coerce=int, choices=choices(YEAR_CHOICES))
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])


class EditScenarioForm(FlaskForm):
    """A scenario's settings."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    years = SelectField("Years", coerce=int, choices=choices(YEAR_CHOICES))
    default_max_concurrent = IntegerField(
        "Projects at once per site", validators=[InputRequired(), NumberRange(min=1, max=50)]
    )
    time_limit_s = IntegerField(
        "Time to search for a plan (seconds)",
        validators=[InputRequired(), NumberRange(min=1, max=3600)],
    )
    move_penalty = IntegerField(
        "Penalty for moving a project when re-planning",
        validators=[InputRequired(), NumberRange(min=0, max=1000)],
    )
    version = version_field()


class StatusForm(FlaskForm):
    """Submit, approve or return to draft (with a reason)."""

    action = SelectField(choices=choices(STATUS_ACTIONS), validators=[DataRequired()])
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=2000)])
    version = version_field()


class CopyForm(FlaskForm):
    """A what-if copy: its name, what it takes, the budget change (crews are read apart)."""

    name = StringField("Name of the copy", validators=[DataRequired(), Length(max=120)])
    scope = RadioField(
        "Projects",
        choices=choices(SCOPES),
        default="all",
    )
    budget_change_percent = IntegerField(
        "Change the budgets by (percent)",
        default=0,
        validators=[InputRequired(), NumberRange(min=-90, max=200)],
    )


class FundingForm(FlaskForm):
    """A funding source; E-Rate Category 2 has settings of its own."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    code = StringField("Code", validators=[DataRequired(), Length(max=32)])
    kind = SelectField("Kind", choices=enum_choices(FundingKind), validators=[DataRequired()])
    cap = DollarField("Cap (dollars, blank for none)", validators=[Optional()])
    is_default = BooleanField("Pays for projects that name no source")
    erate_per_student = DollarField("Amount per student (dollars)", validators=[Optional()])
    erate_floor = DollarField("Floor per school (dollars)", validators=[Optional()])
    erate_discount_percent = IntegerField(
        "Discount (percent)", validators=[Optional(), NumberRange(min=20, max=90)]
    )
    erate_pooled = BooleanField("Budgets pooled across the district")
    version = version_field()


class WindowForm(FlaskForm):
    """A work window: its name and months."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    months = MonthsField("Months")
    version = version_field()


class BlackoutForm(FlaskForm):
    """The district's blackout months."""

    months = MonthsField("District blackout months")
    version = version_field()


class SiteRuleForm(FlaskForm):
    """A site's own rules in the scenario."""

    max_concurrent = IntegerField(
        "Projects at once (blank: the scenario's default)",
        validators=[Optional(), NumberRange(min=1, max=50)],
    )
    blackout_months = MonthsField("Blackout months at this site")
    erate_committed = DollarField(
        "E-Rate budget already committed in the cycle (dollars)", validators=[Optional()]
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)])
    version = version_field()
