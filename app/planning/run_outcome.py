"""A plan run as pages and the command line show it: how it stands (progress, figures, a
label and a colour), how it ended (RunOutcome), and an infeasible run's conflicts in planners'
words, each with links to the inputs to change.

A run's result is stored on its job row and read later, maybe by a worker with no request, so
the links are plain paths built from the app's URL map; pages not built yet are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from app.jobs.sidechannel import side_channel
from app.jobs.views import live_progress
from app.planning.adapter import Ids
from app.planning.wording import in_words, vocabulary_for
from inventory.enums import JobStatus
from inventory.models import Job, Scenario
from scheduler import Conflict, Solution

MAX_PROJECT_LINKS = 10
TONES = {
    JobStatus.QUEUED: "secondary", JobStatus.RUNNING: "primary", JobStatus.SUCCEEDED: "success",
    JobStatus.FAILED: "danger", JobStatus.CANCELLED: "secondary",
}  # fmt: skip
STOPPING = "Stopping: keeping the best plan found so far."

# The scenario page where each kind of limit is set.
BUDGET = ("scenarios.budget", "Budget and monthly caps")
FUNDING = ("scenarios.funding", "Funding sources")
CREWS = ("scenarios.crews", "Crews")
SITE_RULES = ("scenarios.sites", "Site rules")
CALENDAR = ("scenarios.calendar", "Calendar: blackouts and work windows")
PAGES_BY_RULE = {
    "annual_budget": (BUDGET,),
    "monthly_budget": (BUDGET,),
    "funding_cap": (FUNDING,),
    "crews": (CREWS,),
    "capacity": (CREWS, BUDGET),
    "site_concurrency": (SITE_RULES,),
    "site_budget": (SITE_RULES,),
    "timing": (CALENDAR,),
    "pinned": (CALENDAR,),
    "requirements": (CALENDAR,),
}


def path_for(endpoint: str, **values: Any) -> str | None:
    """The path of a page, with or without a request; None if the app has no such page."""
    if endpoint not in current_app.view_functions:
        return None
    root = current_app.config.get("APPLICATION_ROOT") or "/"
    adapter = current_app.url_map.bind("localhost", script_name=root)
    try:
        return adapter.build(endpoint, values)
    except BuildError:
        return None


def conflict_entries(
    session: Session, scenario: Scenario, solution: Solution, ids: Ids
) -> list[dict[str, Any]]:
    """Each conflict: its rule, its message in the scenario's months and names, and links."""
    words = vocabulary_for(session, scenario)
    return [
        {
            "constraint": conflict.constraint,
            "message": in_words(conflict.message, words),
            "links": _links(scenario, conflict, ids, words.projects),
        }
        for conflict in solution.conflicts
    ]


def _links(
    scenario: Scenario, conflict: Conflict, ids: Ids, names: dict[str, str]
) -> list[dict[str, str]]:
    """The scenario pages and projects to look at, without repeats."""
    pages: list[tuple[str, str]] = []
    for rule in conflict.constraint.split("+"):
        pages.extend(PAGES_BY_RULE.get(rule.partition(":")[0], ()))
    if conflict.sites:
        pages.append(SITE_RULES)
    if "blackout" in conflict.message or "window" in conflict.message:
        pages.append(CALENDAR)
    links = []
    for endpoint, label in dict.fromkeys(pages):
        path = path_for(endpoint, scenario_id=scenario.id)
        if path is not None:
            links.append({"label": label, "url": path})
    for key in conflict.projects[:MAX_PROJECT_LINKS]:
        project_id = ids.projects.get(key)
        path = None if project_id is None else path_for("projects.detail", project_id=project_id)
        if path is not None:
            links.append({"label": names.get(key, key), "url": path})
    return links


def conflict_lines(conflicts: list[dict[str, Any]]) -> list[str]:
    """The conflicts as lines for the command line."""
    return [f"conflict: {entry['message']}" for entry in conflicts]


