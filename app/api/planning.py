"""/api/v1/scenarios and /plans: the planning, read-only, for plan readers (site
administrators get 403, as on the planning pages): scenarios, their plan versions, the
published baseline, and a plan's scheduled and left-out projects in calendar months and a
planner's words."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from app.api.auth import api_roles
from app.api.common import PAGE_HEADERS, blueprint, not_found, paged, problems
from app.api.schemas import PageArgsSchema, page_schema, query_id, text
from app.db import get_session
from app.planning.charts_pages import reasons_in_words
from app.security import PLAN_READERS
from inventory.models import Plan, PlanAssignment, PlanLeftOut, Scenario
from inventory.queries.paging import Page, page_of
from inventory.queries.plans import PlanFilters, PlanRow, left_out_rows, narrowed, schedule_rows
from inventory.queries.published import published_plan

bp = blueprint("planning", "", "Scenarios and their plans (read-only; plan readers).")
LIGHT = (defer(Plan.problem), defer(Plan.stats))  # a plan's summary without its problem


class ScenarioSchema(Schema):
    """A scenario: one set of plan inputs for some fiscal years."""

    id = fields.Integer()
    name = fields.String()
    description = fields.String(allow_none=True)
    first_year = fields.Integer(metadata={"description": "The first fiscal year (FY2028...)."})
    years = fields.Integer()
    first_month_on = fields.Date(metadata={"description": "The first day of month 0."})
    status = fields.String(metadata={"description": "draft, submitted or approved"})
    version = fields.Integer()


class PlanSchema(Schema):
    """A plan version of a scenario."""

    id = fields.Integer()
    scenario_id = fields.Integer()
    version = fields.Integer()
    status = fields.String(metadata={"description": "The optimiser's: optimal or feasible."})
    value = fields.Integer()
    total_cost_cents = fields.Integer()
    projects_scheduled = fields.Integer()
    projects_left_out = fields.Integer()
    created_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)
    is_published = fields.Boolean()
    is_baseline = fields.Boolean(metadata={"description": "The scenario's latest publication."})


class ProjectRowSchema(Schema):
    """A project of a plan: where and what it is."""

    project_id = fields.Integer()
    name = fields.String()
    key = fields.String()
    site_id = fields.Integer()
    site_code = fields.String()
    site_name = fields.String()
    region_name = fields.String(allow_none=True)
    system = fields.String()
    upgrade = fields.String()
    trades = fields.List(fields.String())
    cost_cents = fields.Integer()
    value = fields.Integer()


class AssignmentSchema(ProjectRowSchema):
    """A scheduled project: its months as calendar dates."""

    start_month = fields.Integer(metadata={"description": "The scenario's month (0 = first)."})
    start_on = fields.Date(metadata={"description": "The first day of its first month."})
    end_on = fields.Date(metadata={"description": "The first day of its last month."})
    duration_months = fields.Integer()
    is_pinned = fields.Boolean()


class LeftOutSchema(ProjectRowSchema):
    """A project the plan leaves out, and why."""

    reason = fields.String(metadata={"description": "Why, in a planner's words."})
    limit_key = fields.String(metadata={"description": "The limit that kept it out."})


class PlanRowFilterSchema(PageArgsSchema):
    """A plan's rows, narrowed as on the plan pages."""

    region_id = query_id("Projects at the sites of this region.")
    site = text(100, metadata={"description": "A site code, or part of a site's code or name."})
    system_id = query_id("Projects of this system.")
    trade_id = query_id("Projects needing this trade.")


def _scenario(scenario_id: int) -> Scenario:
    """The scenario, or a 404."""
    scenario = get_session().get(Scenario, scenario_id)
    if scenario is None:
        raise not_found("scenario")
    return scenario


def _plan(plan_id: int) -> Plan:
    """The plan, or a 404."""
    plan = get_session().scalar(select(Plan).where(Plan.id == plan_id).options(*LIGHT))
    if plan is None:
        raise not_found("plan")
    return plan


