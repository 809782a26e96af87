"""Formulate the roadmap as a time-indexed mixed-integer program (PuLP).

Variables: a binary ``x[i, s]`` for every initiative ``i`` and every start period ``s`` it
may take (inside its window, after the earliest finish of what it requires, finishing inside
the horizon); continuous contractor hours ``h[k, t]``; for coverage, ``y[q]`` in 0..1 per
issue; for makespan, ``C``. Constraints (each row keyed by a `RowKey` so a diagnosis can
name it): at most one start (exactly one when mandatory), period and total budget including
run costs after go-live and contractor spend, skill hours per period, disaggregated
finish-to-start precedence (for every ``t``: started(a) by ``t`` <= finished(b) by ``t``),
exclusions, groups, coverage caps. Coefficients are built as lists and turned into
`LpAffineExpression` once per row, never with Python ``sum``.

With ``elastic=True`` the soft rows (budgets, skills, mandatory, groups, required coverage)
get a non-negative slack each and the objective minimizes the weighted, normalized slack:
the smallest change that makes the plan feasible, which `diagnose` turns into findings.

There is no tie-break term in the objective: it slowed proofs down and made an exact proof
impossible for fractional values. Equal-value schedules are settled after the solve by
`itstrat_engine.optimize.compact` (earliest feasible starts).
"""

import math
from collections import defaultdict

import attrs
import pulp

from itstrat_engine.model import Engagement, PlanSettings
from itstrat_engine.optimize.contract import issue_priority, skill_limits, timed_value, window

__all__ = ["Formulation", "RowKey", "formulate", "start_options"]

RowKey = tuple[str, ...]
"""Names a constraint group member: ("budget", "2027-Q3"), ("skill", "security", "2027-Q1"),
("budget-total",), ("mandatory", id), ("group", id), ("coverage",)."""

_Term = tuple[pulp.LpVariable, float]
# With an integral objective (whole coefficients on integer variables) the solver may stop
# half a unit short of its bound: rounding the bound still proves the optimum.
_INTEGRAL_ABSOLUTE_GAP = 0.5
_DEFAULT_ABSOLUTE_GAP = 1e-6
_MANDATORY_WEIGHT = 10.0


@attrs.define
class Formulation:
    """A built problem and what is needed to map a solution back to the engagement."""

    problem: pulp.LpProblem
    starts: dict[str, tuple[int, ...]]
    x: dict[tuple[str, int], pulp.LpVariable]
    hire: dict[tuple[str, int], pulp.LpVariable]
    slack: dict[RowKey, pulp.LpVariable]
    maximize: bool
    integral: bool
    absolute_gap: float


def start_options(engagement: Engagement) -> dict[str, tuple[int, ...]]:
    """Start periods each initiative may take.

    A start must lie inside the initiative's window, after the earliest finish of everything
    it requires, and let it finish inside the horizon. Forbidden initiatives get none.
    """
    by_id = engagement.initiative_by_id
    earliest: dict[str, int] = {}

    def first_start(item_id: str, trail: frozenset[str]) -> int:
        if item_id in earliest:
            return earliest[item_id]
        item = by_id[item_id]
        start = window(engagement, item)[0]
        for required in item.requires:
            if required in by_id and required not in trail:
                start = max(
                    start, first_start(required, trail | {item_id}) + by_id[required].duration
                )
        earliest[item_id] = start
        return start

    options = {}
    for item in engagement.initiatives:
        last_period = window(engagement, item)[1]
        first = first_start(item.id, frozenset())
        latest = min(last_period, engagement.periods - 1) - item.duration + 1
        options[item.id] = () if item.forbidden else tuple(range(first, latest + 1))
    return options


class _Rows:
    """Collects terms per row; rows become constraints in insertion order."""

    def __init__(self) -> None:
        self.terms: defaultdict[RowKey, list[_Term]] = defaultdict(list)

    def add(self, key: RowKey, variable: pulp.LpVariable, coefficient: float) -> None:
        if coefficient:
            self.terms[key].append((variable, coefficient))


