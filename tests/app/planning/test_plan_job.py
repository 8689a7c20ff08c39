"""The "plan" job end to end on both databases: stored plans pass the checker, progress and its
figures are reported, Cancel keeps the best plan, one run per scenario, dead runs are taken
over, and an infeasible scenario gets its conflicts in planners' words with links."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.jobs.worker import run_job
from app.planning import solving
from app.planning.jobs import RunInProgress, start_plan_run
from app.planning.solving import Progress, RunSettings, run_plan
from inventory.base import utcnow
from inventory.enums import JobStatus, Role
from inventory.errors import InvalidValue, WrongState
from inventory.models import Job, Plan, Scenario
from inventory.operations.jobs import claim_scenario, request_cancel
from scheduler import Solution, check
from scheduler.io import problem_from_dict, solution_from_dict
from tests.app.planning.run_data import busy_scenario, infeasible_scenario, small_scenario
from tests.factories import make_project

FIGURES = {"value", "bound", "gap", "elapsed_s", "remaining_s", "projects", "scheduled"}


def _start(app, session, users, scenario, **settings) -> Job:
    """Queue a run of the scenario as the planner, committed."""
    with app.app_context():
        job = start_plan_run(
            session, scenario, by=users[Role.PLANNER],
            settings=RunSettings(scenario.id, settings.pop("time_limit_s", 5), **settings),
        )  # fmt: skip
    session.commit()
    return job


def _run(app: Flask, job_id: int) -> JobStatus | None:
    with app.app_context():
        return run_job(job_id)


def _fresh(session, model, object_id):
    session.expire_all()
    return session.get(model, object_id)


def _replay(plan: Plan) -> Solution:
    """The plan's rows as a solution of its stored problem."""
    return solution_from_dict(
        {
            "status": plan.status,
            "objective": plan.value,
            "assignments": [{"project": a.key, "start": a.start_month} for a in plan.assignments],
            "unscheduled": [{"project": u.key, "reason": u.reason} for u in plan.left_out],
        }
    )


def test_a_run_stores_a_checked_plan_and_reports_its_figures(app, session, users) -> None:
    scenario = small_scenario(session)
    revision = scenario.inputs_revision
    job = _start(app, session, users, scenario)
    assert _fresh(session, Scenario, scenario.id).running_job_id == job.id

    assert _run(app, job.id) is JobStatus.SUCCEEDED

    job = _fresh(session, Job, job.id)
    plan = session.get(Plan, job.result["plan_id"])
    assert job.result["version"] == plan.version == 1
    assert job.result["status"] == plan.status == "optimal"
    assert job.message.startswith("Version 1 is ready") and "4 of 4 projects" in job.message
    assert plan.job_id == job.id and plan.inputs_revision == revision
    assert plan.created_by_id == users[Role.PLANNER].id and not plan.stopped_early
    assert check(problem_from_dict(plan.problem), _replay(plan)) == []
    assert set(job.progress_detail) == FIGURES
    assert job.progress_detail["value"] == plan.value == 100
    assert job.progress_detail["projects"] == 4 and job.progress_detail["scheduled"] == 4
    assert job.heartbeat_at is not None
    assert _fresh(session, Scenario, scenario.id).running_job_id is None


def test_progress_is_reported_every_interval_while_searching(app, session) -> None:
    scenario = busy_scenario(session, projects=120)
    session.commit()
    seen: list[dict] = []

    def report(progress: Progress) -> bool:
        seen.append(progress.detail())
        return False

    with app.app_context():
        outcome = run_plan(
            app.extensions["rollout.sessions"], RunSettings(scenario.id, 2), by_id=None,
            report=report, interval_s=0.2,
        )  # fmt: skip
    assert outcome.has_plan and outcome.version == 1
    assert len(seen) >= 4  # the first, several ticks, the final figures
    elapsed = [figures["elapsed_s"] for figures in seen]
    assert elapsed == sorted(elapsed[:-1]) + elapsed[-1:]  # ticks move forward
    ticks = [figures for figures in seen[1:-1] if figures["value"] is not None]
    assert ticks and all(figures["remaining_s"] <= 2 for figures in ticks)
    assert any(figures["bound"] is not None and figures["gap"] is not None for figures in seen)
    assert seen[-1]["scheduled"] == outcome.scheduled


