"""What binds and what would unlock more: every limit's slack, its next unlock, cheapest mixes.

`limits(plan)` answers, for every period budget, the total budget, every fiscal-year, capex,
opex and pool budget and every skill's in-house hours in every period: how much of it the
plan uses, its slack, whether it binds, and its **next unlock**: the smallest extra amount
of that limit alone that raises the optimum, by how much it raises it, and what the roadmap
then adds, drops and moves. The amount is one solve: minimize an extra column on the row
subject to the objective beating the optimum (by `RAISE`); the raise is a re-plan of the
engagement with the limit raised by that amount (plus `MARGIN` for solver tolerances).

`cheapest_mix(plan, admit=ID)` or `cheapest_mix(plan, target=V)` finds the least extra
money, and then the fewest extra contractor hours, that admit an initiative into a plan at
least as good as this one, or that reach a target value: extra money per period (counted
in that period's budget, the total and the fiscal-year, capex or opex budgets it falls
in), and contractor hours beyond each contractor's maximum at the contractor's rate (paid
from the budgets, so extra money covers them when the budgets bind). Skills without a
contractor cannot be bought.

Honesty as everywhere: an amount is exact only when the base plan and the solve are
proven; otherwise it is the interval the solvers' bounds allow (the least extra to beat the
base plan's value is a lower bound, the least extra to beat its bound an upper bound),
marked unproven. The extra-amount solves run on HiGHS (a continuous column CP-SAT's
scaled model does not carry); the re-plans use the plan's own settings.
"""

import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs
import pulp

from itstrat_engine import formatting
from itstrat_engine.comparison import Delta, Difference, difference
from itstrat_engine.errors import InvalidEngagementError, Problem, did_you_mean
from itstrat_engine.model import MAX_AMOUNT, Engagement
from itstrat_engine.optimize import Plan, Prepared, Status
from itstrat_engine.optimize.contract import money_rows, pool_funding, skill_limits, usage
from itstrat_engine.optimize.formulation import LIMIT_ROWS, Formulation, RowKey, formulate
from itstrat_engine.optimize.planner import plan_prepared
from itstrat_engine.optimize.solution import Solution, run
from itstrat_engine.resolves import (
    SHORTEST,
    TOO_LATE,
    Progress,
    deadline_of,
    limited,
    map_items,
    one_thread,
    seconds_left,
    time_share,
    worker_count,
)

__all__ = ["Amount", "Limits", "Mix", "RowLimit", "cheapest_mix", "limits"]

RAISE = 1e-4
"""How much (absolute, or relative to a larger optimum: `_raise`) an unlock must beat the
optimum by: above the solver's tolerances, below any difference a plan can make."""
MARGIN = 1e-6
"""Added to an extra amount (relative to the limit, at least absolute) before re-planning:
the solver proves the amount up to its feasibility tolerance."""
_BINDS = 1e-6  # slack below this share of the limit: the limit binds
_MAXIMIZED = frozenset({"value", "coverage", "npv"})

Unit = Literal["money", "hours"]


def _json(amount: float) -> float:
    """An amount for JSON: solver noise below a ten-thousandth of a unit left out."""
    return round(amount, 4) + 0.0  # + 0.0: never -0.0


@attrs.frozen(kw_only=True)
class Amount:
    """An extra amount: exact (`proven`, ``low == high``) or the interval the bounds allow.

    `high` is None when no amount was found that certainly suffices.
    """

    low: float
    high: float | None
    proven: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        high = None if self.high is None else _json(self.high)
        return {"low": _json(self.low), "high": high, "proven": self.proven}

    def text(self, unit: Unit = "money") -> str:
        """``41,200`` when proven, ``38,000..41,200 (not proven)`` otherwise.

        >>> Amount(low=4.86, high=4.86, proven=True).text("hours")
        '4.9 h'
        >>> Amount(low=38000.2, high=41199.5, proven=False).text()
        '38,000..41,200 (not proven)'
        """
        if unit == "hours":  # tenths of an hour, rounded outwards: what suffices is shown
            low = f"{math.floor(self.low * 10 + 1e-9) / 10:,.1f}"
            high = "?" if self.high is None else f"{math.ceil(self.high * 10 - 1e-9) / 10:,.1f}"
            if self.proven:
                return f"{high} h"
            return f"{low}..{high} h (not proven)"
        # Whole units, rounded outwards (what suffices is shown): 24,266.7 reads 24,267.
        low = formatting.money(math.floor(self.low + 1e-6))
        high = "?" if self.high is None else formatting.money(math.ceil(self.high - 1e-6))
        return high if self.proven else f"{low}..{high} (not proven)"


