"""A scenario's resources: the annual budgets and monthly caps, each trade's crews per month,
and the funding sources (E-Rate Category 2 with its settings).

API (keyword data; draft scenarios only; each change counts as a change of the inputs; flush,
never commit; `expected_version` is the scenario's version the form was read at):
    set_budgets(session, scenario, *, by, annual_budgets_cents, monthly_caps_cents=None,
                expected_version=None) -> None
    set_trade_crews(session, scenario, trade, *, by, crews_by_month, expected_version=None)
        -> ScenarioTrade                                   # adds the trade when it is missing
    set_crews(session, scenario, *, by, crews, expected_version=None) -> list[ScenarioTrade]
        # crews: {Trade: crews per month}, several trades in one change
    remove_trade(session, scenario, trade, *, by, expected_version=None) -> None
    add_funding_source(session, scenario, *, by, code, name, kind, expected_version=None,
                       **fields) -> FundingSource
    update_funding_source(session, source, *, by, expected_version=None, **fields)
        -> FundingSource
    remove_funding_source(session, source, *, by, expected_version=None) -> int
        # how many projects it paid for (they now use the default source)
Funding fields: code, name, kind (FundingKind or its value), cap_cents, is_default,
erate_per_student_cents, erate_floor_cents, erate_discount_percent (20 to 90), erate_pooled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventory.enums import FundingKind
from inventory.errors import Duplicate, InvalidValue, NotFound
from inventory.models import FundingSource, Project, Scenario, ScenarioTrade, Trade, User
from inventory.operations.fields import CODE_PATTERN
from inventory.operations.scenario_fields import (
    begin_input_change,
    bounded,
    cents,
    cents_per,
    crews_per_month,
    end_input_change,
    text,
)

FUNDING_FIELDS = (
    "code", "name", "kind", "cap_cents", "is_default", "erate_per_student_cents",
    "erate_floor_cents", "erate_discount_percent", "erate_pooled",
)  # fmt: skip
ERATE_FIELDS = ("erate_per_student_cents", "erate_floor_cents", "erate_discount_percent")


def set_budgets(
    session: Session,
    scenario: Scenario,
    *,
    by: User | None,
    annual_budgets_cents: Sequence[Any],
    monthly_caps_cents: Sequence[Any] | None = None,
    expected_version: int | None = None,
) -> None:
    """The annual budget of each fiscal year and the spending cap of each month (None: no
    limit). A budget of zero saves, but the scenario cannot be submitted with it."""
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    annual = cents_per(
        annual_budgets_cents,
        scenario.years,
        field="annual_budgets",
        label_of=lambda i: f"Annual budget for FY{scenario.first_year + i}",
    )
    caps = None
    if monthly_caps_cents is not None:
        caps = cents_per(
            monthly_caps_cents,
            scenario.months,
            field="monthly_caps",
            label_of=lambda m: f"Monthly cap for {scenario.month_label(m)}",
        )
        if all(cap is None for cap in caps):
            caps = None
    scenario.annual_budgets_cents = annual
    scenario.monthly_caps_cents = caps
    end_input_change(session, scenario)


def _row_of(scenario: Scenario, trade: Trade) -> ScenarioTrade | None:
    """The scenario's crews of a trade, if it has the trade."""
    return next((row for row in scenario.trades if row.trade_id == trade.id), None)


def set_trade_crews(
    session: Session,
    scenario: Scenario,
    trade: Trade,
    *,
    by: User | None,
    crews_by_month: Sequence[Any],
    expected_version: int | None = None,
) -> ScenarioTrade:
    """How many crews of the trade can work in each month (0 to 999; the trade is added to the
    scenario if it is not there yet)."""
    rows = set_crews(
        session, scenario, by=by, crews={trade: crews_by_month}, expected_version=expected_version
    )
    return rows[0]


def set_crews(
    session: Session,
    scenario: Scenario,
    *,
    by: User | None,
    crews: Mapping[Trade, Sequence[Any]],
    expected_version: int | None = None,
) -> list[ScenarioTrade]:
    """The crews per month of several trades at once (the crews page's grid), in one change."""
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    checked = {
        trade: crews_per_month(scenario, months, label=f"{trade.name} crews")
        for trade, months in crews.items()
    }
    rows = []
    for trade, months in checked.items():
        row = _row_of(scenario, trade)
        if row is None:
            row = ScenarioTrade(trade=trade, crews_by_month=months)
            scenario.trades.append(row)
        elif list(row.crews_by_month or []) != months:
            row.crews_by_month = months
        rows.append(row)
    end_input_change(session, scenario)
    return rows


def remove_trade(
    session: Session,
    scenario: Scenario,
    trade: Trade,
    *,
    by: User | None,
    expected_version: int | None = None,
) -> None:
    """Take a trade out of the scenario (projects needing it then have no crews)."""
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    row = _row_of(scenario, trade)
    if row is None:
        raise NotFound(f"{scenario.name} has no {trade.name} crews.", field="trade")
    scenario.trades.remove(row)
    end_input_change(session, scenario)


