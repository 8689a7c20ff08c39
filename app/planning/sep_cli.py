"""`flask sep`: the Strategic Execution Plan from the command line, with the pages' rules.

    flask sep scenarios [--json]
    flask sep needs --scenario NAME [--dry-run] [--by USER]
    flask sep plan --scenario NAME [--time-limit S] [--by USER]   exit 0 stored, 3 infeasible
    flask sep publish --scenario NAME [--version N] [--by USER]
    flask sep export --scenario NAME [--version N] [--schedule] FILE.json|.xlsx|.pdf|.ics
Bad input (an unknown scenario or version, a time limit out of range, a file that cannot be
written, a version not published for .xlsx, .pdf or .ics) exits 2 with one line on stderr.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from app.calendar.ics import plan_calendar
from app.db import get_session, session_factory
from app.planning import cli_output as out
from app.planning.jobs import claim_to_replace, require_projects
from app.planning.run_outcome import conflict_lines
from app.planning.solving import Progress, RunSettings, run_plan
from app.sep.document import document_pdf, schedule_pdf
from app.sep.schedule_xlsx import schedule_xlsx
from inventory import needs
from inventory.errors import DomainError
from inventory.models import Scenario
from inventory.operations.plans import baseline_of, publish_plan
from inventory.queries.published import published_plan, published_projects
from scheduler.io import solution_to_dict

sep_cli = AppGroup("sep", help="The Strategic Execution Plan: scenarios, needs, plans.")
SCENARIO = click.option("--scenario", "name", metavar="NAME", help="The scenario's name.")
VERSION = click.option("--version", "version_text", metavar="N", help="A plan version number.")
BY = click.option("--by", "username", metavar="USER", help="Recorded as who did it (a planner).")
MAX_VERSION = 1_000_000


@sep_cli.command("scenarios")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def scenarios(as_json: bool) -> None:
    """List the scenarios with their projects, plan versions and baseline."""
    summaries = out.scenario_summaries(get_session())
    if as_json:
        click.echo(json.dumps(summaries, indent=2))
        return
    for line in out.scenario_table(summaries):
        click.echo(line)


@sep_cli.command("needs")
@SCENARIO
@click.option("--dry-run", is_flag=True, help="Only say what would be created.")
@BY
def needs_command(name: str | None, dry_run: bool, username: str | None) -> None:
    """Turn the inventory's needs into projects of a scenario, as the page does."""
    session = get_session()
    scenario = out.scenario_named(session, name)
    by = out.acting_user(session, username)
    today = dt.date.today()
    try:
        preview = needs.find_needs(session, scenario, today=today)
        for line in out.needs_lines(preview):
            click.echo(line)
        if dry_run:
            click.echo("Dry run: nothing was created.")
            return
        result = needs.create_needs(session, scenario, by=by, today=today)
    except DomainError as error:
        session.rollback()
        out.refuse(error.message)
    session.commit()
    click.echo(out.needs_result_line(result))


@sep_cli.command("plan")
@SCENARIO
@click.option("--time-limit", "limit_text", metavar="S", help="Seconds the optimiser may take.")
@BY
def plan_command(name: str | None, limit_text: str | None, username: str | None) -> None:
    """Generate a plan in the foreground and store it as a new version (Ctrl-C stops the
    search and keeps the best plan so far)."""
    session = get_session()
    scenario = out.scenario_named(session, name)
    by = out.acting_user(session, username)
    limit = out.time_limit(limit_text, scenario, current_app.config["PLAN_TIME_LIMIT_SECONDS"])
    settings = RunSettings(scenario.id, limit)
    try:  # the pages' rules: projects to plan, and no run of the scenario going on
        require_projects(session, scenario)
        claim_to_replace(session, scenario)
    except DomainError as error:
        session.rollback()
        out.refuse(error.message)
    session.commit()  # a dead run found on the way is recorded as failed
    # The run reads and writes in its own short transactions.
    stop = threading.Event()
    previous = _stop_on_interrupt(stop)
    try:
        outcome = run_plan(
            session_factory(), settings, by_id=by.id if by else None, report=_printer(stop)
        )
    except DomainError as error:
        out.refuse(error.message)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if outcome.status == "infeasible":
        click.echo(outcome.message)
        for line in conflict_lines(outcome.conflicts):
            click.echo(line)
        sys.exit(out.EXIT_INFEASIBLE)
    if not outcome.has_plan:
        click.echo(outcome.message, err=True)
        sys.exit(out.EXIT_NO_PLAN)
    click.echo(outcome.message)


def _printer(stop: threading.Event) -> Any:
    """A progress line on stderr each second; True once Ctrl-C asked to stop."""

    def report(progress: Progress) -> bool:
        """One line of figures."""
        figures = progress.detail()
        bound = "-" if figures["bound"] is None else f"{figures['bound']:,.0f}"
        gap = "-" if figures["gap"] is None else f"{100 * figures['gap']:.1f}%"
        value = "-" if figures["value"] is None else f"{figures['value']:,}"
        click.echo(
            f"[{progress.elapsed_s:6.1f}s of {progress.time_limit_s}s] value {value}  "
            f"bound {bound}  gap {gap}  ({progress.projects:,} projects)",
            err=True,
        )
        return stop.is_set()

    return report


