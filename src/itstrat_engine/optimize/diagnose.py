"""Explain infeasibility in the user's terms: re-solve an elastic model.

Infeasibility visible without a solver is caught earlier, by `prepare` (presolve).
`diagnose` re-solves an elastic version of the model (slack on every budget, skill,
mandatory, group and coverage row; minimize the normalized slack) and reports each row
that had to give, by how much, and what runs then::

    2027-Q3 budget short by 41,200 while m365 and erp run
"""

import math

import attrs

from itstrat_engine.formatting import hours, money, names
from itstrat_engine.optimize.contract import issue_priority, money_rows, skill_limits
from itstrat_engine.optimize.formulation import formulate
from itstrat_engine.optimize.preparation import Prepared
from itstrat_engine.optimize.result import Finding
from itstrat_engine.optimize.solution import Solution, solve

__all__ = ["diagnose"]

_SLACK_TOLERANCE = 1e-6


def diagnose(prepared: Prepared, *, time_limit: float | None = None) -> tuple[Finding, ...]:
    """Re-solve with slack on every soft row and report the rows that must give.

    `time_limit` (seconds, default the settings') bounds the elastic re-solve, so a caller
    can keep a whole call inside its own limit.
    """
    formulation = formulate(prepared, elastic=True)
    settings = prepared.settings
    if time_limit is not None:
        settings = attrs.evolve(settings, time_limit=max(time_limit, 1e-3))
    solution = solve(formulation, settings)
    if not solution.has_solution:
        return (
            Finding(
                kind="undiagnosed",
                message=f"the elastic re-solve found no answer ({solution.message}); "
                "try a longer time limit to get a diagnosis",
            ),
        )
    return _findings(prepared, solution)


def _findings(prepared: Prepared, solution: Solution) -> tuple[Finding, ...]:
    engagement = prepared.effective
    settings = prepared.settings
    labels = engagement.scope.labels
    currency = engagement.scope.currency
    schedule = solution.schedule
    by_id = engagement.initiative_by_id

    def running(label: str) -> tuple[str, ...]:
        t = labels.index(label)
        return tuple(sorted(i for i, s in schedule.items() if s <= t < s + by_id[i].duration))

    limits = skill_limits(engagement)
    budgets = {row.key: row for row in money_rows(engagement)}
    findings = []
    for key, amount in solution.slacks.items():
        if amount <= _SLACK_TOLERANCE:
            continue
        kind = key[0]
        if key in budgets:
            budget = budgets[key]
            items = tuple(sorted({i for t in budget.periods for i in running(labels[t])}))
            message = f"{budget.name} short by {money(amount, currency)} while {names(items)} run"
            findings.append(
                Finding(kind=kind, message=message, shortfall=amount, period=key[1], items=items)
            )
        elif kind == "pool":
            message = f"funding pool {key[1]} short by {money(amount, currency)}"
            findings.append(Finding(kind=kind, message=message, shortfall=amount))
        elif kind == "budget":
            items = running(key[1])
            message = f"{key[1]} budget short by {money(amount, currency)} while {names(items)} run"
            findings.append(
                Finding(kind=kind, message=message, shortfall=amount, period=key[1], items=items)
            )
        elif kind == "budget-total":
            message = f"total budget short by {money(amount, currency)}"
            findings.append(
                Finding(kind=kind, message=message, shortfall=amount, items=tuple(sorted(schedule)))
            )
        elif kind == "skill":
            skill, label = key[1], key[2]
            items = running(label)
            own = limits[skill].in_house[labels.index(label)]
            message = (
                f"{skill} short by {hours(amount)} in {label} (capacity {hours(own)}) "
                f"while {names(items)} run"
            )
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
