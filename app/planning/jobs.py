"""The "plan" job: generate a scenario's plan in the background, one run per scenario at a time.

Starting a run queues the job and claims the scenario in one transaction; the claim is taken
over only from a job that has ended, or whose worker went silent (it died: the job is marked
failed). The job itself runs app/planning/solving.run_plan, reporting its progress every second
(the heartbeat) and turning the user's Cancel into "keep the best plan so far".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.jobs.registry import JobCancelled, JobContext, JobFailed, job_kind
from app.jobs.sidechannel import side_channel
from app.planning.run_outcome import path_for
from app.planning.solving import Progress, RunOutcome, RunSettings, check_time_limit, run_plan
from inventory.base import utcnow
from inventory.enums import JobStatus
from inventory.errors import DomainError, WrongState
from inventory.models import Job, Project, Scenario, User
from inventory.operations.jobs import (
    claim_scenario,
    enqueue_job,
    fail_stalled_job,
    release_scenario,
)

JOB_KIND = "plan"
SILENT_LIMIT = dt.timedelta(minutes=2)  # a running job silent this long has lost its worker


class RunInProgress(WrongState):
    """The scenario's plan is being generated already: the message names that run."""

    def __init__(self, scenario: Scenario, job_id: int) -> None:
        super().__init__(
            f"A plan for {scenario.name} is already being generated (run {job_id}); wait for it "
            "to finish or cancel it before starting another."
        )
        self.job_id = job_id


def start_plan_run(session: Session, scenario: Scenario, *, by: User, settings: RunSettings) -> Job:
    """Queue a plan run and claim the scenario for it (flushes; the caller commits, then
    dispatches the job). Refuses while another run of the scenario is queued or alive."""
    check_time_limit(settings.time_limit_s)
    require_projects(session, scenario)
    replacing = claim_to_replace(session, scenario)
    title = f"Re-plan {scenario.name}" if settings.based_on_plan_id else f"Plan {scenario.name}"
    job = enqueue_job(session, by=by, kind=JOB_KIND, title=title, params=settings.params())
    if not claim_scenario(session, scenario.id, job.id, replacing=replacing):
        # Another run claimed it a moment ago; the caller rolls the queued job back.
        running = session.scalar(select(Scenario.running_job_id).where(Scenario.id == scenario.id))
        raise RunInProgress(scenario, running or 0)
    return job


def require_projects(session: Session, scenario: Scenario) -> None:
    """Refuse to plan a scenario with no project in the plan (all withdrawn, or none yet)."""
    count = session.scalar(
        select(func.count(Project.id)).where(
            Project.scenario_id == scenario.id, Project.is_withdrawn.is_(False)
        )
    )
    if not count:
        raise WrongState(
            f"{scenario.name} has no projects to plan yet: generate its needs or add projects "
            "first."
        )


def claim_to_replace(session: Session, scenario: Scenario) -> int | None:
    """The job holding the scenario if its claim may be taken over (it has ended, or its
    worker died: then it is marked failed; flushes); RunInProgress if it is queued or alive."""
    holder_id = session.scalar(select(Scenario.running_job_id).where(Scenario.id == scenario.id))
    if holder_id is None:
        return None
    holder = session.get(Job, holder_id)
    if holder is None or holder.status.is_finished:
        return holder_id
    if holder.status is JobStatus.RUNNING and fail_if_silent(session, holder):
        return holder_id
    raise RunInProgress(scenario, holder_id)


def last_sign_of_life(job: Job) -> dt.datetime | None:
    """When a running job last reported (its row, or on SQLite its progress file), or started."""
    moments = [job.heartbeat_at, job.started_at]
    channel = side_channel()
    if channel is not None:
        moments.append(channel.heartbeat_at(job.id))
    known = [_aware(moment) for moment in moments if moment is not None]
    return max(known) if known else None


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back times without their zone; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def fail_if_silent(session: Session, job: Job) -> bool:
    """Mark a running plan job failed, and free its scenario, when it has been silent longer
    than SILENT_LIMIT (its worker died); flushes. True if it was."""
    cutoff = utcnow() - SILENT_LIMIT
    seen = last_sign_of_life(job)
    if job.status is not JobStatus.RUNNING or (seen is not None and seen >= cutoff):
        return False
    if not fail_stalled_job(session, job.id, silent_since=cutoff):
        return False
    scenario_id = (job.params or {}).get("scenario_id")
    if isinstance(scenario_id, int):
        release_scenario(session, scenario_id, job.id)
    return True


@job_kind(JOB_KIND)
def plan_job(context: JobContext) -> dict[str, Any]:
    """Generate the plan; Cancel keeps the best plan found so far (if there is one)."""
    settings = RunSettings.from_params(context.params)

    def report(progress: Progress) -> bool:
        """Progress through the job row (or side channel); True once Cancel was pressed."""
        done = min(int(progress.elapsed_s), progress.time_limit_s)
        try:
            context.progress(done, progress.time_limit_s, progress.message(), progress.detail())
        except JobCancelled:
            return True
        return False

    try:
        outcome = run_plan(
            context.sessions, settings, by_id=context.created_by_id, report=report,
            job_id=context.job_id,
        )  # fmt: skip
    except DomainError as error:
        _release(context, settings)
        raise JobFailed(error.message) from None
    except BaseException:
        _release(context, settings)
        raise
    if outcome.cancelled and not outcome.has_plan:
        raise JobCancelled()
    if outcome.status == "unknown":
        raise JobFailed(outcome.message)
    return job_result(outcome)


def _release(context: JobContext, settings: RunSettings) -> None:
    """Free the scenario after a run that ended without recording anything."""
    with context.sessions() as session:
        release_scenario(session, settings.scenario_id, context.job_id)
        session.commit()


def job_result(outcome: RunOutcome) -> dict[str, Any]:
    """The job's result: what happened, the new version and its page, or the conflicts."""
    result: dict[str, Any] = {
        "message": outcome.message,
        "status": outcome.status,
        "plan_id": outcome.plan_id,
        "version": outcome.version,
        "value": outcome.value,
        "scheduled": outcome.scheduled,
        "projects": outcome.projects,
        "stopped_early": outcome.stopped_early,
        "conflicts": outcome.conflicts,
    }
    link = None
    if outcome.plan_id is not None:
        link = path_for("plans.overview", plan_id=outcome.plan_id)
    if link is not None:
        result["link"] = link
    return result


def plan_run_or_none(session: Session, job_id: int) -> Job | None:
    """The job if it is a plan run."""
    job = session.get(Job, job_id)
    return job if job is not None and job.kind == JOB_KIND else None


def default_time_limit(scenario: Scenario) -> int:
    """The scenario's own time limit, else the configured default."""
    return int(scenario.time_limit_s or current_app.config["PLAN_TIME_LIMIT_SECONDS"])
