"""The linear relaxation of the time-indexed formulation (GLOP): an upper bound on plan value.

Used by the benchmarks to measure how close a plan is to the best possible, and by the search to
guide its starting plan (LP-guided rounding). Each x[p, s] in [0, 1] is "how much" project p starts
in period s; every rule of the problem file is a linear constraint over them.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

from scheduler.greedy import value_per_cost
from scheduler.model import COMPACT_LINK_SIZE
from scheduler.problem import Problem
from scheduler.site_sets import site_set_rows


@dataclass(frozen=True)
class LpResult:
    """The relaxation's optimal value and fractional start choices (empty if not solved)."""

    bound: float | None
    fractions: dict[tuple[str, int], float]
    status: str
    reduced_costs: dict[tuple[str, int], float] = field(default_factory=dict)
    dual_bound: float | None = None


Row = list[tuple[object, float]]


def lp_bound(
    problem: Problem,
    *,
    time_limit_s: float = 600.0,
    method: str = "GLOP",
    stop: Callable[[], bool] | None = None,
    build_time_limit_s: float | None = None,
    site_sets: bool = False,
) -> LpResult:
    """Solve the LP relaxation of a max_value problem; bound is None if it did not finish.

    GLOP (simplex) gives the exact relaxation. PDLP (first-order, much faster on large districts)
    gives approximate fractions; its bound is then recomputed from its duals, which keeps it a
    valid upper bound whatever their accuracy. `time_limit_s` bounds the solve; building (seconds
    on large districts) stops on `stop` and after `build_time_limit_s` when given.

    `site_sets` adds the site-sets rule (site_sets.py): the relaxation of a tighter formulation
    with the same whole plans, so a lower, still valid, bound (the "site-set LP bound").
    """
    run = build_lp(
        problem, method, stop=stop, build_time_limit_s=build_time_limit_s, site_sets=site_sets
    )
    if run is None:
        return LpResult(None, {}, "cancelled")
    return run.solve(time_limit_s, stop)


def budget_bound(problem: Problem) -> float:
    """A quick upper bound on plan value: the relaxation of the annual budget's row alone.

    Every project that has a start period, filled in order of value per cost until the annual
    budget is spent (the last one in part); with no annual budget, their total value. Valid for
    any plan, and what the search reports until a real relaxation answers (on the largest
    districts none may answer in the time).
    """
    candidates = [p for p in problem.projects if problem.static_starts(p)]
    if problem.annual_budget is None:
        return float(sum(p.value for p in candidates))
    room, bound = problem.annual_budget, 0.0
    for project in sorted(candidates, key=value_per_cost, reverse=True):
        if project.cost <= room:
            room -= project.cost
            bound += project.value
        else:
            bound += project.value * room / project.cost
            break
    return bound


def build_lp(
    problem: Problem,
    method: str,
    *,
    stop: Callable[[], bool] | None = None,
    build_time_limit_s: float | None = None,
    site_sets: bool = False,
) -> LpRun | None:
    """The relaxation built in a `method` solver, ready to solve; None if building was stopped."""
    build_deadline = time.monotonic() + (build_time_limit_s or 0.0)
    asked = stop or (lambda: False)

    def stop_building() -> bool:
        """Honour `stop` and the build time limit while building."""
        late = build_time_limit_s is not None and time.monotonic() > build_deadline
        return late or asked()

    solver = pywraplp.Solver.CreateSolver(method)
    if method == "PDLP":
        solver.SetSolverSpecificParametersAsString(_PDLP_PARAMS)
    try:
        built = _build(solver, problem, stop_building, site_sets=site_sets)
    except _Stopped:
        return None
    return LpRun(solver, method, *built)


