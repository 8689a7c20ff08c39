"""Forms of the import pages: the upload, and the column mapping with its actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.forms import choices
from inventory.spreadsheets import KINDS, kind_spec
from inventory.spreadsheets.mapping import Mapping

KIND_LABELS = {"sites": "Sites", "models": "Asset models", "assets": "Assets"}


class UploadForm(FlaskForm):
    """What to import and the file."""

    kind = SelectField(
        "What the file holds",
        choices=choices((kind, KIND_LABELS[kind]) for kind in KINDS),
        validators=[DataRequired()],
    )
    file = FileField("Spreadsheet (.xlsx or .csv)", validators=[FileRequired()])


def field_choices(kind: str) -> list[SelectChoice]:
    """The fields a column can feed, led by "do not import"."""
    spec = kind_spec(kind)
    pairs = [("", "— do not import —")]
    pairs += [(f.name, f.label + (" *" if f.required else "")) for f in spec.fields]
    return choices(pairs)


class MappingForm(FlaskForm):
    """A select per file column, plus names to save or load a mapping; columns are added."""

    save_name = StringField("Save this mapping as", validators=[Optional(), Length(max=120)])
    load_name = SelectField("Saved mappings", choices=[], validate_choice=False)


DEFAULT_ROWS = 3  # how many "value for blank cells" lines the preview offers


def mapping_form(kind: str, headers: list[str], current: Mapping, saved: list[str]) -> MappingForm:
    """A mapping form with one select per column, preset to the current mapping, and a few
    field/value lines giving a value for the whole file where a cell is blank."""

    class ColumnsForm(MappingForm):
        """The mapping form for this file's columns."""

    options = field_choices(kind)
    for position, header in enumerate(headers):
        select = SelectField(header, choices=options, default=current.field_for(header) or "")
        setattr(ColumnsForm, f"column_{position}", select)
    given = list(current.defaults.items())[:DEFAULT_ROWS]
    given += [("", "")] * (DEFAULT_ROWS - len(given))
    default_options = choices([("", "—")] + [(c.value, c.label) for c in options[1:]])
    for line, (name, value) in enumerate(given):
        label = f"Field {line + 1} with a value for the whole file"
        field_select = SelectField(label, choices=default_options, default=name)
        value_input = StringField(f"Value {line + 1}", default=value, validators=[Length(max=200)])
        setattr(ColumnsForm, f"default_field_{line}", field_select)
        setattr(ColumnsForm, f"default_value_{line}", value_input)
    form = ColumnsForm()
    form.load_name.choices = choices([("", "—")] + [(name, name) for name in saved])
    return form


def columns_from(form: MappingForm, kind: str, headers: list[str]) -> Mapping:
    """The mapping the user chose; ValueError when two columns feed the same field, or a
    value for the whole file names no field, or a field twice."""
    columns = {h: getattr(form, f"column_{i}").data or None for i, h in enumerate(headers)}
    defaults: dict[str, str] = {}
    for line in range(DEFAULT_ROWS):
        name = getattr(form, f"default_field_{line}").data or ""
        value = (getattr(form, f"default_value_{line}").data or "").strip()
        if value and not name:
            raise ValueError(f'Choose the field that the value "{value}" is for.')
        if name and value:
            if name in defaults:
                raise ValueError("Give each field one value for the whole file.")
            defaults[name] = value
    return Mapping(kind=kind, columns=columns, defaults=defaults)
