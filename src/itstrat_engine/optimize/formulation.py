"""Formulate the roadmap as a time-indexed mixed-integer program (PuLP).

Variables: a binary ``x[i, s]`` for every initiative ``i`` and every start period ``s`` it
may take (`Prepared.starts`: inside its window, after the earliest finish of what it
requires, finishing inside the horizon); continuous contractor hours ``h[k, t]``; for
coverage, ``y[q]`` in 0..1 per issue; for makespan, ``C``; and a selection binary ``z[i]``
for an initiative of several start options whose objective term does not depend on when it
starts (value counted once): the term moves onto ``z[i] = sum_s x[i, s]``, so the solver
branches on whether to fund it, not on one start after another (with the step below, on
the midsize example: 16 of 20 HiGHS seeds proven within 60 s, against 5 of 10). Constraints,
each kept with a handle under its `RowKey` so a right-hand side can change without a rebuild: at most one
start (exactly one when mandatory), period and total budget including run costs after
go-live and contractor spend, fiscal-year, capex and opex budgets (`contract.money_rows`), skill hours per period, disaggregated finish-to-start
precedence (for every ``t``: started(a) by ``t`` <= finished(b) by ``t``), exclusions,
groups, coverage caps. The total-budget row always exists and a period's budget row whenever
anything can spend in it, also when unlimited (the right-hand side is then just above the
most the row could ever hold), so a sweep can set a limit later. Coefficients are built as lists and
turned into `LpAffineExpression` once per row, never with Python ``sum``.

With ``elastic=True`` the soft rows (budgets, skills, mandatory, groups, required coverage)
get a non-negative slack each and the objective minimizes the weighted, normalized slack:
the smallest change that makes the plan feasible, which `diagnose` turns into findings.

An integral objective is also a multiple of its coefficients' greatest common divisor,
its `step`: HiGHS is handed the objective divided by it, so a bound rounds to whole steps
(the midsize example's values are multiples of 5).

There is no tie-break term in the objective: it slowed proofs down and made an exact proof
impossible for fractional values. Equal-value schedules are settled after the solve by
`itstrat_engine.optimize.compact` (earliest feasible starts).
"""

import itertools
import math
from collections import defaultdict
from collections.abc import Mapping

import attrs
import pulp

from itstrat_engine.errors import InvalidEngagementError, Problem
from itstrat_engine.model import MAX_AMOUNT, Engagement
from itstrat_engine.optimize.contract import (
    discount,
    issue_priority,
    money_flows,
    money_rows,
    own_spend,
    pool_members,
    skill_limits,
    timed_value,
)
from itstrat_engine.optimize.preparation import Prepared

__all__ = ["LIMIT_ROWS", "Formulation", "RowKey", "formulate"]

RowKey = tuple[str, ...]
"""Names a row: ("budget", "2027-Q3"), ("budget-total",), ("skill", "security", "2027-Q1"),
("select", id), ("requires", id, required id, label), ("excludes", id, other id),
("group", id, "at most" | "at least"), ("covers", issue id), ("coverage",), ("finish", id),
the money rows of `contract.money_rows`: ("budget-year", "FY2028"), ("capex", label),
("opex", label), ("capex-year", "FY2028"), ("opex-year", "FY2028"); and for funding pools
("pool", pool id) (draws up to its amount) and ("pool-pays", id) (draws up to the
initiative's own spend).
The first word is the constraint group a diagnosis or an explanation names."""

_Term = tuple[pulp.LpVariable, float]
# With an integral objective (whole coefficients on integer variables) the solver may stop
# half a step short of its bound: rounding the bound to whole steps still proves the optimum.
_INTEGRAL_ABSOLUTE_GAP = 0.5  # of a step
_DEFAULT_ABSOLUTE_GAP = 1e-6
_MANDATORY_WEIGHT = 10.0
_MONEY_ROWS = frozenset({"capex", "opex", "budget-year", "capex-year", "opex-year", "pool"})
LIMIT_ROWS = frozenset({"budget", "budget-total", "skill"}) | _MONEY_ROWS
"""The budget and skill rows: limits that a variant may change and that may never bind."""


