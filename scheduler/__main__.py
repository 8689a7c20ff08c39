"""Command line: python -m scheduler solve|check|generate (exit 0 plan, 3 infeasible, 2 invalid)."""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

from scheduler.check import check
from scheduler.generate import generate_district
from scheduler.io import (
    IgnoredFieldWarning,
    load_json,
    problem_from_dict,
    problem_to_dict,
    solution_from_dict,
    solution_to_dict,
    write_json,
)
from scheduler.problem import Problem
from scheduler.psplib import parse_psplib
from scheduler.solve import solve

EXIT_PLAN, EXIT_FAILED, EXIT_INVALID, EXIT_INFEASIBLE = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    """The argument parser of the three commands."""
    parser = argparse.ArgumentParser(prog="python -m scheduler", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    solve_cmd = commands.add_parser("solve", help="compute a plan for a problem file")
    solve_cmd.add_argument("problem", nargs="?", help="problem JSON file")
    solve_cmd.add_argument("--psplib", metavar="FILE.sm", help="solve a PSPLIB instance instead")
    solve_cmd.add_argument("-o", "--output", help="write the solution JSON here")
    solve_cmd.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    solve_cmd.add_argument("--seed", type=int, default=0)
    solve_cmd.add_argument("--workers", type=int, default=None)
    check_cmd = commands.add_parser("check", help="verify a solution against its problem")
    check_cmd.add_argument("problem")
    check_cmd.add_argument("solution")
    generate_cmd = commands.add_parser("generate", help="write a synthetic district problem")
    generate_cmd.add_argument("--sites", type=int, required=True)
    generate_cmd.add_argument("--seed", type=int, default=0)
    generate_cmd.add_argument("-o", "--output", required=True)
    return parser


def _load_problem(args: argparse.Namespace) -> Problem:
    """The problem named on the command line (JSON file or PSPLIB instance)."""
    if getattr(args, "psplib", None):
        path = Path(args.psplib)
        return parse_psplib(path.read_text(encoding="utf-8", errors="replace"), path.name)
    if not args.problem:
        raise ValueError("give a problem file or --psplib FILE.sm")
    return _read_problem(args.problem)


MAX_NOTES = 5


def _read_problem(path: str) -> Problem:
    """A problem file; fields the format does not define are noted on stderr, then ignored."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", IgnoredFieldWarning)
        problem = problem_from_dict(load_json(path))
    notes = [str(w.message) for w in caught if issubclass(w.category, IgnoredFieldWarning)]
    for note in notes[:MAX_NOTES]:
        print(f"note: {note}", file=sys.stderr)
    if len(notes) > MAX_NOTES:
        print(f"note: {len(notes) - MAX_NOTES} more ignored fields", file=sys.stderr)
    return problem


def _progress(objective: int, bound: float | None, elapsed_s: float) -> None:
    """One progress line per improving plan, on stderr."""
    shown = "-" if bound is None else f"{bound:g}"
    print(f"[{elapsed_s:7.1f}s] objective {objective}  bound {shown}", file=sys.stderr, flush=True)


def _solve(args: argparse.Namespace) -> int:
    """The `solve` command (Ctrl-C stops the search and keeps the best plan so far)."""
    if not math.isfinite(args.time_limit) or args.time_limit < 0:
        raise ValueError(f"--time-limit must be a number of seconds >= 0, got {args.time_limit}")
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1, got {args.workers}")
    if args.output and not Path(args.output).resolve().parent.is_dir():
        raise ValueError(f"-o {args.output}: the folder does not exist")
    problem = _load_problem(args)
    stop = threading.Event()
    previous = _on_interrupt(stop)
    try:
        solution = solve(
            problem,
            time_limit_s=args.time_limit,
            seed=args.seed,
            workers=args.workers,
            on_progress=_progress,
            cancel=stop,
        )
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    data = solution_to_dict(solution)
    if args.output:
        write_json(data, args.output)
    bound = "-" if solution.bound is None else f"{solution.bound:g}"
    print(
        f"{solution.status}: objective {solution.objective} bound {bound} "
        f"({len(solution.assignments)} scheduled, {len(solution.unscheduled)} left out, "
        f"{solution.runtime_s:.1f}s)"
    )
    for conflict in solution.conflicts:
        print(f"conflict: {conflict.message}")
    if solution.status == "infeasible":
        return EXIT_INFEASIBLE
    return EXIT_PLAN if solution.has_plan else EXIT_FAILED


def _on_interrupt(stop: threading.Event):
    """First Ctrl-C sets `stop` (the solve returns its best plan); a second one interrupts."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(_signum, _frame) -> None:
        """Cancel the search; restore the default so that another Ctrl-C exits at once."""
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        print("interrupted: stopping with the best plan so far", file=sys.stderr, flush=True)

    return signal.signal(signal.SIGINT, handler)


def _check(args: argparse.Namespace) -> int:
    """The `check` command: exit 0 when the solution breaks no rule, 1 otherwise."""
    problem = _read_problem(args.problem)
    solution = solution_from_dict(load_json(args.solution))
    violations = check(problem, solution)
    for violation in violations:
        print(violation)
    print(f"{len(violations)} violation(s)")
    return 1 if violations else 0


def _generate(args: argparse.Namespace) -> int:
    """The `generate` command."""
    if args.sites < 1:
        raise ValueError("--sites must be at least 1")
    problem = generate_district(args.sites, args.seed)
    write_json(problem_to_dict(problem), args.output)
    print(f"{len(problem.sites)} sites, {len(problem.projects)} projects -> {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run a command; invalid input gives exit 2 and a one-line message."""
    args = _parser().parse_args(argv)
    handler = {"solve": _solve, "check": _check, "generate": _generate}[args.command]
    try:
        return handler(args)
    except (ValueError, OSError) as error:
        print(f"error: {_one_line(error)}", file=sys.stderr)
        return EXIT_INVALID
    except RecursionError as error:  # e.g. a file nested too deep for the JSON reader
        print(f"error: {_one_line(error)}", file=sys.stderr)
        return EXIT_INVALID
    except Exception as error:  # a bug: still one line, the traceback on request
        if os.environ.get("SCHEDULER_DEBUG"):
            raise
        kind = type(error).__name__
        print(
            f"error: internal error ({kind}: {_one_line(error)}); "
            "set SCHEDULER_DEBUG=1 for the traceback",
            file=sys.stderr,
        )
        return EXIT_FAILED


def _one_line(error: BaseException) -> str:
    """The error's message on one line."""
    return " ".join(str(error).split()) or type(error).__name__


if __name__ == "__main__":
    sys.exit(main())