class LpRun:
    """One relaxation built in one LP solver; solved here or in a thread of its own.

    Two runs of the same relaxation (simplex and first-order) can race on two cores: the LP
    solvers release Python's lock while they solve, and each run's `stop` ends it early.
    """

    def __init__(self, solver: pywraplp.Solver, method: str, x, value, rows, constraints) -> None:
        self.solver, self.method = solver, method
        self._x, self._value, self._rows, self._constraints = x, value, rows, constraints
        self.result: LpResult | None = None
        self._thread: threading.Thread | None = None

    def solve(self, time_limit_s: float, stop: Callable[[], bool] | None = None) -> LpResult:
        """Solve within `time_limit_s` (interrupted when `stop()` turns true)."""
        self.solver.SetTimeLimit(int(max(0.0, time_limit_s) * 1000))
        status = _solve_interruptibly(self.solver, stop)
        self.result = self._read(status)
        return self.result

    def start(self, time_limit_s: float, stop: Callable[[], bool] | None = None) -> None:
        """Solve in the background; `join` waits for the result."""
        self._thread = threading.Thread(
            target=self.solve, args=(time_limit_s, stop), name=f"lp-{self.method}", daemon=True
        )
        self._thread.start()

    def done(self) -> bool:
        """True once a background solve has ended (or none was started)."""
        return self._thread is None or not self._thread.is_alive()

    def join(self) -> LpResult:
        """Wait for the background solve and return its result."""
        if self._thread is not None:
            self._thread.join()
        return self.result or LpResult(None, {}, "not solved")

    def _read(self, status: int) -> LpResult:
        """The bound and fractions of a finished solve (a Lagrangian bound unless exact)."""
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            name = "infeasible" if status == pywraplp.Solver.INFEASIBLE else "not solved"
            return LpResult(None, {}, name)
        x = self._x
        fractions = {key: var.solution_value() for key, var in x.items()}
        fractions = {key: f for key, f in fractions.items() if f > 1e-3}
        duals = [constraint.dual_value() for constraint in self._constraints]
        candidates = [_dual_bound(self._rows, duals, self._value, sign) for sign in (1.0, -1.0)]
        dual, reduced = min(candidates, key=lambda pair: pair[0])
        by_key = {key: reduced[var] for key, var in x.items()}
        if self.method == "GLOP" and status == pywraplp.Solver.OPTIMAL:
            value = self.solver.Objective().Value()
            return LpResult(value, fractions, "optimal", by_key, dual)
        return LpResult(dual, fractions, "dual bound", by_key, dual)


class _Stopped(Exception):
    """Raised while building when the caller asks to stop."""


def build_rows(
    solver: pywraplp.Solver, problem: Problem, stop: Callable[[], bool], *, integral: bool = False
) -> dict[tuple[str, int], pywraplp.Variable] | None:
    """The formulation's start choices and rows in `solver`; None if `stop()` turned true.

    With `integral`, every start choice is a 0/1 integer: the time-indexed model as a MIP.
    """
    try:
        x, _, _, _ = _build(solver, problem, stop)
    except _Stopped:
        return None
    if integral:
        for var in x.values():
            var.SetInteger(True)
    return x


def _build(
    solver: pywraplp.Solver, problem: Problem, stop: Callable[[], bool], *, site_sets: bool = False
):
    """Variables, objective and rows of the relaxation; raises _Stopped when `stop()` turns true."""
    starts = {p.id: problem.static_starts(p) for p in problem.projects}
    x = {(pid, s): solver.NumVar(0.0, 1.0, "") for pid, ss in starts.items() for s in ss}
    objective = solver.Objective()
    value = {}
    for project in problem.projects:
        for s in starts[project.id]:
            objective.SetCoefficient(x[project.id, s], project.value)
            value[x[project.id, s]] = project.value
    objective.SetMaximization()
    if stop():
        raise _Stopped

    def new_var():
        """A [0, 1] helper variable worth nothing in the objective."""
        var = solver.NumVar(0.0, 1.0, "")
        value[var] = 0
        return var

    rows = _linear_rules(problem, x, starts, stop, new_var)
    if site_sets:

        def tick() -> None:
            """Stop listing sets when asked."""
            if stop():
                raise _Stopped

        rows += site_set_rows(problem, starts, x, new_var, tick)
    constraints = add_rows(solver, rows, stop)
    if stop():
        raise _Stopped
    return x, value, rows, constraints


def add_rows(solver: pywraplp.Solver, rows, stop: Callable[[], bool] | None = None) -> list:
    """Rows (lower, upper, [(variable, coefficient)]) as the solver's constraints, in order."""
    constraints = []
    for number, (lower, upper, row) in enumerate(rows):
        if stop is not None and number % 200 == 0 and stop():
            raise _Stopped
        constraint = solver.Constraint(lower, upper)
        for var, coefficient in row:
            constraint.SetCoefficient(var, coefficient)
        constraints.append(constraint)
    return constraints


def _solve_interruptibly(solver: pywraplp.Solver, stop: Callable[[], bool] | None) -> int:
    """Solve, interrupting the LP solver as soon as `stop()` turns true."""
    if stop is None:
        return solver.Solve()
    done = threading.Event()

    def watch() -> None:
        """Poll the stop request while the LP solver runs."""
        while not done.wait(0.05):
            if stop():
                solver.InterruptSolve()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.Solve()
    finally:
        done.set()
        watcher.join()


_PDLP_PARAMS = (
    "termination_criteria { simple_optimality_criteria { "
    "eps_optimal_relative: 1e-4 eps_optimal_absolute: 1e-4 } } num_threads: 1"
)