@attrs.define
class Formulation:
    """A built problem, a handle on every row, and what maps a solution back.

    `prepared` is the preparation the right-hand sides currently match; `retarget` moves
    them to a variant of it (other budgets or skill hours) without building anew.
    """

    prepared: Prepared
    problem: pulp.LpProblem
    starts: Mapping[str, tuple[int, ...]]
    x: dict[tuple[str, int], pulp.LpVariable]
    hire: dict[tuple[str, int], pulp.LpVariable]
    draws: dict[tuple[str, str], pulp.LpVariable]
    cover: dict[str, pulp.LpVariable]
    chosen: dict[str, pulp.LpVariable]
    """The selection binaries ``z[i]`` (initiatives whose objective term moved onto one)."""
    makespan: pulp.LpVariable | None
    rows: dict[RowKey, pulp.LpConstraint]
    slack: dict[RowKey, pulp.LpVariable]
    maximize: bool
    integral: bool
    step: float
    """Every objective value is a whole multiple of it when `integral` (else 1)."""
    absolute_gap: float

    def constrain(
        self, key: RowKey, expression: pulp.LpAffineExpression, sense: int, rhs: float
    ) -> None:
        """Add a row of the caller's (an objective held at a level, an extra amount).

        Kept under `key` with the model's own rows, so every backend sees it: CP-SAT builds
        its model from `rows`, not from the PuLP problem.
        """
        name = f"added_{key[0].replace('-', '_')}_{len(self.rows)}"
        row = pulp.LpConstraint(expression, sense, name, rhs)
        self.problem.addConstraint(row)
        self.rows[key] = row

    def set_objective(self, terms: list["_Term"], *, maximize: bool | None = None) -> None:
        """Make `terms` the objective (the sense kept unless given), with its proof tolerance."""
        if maximize is not None:
            self.maximize = maximize
            self.problem.sense = pulp.LpMaximize if maximize else pulp.LpMinimize
        self.problem.setObjective(pulp.LpAffineExpression(terms))
        self.integral, self.step = _integrality(terms)
        self.absolute_gap = (
            _INTEGRAL_ABSOLUTE_GAP * self.step if self.integral else _DEFAULT_ABSOLUTE_GAP
        )

    def retarget(self, prepared: Prepared) -> None:
        """Set the budget, skill and contractor limits of `prepared`; nothing else may differ.

        Raises `InvalidEngagementError` when `prepared` differs from the current one in
        anything but `Capacity` budgets, skill hours and contractor maxima.
        """
        current = self.prepared.effective
        same = attrs.evolve(prepared.effective, capacity=current.capacity) == current
        rates = {k: c.rate for k, c in current.capacity.contractors.items()}
        new_rates = {k: c.rate for k, c in prepared.effective.capacity.contractors.items()}
        if not same or rates != new_rates or prepared.settings != self.prepared.settings:
            raise InvalidEngagementError(
                [
                    Problem(
                        code="not-a-variant",
                        path="capacity",
                        message="retarget changes only budgets, skill hours and contractor "
                        "maxima; this preparation differs in more",
                        suggestion="formulate the other preparation anew",
                    )
                ]
            )
        missing = [row.name for row in money_rows(prepared.effective) if row.key not in self.rows]
        pools = [(p.id, p.tags) for p in current.capacity.pools]
        if [(p.id, p.tags) for p in prepared.effective.capacity.pools] != pools:
            missing.append("funding pools other than the formulation's (only amounts may change)")
        if missing:
            # Rows are built only for the fiscal-year, capex and opex budgets a file sets.
            raise InvalidEngagementError(
                [
                    Problem(
                        code="not-a-variant",
                        path="capacity",
                        message="the variant sets budgets this formulation has no row for",
                        value=", ".join(missing[:3]) + (", ..." if len(missing) > 3 else ""),
                        suggestion="formulate the variant anew, or give the base every budget kind",
                    )
                ]
            )
        limits = skill_limits(prepared.effective)
        for (skill, t), var in self.hire.items():
            var.upBound = limits[skill].hire_max[t]
        for key, limit in _limits(prepared.effective, self.rows, self.hire).items():
            self.rows[key].constant = -limit
        self.prepared = prepared


