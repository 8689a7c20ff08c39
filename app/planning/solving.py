"""Running the optimiser on a scenario: read its inputs in a short transaction, solve while a
ticker reports progress every second and passes a cancel on, then store the plan in one short
transaction (so a run that dies half-way leaves every earlier plan as it was).

The background "plan" job (app/planning/jobs.py) and `flask sep plan` share this path; they
differ only in how progress is shown and how a cancel arrives (the `report` callback).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.planning.adapter import Ids, hint_from, problem_for, store_plan
from app.planning.run_outcome import RunOutcome, conflict_entries
from app.planning.wording import in_words, vocabulary_for
from inventory.errors import InvalidValue, NotFound
from inventory.models import Plan, Scenario, User
from inventory.operations.jobs import release_scenario
from scheduler import Problem, Solution, solve

log = logging.getLogger(__name__)
MAX_TIME_LIMIT_S = 3600


@dataclass(frozen=True)
class RunSettings:
    """What to run: a scenario, for how long, and for a re-plan the plan to stay close to."""

    scenario_id: int
    time_limit_s: int
    based_on_plan_id: int | None = None
    move_penalty: int = 0

    def params(self) -> dict[str, int]:
        """The settings as a job's parameters."""
        params = {"scenario_id": self.scenario_id, "time_limit_s": self.time_limit_s}
        if self.based_on_plan_id is not None:
            params["based_on_plan_id"] = self.based_on_plan_id
            params["move_penalty"] = self.move_penalty
        return params

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> RunSettings:
        """The settings a job was queued with."""
        based_on = params.get("based_on_plan_id")
        return cls(
            scenario_id=int(params["scenario_id"]),
            time_limit_s=int(params["time_limit_s"]),
            based_on_plan_id=None if based_on is None else int(based_on),
            move_penalty=int(params.get("move_penalty", 0)),
        )


@dataclass
class Progress:
    """What a run shows while it searches: the best plan's value, the proven bound, time."""

    time_limit_s: int
    projects: int
    elapsed_s: float = 0.0
    value: int | None = None
    bound: float | None = None
    scheduled: int | None = None  # known once the run is over
    stopping: bool = False

    @property
    def gap(self) -> float | None:
        """How far the value may be from the best possible (0.0 = proven best), or None."""
        if self.value is None or self.bound is None or not math.isfinite(self.bound):
            return None
        if self.bound <= 0:
            return 0.0 if self.value >= self.bound else None
        return max(0.0, (self.bound - self.value) / self.bound)

    @property
    def remaining_s(self) -> float:
        """Seconds left before the time limit."""
        return max(0.0, self.time_limit_s - self.elapsed_s)

    def detail(self) -> dict[str, Any]:
        """The figures as the job row and the JSON of the progress page carry them."""
        bound = self.bound if self.bound is not None and math.isfinite(self.bound) else None
        gap = self.gap
        return {
            "value": self.value,
            "bound": None if bound is None else round(bound, 1),
            "gap": None if gap is None else round(gap, 4),
            "elapsed_s": round(self.elapsed_s, 1),
            "remaining_s": round(self.remaining_s, 1),
            "projects": self.projects,
            "scheduled": self.scheduled,
        }

    def message(self) -> str:
        """One line for the progress bar and the command line."""
        if self.stopping:
            return "Stopping: keeping the best plan found so far."
        if self.value is None:
            return f"Searching {self.projects:,} projects; no plan yet."
        gap = self.gap
        shown = "" if gap is None else f", within {100 * gap:.1f}% of the best possible"
        return f"Best plan so far: value {self.value:,}{shown}."


Report = Callable[[Progress], bool]  # shows progress; returns True to stop (keeping the best)


@dataclass
class _Inputs:
    """What the run read from the database, as plain data."""

    problem: Problem
    ids: Ids
    hint: Solution | None
    inputs_revision: int
    scenario_name: str


def run_plan(
    sessions: sessionmaker[Session],
    settings: RunSettings,
    *,
    by_id: int | None,
    report: Report,
    job_id: int | None = None,
    interval_s: float = 1.0,
) -> RunOutcome:
    """Plan a scenario: read, solve (reporting every `interval_s`), store a new version or
    describe the conflicts; a job's claim on the scenario is released with the result."""
    check_time_limit(settings.time_limit_s)
    inputs = _read_inputs(sessions, settings)
    progress = Progress(time_limit_s=settings.time_limit_s, projects=len(inputs.problem.projects))
    report(progress)  # the first heartbeat: the inputs are read
    solution, cancelled = _solve(inputs, settings, progress, report, interval_s)
    progress.elapsed_s, progress.stopping = solution.runtime_s, False
    progress.value, progress.bound = solution.objective, solution.bound
    progress.scheduled = len(solution.assignments) if solution.has_plan else None
    report(progress)  # the final figures
    return _record(sessions, settings, inputs, solution, cancelled, by_id=by_id, job_id=job_id)


