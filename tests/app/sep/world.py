"""A small published plan for the SEP tests: three sites in two regions (one with a hostile
name, one whose name looks like a formula), two upgrade types, a funding source, a manager;
and the way a user gets a download: Prepare, a worker runs the job, Download."""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from app.jobs.worker import run_job
from inventory.enums import JobStatus, Role
from inventory.models import FundingSource, Plan, Project, Scenario, Site, User
from tests.factories import (
    make_asset,
    make_project,
    make_region,
    make_scenario,
    make_site,
    make_system,
    make_upgrade_type,
)
from tests.published_plans import make_plan

HOSTILE = '<img src="file:///etc/passwd">'
FORMULA = '=HYPERLINK("http://evil.example","x")'
DOWNLOAD_PATHS = {
    "sep_pdf": "/sep/plans/{plan_id}/sep.pdf",
    "schedule_xlsx": "/sep/plans/{plan_id}/schedule.xlsx",
    "schedule_pdf": "/sep/plans/{plan_id}/schedule.pdf",
}


@dataclass
class SepWorld:
    """The objects the SEP tests look for."""

    scenario: Scenario
    plan: Plan
    draft: Plan
    lincoln: Site
    hostile: Site
    formula: Site
    projects: list[Project]
    manager: User


def sep_world(session: Session, users: dict[Role, User]) -> SepWorld:
    """An approved FY2028 scenario with a published plan (version 1) of four projects and an
    unpublished version 2."""
    north, south = make_region(session), make_region(session)
    north.name, south.name = "North", "South"
    lincoln = make_site(session, name="Lincoln Elementary", region=north)
    hostile = make_site(session, name=HOSTILE, region=south)
    formula = make_site(session, name=FORMULA, region=south)
    make_asset(session, site=lincoln)
    scenario = make_scenario(session, name="FY2028 program")
    bond = FundingSource(scenario=scenario, code="bond", name="Bond program")
    session.add(bond)
    wifi = make_upgrade_type(session, name="Wi-Fi refresh", system=make_system(session, "wifi"),
                             description="Replace the access points in every classroom",
                             duration_months=2)  # fmt: skip
    lan = make_upgrade_type(session, name="Switch refresh",
                            description="Replace the closet switches")  # fmt: skip
    manager = users[Role.PLANNER]
    projects = [
        make_project(session, scenario, site=lincoln, upgrade_type=wifi, cost_cents=4_500_000,
                     funding_source=bond, manager=manager, need_summary="12 access points "
                     "reach end of life", assets_replaced=12),
        make_project(session, scenario, site=lincoln, upgrade_type=lan, cost_cents=1_234_567),
        make_project(session, scenario, site=hostile, upgrade_type=wifi, cost_cents=2_000_000),
        make_project(session, scenario, site=formula, upgrade_type=lan, cost_cents=999_999),
    ]  # fmt: skip
    months = [0, 2, 1, 5]
    published_at = dt.datetime(2027, 6, 1, 12, tzinfo=dt.UTC)
    plan = make_plan(session, scenario, list(zip(projects, months, strict=True)), by=manager,
                     published_at=published_at)  # fmt: skip
    draft = make_plan(session, scenario, [(projects[0], 3)], by=manager, publish=False)
    session.commit()
    return SepWorld(scenario, plan, draft, lincoln, hostile, formula, projects, manager)


def start_preparing(client: FlaskClient, plan_id: int, kind: str) -> int:
    """Press Prepare on the plan's page: the job's id, from the redirect to its page."""
    response = client.post(f"/sep/plans/{plan_id}/prepare/{kind}")
    assert response.status_code == 302, response.status_code
    match = re.fullmatch(r"/jobs/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def run_queued(app: Flask, job_id: int) -> JobStatus | None:
    """Run the job as a worker would: in its own thread, with an app context but no request
    (this thread may hold the test client's request context)."""
    outcome: list[JobStatus | None] = []

    def work() -> None:
        with app.app_context():
            outcome.append(run_job(job_id))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=120)
    assert outcome, "the job did not finish"
    return outcome[0]


def prepared_download(app: Flask, client: FlaskClient, plan_id: int, kind: str) -> TestResponse:
    """Prepare a download, let the job run, and download the stored file."""
    job_id = start_preparing(client, plan_id, kind)
    assert run_queued(app, job_id) is JobStatus.SUCCEEDED
    response = client.get(DOWNLOAD_PATHS[kind].format(plan_id=plan_id))
    assert response.status_code == 200, response.status_code
    return response