class _Rows:
    """Collects terms per row; rows become constraints in insertion order.

    A variable's coefficients are summed: a fiscal-year row meets one start's cost and run
    cost in several periods.
    """

    def __init__(self) -> None:
        self._terms: defaultdict[RowKey, dict[pulp.LpVariable, list[float]]] = defaultdict(dict)

    def add(self, key: RowKey, variable: pulp.LpVariable, coefficient: float) -> None:
        if coefficient:
            self._terms[key].setdefault(variable, []).append(coefficient)

    @property
    def terms(self) -> dict[RowKey, list[_Term]]:
        """Each row's terms, one per variable (zero sums left out)."""
        found = {}
        for key, parts in self._terms.items():
            summed = [(var, math.fsum(c)) for var, c in parts.items()]
            found[key] = [(var, c) for var, c in summed if c]
        return found


def _limits(
    engagement: Engagement,
    rows: Mapping[RowKey, pulp.LpConstraint | list[_Term]],
    hire: Mapping[tuple[str, int], pulp.LpVariable],
) -> dict[RowKey, float]:
    """The right-hand side of every budget and skill row present; unlimited made finite.

    An unlimited budget becomes just above the most the row could ever hold (every start
    variable at 1, every contractor at its maximum), so the row never binds yet stays there.
    """
    labels = engagement.scope.labels
    budgets = engagement.per_period(engagement.capacity.budget_per_period)
    total = engagement.capacity.budget
    limits = skill_limits(engagement)
    money = {row.key: row.limit for row in money_rows(engagement)}
    money |= {("pool", pool.id): pool.amount for pool in engagement.capacity.pools}
    hired = set(hire.values())
    result: dict[RowKey, float] = {}
    for key, row in rows.items():
        if key[0] not in LIMIT_ROWS:
            continue
        if key[0] in _MONEY_ROWS:
            # A variant without this budget keeps the row, never binding (as for "budget").
            result[key] = money.get(key, _most(row, hired) + 1.0)
            continue
        if key[0] == "skill":
            result[key] = limits[key[1]].in_house[labels.index(key[2])]
            continue
        limit = budgets[labels.index(key[1])] if key[0] == "budget" else total
        if limit is None or not math.isfinite(limit):
            limit = _most(row, hired) + 1.0
        result[key] = limit
    return result


def _most(row: pulp.LpConstraint | list[_Term], hired: set[pulp.LpVariable]) -> float:
    """The most a row of non-negative variables could ever hold (binaries at 1)."""
    items = row.items() if isinstance(row, pulp.LpConstraint) else row
    return math.fsum(max(0.0, c) * (var.upBound if var in hired else 1.0) for var, c in items)


