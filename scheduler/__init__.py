"""Rollout's SEP optimiser: select and schedule projects under crews, budgets and calendar rules.

A pure library: frozen dataclasses in (``Problem``), a ``Solution`` out. It imports only the
standard library and OR-Tools.
"""

from scheduler.check import Violation, check
from scheduler.greedy import greedy
from scheduler.problem import Problem, Project, Site
from scheduler.solution import Assignment, Conflict, Solution, Unscheduled
from scheduler.solve import solve

__all__ = [
    "Assignment",
    "Conflict",
    "Problem",
    "Project",
    "Site",
    "Solution",
    "Unscheduled",
    "Violation",
    "check",
    "greedy",
    "solve",
]