@attrs.frozen(kw_only=True)
class RowLimit:
    """One limit of the plan: its use, slack and next unlock.

    `extra` is None when no extra amount of this limit alone raises the optimum: `note`
    says whether that is proven or why it is unknown. `change` is the roadmap with the
    extra amount against the plan (`admits` its added initiatives) and `gain` the value
    it raises the optimum by.
    """

    key: RowKey
    name: str
    unit: Unit
    limit: float
    used: float
    binds: bool
    extra: Amount | None = None
    gain: Delta | None = None
    change: Difference | None = None
    note: str = ""

    @property
    def slack(self) -> float:
        """What is left of the limit (never negative)."""
        return max(0.0, self.limit - self.used)

    @property
    def admits(self) -> tuple[str, ...]:
        """The initiatives the extra amount brings into the roadmap."""
        return () if self.change is None else self.change.added

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the rows of `itstrat limits --format json`)."""
        return {
            "key": list(self.key),
            "name": self.name,
            "unit": self.unit,
            "limit": self.limit,
            "used": _json(self.used),
            "slack": _json(self.slack),
            "binds": self.binds,
            "next_unlock": None
            if self.extra is None
            else {
                "extra": self.extra.as_dict(),
                "gain": None if self.gain is None else self.gain.as_dict(),
                "admits": list(self.admits),
                "change": None if self.change is None else self.change.as_dict(),
            },
            "note": self.note,
        }


@attrs.frozen(kw_only=True)
class Limits:
    """Every limit of a plan (`rows`, in a fixed order: budgets, then skills by period)."""

    plan: Plan = attrs.field(eq=False, repr=False)
    rows: tuple[RowLimit, ...]

    @property
    def proven(self) -> bool:
        """Whether every amount and raise shown is proven."""
        return all(
            (r.extra is None or r.extra.proven) and (r.gain is None or r.gain.proven)
            for r in self.rows
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"proven": self.proven, "rows": [row.as_dict() for row in self.rows]}


@attrs.frozen(kw_only=True)
class Mix:
    """The cheapest extra money and contractor hours for a goal, and the plan they give.

    `money` maps the budgets an extra amount goes to (``"2027-Q3 budget, total budget"``)
    to the amount; `hours` maps ``(skill, period label)`` to contractor hours beyond the
    maximum. `total` is the extra money, exact or an interval. `plan` is the re-plan with
    the mix (the admitted initiative forced in), `reached` whether it meets the goal.
    `note` says why there is no mix when `total` is None.
    """

    goal: str
    total: Amount | None
    money: Mapping[str, float] = attrs.field(factory=dict)
    hours: Mapping[tuple[str, str], float] = attrs.field(factory=dict)
    plan: Plan | None = attrs.field(default=None, eq=False, repr=False)
    reached: bool = False
    change: Difference | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``mix`` of `itstrat limits --format json`)."""
        return {
            "goal": self.goal,
            "total": None if self.total is None else self.total.as_dict(),
            "money": [{"budgets": k, "amount": _json(v)} for k, v in self.money.items()],
            "hours": [
                {"skill": s, "period": p, "hours": _json(h)} for (s, p), h in self.hours.items()
            ],
            "status": None if self.plan is None else self.plan.status.value,
            "value": None if self.plan is None else self.plan.objective_value,
            "reached": self.reached,
            "change": None if self.change is None else self.change.as_dict(),
            "note": self.note,
        }


# --------------------------------------------------------------------------- limits


