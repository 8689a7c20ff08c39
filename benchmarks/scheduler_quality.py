"""How close to the best possible are SEP plans on synthetic districts, within the time limit?

`python -m benchmarks.scheduler_quality [--quick] [--seed N] [--family F]`: for districts of
50, 300, 1,000 and 3,000 sites (about 3.5 projects per site, 12 months, tight budgets and
crews) it prints the plan value, the LP-relaxation upper bound (time-indexed formulation,
GLOP), their ratio, the greedy value and ratio, the solver's status and time, and the
independent checker's verdict. It also prints a tighter bound, the relaxation with the
site-sets rule (`lp_bound(site_sets=True)`: the same whole plans, so also a valid bound), and
the plan's share of it: how far from optimal the plan is at most.
Targets (2 cores): 1,000 sites >= 99 % of the bound in 60 s; 3,000 sites >= 98 % in 120 s;
50 sites proven optimal in 10 s. `--family` takes the districts from benchmarks/_districts.py
instead (other shapes: lean, crews, chains, long, summer, required, multi, sparse; `--family
all` runs each), to check that the optimiser was not tuned to one generator.
"""

from __future__ import annotations

import argparse
import time

from ortools.sat.python import cp_model

from benchmarks._districts import FAMILIES, district
from benchmarks.psplib_bench import machine
from scheduler import check, greedy, solve
from scheduler.generate import generate_district
from scheduler.improve import add_full_hint
from scheduler.lp import lp_bound
from scheduler.model import build_model

FULL = ((50, 10.0), (300, 30.0), (1000, 60.0), (3000, 120.0))
QUICK = ((50, 10.0), (300, 10.0))
RATIO_TARGETS = {(1000, 60.0): 0.99, (3000, 120.0): 0.98}  # (sites, limit): share of the LP bound
PROOF_TARGET = (50, 10.0)  # (sites, limit): the optimum proven within the limit


def cp_sat_bound(problem, seconds: float) -> float:
    """A proven upper bound on the optimum: CP-SAT (8 workers) on the whole model for `seconds`."""
    model, variables = build_model(problem)
    add_full_hint(model, variables, greedy(problem).starts)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 8
    solver.solve(model)
    return solver.best_objective_bound


def make_district(sites: int, seed: int, family: str | None):
    """scheduler.generate's district, or one of another family."""
    return generate_district(sites, seed) if family is None else district(family, sites, seed)


def measure(sites: int, time_limit: float, seed: int, family: str | None = None) -> dict:
    """Generate one district, bound it, solve it, check it."""
    problem = make_district(sites, seed, family)
    started = time.monotonic()
    bound = lp_bound(problem).bound
    lp_seconds = time.monotonic() - started
    tighter = lp_bound(problem, site_sets=True).bound
    baseline = greedy(problem)
    started = time.monotonic()
    solution = solve(problem, time_limit_s=time_limit, seed=seed)
    seconds = time.monotonic() - started
    return {
        "sites": sites,
        "projects": len(problem.projects),
        "limit": time_limit,
        "value": solution.objective or 0,
        "lp": bound,
        "set_lp": tighter,
        "lp_s": lp_seconds,
        "greedy": baseline.objective or 0,
        "status": solution.status,
        "seconds": seconds,
        "violations": len(check(problem, solution)),
        "method": solution.method,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the quality table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scheduler_quality")
    parser.add_argument("--quick", action="store_true", help="50 and 300 sites only, 10 s each")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cpsat-bound",
        type=float,
        default=0.0,
        metavar="S",
        help="also prove an upper bound with S s of CP-SAT on the whole model (up to 1,000 sites)",
    )
    parser.add_argument(
        "--family",
        choices=(*FAMILIES, "all"),
        default=None,
        help="districts of another shape (benchmarks/_districts.py) instead of scheduler.generate",
    )
    args, _ = parser.parse_known_args(argv)
    families = FAMILIES if args.family == "all" else (args.family,)
    for family in families:
        table(args, family)
    return 0


def table(args: argparse.Namespace, family: str | None) -> None:
    """Print the quality table for one family of districts."""
    name = "scheduler.generate" if family is None else f"family {family!r}"
    print(f"SEP plan quality: plan value against the LP-relaxation bound, districts of {name}")
    print(f"machine: {machine()}")
    print(f"method: scheduler.solve(time_limit_s=limit, seed={args.seed}, workers=None); bound =")
    print("        GLOP on the time-indexed LP relaxation; greedy = scheduler.greedy; set LP =")
    print("        the same relaxation with the site-sets rule (tighter, also a valid bound)")
    columns = ("sites", "projects", "limit s", "value", "LP bound", "ratio", "greedy", "ratio")
    widths = (6, 9, 8, 9, 11, 8, 9, 8)
    header = "".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True))
    tail = f"{'set LP':>11}{'ratio':>9}{'status':>10}{'time s':>8}{'LP s':>6}{'viol.':>6}  method"
    print(f"{header}{tail}")
    verdicts = []
    for sites, limit in QUICK if args.quick else FULL:
        r = measure(sites, limit, args.seed, family)
        verdicts.append(verdict(r))
        lp = r["lp"] or float("nan")
        set_lp = r["set_lp"] or float("nan")
        print(
            f"{r['sites']:>6}{r['projects']:>9}{r['limit']:>8.0f}{r['value']:>9}{lp:>11.1f}"
            f"{r['value'] / lp:>8.2%}{r['greedy']:>9}{r['greedy'] / lp:>8.2%}"
            f"{set_lp:>11.1f}{r['value'] / set_lp:>9.3%}{r['status']:>10}"
            f"{r['seconds']:>8.1f}{r['lp_s']:>6.1f}{r['violations']:>6}  {r['method']}",
            flush=True,
        )
        if args.cpsat_bound and sites <= 1000:
            problem = make_district(sites, args.seed, family)
            proven = cp_sat_bound(problem, args.cpsat_bound)
            print(
                f"{'':>6} optimum <= {proven:.0f} (CP-SAT, {args.cpsat_bound:g} s, 8 workers): "
                f"plan is >= {r['value'] / proven:.2%} of optimal, LP bound is "
                f"{lp / proven:.2%} of it",
                flush=True,
            )
    for line in filter(None, verdicts):
        print(line)


def verdict(r: dict) -> str | None:
    """The target set for this size and limit, and whether the run met it (None: no target)."""
    sites, limit = r["sites"], r["limit"]
    if (sites, limit) == PROOF_TARGET:
        met = "met" if r["status"] == "optimal" else "not met"
        return (
            f"target, {sites:,} sites: optimum proven within {limit:g} s: {met}"
            f" ({r['status']} after {r['seconds']:.1f} s)"
        )
    floor = RATIO_TARGETS.get((sites, limit))
    if floor is None or not r["lp"]:
        return None
    ratio = r["value"] / r["lp"]
    line = (
        f"target, {sites:,} sites: {floor:.0%} of the LP bound within {limit:g} s:"
        f" {'met' if ratio >= floor else 'not met'} ({ratio:.2%})"
    )
    ceiling = r["set_lp"] / r["lp"] if r["set_lp"] else 1.0
    if ratio < floor and ceiling < floor:
        line += (
            f"; out of reach for any plan on this district: the site-set bound holds every plan"
            f" to {ceiling:.2%} of the LP bound, and this plan is {r['value'] / r['set_lp']:.3%}"
            " of the site-set bound"
        )
    return line


if __name__ == "__main__":
    raise SystemExit(main())
