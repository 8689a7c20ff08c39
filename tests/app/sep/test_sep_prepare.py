"""Preparing the SEP's downloads in the background: Prepare queues one job per plan and kind,
the job reports its steps and stores the file in the database, its page and the plan's page
then offer the download; before that the download link says to prepare it; a cancelled job
stores nothing; only plan readers may prepare, and only published plans."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.jobs.registry import JobContext
from app.sep import document as sep_document
from inventory.base import utcnow
from inventory.enums import JobStatus, Role
from inventory.models import Job, PreparedDocument
from inventory.operations.jobs import enqueue_job, request_cancel
from tests.app.sep.world import (
    DOWNLOAD_PATHS,
    prepared_download,
    run_queued,
    sep_world,
    start_preparing,
)

KINDS = tuple(DOWNLOAD_PATHS)


@pytest.fixture
def world(session, users):
    return sep_world(session, users)


@pytest.fixture
def steps(monkeypatch) -> list[tuple[int, int, str]]:
    """Every progress report of the jobs run in the test: (done, total, message)."""
    seen: list[tuple[int, int, str]] = []
    original = JobContext.progress

    def spy(self, done, total, message="", detail=None):
        seen.append((done, total, message))
        return original(self, done, total, message, detail)

    monkeypatch.setattr(JobContext, "progress", spy)
    return seen


def _count(session, model, *where) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _job(session, job_id: int) -> Job:
    session.expire_all()
    return session.get(Job, job_id)


@pytest.mark.parametrize("kind", KINDS)
def test_a_download_not_prepared_yet_sends_you_to_prepare_it(client, login_as, world,
                                                             kind) -> None:  # fmt: skip
    login_as(Role.PMO)
    response = client.get(DOWNLOAD_PATHS[kind].format(plan_id=world.plan.id))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sep/plans/{world.plan.id}#downloads"
    page = client.get(f"/sep/plans/{world.plan.id}").get_data(as_text=True)
    assert "has not been prepared yet: press Prepare" in page
    assert f'data-testid="prepare-{kind}"' in page and "Not prepared yet" in page


def test_prepare_shows_the_job_then_offers_the_download(app, client, login_as, world,
                                                        session, steps) -> None:  # fmt: skip
    login_as(Role.STAFF)
    job_id = start_preparing(client, world.plan.id, "sep_pdf")
    queued = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'data-testid="cancel-job"' in queued and "data-job-status-url" in queued
    plan_page = client.get(f"/sep/plans/{world.plan.id}").get_data(as_text=True)
    assert 'data-testid="preparing-sep_pdf"' in plan_page and f"/jobs/{job_id}" in plan_page

    assert run_queued(app, job_id) is JobStatus.SUCCEEDED
    assert [message for _done, _total, message in steps] == [
        "Reading the plan", "Writing the pages", "Laying out the pages", "Writing the PDF",
        "Saving the file",
    ]  # fmt: skip
    assert [(done, total) for done, total, _message in steps] == [(n, 5) for n in range(5)]
    job = _job(session, job_id)
    assert job.result["download_url"] == f"/sep/plans/{world.plan.id}/sep.pdf"
    assert job.message.startswith("The plan (PDF) is ready (")
    done_page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert f'href="/sep/plans/{world.plan.id}/sep.pdf" data-job-download-link' in done_page
    assert "Download the plan (PDF)" in done_page and "Back to the plan" in done_page

    plan_page = client.get(f"/sep/plans/{world.plan.id}").get_data(as_text=True)
    assert 'data-testid="download-link-sep_pdf"' in plan_page and "Prepare again" in plan_page
    assert f" UTC by Test {Role.STAFF.label} · " in plan_page
    stored = session.scalars(select(PreparedDocument)).one()
    assert (stored.kind, stored.job_id, stored.size) == ("sep_pdf", job_id, len(stored.content))
    assert stored.content.startswith(b"%PDF")
    response = client.get(f"/sep/plans/{world.plan.id}/sep.pdf")
    assert response.status_code == 200 and response.data == stored.content


def test_the_workbook_reports_its_sheets(app, client, login_as, world, steps) -> None:
    login_as(Role.PMO)
    prepared_download(app, client, world.plan.id, "schedule_xlsx")
    messages = [message for _done, _total, message in steps]
    assert messages[0] == "Reading the plan" and messages[-1] == "Saving the file"
    assert messages[1] == "Writing the sheets: 0 of 16"  # the summary, 12 months, 3 sites
    assert "Saving the workbook" in messages


def test_prepare_again_replaces_the_file(app, client, login_as, world, session) -> None:
    login_as(Role.PLANNER)
    prepared_download(app, client, world.plan.id, "schedule_pdf")
    first = session.scalars(select(PreparedDocument)).one()
    first_job, first_at = first.job_id, first.created_at
    second_job = start_preparing(client, world.plan.id, "schedule_pdf")
    assert second_job != first_job
    assert run_queued(app, second_job) is JobStatus.SUCCEEDED
    session.expire_all()
    again = session.scalars(select(PreparedDocument)).one()
    assert again.job_id == second_job and again.created_at >= first_at


def test_a_second_prepare_while_one_is_queued_shows_that_job(client, login_as, world,
                                                             session) -> None:  # fmt: skip
    login_as(Role.PMO)
    first = start_preparing(client, world.plan.id, "schedule_xlsx")
    assert start_preparing(client, world.plan.id, "schedule_xlsx") == first
    other_kind = start_preparing(client, world.plan.id, "sep_pdf")
    assert other_kind != first
    assert _count(session, Job) == 2
    page = client.get(f"/jobs/{first}").get_data(as_text=True)
    assert "is being prepared already" in page


def _running_job(session, world, by, *, seen: dt.datetime) -> Job:
    """A job preparing the plan's workbook, running, last heard of at `seen`."""
    job = enqueue_job(session, by=by, kind="sep_document", title="Workbook",
                      params={"plan_id": world.plan.id, "document": "schedule_xlsx"})  # fmt: skip
    job.status, job.started_at, job.heartbeat_at, job.worker = JobStatus.RUNNING, seen, seen, "x:1"
    session.commit()
    return job


