"""Shared constants and the failure list of the scheduler stress script."""

from __future__ import annotations

from pathlib import Path

HORIZONS = (1, 6, 12, 24, 36)
ROOT = Path(__file__).resolve().parents[2]
SLACK_S = 1.5  # solve may overrun its limit by this much (model building, reasons)
IGNORED_RULES = ("objective", "unscheduled", "bound")


class Failures:
    """Collected failures: (case name, message)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, case: str, message: str) -> None:
        """Record one failure and print it at once."""
        self.items.append((case, message))
        print(f"  FAIL [{case}] {message}", flush=True)
