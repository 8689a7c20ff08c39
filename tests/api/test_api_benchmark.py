"""The API benchmark runs end to end on a small table (the big sizes are not for tests)."""

from __future__ import annotations

from benchmarks.api import measure


def test_benchmark_measures_every_call_on_a_small_table(tmp_path) -> None:
    results = measure(2_000, 1, tmp_path)
    assert set(results) >= {"list page 1", "500 per page", "search serial", "one asset"}
    assert all(ms > 0 for ms in results.values())