def limits(
    plan: Plan,
    keys: Sequence[RowKey] | None = None,
    *,
    unlocks: bool = True,
    workers: int | None = None,
    time_budget: float | None = None,
    progress: Progress | None = None,
) -> Limits:
    """Every limit of `plan` (or those in `keys`) with its use, slack and next unlock.

    `unlocks=False` gives use and slack only (no solve). Each unlock is one solve for the
    amount and one re-plan for the raise (two solves for the amount when the plan is not
    proven optimal: its value and its bound); `workers`, `time_budget` and `progress` (told
    as the rows left after screening are read) as for `explain`. Raises
    `InvalidEngagementError` for a plan without a schedule or a key the plan has no limit
    for.
    """
    started = time.perf_counter()
    _require_plan(plan)
    known = _limit_rows(plan)
    chosen = list(known) if keys is None else [tuple(k) for k in keys]
    missing = [k for k in chosen if k not in known]
    if missing:
        names = [" ".join(k) for k in known]
        raise InvalidEngagementError(
            [
                Problem(
                    code="unknown-limit",
                    path="keys",
                    message="the plan has no such limit",
                    value=" ".join(k),
                    suggestion=did_you_mean(" ".join(k), names) or "see itstrat limits for all",
                )
                for k in missing
            ]
        )
    rows = [known[k] for k in chosen]
    if not unlocks:
        return Limits(plan=plan, rows=tuple(rows))
    single = one_thread(plan)
    # A third of a time budget for screening; the rest is shared by the rows left.
    screen_end = None if time_budget is None else time.perf_counter() + time_budget / 3
    cleared = _screen(single, [r.key for r in rows if not r.binds], screen_end)
    note = _NO_UNLOCK + ("" if plan.status == Status.OPTIMAL else " (the plan is not proven)")
    open_rows = [r for r in rows if r.key not in cleared]
    left = None if time_budget is None else time_budget - (time.perf_counter() - started)
    count = worker_count(plan, len(open_rows), workers, 2)
    share = time_share(None if left is None else max(left, 1.0), count, len(open_rows))
    budget = None if share is None else (share, time.time() + (left or 0.0) * 0.95)
    answers = map_items(_unlock, open_rows, count, single, budget, progress=progress)
    solved = dict(zip(open_rows, answers, strict=True))
    found = [attrs.evolve(r, note=note) if r.key in cleared else solved[r] for r in rows]
    return Limits(plan=plan, rows=tuple(found))


_NO_UNLOCK = "no extra amount of it alone raises the optimum"


def _screen(plan: Plan, keys: Sequence[RowKey], deadline: float | None) -> set[RowKey]:
    """The rows proven to have no unlock, found by lifting many at once.

    Lifting more never hurts: when the optimum cannot rise with a whole group of rows
    lifted (a proven infeasible feasibility test), no row of it has an unlock, and one
    test clears them all. The groups are the rows of one period each (late periods, with
    their slack, usually clear at once); a group that can rise is halved, down to single
    rows, which `_unlock` then solves one by one.
    """
    labels = plan.engagement.scope.labels
    ordered = sorted(keys, key=lambda k: _period_of(k, labels))
    reached, _ = _goodness(plan)
    target = reached + _raise(reached)
    cleared: set[RowKey] = set()

    def visit(group: list[RowKey]) -> None:
        if deadline is not None and time.perf_counter() > deadline:
            return
        if len(group) == 1 or not _can_rise(plan.prepared, group, target):
            if len(group) > 1:  # proven: none of them
                cleared.update(group)
            return
        half = len(group) // 2
        visit(group[:half])
        visit(group[half:])

    # One group per period: the root of a bisection over every row is almost always
    # positive (some limit early on binds), so it would cost tests and clear nothing.
    blocks: dict[int, list[RowKey]] = {}
    for key in ordered:
        blocks.setdefault(_period_of(key, labels)[0], []).append(key)
    for period, block in blocks.items():
        if period >= 0:  # rows spanning periods (total, fiscal years) are solved one by one
            visit(block)
    return cleared


def _period_of(key: RowKey, labels: tuple[str, ...]) -> tuple[int, RowKey]:
    """Where a row sits in time: its period's index (rows spanning periods first)."""
    found = [labels.index(part) for part in key[1:] if part in labels]
    return (found[0] if found else -1, key)


def _can_rise(prepared: Prepared, keys: Sequence[RowKey], target: float) -> bool:
    """Whether the objective can reach `target` with every row in `keys` lifted.

    False only when proven (infeasible); a test that hits its limit counts as "can".
    """
    formulation = formulate(prepared)
    for key in keys:
        row = formulation.rows[key]
        row.constant = -(_most([(v, c) for v, c in row.items() if c]) + 1.0)
    _reach(formulation, target)
    formulation.set_objective([])
    return run("highs", formulation, prepared.settings).status != Status.INFEASIBLE


