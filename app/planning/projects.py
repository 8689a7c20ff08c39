"""Projects of a scenario: the list, generating needs, adding and changing projects by hand,
their predecessors, and withdrawing, restoring or deleting them."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import get_or_404, get_session
from app.pages import page_arg, show_error
from app.planning import projects_pages as pages
from app.planning.common import (
    EDITORS,
    READERS,
    can_edit_plans,
    is_draft,
    project_or_404,
    scenario_or_404,
)
from app.planning.projects_forms import PredecessorsForm
from app.security import role_required
from inventory.errors import DomainError, InvalidValue, NotFound, StaleEdit
from inventory.models import Project, Scenario, Site, UpgradeType
from inventory.needs import create_needs, find_needs
from inventory.operations import projects as ops
from inventory.operations.scenario_inputs import require_draft
from inventory.queries import projects as queries
from inventory.queries.sites import region_options
from inventory.queries.upgrades import system_options

bp = Blueprint("projects", __name__, url_prefix="/planning")
PER_PAGE = 50
PREVIEW_ROWS = 50


@bp.route("/scenarios/<int:scenario_id>/projects")
@role_required(*READERS)
def index(scenario_id: int) -> str:
    """The scenario's projects, filtered, with totals that match the rows."""
    scenario = scenario_or_404(scenario_id)
    session = get_session()
    filters = pages.list_filters()
    page, totals = queries.project_page(session, scenario, filters, page_arg(), PER_PAGE)
    return render_template(
        "planning/projects/index.html", scenario=scenario, page=page, totals=totals,
        args=pages.filter_args(), filters=filters,
        by_system=queries.counts_by_system(session, scenario, filters),
        regions=region_options(session), systems=system_options(session),
        upgrades=queries.upgrade_type_options(session),
        site=session.get(Site, filters.site_id) if filters.site_id else None,
    )  # fmt: skip


@bp.route("/scenarios/<int:scenario_id>/needs", methods=["GET", "POST"])
@role_required(*READERS)
def needs(scenario_id: int) -> str | Response:
    """What generating needs will create (GET); create it (POST, editors, draft only)."""
    scenario = scenario_or_404(scenario_id)
    session = get_session()
    if request.method == "POST":
        if not can_edit_plans():
            abort(403)
        try:
            result = create_needs(session, scenario, by=current_user, today=dt.date.today())
        except DomainError as error:
            session.rollback()
            flash(error.message, "danger")
            return redirect(url_for("projects.needs", scenario_id=scenario.id))
        session.commit()
        return _after_needs(scenario, result)
    preview = find_needs(session, scenario, today=dt.date.today())
    return render_template("planning/projects/needs.html", scenario=scenario, preview=preview,
                           shown=preview.proposed[:PREVIEW_ROWS])  # fmt: skip


def _after_needs(scenario: Scenario, result) -> Response:
    """Say what was created, and show exactly those projects."""
    if not result.created:
        flash(f"Nothing to create: the scenario already has every project the inventory calls "
              f"for ({result.skipped:,} skipped).", "info")  # fmt: skip
        return redirect(url_for("projects.index", scenario_id=scenario.id))
    flash(
        f"Created {_count(result.created, 'project')} costing "
        f"${result.total_cost_cents / 100:,.0f}, replacing "
        f"{_count(result.assets_linked, 'asset')} at end of life"
        + (f"; {_count(result.skipped, 'site upgrade')} already in the scenario skipped"
           if result.skipped else "")
        + ". They are listed below.", "success",
    )  # fmt: skip
    return redirect(url_for("projects.index", scenario_id=scenario.id,
                            since=result.created_at.isoformat()))  # fmt: skip


