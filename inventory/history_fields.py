"""What the change log's fields are called and how their values read, per audited table.

Labels are the words the forms use; anything not named here is labelled from its column name
(`warranty_end_on` reads "Warranty end"). The kind of a value (money, a date, a choice, another
record) comes from the model's own columns (`kind_of`); the few the columns cannot tell (months
counted from a scenario's first month, per-year budgets) are listed here.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, Float, Integer, Numeric
from sqlalchemy.orm import Mapper

from inventory.base import Base

# Labels shared by every table, then each table's own.
COMMON_LABELS = {
    "code": "Code", "name": "Name", "description": "Description", "notes": "Notes",
    "note": "Note", "status": "Status", "is_active": "Active", "created_by_id": "Created by",
    "scenario_id": "Scenario", "site_id": "Site", "system_id": "System", "trade_id": "Trade",
    "region_id": "Region", "model_id": "Model", "manufacturer_id": "Manufacturer",
    "upgrade_type_id": "Upgrade type", "value": "Value", "version": "Version",
    "duration_months": "Duration (months)", "cost_cents": "Cost", "kind": "Kind",
}  # fmt: skip

LABELS: dict[str, dict[str, str]] = {
    "assets": {
        "tag": "Asset tag", "serial": "Serial number", "location": "Room or closet",
        "installed_on": "Install date", "warranty_end_on": "Warranty end",
        "end_of_life_on": "End of life",
    },
    "sites": {
        "code": "Site code", "postal_code": "Postal code", "administrator_name": "Administrator",
        "administrator_email": "Administrator's email",
    },
    "systems": {"default_useful_life_years": "Default useful life (years)"},
    "asset_models": {
        "part_number": "Part number", "useful_life_years": "Useful life (years)",
        "end_of_sale_on": "End of sale", "end_of_support_on": "End of support",
        "unit_cost_cents": "Unit cost",
    },
    "users": {
        "username": "User name", "full_name": "Full name", "email": "Email", "role": "Role",
        "password_hash": "Password", "session_token": "Sign-in key", "sites": "Sites",
    },
    "import_mappings": {"kind": "Import of", "mapping": "Columns"},
    "upgrade_types": {
        "fixed_cost_cents": "Fixed cost", "per_asset_cost_cents": "Cost per asset",
        "per_student_cost_cents": "Cost per student", "value_weight": "Value weight",
        "is_disruptive": "Disruptive (work windows only)",
        "is_erate_eligible": "E-Rate Category 2 eligible",
        "replaces_end_of_life": "Replaces assets at end of life",
        "coverage_min_assets": "Coverage: at least (assets)",
        "coverage_students_per_asset": "Coverage: students per asset",
        "crew_needs": "Crews", "prerequisites": "Prerequisites",
    },
    "scenarios": {
        "first_year": "First fiscal year", "years": "Fiscal years", "start_month": "First month",
        "annual_budgets_cents": "Annual budgets", "monthly_caps_cents": "Monthly caps",
        "blackout_months": "Blackout months",
        "default_max_concurrent": "Projects at once per site",
        "time_limit_s": "Search time (seconds)", "move_penalty": "Penalty for moving a project",
        "status_note": "Note", "copied_from_id": "Copied from",
        "needs_generated_at": "Needs generated",
    },
    "scenario_trades": {"crews_by_month": "Crews by month"},
    "funding_sources": {
        "cap_cents": "Cap", "is_default": "Pays for projects that name no source",
        "erate_per_student_cents": "E-Rate per student", "erate_floor_cents": "E-Rate floor",
        "erate_discount_percent": "E-Rate discount (%)", "erate_pooled": "E-Rate pooled",
    },
    "work_windows": {"months": "Months"},
    "scenario_sites": {
        "max_concurrent": "Projects at once", "blackout_months": "Blackout months",
        "erate_committed_cents": "E-Rate committed",
    },
    "projects": {
        "scope": "Scope", "need_kind": "Need", "need_summary": "Need in words",
        "assets_replaced": "Assets replaced", "assets_overdue": "Assets past end of life",
        "assets_added": "Assets added", "is_generated": "Made from needs",
        "cost_basis": "How the cost was worked out", "is_mandatory": "Mandatory",
        "earliest_month": "Earliest start", "latest_month": "Last month under way",
        "allowed_start_months": "Only start in", "pinned_month": "Pinned to",
        "funding_source_id": "Funding source", "is_withdrawn": "Withdrawn", "phase": "Phase",
        "manager_id": "Project manager", "actual_start_on": "Actual start",
        "actual_finish_on": "Actual finish", "actual_cost_cents": "Actual cost",
        "lessons_learned": "Lessons learned", "predecessors": "Must follow",
    },
    "plans": {
        "status": "Result", "bound": "Best possible value", "runtime_s": "Run time (seconds)",
        "time_limit_s": "Time limit (seconds)", "method": "Method",
        "stopped_early": "Stopped early", "based_on_id": "Re-plan of",
        "move_penalty": "Penalty for moving a project", "total_cost_cents": "Total cost",
        "projects_scheduled": "Projects scheduled", "projects_left_out": "Projects left out",
        "job_id": "Job", "created_at": "Made", "published_at": "Published",
        "published_by_id": "Published by",
    },
}  # fmt: skip

# Bookkeeping the history leaves out.
HIDDEN = {
    "scenarios": {"inputs_revision", "running_job_id"},
    "plans": {"inputs_revision"},
}

# Values the columns cannot tell apart, by (table, field).
SCENARIO_MONTH = {("projects", "earliest_month"), ("projects", "latest_month"),
                  ("projects", "pinned_month")}  # fmt: skip
SCENARIO_MONTHS = {
    ("scenarios", "blackout_months"), ("work_windows", "months"),
    ("scenario_sites", "blackout_months"), ("projects", "allowed_start_months"),
}  # fmt: skip
PER_MONTH = {("scenario_trades", "crews_by_month"), ("scenarios", "monthly_caps_cents")}
PER_FISCAL_YEAR = {("scenarios", "annual_budgets_cents")}
CALENDAR_MONTH = {("scenarios", "start_month")}
FISCAL_YEAR = {("scenarios", "first_year")}
CAPITALISED = {("plans", "status")}  # the optimiser's words: optimal, feasible


def label_of(table: str, key: str) -> str:
    """The field's label: the table's own, the common one, or its name in words."""
    known = LABELS.get(table, {}).get(key) or COMMON_LABELS.get(key)
    if known:
        return known
    words = key.removeprefix("is_")
    for suffix in ("_id", "_cents", "_on", "_at"):
        words = words.removesuffix(suffix)
    return words.replace("_", " ").capitalize()


@cache
def mapper_of(table: str) -> Mapper | None:
    """The mapper of the model stored in the table, if any."""
    return next((m for m in Base.registry.mappers if m.local_table.name == table), None)


@cache
def kind_of(table: str, key: str) -> tuple[str, Any]:
    """How the field's values read: a kind, and the enum or table it needs."""
    mapper = mapper_of(table)
    model = mapper.class_ if mapper is not None else None
    if key in getattr(model, "__audit_redact__", ()):
        return "secret", None
    if key in getattr(model, "__audit_collections__", ()):
        return "names", None
    for kind, fields in (("month", SCENARIO_MONTH), ("months", SCENARIO_MONTHS),
                         ("per_month", PER_MONTH), ("per_year", PER_FISCAL_YEAR),
                         ("calendar_month", CALENDAR_MONTH),
                         ("fiscal_year", FISCAL_YEAR)):  # fmt: skip
        if (table, key) in fields:
            return kind, "money" if key.endswith("_cents") else None
    if (table, key) in CAPITALISED:
        return "capitalised", None
    column = mapper.local_table.columns.get(key) if mapper is not None else None
    if column is None:
        return "text", None
    if column.foreign_keys:
        return "ref", next(iter(column.foreign_keys)).column.table.name
    if key.endswith("_cents"):
        return "money", None
    return _kind_of_type(column.type)


def _kind_of_type(column_type: Any) -> tuple[str, Any]:
    """The kind of a column's values from its SQL type."""
    if isinstance(column_type, Enum) and column_type.enum_class is not None:
        return "choice", column_type.enum_class
    for sql_type, kind in ((DateTime, "datetime"), (Date, "date"), (Boolean, "yes_no"),
                           (Integer, "whole"), (Float, "number"), (Numeric, "number"),
                           (JSON, "list")):  # fmt: skip
        if isinstance(column_type, sql_type):
            return kind, None
    return "text", None


@cache
def field_order(table: str) -> dict[str, int]:
    """The model's column order (then its collections), for listing fields as forms do."""
    mapper = mapper_of(table)
    if mapper is None:
        return {}
    keys = [attr.key for attr in mapper.column_attrs]
    keys += list(getattr(mapper.class_, "__audit_collections__", ()))
    return {key: index for index, key in enumerate(keys)}
