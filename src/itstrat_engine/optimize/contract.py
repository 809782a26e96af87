"""The planning semantics of DESIGN section 4, computed directly from a schedule.

This module is the reference the formulation is checked against: it knows nothing of PuLP.
A *schedule* maps each selected initiative id to its start period ``s``; the initiative runs
in ``s .. s + duration - 1`` and finishes at ``f = s + duration`` (exclusive).

- One-off `cost` and each skill's `effort` are spread over the running periods by
  `Initiative.shares` (evenly unless a `profile` is given).
- `run_cost` is spent in every period from ``f`` to the end of the horizon.
- Skill hours above in-house capacity are bought from contractors (at most their `max`), at
  `rate` per hour, and count as spend.
- Money kinds: a one-off `cost` is capex or opex by its `cost_kind`; run costs (negative
  for savings) and contractor spend are opex. `benefit` is earned in every period from
  ``f`` on, scaled by `benefit_ramp` in the first periods after go-live.
- Budgets (`money_rows` beside the period and total budgets): per fiscal year (all spend in
  the year's periods), capex and opex per period and per fiscal year. Funding pools pay up
  to their amount for the cost and run costs of initiatives with one of their tags; what
  they pay (`pool_funding`) does not count against the total budget.
- Objective values: ``value`` with timing ``once`` (sum of values), ``after-finish`` (value
  for each period from go-live to the end of the horizon) or ``discounted`` (that stream
  discounted: ``value / (1 + r) ** t`` for each period ``t`` from ``f`` to the end);
  ``coverage`` (sum over issues of priority x min(1, sum of fractions resolved by selected
  initiatives)); ``makespan`` (latest finish); ``cost`` (total spend); ``npv`` (the cash
  flow ``benefit_t - spend_t`` of every period ``t``, discounted by ``(1 + r) ** t``).
"""

import math
from collections.abc import Mapping, Sequence

import attrs
import networkx as nx

from itstrat_engine.model import MAX_AMOUNT, Engagement, Initiative, PlanSettings
from itstrat_engine.optimize.result import PeriodUse, SkillUse

__all__ = [
    "MoneyRow",
    "Schedule",
    "SkillLimit",
    "coverage",
    "discount",
    "issue_priority",
    "money_flows",
    "money_rows",
    "npv",
    "objective_value",
    "own_spend",
    "pool_funding",
    "pool_members",
    "present_value",
    "skill_limits",
    "timed_value",
    "usage",
    "window",
]

Schedule = Mapping[str, int]


def window(engagement: Engagement, item: Initiative) -> tuple[int, int]:
    """The first and last period an initiative may run in (inclusive), from its own window."""
    first = engagement.scope.index(item.earliest) if item.earliest is not None else 0
    last = engagement.scope.index(item.deadline) if item.deadline is not None else None
    return (first or 0), (engagement.periods - 1 if last is None else last)


def value_of(item: Initiative) -> float:
    """The initiative's plain value (0 when it has none)."""
    return item.value or 0.0


def timed_value(
    engagement: Engagement, item: Initiative, start: int, settings: PlanSettings
) -> float:
    """What selecting `item` to start at `start` is worth under the plan's value timing."""
    value = value_of(item)
    finish = start + item.duration
    if settings.timing == "once":
        return value
    if settings.timing == "after-finish":
        return value * max(0, engagement.periods - finish)
    rate = settings.discount_rate
    return math.fsum(value / (1 + rate) ** t for t in range(finish, engagement.periods))


def discount(rate: float, period: int) -> float:
    """The factor ``1 / (1 + rate) ** period`` (`rate` per period, the plan's discount_rate)."""
    return 1.0 / (1.0 + rate) ** period


@attrs.frozen
class MoneyRow:
    """A budget beyond the period and total ones: the spend of `kinds` in `periods`.

    `key` names the row in the formulation and in diagnoses (``("opex-year", "FY2028")``);
    `name` is how a person says it (``FY2028 opex budget``).
    """

    key: tuple[str, ...]
    name: str
    periods: tuple[int, ...]
    kinds: frozenset[str]
    limit: float

    def spent(self, rows: Sequence[PeriodUse]) -> float:
        """What the usage rows spend of this budget's kinds in its periods."""
        return math.fsum(
            (rows[t].capex if "capex" in self.kinds else 0.0)
            + (rows[t].opex if "opex" in self.kinds else 0.0)
            for t in self.periods
        )


_BOTH = frozenset({"capex", "opex"})


