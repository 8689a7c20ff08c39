"""Problem and solution files, the PSPLIB parser and the command line (exit codes 0, 3, 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from scheduler.__main__ import main
from scheduler.generate import generate_district
from scheduler.io import (
    problem_from_dict,
    problem_to_dict,
    solution_from_dict,
    solution_to_dict,
)
from scheduler.psplib import parse_psplib

from .conftest import solve_checked

EXAMPLE = {
    "horizon": 12,
    "objective": "max_value",
    "annual_budget": 5000000,
    "monthly_budget": [600000] * 12,
    "trades": {"network": 4, "cabling": [2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]},
    "blackout_periods": [9],
    "funding_caps": {"erate_c2": 800000, "bond": 3000000},
    "sites": [{"id": "S001", "max_concurrent": 1, "blackout_periods": [10], "budget_cap": 250000}],
    "projects": [
        {"id": "P1", "site": "S001", "crews": {"cabling": 1}, "duration": 2, "cost": 120000,
         "value": 50, "mandatory": False, "earliest": 0, "latest_end": 12,
         "allowed_start_periods": None, "after": [], "pinned_start": None, "funding": None},
        {"id": "P2", "site": "S001", "crews": {"network": 1}, "duration": 1, "cost": 90000.0,
         "value": 30, "after": ["P1"], "funding": "erate_c2"},
        {"id": "P3", "duration": 1},
    ],
}  # fmt: skip


def test_the_domain_example_round_trips():
    problem = problem_from_dict(EXAMPLE)
    assert problem.trades["network"] == (4,) * 12
    assert problem.project_by_id["P2"].cost == 90000
    assert problem_from_dict(json.loads(json.dumps(problem_to_dict(problem)))) == problem
    solution = solve_checked(problem, time_limit_s=2)
    again = solution_from_dict(json.loads(json.dumps(solution_to_dict(solution))))
    assert again == replace(solution, runtime_s=round(solution.runtime_s, 3))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"horizon": "twelve"}, "horizon must be a number"),
        ({"projects": [{"id": "P1"}]}, "project P1: duration is missing"),
        ({"projects": [{"id": "P1", "duration": 1, "cost": 1.5}]}, "project P1: cost must be"),
        ({"trades": {"network": [1, 2]}}, r"trades\[network\] must have one entry per period"),
        ({"projects": [{"id": "P1", "duration": 1, "site": "S9"}]}, "unknown site 'S9'"),
    ],
)
def test_bad_problem_files_raise_a_one_line_value_error(change, message):
    with pytest.raises(ValueError, match=message):
        problem_from_dict({**EXAMPLE, **change})


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_cli_solve_and_check(tmp_path, capsys):
    problem = write(tmp_path / "p.json", EXAMPLE)
    out = tmp_path / "s.json"
    assert main(["solve", str(problem), "-o", str(out), "--time-limit", "2", "--workers", "2"]) == 0
    assert json.loads(out.read_text())["status"] in ("optimal", "feasible")
    assert main(["check", str(problem), str(out)]) == 0
    assert "objective" in capsys.readouterr().err


def test_cli_infeasible_exit_3_still_writes_the_explanation(tmp_path):
    data = {**EXAMPLE, "annual_budget": 100}
    data["projects"] = [{**EXAMPLE["projects"][0], "mandatory": True}]
    out = tmp_path / "s.json"
    assert main(["solve", str(write(tmp_path / "p.json", data)), "-o", str(out)]) == 3
    written = json.loads(out.read_text())
    assert written["status"] == "infeasible" and written["conflicts"]


def test_cli_invalid_input_exit_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "solve", str(bad)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    missing = write(tmp_path / "m.json", {**EXAMPLE, "projects": [{"id": "P1"}]})
    assert main(["solve", str(missing)]) == 2


def test_cli_generate(tmp_path):
    out = tmp_path / "district.json"
    assert main(["generate", "--sites", "5", "--seed", "3", "-o", str(out)]) == 0
    problem = problem_from_dict(json.loads(out.read_text()))
    assert len(problem.sites) == 5
    assert problem == generate_district(5, 3)


def test_psplib_parser_drops_dummies_and_keeps_precedence(psplib_dir):
    problem = parse_psplib((psplib_dir / "j30" / "j301_1.sm").read_text())
    assert problem.objective == "min_makespan"
    assert len(problem.projects) == 30
    assert problem.trades == {
        "R1": (12,) * 158,
        "R2": (13,) * 158,
        "R3": (4,) * 158,
        "R4": (12,) * 158,
    }
    assert problem.project_by_id["J2"].after == ()
    assert problem.project_by_id["J5"].after == ("J4",)
    assert dict(problem.project_by_id["J2"].crews) == {"R1": 4}


def test_cli_psplib(psplib_dir, tmp_path):
    out = tmp_path / "s.json"
    path = psplib_dir / "j30" / "j301_1.sm"
    assert main(["solve", "--psplib", str(path), "--time-limit", "10", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["objective"] == 43
