"""A scenario's calendar pages: district blackout months, work windows for disruptive work, and
each site's own rules (found with a search box: districts have thousands of sites). Readers see
them read-only; the routes are added to the scenarios blueprint (ROUTES)."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import get_session
from app.forms import choices
from app.pages import cents_to_dollars, dollars_to_cents, page_arg
from app.planning.common import EDITORS, READERS, month_choices, months_text, scenario_or_404
from app.planning.scenarios_forms import BlackoutForm, SiteRuleForm, VersionForm, WindowForm
from app.planning.scenarios_pages import attempt, editable, post_button, require_editor
from app.security import role_required
from inventory.models import Scenario, ScenarioSite, Site, WorkWindow
from inventory.operations.scenarios import (
    add_work_window,
    remove_site_rule,
    remove_work_window,
    set_blackout_months,
    set_site_rule,
    update_work_window,
)
from inventory.queries.paging import page_of
from inventory.queries.scenarios import site_rules_query
from inventory.queries.sites import SiteFilters, sites_query

RULES_PER_PAGE = 50
FOUND_SITES = 20
PRESETS = {"summer": ("Summer break", (6, 7, 8)), "winter": ("Winter break", (12,))}


def _calendar_url(scenario: Scenario) -> str:
    """The calendar page."""
    return url_for("scenarios.calendar", scenario_id=scenario.id)


@role_required(*READERS)
def calendar(scenario_id: int) -> str | Response:
    """District blackout months (checkboxes) and the work windows."""
    scenario = scenario_or_404(scenario_id)
    require_editor()
    form = BlackoutForm(months=scenario.blackout_months, version=scenario.version)
    form.months.choices = choices(month_choices(scenario))
    if form.validate_on_submit():
        outcome = attempt(
            scenario, form,
            lambda: set_blackout_months(
                get_session(), scenario, by=current_user, months=form.months.data,
                expected_version=form.version.data,
            ),
            done=lambda _r: _calendar_url(scenario), message=lambda _r: "Blackout months saved.",
        )  # fmt: skip
        if outcome.response is not None:
            return outcome.response
    return render_template(
        "planning/scenarios/calendar.html", scenario=scenario, form=form,
        editable=editable(scenario), months_text=months_text,
        delete_form=VersionForm(formdata=None, version=scenario.version),
    )  # fmt: skip


def _window_or_404(scenario: Scenario, window_id: int) -> WorkWindow:
    """One of the scenario's work windows, or a 404 page."""
    window = get_session().get(WorkWindow, window_id)
    if window is None or window.scenario_id != scenario.id:
        abort(404)
    return window


def preset_window(scenario: Scenario, key: str) -> dict[str, Any]:
    """A usual window's name and its months in the scenario (summer: Jun to Aug)."""
    if key not in PRESETS:
        return {}
    name, calendar_months = PRESETS[key]
    months = [m for m in range(scenario.months) if scenario.month_on(m).month in calendar_months]
    return {"name": name, "months": months}


def _window_page(scenario: Scenario, form: WindowForm, window: WorkWindow | None) -> str:
    """The form of a new or existing window."""
    return render_template(
        "planning/scenarios/window.html", scenario=scenario, form=form, window=window,
        editable=editable(scenario),
    )  # fmt: skip


@role_required(*EDITORS)
def window_create(scenario_id: int) -> str | Response:
    """A new work window (?preset=summer or winter fills in the usual months)."""
    scenario = scenario_or_404(scenario_id)
    preset = preset_window(scenario, request.args.get("preset", ""))
    form = WindowForm(version=scenario.version, **preset)
    form.months.choices = choices(month_choices(scenario))
    if form.validate_on_submit():
        outcome = attempt(
            scenario, form,
            lambda: add_work_window(
                get_session(), scenario, by=current_user, name=form.name.data,
                months=form.months.data, expected_version=form.version.data,
            ),
            done=lambda _w: _calendar_url(scenario),
            message=lambda window: f"Work window {window.name} added.",
        )  # fmt: skip
        if outcome.response is not None:
            return outcome.response
    return _window_page(scenario, form, None)


@role_required(*EDITORS)
def window_edit(scenario_id: int, window_id: int) -> str | Response:
    """Rename a work window or change its months."""
    scenario = scenario_or_404(scenario_id)
    window = _window_or_404(scenario, window_id)
    form = WindowForm(name=window.name, months=window.months, version=scenario.version)
    form.months.choices = choices(month_choices(scenario))
    if form.validate_on_submit():
        outcome = attempt(
            scenario, form,
            lambda: update_work_window(
                get_session(), window, by=current_user, name=form.name.data,
                months=form.months.data, expected_version=form.version.data,
            ),
            done=lambda _w: _calendar_url(scenario),
            message=lambda changed: f"Work window {changed.name} saved.",
        )  # fmt: skip
        if outcome.response is not None:
            return outcome.response
    return _window_page(scenario, form, window)


