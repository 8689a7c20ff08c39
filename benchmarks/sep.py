"""How long do the published SEP's documents take, and how much memory, on the 1,500-site demo
district?

Builds the demo district (benchmarks/planning.py's way: demo load, needs, problem, a short solve,
store) and publishes the plan; then, as a stress case, publishes a second version that starts
every candidate project of the scenario (about 10,000 at 1,500 sites; months spread, no rule
checked). For each plan it renders, in a fresh child process each (peak memory: the child's
VmHWM), the SEP document as a web page and as a PDF, the monthly schedule as .xlsx and as PDF.
Target: the SEP document PDF under 60 s.
`python -m benchmarks.sep [--quick] [--sites 1500] [--time-limit 15] [--postgres URL|none]`;
--quick uses 150 sites and a 5 s solve.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from flask import Flask, render_template
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app import create_app
from app.planning.adapter import problem_for, store_plan
from app.sep.document import document_context, document_pdf, schedule_pdf
from app.sep.schedule_xlsx import schedule_xlsx
from benchmarks.planning import bench_database, local_postgres
from inventory.base import utcnow
from inventory.demo import DemoOptions, load_demo
from inventory.enums import ScenarioStatus
from inventory.models import Plan, Project, Scenario, Site, UpgradeType
from inventory.needs import create_needs
from inventory.operations.plans import PlannedProject, PlanOutcome, record_plan
from inventory.passwords import use_fast_test_parameters
from inventory.queries.published import published_projects
from scheduler import solve
from scheduler.io import problem_to_dict

RENDERS = ("document page", "document PDF", "schedule xlsx", "schedule PDF")
TARGET_PDF_S = 60.0


def _app(url: str) -> Flask:
    """The app on the benchmark's database."""
    return create_app({"ENV_NAME": "test", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False})


def build(url: str, sites: int, time_limit: float) -> dict[str, int]:
    """The demo district with a published plan, and a published plan of every project:
    {plan label: plan id}."""
    app = _app(url)
    sessions = app.extensions["rollout.sessions"]
    with sessions() as session:
        load_demo(session, DemoOptions(sites=sites, seed=2026, password="sep timing run 7"))
        session.commit()
        scenario = session.scalars(select(Scenario)).one()
        create_needs(session, scenario, by=None, today=dt.date.today())
        session.commit()
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ANALYZE"))
            session.commit()
    with sessions() as session:
        scenario = session.scalars(select(Scenario)).one()
        problem, ids = problem_for(session, scenario)
        solution = solve(problem, time_limit_s=time_limit, seed=0)
        plan = store_plan(session, scenario, problem, ids, solution, by=None,
                          time_limit_s=time_limit)  # fmt: skip
        scenario.status = ScenarioStatus.APPROVED
        plan.published_at = utcnow()
        session.commit()
        every = _every_project_plan(session, scenario, problem_to_dict(problem))
        session.commit()
        plans = {"optimised": plan.id, "every project": every.id}
    app.extensions["rollout.engine"].dispose()
    return plans


def _every_project_plan(session: Session, scenario: Scenario, problem: dict) -> Plan:
    """A published version starting every project of the scenario, months spread evenly."""
    rows = session.execute(
        select(Project.id, Site.code, UpgradeType.code, Project.duration_months,
               Project.cost_cents, Project.value)
        .join(Site, Site.id == Project.site_id)
        .join(UpgradeType, UpgradeType.id == Project.upgrade_type_id)
        .where(Project.scenario_id == scenario.id, Project.is_withdrawn.is_(False))
        .order_by(Project.id)
    ).all()  # fmt: skip
    months = scenario.months
    assignments = [
        PlannedProject(project_id, f"{site}:{upgrade}", index % max(months - duration + 1, 1),
                       duration, cost, value)
        for index, (project_id, site, upgrade, duration, cost, value) in enumerate(rows)
    ]  # fmt: skip
    outcome = PlanOutcome(
        status="feasible", value=sum(item.value for item in assignments), bound=None,
        runtime_s=0.0, time_limit_s=0.0, method="benchmark: every project", problem=problem,
        inputs_revision=scenario.inputs_revision, assignments=assignments, left_out=[],
    )  # fmt: skip
    plan = record_plan(session, scenario, by=None, outcome=outcome)
    plan.published_at = utcnow()
    return plan