def _require_plan(plan: Plan) -> None:
    if not plan.status.has_plan:
        raise InvalidEngagementError(
            [
                Problem(
                    code="no-plan",
                    path="plan",
                    message=f"a {plan.status.value} plan has no limits to read",
                    suggestion="see what must give in the plan's findings",
                )
            ]
        )


def _limit_rows(plan: Plan) -> dict[RowKey, RowLimit]:
    """The finite limits of the plan's model, with what the plan uses of each."""
    engagement = plan.engagement
    labels = engagement.scope.labels
    formulation = formulate(plan.prepared)
    use = usage(engagement, plan.schedule)
    money = {row.key: row for row in money_rows(engagement)}
    budgets = engagement.per_period(engagement.capacity.budget_per_period)
    pools = pool_funding(engagement, plan.schedule)
    pool_amounts = {p.id: p.amount for p in engagement.capacity.pools}
    skills = skill_limits(engagement)
    found: dict[RowKey, RowLimit] = {}
    for key in formulation.rows:
        kind = key[0]
        if kind not in LIMIT_ROWS:
            continue
        unit: Unit = "money"
        if kind == "budget":
            t = labels.index(key[1])
            limit, used, name = budgets[t], use[t].spend, f"{key[1]} budget"
        elif kind == "budget-total":
            if engagement.capacity.budget is None:
                continue
            limit = engagement.capacity.budget
            used = math.fsum(u.spend for u in use) - math.fsum(pools.values())
            name = "total budget"
        elif kind == "skill":
            t = labels.index(key[2])
            skill_use = use[t].skills[key[1]]
            limit, used, unit = skills[key[1]].in_house[t], skill_use.used, "hours"
            used -= skill_use.contractor
            name = f"{key[1]} hours in {key[2]}"
        elif kind == "pool":
            limit, used, name = pool_amounts[key[1]], pools.get(key[1], 0.0), f"pool {key[1]}"
        else:
            row = money[key]
            limit, name = row.limit, row.name
            used = math.fsum(_kind_spend(use[t], row.kinds) for t in row.periods)
        if not math.isfinite(limit):
            continue
        binds = limit - used <= _BINDS * max(1.0, abs(limit))
        found[key] = RowLimit(key=key, name=name, unit=unit, limit=limit, used=used, binds=binds)
    return found


def _kind_spend(use: Any, kinds: frozenset[str]) -> float:
    if kinds == {"capex"}:
        return float(use.capex)
    if kinds == {"opex"}:
        return float(use.spend - use.capex)
    return float(use.spend)


def _goodness(plan: Plan) -> tuple[float, float]:
    """(value reached, best possible), larger better whatever the objective's sense."""
    sign = 1.0 if plan.objective in _MAXIMIZED else -1.0
    value = sign * (plan.objective_value or 0.0)
    bound = value if plan.best_bound is None else max(value, sign * plan.best_bound)
    return value, bound


def _raise(value: float) -> float:
    return max(RAISE, RAISE * 1e-2 * abs(value))


def _margin(limit: float) -> float:
    return MARGIN * max(1.0, abs(limit))


