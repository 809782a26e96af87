"""Check a plan against the engagement, independently of how it was formulated.

`verify` recomputes every period's spend and skill hours from the schedule with
`itstrat_engine.optimize.contract` (the semantics of DESIGN section 4, written without PuLP)
and checks every rule: windows and horizon, gates, requires (selected and finished first),
exclusions, groups, the required coverage of the cost objective, period and total budgets,
fiscal-year, capex and opex budgets, funding pools (a maximum flow decides what they can
pay), skill hours against capacity plus contractors,
contractor limits, and that the reported usage and objective value are what the schedule
gives. It returns the violations; an empty tuple means the plan keeps every promise.
"""

import math

from itstrat_engine.errors import Problem
from itstrat_engine.model import Engagement
from itstrat_engine.optimize.contract import (
    coverage,
    issue_priority,
    money_rows,
    objective_value,
    pool_funding,
    usage,
    window,
)
from itstrat_engine.optimize.result import Plan

__all__ = ["exceeds", "verify"]

_RELATIVE = 1e-6
_ABSOLUTE = 1e-6


def exceeds(amount: float, limit: float) -> bool:
    """Whether `amount` is above `limit` beyond the tolerance every check here allows."""
    return amount > limit + max(_ABSOLUTE, _RELATIVE * abs(limit))


def _differs(a: float, b: float) -> bool:
    return not math.isclose(a, b, rel_tol=_RELATIVE, abs_tol=_ABSOLUTE)