def dump_scenario(scenario: Scenario) -> dict[str, Any]:
    """A scenario as the API shows it."""
    names = ("id", "name", "description", "first_year", "years", "first_month_on", "version")
    return {**{name: getattr(scenario, name) for name in names}, "status": scenario.status.value}


def dump_plan(plan: Plan, baseline_id: int | None) -> dict[str, Any]:
    """A plan version as the API shows it."""
    names = ("id", "scenario_id", "version", "status", "value", "total_cost_cents",
             "projects_scheduled", "projects_left_out", "created_at", "published_at",
             "is_published")  # fmt: skip
    return {**{name: getattr(plan, name) for name in names}, "is_baseline": plan.id == baseline_id}


def _baseline_id(scenario: Scenario) -> int | None:
    """The id of the scenario's published baseline, if any."""
    baseline = published_plan(get_session(), scenario)
    return baseline.id if baseline is not None else None


def _row(row: PlanRow) -> dict[str, Any]:
    """The fields every plan row has."""
    names = ("project_id", "name", "key", "site_id", "site_code", "site_name", "region_name",
             "cost_cents", "value")  # fmt: skip
    body = {name: getattr(row, name) for name in names}
    body.update(system=row.system_name, upgrade=row.upgrade_type_name, trades=list(row.trades))
    return body


def _plan_filters(args: dict[str, Any]) -> PlanFilters:
    """The plan rows' filters."""
    return PlanFilters(
        region_id=args.get("region_id"), site=args.get("site", ""),
        system_id=args.get("system_id"), trade_id=args.get("trade_id"),
    )  # fmt: skip


def _count(entity: type, plan: Plan, filters: PlanFilters) -> int:
    """How many rows of a plan's assignments or left-out projects the filters keep."""
    query = select(func.count(entity.id)).where(entity.plan_id == plan.id)
    query = narrowed(query, get_session(), filters, entity.project_id)
    return get_session().scalar(query) or 0


def _page(rows: list[PlanRow], args: dict[str, Any], total: int) -> Page:
    """A page of plan rows (fetched with one more row than the page)."""
    per_page = args["per_page"]
    return Page(rows=rows[:per_page], number=args["page"], per_page=per_page,
                has_next=len(rows) > per_page, total=total, total_is_capped=False)  # fmt: skip


ScenarioPage = page_schema("ScenarioPage", ScenarioSchema)
PlanPage = page_schema("PlanPage", PlanSchema)


@bp.route("/scenarios")
class Scenarios(MethodView):
    """Every scenario."""

    @api_roles(*PLAN_READERS)
    @bp.arguments(PageArgsSchema, location="query", unknown="raise")
    @bp.response(200, ScenarioPage, headers=PAGE_HEADERS)
    @problems(bp, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> Any:
        """List scenarios, newest fiscal year first."""
        query = select(Scenario).order_by(Scenario.first_year.desc(), Scenario.name, Scenario.id)
        page = page_of(get_session(), query, args["page"], args["per_page"])
        return paged(page, lambda row: dump_scenario(row[0]))


@bp.route("/scenarios/<int:scenario_id>")
class ScenarioItem(MethodView):
    """One scenario."""

    @api_roles(*PLAN_READERS)
    @bp.response(200, ScenarioSchema)
    @problems(bp, 401, 403, 404)
    def get(self, scenario_id: int) -> Any:
        """Read a scenario."""
        return dump_scenario(_scenario(scenario_id))


@bp.route("/scenarios/<int:scenario_id>/plans")
class ScenarioPlans(MethodView):
    """A scenario's plan versions."""

    @api_roles(*PLAN_READERS)
    @bp.arguments(PageArgsSchema, location="query", unknown="raise")
    @bp.response(200, PlanPage, headers=PAGE_HEADERS)
    @problems(bp, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], scenario_id: int) -> Any:
        """List a scenario's plans, newest version first, with their status, value, cost and
        publication."""
        scenario = _scenario(scenario_id)
        baseline_id = _baseline_id(scenario)
        query = (
            select(Plan).where(Plan.scenario_id == scenario.id).options(*LIGHT)
            .order_by(Plan.version.desc())
        )  # fmt: skip
        page = page_of(get_session(), query, args["page"], args["per_page"])
        return paged(page, lambda row: dump_plan(row[0], baseline_id))


