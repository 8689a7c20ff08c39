"""What `flask sep` reads and prints: scenarios by name, plan versions, the scenario list, needs,
a plan rebuilt as the optimiser's solution, and one-line refusals (exit 2, no traceback)."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, NoReturn

import click
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.planning.common import money
from app.planning.solving import MAX_TIME_LIMIT_S
from app.security import PLAN_EDITORS
from inventory.models import Plan, Project, Scenario, User
from inventory.needs import NeedsPreview, NeedsResult
from scheduler import Assignment, Solution, Unscheduled

EXIT_NO_PLAN, EXIT_INVALID, EXIT_INFEASIBLE = 1, 2, 3


def refuse(message: str) -> NoReturn:
    """Print one line on stderr and exit 2 (bad input)."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_INVALID)


def scenario_named(session: Session, name: str | None) -> Scenario:
    """The scenario with this name, or exit 2."""
    if not name or not name.strip():
        refuse("give the scenario with --scenario NAME.")
    scenario = session.scalar(select(Scenario).where(Scenario.name == name.strip()))
    if scenario is None:
        refuse(f"there is no scenario named {name.strip()!r} (see `flask sep scenarios`).")
    return scenario


def acting_user(session: Session, username: str | None) -> User | None:
    """The user named with --by (recorded as who did it), None for "system", or exit 2."""
    if username is None:
        return None
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.is_active:
        refuse(f"there is no active user named {username.strip()!r} for --by.")
    if user.role not in PLAN_EDITORS:
        refuse(f"{user.username} is a {user.role.label.lower()}; only planners and "
               "administrators change plans.")  # fmt: skip
    return user


def whole_number(text: str | None, option: str, low: int, high: int) -> int | None:
    """An option's whole number within bounds (None when not given), or exit 2."""
    if text is None:
        return None
    value = text.strip()
    digits = value[1:] if value[:1] in "+-" else value
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
        refuse(f"{option} must be a whole number, not {text!r}.")
    number = int(value)
    if not low <= number <= high:
        refuse(f"{option} must be from {low} to {high}, not {number}.")
    return number


def time_limit(text: str | None, scenario: Scenario, default: int) -> int:
    """--time-limit in seconds (1 to an hour), else the scenario's own limit."""
    given = whole_number(text, "--time-limit", 1, MAX_TIME_LIMIT_S)
    return given if given is not None else int(scenario.time_limit_s or default)


def plan_version(session: Session, scenario: Scenario, version: int | None) -> Plan | None:
    """Version N of the scenario's plan (exit 2 if there is none), or None when not asked."""
    if version is None:
        return None
    plan = session.scalar(
        select(Plan).where(Plan.scenario_id == scenario.id, Plan.version == version)
    )
    if plan is None:
        refuse(f"{scenario.name} has no version {version} (see `flask sep scenarios`).")
    return plan


def newest_plan(session: Session, scenario: Scenario) -> Plan | None:
    """The scenario's highest version, or None."""
    query = select(Plan).where(Plan.scenario_id == scenario.id).order_by(Plan.version.desc())
    return session.scalar(query.limit(1))


def export_path(text: str) -> Path:
    """Where to write an export: a .json file in a folder that exists, or exit 2."""
    path = Path(text)
    if path.suffix.lower() != ".json":
        refuse(f"{text}: the file name must end in .json.")
    if not path.resolve().parent.is_dir():
        refuse(f"{text}: the folder {path.resolve().parent} does not exist.")
    if path.is_dir():
        refuse(f"{text} is a folder, not a file.")
    return path


def scenario_summaries(session: Session) -> list[dict[str, Any]]:
    """Each scenario: name, years, status, projects in the plan, plan versions, baseline."""
    counts = dict(
        session.execute(
            select(Project.scenario_id, func.count(Project.id))
            .where(Project.is_withdrawn.is_(False))
            .group_by(Project.scenario_id)
        ).all()
    )
    versions: dict[int, list[int]] = defaultdict(list)
    for scenario_id, version in session.execute(
        select(Plan.scenario_id, Plan.version).order_by(Plan.version)
    ):
        versions[scenario_id].append(version)
    baselines = _baselines(session)
    return [
        {
            "name": scenario.name,
            "first_year": scenario.first_year,
            "years": scenario.years,
            "status": scenario.status.value,
            "projects": counts.get(scenario.id, 0),
            "plans": versions.get(scenario.id, []),
            "baseline": baselines.get(scenario.id),
        }
        for scenario in session.scalars(select(Scenario).order_by(Scenario.name))
    ]


def _baselines(session: Session) -> dict[int, int]:
    """Each scenario's baseline: its most recently published version."""
    baselines: dict[int, int] = {}
    rows = session.execute(
        select(Plan.scenario_id, Plan.version)
        .where(Plan.published_at.is_not(None))
        .order_by(Plan.published_at, Plan.version)
    )
    for scenario_id, version in rows:  # later publications overwrite earlier ones
        baselines[scenario_id] = version
    return baselines


def scenario_table(summaries: list[dict[str, Any]]) -> list[str]:
    """The scenario list as aligned lines."""
    if not summaries:
        return ["No scenarios yet."]
    header = ("Scenario", "Years", "Status", "Projects", "Plans", "Baseline")
    rows = [
        (
            item["name"],
            f"FY{item['first_year']}" + (f"+{item['years'] - 1}" if item["years"] > 1 else ""),
            item["status"],
            str(item["projects"]),
            ", ".join(str(v) for v in item["plans"]) or "-",
            "-" if item["baseline"] is None else str(item["baseline"]),
        )
        for item in summaries
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]


def needs_lines(preview: NeedsPreview) -> list[str]:
    """What generating needs would create, one project a line, then the totals."""
    lines = [
        f"{item.site_code} {item.site_name}: {item.upgrade_type_name} ({item.need_summary}), "
        f"{money(item.cost_cents)}"
        for item in preview.proposed
    ]
    lines.append(
        f"{len(preview.proposed)} project(s) to create, {money(preview.total_cost_cents)} in all; "
        f"{preview.already_planned} already in the scenario."
    )
    if preview.without_upgrade_type:
        systems = ", ".join(preview.without_upgrade_type)
        lines.append(f"No upgrade type in the catalogue for: {systems}.")
    return lines


def needs_result_line(result: NeedsResult) -> str:
    """What generating needs created."""
    return (
        f"Created {result.created} project(s), {money(result.total_cost_cents)} in all, with "
        f"{result.assets_linked} asset(s) linked; {result.skipped} already in the scenario."
    )


def solution_of(plan: Plan) -> Solution:
    """A stored plan as the optimiser's solution (site codes and project keys as stored)."""
    return Solution(
        status=plan.status,  # type: ignore[arg-type]
        objective=plan.value,
        bound=plan.bound,
        runtime_s=plan.runtime_s,
        assignments=tuple(Assignment(row.key, row.start_month) for row in plan.assignments),
        unscheduled=tuple(Unscheduled(row.key, row.reason, row.limit_key) for row in plan.left_out),
        method=plan.method,
    )