def test_cancel_keeps_the_best_plan_found_so_far(app, session, users, client, login_as) -> None:
    scenario = busy_scenario(session)
    job = _start(app, session, users, scenario, time_limit_s=30)
    thread = threading.Thread(target=_run, args=(app, job.id))
    thread.start()
    login_as(Role.PLANNER)
    state: dict = {}
    for _ in range(600):  # wait for the first progress with a plan value
        state = client.get(f"/planning/runs/{job.id}/status.json").json
        if state["status"] == "running" and (state["detail"] or {}).get("value") is not None:
            break
        time.sleep(0.05)
    assert state["detail"]["value"] is not None, state
    assert client.post(f"/planning/runs/{job.id}/cancel").status_code == 302
    thread.join(timeout=120)
    assert not thread.is_alive()

    job = _fresh(session, Job, job.id)
    assert job.status is JobStatus.SUCCEEDED
    assert job.result["stopped_early"] is True
    assert job.message.startswith("Stopped early at your request")
    plan = session.get(Plan, job.result["plan_id"])
    assert plan.stopped_early and plan.status == "feasible"
    assert plan.projects_scheduled > 0
    assert check(problem_from_dict(plan.problem), _replay(plan)) == []
    assert _fresh(session, Scenario, scenario.id).running_job_id is None


def test_one_running_plan_per_scenario(app, session, users) -> None:
    scenario = small_scenario(session)
    first = _start(app, session, users, scenario)

    with pytest.raises(RunInProgress) as refused:
        _start(app, session, users, scenario)
    session.rollback()
    assert refused.value.job_id == first.id
    assert "already being generated" in refused.value.message
    assert session.scalar(select(func.count(Job.id))) == 1  # the refused run left no row
    assert not claim_scenario(session, scenario.id, first.id + 1)  # the claim is atomic

    request_cancel(session, _fresh(session, Job, first.id))  # the queued run is dropped
    session.commit()
    second = _start(app, session, users, scenario)  # a claim held by an ended run is taken over
    assert _fresh(session, Scenario, scenario.id).running_job_id == second.id


def test_a_run_whose_worker_went_silent_is_taken_over(app, session, users) -> None:
    scenario = small_scenario(session)
    first = _start(app, session, users, scenario)
    job = _fresh(session, Job, first.id)
    job.status, job.started_at, job.heartbeat_at = JobStatus.RUNNING, utcnow(), utcnow()
    session.commit()
    with pytest.raises(RunInProgress):  # alive: it reported just now
        _start(app, session, users, scenario)
    session.rollback()

    job = _fresh(session, Job, first.id)
    job.started_at = utcnow() - dt.timedelta(minutes=10)
    job.heartbeat_at = utcnow() - dt.timedelta(minutes=3)
    session.commit()
    second = _start(app, session, users, scenario)

    stale = _fresh(session, Job, first.id)
    assert stale.status is JobStatus.FAILED
    assert "The worker stopped while running this job" in stale.message
    assert session.get(Scenario, scenario.id).running_job_id == second.id


@pytest.fixture
def input_pages(app: Flask) -> None:
    """The scenario pages conflicts link to (stand-ins where they are not built yet)."""
    for endpoint, rule in (
        ("scenarios.budget", "/planning/scenarios/<int:scenario_id>/budget"),
        ("scenarios.calendar", "/planning/scenarios/<int:scenario_id>/calendar"),
        ("projects.detail", "/planning/projects/<int:project_id>"),
    ):
        if endpoint not in app.view_functions:
            app.add_url_rule(rule, endpoint=endpoint, view_func=lambda **_: "stand-in")


