"""How fast does a district's directory of 100,000 sites import from the command line, against
merely reading the same .xlsx file?

The file (a state directory's columns, written by the app's own .xlsx writer) is made once per
run. Each measurement runs in a process of its own, timed from start to exit, and its peak memory
is that process's maximum resident set size (os.wait4): a bare openpyxl read-only parse of the
file (every row's values, nothing else: the reference), the same with python-calamine (shown for
comparison: it reads the whole sheet into memory at once), and `flask import sites FILE` into an
empty, migrated SQLite file and PostgreSQL database. Targets: the import takes at most 1.5 times
the bare openpyxl parse, and peaks under 300 MB.
`python -m benchmarks.imports [--quick] [--rows 100000] [--postgres URL|none]`;
--quick uses 20,000 rows.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.planning import bench_database, local_postgres
from inventory.spreadsheets.writing import write_xlsx

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5
TARGET_MB = 300
HEADERS = ["NCESID", "NAME", "ADDRESS", "CITY", "STATE", "ZIP", "TELEPHONE", "LEVEL_",
           "ENROLLMENT", "COUNTY", "DISTRICTID", "PRINCIPAL", "PRINCIPAL_EMAIL", "LATITUDE",
           "LONGITUDE"]  # fmt: skip
LEVELS = ("ELEMENTARY", "MIDDLE", "HIGH", "OTHER")
BARE_PARSES = {
    "openpyxl": (
        "import sys; from openpyxl import load_workbook\n"
        "book = load_workbook(sys.argv[1], read_only=True, data_only=True)\n"
        "print(sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)))"
    ),
    "python-calamine": (
        "import sys; from python_calamine import CalamineWorkbook\n"
        "sheet = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)\n"
        "print(sum(1 for _ in sheet.iter_rows()))"
    ),
}


@dataclass(frozen=True)
class Measured:
    """One process: its wall time, peak memory and what it printed last."""

    seconds: float
    peak_mb: float
    output: str


def directory_rows(count: int) -> Iterator[list[object]]:
    """A state directory's rows: unique schools in 200 counties, typed as a directory has them."""
    rng = random.Random(2026)
    for number in range(count):
        county = rng.randrange(200)
        yield [
            f"{1200000000 + number}", f"School number {number}",
            f"{rng.randint(1, 9999)} Main St", f"Town {county}", "FL", f"{32000 + county:05d}",
            f"(850) 555-{number % 10000:04d}", LEVELS[number % 4], rng.randint(50, 3000),
            f"County {county}", 1200000 + county, f"Principal {number}",
            f"principal{number}@k12.example.org", round(25 + rng.random() * 5, 6),
            round(-87 + rng.random() * 7, 6),
        ]  # fmt: skip


# Runs a command and reports its wall time and peak memory. It is a small process of its own:
# a child's maximum resident set size starts from its parent's at the fork, and this benchmark's
# own process is large.
LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:])
_pid, status, usage = os.wait4(child.pid, 0)
child.returncode = os.waitstatus_to_exitcode(status)
print(time.perf_counter() - started, usage.ru_maxrss, child.returncode, file=sys.stderr)
"""


def run_measured(command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run a command in its own process; its wall time, peak memory and first output line."""
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command], cwd=ROOT, env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    *problem, figures = done.stderr.strip().splitlines() or ["0 0 1"]
    seconds, peak_kb, returncode = figures.split()
    if int(returncode) != 0:
        raise RuntimeError(f"{command[:4]} exited {returncode}: {problem[-3:]}")
    lines = done.stdout.splitlines()
    return Measured(float(seconds), int(peak_kb) / 1024, lines[0] if lines else "")


def measure_import(url: str, path: Path, rows: int) -> Measured:
    """`flask import sites FILE` into the database, as an operator runs it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ROLLOUT_")}
    env.update(ROLLOUT_ENV="test", ROLLOUT_DATABASE_URL=url, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "flask", "--app", "app:create_app", "import", "sites"]
    measured = run_measured([*command, str(path)], env)
    expected = f"sites: {rows:,} rows: {rows:,} created, 0 updated, 0 unchanged, 0 invalid"
    if not measured.output.startswith(expected):
        raise RuntimeError(f"the import did not create every site: {measured.output}")
    return measured


def _print(results: dict[str, Measured], reference: Measured) -> None:
    """One line per measurement: time, its ratio to the bare openpyxl parse, peak memory."""
    print(f"{'':<34}{'wall (s)':>10}{'x openpyxl':>12}{'peak (MB)':>11}")
    for label, measured in results.items():
        ratio = measured.seconds / reference.seconds
        print(f"{label:<34}{measured.seconds:>10.1f}{ratio:>12.2f}{measured.peak_mb:>11.0f}")


def _verdicts(results: dict[str, Measured], reference: Measured) -> int:
    """The issue's targets for each import, met or missed (returns how many were missed)."""
    missed = 0
    for label, measured in results.items():
        if not label.startswith("flask import"):
            continue
        ratio = measured.seconds / reference.seconds
        fast, small = ratio <= TARGET_RATIO, measured.peak_mb < TARGET_MB
        missed += (not fast) + (not small)
        print(f"target, {label}: at most {TARGET_RATIO}x the bare openpyxl parse: "
              f"{'met' if fast else 'not met'} ({ratio:.2f}x, {measured.seconds:.1f} s against "
              f"{reference.seconds:.1f} s)")  # fmt: skip
        print(f"target, {label}: peak memory under {TARGET_MB} MB: "
              f"{'met' if small else 'not met'} ({measured.peak_mb:.0f} MB)")  # fmt: skip
    return missed


def main(argv: list[str] | None = None) -> int:
    """Measure and print; returns 0 (the targets' verdicts are printed, not enforced)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.imports")
    parser.add_argument("--quick", action="store_true", help="20,000 rows")
    parser.add_argument("--rows", type=int, default=None, help="sites in the file (100,000)")
    parser.add_argument("--postgres", default=os.environ.get("ROLLOUT_BENCH_POSTGRES_URL"),
                        help="a PostgreSQL server URL to measure on too (default: the local "
                        "one, when it answers; 'none' to skip)")  # fmt: skip
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    rows = args.rows or (20_000 if args.quick else 100_000)
    postgres = local_postgres() if args.postgres is None else args.postgres
    postgres = None if postgres == "none" else postgres
    print(f"imports: {rows:,} sites as .xlsx, `flask import sites FILE` against a bare parse "
          "(each its own process; peak = maximum resident set size)")  # fmt: skip
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="rollout-bench-") as workdir:
        path = Path(workdir) / "sites.xlsx"
        path.write_bytes(write_xlsx(HEADERS, directory_rows(rows), sheet_title="Schools"))
        print(f"  file: {path.stat().st_size / 1e6:.1f} MB", flush=True)
        results = {
            f"bare parse, {name}": run_measured([sys.executable, "-c", script, str(path)])
            for name, script in BARE_PARSES.items()
        }
        for kind in ["sqlite"] + (["postgresql"] if postgres else []):
            with bench_database(kind, Path(workdir), postgres, "imports") as url:
                results[f"flask import sites, {kind}"] = measure_import(url, path, rows)
            print(f"  {kind}: measured", flush=True)
    reference = results["bare parse, openpyxl"]
    _print(results, reference)
    _verdicts(results, reference)
    return 0


if __name__ == "__main__":
    sys.exit(main())
