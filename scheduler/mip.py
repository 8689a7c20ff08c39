"""The time-indexed model as a mixed-integer program for SCIP: a second prover beside CP-SAT.

On small problems CP-SAT finds good plans fast, but its bound can stall a few value points above
the optimum. SCIP's cutting planes (knapsack covers on the budgets, cliques on the crews and
sites) close many of those gaps: measured on 50-site districts, seeds 1-10, 10 s, SCIP alone
proved 8 optima where CP-SAT on two workers proved 6. `solve` runs both at once, one core each,
and stops the other as soon as one proves the optimum (see improve.py).

The rows are the LP relaxation's (lp.py) with the start choices made integral, plus each site's
feasible sets of projects (site_sets.py). SCIP works in floating point, so its plan is re-checked
here with exact integers before it is offered, and its bound is only trusted on problems whose
numbers floating point represents exactly (see `suitable`).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from scheduler.greedy import objective_of
from scheduler.lp import add_rows, build_rows
from scheduler.problem import Problem
from scheduler.site_sets import site_set_rows
from scheduler.usage import Usage

MIP_MAX_NUMBER = 2**40  # largest cost, cap or value given to SCIP (exact in a double, with room)


@dataclass(frozen=True)
class MipResult:
    """SCIP's best plan (exactly re-checked; None if none) and its proven upper bound."""

    starts: dict[str, int] | None
    bound: float | None
    optimal: bool


def suitable(problem: Problem) -> bool:
    """True for a max_value problem whose every number and every sum of them is exact in a double.

    Costs beyond about 10^12 would make SCIP's tolerances larger than a cent: such problems stay
    with CP-SAT alone.
    """
    if problem.objective != "max_value":
        return False
    caps = [problem.annual_budget or 0, *(problem.monthly_budget or ())]
    caps += [*problem.funding_caps.values(), *(s.budget_cap or 0 for s in problem.sites)]
    total_cost = sum(p.cost for p in problem.projects)
    total_value = sum(p.value for p in problem.projects)
    return max(total_cost, total_value, *caps) <= MIP_MAX_NUMBER


class MipSearch:
    """One SCIP run on the whole problem, in a thread of its own; interruptible."""

    def __init__(self, problem: Problem, stop: Callable[[], bool]) -> None:
        self.problem = problem
        self.solver = pywraplp.Solver.CreateSolver("SCIP")
        self.x: dict[tuple[str, int], object] = {}
        self.result = MipResult(None, None, False)
        self._thread: threading.Thread | None = None
        self._stop = stop

    def start(self, hint: Mapping[str, int] | None, time_limit_s: float) -> bool:
        """Build the program and start solving it in the background; False if it cannot run."""
        if self.solver is None:
            return False
        x = build_rows(self.solver, self.problem, self._stop, integral=True)
        if x is None:
            return False
        self.x = x
        self._add_site_sets()
        if hint:
            variables = list(self.x.values())
            values = [1.0 if hint.get(pid) == s else 0.0 for pid, s in self.x]
            self.solver.SetHint(variables, values)
        self.solver.SetTimeLimit(max(1, int(time_limit_s * 1000)))
        self._thread = threading.Thread(target=self._run, name="scip", daemon=True)
        self._thread.start()
        return True

    def _add_site_sets(self) -> None:
        """Each site plans at most one of its maximal feasible sets (redundant, tighter)."""
        starts = {p.id: self.problem.static_starts(p) for p in self.problem.projects}
        add_rows(self.solver, site_set_rows(self.problem, starts, self.x, self._new_bool))

    def _new_bool(self):
        """A 0/1 variable worth nothing in the objective (a site set's choice)."""
        return self.solver.BoolVar("")

    def _run(self) -> None:
        """Solve with no relative gap: values are whole numbers, a gap under 1 is a proof."""
        params = pywraplp.MPSolverParameters()
        params.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, 0.0)
        status = self.solver.Solve(params)
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return
        starts = {pid: s for (pid, s), var in self.x.items() if var.solution_value() > 0.5}
        plan = starts if exact_plan_fits(self.problem, starts) else None
        bound = self.solver.Objective().BestBound()
        if not math.isfinite(bound):
            bound = None
        optimal = plan is not None and (
            status == pywraplp.Solver.OPTIMAL
            or (bound is not None and objective_of(self.problem, plan) >= math.floor(bound + 1e-6))
        )
        self.result = MipResult(plan, bound, optimal)

    def interrupt(self) -> None:
        """Ask SCIP to stop; it returns its best plan and bound so far."""
        if self.solver is not None:
            self.solver.InterruptSolve()

    def done(self) -> bool:
        """True once the run has ended (or never started)."""
        return self._thread is None or not self._thread.is_alive()

    def proved(self) -> bool:
        """True once the run has ended with a checked plan proven optimal."""
        return self.done() and self.result.optimal

    def join(self) -> MipResult:
        """Wait for the run to end and return what it found."""
        if self._thread is not None:
            self._thread.join()
        return self.result


def exact_plan_fits(problem: Problem, starts: Mapping[str, int]) -> bool:
    """Every rule holds for the plan, in integers (SCIP's answer is in floating point)."""
    usage = Usage(problem)
    for project in problem.topological_order:
        if project.id not in starts:
            if project.is_required:
                return False
            continue
        start = starts[project.id]
        ready = usage.ready_from(project)
        if ready is None or start < ready or start not in problem.static_starts(project):
            return False
        if usage.money_blocker(project) or usage.period_blocker(project, start):
            return False
        usage.add(project, start)
    return True
