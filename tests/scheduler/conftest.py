"""Helpers for the scheduler tests: solve a problem and insist the independent checker agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler import Problem, Solution, check, solve

PSPLIB = Path(__file__).resolve().parents[3] / "shared" / "data" / "psplib"


def solve_checked(problem: Problem, time_limit_s: float = 5.0, **options) -> Solution:
    """Solve and assert that the checker finds no violation."""
    solution = solve(problem, time_limit_s=time_limit_s, workers=2, **options)
    violations = check(problem, solution)
    assert violations == [], violations
    return solution


@pytest.fixture
def psplib_dir() -> Path:
    """The shared PSPLIB folder (skips the test when the shared data is absent)."""
    if not (PSPLIB / "j30").is_dir():
        pytest.skip(f"PSPLIB data not found at {PSPLIB} (shared/data is not checked out)")
    return PSPLIB
