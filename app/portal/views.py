"""My site: what the published plan does at a site administrator's own sites.

Who sees what: a site administrator opens only their own sites (any other site id is a 404,
through inventory.queries.scope.visible_site); district roles (administrator, infrastructure
staff, planner, PMO viewer) may open any site's page, to see what a principal sees. A site
administrator (for their sites) and the plan editors (for any site, say a request phoned in)
ask for other blackout months; plan editors and the PMO viewer read the requests, and plan
editors answer them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import get_or_404, get_session
from app.forms import choices
from app.pages import int_arg, show_error
from app.pdf import render_pdf
from app.portal.forms import AnswerForm, BlackoutRequestForm
from app.portal.timeline import PHONE, PRINT, Layout, site_timeline, timeline_svg
from app.security import EVERYONE, PLAN_EDITORS, role_required
from inventory.enums import Role
from inventory.errors import DomainError
from inventory.models import BlackoutRequest, Site
from inventory.operations.portal import answer_request as answer_blackout_request
from inventory.operations.portal import record_visit, request_blackouts
from inventory.queries.portal import (
    REQUEST_STATUSES,
    SitePortal,
    blackout_requests,
    coming_months,
    day_name,
    from_key,
    month_key,
    month_name,
    months_in_words,
    request_differences,
    site_portal,
    user_sites,
)
from inventory.queries.published import current_baseline
from inventory.queries.scope import site_options, visible_site

bp = Blueprint("portal", __name__, url_prefix="/portal")
REQUESTERS = (Role.SITE_ADMIN, *PLAN_EDITORS)
REQUEST_READERS = (*PLAN_EDITORS, Role.PMO)


def _site_or_404(site_id: int) -> Site:
    """The site, if the user may see it (a site administrator: only their own)."""
    site = visible_site(get_session(), current_user, site_id)
    if site is None:
        abort(404)
    return site


@bp.route("/")
@role_required(*EVERYONE)
def index() -> str | Response:
    """A site administrator's only site, or a choice of sites."""
    session = get_session()
    chosen = int_arg("site_id")
    if chosen is not None:
        return redirect(url_for("portal.site", site_id=chosen))
    if current_user.role is Role.SITE_ADMIN:
        sites = user_sites(session, current_user)
        if len(sites) == 1:
            return redirect(url_for("portal.site", site_id=sites[0].id))
        return render_template("portal/index.html", sites=sites, options=None)
    options = site_options(session, current_user)
    return render_template("portal/index.html", sites=[], options=options,
                           can_read_requests=current_user.role in REQUEST_READERS)  # fmt: skip


@bp.route("/sites/<int:site_id>")
@role_required(*EVERYONE)
def site(site_id: int) -> str:
    """The site's upgrades in the published plan, what changed, its blackout months."""
    session = get_session()
    place = _site_or_404(site_id)
    portal = _portal(place, visit=True)
    form = _request_form(portal)
    page = render_template("portal/site.html", **_context(portal), form=form,
                           feed_panel=_feed_panel())  # fmt: skip
    session.commit()  # the visit
    return page


@bp.route("/sites/<int:site_id>/schedule.pdf")
@role_required(*EVERYONE)
def site_pdf(site_id: int) -> Response:
    """The site's schedule on one page, for the notice board."""
    place = _site_or_404(site_id)
    portal = _portal(place, visit=False)
    count = len(portal.upcoming) + len(portal.done)
    scale = 10.5 if count <= 8 else 9.5 if count <= 11 else 8.5 if count <= 16 else 7
    html = render_template("portal/schedule_pdf.html", **_context(portal, PRINT),
                           font_pt=scale, printed_on=day_name(portal.today))  # fmt: skip
    response = Response(render_pdf(html), mimetype="application/pdf")
    name = f"{place.code}-schedule.pdf".replace('"', "")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/sites/<int:site_id>/blackout-requests", methods=["POST"])
@role_required(*REQUESTERS)
def request_blackout_months(site_id: int) -> str | Response:
    """Ask the planners for other blackout months at the site."""
    session = get_session()
    place = _site_or_404(site_id)
    portal = _portal(place, visit=False)
    form = _request_form(portal)
    if form.validate_on_submit():
        try:
            request_blackouts(session, place, by=current_user, months=form.months.data or [],
                              note=form.note.data, on_record=_on_record(portal))  # fmt: skip
        except DomainError as error:
            session.rollback()
            show_error(form, error)
        else:
            session.commit()
            flash("Your request was sent to the planners.", "success")
            return redirect(url_for("portal.site", site_id=place.id, _anchor="blackouts"))
    page = render_template("portal/site.html", **_context(portal), form=form,
                           feed_panel=_feed_panel())  # fmt: skip
    return page, 400  # type: ignore[return-value]