def formulate(prepared: Prepared, *, elastic: bool = False) -> Formulation:
    """Build the MILP of a prepared engagement (a fresh problem per call)."""
    engagement = prepared.effective
    settings = prepared.settings
    maximize = settings.objective in {"value", "coverage", "npv"} and not elastic
    problem = pulp.LpProblem("roadmap", pulp.LpMaximize if maximize else pulp.LpMinimize)
    periods = engagement.periods
    labels = engagement.scope.labels
    starts = prepared.starts
    makespan = settings.objective == "makespan"

    x: dict[tuple[str, int], pulp.LpVariable] = {}
    index = {item.id: n for n, item in enumerate(engagement.initiatives)}
    for item in engagement.initiatives:
        for s in starts[item.id]:
            x[item.id, s] = problem.add_variable(f"x_{index[item.id]}_{s}", 0, 1, pulp.LpBinary)

    limits = skill_limits(engagement)
    hire: dict[tuple[str, int], pulp.LpVariable] = {}
    for k_index, (skill, skill_limit) in enumerate(limits.items()):
        for t in range(periods):
            if skill_limit.hire_max[t] > 0:
                hire[skill, t] = problem.add_variable(
                    f"h_{k_index}_{t}", 0, skill_limit.hire_max[t]
                )

    collected = _Rows()
    counted_in: defaultdict[tuple[int, str], list[RowKey]] = defaultdict(list)
    for money_row in money_rows(engagement):
        for t in money_row.periods:
            for kind in money_row.kinds:
                counted_in[t, kind].append(money_row.key)

    def spend(var: pulp.LpVariable, t: int, kind: str, amount: float) -> None:
        collected.add(("budget", labels[t]), var, amount)
        for key in counted_in.get((t, kind), ()):
            collected.add(key, var, amount)

    for item in engagement.initiatives:
        shares = item.shares()
        for s in starts[item.id]:
            var = x[item.id, s]
            for offset, share in enumerate(shares):
                for skill, hours in item.effort.items():
                    collected.add(("skill", skill, labels[s + offset]), var, hours * share)
            for t, money, capital, _ in money_flows(engagement, item, s):
                spend(var, t, "capex", capital)
                spend(var, t, "opex", money - capital)
            finish = s + item.duration
            collected.add(("budget-total",), var, item.cost + item.run_cost * (periods - finish))
    # Funding pools: a draw d[pool, i] pays part of i's own spend, up to the pool's amount,
    # and what the pools pay leaves the total budget.
    draws: dict[tuple[str, str], pulp.LpVariable] = {}
    pays: defaultdict[str, list[_Term]] = defaultdict(list)
    for p_index, (pool_id, members) in enumerate(pool_members(engagement).items()):
        amount = min(engagement.capacity.pools[p_index].amount, MAX_AMOUNT)
        for item_id in members:
            if starts[item_id]:
                var = problem.add_variable(f"d_{p_index}_{index[item_id]}", 0, amount)
                draws[pool_id, item_id] = var
                collected.add(("budget-total",), var, -1.0)
                collected.add(("pool", pool_id), var, 1.0)
                pays[item_id].append((var, 1.0))
    for item_id, terms in pays.items():
        item = engagement.initiative_by_id[item_id]
        terms += [
            (x[item_id, s], -max(0.0, own_spend(engagement, item, s))) for s in starts[item_id]
        ]
    for (skill, t), var in hire.items():
        rate = limits[skill].rate
        spend(var, t, "opex", rate)
        collected.add(("budget-total",), var, rate)
        collected.add(("skill", skill, labels[t]), var, -1.0)

    rows: dict[RowKey, pulp.LpConstraint] = {}
    slack: dict[RowKey, pulp.LpVariable] = {}
    penalty: list[_Term] = []

    def soft(key: RowKey, scale: float, weight: float = 1.0) -> pulp.LpVariable | None:
        if not elastic:
            return None
        var = problem.add_variable(f"slack_{len(slack)}", 0)
        slack[key] = var
        penalty.append((var, weight / max(scale, 1.0)))
        return var

    serial = itertools.count()

    def constrain(
        key: RowKey,
        terms: list[_Term],
        sense: int,
        rhs: float,
        slack_var: pulp.LpVariable | None = None,
    ) -> None:
        if slack_var is not None:
            terms = [*terms, (slack_var, -1.0 if sense == pulp.LpConstraintLE else 1.0)]
        name = f"{key[0].replace('-', '_')}_{next(serial)}"  # ids and labels are not solver-safe
        row = pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, name, rhs)
        problem.addConstraint(row)
        rows[key] = row

    limit_terms = {
        key: terms
        for key, terms in collected.terms.items()
        if not all(coef <= 0 for _, coef in terms)  # only contractor hours: never binding
    }
    limit_terms.setdefault(("budget-total",), [])  # always there, for sweeps to set
    for money_row in money_rows(engagement):
        limit_terms.setdefault(money_row.key, [])  # a row per budget the file sets, for sweeps
    for key, limit in _limits(engagement, limit_terms, hire).items():
        limited = key[0] == "skill" or _finite_limit(engagement, key)
        slack_var = soft(key, limit) if limited else None
        constrain(key, limit_terms[key], pulp.LpConstraintLE, limit, slack_var)

    for item_id, terms in pays.items():
        constrain(("pool-pays", item_id), [t for t in terms if t[1]], pulp.LpConstraintLE, 0)

    objective = _start_terms(prepared, x, hire)
    chosen: dict[str, pulp.LpVariable] = {}
    if not elastic:
        chosen, objective = _selection(problem, engagement, starts, x, objective)
    for item in engagement.initiatives:
        terms = [(x[item.id, s], 1.0) for s in starts[item.id]]
        if item.id in chosen:
            constrain(
                ("select", item.id), [*terms, (chosen[item.id], -1.0)], pulp.LpConstraintEQ, 0
            )
        elif item.mandatory:
            constrain(
                ("select", item.id),
                terms,
                pulp.LpConstraintEQ,
                1,
                soft(("mandatory", item.id), 1.0, _MANDATORY_WEIGHT),
            )
        elif len(terms) > 1:
            constrain(("select", item.id), terms, pulp.LpConstraintLE, 1)

    by_id = engagement.initiative_by_id
    for item in engagement.initiatives:
        for required in item.requires:
            before = by_id[required]
            own = starts[item.id]
            for t in own:
                terms = [(x[item.id, s], 1.0) for s in own if s <= t]
                terms += [
                    (x[required, s], -1.0) for s in starts[required] if s + before.duration <= t
                ]
                constrain(("requires", item.id, required, labels[t]), terms, pulp.LpConstraintLE, 0)

    def selected(item_id: str) -> list[_Term]:
        return [(x[item_id, s], 1.0) for s in starts.get(item_id, ())]

    for item in engagement.initiatives:
        for other in item.excludes:
            pair = (min(item.id, other), max(item.id, other))
            if ("excludes", *pair) in rows or other not in by_id:
                continue
            terms = selected(item.id) + selected(other)
            if terms:
                constrain(("excludes", *pair), terms, pulp.LpConstraintLE, 1)

    for group in engagement.groups:
        terms = [term for member in group.members for term in selected(member)]
        for kind, sense in (("at most", pulp.LpConstraintLE), ("at least", pulp.LpConstraintGE)):
            if group.kind in {kind.replace(" ", "_"), "exactly"}:
                key = ("group", group.id, kind)
                constrain(key, terms, sense, group.count, soft(key, 1.0, _MANDATORY_WEIGHT))

    cover: dict[str, pulp.LpVariable] = {}
    issues_weight = {q.id: issue_priority(engagement, q.id) for q in engagement.issues}
    if settings.objective in {"coverage", "cost"}:
        cover_terms: list[_Term] = []
        for q_index, issue in enumerate(engagement.issues):
            y = problem.add_variable(f"y_{q_index}", 0, 1)
            cover[issue.id] = y
            terms = [(y, 1.0)]
            for item in engagement.initiatives:
                fraction = item.addresses.get(issue.id, 0.0)
                terms += [(x[item.id, s], -fraction) for s in starts[item.id] if fraction]
            constrain(("covers", issue.id), terms, pulp.LpConstraintLE, 0)
            cover_terms.append((y, issues_weight[issue.id]))
        if settings.objective == "coverage":
            objective = cover_terms
        else:
            needed = (settings.coverage or 0.0) * math.fsum(issues_weight.values())
            constrain(
                ("coverage",),
                cover_terms,
                pulp.LpConstraintGE,
                needed,
                soft(("coverage",), needed),
            )
    finish_var = None
    if makespan:
        finish_var = problem.add_variable("makespan", 0, periods, pulp.LpInteger)
        objective = [(finish_var, 1.0)]
        for item in engagement.initiatives:
            terms = [(finish_var, 1.0)] + [
                (x[item.id, s], -float(s + item.duration)) for s in starts[item.id]
            ]
            constrain(("finish", item.id), terms, pulp.LpConstraintGE, 0)

    formulation = Formulation(
        prepared=prepared,
        problem=problem,
        starts=starts,
        x=x,
        hire=hire,
        draws=draws,
        cover=cover,
        makespan=finish_var,
        rows=rows,
        slack=slack,
        chosen=chosen,
        maximize=maximize,
        integral=False,
        step=1.0,
        absolute_gap=_DEFAULT_ABSOLUTE_GAP,
    )
    formulation.set_objective(penalty if elastic else objective)
    return formulation


