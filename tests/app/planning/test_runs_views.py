"""The run pages: start and re-plan forms, the live page and its JSON, Cancel, the overview's
"Last run" box; bad input is a message naming the field, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import render_template
from sqlalchemy import func, select

from app.jobs.worker import run_job
from inventory.base import utcnow
from inventory.enums import JobStatus, Role
from inventory.models import Job, Plan, Scenario
from inventory.operations.jobs import enqueue_job
from tests.app.planning.run_data import infeasible_scenario, small_scenario


@pytest.fixture
def scenario(session) -> Scenario:
    made = small_scenario(session, time_limit_s=5, move_penalty=2)
    session.commit()
    return made


def _jobs(session) -> list[Job]:
    session.expire_all()
    return list(session.scalars(select(Job).order_by(Job.id)))


def _run(app, job_id: int) -> None:
    with app.app_context():
        run_job(job_id)


def _flashes(client) -> list[str]:
    with client.session_transaction() as flask_session:
        return [message for _category, message in flask_session.get("_flashes", [])]


def test_generate_queues_a_run_and_shows_its_page(app, session, users, login_as, scenario):
    client = login_as(Role.PLANNER)
    response = client.post(f"/planning/scenarios/{scenario.id}/plan", data={})
    [job] = _jobs(session)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/planning/runs/{job.id}")
    assert job.kind == "plan" and job.status is JobStatus.QUEUED
    assert job.params == {"scenario_id": scenario.id, "time_limit_s": 5}  # the scenario's
    assert session.get(Scenario, scenario.id).running_job_id == job.id

    page = client.get(f"/planning/runs/{job.id}").get_data(as_text=True)
    assert 'role="progressbar"' in page and "Time used of the time limit" in page
    assert f'data-run-status-url="/planning/runs/{job.id}/status.json"' in page
    assert "planning-runs.js" in page and "planning-runs.css" in page
    assert "Waiting for a worker" in page and 'data-testid="cancel-run"' in page
    for label in ("Plan value", "Proven bound", "Gap", "Time used", "Time left"):
        assert label in page
    assert "style=" not in page  # the Content-Security-Policy forbids inline styles


def test_a_second_run_is_refused_with_a_link_to_the_first(app, session, login_as, scenario):
    client = login_as(Role.PLANNER)
    client.post(f"/planning/scenarios/{scenario.id}/plan", data={"time_limit_s": "7"})
    [first] = _jobs(session)
    assert first.params["time_limit_s"] == 7

    response = client.post(f"/planning/scenarios/{scenario.id}/plan", data={})

    assert response.headers["Location"].endswith(f"/planning/runs/{first.id}")
    assert any("already being generated" in text for text in _flashes(client))
    assert len(_jobs(session)) == 1


@pytest.mark.parametrize("value", ["0", "3601", "-5", "abc", "1.5"])
def test_a_bad_time_limit_is_refused_naming_the_field(session, login_as, scenario, value):
    client = login_as(Role.PLANNER)
    response = client.post(f"/planning/scenarios/{scenario.id}/plan", data={"time_limit_s": value})
    assert response.status_code == 302
    assert any(text.startswith("Time limit (seconds):") for text in _flashes(client))
    assert _jobs(session) == []


def test_re_plan_runs_from_the_version_with_the_move_penalty(app, session, login_as, scenario):
    client = login_as(Role.PLANNER)
    client.post(f"/planning/scenarios/{scenario.id}/plan", data={})
    [first] = _jobs(session)
    _run(app, first.id)
    plan = session.scalar(select(Plan))

    bad = client.post(f"/planning/plans/{plan.id}/replan", data={"move_penalty": "-1"})
    assert bad.status_code == 302 and len(_jobs(session)) == 1
    assert any(text.startswith("Cost of moving a project") for text in _flashes(client))

    client.post(f"/planning/plans/{plan.id}/replan", data={"time_limit_s": "3"})
    second = _jobs(session)[-1]
    assert second.params == {
        "scenario_id": scenario.id, "time_limit_s": 3, "based_on_plan_id": plan.id,
        "move_penalty": 2,  # the scenario's
    }  # fmt: skip
    page = client.get(f"/planning/runs/{second.id}").get_data(as_text=True)
    assert "Re-planning from version 1" in page and "moving a project costs 2" in page


def test_a_finished_run_shows_its_version(app, session, login_as, scenario):
    client = login_as(Role.PLANNER)
    client.post(f"/planning/scenarios/{scenario.id}/plan", data={})
    [job] = _jobs(session)
    _run(app, job.id)

    state = client.get(f"/planning/runs/{job.id}/status.json").json
    assert state["status"] == "succeeded" and state["finished"] is True
    assert state["percent"] == 100
    assert set(state["detail"]) >= {"value", "bound", "gap", "elapsed_s", "remaining_s"}
    assert state["shown"]["value"] == "100" and state["shown"]["projects"] == "4 of 4"
    assert state["shown"]["gap"] == "0.0%" and state["shown"]["remaining"] == "0 s"

    page = client.get(f"/planning/runs/{job.id}").get_data(as_text=True)
    assert "Version 1 is ready" in page and 'data-testid="run-outcome"' in page
    assert 'data-testid="cancel-run"' not in page


def test_an_infeasible_run_lists_its_conflicts(app, session, users, login_as):
    scenario = infeasible_scenario(session)
    session.commit()
    client = login_as(Role.PLANNER)
    client.post(f"/planning/scenarios/{scenario.id}/plan", data={})
    [job] = _jobs(session)
    _run(app, job.id)

    page = client.get(f"/planning/runs/{job.id}").get_data(as_text=True)
    assert "No plan can meet every rule" in page and 'data-testid="run-conflicts"' in page
    assert "Dec 2027" in page


def test_cancel_drops_a_queued_run_and_frees_the_scenario(session, login_as, scenario):
    client = login_as(Role.PLANNER)
    client.post(f"/planning/scenarios/{scenario.id}/plan", data={})
    [job] = _jobs(session)

    assert client.post(f"/planning/runs/{job.id}/cancel").status_code == 302

    [job] = _jobs(session)
    assert job.status is JobStatus.CANCELLED
    assert session.get(Scenario, scenario.id).running_job_id is None
    page = client.get(f"/planning/runs/{job.id}").get_data(as_text=True)
    assert "No plan was stored" in page
    client.post(f"/planning/runs/{job.id}/cancel")  # again: already over, said so
    assert any("already finished" in text for text in _flashes(client))


def test_readers_watch_without_a_cancel_button(session, login_as, scenario):
    login_as(Role.PLANNER).post(f"/planning/scenarios/{scenario.id}/plan", data={})
    [job] = _jobs(session)
    page = login_as(Role.PMO).get(f"/planning/runs/{job.id}").get_data(as_text=True)
    assert 'role="progressbar"' in page and 'data-testid="cancel-run"' not in page


def test_a_job_that_is_not_a_plan_run_is_not_found(session, users, login_as):
    other = enqueue_job(session, by=users[Role.PLANNER], kind="import", title="x", params={})
    session.commit()
    client = login_as(Role.PLANNER)
    assert client.get(f"/planning/runs/{other.id}").status_code == 404
    assert client.get(f"/planning/runs/{other.id}/status.json").status_code == 404
    assert client.post(f"/planning/runs/{other.id}/cancel").status_code == 404
    assert client.get("/planning/runs/999999").status_code == 404


def test_a_run_whose_worker_died_shows_failed(session, login_as, scenario):
    client = login_as(Role.PLANNER)
    client.post(f"/planning/scenarios/{scenario.id}/plan", data={})
    [job] = _jobs(session)
    job.status = JobStatus.RUNNING
    job.started_at = utcnow() - dt.timedelta(minutes=5)
    session.commit()

    state = client.get(f"/planning/runs/{job.id}/status.json").json

    assert state["status"] == "failed" and "worker stopped" in state["message"]
    assert session.get(Scenario, scenario.id).running_job_id is None
    page = client.get(f"/planning/runs/{job.id}").get_data(as_text=True)
    assert "The run failed: The worker stopped while running this job" in page


def test_the_overview_box_shows_the_running_or_last_run(app, session, login_as, scenario):
    def box() -> str:
        with app.test_request_context():
            fresh = session.get(Scenario, scenario.id)
            return render_template("planning/runs/_last_run.html", scenario=fresh)

    assert "No plan has been generated" in box()
    login_as(Role.PLANNER).post(f"/planning/scenarios/{scenario.id}/plan", data={})
    [job] = _jobs(session)
    assert "Running now" in box() and f"/planning/runs/{job.id}" in box()
    _run(app, job.id)
    session.expire_all()
    shown = box()
    assert "Last run" in shown and "Plan ready" in shown and "Version 1 is ready" in shown


def test_the_overview_box_names_a_version_made_on_the_command_line(app, session, scenario):
    result = app.test_cli_runner().invoke(
        args=["sep", "plan", "--scenario", scenario.name, "--time-limit", "2"]
    )
    assert result.exit_code == 0, result.output
    with app.test_request_context():
        shown = render_template(
            "planning/runs/_last_run.html", scenario=session.get(Scenario, scenario.id)
        )
    assert "Version 1 was made" in shown and "on the command line" in shown
    assert "No plan has been generated" not in shown


class TestWithCsrf:
    """A form posted without its token starts nothing."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        return {"WTF_CSRF_ENABLED": True}

    def test_start_without_the_token_is_refused(self, session, login_as, scenario):
        client = login_as(Role.PLANNER)
        response = client.post(f"/planning/scenarios/{scenario.id}/plan", data={})
        assert response.status_code in (302, 400)
        assert session.scalar(select(func.count(Job.id))) == 0
