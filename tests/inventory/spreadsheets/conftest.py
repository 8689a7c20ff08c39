"""Fixtures for the spreadsheet tests: the shared real-world files, skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """The ../shared/data folder of real public files; the test is skipped without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real sample files not found at {SHARED_DATA.resolve()} (../shared/data)")
    return SHARED_DATA