def _unlock(plan: Plan, budget: tuple[float, float] | None, row: RowLimit) -> RowLimit:
    """The row with its next unlock (see the module docstring)."""
    deadline = deadline_of(budget)
    reached, best = _goodness(plan)
    proven = plan.status == Status.OPTIMAL
    targets = [reached] if proven else [reached, best]
    solves = []
    for target in targets:
        left = seconds_left(deadline)
        if left is not None and left < TOO_LATE:
            return attrs.evolve(row, note="not computed: the time budget ran out")
        prepared = plan.prepared if left is None else limited(plan.prepared, left / 2)
        solves.append(_least_extra(prepared, row.key, target + _raise(target)))
    low_solve, high_solve = solves[0], solves[-1]
    if low_solve.status == Status.INFEASIBLE:
        note = _NO_UNLOCK
        return attrs.evolve(row, note=note + ("" if proven else " (the plan is not proven)"))
    if not low_solve.has_solution and low_solve.status != Status.FEASIBLE:
        return attrs.evolve(row, note="no unlock found within the time limit")
    low = _solution_low(low_solve)
    high = high_solve.incumbent if high_solve.has_solution else None
    exact = proven and low_solve.status == Status.OPTIMAL
    extra = Amount(low=high if exact and high is not None else low, high=high, proven=exact)
    if high is None:
        return attrs.evolve(row, extra=extra, note="no amount found that certainly raises it")
    left = seconds_left(deadline)
    prepared = plan.prepared if left is None else limited(plan.prepared, max(left, SHORTEST))
    raised = _raised(prepared.effective, row.key, high + _margin(row.limit))
    replanned = plan_prepared(prepared.with_effective(raised), start=high_solve.schedule)
    change = difference(plan, replanned) if replanned.status.has_plan else None
    return attrs.evolve(
        row, extra=extra, gain=None if change is None else change.value, change=change
    )


def _solution_low(solution: Solution) -> float:
    """A proven lower bound on a minimized extra amount."""
    if solution.status == Status.OPTIMAL and solution.incumbent is not None:
        return max(0.0, solution.incumbent)
    return max(0.0, solution.bound or 0.0)


def _least_extra(prepared: Prepared, key: RowKey, target: float) -> Solution:
    """Minimize the extra right-hand side of row `key` so the objective reaches `target`."""
    formulation = formulate(prepared)
    row = formulation.rows[key]
    limit = -row.constant
    terms = [(var, c) for var, c in row.items() if c]
    most = _most(terms)
    room = max(0.0, most - limit)
    extra = formulation.problem.add_variable("extra", 0, room)
    # The row moves to a copy with the extra column; the original stays, never binding.
    formulation.constrain(
        ("extra", *key),
        pulp.LpAffineExpression([*terms, (extra, -1.0)]),
        pulp.LpConstraintLE,
        limit,
    )
    row.constant = -(most + 1.0)
    _reach(formulation, target)
    formulation.set_objective([(extra, 1.0)], maximize=False)
    return run("highs", formulation, prepared.settings)


def _reach(formulation: Formulation, target: float) -> None:
    """Hold the (larger-is-better) objective at `target` or above."""
    objective = pulp.LpAffineExpression(formulation.problem.objective)
    if formulation.maximize:
        formulation.constrain(("reach",), objective, pulp.LpConstraintGE, target)
    else:  # `target` is the negated objective of a minimization
        formulation.constrain(("reach",), objective, pulp.LpConstraintLE, -target)


def _raised(engagement: Engagement, key: RowKey, amount: float) -> Engagement:
    """The engagement with the limit of row `key` raised by `amount`."""
    capacity = engagement.capacity
    labels = engagement.scope.labels
    kind = key[0]
    if kind == "budget-total":
        return _with(engagement, budget=(capacity.budget or 0.0) + amount)
    if kind == "pool":
        pools = tuple(
            attrs.evolve(p, amount=p.amount + amount) if p.id == key[1] else p
            for p in capacity.pools
        )
        return _with(engagement, pools=pools)
    if kind == "skill":
        hours = _added(
            engagement.per_period(capacity.skills.get(key[1]), 0.0), labels.index(key[2]), amount
        )
        return _with(engagement, skills={**capacity.skills, key[1]: hours})
    if kind == "budget":
        values = engagement.per_period(capacity.budget_per_period)
        return _with(engagement, budget_per_period=_added(values, labels.index(key[1]), amount))
    if kind in {"capex", "opex"}:
        field = f"{kind}_per_period"
        values = engagement.per_period(getattr(capacity, field))
        return _with(engagement, **{field: _added(values, labels.index(key[1]), amount)})
    field = {
        "budget-year": "budget_per_year",
        "capex-year": "capex_per_year",
        "opex-year": "opex_per_year",
    }[kind]
    per_year = engagement.per_year(getattr(capacity, field))
    years = list(per_year)
    return _with(
        engagement, **{field: _added(tuple(per_year.values()), years.index(key[1]), amount)}
    )


def _added(values: tuple[float, ...], index: int, amount: float) -> tuple[float, ...]:
    changed = list(values)
    changed[index] += amount
    return tuple(changed)