@dataclass
class RunOutcome:
    """How a run ended: the stored version, or the conflicts, or nothing found in time."""

    status: str  # the optimiser's: optimal, feasible, infeasible or unknown
    scenario_name: str
    projects: int
    time_limit_s: int
    runtime_s: float = 0.0
    plan_id: int | None = None
    version: int | None = None
    value: int | None = None
    bound: float | None = None
    scheduled: int = 0
    stopped_early: bool = False
    cancelled: bool = False
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_plan(self) -> bool:
        """True when a plan version was stored."""
        return self.version is not None

    @property
    def message(self) -> str:
        """What happened, in one or two sentences."""
        if self.has_plan:
            found = (
                f"value {self.value or 0:,}, {self.scheduled:,} of {self.projects:,} projects "
                "scheduled"
            )
            if self.stopped_early:
                return (
                    f"Stopped early at your request after {self.runtime_s:.0f} s: version "
                    f"{self.version} keeps the best plan found so far ({found})."
                )
            kind = "the best possible plan" if self.status == "optimal" else "a good plan"
            return f"Version {self.version} is ready: {kind}, {found}."
        if self.status == "infeasible":
            count = len(self.conflicts)
            return (
                f"No plan can meet every rule of {self.scenario_name}: {count} conflict"
                f"{'s' if count != 1 else ''} below. Change those inputs and generate again."
            )
        if self.cancelled:
            return "Stopped before any plan was found; nothing was stored."
        return (
            f"No plan was found within {self.time_limit_s} seconds; nothing was stored. Give the "
            "optimiser more time, or relax the mandatory and pinned projects."
        )


def run_state(job: Job) -> dict[str, Any]:
    """Status, progress, the figures as numbers and as shown, and the outcome's message."""
    progress = live_progress(job)
    detail = dict(progress["detail"] or {})
    if not detail.get("projects") and (job.result or {}).get("projects"):
        detail["projects"] = job.result["projects"]
    shown = shown_figures(detail, job)
    finished = job.status.is_finished
    stopping = job.status is JobStatus.RUNNING and _cancel_requested(job)
    label, tone = _label(job, stopping)
    return {
        "id": job.id,
        "status": job.status.value,
        "state": label,
        "tone": tone,
        "finished": finished,
        "stopping": stopping,
        "percent": 100 if finished else progress["percent"],
        "bar": _finished_bar(job, shown, label) if finished else None,
        "done": progress["done"],
        "total": progress["total"],
        "message": STOPPING if stopping else progress["message"] or _waiting(job),
        "detail": progress["detail"],
        "shown": shown,
    }


def _finished_bar(job: Job, shown: dict[str, str], label: str) -> str:
    """The full bar's text once a run is over: the time it took, of its limit."""
    if shown["elapsed"] == "—":
        return label
    return f"{shown['elapsed']} of {(job.params or {}).get('time_limit_s', '?')} s"


def _label(job: Job, stopping: bool) -> tuple[str, str]:
    """The run's state in words, and its colour (a Bootstrap theme name)."""
    result = job.result or {}
    if stopping:
        return "Stopping", "warning"
    if job.status is JobStatus.SUCCEEDED and result.get("status") == "infeasible":
        return "No plan possible", "warning"
    if job.status is JobStatus.SUCCEEDED and result.get("stopped_early"):
        return "Stopped early", "success"
    if job.status is JobStatus.SUCCEEDED:
        return "Plan ready", "success"
    return job.status.label, TONES[job.status]


def _waiting(job: Job) -> str:
    """What a run that has not reported anything yet is doing."""
    return "Waiting for a worker to start the run." if job.status is JobStatus.QUEUED else ""


def _cancel_requested(job: Job) -> bool:
    """Whether the user asked the run to stop (on SQLite the request may be in a file)."""
    channel = side_channel()
    return job.is_cancel_requested or (channel is not None and channel.cancel_requested(job.id))


def shown_figures(detail: dict[str, Any], job: Job) -> dict[str, str]:
    """The figures as the page shows them ('—' until known)."""
    elapsed, remaining = detail.get("elapsed_s"), detail.get("remaining_s")
    projects, scheduled = detail.get("projects"), detail.get("scheduled")
    if job.status.is_finished:
        remaining = 0 if elapsed is not None else None
    return {
        "value": _number(detail.get("value")),
        "bound": _number(detail.get("bound")),
        "gap": "—" if detail.get("gap") is None else f"{100 * detail['gap']:.1f}%",
        "elapsed": _duration(elapsed),
        "remaining": _duration(remaining),
        "projects": f"{_number(scheduled)} of {_number(projects)}",
    }


def _number(value: float | None) -> str:
    """1234.0 -> '1,234' ('—' when unknown)."""
    return "—" if value is None else f"{round(value):,}"


def _duration(seconds: float | None) -> str:
    """75 -> '1 min 15 s' ('—' when unknown)."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    return f"{whole} s" if whole < 60 else f"{whole // 60} min {whole % 60:02d} s"
