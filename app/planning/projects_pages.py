"""What the project pages build from a request: the list's filters, the project form's
choices and values, a stale save's differences, and the detail page's facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import request
from sqlalchemy import select

from app.db import get_session
from app.forms import choices
from app.pages import cents_to_dollars, choice_arg, dollars_to_cents, int_arg
from app.planning.common import month_choices, months_text
from app.planning.funding import funding_source_of
from app.planning.projects_forms import LABELS, NewProjectForm, ProjectForm, month_options
from app.planning.upgrades_forms import stale_differences
from app.planning.wording import in_words, vocabulary_for
from inventory.enums import NeedKind
from inventory.models import FundingSource, Project, Scenario, Site, User
from inventory.operations.sites import find_site
from inventory.queries import projects as queries

FILTER_KEYS = ("region_id", "site_id", "system_id", "upgrade_type_id", "need", "mandatory",
               "pinned", "withdrawn", "no_cost", "since", "q", "sort")  # fmt: skip
YES_NO = {"yes": True, "no": False}


def list_filters() -> queries.ProjectFilters:
    """The list's filters from the query string (unknown values are ignored)."""
    withdrawn = request.args.get("withdrawn", "no")
    return queries.ProjectFilters(
        region_id=int_arg("region_id"), site_id=int_arg("site_id"),
        system_id=int_arg("system_id"), upgrade_type_id=int_arg("upgrade_type_id"),
        need_kind=choice_arg("need", NeedKind),
        mandatory=YES_NO.get(request.args.get("mandatory", "")),
        pinned=YES_NO.get(request.args.get("pinned", "")),
        withdrawn=None if withdrawn == "all" else YES_NO.get(withdrawn, False),
        no_cost=request.args.get("no_cost") == "1", created_since=_since(),
        search=request.args.get("q", "")[:100], sort=request.args.get("sort", "site"),
    )  # fmt: skip


def _since() -> dt.datetime | None:
    """The 'generated at or after' time asked for, or None."""
    try:
        return dt.datetime.fromisoformat(request.args.get("since", ""))
    except ValueError:
        return None


def filter_args() -> dict[str, Any]:
    """The filters as they appear in the query string, for links."""
    return {key: request.args[key] for key in FILTER_KEYS if request.args.get(key)}


def project_form(
    scenario: Scenario, project: Project | None = None, *, new: bool = False
) -> ProjectForm:
    """The project form (new or edit) with the scenario's months, sources and the managers."""
    session = get_session()
    data: dict[str, Any] = {}
    if project is not None:
        data = {name: getattr(project, name) for name in LABELS if hasattr(ProjectForm, name)}
        data.update(cost=cents_to_dollars(project.cost_cents), version=project.version,
                    funding_source_id=project.funding_source_id,
                    manager_id=project.manager_id)  # fmt: skip
    form = (NewProjectForm if new else ProjectForm)(data=data)
    months = month_choices(scenario)
    form.earliest_month.choices = choices(month_options(months, "Any month"))
    form.latest_month.choices = choices(month_options(months, "Until the end of the scenario"))
    form.allowed_start_months.choices = months
    default = next((s.name for s in scenario.funding_sources if s.is_default), None)
    blank = f"The scenario's default ({default})" if default else "None"
    form.funding_source_id.choices = choices(
        [("", blank), *((s.id, s.name) for s in scenario.funding_sources)]
    )
    form.manager_id.choices = choices([("", "Nobody yet"), *queries.manager_options(session)])
    if new:
        form.upgrade_type_id.choices = choices(
            [("", "Choose an upgrade"), *queries.upgrade_type_options(session)]
        )
    return form


def form_values(form: ProjectForm) -> dict[str, Any]:
    """The edit form's data as the operation's keyword fields."""
    session = get_session()
    source_id, manager_id = form.funding_source_id.data, form.manager_id.data
    return {
        "name": form.name.data, "scope": form.scope.data,
        "duration_months": form.duration_months.data,
        "cost_cents": dollars_to_cents(form.cost.data), "value": form.value.data,
        "is_mandatory": form.is_mandatory.data, "earliest_month": form.earliest_month.data,
        "latest_month": form.latest_month.data,
        "allowed_start_months": form.allowed_start_months.data or [],
        "funding_source": session.get(FundingSource, source_id) if source_id else None,
        "manager": session.get(User, manager_id) if manager_id else None,
    }  # fmt: skip


def new_values(form: NewProjectForm) -> dict[str, Any]:
    """The new-project form's data: blanks left out, so the catalogue's defaults apply."""
    values = {key: value for key, value in form_values(form).items()
              if value not in (None, "", [])}  # fmt: skip
    values["is_mandatory"] = form.is_mandatory.data
    values["assets_replaced"] = form.assets_replaced.data or 0
    values["assets_added"] = form.assets_added.data or 0
    return values


def site_of(text: str) -> Site | None:
    """The site typed as 'CODE — Name', a code or a name."""
    return find_site(get_session(), text.split(" — ")[0]) or find_site(get_session(), text)


def stale(form: ProjectForm, project: Project) -> list[tuple[str, str, str]]:
    """After a refused save: what is saved now against what the user typed; the form then
    carries the saved version, so saving again is a deliberate overwrite."""
    get_session().refresh(project)
    scenario = project.scenario
    mine, current = (
        _shown(form_values(form), scenario),
        _shown({key: getattr(project, key) for key in LABELS}, scenario),
    )
    form.version.data = str(project.version)
    return stale_differences(LABELS, mine, current)


def _shown(values: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """Values as people read them: dollars, month labels and names."""
    shown = dict(values)
    shown["cost_cents"] = (
        None if values["cost_cents"] is None else f"${values['cost_cents'] / 100:,.2f}"
    )
    for key in ("earliest_month", "latest_month"):
        shown[key] = None if values[key] is None else scenario.month_label(values[key])
    allowed = values["allowed_start_months"]
    shown["allowed_start_months"] = months_text(scenario, allowed) if allowed else None
    shown["funding_source"] = getattr(values["funding_source"], "name", None)
    shown["manager"] = getattr(values["manager"], "username", None)
    return shown


def detail_facts(project: Project) -> dict[str, Any]:
    """Everything the detail page shows beyond the project's own columns."""
    session = get_session()
    scenario = project.scenario
    plans = queries.project_plans(session, project)
    words = vocabulary_for(session, scenario) if any(row.reason for row in plans) else None
    return {
        "assets": queries.project_assets(session, project),
        "plans": [(row, in_words(row.reason, words) if row.reason else None) for row in plans],
        "from_catalogue": queries.catalogue_predecessors(session, project),
        "successors": queries.successors(session, project),
        "source": funding_source_of(scenario, project),
        "allowed": months_text(scenario, project.allowed_start_months)
        if project.allowed_start_months else None,
        "months": month_choices(scenario),
        "others_at_site": session.scalar(
            select(Project.id).where(Project.scenario_id == scenario.id,
                                     Project.site_id == project.site_id,
                                     Project.id != project.id).limit(1)
        ) is not None,
    }  # fmt: skip
