"""Forms of a site's page: asking for other blackout months, and a planner's answer."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import choices


class MonthBoxes(SelectMultipleField):
    """Months as a list of check boxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BlackoutRequestForm(FlaskForm):
    """The months the school needs free of work in the coming year, and a note."""

    months = MonthBoxes("Months with no work at the school", choices=[], validate_choice=True)
    note = TextAreaField(
        "Note for the planners", validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 3, "placeholder": "For example: state testing moved to April."},
    )  # fmt: skip


class AnswerForm(FlaskForm):
    """A planner's answer to a blackout request."""

    status = RadioField(
        "Answer", choices=choices([("done", "Done"), ("declined", "Declined")]),
        validators=[DataRequired(message="Choose done or declined.")],
    )  # fmt: skip
    answer = TextAreaField(
        "Message to the school", validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )
