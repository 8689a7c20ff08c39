"""Planning pages: reviewing a plan. Its overview (value, bound and gap, budget, funding, crews,
where value was lost), the monthly schedule, the timelines, the projects left out and why, and
the plan as a JSON file anyone's checker can re-check."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from sqlalchemy.orm import defer

from app.db import get_session
from app.pages import int_arg
from app.planning.charts_figures import group_words, limit_groups, plan_is_proven
from app.planning.charts_gantt import gantt_svg
from app.planning.charts_pages import (
    month_labels,
    overview_of,
    reasons_in_words,
    sites_timeline,
    trades_timeline,
)
from app.planning.common import READERS, has_endpoint
from app.security import role_required
from inventory.models import Plan
from inventory.queries.plan_totals import (
    left_out_by_limit,
    month_totals,
    plan_horizon,
    solution_rows,
)
from inventory.queries.plans import (
    PlanFilters,
    filter_options,
    left_out_rows,
    schedule_rows,
    trades_by_code,
)
from scheduler import Assignment, Solution, Unscheduled
from scheduler.io import solution_to_dict

bp = Blueprint("plans", __name__, url_prefix="/planning/plans")
ROWS_PER_PAGE = 200
SITES_PER_PAGE = 40
CREWS_PER_PAGE = 40
FILTER_KEYS = ("region", "site", "system", "trade")


def _filters() -> PlanFilters:
    """The filters from the query string (a hand-edited value filters nothing, never fails)."""
    return PlanFilters(
        region_id=int_arg("region"),
        site=request.args.get("site", "")[:100],
        system_id=int_arg("system"),
        trade_id=int_arg("trade"),
    )


def _filter_args() -> dict[str, Any]:
    """The filters as they appear in the query string, for links that keep them."""
    return {key: request.args[key] for key in FILTER_KEYS if request.args.get(key, "").strip()}


def _plan_or_404(plan_id: int, *, with_problem: bool = False) -> Plan:
    """The plan, or a 404 page; its stored problem (megabytes for a big plan) is read only by
    the pages that need it."""
    options = [] if with_problem else [defer(Plan.problem)]
    plan = get_session().get(Plan, plan_id, options=options)
    if plan is None:
        abort(404)
    return plan


def _page() -> int:
    """The page number asked for (1 when absent or nonsense)."""
    return int_arg("page", minimum=1, maximum=100_000) or 1


def _links(plan: Plan) -> dict[str, Any]:
    """Where the charts' marks lead: a crew cell to that month's schedule of that trade, a
    site to its schedule, a project to its page."""
    args = _filter_args()
    trades = trades_by_code(get_session())

    def crews(code: str, month: int) -> str:
        """The month's schedule of the projects needing the trade."""
        keep = {k: v for k, v in args.items() if k != "trade"}
        return url_for(
            "plans.schedule",
            plan_id=plan.id,
            month=month,
            trade=trades.get(code, (None,))[0],
            **keep,
        )

    def site(code: str) -> str:
        """The site's schedule."""
        keep = {k: v for k, v in args.items() if k != "site"}
        return url_for("plans.schedule", plan_id=plan.id, site=code, **keep)

    def project(project_id: int) -> str | None:
        """The project's page, once the projects pages exist."""
        return (
            url_for("projects.detail", project_id=project_id)
            if has_endpoint("projects.detail")
            else None
        )

    return {"crews": crews, "site": site, "project": project}


def _render(template: str, plan: Plan, **context: Any) -> str:
    """A plan page with the filters' choices and the current filters."""
    return render_template(
        f"planning/plans/{template}", plan=plan, scenario=plan.scenario, args=_filter_args(),
        options=filter_options(get_session()), **context,
    )  # fmt: skip


@bp.route("/<int:plan_id>")
@role_required(*READERS)
def overview(plan_id: int) -> str:
    """The plan at a glance: value, bound and gap, budget, funding, crews, value lost."""
    plan = _plan_or_404(plan_id, with_problem=True)
    figures = overview_of(get_session(), plan, _filters(), _links(plan))
    return _render("overview.html", plan, figures=figures, proven=plan_is_proven(plan))


@bp.route("/<int:plan_id>/schedule")
@role_required(*READERS)
def schedule(plan_id: int) -> str:
    """For each month what starts and what is under way, by region and site, filtered."""
    plan, session, filters = _plan_or_404(plan_id), get_session(), _filters()
    months = plan_horizon(session, plan.id)
    month = int_arg("month", maximum=months - 1)
    totals = month_totals(session, plan.id, months, filters)
    count = sum(t.starting for t in totals) if month is None else totals[month].under_way
    page = _page()
    rows = schedule_rows(
        session, plan.id, filters, month=month, offset=(page - 1) * ROWS_PER_PAGE,
        limit=ROWS_PER_PAGE,
    )  # fmt: skip
    return _render(
        "schedule.html", plan, rows=rows, totals=totals, month=month, count=count, page=page,
        per_page=ROWS_PER_PAGE, labels=month_labels(plan.scenario, months),
    )  # fmt: skip


@bp.route("/<int:plan_id>/timeline")
@role_required(*READERS)
def timeline(plan_id: int) -> str:
    """The Gantt chart per site (a page of sites) or per trade (a page of crews)."""
    by_trade = request.args.get("view") == "trade"
    plan, filters, page = _plan_or_404(plan_id, with_problem=by_trade), _filters(), _page()
    build, per_page = (
        (trades_timeline, CREWS_PER_PAGE) if by_trade else (sites_timeline, SITES_PER_PAGE)
    )
    found = build(get_session(), plan, filters, page, per_page, _links(plan))
    title = "Timeline per trade: a row per crew" if by_trade else "Timeline per site"
    chart = gantt_svg(found.chart, title)
    return _render(
        "timeline.html", plan, view="trade" if by_trade else "site", chart=chart,
        total=found.total, page=page, per_page=per_page,
    )  # fmt: skip


@bp.route("/<int:plan_id>/left-out")
@role_required(*READERS)
def left_out(plan_id: int) -> str:
    """The projects the plan leaves out, each with its reason, filterable by limit."""
    plan, session, filters = _plan_or_404(plan_id), get_session(), _filters()
    words = group_words(session, plan.scenario)
    groups = limit_groups(left_out_by_limit(session, plan.id, filters), words)
    limit = request.args.get("limit")
    chosen = next((g for g in groups if g.key == limit), None)
    keys = None if limit is None else list(chosen.limit_keys) if chosen else []
    count = sum(g.projects for g in groups) if limit is None else chosen.projects if chosen else 0
    page = _page()
    rows = left_out_rows(
        session, plan.id, filters, limit_keys=keys, offset=(page - 1) * ROWS_PER_PAGE,
        limit=ROWS_PER_PAGE,
    )  # fmt: skip
    return _render(
        "left_out.html", plan, rows=rows, reasons=reasons_in_words(session, plan.scenario, rows),
        groups=groups, limit=limit, chosen=chosen, count=count, page=page, per_page=ROWS_PER_PAGE,
    )  # fmt: skip


@bp.route("/<int:plan_id>/plan.json")
@role_required(*READERS)
def export_json(plan_id: int) -> Response:
    """The plan's problem and its solution as stored, for `python -m scheduler check`."""
    plan = _plan_or_404(plan_id, with_problem=True)
    starts, left = solution_rows(get_session(), plan.id)
    solution = Solution(
        status=plan.status, objective=plan.value, bound=plan.bound, runtime_s=plan.runtime_s,
        assignments=[Assignment(key, start) for key, start in starts],
        unscheduled=[Unscheduled(key, reason, limit) for key, reason, limit in left],
        method=plan.method, stats=dict(plan.stats or {}),
    )  # fmt: skip
    body = json.dumps({"problem": plan.problem, "solution": solution_to_dict(solution)}, indent=1)
    name = re.sub(r"[^A-Za-z0-9]+", "-", plan.scenario.name).strip("-").lower() or "plan"
    return Response(
        body + "\n",
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{name}-version-{plan.version}.json"',
            "Cache-Control": "no-store",
        },
    )