def money_rows(engagement: Engagement) -> tuple[MoneyRow, ...]:
    """Every finite fiscal-year, capex and opex budget of the engagement, in a fixed order."""
    capacity = engagement.capacity
    labels = engagement.scope.labels
    years = engagement.fiscal_years
    rows = []
    for kind in ("capex", "opex"):
        for t, limit in enumerate(engagement.per_period(getattr(capacity, f"{kind}_per_period"))):
            if math.isfinite(limit):
                rows.append(
                    MoneyRow(
                        (kind, labels[t]),
                        f"{labels[t]} {kind} budget",
                        (t,),
                        frozenset({kind}),
                        limit,
                    )
                )
    for prefix, kinds in (
        ("budget", _BOTH),
        ("capex", frozenset({"capex"})),
        ("opex", frozenset({"opex"})),
    ):
        per_year = engagement.per_year(getattr(capacity, f"{prefix}_per_year"))
        for year, limit in per_year.items():
            if math.isfinite(limit):
                periods = tuple(t for t, y in enumerate(years) if y == year)
                name = f"{year} budget" if prefix == "budget" else f"{year} {prefix} budget"
                rows.append(MoneyRow((f"{prefix}-year", year), name, periods, kinds, limit))
    return tuple(rows)


def own_spend(engagement: Engagement, item: Initiative, start: int) -> float:
    """All that `item` started at `start` spends over the horizon: cost and run costs."""
    return item.cost + item.run_cost * (engagement.periods - start - item.duration)


def pool_members(engagement: Engagement) -> dict[str, tuple[str, ...]]:
    """For each funding pool, the initiatives it may pay for (one of its tags), by id."""
    return {
        pool.id: tuple(
            item.id for item in engagement.initiatives if set(item.tags) & set(pool.tags)
        )
        for pool in engagement.capacity.pools
    }


def pool_funding(engagement: Engagement, schedule: Schedule) -> dict[str, float]:
    """The most each pool can pay for a schedule, allocated by a maximum flow.

    Pools pay for their members' own spend (`own_spend`, a saving pays nothing back); the
    maximum flow from the pools through the selected members they may pay for is the most
    the pools can take off the total budget together.
    """
    pools = engagement.capacity.pools
    if not pools:
        return {}
    by_id = engagement.initiative_by_id
    network = nx.DiGraph()
    for pool, members in zip(pools, pool_members(engagement).values(), strict=True):
        network.add_edge("source", ("pool", pool.id), capacity=pool.amount)
        for item_id in members:
            if item_id in schedule:
                network.add_edge(("pool", pool.id), ("item", item_id))
    for item_id, start in schedule.items():
        spent = own_spend(engagement, by_id[item_id], start)
        if spent > 0 and network.has_node(("item", item_id)):
            network.add_edge(("item", item_id), "sink", capacity=spent)
    if not network.has_node("sink"):
        return {pool.id: 0.0 for pool in pools}
    _, flow = nx.maximum_flow(network, "source", "sink")
    return {pool.id: float(flow["source"][("pool", pool.id)]) for pool in pools}


def issue_priority(engagement: Engagement, issue_id: str) -> float:
    """An issue's weight in the coverage objective: its severity, 1 when it has none."""
    issue = engagement.issue_by_id[issue_id]
    return 1.0 if issue.severity is None else issue.severity


def coverage(engagement: Engagement, schedule: Schedule) -> dict[str, float]:
    """Covered share of each issue: min(1, sum of fractions resolved by selected initiatives)."""
    covered = {issue.id: 0.0 for issue in engagement.issues}
    for item_id in sorted(schedule):
        for issue_id, fraction in engagement.initiative_by_id[item_id].addresses.items():
            covered[issue_id] += fraction
    return {issue_id: min(1.0, share) for issue_id, share in covered.items()}


@attrs.frozen
class SkillLimit:
    """One skill's hours per period: in house, at most from contractors, and their rate."""

    in_house: tuple[float, ...]
    hire_max: tuple[float, ...]
    rate: float


def skill_limits(engagement: Engagement) -> dict[str, SkillLimit]:
    """Every skill with capacity or contractors, sorted by name; missing parts count as 0."""
    capacity = engagement.capacity
    limits = {}
    for skill in sorted(set(capacity.skills) | set(capacity.contractors)):
        contractor = capacity.contractors.get(skill)
        limits[skill] = SkillLimit(
            in_house=engagement.per_period(capacity.skills.get(skill), 0.0),
            # More contractor hours than MAX_AMOUNT mean "unlimited": keep the bound finite.
            hire_max=tuple(
                min(h, MAX_AMOUNT)
                for h in engagement.per_period(contractor.max if contractor else 0.0, 0.0)
            ),
            rate=contractor.rate if contractor else 0.0,
        )
    return limits