def check_time_limit(seconds: int) -> None:
    """A time limit is a whole number of seconds from 1 to an hour."""
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise InvalidValue(
            "The time limit must be a whole number of seconds.", field="time_limit_s"
        )
    if not 1 <= seconds <= MAX_TIME_LIMIT_S:
        raise InvalidValue(
            f"The time limit must be from 1 to {MAX_TIME_LIMIT_S} seconds, not {seconds}.",
            field="time_limit_s",
        )


def _read_inputs(sessions: sessionmaker[Session], settings: RunSettings) -> _Inputs:
    """The problem, the ids and the hint, read in one short transaction."""
    with sessions() as session:
        scenario = session.get(Scenario, settings.scenario_id)
        if scenario is None:
            raise NotFound("The scenario no longer exists.")
        try:
            problem, ids = problem_for(session, scenario)
        except (ValueError, InvalidValue) as error:  # named with the scenario's projects
            text = error.message if isinstance(error, InvalidValue) else str(error)
            if not text.startswith("The scenario's inputs"):
                text = f"The scenario's inputs do not fit together: {text}."
            raise InvalidValue(in_words(text, vocabulary_for(session, scenario))) from None
        hint = None
        if settings.based_on_plan_id is not None:
            plan = session.get(Plan, settings.based_on_plan_id)
            if plan is None or plan.scenario_id != scenario.id:
                raise NotFound("The plan to re-plan from no longer exists in this scenario.")
            hint = hint_from(plan, ids)
        return _Inputs(problem, ids, hint, scenario.inputs_revision, scenario.name)


def _solve(
    inputs: _Inputs, settings: RunSettings, progress: Progress, report: Report, interval_s: float
) -> tuple[Solution, bool]:
    """Solve while a ticker thread reports every interval and turns a stop into the optimiser's
    cancel (it then returns its best plan so far within about a second)."""
    cancel, finished = threading.Event(), threading.Event()
    started = time.monotonic()

    def improved(objective: int, bound: float | None, _elapsed_s: float) -> None:
        """The optimiser found a better plan (called from its thread)."""
        progress.value, progress.bound = objective, bound

    def tick() -> None:
        """Report every interval until the solve returns; a True answer cancels it."""
        while not finished.wait(interval_s):
            progress.elapsed_s = time.monotonic() - started
            progress.stopping = cancel.is_set()
            try:
                if report(progress):
                    cancel.set()
            except Exception:  # a missed report must not end the run; the next one may work
                log.exception("Could not report the progress of a plan run")

    ticker = threading.Thread(target=tick, name="plan-progress", daemon=True)
    ticker.start()
    try:
        solution = solve(
            inputs.problem,
            time_limit_s=settings.time_limit_s,
            on_progress=improved,
            cancel=cancel,
            hint=inputs.hint,
            move_penalty=settings.move_penalty,
        )
    except ValueError as error:
        raise InvalidValue(f"The optimiser cannot run with these settings: {error}.") from None
    finally:
        finished.set()
        ticker.join()
    return solution, cancel.is_set()


def _record(
    sessions: sessionmaker[Session],
    settings: RunSettings,
    inputs: _Inputs,
    solution: Solution,
    cancelled: bool,
    *,
    by_id: int | None,
    job_id: int | None,
) -> RunOutcome:
    """Store the plan (or word the conflicts) and release the scenario, in one transaction."""
    outcome = RunOutcome(
        status=solution.status, scenario_name=inputs.scenario_name,
        projects=len(inputs.problem.projects), time_limit_s=settings.time_limit_s,
        runtime_s=solution.runtime_s, value=solution.objective, bound=solution.bound,
        cancelled=cancelled, stopped_early=cancelled and solution.status != "optimal",
    )  # fmt: skip
    with sessions() as session:
        scenario = session.get(Scenario, settings.scenario_id)
        if scenario is None:
            raise NotFound("The scenario was deleted while its plan was being generated.")
        if solution.has_plan:
            plan = store_plan(
                session, scenario, inputs.problem, inputs.ids, solution,
                by=session.get(User, by_id) if by_id is not None else None,
                time_limit_s=settings.time_limit_s,
                based_on=_based_on(session, settings), move_penalty=settings.move_penalty,
                stopped_early=outcome.stopped_early, job_id=job_id,
                inputs_revision=inputs.inputs_revision,
            )  # fmt: skip
            outcome.plan_id, outcome.version = plan.id, plan.version
            outcome.scheduled = len(solution.assignments)
        elif solution.status == "infeasible":
            outcome.conflicts = conflict_entries(session, scenario, solution, inputs.ids)
        if job_id is not None:
            release_scenario(session, scenario.id, job_id)
        session.commit()
    return outcome


def _based_on(session: Session, settings: RunSettings) -> Plan | None:
    """The plan a re-plan stays close to (None for a fresh run, or if it was deleted since)."""
    if settings.based_on_plan_id is None:
        return None
    return session.get(Plan, settings.based_on_plan_id)
