"""Helpers for the scheduler tests: solve a problem and insist the independent checker agrees."""

from __future__ import annotations

import json
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


# A small problem file for the robustness tests, and variations of it.
BASE = {
    "horizon": 6,
    "annual_budget": 1000,
    "trades": {"net": 2},
    "funding_caps": {"bond": 300},
    "sites": [{"id": "S1", "budget_cap": 400}],
    "projects": [
        {"id": "P1", "site": "S1", "crews": {"net": 1}, "duration": 2, "cost": 100, "value": 5},
        {"id": "P2", "duration": 1, "cost": 50, "value": 3, "after": ["P1"], "funding": "bond"},
    ],
}


def with_change(**changes) -> dict:
    """BASE with top-level fields replaced."""
    return {**json.loads(json.dumps(BASE)), **changes}


def with_project(**fields) -> dict:
    """BASE with fields of the first project replaced."""
    data = json.loads(json.dumps(BASE))
    data["projects"][0].update(fields)
    return data