def _start_terms(
    prepared: Prepared,
    x: dict[tuple[str, int], pulp.LpVariable],
    hire: dict[tuple[str, int], pulp.LpVariable],
) -> list[_Term]:
    """The objective of ``value``, ``npv`` and ``cost``, on the start binaries (and hours)."""
    engagement, settings = prepared.effective, prepared.settings
    periods, starts = engagement.periods, prepared.starts
    if settings.objective == "value":
        return [
            (x[item.id, s], timed_value(engagement, item, s, settings))
            for item in engagement.initiatives
            for s in starts[item.id]
        ]
    if settings.objective == "npv":
        return _npv_terms(prepared, x, hire)
    if settings.objective == "cost":
        limits = skill_limits(engagement)
        return [
            (x[item.id, s], item.cost + item.run_cost * (periods - s - item.duration))
            for item in engagement.initiatives
            for s in starts[item.id]
        ] + [(var, limits[skill].rate) for (skill, _), var in hire.items()]
    return []


def _selection(
    problem: pulp.LpProblem,
    engagement: Engagement,
    starts: Mapping[str, tuple[int, ...]],
    x: dict[tuple[str, int], pulp.LpVariable],
    objective: list[_Term],
) -> tuple[dict[str, pulp.LpVariable], list[_Term]]:
    """Selection binaries for the start-independent objective terms, and the objective on them.

    An initiative qualifies when it has several start options, is not mandatory (its term
    is then a constant) and has the same non-zero coefficient for every start.
    """
    by_var = dict(objective)
    chosen: dict[str, pulp.LpVariable] = {}
    moved: list[_Term] = []
    for n, item in enumerate(engagement.initiatives):
        options = starts[item.id]
        coefficients = {by_var.get(x[item.id, s], 0.0) for s in options}
        if len(options) < 2 or item.mandatory or len(coefficients) != 1 or 0.0 in coefficients:
            continue
        chosen[item.id] = problem.add_variable(f"z_{n}", 0, 1, pulp.LpBinary)
        moved.append((chosen[item.id], coefficients.pop()))
    gone = {x[item_id, s] for item_id in chosen for s in starts[item_id]}
    return chosen, [term for term in objective if term[0] not in gone] + moved