def _with(engagement: Engagement, **changes: Any) -> Engagement:
    return attrs.evolve(engagement, capacity=attrs.evolve(engagement.capacity, **changes))


# --------------------------------------------------------------------------- cheapest mix


@attrs.frozen
class _Cell:
    """Extra money that lands in the same budgets: one column of the mix."""

    name: str
    rows: tuple[RowKey, ...]
    spots: tuple[tuple[int, str], ...]  # (period, capex | opex) it may be spent as


def _cells(formulation: Formulation) -> list[_Cell]:
    """The distinct sets of finite budgets a unit of extra money in one period can go to."""
    engagement = formulation.prepared.effective
    labels = engagement.scope.labels
    finite = _limit_rows_of(formulation)
    counted: defaultdict[tuple[int, str], list[RowKey]] = defaultdict(list)
    names: dict[RowKey, str] = {("budget-total",): "total budget"}
    for row in money_rows(engagement):
        names[row.key] = row.name
        for t in row.periods:
            for kind in row.kinds:
                counted[t, kind].append(row.key)
    grouped: dict[tuple[RowKey, ...], list[tuple[int, str]]] = {}
    for t in range(engagement.periods):
        names["budget", labels[t]] = f"{labels[t]} budget"
        for kind in ("capex", "opex"):
            keys = [("budget", labels[t]), ("budget-total",), *counted[t, kind]]
            hit = tuple(k for k in keys if k in finite)
            grouped.setdefault(hit, []).append((t, kind))
    return [
        _Cell(", ".join(names[k] for k in rows) or "no budget", rows, tuple(spots))
        for rows, spots in grouped.items()
        if rows
    ]


def _limit_rows_of(formulation: Formulation) -> set[RowKey]:
    """The money rows of the model with a finite limit (the others never bind)."""
    engagement = formulation.prepared.effective
    capacity = engagement.capacity
    budgets = engagement.per_period(capacity.budget_per_period)
    labels = engagement.scope.labels
    keys = {row.key for row in money_rows(engagement)}
    if capacity.budget is not None:
        keys.add(("budget-total",))
    keys |= {("budget", labels[t]) for t in range(engagement.periods) if math.isfinite(budgets[t])}
    return keys & set(formulation.rows)


