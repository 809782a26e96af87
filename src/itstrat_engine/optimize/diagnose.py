"""Explain infeasibility in the user's terms.

Two stages. `presolve` catches what needs no solver: mandatory work that cannot be scheduled
at all (its window, its requires chain or a forbidden prerequisite), mandatory work that
needs more of a skill in some period than capacity plus contractors can ever give, or more
money in a period than the period budget, and mandatory work whose one-off cost alone
exceeds the total budget. `diagnose` re-solves an elastic version of the model (slack on
every budget, skill, mandatory, group and coverage row; minimize the normalized slack) and
reports each row that had to give, by how much, and what runs then::

    2027-Q3 budget short by 41,200 while m365 and erp run
"""

import math

from itstrat_engine.model import Engagement, PlanSettings
from itstrat_engine.optimize.contract import SkillLimit, issue_priority, skill_limits
from itstrat_engine.optimize.formulate import Formulation, formulate, start_options
from itstrat_engine.optimize.result import Finding
from itstrat_engine.optimize.solve import solve

__all__ = ["diagnose", "presolve"]

_SLACK_TOLERANCE = 1e-6


def _money(amount: float, currency: str) -> str:
    return f"{amount:,.0f} {currency}".strip()


def _names(items: list[str] | tuple[str, ...]) -> str:
    if not items:
        return "nothing"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def presolve(engagement: Engagement) -> tuple[Finding, ...]:
    """Infeasibilities visible without a solver, for mandatory work (empty when none)."""
    findings: list[Finding] = []
    labels = engagement.scope.labels
    capacity = engagement.capacity
    starts = start_options(engagement)
    budgets = engagement.per_period(capacity.budget_per_period)
    limits = skill_limits(engagement)
    currency = engagement.scope.currency
    for item in engagement.initiatives:
        if not item.mandatory:
            continue
        if not starts[item.id]:
            findings.append(
                Finding(
                    kind="unschedulable",
                    message=f"mandatory {item.id} cannot be scheduled: its window, its prerequisites "
                    f"or the horizon ({labels[0]}..{labels[-1]}) leave no start period",
                    items=(item.id,),
                )
            )
            continue
        blocks = [_start_blocker(engagement, item.id, s, budgets, limits) for s in starts[item.id]]
        if all(blocks):
            kind, message, shortfall, period = min(
                (b for b in blocks if b is not None), key=lambda b: (b[2], b[3])
            )
            findings.append(
                Finding(
                    kind=kind, message=message, shortfall=shortfall, period=period, items=(item.id,)
                )
            )
    mandatory_cost = math.fsum(i.cost for i in engagement.initiatives if i.mandatory)
    if capacity.budget is not None and mandatory_cost > capacity.budget * (1 + 1e-9):
        findings.append(
            Finding(
                kind="budget-total",
                message=f"mandatory work costs {_money(mandatory_cost, currency)} before run costs, "
                f"the total budget is {_money(capacity.budget, currency)}",
                shortfall=mandatory_cost - capacity.budget,
                items=tuple(i.id for i in engagement.initiatives if i.mandatory),
            )
        )
    return tuple(findings)


def _start_blocker(
    engagement: Engagement,
    item_id: str,
    start: int,
    budgets: tuple[float, ...],
    limits: dict[str, SkillLimit],
) -> tuple[str, str, float, str] | None:
    """Why starting `item_id` at `start` is impossible on its own, or None if it is not."""
    item = engagement.initiative_by_id[item_id]
    labels = engagement.scope.labels
    for offset, share in enumerate(item.shares()):
        t = start + offset
        for skill, hours in item.effort.items():
            need = hours * share
            own, extra = limits[skill].in_house[t], limits[skill].hire_max[t]
            if need > own + extra + 1e-9:
                return (
                    "skill",
                    f"mandatory {item_id} needs {need:,.0f} h of {skill} in {labels[t]}, "
                    f"capacity {own:,.0f} h" + (f" + {extra:,.0f} h contractors" if extra else ""),
                    need - own - extra,
                    labels[t],
                )
        if item.cost * share > budgets[t] + 1e-9:
            return (
                "budget",
                (
                    f"mandatory {item_id} needs {_money(item.cost * share, engagement.scope.currency)} "
                    f"in {labels[t]}, the period budget is {_money(budgets[t], engagement.scope.currency)}"
                ),
                item.cost * share - budgets[t],
                labels[t],
            )
    return None


def diagnose(engagement: Engagement, settings: PlanSettings) -> tuple[Finding, ...]:
    """Re-solve with slack on every soft row and report the rows that must give."""
    formulation = formulate(engagement, settings, elastic=True)
    outcome = solve(formulation, settings)
    if not outcome.has_solution:
        return (
            Finding(
                kind="undiagnosed",
                message=f"the elastic re-solve found no answer ({outcome.message}); "
                "try a longer time limit to get a diagnosis",
            ),
        )
    return _findings(engagement, settings, formulation)


def _findings(
    engagement: Engagement, settings: PlanSettings, formulation: Formulation
) -> tuple[Finding, ...]:
    labels = engagement.scope.labels
    currency = engagement.scope.currency
    schedule = {
        i: s for (i, s), var in sorted(formulation.x.items()) if (var.varValue or 0.0) > 0.5
    }
    by_id = engagement.initiative_by_id

    def running(label: str) -> tuple[str, ...]:
        t = labels.index(label)
        return tuple(sorted(i for i, s in schedule.items() if s <= t < s + by_id[i].duration))

    limits = skill_limits(engagement)
    findings = []
    for key, var in formulation.slack.items():
        amount = var.varValue or 0.0
        if amount <= _SLACK_TOLERANCE:
            continue
        kind = key[0]
        if kind == "budget":
            items = running(key[1])
            message = (
                f"{key[1]} budget short by {_money(amount, currency)} while {_names(items)} run"
            )
            findings.append(
                Finding(kind=kind, message=message, shortfall=amount, period=key[1], items=items)
            )
        elif kind == "budget-total":
            message = f"total budget short by {_money(amount, currency)}"
            findings.append(
                Finding(kind=kind, message=message, shortfall=amount, items=tuple(sorted(schedule)))
            )
        elif kind == "skill":
            skill, label = key[1], key[2]
            items = running(label)
            own = limits[skill].in_house[labels.index(label)]
            message = f"{skill} short by {amount:,.0f} h in {label} (capacity {own:,.0f} h) while {_names(items)} run"
            findings.append(
                Finding(kind=kind, message=message, shortfall=amount, period=label, items=items)
            )
        elif kind == "mandatory":
            message = f"mandatory {key[1]} cannot fit alongside the rest of the mandatory work"
            findings.append(Finding(kind=kind, message=message, shortfall=amount, items=(key[1],)))
        elif kind == "group":
            group = next(g for g in engagement.groups if g.id == key[1])
            message = f"group {group.id} ({group.kind} {group.count}) is off by {amount:,.0f}"
            findings.append(
                Finding(kind=kind, message=message, shortfall=amount, items=group.members)
            )
        elif kind == "coverage":
            total = math.fsum(issue_priority(engagement, q.id) for q in engagement.issues)
            share = amount / total if total else 0.0
            message = (
                f"required coverage {settings.coverage or 0:.0%} is out of reach by {share:.1%} "
                "of the issue weight"
            )
            findings.append(Finding(kind=kind, message=message, shortfall=share))
    if not findings:
        findings.append(
            Finding(
                kind="undiagnosed",
                message="the elastic model needed no slack: the infeasibility comes from a hard rule "
                "(requires, excludes or windows)",
            )
        )
    return tuple(findings)