def test_someone_elses_running_job_is_not_started_again(client, login_as, world, session,
                                                        users) -> None:  # fmt: skip
    job = _running_job(session, world, users[Role.PMO], seen=utcnow())
    login_as(Role.STAFF)
    response = client.post(f"/sep/plans/{world.plan.id}/prepare/schedule_xlsx")
    assert response.headers["Location"] == f"/sep/plans/{world.plan.id}#downloads"
    assert _count(session, Job) == 1
    page = client.get(f"/sep/plans/{world.plan.id}").get_data(as_text=True)
    assert "being prepared already, at someone else&#39;s request" in page
    assert 'data-testid="preparing-schedule_xlsx"' in page and f"/jobs/{job.id}" not in page


def test_a_job_whose_worker_died_is_replaced(client, login_as, world, session, users) -> None:
    dead = _running_job(session, world, users[Role.PMO], seen=utcnow() - dt.timedelta(hours=1))
    login_as(Role.PMO)
    new = start_preparing(client, world.plan.id, "schedule_xlsx")
    assert new != dead.id
    assert _job(session, dead.id).status is JobStatus.FAILED


def test_a_cancelled_job_stores_nothing(app, client, login_as, world, session,
                                        monkeypatch) -> None:  # fmt: skip
    login_as(Role.PMO)
    job_id = start_preparing(client, world.plan.id, "sep_pdf")
    laid_out = sep_document.laid_out

    def cancel_during_layout(html: str):
        with app.extensions["rollout.sessions"]() as other:
            request_cancel(other, other.get(Job, job_id))  # the user presses Cancel
            other.commit()
        return laid_out(html)

    monkeypatch.setattr(sep_document, "laid_out", cancel_during_layout)
    assert run_queued(app, job_id) is JobStatus.CANCELLED
    assert _count(session, PreparedDocument) == 0
    assert _job(session, job_id).result is None
    response = client.get(f"/sep/plans/{world.plan.id}/sep.pdf")
    assert response.status_code == 302  # still to be prepared


def test_a_job_cancelled_before_it_started_stores_nothing(app, client, login_as, world,
                                                          session) -> None:  # fmt: skip
    login_as(Role.PMO)
    job_id = start_preparing(client, world.plan.id, "schedule_pdf")
    client.post(f"/jobs/{job_id}/cancel")
    assert run_queued(app, job_id) is None  # nothing left to run
    assert _count(session, PreparedDocument) == 0
    assert start_preparing(client, world.plan.id, "schedule_pdf") != job_id  # may start anew


def test_a_job_for_a_plan_no_longer_published_fails_politely(app, world, session, users) -> None:
    job = enqueue_job(session, by=users[Role.PMO], kind="sep_document", title="Draft",
                      params={"plan_id": world.draft.id, "document": "sep_pdf"})  # fmt: skip
    session.commit()
    assert run_queued(app, job.id) is JobStatus.FAILED
    assert "only published plans have downloads" in _job(session, job.id).message
    assert _count(session, PreparedDocument) == 0


def test_an_unknown_kind_is_not_found(client, login_as, world) -> None:
    login_as(Role.ADMIN)
    assert client.post(f"/sep/plans/{world.plan.id}/prepare/secrets").status_code == 404


def test_the_index_links_the_prepared_downloads_only(app, client, login_as, world) -> None:
    login_as(Role.PMO)
    page = client.get("/sep/").get_data(as_text=True)
    assert "/sep.pdf" not in page and "Prepare downloads" in page
    prepared_download(app, client, world.plan.id, "sep_pdf")
    page = client.get("/sep/").get_data(as_text=True)
    assert f"/sep/plans/{world.plan.id}/sep.pdf" in page and "/schedule.xlsx" not in page
    assert "Prepare the others" in page
