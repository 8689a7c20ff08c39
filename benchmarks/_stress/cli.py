"""Command-line cases: broken problem files, exit codes, one-line messages."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks._stress.common import ROOT, Failures
from scheduler import Problem, Project, Site
from scheduler.__main__ import main as cli_main

# --------------------------------------------------------------------------- command line


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr); a leaked exception is exit 99."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(args)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except Exception:
            traceback.print_exc(file=err)
            code = 99
    return code, out.getvalue(), err.getvalue()


BASE_FILE = {
    "horizon": 6,
    "annual_budget": 1000,
    "monthly_budget": 500,
    "trades": {"net": 2},
    "blackout_periods": [],
    "funding_caps": {"bond": 300},
    "sites": [{"id": "S1", "max_concurrent": 1, "blackout_periods": [], "budget_cap": 400}],
    "projects": [
        {"id": "P1", "site": "S1", "crews": {"net": 1}, "duration": 2, "cost": 100, "value": 5},
        {"id": "P2", "duration": 1, "cost": 50, "value": 3, "after": ["P1"], "funding": "bond"},
    ],
}


def _with(path: str, value: object) -> dict:
    """BASE_FILE with one field replaced (path like 'projects.0.cost'); value DELETE removes it."""
    data = json.loads(json.dumps(BASE_FILE))
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    key = int(last) if isinstance(node, list) else last
    if value is DELETE:
        del node[key]
    else:
        node[key] = value
    return data


DELETE = object()

# (file content, words the one-line message must contain)
BAD_FILES: list[tuple[object, tuple[str, ...]]] = [
    (_with("horizon", "12"), ("horizon",)),
    (_with("horizon", 0), ("horizon",)),
    (_with("horizon", DELETE), ("horizon",)),
    (_with("horizon", 2.5), ("horizon",)),
    (_with("annual_budget", -1), ("annual_budget",)),
    (_with("annual_budget", "lots"), ("annual_budget",)),
    (_with("monthly_budget", [1, 2]), ("monthly_budget",)),
    (_with("monthly_budget", {"a": 1}), ("monthly_budget",)),
    (_with("monthly_budget", [1, 2, 3, 4, 5, -6]), ("monthly_budget",)),
    (_with("trades", [1]), ("trades",)),
    (_with("trades.net", -1), ("trades", "net")),
    (_with("trades.net", None), ("trades", "net")),
    (_with("blackout_periods", 3), ("blackout_periods",)),
    (_with("blackout_periods", [-1]), ("blackout_periods",)),
    (_with("blackout_periods", ["x"]), ("blackout_periods",)),
    (_with("funding_caps", [300]), ("funding_caps",)),
    (_with("funding_caps.bond", -5), ("funding_caps", "bond")),
    (_with("sites", 5), ("sites",)),
    (_with("sites", {"id": "S1"}), ("sites",)),
    (_with("sites.0.max_concurrent", -1), ("S1", "max_concurrent")),
    (_with("sites.0.max_concurrent", "one"), ("S1", "max_concurrent")),
    (_with("sites.0.blackout_periods", 4), ("S1", "blackout_periods")),
    (_with("sites.0.budget_cap", -4), ("S1", "budget_cap")),
    (_with("sites.0.id", None), ("sites[0]", "id")),
    (_with("sites.0.max_concurent", 2), ("S1", "max_concurent", "did you mean")),
    (_with("projects", {"P1": {}}), ("projects",)),
    (_with("projects", DELETE), ("projects",)),
    (_with("projects.0.duration", DELETE), ("P1", "duration")),
    (_with("projects.0.duration", -1), ("P1", "duration")),
    (_with("projects.0.duration", "2"), ("P1", "duration")),
    (_with("projects.0.cost", -100), ("P1", "cost")),
    (_with("projects.0.cost", 1e300), ("P1", "cost")),
    (_with("projects.0.value", [5]), ("P1", "value")),
    (_with("projects.0.value", True), ("P1", "value")),
    (_with("projects.0.earliest", -1), ("P1", "earliest")),
    (_with("projects.0.latest_end", "soon"), ("P1", "latest_end")),
    (_with("projects.0.pinned_start", 6), ("P1", "pinned_start")),
    (_with("projects.0.pinned_start", -1), ("P1", "pinned_start")),
    (_with("projects.0.mandatory", "yes"), ("P1", "mandatory")),
    (_with("projects.0.crews", ["net"]), ("P1", "crews")),
    (_with("projects.0.crews", {"net": -1}), ("P1", "crews")),
    (_with("projects.0.crews", {"wifi": 1}), ("P1", "wifi")),
    (_with("projects.0.allowed_start_periods", 3), ("P1", "allowed_start_periods")),
    (_with("projects.0.allowed_start_periods", [-3]), ("P1", "allowed_start_periods")),
    (_with("projects.0.site", "S9"), ("P1", "S9")),
    (_with("projects.0.site", 7), ("P1", "site")),
    (_with("projects.0.funding", ["bond"]), ("P1", "funding")),
    (_with("projects.1.after", "P1"), ("P2", "after")),
    (_with("projects.1.after", ["P7"]), ("P2", "P7")),
    (_with("projects.1.after", [["P1"]]), ("P2", "after")),
    (_with("projects.0.after", ["P2"]), ("cycle",)),
    (_with("projects.0.id", None), ("projects[0]", "id")),
    (_with("projects.0.id", ""), ("projects[0]", "id")),
    (_with("projects.0.id", ["P1"]), ("projects[0]", "id")),
    (
        {**BASE_FILE, "projects": [*BASE_FILE["projects"], BASE_FILE["projects"][0]]},
        ("duplicate", "P1"),
    ),
    (_with("projects.0", "P1"), ("projects[0]",)),
    (_with("projects.0.valu", 5), ("P1", "valu")),
    (_with("anual_budget", 5), ("anual_budget",)),
    (_with("objective", "max_profit"), ("objective",)),
    (_with("objective", 3), ("objective",)),
    ([BASE_FILE], ("object",)),
    ("not json at all", ("JSON",)),
]


def cli_cases(fail: Failures, *, subprocess_sample: int) -> int:
    """Exit codes and one-line messages of the CLI; returns how many cases ran."""
    ran = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for index, (content, words) in enumerate(BAD_FILES):
            path = folder / f"bad{index}.json"
            if isinstance(content, str):
                path.write_text(content)
            else:
                path.write_text(json.dumps(content))
            code, _out, err = run_cli(["solve", str(path), "--time-limit", "1"])
            lines = err.strip().splitlines()
            label = f"cli-bad-{index}"
            ran += 1
            if code != 2 or len(lines) != 1 or "Traceback" in err:
                fail.add(label, f"exit {code}, stderr {err.strip()[:300]!r} (wanted {words})")
                continue
            missing = [w for w in words if w.lower() not in lines[0].lower()]
            if missing:
                fail.add(label, f"message {lines[0]!r} does not name {missing}")
        good = folder / "good.json"
        good.write_text(json.dumps(BASE_FILE))
        out = folder / "good-out.json"
        code, _o, _e = run_cli(["solve", str(good), "--time-limit", "1", "-o", str(out)])
        ran += 1
        if code != 0 or run_cli(["check", str(good), str(out)])[0] != 0:
            fail.add("cli-good", f"solve exit {code}, or check of its output failed")
        infeasible = _with("projects.0.mandatory", True)
        infeasible["annual_budget"] = 10
        bad_path = folder / "infeasible.json"
        bad_path.write_text(json.dumps(infeasible))
        code, stdout, _e = run_cli(["solve", str(bad_path), "-o", str(out), "--time-limit", "1"])
        ran += 1
        written = json.loads(out.read_text()) if out.exists() else {}
        if code != 3 or not written.get("conflicts") or "conflict" not in stdout:
            fail.add("cli-infeasible", f"exit {code}, conflicts {written.get('conflicts')}")
        for args in (
            ["solve", str(good), "--time-limit", "-1"],
            ["solve", str(good), "--workers", "-2"],
            ["solve", str(folder / "missing.json")],
            ["check", str(good), str(bad_path)],
            ["check", str(good), str(folder / "bad0.json")],
            ["generate", "--sites", "0", "-o", str(folder / "g.json")],
        ):
            code, _o, err = run_cli(args)
            ran += 1
            if code not in (0, 1, 2) or "Traceback" in err or len(err.strip().splitlines()) > 1:
                fail.add(f"cli {' '.join(args[:3])}", f"exit {code}, stderr {err.strip()[:300]!r}")
        # a few through a real interpreter, to see what a reviewer sees
        for index, (content, _words) in enumerate(BAD_FILES[:: max(1, len(BAD_FILES) // 6)]):
            if index >= subprocess_sample:
                break
            path = folder / f"sub{index}.json"
            path.write_text(content if isinstance(content, str) else json.dumps(content))
            result = subprocess.run(
                [sys.executable, "-m", "scheduler", "solve", str(path)],
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
            ran += 1
            lines = result.stderr.strip().splitlines()
            if result.returncode != 2 or len(lines) != 1:
                fail.add(f"cli-subprocess-{index}", f"exit {result.returncode}: {lines[-3:]}")
    return ran


def duplicate_ids(fail: Failures) -> None:
    """Duplicate project or site ids are a ValueError naming the id."""
    checks: list[tuple[Callable[[], object], str]] = [
        (lambda: Problem(3, (Project("A", 1), Project("A", 2))), "A"),
        (lambda: Problem(3, (), (Site("S"), Site("S"))), "S"),
    ]
    for build, name in checks:
        try:
            build()
        except ValueError as error:
            if "duplicate" not in str(error) or name not in str(error):
                fail.add("duplicate-ids", f"message {error}")
        else:
            fail.add("duplicate-ids", f"duplicate {name} accepted")
