"""The business case of a plan in money: cash flow, NPV, ROI, payback, and every budget's use.

Figures come from the plan's usage rows (`contract.usage`) and, per initiative, from
`contract.money_flows`; nothing here depends on the solver. For each period ``t``:

- cash flow ``net_t = benefit_t - spend_t`` (spend includes run costs, savings lowering it,
  and, for the plan, contractor spend);
- cumulative cash flow, the running sum of ``net``;
- NPV ``= sum_t net_t / (1 + r) ** t`` at the plan's `discount_rate` ``r`` per period
  (the first period is not discounted);
- ROI ``= (total benefit - total spend) / total spend`` over the horizon, undiscounted
  (None without spend);
- payback: the first period from which the cumulative cash flow stays at or above zero to
  the end of the horizon, as a label and as a count of periods from the horizon's start
  (None when it never breaks even, or when nothing is spent).
"""

import itertools
import math
from collections.abc import Sequence
from typing import Any

import attrs

from itstrat_engine.optimize.contract import money_flows, money_rows, pool_funding, present_value
from itstrat_engine.optimize.result import Plan

__all__ = [
    "BudgetUse",
    "BusinessCase",
    "CashFlow",
    "business_case",
    "business_case_dict",
    "cash_flow",
]


@attrs.frozen(kw_only=True)
class CashFlow:
    """Money out and in per period, and what it adds up to (see the module docstring)."""

    spend: tuple[float, ...]
    benefit: tuple[float, ...]
    net: tuple[float, ...]
    cumulative: tuple[float, ...]
    npv: float
    roi: float | None
    payback: str | None
    payback_periods: int | None

    @property
    def total_spend(self) -> float:
        """All spend over the horizon."""
        return math.fsum(self.spend)

    @property
    def total_benefit(self) -> float:
        """All benefit over the horizon."""
        return math.fsum(self.benefit)


@attrs.frozen(kw_only=True)
class BudgetUse:
    """How much of one fiscal-year, capex or opex budget the plan spends."""

    row: str
    name: str
    spent: float
    limit: float


@attrs.frozen(kw_only=True)
class BusinessCase:
    """The plan's cash flow, each selected initiative's, and every extra budget's use.

    `has_money` is True when anything earns a benefit or saves money, or the objective is
    NPV: the figures then say more than spend does.
    """

    discount_rate: float
    plan: CashFlow
    initiatives: dict[str, CashFlow]
    budgets: tuple[BudgetUse, ...]
    has_money: bool


def cash_flow(
    spend: Sequence[float], benefit: Sequence[float], rate: float, labels: Sequence[str]
) -> CashFlow:
    """The figures of one stream of spend and benefit per period."""
    net = tuple(b - s for s, b in zip(spend, benefit, strict=True))
    cumulative = list(itertools.accumulate(net))
    total_spend = math.fsum(spend)
    payback: int | None = None
    if total_spend > 0:
        for t in range(len(cumulative) - 1, -1, -1):
            if cumulative[t] < 0:
                break
            payback = t
    return CashFlow(
        spend=tuple(spend),
        benefit=tuple(benefit),
        net=net,
        cumulative=tuple(cumulative),
        npv=present_value(net, rate),
        roi=(math.fsum(benefit) - total_spend) / total_spend if total_spend > 0 else None,
        payback=None if payback is None else labels[payback],
        payback_periods=None if payback is None else payback + 1,
    )


def business_case_dict(case: BusinessCase, labels: Sequence[str]) -> dict[str, Any]:
    """The business case as JSON-ready data (the plan file's ``business_case``)."""

    def figures(flow: CashFlow) -> dict[str, Any]:
        return {
            "npv": flow.npv,
            "roi": flow.roi,
            "payback": flow.payback,
            "payback_periods": flow.payback_periods,
            "total_spend": flow.total_spend,
            "total_benefit": flow.total_benefit,
        }

    plan = case.plan
    return {
        "discount_rate": case.discount_rate,
        **figures(plan),
        "cash_flow": [
            {"period": label, "spend": s, "benefit": b, "net": n, "cumulative": c}
            for label, s, b, n, c in zip(
                labels, plan.spend, plan.benefit, plan.net, plan.cumulative, strict=True
            )
        ],
        "initiatives": {item_id: figures(flow) for item_id, flow in case.initiatives.items()},
        "budgets": [attrs.asdict(use) for use in case.budgets],
    }


def business_case(plan: Plan) -> BusinessCase:
    """The business case of a plan with a schedule (empty figures without one)."""
    engagement = plan.engagement
    rate = plan.settings.discount_rate
    labels = engagement.scope.labels
    rows = plan.usage
    initiatives = {}
    for item_id, start in sorted(plan.schedule.items()):
        item = engagement.initiative_by_id[item_id]
        spend = [0.0] * engagement.periods
        benefit = [0.0] * engagement.periods
        for t, money, _, earned in money_flows(engagement, item, start):
            spend[t] += money
            benefit[t] += earned
        initiatives[item_id] = cash_flow(spend, benefit, rate, labels)
    budgets = tuple(
        BudgetUse(
            row=".".join(budget.key),
            name=budget.name,
            spent=budget.spent(rows),
            limit=budget.limit,
        )
        for budget in money_rows(engagement)
        if rows
    )
    if rows and engagement.capacity.pools:
        paid = pool_funding(engagement, plan.schedule)
        budgets += tuple(
            BudgetUse(
                row=f"pool.{pool.id}",
                name=f"funding pool {pool.id}",
                spent=paid[pool.id],
                limit=pool.amount,
            )
            for pool in engagement.capacity.pools
        )
    has_money = plan.objective == "npv" or any(
        item.run_cost < 0 or any(engagement.per_period(item.benefit))
        for item in engagement.initiatives
    )
    spend = [row.spend for row in rows] or [0.0] * len(labels)
    benefit = [row.benefit for row in rows] or [0.0] * len(labels)
    return BusinessCase(
        discount_rate=rate,
        plan=cash_flow(spend, benefit, rate, labels),
        initiatives=initiatives,
        budgets=budgets,
        has_money=has_money,
    )
