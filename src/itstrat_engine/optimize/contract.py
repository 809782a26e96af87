"""The planning semantics of DESIGN section 4, computed directly from a schedule.

This module is the reference the formulation is checked against: it knows nothing of PuLP.
A *schedule* maps each selected initiative id to its start period ``s``; the initiative runs
in ``s .. s + duration - 1`` and finishes at ``f = s + duration`` (exclusive).

- One-off `cost` and each skill's `effort` are spread over the running periods by
  `Initiative.shares` (evenly unless a `profile` is given).
- `run_cost` is spent in every period from ``f`` to the end of the horizon.
- Skill hours above in-house capacity are bought from contractors (at most their `max`), at
  `rate` per hour, and count as spend.
- Objective values: ``value`` with timing ``once`` (sum of values), ``after-finish`` (value
  for each period from go-live to the end of the horizon) or ``discounted`` (that stream
  discounted: ``value / (1 + r) ** t`` for each period ``t`` from ``f`` to the end);
  ``coverage`` (sum over issues of priority x min(1, sum of fractions resolved by selected
  initiatives)); ``makespan`` (latest finish); ``cost`` (total spend).
"""

import math
from collections.abc import Mapping

import attrs

from itstrat_engine.model import MAX_AMOUNT, Engagement, Initiative, PlanSettings
from itstrat_engine.optimize.result import PeriodUse, SkillUse

__all__ = [
    "Schedule",
    "SkillLimit",
    "coverage",
    "issue_priority",
    "objective_value",
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


def usage(engagement: Engagement, schedule: Schedule) -> tuple[PeriodUse, ...]:
    """Spend and skill hours per period, buying only the contractor hours needed."""
    periods = engagement.periods
    capacity = engagement.capacity
    budgets = engagement.per_period(capacity.budget_per_period)
    limits = skill_limits(engagement)
    skills = list(limits)
    spend: list[list[float]] = [[] for _ in range(periods)]
    hours: dict[str, list[list[float]]] = {k: [[] for _ in range(periods)] for k in skills}
    running: list[list[str]] = [[] for _ in range(periods)]
    for item_id in sorted(schedule):
        item = engagement.initiative_by_id[item_id]
        start = schedule[item_id]
        for offset, share in enumerate(item.shares()):
            t = start + offset
            spend[t].append(item.cost * share)
            running[t].append(item_id)
            for skill, total in item.effort.items():
                hours[skill][t].append(total * share)
        for t in range(start + item.duration, periods):
            spend[t].append(item.run_cost)
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
    return math.fsum(row.spend for row in rows)
