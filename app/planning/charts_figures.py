"""The figures a plan's charts and tables show, against the limits the plan was made under.

Caps come from the plan's stored problem (whole dollars there, cents here), never from the
scenario's current inputs, which may have changed since. Only what the problem does not hold
comes from the scenario: each fiscal year's own budget, the sources' names and E-Rate discounts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.planning.common import money
from app.planning.wording import Vocabulary, limit_group, limit_label
from inventory.models import FundingSource, Plan, Scenario, Trade
from inventory.queries.plan_totals import LimitTotal, MonthTotal, totals_by_year


def per_month(value: Any, months: int) -> list[int]:
    """A problem's per-period figure (one number or a list) as one number per month."""
    if isinstance(value, list):
        return [int(v) for v in value][:months] + [0] * max(0, months - len(value))
    return [int(value or 0)] * months


@dataclass(frozen=True)
class PlanCaps:
    """The limits a plan was made under, in cents and crews."""

    monthly_cents: list[int | None]
    annual_cents: int | None
    trades: dict[str, list[int]]
    funding_cents: dict[str, int]


def caps_of(problem: Mapping[str, Any]) -> PlanCaps:
    """The caps of a stored problem; a monthly cap above the cost of every project is no cap
    (the adapter writes one where a month has none)."""
    months = int(problem.get("horizon", 0))
    every_project = sum(int(p.get("cost", 0)) for p in problem.get("projects", []))
    monthly: list[int | None] = [None] * months
    if problem.get("monthly_budget") is not None:
        monthly = [
            None if cap > every_project else 100 * cap
            for cap in per_month(problem["monthly_budget"], months)
        ]
    annual = problem.get("annual_budget")
    return PlanCaps(
        monthly_cents=monthly,
        annual_cents=None if annual is None else 100 * int(annual),
        trades={trade: per_month(c, months) for trade, c in problem.get("trades", {}).items()},
        funding_cents={key: 100 * int(c) for key, c in problem.get("funding_caps", {}).items()},
    )


@dataclass(frozen=True)
class BudgetMonth:
    """A month's spending (the cost of the projects starting in it) against its cap."""

    month: int
    label: str
    cost_cents: int
    starting: int
    under_way: int
    cap_cents: int | None

    @property
    def share(self) -> float | None:
        """Spending as a fraction of the cap, or None without a cap."""
        return None if not self.cap_cents else self.cost_cents / self.cap_cents

    @property
    def title(self) -> str:
        """The month in words, for a chart's tooltip."""
        text = f"{self.label}: {money(self.cost_cents)} starting ({self.starting} projects)"
        if self.cap_cents is None:
            return text + "; no monthly cap"
        return text + f"; cap {money(self.cap_cents)}"


def budget_months(
    scenario: Scenario, totals: list[MonthTotal], caps: PlanCaps
) -> list[BudgetMonth]:
    """Each month's spending against its cap."""
    return [
        BudgetMonth(
            month=t.month,
            label=scenario.month_label(t.month),
            cost_cents=t.cost_cents,
            starting=t.starting,
            under_way=t.under_way,
            cap_cents=caps.monthly_cents[t.month] if t.month < len(caps.monthly_cents) else None,
        )
        for t in totals
    ]


@dataclass(frozen=True)
class BudgetYear:
    """A fiscal year's spending against its own annual budget."""

    name: str
    spent_cents: int
    budget_cents: int | None

    @property
    def over_cents(self) -> int:
        """How far over its budget the year is (0 when within it or without one)."""
        return 0 if self.budget_cents is None else max(0, self.spent_cents - self.budget_cents)

    @property
    def share(self) -> float | None:
        """Spending as a fraction of the budget."""
        return None if not self.budget_cents else self.spent_cents / self.budget_cents


def budget_years(scenario: Scenario, totals: list[MonthTotal], caps: PlanCaps) -> list[BudgetYear]:
    """Each fiscal year's spending; one year is held to the plan's annual budget, several years
    each to its own budget in the scenario (the plan was held to their total)."""
    spent = totals_by_year(totals)
    if len(spent) == 1:
        return [BudgetYear(f"FY{scenario.first_year}", spent[0], caps.annual_cents)]
    budgets = list(scenario.annual_budgets_cents or [])
    return [
        BudgetYear(
            f"FY{scenario.first_year + index}",
            cents,
            int(budgets[index]) if index < len(budgets) and budgets[index] is not None else None,
        )
        for index, cents in enumerate(spent)
    ]