def _stop_on_interrupt(stop: threading.Event) -> Any:
    """The first Ctrl-C stops the search (the best plan so far is kept); a second one quits."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(_signum: int, _frame: Any) -> None:
        """Ask the run to stop; restore the default so that another Ctrl-C quits at once."""
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        click.echo("Stopping: keeping the best plan found so far.", err=True)

    return signal.signal(signal.SIGINT, handler)


@sep_cli.command("publish")
@SCENARIO
@VERSION
@BY
def publish_command(name: str | None, version_text: str | None, username: str | None) -> None:
    """Publish a plan version (default: the newest) as the scenario's baseline."""
    session = get_session()
    scenario = out.scenario_named(session, name)
    by = out.acting_user(session, username)
    version = out.whole_number(version_text, "--version", 1, MAX_VERSION)
    plan = out.plan_version(session, scenario, version) or out.newest_plan(session, scenario)
    if plan is None:
        out.refuse(f"{scenario.name} has no plan yet: run `flask sep plan` first.")
    try:
        publish_plan(session, plan, by=by)
    except DomainError as error:
        session.rollback()
        out.refuse(error.message)
    session.commit()
    click.echo(f"Published version {plan.version} of {scenario.name} as its baseline.")


@sep_cli.command("export")
@SCENARIO
@VERSION
@click.option(
    "--schedule", is_flag=True, help="With FILE.pdf: the monthly schedule, not the SEP document."
)
@click.argument("file_name", metavar="FILE")
def export_command(
    name: str | None, version_text: str | None, schedule: bool, file_name: str
) -> None:
    """Write a plan to FILE; what is written depends on its extension.

    \b
    .json  the plan with the problem it was made from, in the SEP file format, for
           `python -m scheduler check` (default: the baseline, else the newest version)
    .xlsx  the monthly schedule of a published plan (Excel)
    .pdf   the SEP document of a published plan; with --schedule, its monthly schedule
    .ics   the calendar of a published plan's work
    For .xlsx, .pdf and .ics the default is the scenario's baseline, and a --version given
    must be published.
    """
    session = get_session()
    scenario = out.scenario_named(session, name)
    version = out.whole_number(version_text, "--version", 1, MAX_VERSION)
    suffix = Path(file_name).suffix.lower()
    if suffix not in PUBLISHED_EXPORTS and suffix != ".json":
        out.refuse(f"{file_name}: the file name must end in .json, .xlsx, .pdf or .ics.")
    if schedule and suffix != ".pdf":
        out.refuse("--schedule goes with a .pdf file.")
    if suffix != ".json":
        _export_published(session, scenario, version, Path(file_name), schedule)
        return
    path = out.export_path(file_name)
    plan = (
        out.plan_version(session, scenario, version)
        or baseline_of(session, scenario)
        or out.newest_plan(session, scenario)
    )
    if plan is None:
        out.refuse(f"{scenario.name} has no plan to export yet.")
    data = {"problem": plan.problem, "solution": solution_to_dict(out.solution_of(plan))}
    try:
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        out.refuse(f"{file_name}: {error.strerror or error}.")
    click.echo(f"Wrote version {plan.version} of {scenario.name} to {path}.")


PUBLISHED_EXPORTS = {".xlsx": "monthly schedule", ".pdf": "SEP document", ".ics": "calendar"}


def _export_published(
    session: Session, scenario: Scenario, version: int | None, path: Path, schedule: bool
) -> None:
    """Write a published plan's schedule (.xlsx), document (.pdf) or calendar (.ics)."""
    if not path.resolve().parent.is_dir():
        out.refuse(f"{path}: the folder {path.resolve().parent} does not exist.")
    if path.is_dir():
        out.refuse(f"{path} is a folder, not a file.")
    plan = out.plan_version(session, scenario, version)
    if plan is not None and plan.published_at is None:
        out.refuse(f"version {version} of {scenario.name} is not published; only published "
                   "plans are exported as .xlsx, .pdf or .ics.")  # fmt: skip
    plan = plan or published_plan(session, scenario)
    if plan is None:
        out.refuse(f"{scenario.name} has no published plan (no baseline) yet.")
    suffix = path.suffix.lower()
    what = "monthly schedule" if schedule else PUBLISHED_EXPORTS[suffix]
    if suffix == ".xlsx":
        body = schedule_xlsx(plan, published_projects(session, plan))
    elif suffix == ".pdf":
        with current_app.test_request_context():  # the templates' context needs a request
            body = schedule_pdf(session, plan) if schedule else document_pdf(session, plan)
    else:
        body = plan_calendar(session, plan)
    try:
        path.write_bytes(body)
    except OSError as error:
        out.refuse(f"{path}: {error.strerror or error}.")
    click.echo(f"Wrote the {what} of version {plan.version} of {scenario.name} to {path}.")
