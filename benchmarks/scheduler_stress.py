"""Stress the max_value optimiser and the CLI with many varied, unusual problems.

`python -m benchmarks.scheduler_stress [--quick] [--seed N] [--rounds N] [--large]`

Builds problems nobody tuned the optimiser for (horizons 1-36, one or many trades, projects
needing several trades, zero costs and values, all-mandatory, long chains and diamonds, pins in
the last month, site concurrency above one, crew capacities and monthly budgets with zeros,
funding sources with and without caps, no budgets, projects longer than the horizon, sites with
no projects, cross-site and siteless predecessor chains in problems large enough for the
neighbourhood search). For each it solves with a short time limit and asserts:

- the independent checker finds no violation, and the plan is worth at least the greedy plan;
- every reason given for a project left out is true in the plan (re-verified by adding the
  project back at every period and running the checker, plus the figures quoted in the reason);
- on tiny problems, an exhaustive search (written here, sharing no code with the optimiser)
  agrees on feasibility, on the optimum when `optimal` is claimed, and that the bound is valid;
- infeasible problems name at least one conflict; solve returns within its time limit;
- problem and solution survive the JSON round trip, and the CLI exits 0 / 3 / 2 as documented,
  with a one-line message (no traceback) for broken problem files.

`--large` also times `solve` on a generated 3,000-site district (limit 20 s) and a cancel.
Exit status 0 when every assertion holds, 1 otherwise (failures are listed).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path

from benchmarks._stress.cli import cli_cases, duplicate_ids, run_cli
from benchmarks._stress.common import SLACK_S, Failures
from benchmarks._stress.oracles import brute_force, verify_reasons
from benchmarks._stress.problems import large_problem, named_problems, random_problem
from scheduler import Problem, Solution, check, greedy, solve
from scheduler.generate import generate_district
from scheduler.io import problem_from_dict, problem_to_dict, solution_from_dict, solution_to_dict

# --------------------------------------------------------------------------- one case


def run_case(
    name: str,
    problem: Problem,
    expected: str | None,
    fail: Failures,
    *,
    time_limit: float,
    seed: int,
    tally: dict[str, int],
    cli: bool = False,
    replan: bool = False,
) -> Solution | None:
    """Solve one problem and assert every property listed in the module docstring."""
    try:
        started = time.monotonic()
        solution = solve(problem, time_limit_s=time_limit, seed=seed, workers=2)
        seconds = time.monotonic() - started
    except Exception:  # a crash is a finding, not the end of the run
        fail.add(name, "solve raised:\n" + traceback.format_exc(limit=4))
        return None
    tally[solution.status] = tally.get(solution.status, 0) + 1
    if seconds > time_limit + SLACK_S:
        fail.add(name, f"solve took {seconds:.1f}s for a {time_limit}s limit")
    violations = check(problem, solution)
    if violations:
        fail.add(name, f"check: {[str(v) for v in violations[:5]]}")
    base = greedy(problem)
    if check(problem, base) and base.has_plan:
        fail.add(name, f"greedy plan breaks rules: {check(problem, base)[:3]}")
    if base.has_plan:
        if not solution.has_plan:
            fail.add(name, f"status {solution.status} although the greedy plan is valid")
        elif (solution.objective or 0) < (base.objective or 0):
            fail.add(name, f"value {solution.objective} < greedy {base.objective}")
    if solution.status == "infeasible" and not solution.conflicts:
        fail.add(name, "infeasible without a conflict")
    if solution.status == "infeasible":
        for conflict in solution.conflicts:
            if not conflict.message or "\n" in conflict.message:
                fail.add(name, f"conflict message {conflict.message!r}")
            for pid in conflict.projects:
                if pid not in problem.project_by_id:
                    fail.add(name, f"conflict names unknown project {pid}")
    if expected == "plan" and not solution.has_plan:
        fail.add(name, f"expected a plan, got {solution.status}")
    if expected == "infeasible" and solution.status != "infeasible":
        fail.add(name, f"expected infeasible, got {solution.status}")
    if solution.status == "unknown" and len(problem.projects) <= 40:
        fail.add(name, "status unknown on a small problem")
    if solution.has_plan:
        verify_reasons(problem, solution, name, fail)
    if len(problem.projects) <= 7 and problem.horizon <= 6:
        truth = brute_force(problem)
        if truth is not None:
            feasible, optimum = truth
            tally["brute-forced"] = tally.get("brute-forced", 0) + 1
            if feasible != (solution.status != "infeasible"):
                fail.add(name, f"exhaustive search: feasible={feasible}, solve {solution.status}")
            if solution.status == "optimal" and solution.objective != optimum:
                fail.add(name, f"claims optimal {solution.objective}, optimum is {optimum}")
            if solution.bound is not None and solution.bound + 1e-6 < optimum:
                fail.add(name, f"bound {solution.bound} below the optimum {optimum}")
    round_trip(name, problem, solution, fail)
    if cli:
        cli_solve(name, problem, solution, fail, time_limit=time_limit)
    if replan and solution.has_plan:
        replan_case(name, problem, solution, fail, time_limit=time_limit)
    return solution


def cli_solve(
    name: str, problem: Problem, solution: Solution, fail: Failures, *, time_limit: float
) -> None:
    """The CLI on the same problem: the exit code matches the status, the file passes check."""
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "p.json", Path(tmp) / "s.json"
        path.write_text(json.dumps(problem_to_dict(problem)))
        args = ["solve", str(path), "-o", str(out), "--time-limit", str(time_limit)]
        code, _stdout, err = run_cli([*args, "--workers", "2"])
        if code == 99:
            fail.add(name, f"CLI raised: {err[-400:]}")
            return
        written = json.loads(out.read_text())
        wanted = {"optimal": 0, "feasible": 0, "infeasible": 3, "unknown": 1}[written["status"]]
        if code != wanted:
            fail.add(name, f"CLI exit {code} for status {written['status']}")
        if (written["status"] == "infeasible") != (solution.status == "infeasible"):
            fail.add(name, f"CLI says {written['status']}, solve said {solution.status}")
        code, stdout, _err = run_cli(["check", str(path), str(out)])
        if code != 0:
            fail.add(name, f"CLI check of the CLI's own plan: exit {code}: {stdout[-300:]}")


def replan_case(
    name: str, problem: Problem, previous: Solution, fail: Failures, *, time_limit: float
) -> None:
    """Re-plan after a budget and crew cut, with and without a move penalty."""
    rng = random.Random(name)
    trades = {
        t: [max(0, c - rng.choice((0, 0, 1))) for c in caps] for t, caps in problem.trades.items()
    }
    annual = problem.annual_budget
    changed = replace(
        problem,
        trades=trades,
        annual_budget=None if annual is None else int(annual * 0.9),
    )
    for penalty in (0, rng.choice((1, 5))):
        label = f"{name}/replan-penalty-{penalty}"
        try:
            solution = solve(
                changed, time_limit_s=time_limit, workers=2, hint=previous, move_penalty=penalty
            )
        except Exception:
            fail.add(label, "solve raised:\n" + traceback.format_exc(limit=4))
            continue
        violations = check(changed, solution)
        if violations:
            fail.add(label, f"check: {[str(v) for v in violations[:5]]}")
        base = greedy(changed)
        if base.has_plan and not solution.has_plan:
            fail.add(label, f"status {solution.status} although the greedy plan is valid")
        if not penalty and base.has_plan and (solution.objective or 0) < (base.objective or 0):
            fail.add(label, f"value {solution.objective} < greedy {base.objective}")
        if solution.status == "infeasible" and not solution.conflicts:
            fail.add(label, "infeasible without a conflict")


def round_trip(name: str, problem: Problem, solution: Solution, fail: Failures) -> None:
    """Problem and solution files read back equal, and the checker agrees on the re-read plan."""
    try:
        text = json.dumps(problem_to_dict(problem), allow_nan=False)
        again = problem_from_dict(json.loads(text))
        if again != problem:
            fail.add(name, "problem changed in the JSON round trip")
        sol_text = json.dumps(solution_to_dict(solution), allow_nan=False)
        sol_again = solution_from_dict(json.loads(sol_text))
        if sol_again != replace(solution, runtime_s=round(solution.runtime_s, 3)):
            fail.add(name, "solution changed in the JSON round trip")
        if check(again, sol_again):
            fail.add(name, f"re-read solution fails check: {check(again, sol_again)[:3]}")
    except Exception:
        fail.add(name, "JSON round trip raised:\n" + traceback.format_exc(limit=4))


# --------------------------------------------------------------------------- large problems


def large_runs(fail: Failures, limit: float) -> None:
    """Time limit and cancel on a generated 3,000-site district."""
    problem = generate_district(3000, 7)
    started = time.monotonic()
    solution = solve(problem, time_limit_s=limit)
    seconds = time.monotonic() - started
    violations = check(problem, solution)
    print(
        f"  3000 sites: {solution.status} {solution.objective} in {seconds:.1f}s "
        f"(limit {limit}s), {len(violations)} violations",
        flush=True,
    )
    if seconds > limit + 3 or violations or not solution.has_plan:
        fail.add("large-3000", f"{seconds:.1f}s for {limit}s, {len(violations)} violations")
    for delay in (0.5, 4.0, 10.0):
        event = threading.Event()
        timer = threading.Timer(delay, event.set)
        timer.start()
        started = time.monotonic()
        solution = solve(problem, time_limit_s=120, cancel=event)
        seconds = time.monotonic() - started
        timer.cancel()
        late = seconds - delay
        print(
            f"  cancel after {delay}s: returned after {seconds:.1f}s, {solution.status}, "
            f"{len(check(problem, solution))} violations",
            flush=True,
        )
        if late > 2.0 or check(problem, solution) or not solution.has_plan:
            fail.add("large-cancel", f"cancel at {delay}s returned {late:.1f}s later")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    """Run the stress cases; exit status 1 when anything failed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scheduler_stress")
    parser.add_argument("--quick", action="store_true", help="fewer random problems")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=None, help="random problems to try")
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--large", action="store_true", help="also 3,000 sites: limit, cancel")
    args, _unknown = parser.parse_known_args(argv)
    rng = random.Random(args.seed)
    rounds = args.rounds if args.rounds is not None else (40 if args.quick else 150)
    fail = Failures()
    tally: dict[str, int] = {}
    started = time.monotonic()
    duplicate_ids(fail)
    cases = named_problems(rng)
    print(f"named cases: {len(cases)}", flush=True)
    for name, problem, expected in cases:
        run_case(name, problem, expected, fail, time_limit=args.time_limit, seed=0, tally=tally)
    print(f"random cases: {rounds}", flush=True)
    for index in range(rounds):
        name = f"random-{args.seed}-{index}"
        try:
            problem = random_problem(rng)
        except ValueError as error:  # e.g. a pin past a latest end is still a valid problem
            fail.add(name, f"generator made an invalid problem: {error}")
            continue
        run_case(
            name,
            problem,
            None,
            fail,
            time_limit=args.time_limit,
            seed=index,
            tally=tally,
            cli=index % 4 == 0,
            replan=index % 3 == 0,
        )
    print("large random cases (neighbourhood search with every feature)", flush=True)
    for index in range(2 if args.quick else 6):
        problem = random_problem(
            rng, horizon=rng.choice((24, 36)), size=700, mandatory_rate=rng.choice((0, 0.003))
        )
        run_case(
            f"large-random-{index}",
            problem,
            None,
            fail,
            time_limit=3.0,
            seed=index,
            tally=tally,
            cli=index == 0,
            replan=True,
        )
    print("tiny cases (exhaustive search)", flush=True)
    for index in range(rounds):
        problem = random_problem(rng, horizon=rng.choice((1, 3, 6)), size=rng.randint(1, 6))
        run_case(f"tiny-{index}", problem, None, fail, time_limit=1.0, seed=index, tally=tally)
    print("neighbourhood-search cases", flush=True)
    for index in range(2 if args.quick else 3):
        problem = large_problem(rng, trap=index == 1)
        run_case(f"lns-{index}", problem, "plan", fail, time_limit=4.0, seed=index, tally=tally)
    print("command line", flush=True)
    cli_ran = cli_cases(fail, subprocess_sample=3 if args.quick else 6)
    if args.large:
        print("3,000 sites", flush=True)
        large_runs(fail, 20.0)
    print(
        f"\n{sum(v for k, v in tally.items() if k != 'brute-forced')} solves "
        f"({', '.join(f'{k} {v}' for k, v in sorted(tally.items()))}), {cli_ran} CLI runs, "
        f"{time.monotonic() - started:.0f}s: {len(fail.items)} failure(s)"
    )
    return 1 if fail.items else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