def _code(session: Session, scenario: Scenario, value: Any, own_id: int | None) -> str:
    """A source code: letters, digits and . _ / -, unique in the scenario."""
    code = text(value, field="code", label="Code", max_length=32, need=True)
    assert code is not None
    if not CODE_PATTERN.match(code):
        raise InvalidValue("Code may hold letters, digits, . _ / and - (no spaces).", field="code")
    query = select(FundingSource.id).where(
        FundingSource.scenario_id == scenario.id, func.lower(FundingSource.code) == code.lower()
    )
    if own_id is not None:
        query = query.where(FundingSource.id != own_id)
    if session.scalar(query.limit(1)) is not None:
        raise Duplicate(f"This scenario already has a source with code {code}.", field="code")
    return code


def _kind(value: Any) -> FundingKind:
    """A kind of funding, given as the member or its value."""
    try:
        return FundingKind(value)
    except ValueError:
        kinds = ", ".join(kind.label for kind in FundingKind)
        raise InvalidValue(f"Kind must be one of: {kinds}.", field="kind") from None


def _funding_values(
    session: Session, scenario: Scenario, source: FundingSource | None, fields: dict[str, Any]
) -> dict[str, Any]:
    """The source's values after the change, checked together (E-Rate needs its settings)."""
    unknown = set(fields) - set(FUNDING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    merged = {key: getattr(source, key) for key in FUNDING_FIELDS} if source else {}
    merged.update(fields)
    kind = _kind(merged.get("kind") or FundingKind.GENERAL)
    values = {
        "code": _code(session, scenario, merged.get("code"), source.id if source else None),
        "name": text(merged.get("name"), field="name", label="Name", max_length=120, need=True),
        "kind": kind,
        "cap_cents": cents(merged.get("cap_cents"), field="cap_cents", label="Cap"),
        "is_default": bool(merged.get("is_default")),
        "erate_pooled": kind is FundingKind.ERATE_C2 and bool(merged.get("erate_pooled")),
    }
    values.update(
        _erate_values(merged) if kind is FundingKind.ERATE_C2 else dict.fromkeys(ERATE_FIELDS)
    )
    return values


def _erate_values(merged: dict[str, Any]) -> dict[str, Any]:
    """E-Rate's settings: the per-student amount and the discount are required."""
    per_student = cents(
        merged.get("erate_per_student_cents"),
        field="erate_per_student_cents",
        label="Amount per student",
    )
    if per_student is None:
        raise InvalidValue(
            "An E-Rate source needs the amount per student of the current five-year cycle.",
            field="erate_per_student_cents",
        )
    discount = bounded(
        merged.get("erate_discount_percent"),
        20,
        90,
        field="erate_discount_percent",
        label="Discount",
    )
    if discount is None:
        raise InvalidValue(
            "An E-Rate source needs the district's discount (20 to 90 percent).",
            field="erate_discount_percent",
        )
    floor = cents(merged.get("erate_floor_cents"), field="erate_floor_cents", label="Floor")
    return {
        "erate_per_student_cents": per_student,
        "erate_floor_cents": floor,
        "erate_discount_percent": discount,
    }


def _only_default(scenario: Scenario, source: FundingSource) -> None:
    """A scenario has at most one default source: this one becomes it."""
    if source.is_default:
        for other in scenario.funding_sources:
            if other is not source and other.is_default:
                other.is_default = False


def add_funding_source(
    session: Session,
    scenario: Scenario,
    *,
    by: User | None,
    code: str,
    name: str,
    kind: FundingKind | str = FundingKind.GENERAL,
    expected_version: int | None = None,
    **fields: Any,
) -> FundingSource:
    """Add a source of money; marking it the default takes that from any other source."""
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    values = _funding_values(
        session, scenario, None, {"code": code, "name": name, "kind": kind, **fields}
    )
    source = FundingSource(**values)
    scenario.funding_sources.append(source)
    _only_default(scenario, source)
    end_input_change(session, scenario)
    return source


def update_funding_source(
    session: Session,
    source: FundingSource,
    *,
    by: User | None,
    expected_version: int | None = None,
    **fields: Any,
) -> FundingSource:
    """Change a source's settings (a source that stops being E-Rate drops E-Rate's settings)."""
    scenario = source.scenario
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    values = _funding_values(session, scenario, source, fields)
    for key, value in values.items():
        if getattr(source, key) != value:
            setattr(source, key, value)
    _only_default(scenario, source)
    end_input_change(session, scenario)
    return source


def remove_funding_source(
    session: Session,
    source: FundingSource,
    *,
    by: User | None,
    expected_version: int | None = None,
) -> int:
    """Remove a source; the projects it paid for fall back to the default source. Returns how
    many projects that was."""
    scenario = source.scenario
    begin_input_change(session, scenario, by=by, expected_version=expected_version)
    projects = list(session.scalars(select(Project).where(Project.funding_source_id == source.id)))
    for project in projects:
        project.funding_source = None
    scenario.funding_sources.remove(source)
    end_input_change(session, scenario)
    return len(projects)