def cheapest_mix(
    plan: Plan,
    *,
    admit: str | None = None,
    target: float | None = None,
) -> Mix:
    """The least extra money, then the fewest contractor hours, that meet one goal.

    `admit`: the initiative is in a plan at least as good as `plan`; `target`: the
    objective reaches `target` (a larger-is-better objective's value, or a makespan or
    cost to get down to). Each solve has the plan's time limit. Raises
    `InvalidEngagementError` unless exactly one goal is given, for an unknown id, or for
    a plan without a schedule.
    """
    _require_plan(plan)
    engagement = plan.engagement
    if (admit is None) == (target is None):
        raise InvalidEngagementError(
            [
                Problem(
                    code="one-goal",
                    path="goal",
                    message="give exactly one goal: an initiative to admit or a target value",
                    suggestion="e.g. --admit erp, or --target 7000",
                )
            ]
        )
    if target is not None and (
        isinstance(target, bool)
        or not isinstance(target, int | float)
        or not math.isfinite(target)
        or abs(target) > MAX_AMOUNT
    ):
        raise InvalidEngagementError(
            [
                Problem(
                    code="invalid-target",
                    path="target",
                    message="the target must be a finite number of the plan's objective",
                    value=repr(target),
                    expected=f"a number within +-{MAX_AMOUNT:g}",
                    suggestion=f"e.g. --target {plan.objective_value or 0:.0f} (the plan's value)",
                )
            ]
        )
    if admit is not None and admit not in engagement.initiative_by_id:
        known = [i.id for i in engagement.initiatives]
        raise InvalidEngagementError(
            [
                Problem(
                    code="unknown-initiative",
                    path="admit",
                    message="no such initiative in the plan's engagement",
                    value=repr(admit),
                    suggestion=did_you_mean(admit, known) or "list the ids with itstrat plan --all",
                )
            ]
        )
    sign = 1.0 if plan.objective in _MAXIMIZED else -1.0
    reached, _ = _goodness(plan)
    goal_value = reached if target is None else sign * target
    goal = f"admit {admit}" if admit is not None else f"reach {target:,.6g} of {plan.objective}"
    prepared = plan.prepared
    if admit is not None:
        # Money and contractor hours cannot lift a window, a prerequisite or a gate.
        if not prepared.starts[admit] or engagement.initiative_by_id[admit].forbidden:
            why = prepared.never_schedulable().get(admit) or "it is forbidden"
            return Mix(goal=goal, total=None, note=f"no mix admits it: {why}")
        if admit in plan.schedule:
            return Mix(
                goal=goal,
                total=Amount(low=0.0, high=0.0, proven=True),
                plan=plan,
                reached=True,
                note="already in the roadmap",
            )
    prepared = prepared.with_settings(threads=1)  # one thread: the same mix every run
    first = _mix_solve(prepared, admit, goal_value, ())
    if first.solution.status == Status.INFEASIBLE:
        return Mix(
            goal=goal,
            total=None,
            note="no mix of extra money and contractor hours meets it (proven)",
        )
    if not first.solution.has_solution:
        return Mix(goal=goal, total=None, note="no mix found within the time limit")
    money_total = first.solution.incumbent or 0.0
    chosen = first
    if first.solution.status == Status.OPTIMAL:
        # Then the fewest contractor hours, then the earliest budgets: one canonical mix.
        second = _mix_solve(prepared, admit, goal_value, (money_total,))
        if second.solution.status == Status.OPTIMAL and second.solution.incumbent is not None:
            hours_total = second.solution.incumbent
            third = _mix_solve(prepared, admit, goal_value, (money_total, hours_total))
            chosen = third if third.solution.status == Status.OPTIMAL else second
    exact = first.solution.status == Status.OPTIMAL
    total = Amount(
        low=money_total if exact else _solution_low(first.solution), high=money_total, proven=exact
    )
    money, hours = chosen.read()
    raised = _mixed(prepared.effective, chosen, money, hours)
    if admit is not None:
        raised = attrs.evolve(
            raised,
            initiatives=tuple(
                attrs.evolve(i, mandatory=True) if i.id == admit else i for i in raised.initiatives
            ),
        )
    replanned = plan_prepared(prepared.with_effective(raised), start=chosen.solution.schedule)
    got, _ = _goodness(replanned) if replanned.status.has_plan else (-math.inf, 0.0)
    reached_goal = replanned.status.has_plan and got >= goal_value - _raise(goal_value)
    change = difference(plan, replanned) if replanned.status.has_plan else None
    return Mix(
        goal=goal,
        total=total,
        money={chosen.cells[n].name: v for n, v in money.items()},
        hours={(s, engagement.scope.labels[t]): h for (s, t), h in hours.items()},
        plan=replanned,
        reached=bool(reached_goal),
        change=change,
    )


@attrs.frozen
class _MixSolve:
    """A solved mix model: its money columns by cell, hour columns by (skill, period)."""

    cells: list[_Cell]
    money: tuple[int, ...]
    hours: tuple[tuple[str, int], ...]
    solution: Solution

    def read(self) -> tuple[dict[int, float], dict[tuple[str, int], float]]:
        """The extra money per cell and hours per (skill, period) of the solution."""
        slacks = self.solution.slacks
        money = {n: slacks[("more-money", str(n))] for n in self.money}
        hours = {k: slacks[("more-hours", k[0], str(k[1]))] for k in self.hours}
        return (
            {n: v for n, v in money.items() if v > 1e-9},
            {k: v for k, v in hours.items() if v > 1e-9},
        )