def test_an_infeasible_scenario_gets_conflicts_with_links_and_no_version(
    app, session, users, input_pages
) -> None:
    scenario = infeasible_scenario(session)
    job = _start(app, session, users, scenario)

    assert _run(app, job.id) is JobStatus.SUCCEEDED

    job = _fresh(session, Job, job.id)
    assert job.result["status"] == "infeasible" and job.result["version"] is None
    assert "No plan can meet every rule" in job.message
    conflicts = job.result["conflicts"]
    assert conflicts and all(c["constraint"] and c["message"] for c in conflicts)
    text = " ".join(c["message"] for c in conflicts)
    assert "period" not in text and "Dec 2027" in text  # months as planners name them
    urls = {link["url"] for c in conflicts for link in c["links"]}
    project = scenario.projects[1]
    assert f"/planning/scenarios/{scenario.id}/calendar" in urls
    assert f"/planning/projects/{project.id}" in urls
    assert session.scalar(select(func.count(Plan.id))) == 0
    assert session.get(Scenario, scenario.id).running_job_id is None


def test_a_re_plan_starts_from_the_plan_and_records_it(app, session, users) -> None:
    scenario = small_scenario(session)
    first = _start(app, session, users, scenario)
    _run(app, first.id)
    base = session.get(Plan, _fresh(session, Job, first.id).result["plan_id"])
    again = _start(app, session, users, scenario, based_on_plan_id=base.id, move_penalty=3)
    assert again.title.startswith("Re-plan")

    assert _run(app, again.id) is JobStatus.SUCCEEDED

    plan = session.get(Plan, _fresh(session, Job, again.id).result["plan_id"])
    assert plan.version == 2 and plan.based_on_id == base.id and plan.move_penalty == 3
    assert {a.key: a.start_month for a in plan.assignments} == {
        a.key: a.start_month for a in base.assignments
    }  # nothing had to move


def test_inputs_the_optimiser_refuses_fail_with_a_message(app, session, users) -> None:
    scenario = small_scenario(session)
    first, second = scenario.projects[0], scenario.projects[1]
    first.predecessors = [second]
    second.predecessors = [first]
    job = _start(app, session, users, scenario)

    assert _run(app, job.id) is JobStatus.FAILED

    job = _fresh(session, Job, job.id)
    assert job.message.startswith("The scenario's inputs do not fit together")
    assert "cycle" in job.message and "Traceback" not in (job.error or "")
    assert first.name in job.message and first.key not in job.message  # named, not keyed
    assert session.get(Scenario, scenario.id).running_job_id is None


def test_no_plan_in_time_fails_with_a_message(app, session, users, monkeypatch) -> None:
    monkeypatch.setattr(solving, "solve", lambda problem, **_: Solution("unknown"))
    scenario = small_scenario(session)
    job = _start(app, session, users, scenario)

    assert _run(app, job.id) is JobStatus.FAILED

    job = _fresh(session, Job, job.id)
    assert job.message.startswith("No plan was found within 5 seconds")
    assert session.scalar(select(func.count(Plan.id))) == 0


def test_the_solver_refusing_its_settings_fails_with_its_reason(
    app, session, users, monkeypatch
) -> None:
    def refuse(problem, **_):
        raise ValueError("move_penalty must be a whole number >= 0, got -1")

    monkeypatch.setattr(solving, "solve", refuse)
    job = _start(app, session, users, small_scenario(session))

    assert _run(app, job.id) is JobStatus.FAILED
    assert "move_penalty must be a whole number" in _fresh(session, Job, job.id).message


def test_a_scenario_without_projects_or_with_a_wrong_time_limit_is_refused(
    app, session, users
) -> None:
    scenario, empty = small_scenario(session), small_scenario(session)
    for project in empty.projects:
        project.is_withdrawn = True
    session.commit()
    with pytest.raises(InvalidValue, match="from 1 to 3600 seconds"):
        _start(app, session, users, scenario, time_limit_s=0)
    session.rollback()
    with pytest.raises(WrongState, match="has no projects to plan"):
        _start(app, session, users, empty)
    session.rollback()
    assert session.scalar(select(func.count(Job.id))) == 0
    make_project(session, empty)  # a new one: the run may start
    assert _start(app, session, users, empty).kind == "plan"
