"""A bound on a maximized objective without solving an LP: the total budget row alone.

On very large engagements the solver may stop at its time limit before its first LP
relaxation is solved, and then it has no bound to give: a plan without one would show no
gap at all. Every row dropped from a maximization relaxes it, so the problem with only the
total-budget row (and each variable's own bounds) bounds the true optimum from above. It
is relaxed once more to a fractional knapsack that is solved by sorting: each initiative
counts at its best objective term over its starts and its least use of the budget, and any
other variable at whichever end of its bounds helps most. Valid for every maximized
objective of the formulation; weak when the total budget is not what limits the plan.
"""

import math

import pulp

from itstrat_engine.optimize.formulation import Formulation

__all__ = ["budget_bound"]


def budget_bound(formulation: Formulation) -> float | None:
    """An upper bound on the optimum from the total budget alone; None when minimizing.

    None too when a variable with an objective term has no finite bounds (the relaxation
    would be unbounded).
    """
    if not formulation.maximize:
        return None
    objective = formulation.problem.objective
    row = formulation.rows.get(("budget-total",))
    if row is None or row.sense != pulp.LpConstraintLE:
        row = None
    use: dict[pulp.LpVariable, float] = dict(row.items()) if row is not None else {}
    capacity = -row.constant if row is not None else math.inf  # the row reads `use + constant <= 0`
    start_of = {var: item_id for (item_id, _), var in formulation.x.items()}
    chosen_of = {var: item_id for item_id, var in formulation.chosen.items()}
    gain: dict[str, float] = {}
    start_gain: dict[str, float] = {}
    weight: dict[str, float] = {}
    value = float(objective.constant)
    items: list[tuple[float, float]] = []  # (objective, budget use) of a whole, divisible item
    # Only variables in the objective or the budget row count (and every start, so each
    # initiative's least use is over all of them); `problem.variables()` would rescan rows.
    variables = dict.fromkeys(
        [*formulation.x.values(), *formulation.chosen.values(), *objective.keys(), *use]
    )
    for var in variables:
        c = objective.get(var, 0.0)
        a = use.get(var, 0.0)
        if var in chosen_of:
            gain[chosen_of[var]] = c
            continue
        item_id = start_of.get(var)
        if item_id is not None:
            start_gain[item_id] = max(start_gain.get(item_id, -math.inf), c)
            weight[item_id] = min(weight.get(item_id, math.inf), a)
            continue
        low, high = var.lowBound, var.upBound
        if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
            if c or a:
                return None
            continue
        # Count the variable at its lower bound, then see what raising it to the upper does.
        value += c * low
        capacity -= a * low
        items.append((c * (high - low), a * (high - low)))
    for item_id, best in start_gain.items():
        items.append((gain.get(item_id, 0.0) + best, weight[item_id]))
    return value + _fractional_knapsack(items, capacity)


def _fractional_knapsack(items: list[tuple[float, float]], capacity: float) -> float:
    """The most objective from items taken in fractions within `capacity` (an upper bound).

    An item that frees budget (use <= 0) is taken for nothing, its objective counted only
    when it is a gain: more room and no loss can only raise the bound.
    """
    total = 0.0
    room = capacity
    ranked = []
    for gained, used in items:
        if used <= 0:
            total += max(gained, 0.0)
            room -= used
        elif gained > 0:
            ranked.append((gained / used, gained, used))
    ranked.sort(reverse=True)
    for _, gained, used in ranked:
        if room <= 0:
            break
        share = min(1.0, room / used)
        total += gained * share
        room -= used * share
    return total