def _mix_solve(
    prepared: Prepared, admit: str | None, goal: float, caps: tuple[float, ...]
) -> _MixSolve:
    """One stage of the lexicographic mix, by how many `caps` the earlier stages set.

    No caps: the least money; (money,): the fewest hours within it; (money, hours): the
    earliest budgets and periods within both.

    The extra columns are kept as the formulation's slacks (which they are: slack on
    budget rows and on contractor maxima), so the solution reads them back.
    """
    formulation = formulate(prepared)
    engagement = prepared.effective
    problem = formulation.problem
    rows = formulation.rows
    cells = _cells(formulation)
    added: defaultdict[RowKey, list[tuple[pulp.LpVariable, float]]] = defaultdict(list)
    finite = _limit_rows_of(formulation)
    money_terms: list[tuple[pulp.LpVariable, float]] = []
    for n, cell in enumerate(cells):
        var = problem.add_variable(f"more_money_{n}", 0)  # minimized: needs no upper bound
        formulation.slack["more-money", str(n)] = var
        money_terms.append((var, 1.0))
        for key in cell.rows:
            added[key].append((var, -1.0))
    hour_terms: list[tuple[pulp.LpVariable, float]] = []
    labels = engagement.scope.labels
    opex_rows = money_rows(engagement)
    for skill, contractor in sorted(engagement.capacity.contractors.items()):
        for t, label in enumerate(labels):
            key = ("skill", skill, label)
            if key not in rows:
                continue
            # Hours beyond the contractor's maximum, bought like its own hours: at its rate,
            # as opex of that period.
            demand = _most([(v, c) for v, c in rows[key].items() if c > 0])
            var = problem.add_variable(f"more_hours_{len(hour_terms)}", 0, demand)
            formulation.slack["more-hours", skill, str(t)] = var
            hour_terms.append((var, 1.0))
            added[key].append((var, -1.0))
            paid = [("budget", label), ("budget-total",)]
            paid += [r.key for r in opex_rows if t in r.periods and "opex" in r.kinds]
            for paying in paid:
                if paying in finite:  # an unlimited budget stays unlimited
                    added[paying].append((var, contractor.rate))
    for key, terms in added.items():
        _extend(formulation, key, terms)
    if admit is not None:
        chosen = [(var, 1.0) for (i, _), var in formulation.x.items() if i == admit]
        formulation.constrain(
            ("admit", admit), pulp.LpAffineExpression(chosen), pulp.LpConstraintGE, 1
        )
    _reach(formulation, goal)
    stages = (money_terms, hour_terms)
    for terms, cap, name in zip(stages, caps, ("money-cap", "hours-cap"), strict=False):
        formulation.constrain(
            (name,),
            pulp.LpAffineExpression(terms),
            pulp.LpConstraintLE,
            cap * (1 + 1e-9) + 1e-6,
        )
    if len(caps) < len(stages):
        formulation.set_objective(stages[len(caps)], maximize=False)
    else:  # ties: the first cells (earliest periods) and earliest hours, by position
        ordered = [*money_terms, *hour_terms]
        formulation.set_objective(
            [(var, float(n + 1)) for n, (var, _) in enumerate(ordered)], maximize=False
        )
    solution = run("highs", formulation, prepared.settings)
    return _MixSolve(
        cells=cells,
        money=tuple(range(len(cells))),
        hours=tuple((k[1], int(k[2])) for k in formulation.slack if k[0] == "more-hours"),
        solution=solution,
    )


def _most(terms: Sequence[tuple[pulp.LpVariable, float]]) -> float:
    """The most a row of non-negative variables could hold (unbounded ones at 1)."""
    return math.fsum(
        max(0.0, c) * (var.upBound if var.upBound is not None else 1.0) for var, c in terms
    )


def _extend(
    formulation: Formulation, key: RowKey, terms: Sequence[tuple[pulp.LpVariable, float]]
) -> None:
    """Give row `key` more columns: a copy with them holds its limit, the original never binds."""
    row = formulation.rows[key]
    old = [(var, c) for var, c in row.items() if c]
    formulation.constrain(
        ("more", *key), pulp.LpAffineExpression([*old, *terms]), row.sense, -row.constant
    )
    row.constant = -(_most(old) + 1.0)


def _mixed(
    engagement: Engagement,
    chosen: _MixSolve,
    money: Mapping[int, float],
    hours: Mapping[tuple[str, int], float],
) -> Engagement:
    """The engagement with the mix's money and contractor hours added (plus `MARGIN`)."""
    for n, amount in money.items():
        for key in chosen.cells[n].rows:
            engagement = _raised(engagement, key, amount + _margin(amount))
    contractors = dict(engagement.capacity.contractors)
    for (skill, t), amount in hours.items():
        contractor = contractors[skill]
        most = engagement.per_period(contractor.max, 0.0)
        contractors[skill] = attrs.evolve(contractor, max=_added(most, t, amount + _margin(amount)))
    return _with(engagement, contractors=contractors)