def _count(number: int, noun: str) -> str:
    """'1 project', '12 projects'."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _draft_or_back(scenario: Scenario, back: str) -> Response | None:
    """None for a draft; otherwise a redirect with the reason."""
    try:
        require_draft(scenario)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(back)
    return None


@bp.route("/scenarios/<int:scenario_id>/projects/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def create(scenario_id: int) -> str | Response:
    """Add a project by hand."""
    scenario = scenario_or_404(scenario_id)
    back = url_for("projects.index", scenario_id=scenario.id)
    refused = _draft_or_back(scenario, back)
    if refused:
        return refused
    form = pages.project_form(scenario, new=True)
    if form.validate_on_submit():
        session = get_session()
        site = pages.site_of(form.site.data)
        upgrade = session.get(UpgradeType, form.upgrade_type_id.data or 0)
        try:
            if site is None:
                raise NotFound(f"There is no site {form.site.data}.", field="site")
            if upgrade is None:
                raise InvalidValue("Choose an upgrade.", field="upgrade_type")
            project = ops.create_project(
                session,
                scenario,
                by=current_user,
                site=site,
                upgrade_type=upgrade,
                **pages.new_values(form),
            )
        except DomainError as error:
            session.rollback()
            show_error(form, error)
        else:
            session.commit()
            flash(f"{project.name} added.", "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    return render_template("planning/projects/form.html", scenario=scenario, form=form,
                           title="Add a project", sites=queries.site_options(get_session()),
                           cancel_url=back, differences=[], project=None)  # fmt: skip


@bp.route("/projects/<int:project_id>")
@role_required(*READERS)
def detail(project_id: int) -> str:
    """One project: its need and assets, cost, timing, order, funding, pin and plans."""
    project = project_or_404(project_id)
    return render_template("planning/projects/detail.html", project=project,
                           scenario=project.scenario, draft=is_draft(project.scenario),
                           **pages.detail_facts(project))  # fmt: skip


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(project_id: int) -> str | Response:
    """Change a project; a save over someone else's newer save is refused and explained."""
    project = project_or_404(project_id)
    back = url_for("projects.detail", project_id=project.id)
    refused = _draft_or_back(project.scenario, back)
    if refused:
        return refused
    form = pages.project_form(project.scenario, project)
    differences: list = []
    if form.validate_on_submit():
        session = get_session()
        try:
            ops.update_project(session, project, by=current_user,
                               expected_version=form.version.data or None,
                               **pages.form_values(form))  # fmt: skip
        except StaleEdit as error:
            session.rollback()
            flash(error.message, "danger")
            differences = pages.stale(form, project)
        except DomainError as error:
            session.rollback()
            show_error(form, error)
        else:
            session.commit()
            flash(f"{project.name} saved.", "success")
            return redirect(back)
    return render_template("planning/projects/form.html", scenario=project.scenario, form=form,
                           title=f"Edit {project.name}", cancel_url=back,
                           differences=differences, project=project)  # fmt: skip


@bp.route("/projects/<int:project_id>/predecessors", methods=["GET", "POST"])
@role_required(*EDITORS)
def predecessors(project_id: int) -> str | Response:
    """Choose the projects this one must follow: its site's first, or any found by search."""
    project = project_or_404(project_id)
    back = url_for("projects.detail", project_id=project.id)
    refused = _draft_or_back(project.scenario, back)
    if refused:
        return refused
    session = get_session()
    rows = queries.predecessor_choices(session, project, request.args.get("q", "")[:100])
    form = PredecessorsForm(data={"predecessor_ids": [p.id for p in project.predecessors],
                                  "version": project.version})  # fmt: skip
    form.predecessor_ids.choices = [(row.id, row.name) for row in rows]
    if form.validate_on_submit():
        chosen = [get_or_404(Project, item) for item in form.predecessor_ids.data]
        try:
            ops.set_predecessors(session, project, chosen, by=current_user,
                                 expected_version=form.version.data or None)  # fmt: skip
        except DomainError as error:
            session.rollback()
            flash(error.message, "danger")
        else:
            session.commit()
            flash(f"{project.name} now follows {len(chosen)} projects set by hand.", "success")
            return redirect(back)
    return render_template("planning/projects/predecessors.html", project=project, form=form,
                           rows={row.id: row for row in rows}, q=request.args.get("q", ""),
                           limit=queries.SEARCH_LIMIT,
                           scenario=project.scenario)  # fmt: skip


def _change(project_id: int, operation, done: str) -> Response:
    """Run withdraw, restore or delete on a project, commit, flash and go back."""
    project = project_or_404(project_id)
    scenario_id, name = project.scenario_id, project.name
    try:
        operation(get_session(), project, by=current_user)
    except DomainError as error:
        get_session().rollback()
        flash(error.message, "danger")
        return redirect(url_for("projects.detail", project_id=project_id))
    get_session().commit()
    flash(f"{name} {done}.", "success")
    if operation is ops.delete_project:
        return redirect(url_for("projects.index", scenario_id=scenario_id))
    return redirect(url_for("projects.detail", project_id=project_id))


@bp.route("/projects/<int:project_id>/withdraw", methods=["POST"])
@role_required(*EDITORS)
def withdraw(project_id: int) -> Response:
    """Take a project out of future plans, keeping it on record."""
    return _change(project_id, ops.withdraw_project, "is withdrawn: plans leave it out")


@bp.route("/projects/<int:project_id>/restore", methods=["POST"])
@role_required(*EDITORS)
def restore(project_id: int) -> Response:
    """Bring a withdrawn project back."""
    return _change(project_id, ops.restore_project, "is back among the candidates")


@bp.route("/projects/<int:project_id>/delete", methods=["POST"])
@role_required(*EDITORS)
def delete(project_id: int) -> Response:
    """Delete a project no plan has."""
    return _change(project_id, ops.delete_project, "is deleted")