def money_flows(
    engagement: Engagement, item: Initiative, start: int
) -> list[tuple[int, float, float, float]]:
    """``(period, spend, its capex part, benefit)`` of `item` started at `start`.

    Its one-off cost while it runs (capex or opex by `cost_kind`), then its run cost (opex;
    negative for a saving) and its benefit every period from go-live to the horizon's end.
    Contractor spend belongs to the plan, not to one initiative.
    """
    capital = item.cost_kind == "capex"
    flows = [
        (start + offset, item.cost * share, item.cost * share if capital else 0.0, 0.0)
        for offset, share in enumerate(item.shares())
    ]
    finish = start + item.duration
    flows += [
        (t, item.run_cost, 0.0, item.benefit_in(t, finish))
        for t in range(finish, engagement.periods)
    ]
    return flows


def usage(engagement: Engagement, schedule: Schedule) -> tuple[PeriodUse, ...]:
    """Spend and skill hours per period, buying only the contractor hours needed."""
    periods = engagement.periods
    capacity = engagement.capacity
    budgets = engagement.per_period(capacity.budget_per_period)
    limits = skill_limits(engagement)
    skills = list(limits)
    spend: list[list[float]] = [[] for _ in range(periods)]
    capex: list[list[float]] = [[] for _ in range(periods)]
    benefit: list[list[float]] = [[] for _ in range(periods)]
    hours: dict[str, list[list[float]]] = {k: [[] for _ in range(periods)] for k in skills}
    running: list[list[str]] = [[] for _ in range(periods)]
    for item_id in sorted(schedule):
        item = engagement.initiative_by_id[item_id]
        start = schedule[item_id]
        for offset, share in enumerate(item.shares()):
            t = start + offset
            running[t].append(item_id)
            for skill, total in item.effort.items():
                hours[skill][t].append(total * share)
        for t, money, capital, earned in money_flows(engagement, item, start):
            spend[t].append(money)
            capex[t].append(capital)
            benefit[t].append(earned)
    rows = []
    for t in range(periods):
        skill_use = {}
        for k, limit in limits.items():
            used = math.fsum(hours[k][t])
            bought = min(limit.hire_max[t], max(0.0, used - limit.in_house[t]))
            if bought > 0:
                spend[t].append(bought * limit.rate)
            skill_use[k] = SkillUse(used=used, capacity=limit.in_house[t], contractor=bought)
        rows.append(
            PeriodUse(
                period=t,
                label=engagement.scope.labels[t],
                spend=math.fsum(spend[t]),
                budget=budgets[t] if math.isfinite(budgets[t]) else None,
                skills=skill_use,
                running=tuple(running[t]),
                capex=math.fsum(capex[t]),
                benefit=math.fsum(benefit[t]),
            )
        )
    return tuple(rows)


def objective_value(
    engagement: Engagement,
    schedule: Schedule,
    settings: PlanSettings,
    period_usage: tuple[PeriodUse, ...] | None = None,
) -> float:
    """The plan's objective, recomputed from the schedule alone."""
    if settings.objective == "value":
        return math.fsum(
            timed_value(engagement, engagement.initiative_by_id[i], s, settings)
            for i, s in sorted(schedule.items())
        )
    if settings.objective == "coverage":
        covered = coverage(engagement, schedule)
        return math.fsum(
            issue_priority(engagement, q) * share for q, share in sorted(covered.items())
        )
    if settings.objective == "makespan":
        return float(
            max(
                (s + engagement.initiative_by_id[i].duration for i, s in schedule.items()),
                default=0,
            )
        )
    rows = usage(engagement, schedule) if period_usage is None else period_usage
    if settings.objective == "npv":
        return npv(rows, settings.discount_rate)
    return math.fsum(row.spend for row in rows)


def npv(rows: tuple[PeriodUse, ...], rate: float) -> float:
    """The net present value of a plan's cash flows (benefit minus spend, per period)."""
    return present_value([row.net for row in rows], rate)


def present_value(flows: Sequence[float], rate: float) -> float:
    """``sum_t flows[t] / (1 + rate) ** t``: period 0 is not discounted."""
    return math.fsum(flow * discount(rate, t) for t, flow in enumerate(flows))