@role_required(*EDITORS)
def window_delete(scenario_id: int, window_id: int) -> Response:
    """Remove a work window."""
    scenario = scenario_or_404(scenario_id)
    window = _window_or_404(scenario, window_id)
    form, name, here = VersionForm(), window.name, _calendar_url(scenario)
    return post_button(
        scenario, form,
        lambda: remove_work_window(
            get_session(), window, by=current_user, expected_version=form.version.data
        ),
        done=here, back=here, message=lambda _r: f"Work window {name} removed.",
    )  # fmt: skip


@role_required(*READERS)
def sites(scenario_id: int) -> str:
    """The sites with rules of their own, and a search box to find a site to give rules."""
    scenario = scenario_or_404(scenario_id)
    session = get_session()
    rules = page_of(session, site_rules_query(scenario), page_arg(), RULES_PER_PAGE)
    term = request.args.get("q", "").strip()[:100]
    found = []
    if term:
        query = sites_query(current_user, SiteFilters(search=term)).limit(FOUND_SITES)
        found = [site for site, _region in session.execute(query)]
    with_rules = {row.site_id for row in scenario.site_settings}
    return render_template(
        "planning/scenarios/sites.html", scenario=scenario, rules=rules, term=term,
        found=found, with_rules=with_rules, editable=editable(scenario), months_text=months_text,
        delete_form=VersionForm(formdata=None, version=scenario.version),
    )  # fmt: skip


def _site_or_404(site_id: int) -> Site:
    """A site, or a 404 page."""
    site = get_session().get(Site, site_id)
    if site is None:
        abort(404)
    return site


def _rule_of(scenario: Scenario, site: Site) -> ScenarioSite | None:
    """The site's rules in the scenario, if it has any."""
    return next((row for row in scenario.site_settings if row.site_id == site.id), None)


@role_required(*EDITORS)
def site_edit(scenario_id: int, site_id: int) -> str | Response:
    """A site's own rules in the scenario (created on first save)."""
    scenario = scenario_or_404(scenario_id)
    site = _site_or_404(site_id)
    rule = _rule_of(scenario, site)
    data: dict[str, Any] = {"version": scenario.version}
    if rule is not None:
        data.update(
            max_concurrent=rule.max_concurrent, blackout_months=rule.blackout_months,
            erate_committed=cents_to_dollars(rule.erate_committed_cents or None), note=rule.note,
        )  # fmt: skip
    form = SiteRuleForm(data=data)
    form.blackout_months.choices = choices(month_choices(scenario))
    if form.validate_on_submit():
        outcome = attempt(
            scenario, form,
            lambda: set_site_rule(
                get_session(), scenario, site, by=current_user,
                max_concurrent=form.max_concurrent.data,
                blackout_months=form.blackout_months.data,
                erate_committed_cents=dollars_to_cents(form.erate_committed.data) or 0,
                note=form.note.data, expected_version=form.version.data,
            ),
            done=lambda _r: url_for("scenarios.sites", scenario_id=scenario.id),
            message=lambda _r: f"Rules of {site.name} saved.",
        )  # fmt: skip
        if outcome.response is not None:
            return outcome.response
    return render_template(
        "planning/scenarios/site_rule.html", scenario=scenario, site=site, rule=rule, form=form,
        editable=editable(scenario),
    )  # fmt: skip


@role_required(*EDITORS)
def site_remove(scenario_id: int, site_id: int) -> Response:
    """Remove a site's own rules (the scenario's defaults apply again)."""
    scenario = scenario_or_404(scenario_id)
    site = _site_or_404(site_id)
    rule = _rule_of(scenario, site)
    if rule is None:
        abort(404)
    form, here = VersionForm(), url_for("scenarios.sites", scenario_id=scenario.id)
    return post_button(
        scenario, form,
        lambda: remove_site_rule(
            get_session(), rule, by=current_user, expected_version=form.version.data
        ),
        done=here, back=here, message=lambda _r: f"Rules of {site.name} removed.",
    )  # fmt: skip


ROUTES = [
    ("/<int:scenario_id>/calendar", "calendar", calendar, ["GET", "POST"]),
    ("/<int:scenario_id>/windows/new", "window_create", window_create, ["GET", "POST"]),
    ("/<int:scenario_id>/windows/<int:window_id>/edit", "window_edit", window_edit,
     ["GET", "POST"]),
    ("/<int:scenario_id>/windows/<int:window_id>/delete", "window_delete", window_delete,
     ["POST"]),
    ("/<int:scenario_id>/sites", "sites", sites, ["GET"]),
    ("/<int:scenario_id>/sites/<int:site_id>/edit", "site_edit", site_edit, ["GET", "POST"]),
    ("/<int:scenario_id>/sites/<int:site_id>/remove", "site_remove", site_remove, ["POST"]),
]  # fmt: skip
