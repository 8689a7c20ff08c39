"""Regression tests for problem and solution files and the command line (found by
benchmarks/scheduler_stress.py): one small case per fix."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings

import pytest

from scheduler import Problem, Project, Solution, solve
from scheduler.__main__ import main
from scheduler.io import (
    IgnoredFieldWarning,
    problem_from_dict,
    solution_from_dict,
    solution_to_dict,
)

from .conftest import BASE, with_change, with_project

# --- problem files: wrong container types, unknown keys, ids, sizes ---------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (with_change(blackout_periods=9), "blackout_periods must be a list"),
        (with_change(funding_caps=[300]), "funding_caps must be an object"),
        (with_change(sites=5), "sites must be a list"),
        (with_change(sites=[{"id": "S1", "blackout_periods": 3}]), "site S1: blackout_periods"),
        (with_project(allowed_start_periods=2), "project P1: allowed_start_periods must be a list"),
        (with_project(crews=["net"]), "project P1: crews must be an object"),
        (with_project(after=[["P0"]]), "project P1: after must be a non-empty string"),
        (with_project(site=["S1"]), "project P1: site must be a non-empty string"),
        (with_change(objective=3), "objective must be max_value or min_makespan"),
    ],
)
def test_wrong_container_types_are_value_errors_naming_the_field(data, message):
    with pytest.raises(ValueError, match=message):
        problem_from_dict(data)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (with_change(anual_budget=5), "anual_budget"),
        (with_project(valu=5), "project P1: unknown field 'valu'"),
        (with_change(sites=[{"id": "S1", "budget": 5}]), "site S1: unknown field 'budget'"),
    ],
)
def test_misspelt_keys_are_refused(data, field):
    with pytest.raises(ValueError, match=f"{field}.*did you mean"):
        problem_from_dict(data)


def test_other_extra_keys_are_ignored_with_a_warning(tmp_path):
    data = with_project(name="Replace the MDF switch", description="Lincoln High")
    data = {**data, "name": "FY2027 plan", "sites": [{"id": "S1", "principal": "Ms. Ada"}]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", IgnoredFieldWarning)
        problem = problem_from_dict(data)
    assert sorted(str(w.message).split(" is not")[0] for w in caught) == [
        "field 'name'", "project P1: field 'description'", "project P1: field 'name'",
        "site S1: field 'principal'",
    ]  # fmt: skip
    assert [p.id for p in problem.projects] == ["P1", "P2"]
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "solve", str(path), "--time-limit", "2"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "note: field 'name' is not part of the problem format and is ignored" in result.stderr
    assert "note: site S1: field 'principal'" in result.stderr


def test_ids_must_be_strings_or_whole_numbers():
    data = with_project(id=None)
    with pytest.raises(ValueError, match=r"projects\[0\]: id must be a non-empty string"):
        problem_from_dict(data)
    data = with_change(sites=[{"id": None}])
    with pytest.raises(ValueError, match=r"sites\[0\]: id"):
        problem_from_dict(data)
    numbered = with_project(id=7)
    numbered["projects"][1]["after"] = [7]
    assert problem_from_dict(numbered).project_by_id["P2"].after == ("7",)


def test_null_mandatory_takes_the_default():
    assert problem_from_dict(with_project(mandatory=None)).project_by_id["P1"].mandatory is False


def test_numbers_beyond_the_solver_integers_are_refused():
    with pytest.raises(ValueError, match="project P1: cost must be at most"):
        problem_from_dict(with_project(cost=1e300))
    with pytest.raises(ValueError, match="annual_budget must be at most"):
        problem_from_dict(with_change(annual_budget=10**30))
    with pytest.raises(ValueError, match="horizon must be at most"):
        Problem(10**9, ())
    big = 2**61
    with pytest.raises(ValueError, match="total value times the horizon"):
        Problem(12, (Project("A", 1, value=big), Project("B", 1, value=big)))


# --- solution files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "feasible", "bound": "high"}, "bound must be a number"),
        ({"status": "feasible", "objective": "5"}, "objective must be a number"),
        ({"status": "feasible", "assignments": [{"project": "P1"}]}, "assignments"),
        ({"status": "feasible", "assignments": [{"project": "P1", "start": "2"}]}, "assignments"),
        ({"status": "feasible", "unscheduled": "P1"}, "unscheduled must be a list"),
        ({"status": "done"}, "status must be one of"),
    ],
)
def test_bad_solution_files_are_value_errors(data, message):
    with pytest.raises(ValueError, match=message):
        solution_from_dict(data)


def test_a_non_finite_bound_is_written_as_null():
    assert solution_to_dict(Solution("feasible", objective=1, bound=math.inf))["bound"] is None


# --- command line ---------------------------------------------------------------------------


def run(args, capsys) -> tuple[int, str]:
    """Exit code and stderr of the CLI."""
    code = main(args)
    return code, capsys.readouterr().err


def test_cli_broken_files_give_exit_2_and_one_line(tmp_path, capsys):
    for index, data in enumerate(
        (with_change(blackout_periods=9), with_change(funding_caps=[1]), with_change(sites=5))
    ):
        path = tmp_path / f"p{index}.json"
        path.write_text(json.dumps(data))
        code, err = run(["solve", str(path)], capsys)
        assert code == 2
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_rejects_bad_time_limit_and_workers(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(BASE))
    code, err = run(["solve", str(path), "--time-limit", "-1"], capsys)
    assert code == 2 and "--time-limit" in err
    code, err = run(["solve", str(path), "--workers", "-2"], capsys)
    assert code == 2 and "--workers" in err


def test_cli_unexpected_error_is_one_line_exit_1(tmp_path, capsys, monkeypatch):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(BASE))

    def broken(*_args, **_kwargs):
        raise TypeError("boom")

    monkeypatch.delenv("SCHEDULER_DEBUG", raising=False)
    monkeypatch.setattr("scheduler.__main__.solve", broken)
    code, err = run(["solve", str(path)], capsys)
    assert code == 1
    assert err.strip().splitlines() == [
        "error: internal error (TypeError: boom); set SCHEDULER_DEBUG=1 for the traceback"
    ]


def test_solve_rejects_bad_arguments():
    problem = problem_from_dict(BASE)
    with pytest.raises(ValueError, match="time_limit_s"):
        solve(problem, time_limit_s=-1)
    with pytest.raises(ValueError, match="move_penalty"):
        solve(problem, time_limit_s=1, move_penalty=-2)


def test_cli_checks_the_output_folder_before_solving(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(BASE))
    code, err = run(["solve", str(path), "-o", str(tmp_path / "nowhere" / "s.json")], capsys)
    assert code == 2 and "folder does not exist" in err