def _integrality(terms: list[_Term]) -> tuple[bool, float]:
    """Whether the objective's values are whole multiples of a step, and that step."""
    if not all(float(c).is_integer() and var.cat == pulp.LpInteger for var, c in terms):
        return False, 1.0
    divisor = math.gcd(*(int(abs(c)) for _, c in terms))
    return True, float(divisor or 1)


def _npv_terms(
    prepared: Prepared,
    x: Mapping[tuple[str, int], pulp.LpVariable],
    hire: Mapping[tuple[str, int], pulp.LpVariable],
) -> list[_Term]:
    """Each start's discounted cash flow (benefits minus its spend); contractors' cost."""
    engagement = prepared.effective
    rate = prepared.settings.discount_rate
    periods = engagement.periods
    factor = [discount(rate, t) for t in range(periods)]
    limits = skill_limits(engagement)
    terms: list[_Term] = []
    for item in engagement.initiatives:
        for s in prepared.starts[item.id]:
            flows = [
                (earned - money) * factor[t]
                for t, money, _, earned in money_flows(engagement, item, s)
            ]
            terms.append((x[item.id, s], math.fsum(flows)))
    terms += [(var, -limits[skill].rate * factor[t]) for (skill, t), var in hire.items()]
    return terms


def _finite_limit(engagement: Engagement, key: RowKey) -> bool:
    """True when a budget row has a real limit (slack on a never-binding row is pointless)."""
    if key[0] in _MONEY_ROWS:
        return True  # only finite money rows are built
    if key[0] == "budget-total":
        return engagement.capacity.budget is not None
    budgets = engagement.per_period(engagement.capacity.budget_per_period)
    return math.isfinite(budgets[engagement.scope.labels.index(key[1])])