def formulate(
    engagement: Engagement, settings: PlanSettings, *, elastic: bool = False
) -> Formulation:
    """Build the MILP for an engagement under the given settings (a fresh problem per call)."""
    maximize = settings.objective in {"value", "coverage"} and not elastic
    problem = pulp.LpProblem("roadmap", pulp.LpMaximize if maximize else pulp.LpMinimize)
    periods = engagement.periods
    labels = engagement.scope.labels
    capacity = engagement.capacity
    starts = start_options(engagement)
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

    rows = _Rows()
    budgets = engagement.per_period(capacity.budget_per_period)
    total_budget = capacity.budget
    for item in engagement.initiatives:
        shares = item.shares()
        for s in starts[item.id]:
            var = x[item.id, s]
            finish = s + item.duration
            for offset, share in enumerate(shares):
                t = s + offset
                if math.isfinite(budgets[t]):
                    rows.add(("budget", labels[t]), var, item.cost * share)
                for skill, hours in item.effort.items():
                    rows.add(("skill", skill, labels[t]), var, hours * share)
            if item.run_cost:
                for t in range(finish, periods):
                    if math.isfinite(budgets[t]):
                        rows.add(("budget", labels[t]), var, item.run_cost)
            if total_budget is not None:
                rows.add(("budget-total",), var, item.cost + item.run_cost * (periods - finish))
    for (skill, t), var in hire.items():
        rate = limits[skill].rate
        if math.isfinite(budgets[t]):
            rows.add(("budget", labels[t]), var, rate)
        if total_budget is not None:
            rows.add(("budget-total",), var, rate)
        rows.add(("skill", skill, labels[t]), var, -1.0)

    slack: dict[RowKey, pulp.LpVariable] = {}
    penalty: list[_Term] = []

    def soft(key: RowKey, scale: float, weight: float = 1.0) -> pulp.LpVariable | None:
        if not elastic:
            return None
        var = problem.add_variable(f"slack_{len(slack)}", 0)
        slack[key] = var
        penalty.append((var, weight / max(scale, 1.0)))
        return var

    serial = iter(range(1 << 62))

    def constrain(
        key: RowKey, terms: list[_Term], sense: int, rhs: float, slack_var: pulp.LpVariable | None
    ) -> None:
        if slack_var is not None:
            terms = [*terms, (slack_var, -1.0 if sense == pulp.LpConstraintLE else 1.0)]
        name = f"{key[0].replace('-', '_')}_{next(serial)}"  # ids and labels are not solver-safe
        problem.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, name, rhs))

    for key, terms in rows.terms.items():
        if key[0] == "budget":
            limit = budgets[labels.index(key[1])]
        elif key[0] == "budget-total":
            limit = total_budget if total_budget is not None else math.inf
        else:
            limit = limits[key[1]].in_house[labels.index(key[2])]
        if not math.isfinite(limit):
            continue
        if all(coef <= 0 for _, coef in terms):
            continue  # only contractor hours: never binding
        constrain(key, terms, pulp.LpConstraintLE, limit, soft(key, limit))

    for item in engagement.initiatives:
        terms = [(x[item.id, s], 1.0) for s in starts[item.id]]
        if item.mandatory:
            slack_var = soft(("mandatory", item.id), 1.0, _MANDATORY_WEIGHT)
            if slack_var is not None:
                terms = [*terms, (slack_var, 1.0)]
            problem.addConstraint(
                pulp.LpConstraint(
                    pulp.LpAffineExpression(terms), pulp.LpConstraintEQ, f"one_{index[item.id]}", 1
                )
            )
        elif len(terms) > 1:
            problem.addConstraint(
                pulp.LpConstraint(
                    pulp.LpAffineExpression(terms), pulp.LpConstraintLE, f"one_{index[item.id]}", 1
                )
            )

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
                problem.addConstraint(
                    pulp.LpConstraint(
                        pulp.LpAffineExpression(terms),
                        pulp.LpConstraintLE,
                        f"pre_{index[item.id]}_{index[required]}_{t}",
                        0,
                    )
                )

    def selected(item_id: str) -> list[_Term]:
        return [(x[item_id, s], 1.0) for s in starts.get(item_id, ())]

    seen: set[tuple[str, str]] = set()
    for item in engagement.initiatives:
        for other in item.excludes:
            pair = (min(item.id, other), max(item.id, other))
            if pair in seen or other not in by_id:
                continue
            seen.add(pair)
            terms = selected(item.id) + selected(other)
            if terms:
                problem.addConstraint(
                    pulp.LpConstraint(
                        pulp.LpAffineExpression(terms),
                        pulp.LpConstraintLE,
                        f"exc_{index[pair[0]]}_{index[pair[1]]}",
                        1,
                    )
                )

    for group in engagement.groups:
        terms = [term for member in group.members for term in selected(member)]
        for kind, sense in (("at most", pulp.LpConstraintLE), ("at least", pulp.LpConstraintGE)):
            if group.kind in {kind.replace(" ", "_"), "exactly"}:
                key = ("group", group.id, kind)
                constrain(key, terms, sense, group.count, soft(key, 1.0, _MANDATORY_WEIGHT))

    objective: list[_Term] = []
    issues_weight = {q.id: issue_priority(engagement, q.id) for q in engagement.issues}
    if settings.objective in {"coverage", "cost"}:
        cover_terms: list[_Term] = []
        for q_index, issue in enumerate(engagement.issues):
            y = problem.add_variable(f"y_{q_index}", 0, 1)
            terms = [(y, 1.0)]
            for item in engagement.initiatives:
                fraction = item.addresses.get(issue.id, 0.0)
                terms += [(x[item.id, s], -fraction) for s in starts[item.id] if fraction]
            problem.addConstraint(
                pulp.LpConstraint(
                    pulp.LpAffineExpression(terms), pulp.LpConstraintLE, f"cov_{q_index}", 0
                )
            )
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
    if settings.objective == "value":
        objective = [
            (x[item.id, s], timed_value(engagement, item, s, settings))
            for item in engagement.initiatives
            for s in starts[item.id]
        ]
    if settings.objective == "cost":
        objective = [
            (x[item.id, s], item.cost + item.run_cost * (periods - s - item.duration))
            for item in engagement.initiatives
            for s in starts[item.id]
        ] + [(var, limits[skill].rate) for (skill, _), var in hire.items()]
    if makespan:
        finish = problem.add_variable("makespan", 0, periods, pulp.LpInteger)
        objective = [(finish, 1.0)]
        for item in engagement.initiatives:
            terms = [(finish, 1.0)] + [
                (x[item.id, s], -float(s + item.duration)) for s in starts[item.id]
            ]
            problem.addConstraint(
                pulp.LpConstraint(
                    pulp.LpAffineExpression(terms), pulp.LpConstraintGE, f"fin_{index[item.id]}", 0
                )
            )

    integral = not elastic and all(
        float(c).is_integer() and var.cat == pulp.LpInteger for var, c in objective
    )
    problem.setObjective(pulp.LpAffineExpression(penalty if elastic else objective))
    return Formulation(
        problem=problem,
        starts=starts,
        x=x,
        hire=hire,
        slack=slack,
        maximize=maximize,
        integral=integral,
        absolute_gap=_INTEGRAL_ABSOLUTE_GAP if integral else _DEFAULT_ABSOLUTE_GAP,
    )