def _peak_mb() -> float:
    """This process's peak resident memory in MB (VmHWM: unlike ru_maxrss, it starts afresh in
    a spawned process instead of carrying the parent's)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover


def _render(url: str, plan_id: int, what: str, queue: multiprocessing.Queue) -> None:
    """In a child process: render one thing, report (seconds, bytes, peak RSS MB, RSS before)."""
    app = _app(url)
    with app.test_request_context(), app.extensions["rollout.sessions"]() as session:
        plan = session.get(Plan, plan_id)
        projects = len(published_projects(session, plan))
        before = _peak_mb()
        started = time.perf_counter()
        if what == "document page":
            body = render_template("sep/document.html", **document_context(session, plan))
            size = len(body.encode())
        elif what == "document PDF":
            size = len(document_pdf(session, plan))
        elif what == "schedule xlsx":
            size = len(schedule_xlsx(plan, published_projects(session, plan)))
        else:
            size = len(schedule_pdf(session, plan))
        seconds = time.perf_counter() - started
    queue.put((seconds, size, _peak_mb(), before, projects))


def measure(url: str, plan_id: int) -> dict[str, tuple[float, int, float, float, int]]:
    """Each render in its own fresh process."""
    context = multiprocessing.get_context("spawn")
    results = {}
    for what in RENDERS:
        queue = context.Queue()
        child = context.Process(target=_render, args=(url, plan_id, what, queue))
        child.start()
        results[what] = queue.get()
        child.join()
        print(f"  {what}: {results[what][0]:.1f} s ({results[what][4]:,} projects)", flush=True)
    return results


def _print(title: str, results: dict[str, tuple[float, int, float, float, int]]) -> int:
    """The table of one plan's renders and the target's verdict; 1 if missed."""
    projects = next(iter(results.values()))[4]
    print(f"{title} ({projects:,} projects){'seconds':>10}{'size (KB)':>12}"
          f"{'peak (MB)':>11}{'at start (MB)':>15}")  # fmt: skip
    width = len(title) + len(f" ({projects:,} projects)")
    for what, (seconds, size, peak, before, _count) in results.items():
        print(f"{what:<{width}}{seconds:>10.1f}{size / 1024:>12,.0f}{peak:>11,.0f}"
              f"{before:>15,.0f}")  # fmt: skip
    pdf_s = results["document PDF"][0]
    met = pdf_s < TARGET_PDF_S
    print(f"target, {title}: SEP document PDF under {TARGET_PDF_S:.0f} s: "
          f"{'met' if met else 'not met'} ({pdf_s:.1f} s)")  # fmt: skip
    return 0 if met else 1


def main(argv: list[str] | None = None) -> int:
    """Build, measure and print; returns 0 (the verdicts are printed, not enforced)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sep")
    parser.add_argument("--quick", action="store_true", help="150 sites, a 5 s solve")
    parser.add_argument("--sites", type=int, default=None, help="demo district size (1500)")
    parser.add_argument("--time-limit", type=float, default=None, help="solve seconds (15)")
    parser.add_argument("--postgres", default=os.environ.get("ROLLOUT_BENCH_POSTGRES_URL"),
                        help="a PostgreSQL server URL to measure on too (default: the local "
                        "one, when it answers; 'none' to skip)")  # fmt: skip
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    use_fast_test_parameters()
    sites = args.sites or (150 if args.quick else 1500)
    time_limit = args.time_limit or (5.0 if args.quick else 15.0)
    postgres = local_postgres() if args.postgres is None else args.postgres
    postgres = None if postgres == "none" else postgres
    kinds = ["sqlite"] + (["postgresql"] if postgres else [])
    print(f"sep: the published plan's documents on a {sites:,}-site demo district")
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}; solve {time_limit:.0f} s; "
          "each render in a fresh process (peak = its VmHWM)")  # fmt: skip
    missed = 0
    with tempfile.TemporaryDirectory(prefix="rollout-bench-") as workdir:
        for kind in kinds:
            with bench_database(kind, Path(workdir), postgres, f"planning_{sites}") as url:
                plans = build(url, sites, time_limit)
                for label, plan_id in plans.items():
                    print(f"{kind}, {label} plan:", flush=True)
                    results = measure(url, plan_id)
                    missed += _print(f"{kind}, {label} plan", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