def verify(plan: Plan, engagement: Engagement) -> tuple[Problem, ...]:
    """Every way `plan` breaks the engagement's rules (empty when it keeps them all).

    Use the engagement the plan was optimized for: `plan.engagement` when rule packs set
    values or gates. A plan without a schedule (infeasible, no solution) has nothing to
    check and passes.
    """
    if not plan.status.has_plan:
        return ()
    problems: list[Problem] = []

    def violation(path: str, message: str) -> None:
        problems.append(Problem(code="violation", path=path, message=message))

    by_id = engagement.initiative_by_id
    listed = [item.id for item in plan.initiatives]
    if sorted(listed) != sorted(by_id) or len(listed) != len(set(listed)):
        violation("initiatives", "the plan does not list every initiative exactly once")
        return tuple(problems)
    schedule: dict[str, int] = {}
    for entry in plan.initiatives:
        item = by_id[entry.id]
        path = f"initiatives[{entry.id}]"
        if not entry.selected:
            if entry.start is not None or entry.finish is not None:
                violation(path, "an unselected initiative has a start or finish")
            if item.mandatory:
                violation(path, "a mandatory initiative is not selected")
            continue
        if entry.start is None or entry.finish is None:
            violation(path, "a selected initiative has no start or finish")
            continue
        schedule[entry.id] = entry.start
        first, last = window(engagement, item)
        if item.forbidden:
            violation(path, "a forbidden initiative is selected")
        if entry.finish != entry.start + item.duration:
            violation(
                path, f"finish {entry.finish} is not start {entry.start} + duration {item.duration}"
            )
        if entry.start < first:
            violation(path, f"starts in period {entry.start}, before its earliest period {first}")
        if entry.finish - 1 > last:
            violation(path, f"runs until period {entry.finish - 1}, after its deadline {last}")
        if entry.start < 0 or entry.finish > engagement.periods:
            violation(path, "runs outside the horizon")
    for item_id, start in sorted(schedule.items()):
        for required in by_id[item_id].requires:
            if required not in schedule:
                violation(
                    f"initiatives[{item_id}]", f"requires {required!r}, which is not selected"
                )
            elif schedule[required] + by_id[required].duration > start:
                violation(f"initiatives[{item_id}]", f"starts before {required!r} finishes")
        for other in by_id[item_id].excludes:
            if other in schedule:
                violation(
                    f"initiatives[{item_id}]",
                    f"selected together with {other!r}, which it excludes",
                )
    for group in engagement.groups:
        count = sum(1 for member in group.members if member in schedule)
        broken = (
            (group.kind == "at_most" and count > group.count)
            or (group.kind == "at_least" and count < group.count)
            or (group.kind == "exactly" and count != group.count)
        )
        if broken:
            violation(
                f"groups[{group.id}]",
                f"{count} members selected, rule is {group.kind} {group.count}",
            )

    expected = usage(engagement, schedule)
    if len(expected) != len(plan.usage):
        violation("usage", "the plan does not report one usage row per period")
        return tuple(problems)
    capacity = engagement.capacity
    for row, reported in zip(expected, plan.usage, strict=True):
        path = f"usage[{row.label}]"
        if _differs(row.spend, reported.spend):
            violation(
                f"{path}.spend",
                f"reported spend {reported.spend} but the schedule gives {row.spend}",
            )
        for name in ("capex", "benefit"):
            if _differs(getattr(row, name), getattr(reported, name)):
                violation(
                    f"{path}.{name}",
                    f"reported {name} {getattr(reported, name)} but the schedule gives "
                    f"{getattr(row, name)}",
                )
        if row.budget is not None and exceeds(row.spend, row.budget):
            violation(
                f"{path}.spend",
                f"spend {row.spend:,.2f} exceeds the period budget {row.budget:,.2f}",
            )
        for skill, use in row.skills.items():
            got = reported.skills.get(skill)
            if got is None or _differs(got.used, use.used):
                violation(f"{path}.skills.{skill}", "reported hours differ from the schedule's")
            available = (use.capacity or 0.0) + use.contractor
            if exceeds(use.used, available):
                violation(
                    f"{path}.skills.{skill}",
                    f"{use.used:,.1f} h needed, {use.capacity or 0:,.1f} h in house "
                    f"+ {use.contractor:,.1f} h contractors",
                )
        for skill, contractor in capacity.contractors.items():
            limit = engagement.per_period(contractor.max, 0.0)[row.period]
            hired = row.skills[skill].contractor if skill in row.skills else 0.0
            if exceeds(hired, limit):
                violation(
                    f"{path}.skills.{skill}.contractor",
                    f"{hired} contractor hours exceed the maximum {limit}",
                )
    for budget in money_rows(engagement):
        spent = budget.spent(expected)
        if exceeds(spent, budget.limit):
            violation(
                f"budgets[{'.'.join(budget.key)}]",
                f"spend {spent:,.2f} exceeds the {budget.name} of {budget.limit:,.2f}",
            )
    total = math.fsum(row.spend for row in expected)
    pooled = math.fsum(pool_funding(engagement, schedule).values())
    if capacity.budget is not None and exceeds(total - pooled, capacity.budget):
        paid = f" ({pooled:,.2f} of it paid by funding pools)" if pooled else ""
        violation(
            "total_spend",
            f"total spend {total:,.2f}{paid} exceeds the budget {capacity.budget:,.2f}",
        )
    if _differs(total, plan.total_spend):
        violation(
            "total_spend", f"reported total spend {plan.total_spend} but the schedule gives {total}"
        )
    settings = engagement.plan
    if settings.objective == "cost":
        weights = {q.id: issue_priority(engagement, q.id) for q in engagement.issues}
        covered = math.fsum(
            weights[q] * share for q, share in sorted(coverage(engagement, schedule).items())
        )
        needed = (settings.coverage or 0.0) * math.fsum(weights.values())
        if covered < needed - max(_ABSOLUTE, _RELATIVE * needed):
            violation(
                "coverage",
                f"covers {covered:,.4g} of the issue weight, the plan requires {needed:,.4g}",
            )
    if plan.objective != settings.objective or plan.timing != settings.timing:
        violation("objective", "the plan's objective settings differ from the engagement's")
    elif plan.objective_value is not None:
        value = objective_value(engagement, schedule, settings, expected)
        if _differs(value, plan.objective_value):
            violation(
                "objective_value", f"reported {plan.objective_value} but the schedule gives {value}"
            )
    return tuple(problems)
