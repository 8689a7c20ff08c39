"""Authorization entries of the sep pages (world.published holds their objects)."""

from __future__ import annotations

from typing import Any

from tests.app.authorization_rules import PLANNING_READERS, Expect, only


def _plan(world: Any) -> dict[str, Any]:
    """The published plan of the matrix's published scenario."""
    return {"plan_id": world.published["plan"].id}


def _plan_pdf(world: Any) -> dict[str, Any]:
    """The published plan's SEP document, to prepare."""
    return {**_plan(world), "kind": "sep_pdf"}


TABLE: dict[str, Expect] = {
    "sep.index": only(*PLANNING_READERS),
    "sep.document": only(*PLANNING_READERS, args=_plan),
    "sep.document_pdf": only(*PLANNING_READERS, args=_plan),
    "sep.schedule_xlsx": only(*PLANNING_READERS, args=_plan),
    "sep.schedule_pdf": only(*PLANNING_READERS, args=_plan),
    # Preparing a download reads a published plan: every plan reader may (the job is theirs).
    "sep.prepare": only(*PLANNING_READERS, method="POST", args=_plan_pdf),
}
