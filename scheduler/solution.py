"""The SEP plan: status, objective, bound, start periods, left-out projects and conflicts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
STATUSES: tuple[str, ...] = ("optimal", "feasible", "infeasible", "unknown")


@dataclass(frozen=True)
class Assignment:
    """A scheduled project and the period it starts in."""

    project: str
    start: int


@dataclass(frozen=True)
class Unscheduled:
    """A project left out of the plan and the reason, true in that plan.

    ``limit`` names what keeps it out, for totals by limit: ``predecessor``, ``timing`` (its
    own months, allowed starts and blackouts), ``annual_budget``, ``monthly_budget``,
    ``funding_cap:<source>``, ``site_budget:<site>``, ``crews:<trade>``,
    ``site_concurrency:<site>``, ``no_value``, or ``search`` (it would fit: the plan is not
    proven optimal); empty when unknown (a solution file from elsewhere).
    """

    project: str
    reason: str
    limit: str = ""


@dataclass(frozen=True)
class Conflict:
    """One set of inputs that cannot all hold together (why a problem is infeasible)."""

    constraint: str
    message: str
    projects: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    budgets: tuple[str, ...] = ()
    periods: tuple[int, ...] = ()


@dataclass(frozen=True)
class Solution:
    """The optimiser's answer for a problem."""

    status: Status
    objective: int | None = None
    bound: float | None = None
    runtime_s: float = 0.0
    assignments: tuple[Assignment, ...] = ()
    unscheduled: tuple[Unscheduled, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    method: str = ""
    stats: Mapping[str, object] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {self.status!r}")
        object.__setattr__(self, "assignments", tuple(self.assignments))
        object.__setattr__(self, "unscheduled", tuple(self.unscheduled))
        object.__setattr__(self, "conflicts", tuple(self.conflicts))

    @property
    def starts(self) -> dict[str, int]:
        """Start period of every scheduled project, by project id."""
        return {item.project: item.start for item in self.assignments}

    @property
    def has_plan(self) -> bool:
        """True when the solution carries a usable plan (optimal or feasible)."""
        return self.status in ("optimal", "feasible")


def money(amount: int) -> str:
    """A compact amount: 2400000 -> 2.4M, 12500 -> 12.5k."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if abs(amount) >= size:
            return f"{amount / size:.4g}{suffix}"
    return str(amount)