@bp.route("/requests")
@role_required(*REQUEST_READERS)
def requests() -> str:
    """Every site's blackout requests, open ones first."""
    status = request.args.get("status") or None
    status = status if status in REQUEST_STATUSES else None
    session = get_session()
    rows = blackout_requests(session, status=status)
    differences = request_differences(session, rows, today=dt.date.today())
    can_answer = current_user.role in PLAN_EDITORS
    return render_template("portal/requests.html", rows=rows, status=status,
                           statuses=REQUEST_STATUSES, can_answer=can_answer,
                           months_of=_request_months, differences=differences,
                           month_name=month_name)  # fmt: skip


@bp.route("/requests/<int:request_id>/answer", methods=["POST"])
@role_required(*PLAN_EDITORS)
def answer_request(request_id: int) -> Response:
    """Mark a request done or declined, with a message to the school."""
    session = get_session()
    row = get_or_404(BlackoutRequest, request_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "danger")
        return redirect(url_for("portal.requests"))
    try:
        answer_blackout_request(session, row, by=current_user, status=form.status.data,
                                answer=form.answer.data)  # fmt: skip
    except DomainError as error:
        session.rollback()
        flash(error.message, "danger")
    else:
        session.commit()
        flash(f"The request of {row.site.name} is marked {form.status.data}.", "success")
    return redirect(url_for("portal.requests"))


def _portal(place: Site, *, visit: bool) -> SitePortal:
    """The site's page data; the visit recorded (and the previous one used) when `visit`."""
    session = get_session()
    today = dt.date.today()
    previous = None
    if visit:
        baseline = current_baseline(session)
        previous = record_visit(session, current_user, place,
                                plan_id=baseline.id if baseline else None)  # fmt: skip
    return site_portal(session, place, today=today, last_visit=previous)


def _on_record(portal: SitePortal) -> list[str]:
    """The blackout months on record among the coming twelve, as "YYYY-MM"."""
    coming = {month_key(day) for day in coming_months(portal.today)}
    return sorted(month_key(b.month) for b in portal.blackouts if month_key(b.month) in coming)


def _request_form(portal: SitePortal) -> BlackoutRequestForm:
    """The request form: the coming twelve months, those on record ticked."""
    form = BlackoutRequestForm()
    form.months.choices = choices(
        (month_key(day), month_name(day)) for day in coming_months(portal.today)
    )
    if not form.is_submitted():
        form.months.data = _on_record(portal)
    return form


def _request_months(row: BlackoutRequest) -> str:
    """A request's months in words ("none" when it asks for no blackout month)."""
    days = [day for day in (from_key(key) for key in row.months or []) if day is not None]
    return ", ".join(month_name(day) for day in sorted(days)) or "no blackout month"


def _context(portal: SitePortal, layout: Layout = PHONE) -> dict[str, Any]:
    """What the page and the PDF share."""
    blackout_days = [b.month for b in portal.blackouts]
    projects = sorted([*portal.done, *portal.upcoming], key=lambda p: p.starts_on)
    chart = site_timeline(
        projects, blackout_days, today=portal.today,
        fiscal_start_month=int(current_app.config["FISCAL_YEAR_START_MONTH"]), layout=layout,
    )  # fmt: skip
    return {
        "portal": portal,
        "place": portal.site,
        "timeline": timeline_svg(chart, f"{portal.site.name}: the year's upgrades"),
        "when": lambda p: months_in_words(p.starts_on, p.ends_on),
        "month_name": month_name,
        "day_name": day_name,
        "months_of": _request_months,
        "statuses": REQUEST_STATUSES,
        "can_request": current_user.role in REQUESTERS,
        "can_read_requests": current_user.role in REQUEST_READERS,
        "is_site_admin": current_user.role is Role.SITE_ADMIN,
    }


def _feed_panel() -> Any:
    """The calendar feed panel's context, when the calendar feature is installed."""
    try:
        from app.calendar.panel import feed_panel  # an optional feature
    except ImportError:
        return None
    return feed_panel(current_user)