@dataclass(frozen=True)
class FundingRow:
    """A funding source's use against its cap (an E-Rate source kept per school: the sum of
    its schools' remaining budgets), and what E-Rate would reimburse."""

    code: str
    name: str
    kind: str
    projects: int
    used_cents: int
    cap_cents: int | None
    schools: int = 0
    discount_percent: int | None = None

    @property
    def remaining_cents(self) -> int | None:
        """What is left under the cap."""
        return None if self.cap_cents is None else self.cap_cents - self.used_cents

    @property
    def reimbursed_cents(self) -> int | None:
        """What E-Rate pays back at its discount (None for other sources)."""
        if self.discount_percent is None:
            return None
        return self.used_cents * self.discount_percent // 100


def funding_rows(
    scenario: Scenario, use: Mapping[str | None, tuple[int, int]], caps: PlanCaps
) -> list[FundingRow]:
    """One row per funding source of the plan's problem, and projects no source pays for."""
    sources = {source.code: source for source in scenario.funding_sources}
    codes = sorted({key.partition("@")[0] for key in [*caps.funding_cents, *use] if key})
    rows = [_funding_row(code, sources.get(code), use, caps) for code in codes]
    if None in use:
        count, cents = use[None]
        rows.append(FundingRow("", "No funding source", "", count, cents, None))
    return rows


def _funding_row(
    code: str,
    source: FundingSource | None,
    use: Mapping[str | None, tuple[int, int]],
    caps: PlanCaps,
) -> FundingRow:
    """A source's row: its keys (itself, or one per school) summed."""
    keys = [k for k in {*caps.funding_cents, *use} if k and k.partition("@")[0] == code]
    per_school = [k for k in keys if "@" in k]
    capped = [caps.funding_cents[k] for k in keys if k in caps.funding_cents]
    is_erate = source is not None and source.is_erate
    return FundingRow(
        code=code,
        name=source.name if source is not None else code,
        kind=source.kind.label if source is not None else "",
        projects=sum(use.get(k, (0, 0))[0] for k in keys),
        used_cents=sum(use.get(k, (0, 0))[1] for k in keys),
        cap_cents=sum(capped) if capped else None,
        schools=len(per_school),
        discount_percent=(source.erate_discount_percent or 0) if is_erate else None,
    )


def group_words(session: Session, scenario: Scenario) -> Vocabulary:
    """Names of trades and funding sources (all a limit's heading needs)."""
    words = Vocabulary(month=scenario.month_label)
    words.trades = dict(session.execute(select(Trade.code, Trade.name)).all())
    words.funding = {source.code: source.name for source in scenario.funding_sources}
    return words


# Headings of groups whose members name a site (the wording's labels name one site).
GROUP_LABELS = {"site_budget": "Each site's own budget", "": "Reason not recorded"}


@dataclass(frozen=True)
class LimitGroup:
    """What one limit (a trade's crews, the annual budget, the windows...) kept out."""

    key: str
    label: str
    projects: int
    cost_cents: int
    value: int
    limit_keys: tuple[str, ...]


def limit_groups(totals: list[LimitTotal], words: Vocabulary) -> list[LimitGroup]:
    """The left-out projects' totals by limit group, most value lost first."""
    grouped: dict[str, list[LimitTotal]] = {}
    for total in totals:
        grouped.setdefault(limit_group(total.limit_key), []).append(total)
    groups = [
        LimitGroup(
            key=key,
            label=GROUP_LABELS.get(key) or limit_label(key, words),
            projects=sum(t.projects for t in members),
            cost_cents=sum(t.cost_cents for t in members),
            value=sum(t.value for t in members),
            limit_keys=tuple(sorted(t.limit_key for t in members)),
        )
        for key, members in grouped.items()
    ]
    return sorted(groups, key=lambda group: (-group.value, -group.projects, group.label))


def plan_is_proven(plan: Plan) -> bool:
    """True when the optimiser proved no plan has more value (a re-plan with a move penalty
    weighs value against moves: its 'optimal' is the best trade-off, not the most value)."""
    if plan.move_penalty and plan.based_on_id is not None:
        return False
    return plan.status == "optimal" or (plan.gap is not None and plan.gap <= 1e-9)
