"""A scenario's funding pages: the sources with their caps, a source's settings, and for an
E-Rate Category 2 source each school's five-year budget, what it committed, what remains and
what E-Rate would pay. The routes are added to the scenarios blueprint (ROUTES)."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import get_session
from app.pages import cents_to_dollars, dollars_to_cents, int_arg, page_arg
from app.planning.common import EDITORS, READERS, scenario_or_404
from app.planning.scenarios_forms import FundingForm, VersionForm
from app.planning.scenarios_pages import attempt, editable, post_button, require_editor
from app.security import role_required
from inventory.models import FundingSource, Scenario
from inventory.operations.scenarios import (
    add_funding_source,
    remove_funding_source,
    update_funding_source,
)
from inventory.queries.scenarios import ErateSchool, erate_schools

SCHOOLS_PER_PAGE = 50


def _source_or_404(scenario: Scenario, source_id: int) -> FundingSource:
    """One of the scenario's sources, or a 404 page."""
    source = get_session().get(FundingSource, source_id)
    if source is None or source.scenario_id != scenario.id:
        abort(404)
    return source


def _fields(form: FundingForm) -> dict[str, Any]:
    """The form's data as the operation's fields (dollars as cents)."""
    return {
        "code": form.code.data,
        "name": form.name.data,
        "kind": form.kind.data,
        "cap_cents": dollars_to_cents(form.cap.data),
        "is_default": form.is_default.data,
        "erate_per_student_cents": dollars_to_cents(form.erate_per_student.data),
        "erate_floor_cents": dollars_to_cents(form.erate_floor.data),
        "erate_discount_percent": form.erate_discount_percent.data,
        "erate_pooled": form.erate_pooled.data,
    }


def _form_data(source: FundingSource) -> dict[str, Any]:
    """A source's values as the form shows them."""
    return {
        "code": source.code, "name": source.name, "kind": source.kind.value,
        "cap": cents_to_dollars(source.cap_cents), "is_default": source.is_default,
        "erate_per_student": cents_to_dollars(source.erate_per_student_cents),
        "erate_floor": cents_to_dollars(source.erate_floor_cents),
        "erate_discount_percent": source.erate_discount_percent,
        "erate_pooled": source.erate_pooled,
    }  # fmt: skip


@role_required(*READERS)
def funding(scenario_id: int) -> str | Response:
    """The sources of money, a form to add one, and the schools' E-Rate budgets."""
    scenario = scenario_or_404(scenario_id)
    require_editor()
    form = FundingForm(version=scenario.version)
    here = url_for("scenarios.funding", scenario_id=scenario.id)
    if form.validate_on_submit():
        outcome = attempt(
            scenario, form,
            lambda: add_funding_source(
                get_session(), scenario, by=current_user, expected_version=form.version.data,
                **_fields(form),
            ),
            done=lambda _s: here, message=lambda source: f"{source.name} added.",
        )  # fmt: skip
        if outcome.response is not None:
            return outcome.response
    return render_template(
        "planning/scenarios/funding.html", scenario=scenario, form=form,
        editable=editable(scenario), erate=_erate_view(scenario),
        delete_form=VersionForm(formdata=None, version=scenario.version),
    )  # fmt: skip


def _erate_view(scenario: Scenario) -> dict[str, Any] | None:
    """The chosen E-Rate source's schools: one page of them (filtered by ?q=) and the totals."""
    sources = [source for source in scenario.funding_sources if source.is_erate]
    if not sources:
        return None
    chosen = int_arg("source")
    source = next((s for s in sources if s.id == chosen), sources[0])
    schools: list[ErateSchool] = erate_schools(get_session(), scenario, source)
    term = request.args.get("q", "").strip().lower()[:100]
    shown = [
        row for row in schools if not term or term in f"{row.site.code} {row.site.name}".lower()
    ]
    page = page_arg()
    start = (page - 1) * SCHOOLS_PER_PAGE
    return {
        "source": source, "sources": sources, "term": term, "page": page,
        "rows": shown[start : start + SCHOOLS_PER_PAGE], "matching": len(shown),
        "has_next": start + SCHOOLS_PER_PAGE < len(shown),
        "totals": {
            key: sum(getattr(row, key) for row in schools)
            for key in ("budget_cents", "committed_cents", "remaining_cents",
                        "projects_cost_cents", "erate_pays_cents")
        },
        "schools": len(schools),
    }  # fmt: skip


@role_required(*EDITORS)
def funding_edit(scenario_id: int, source_id: int) -> str | Response:
    """Change a source's settings."""
    scenario = scenario_or_404(scenario_id)
    source = _source_or_404(scenario, source_id)
    form = FundingForm(data={**_form_data(source), "version": scenario.version})
    if form.validate_on_submit():
        outcome = attempt(
            scenario, form,
            lambda: update_funding_source(
                get_session(), source, by=current_user, expected_version=form.version.data,
                **_fields(form),
            ),
            done=lambda _s: url_for("scenarios.funding", scenario_id=scenario.id),
            message=lambda changed: f"{changed.name} saved.",
        )  # fmt: skip
        if outcome.response is not None:
            return outcome.response
    return render_template(
        "planning/scenarios/funding_edit.html", scenario=scenario, source=source, form=form,
        editable=editable(scenario),
    )  # fmt: skip


@role_required(*EDITORS)
def funding_delete(scenario_id: int, source_id: int) -> Response:
    """Remove a source (its projects fall back to the default source)."""
    scenario = scenario_or_404(scenario_id)
    source = _source_or_404(scenario, source_id)
    form, name = VersionForm(), source.name
    here = url_for("scenarios.funding", scenario_id=scenario.id)

    def message(count: int) -> str:
        """What removing did, and to how many projects."""
        if not count:
            return f"{name} removed."
        return f"{name} removed; the {count} project(s) it paid for now use the default source."

    return post_button(
        scenario, form,
        lambda: remove_funding_source(
            get_session(), source, by=current_user, expected_version=form.version.data
        ),
        done=here, back=here, message=message,
    )  # fmt: skip


ROUTES = [
    ("/<int:scenario_id>/funding", "funding", funding, ["GET", "POST"]),
    ("/<int:scenario_id>/funding/<int:source_id>/edit", "funding_edit", funding_edit,
     ["GET", "POST"]),
    ("/<int:scenario_id>/funding/<int:source_id>/delete", "funding_delete", funding_delete,
     ["POST"]),
]  # fmt: skip