def _dual_bound(rows, duals, value, sign: float) -> tuple[float, dict]:
    """An upper bound on the relaxation from any row multipliers (Lagrangian, x in [0, 1])."""
    inf = pywraplp.Solver.infinity()
    total = 0.0
    reduced = dict(value)
    for (lower, upper, row), dual in zip(rows, duals, strict=True):
        multiplier = sign * dual
        side = upper if multiplier > 0 else lower
        if multiplier == 0 or abs(side) >= inf:
            continue
        total += multiplier * side
        for var, coefficient in row:
            reduced[var] -= multiplier * coefficient
    return total + sum(r for r in reduced.values() if r > 0), reduced


def _running_sums(pid, x, starts, new_var, cache, rows) -> dict[int, object]:
    """For each start s of the project, a variable "started by s" (running sum, built once)."""
    if pid not in cache:
        sums: dict[int, object] = {}
        previous = None
        for s in starts:
            if previous is None:
                previous = x[pid, s]
            else:
                total = new_var()
                rows.append((0.0, 0.0, [(total, 1.0), (previous, -1.0), (x[pid, s], -1.0)]))
                previous = total
            sums[s] = previous
        cache[pid] = sums
    return cache[pid]


def _linear_rules(
    problem: Problem,
    x,
    starts,
    stop: Callable[[], bool] | None = None,
    new_var: Callable[[], object] | None = None,
) -> list[tuple[float, float, Row]]:
    """Every rule of the problem file as rows (lower, upper, [(variable, coefficient)]).

    With `new_var` (a [0, 1] variable factory), long predecessor links go through running sums
    (as in the CP-SAT model) instead of rows quadratic in the number of starts.
    """
    running: dict[str, dict[int, object]] = {}
    inf = pywraplp.Solver.infinity()
    projects = problem.project_by_id
    rows: list[tuple[float, float, Row]] = []
    crew: dict[tuple[str, int], Row] = defaultdict(list)
    site_active: dict[tuple[str, int], Row] = defaultdict(list)
    monthly: dict[int, Row] = defaultdict(list)
    funding: dict[str, Row] = defaultdict(list)
    site_spent: dict[str, Row] = defaultdict(list)
    annual: Row = []
    for number, project in enumerate(problem.projects):
        if stop is not None and number % 50 == 0 and stop():
            raise _Stopped
        pick = [x[project.id, s] for s in starts[project.id]]
        required = project.is_required or problem.objective == "min_makespan"
        rows.append((1.0 if required else 0.0, 1.0, [(v, 1.0) for v in pick]))
        for s in starts[project.id]:
            for period in range(s, s + project.duration):
                for trade, units in project.crews.items():
                    crew[trade, period].append((x[project.id, s], units))
                if project.site is not None:
                    site_active[project.site, period].append((x[project.id, s], 1.0))
            monthly[s].append((x[project.id, s], project.cost))
        annual.extend((v, project.cost) for v in pick)
        if project.funding in problem.funding_caps:
            funding[project.funding].extend((v, project.cost) for v in pick)
        if project.site is not None:
            site_spent[project.site].extend((v, project.cost) for v in pick)
        for other in project.after:
            done_by = projects[other].duration
            mine, theirs = starts[project.id], starts[other]
            if new_var is not None and len(mine) * len(theirs) > COMPACT_LINK_SIZE:
                started = _running_sums(project.id, x, mine, new_var, running, rows)
                ended = _running_sums(other, x, theirs, new_var, running, rows)
                for s in mine:
                    index = bisect_right(theirs, s - done_by) - 1
                    row = [(started[s], 1.0)]
                    if index >= 0:
                        row.append((ended[theirs[index]], -1.0))
                    rows.append((-inf, 0.0, row))
                continue
            for s in mine:
                row = [(x[project.id, t], 1.0) for t in mine if t <= s]
                row += [(x[other, t], -1.0) for t in theirs if t + done_by <= s]
                rows.append((-inf, 0.0, row))
    sites = problem.site_by_id
    rows += [(-inf, problem.trades[t][period], r) for (t, period), r in crew.items()]
    rows += [(-inf, sites[site].max_concurrent, r) for (site, _), r in site_active.items()]
    if problem.monthly_budget is not None:
        rows += [(-inf, problem.monthly_budget[period], r) for period, r in monthly.items()]
    if problem.annual_budget is not None:
        rows.append((-inf, problem.annual_budget, annual))
    rows += [(-inf, problem.funding_caps[source], r) for source, r in funding.items()]
    for site, row in site_spent.items():
        if sites[site].budget_cap is not None:
            rows.append((-inf, sites[site].budget_cap, row))
    return rows
