"""How close does the optimiser get on PSPLIB j30/j60 (min_makespan) against known optima?

`python -m benchmarks.psplib_bench [--quick] [--time-limit S] [--every K]`: solves each instance
(or every K-th) with the scheduler's `min_makespan` path and compares with the OR&S best-known
tables in shared/data/psplib. Target: all of j30 optimal, mean j60 gap under 0.5 %, 10 s each.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import time
from pathlib import Path

from scheduler import Problem, Solution, check, greedy, solve
from scheduler.makespan import solve_min_makespan
from scheduler.psplib import parse_psplib
from scheduler.runner import Control

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "psplib"
TABLES = {"j30": "ugent_bks_J30.csv", "j60": "ugent_bks_J60_1.csv"}


def machine() -> str:
    """Cores, CPU model and load, for the table header."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {model}, load average {load} at start"


def best_known(folder: Path, table: str) -> dict[str, tuple[int, bool]]:
    """Instance name -> (best-known makespan, proven optimal) from an OR&S table."""
    known: dict[str, tuple[int, bool]] = {}
    with (folder / table).open(encoding="latin-1") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "ID")
    columns = rows[header]
    lb, ub = columns.index("LB value"), columns.index("UB value")
    for row in rows[header + 1 :]:
        if len(row) > ub and row[1].endswith(".sm"):
            known[row[1]] = (int(row[ub]), row[lb] == row[ub])
    return known


def solve_direct(problem: Problem, time_limit: float, seed: int) -> Solution:
    """The min_makespan search of `scheduler.makespan` on its own (greedy plan as baseline)."""
    control = Control(time_limit, None, None, maximise=False)
    return solve_min_makespan(problem, control, greedy(problem), None, seed=seed, workers=None)


def run_set(
    name: str,
    time_limit: float,
    every: int,
    limit: int | None,
    details: bool = False,
    direct: bool = False,
) -> dict[str, float]:
    """Solve a set's instances and return its summary figures."""
    folder = DATA / name
    known = best_known(folder, TABLES[name])
    instances = sorted(known, key=lambda n: [int(x) for x in n[len(name) : -3].split("_")])
    instances = instances[::every][:limit]
    gaps, optimal, proven, seconds, violations = [], 0, 0, [], 0
    for instance in instances:
        problem = parse_psplib((folder / instance).read_text(encoding="latin-1"), instance)
        started = time.monotonic()
        if direct:
            solution = solve_direct(problem, time_limit, seed=0)
        else:
            solution = solve(problem, time_limit_s=time_limit, seed=0)
        seconds.append(time.monotonic() - started)
        violations += len(check(problem, solution))
        target, _ = known[instance]
        gaps.append(100.0 * (solution.objective - target) / target)
        optimal += solution.objective <= target
        proven += solution.status == "optimal"
        if details and (solution.objective > target or solution.status != "optimal"):
            print(
                f"  {instance}: {solution.objective} (best known {target}), {solution.status},"
                f" bound {solution.bound}, {seconds[-1]:.1f} s, {solution.method}",
                flush=True,
            )
    return {
        "instances": len(instances),
        "at_best_known": optimal,
        "proven": proven,
        "mean_gap": statistics.fmean(gaps),
        "max_gap": max(gaps),
        "mean_s": statistics.fmean(seconds),
        "violations": violations,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the PSPLIB table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.psplib_bench")
    parser.add_argument("--quick", action="store_true", help="every 16th instance, 5 s each")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--every", type=int, default=1, help="take every K-th instance")
    parser.add_argument("--limit", type=int, default=None, help="at most N instances per set")
    parser.add_argument("--sets", default="j30,j60", help="comma-separated sets to run")
    parser.add_argument(
        "--details", action="store_true", help="print every instance not proven optimal"
    )
    parser.add_argument(
        "--direct",
        action="store_true",
        help="call scheduler.makespan.solve_min_makespan instead of scheduler.solve",
    )
    args, _ = parser.parse_known_args(argv)
    if args.quick:
        args.every, args.time_limit = max(args.every, 16), min(args.time_limit, 5.0)
    if not DATA.is_dir():
        print(f"PSPLIB data not found at {DATA}; skipped")
        return 0
    print("PSPLIB single-mode RCPSP: makespan against OR&S best-known values (gap in %)")
    print(f"machine: {machine()}")
    entry = "scheduler.makespan.solve_min_makespan" if args.direct else "scheduler.solve"
    print(f"method: {entry}, min_makespan interval model, {args.time_limit:g} s per instance,")
    print(f"        every {args.every} instance(s); 'proven' = optimality proven by the solver")
    print(f"{'set':<5}{'n':>5}{'at BKS':>8}{'share':>8}{'proven':>8}{'mean gap':>10}"
          f"{'max gap':>9}{'mean s':>8}{'violations':>11}")  # fmt: skip
    for name in args.sets.split(","):
        r = run_set(name, args.time_limit, args.every, args.limit, args.details, args.direct)
        share = 100.0 * r["at_best_known"] / r["instances"]
        print(
            f"{name:<5}{r['instances']:>5}{r['at_best_known']:>8}{share:>7.1f}%{r['proven']:>8}"
            f"{r['mean_gap']:>9.2f}%{r['max_gap']:>8.2f}%{r['mean_s']:>8.2f}{r['violations']:>11}",
            flush=True,
        )
        line = verdict(name, r, args)
        if line:
            print(line)
    return 0


def verdict(name: str, r: dict[str, float], args: argparse.Namespace) -> str | None:
    """The target set for j30 (every instance at its optimum) or j60 (mean gap under 0.5 %)."""
    if name == "j30":
        missed = r["instances"] - r["at_best_known"]
        met = "met" if missed == 0 else f"not met ({missed:.0f} missed)"
        line = f"target, j30: every instance at its optimum in 10 s: {met}"
    elif name == "j60":
        met = "met" if r["mean_gap"] < 0.5 else "not met"
        line = f"target, j60: mean gap under 0.5 % in 10 s: {met} ({r['mean_gap']:.2f} %)"
    else:
        return None
    if args.every != 1 or args.time_limit != 10.0 or args.limit is not None:
        line += " (on this sample; the target is for the whole set at 10 s)"
    return line


if __name__ == "__main__":
    raise SystemExit(main())