@bp.route("/scenarios/<int:scenario_id>/baseline")
class ScenarioBaseline(MethodView):
    """A scenario's published baseline."""

    @api_roles(*PLAN_READERS)
    @bp.response(200, PlanSchema)
    @problems(bp, 401, 403, 404)
    def get(self, scenario_id: int) -> Any:
        """Read the scenario's latest published plan (404 when none is published)."""
        plan = published_plan(get_session(), _scenario(scenario_id))
        if plan is None:
            raise not_found("published plan of this scenario")
        return dump_plan(plan, plan.id)


@bp.route("/plans/<int:plan_id>")
class PlanItem(MethodView):
    """One plan version."""

    @api_roles(*PLAN_READERS)
    @bp.response(200, PlanSchema)
    @problems(bp, 401, 403, 404)
    def get(self, plan_id: int) -> Any:
        """Read a plan version."""
        plan = _plan(plan_id)
        return dump_plan(plan, _baseline_id(plan.scenario))


@bp.route("/plans/<int:plan_id>/assignments")
class PlanAssignments(MethodView):
    """A plan's schedule."""

    @api_roles(*PLAN_READERS)
    @bp.arguments(PlanRowFilterSchema, location="query", unknown="raise")
    @bp.response(200, page_schema("AssignmentPage", AssignmentSchema), headers=PAGE_HEADERS)
    @problems(bp, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], plan_id: int) -> Any:
        """List a plan's scheduled projects by start month, region and site: each with its
        site, upgrade, trades and start month as a date."""
        plan, filters = _plan(plan_id), _plan_filters(args)
        offset = (args["page"] - 1) * args["per_page"]
        rows = schedule_rows(get_session(), plan.id, filters, offset=offset,
                             limit=args["per_page"] + 1)  # fmt: skip
        scenario = plan.scenario

        def dump(row: PlanRow) -> dict[str, Any]:
            return {
                **_row(row), "start_month": row.start_month,
                "start_on": scenario.month_on(row.start_month),
                "end_on": scenario.month_on(row.start_month + row.duration_months - 1),
                "duration_months": row.duration_months, "is_pinned": row.is_pinned,
            }  # fmt: skip

        return paged(_page(rows, args, _count(PlanAssignment, plan, filters)), dump)


@bp.route("/plans/<int:plan_id>/left-out")
class PlanLeftOuts(MethodView):
    """What a plan leaves out."""

    @api_roles(*PLAN_READERS)
    @bp.arguments(PlanRowFilterSchema, location="query", unknown="raise")
    @bp.response(200, page_schema("LeftOutPage", LeftOutSchema), headers=PAGE_HEADERS)
    @problems(bp, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], plan_id: int) -> Any:
        """List the projects a plan leaves out, each with its reason in a planner's words."""
        plan, filters = _plan(plan_id), _plan_filters(args)
        offset = (args["page"] - 1) * args["per_page"]
        rows = left_out_rows(get_session(), plan.id, filters, offset=offset,
                             limit=args["per_page"] + 1)  # fmt: skip
        page = _page(rows, args, _count(PlanLeftOut, plan, filters))
        reasons = reasons_in_words(get_session(), plan.scenario, page.rows)

        def dump(row: PlanRow) -> dict[str, Any]:
            return {**_row(row), "reason": reasons[row.project_id], "limit_key": row.limit_key}

        return paged(page, dump)
