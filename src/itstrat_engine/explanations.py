"""Why each initiative is in the roadmap or out of it, with costs the solver proved.

`explain(plan)` answers, for every initiative (or those asked):

- its score breakdown by rule and the business objectives it traces to;
- left out: a structural reason when no plan can hold it (its window, a forbidden or
  unschedulable prerequisite, its cost or effort at every start); otherwise the **cost of
  forcing it in** (how much the optimum loses when it must be included: a forced re-plan),
  the value it would need to enter (value objective, counted once), what forcing would do
  to the roadmap (added, dropped, moved) and the **smallest set of named constraints that
  block it**: with all of them lifted it is in a plan as good as the optimum, with any one
  of them kept it is not (a deletion filter over constraint families, then over the members
  of the families that remain, each test a re-solve);
- in the roadmap: the cost of forcing it out, what would replace it, and the binding budget
  and skill rows of the periods it runs in.

A cost of forcing is exact only when both plans are proven optimal; otherwise it is the
interval the solvers' bounds allow, marked unproven. A blocking set is marked unproven when
any test along the way was not proven.
"""

import functools
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import pulp

from itstrat_engine.comparison import Difference, difference
from itstrat_engine.errors import InvalidEngagementError, Problem, did_you_mean
from itstrat_engine.graph import StrategyGraph
from itstrat_engine.model import Engagement, Initiative
from itstrat_engine.optimize import Plan, Prepared, Status
from itstrat_engine.optimize.formulation import formulate
from itstrat_engine.optimize.planner import plan_prepared
from itstrat_engine.optimize.solution import solve
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
from itstrat_engine.rules.compiled import Step

__all__ = ["Cost", "Explanation", "explain"]

_TOLERANCE = 1e-6
_UNLIMITED = 1e15  # a limit no plan reaches: how a lifted budget or skill row is written
_MAXIMIZED = frozenset({"value", "coverage", "npv"})


@attrs.frozen(kw_only=True)
class Cost:
    """A cost of forcing: exact (`low == high`, `proven`) or the interval the bounds allow.

    `high` is None when the forced plan has no bound (no proof of how bad it can be) and
    infinite when forcing is infeasible.
    """

    low: float
    high: float | None
    proven: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: infinity as None with ``"infeasible": true``."""
        infeasible = self.high is not None and math.isinf(self.high)
        return {
            "low": None if math.isinf(self.low) else self.low,
            "high": None if self.high is None or infeasible else self.high,
            "proven": self.proven,
            "infeasible": infeasible,
        }


@attrs.frozen(kw_only=True)
class Explanation:
    """Why one initiative is where it is (see the module docstring)."""

    id: str
    name: str
    selected: bool
    score: float
    steps: tuple[Step, ...]
    objectives: tuple[str, ...]
    reasons: tuple[str, ...]
    structural: bool = False
    cost_of_forcing: Cost | None = None
    threshold: float | None = None
    change: Difference | None = None  # what forcing does to the roadmap
    blocking: tuple[str, ...] = ()
    blocking_proven: bool = True
    binding: tuple[str, ...] = ()
    explained: bool = True  # False when the time budget ran out before its re-plan

    @property
    def proven(self) -> bool:
        """Whether it was explained and every cost and blocking set it shows is proven."""
        cost = self.cost_of_forcing
        return self.explained and (cost is None or cost.proven) and self.blocking_proven

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the keys of `itstrat explain --format json`)."""
        return {
            "id": self.id,
            "name": self.name,
            "selected": self.selected,
            "score": self.score,
            "steps": [step.as_dict() for step in self.steps],
            "objectives": list(self.objectives),
            "reasons": list(self.reasons),
            "structural": self.structural,
            "cost_of_forcing": None
            if self.cost_of_forcing is None
            else self.cost_of_forcing.as_dict(),
            "threshold": self.threshold,
            "change": None if self.change is None else self.change.as_dict(),
            "blocking": list(self.blocking),
            "blocking_proven": self.blocking_proven,
            "binding": list(self.binding),
            "proven": self.proven,
        }


# --------------------------------------------------------------------------- re-plans


def _goodness(plan: Plan) -> tuple[float, float]:
    """(value reached, best possible) with larger better, whatever the objective's sense."""
    value, bound = plan.objective_value, plan.best_bound
    sign = 1.0 if plan.objective in _MAXIMIZED else -1.0
    if not plan.status.has_plan or value is None:
        return -math.inf, (math.inf if plan.status != Status.INFEASIBLE else -math.inf)
    reached = sign * value
    best = math.inf if bound is None else sign * bound
    return reached, max(reached, best)


def _cost(base: Plan, forced: Plan) -> Cost:
    """What forcing loses: base optimum minus forced optimum, or the interval of bounds."""
    low_base, high_base = _goodness(base)
    low_forced, high_forced = _goodness(forced)
    if forced.status == Status.INFEASIBLE:
        return Cost(low=math.inf, high=math.inf, proven=True)
    low = max(0.0, low_base - high_forced) if math.isfinite(high_forced) else 0.0
    high = (
        high_base - low_forced if math.isfinite(high_base) and math.isfinite(low_forced) else None
    )
    proven = base.status == forced.status == Status.OPTIMAL
    if proven:
        low = high = max(0.0, low_base - low_forced)
    return Cost(low=low, high=high, proven=proven)


def _gated(prepared: Prepared, item_id: str, *, mandatory: bool) -> Engagement:
    """The engagement as optimized with one initiative forced in or out."""
    effective = prepared.effective
    items = tuple(
        attrs.evolve(i, mandatory=mandatory, forbidden=not mandatory) if i.id == item_id else i
        for i in effective.initiatives
    )
    return attrs.evolve(effective, initiatives=items)


def _replan(
    prepared: Prepared,
    effective: Engagement,
    *,
    settle_ties: bool = False,
    start: Mapping[str, int] | None = None,
) -> Plan:
    """A re-plan of a variant from `start`; settled to the canonical plan only when shown."""
    try:
        variant = prepared.with_effective(effective)
    except InvalidEngagementError as error:
        # Forcing breaks a hard rule of the file (a mandatory exclusion, a full group).
        return _refused(prepared, error)
    return plan_prepared(variant, settle_ties=settle_ties, start=start)


def _refused(prepared: Prepared, error: InvalidEngagementError) -> Plan:
    from itstrat_engine.optimize.decoding import unplanned  # noqa: PLC0415 - rare path

    reasons = "; ".join(p.message for p in error.problems) or str(error)
    return unplanned(prepared, Status.INFEASIBLE, f"infeasible: {reasons}")


def _without_item(plan: Plan, item_id: str) -> dict[str, int]:
    """The plan's schedule without `item_id` and whatever requires it, directly or not."""
    by_id = plan.engagement.initiative_by_id
    gone = {item_id}
    changed = True
    while changed:
        changed = False
        for other in plan.schedule:
            if other not in gone and gone & set(by_id[other].requires):
                gone.add(other)
                changed = True
    return {i: s for i, s in plan.schedule.items() if i not in gone}


# --------------------------------------------------------------------------- blocking sets


@attrs.frozen
class _Lift:
    """One named constraint and how to lift it from an engagement.

    `family` names its whole family (``every period budget``), which a reason shows
    instead of the members when a blocking set holds all of them.
    """

    name: str
    apply: Callable[[Engagement], Engagement] = attrs.field(eq=False)
    family: str = ""


def _lift_period_value(value: Any, t: int, periods: int) -> tuple[float, ...]:
    values = list(value) if isinstance(value, tuple) else [float(value)] * periods
    values[t] = _UNLIMITED
    return tuple(values)


def _capacity(e: Engagement, **changes: Any) -> Engagement:
    return attrs.evolve(e, capacity=attrs.evolve(e.capacity, **changes))


def _without(e: Engagement, key: str) -> Engagement:
    return _capacity(e, **{key: None})


def _lift_budget(e: Engagement, t: int) -> Engagement:
    return _capacity(
        e, budget_per_period=_lift_period_value(e.capacity.budget_per_period, t, e.periods)
    )


def _lift_skill(e: Engagement, skill: str, t: int) -> Engagement:
    hours = _lift_period_value(e.capacity.skills[skill], t, e.periods)
    return _capacity(e, skills={**e.capacity.skills, skill: hours})


def _drop_group(e: Engagement, group_id: str) -> Engagement:
    return attrs.evolve(e, groups=tuple(g for g in e.groups if g.id != group_id))


def _drop_requirement(e: Engagement, item_id: str, required: str) -> Engagement:
    item = e.initiative_by_id[item_id]
    return _edit(e, item_id, requires=tuple(r for r in item.requires if r != required))


_YEARLY = {  # capacity keys lifted whole, and their names
    "budget_per_year": "yearly budgets",
    "capex_per_year": "yearly capex budgets",
    "opex_per_year": "yearly opex budgets",
    "capex_per_period": "capex budgets",
    "opex_per_period": "opex budgets",
}


def _families(plan: Plan, item: Initiative) -> list[list[_Lift]]:
    """The constraint families that may block `item`, each a list of named members.

    The initiative's own rules come first (exclusions, groups, requirements, its window),
    then budgets, then skill hours: the search prefers a set from earlier families, and a
    rule of its own is the more direct answer than capacity that could be spent elsewhere.
    """
    e = plan.engagement
    labels = e.scope.labels
    capacity = e.capacity
    by_id = e.initiative_by_id
    others = set(item.excludes) | {i.id for i in e.initiatives if item.id in i.excludes}
    families: list[list[_Lift]] = [
        [_Lift(f"excludes {other}", functools.partial(_unexclude, a=item.id, b=other))]
        for other in sorted(others)
        if other in by_id
    ]
    families += [
        [
            _Lift(
                f"group {group.id} {group.kind.replace('_', ' ')} {group.count}",
                functools.partial(_drop_group, group_id=group.id),
            )
        ]
        for group in e.groups
        if item.id in group.members
    ]
    families += [
        [
            _Lift(
                f"requires {required}",
                functools.partial(_drop_requirement, item_id=item.id, required=required),
            )
        ]
        for required in item.requires
    ]
    first, last = e.scope.index(item.earliest or 0), e.scope.index(item.deadline or 0)
    if item.earliest is not None and first is not None:
        lift = functools.partial(_edit, item_id=item.id, earliest=None)
        families.append([_Lift(f"earliest {labels[first]}", lift)])
    if item.deadline is not None and last is not None:
        lift = functools.partial(_edit, item_id=item.id, deadline=None)
        families.append([_Lift(f"deadline {labels[last]}", lift)])
    budgets = e.per_period(capacity.budget_per_period)
    families.append(
        [
            _Lift(
                f"{labels[t]} budget",
                functools.partial(_lift_budget, t=t),
                "every period budget",
            )
            for t in range(e.periods)
            if math.isfinite(budgets[t])
        ]
    )
    if capacity.budget is not None:
        families.append([_Lift("total budget", functools.partial(_capacity, budget=None))])
    for key, name in _YEARLY.items():
        if getattr(capacity, key) is not None:
            families.append([_Lift(name, functools.partial(_without, key=key))])
    for skill in sorted(capacity.skills):
        hours = e.per_period(capacity.skills[skill], 0.0)
        families.append(
            [
                _Lift(
                    f"{skill} hours in {labels[t]}",
                    functools.partial(_lift_skill, skill=skill, t=t),
                    f"{skill} hours in every period",
                )
                for t in range(e.periods)
                if hours[t] < _UNLIMITED
            ]
        )
    return [family for family in families if family]


def _edit(e: Engagement, item_id: str, **changes: Any) -> Engagement:
    items = tuple(attrs.evolve(i, **changes) if i.id == item_id else i for i in e.initiatives)
    return attrs.evolve(e, initiatives=items)


def _unexclude(e: Engagement, a: str, b: str) -> Engagement:
    items = tuple(
        attrs.evolve(i, excludes=tuple(x for x in i.excludes if x not in {a, b}))
        if i.id in {a, b}
        else i
        for i in e.initiatives
    )
    return attrs.evolve(e, initiatives=items)


class _Tester:
    """Whether lifting a set of constraints lets `item` into a plan as good as the optimum.

    Past `deadline` (a `time.perf_counter` value) no test is solved: each answers "not
    freed", unproven, so the search still ends with a set that frees the item (lifting
    more never hurts) but not one shown irreducible.
    """

    def __init__(
        self,
        plan: Plan,
        item_id: str,
        deadline: float | None = None,
    ) -> None:
        self.plan = plan
        self.item_id = item_id
        self.target, _ = _goodness(plan)
        self.proven = True
        self.deadline = deadline

    def free(self, lifted: Iterable[_Lift]) -> bool:
        """Whether the forced model with `lifted` lifted reaches the optimum.

        Decided as a feasibility problem (the objective held at the optimum, no objective
        to optimize): the solver stops at the first plan that reaches it.
        """
        prepared = self.plan.prepared
        left = seconds_left(self.deadline)
        if left is not None and left < SHORTEST:
            self.proven = False
            return False
        if left is not None:
            prepared = limited(prepared, left)
        effective = _gated(prepared, self.item_id, mandatory=True)
        for lift in lifted:
            effective = lift.apply(effective)
        try:
            variant = prepared.with_effective(effective)
        except InvalidEngagementError:
            return False  # lifting these leaves a hard rule of the file broken
        if variant.findings:
            return False  # presolve: the forced work cannot be planned at all
        formulation = formulate(variant)
        problem = formulation.problem
        slack = _TOLERANCE * max(1.0, abs(self.target))
        objective = pulp.LpAffineExpression(problem.objective)
        if formulation.maximize:
            formulation.constrain(("reach",), objective, pulp.LpConstraintGE, self.target - slack)
        else:  # the target is the negated optimum of a minimization
            formulation.constrain(("reach",), objective, pulp.LpConstraintLE, -self.target + slack)
        formulation.set_objective([])
        solution = solve(formulation)  # no start: the forced plan falls short of `reach`
        if solution.status == Status.INFEASIBLE:
            return False
        if solution.has_solution:
            return True
        self.proven = False  # neither a plan nor a proof: counted as blocking
        return False


_Group = tuple[_Lift, ...]  # constraints lifted together: a whole family, or one member


def _quick_xplain(
    fixed: list[_Lift], candidates: list[_Group], test: _Tester, *, tested: bool = False
) -> list[_Group]:
    """An irreducible subset of `candidates` that, lifted with `fixed`, frees the item.

    Junker's QuickXplain on a monotone test (lifting more never hurts), given that lifting
    `fixed` and every candidate frees it: halve the candidates, find what the second half
    must add to the first, then what the first must add to that. About 2k log(n/k) tests
    for k needed of n, instead of n for a one-by-one deletion filter. `tested` asks to
    test `fixed` alone first (it just grew, so it may free the item by itself).
    """
    if tested and test.free(fixed):
        return []
    if len(candidates) == 1:
        return list(candidates)
    half = len(candidates) // 2
    first, second = candidates[:half], candidates[half:]
    needed_second = _quick_xplain(fixed + _flat(first), second, test, tested=True)
    needed_first = _quick_xplain(
        fixed + _flat(needed_second), first, test, tested=bool(needed_second)
    )
    return needed_first + needed_second


def _flat(groups: Iterable[_Group]) -> list[_Lift]:
    return [lift for group in groups for lift in group]


def _blocking(plan: Plan, item: Initiative, deadline: float | None) -> tuple[tuple[str, ...], bool]:
    """The smallest set of named constraints blocking `item` (families, then members).

    An empty set with `proven` False means the search found nothing in time (or could not
    prove that lifting everything named here frees it).
    """
    test = _Tester(plan, item.id, deadline)
    families = [tuple(family) for family in _families(plan, item)]
    everything = _flat(families)
    if not test.free(everything):
        return (), test.proven  # the constraints named here do not explain it: its value does
    # Whole families first (lifting a family lifts all its members), then inside each.
    needed = _quick_xplain([], families, test)
    chosen = _flat(needed)
    for family in needed:
        if len(family) > 1:
            rest = [lift for lift in chosen if lift not in family]
            # `rest` alone cannot free it: the family-level result is irreducible.
            chosen = rest + _flat(_quick_xplain(rest, [(lift,) for lift in family], test))
    order = {lift.name: n for n, lift in enumerate(everything)}
    return tuple(sorted((lift.name for lift in chosen), key=order.__getitem__)), test.proven


def _shown(plan: Plan, item: Initiative, names: Sequence[str]) -> list[str]:
    """Blocking names for a reason: a family's name where the set holds all its members."""
    chosen = set(names)
    shown: list[str] = []
    for family in _families(plan, item):
        members = [lift.name for lift in family if lift.name in chosen]
        if len(family) > 1 and len(members) == len(family):
            shown.append(family[0].family)
        else:
            shown += members
    return shown


# --------------------------------------------------------------------------- explanations


def _binding(plan: Plan, item_id: str) -> tuple[str, ...]:
    """The budget and skill rows at their limit in the periods `item_id` runs in."""
    start = plan.schedule[item_id]
    item = plan.engagement.initiative_by_id[item_id]
    found = []
    for use in plan.usage[start : start + item.duration]:
        if use.budget is not None and use.spend >= use.budget * (1 - 1e-9) - _TOLERANCE:
            found.append(f"{use.label} budget")
        for skill in sorted(item.effort):
            hours = use.skills.get(skill)
            if hours is None or hours.capacity is None:
                continue
            limit = plan.engagement.capacity.contractors.get(skill)
            most = hours.capacity + (
                plan.engagement.per_period(limit.max, 0.0)[use.period] if limit else 0.0
            )
            if hours.used >= most - _TOLERANCE:
                found.append(f"{skill} hours in {use.label}")
    return tuple(found)


def _objectives(plan: Plan, item_id: str) -> tuple[str, ...]:
    graph = StrategyGraph(plan.prepared.engagement)
    return tuple(
        o.id
        for o in plan.engagement.objectives
        if o.kind == "business" and item_id in graph.served_by(o.id)
    )


def _forcing(cost: Cost, objective: str, *, into: bool, needed_by: Sequence[str] = ()) -> str:
    """The reason line for a cost of forcing in or out."""
    if cost.high is not None and math.isinf(cost.high):
        if into:
            return "cannot be forced in: no plan holds it with the rest of the mandatory work"
        who = f" (required by {', '.join(needed_by)})" if needed_by else ""
        return f"cannot be left out: the mandatory work needs it{who}"
    way = "in" if into else "out"
    if cost.proven:
        return f"forcing it {way} costs {cost.low:,.6g} of {objective} (proven)"
    high = "unknown" if cost.high is None else f"{cost.high:,.6g}"
    return f"forcing it {way} costs between {cost.low:,.6g} and {high} of {objective} (not proven)"


def _mandatory_requirers(engagement: Engagement, item_id: str) -> tuple[str, ...]:
    """The mandatory initiatives that require `item_id`, directly or down a chain."""
    by_id = engagement.initiative_by_id
    needing = {item_id}
    changed = True
    while changed:
        changed = False
        for other in engagement.initiatives:
            if other.id not in needing and needing & set(other.requires):
                needing.add(other.id)
                changed = True
    return tuple(i for i in sorted(needing - {item_id}) if by_id[i].mandatory)


def explain(
    plan: Plan,
    ids: Sequence[str] | None = None,
    *,
    blocking: bool = True,
    workers: int | None = None,
    time_budget: float | None = None,
    progress: Progress | None = None,
) -> tuple[Explanation, ...]:
    """Explain every initiative of a plan (or those in `ids`), in file order.

    `time_budget` (seconds, default none) bounds the whole call: each initiative gets an
    equal share of it (times the workers), half for its forced re-plan and the rest for
    its blocking tests. What a share cannot prove is given as the interval the bounds
    allow, and a blocking set not completed in time is marked unproven: never a point
    value without a proof. Without it each re-plan has the plan's own time limit.

    Each explanation re-plans the engagement once (forcing it in or out); a blocking set
    (`blocking=True`, for initiatives left out) costs about ``2k log(n/k)`` re-plans for
    `k` blocking constraints of `n` candidates. With `workers` above 1 (default: the CPU
    count when the re-plans would take more than 10 s in one process, judged by the
    plan's own time) the initiatives are explained in that many processes. Every re-plan
    runs on one thread (no race), so the result is the same whatever `workers` is.
    `progress(done, total)` is called as explanations finish, in order. Raises
    `InvalidEngagementError` for an id the engagement does not have, and for a plan
    without a schedule.

    >>> import itstrat_engine as it
    >>> e = it.generate(6, seed=3)
    >>> result = it.plan(e)
    >>> [(x.id, x.selected) for x in it.explain(result, blocking=False)][:2]
    [('init-0001', False), ('init-0002', True)]
    """
    if not plan.status.has_plan:
        raise InvalidEngagementError(
            [
                Problem(
                    code="no-plan",
                    path="plan",
                    message=f"a {plan.status.value} plan has no decisions to explain",
                    suggestion="see what must give in the plan's findings",
                )
            ]
        )
    effective = plan.engagement
    known = [i.id for i in effective.initiatives]
    wanted = known if ids is None else list(dict.fromkeys(ids))
    unknown = [i for i in wanted if i not in effective.initiative_by_id]
    if unknown:
        raise InvalidEngagementError(
            [
                Problem(
                    code="unknown-initiative",
                    path="ids",
                    message="no such initiative in the plan's engagement",
                    value=repr(u),
                    suggestion=did_you_mean(u, known) or "list the ids with itstrat plan --all",
                )
                for u in unknown
            ]
        )
    chosen = [i for i in known if i in wanted]
    count = worker_count(plan, len(chosen), workers, 3 if blocking else 1)
    share = time_share(time_budget, count, len(chosen))
    budget = None if share is None else (share, time.time() + (time_budget or 0.0) * 0.95)
    # One thread per re-plan, pool or not: a race's winner depends on timing, and the
    # plan a forced re-plan shows must depend on the input alone.
    return map_items(
        _explain_one, chosen, count, one_thread(plan), blocking, budget, progress=progress
    )


def _explain_one(
    plan: Plan, blocking: bool, budget: tuple[float, float] | None, item_id: str
) -> Explanation:
    """One explanation; `budget` is (seconds for it, wall-clock end of the whole call)."""
    item = plan.engagement.initiative_by_id[item_id]
    scored = plan.prioritization.initiative(item_id)
    common = {
        "id": item_id,
        "name": item.name,
        "score": scored.score,
        "steps": scored.steps,
        "objectives": _objectives(plan, item_id),
    }
    never = plan.prepared.never_schedulable().get(item_id)
    # The earlier of its own share and the end of the whole call.
    deadline = deadline_of(budget)
    return _one(plan, item, common, never, blocking=blocking, deadline=deadline)


def _one(
    plan: Plan,
    item: Initiative,
    common: dict[str, Any],
    never: str | None,
    *,
    blocking: bool,
    deadline: float | None,
) -> Explanation:
    selected = item.id in plan.schedule
    objective = plan.objective
    if item.forbidden:
        who = ", ".join(plan.prioritization.initiative(item.id).forbidden_by) or "the file"
        return Explanation(
            selected=False, reasons=(f"forbidden by {who}",), structural=True, **common
        )
    if never is not None:
        return Explanation(
            selected=False, reasons=(f"can never be scheduled: {never}",), structural=True, **common
        )
    if selected and item.mandatory:
        who = ", ".join(plan.prioritization.initiative(item.id).required_by) or "the file"
        return Explanation(
            selected=True,
            reasons=(f"mandatory (required by {who})",),
            binding=_binding(plan, item.id),
            **common,
        )
    prepared = plan.prepared
    left = seconds_left(deadline)
    if left is not None and left < TOO_LATE:
        return Explanation(
            selected=selected,
            reasons=("not explained: the time budget ran out before its re-plan",),
            binding=_binding(plan, item.id) if selected else (),
            explained=False,
            **common,
        )
    if left is not None:  # half the share for the forced plan when blocking tests follow
        prepared = limited(prepared, left / 2 if blocking and not selected else left)
    gated = _gated(prepared, item.id, mandatory=not selected)
    # Forced out, the plan without it (and what requires it) is a feasible start.
    start = _without_item(plan, item.id) if selected else None
    forced = _replan(prepared, gated, settle_ties=True, start=start)
    cost = _cost(plan, forced)
    change = difference(plan, forced, ignore=[item.id]) if forced.status.has_plan else None
    if selected:
        replaced = f"; replaced by {', '.join(change.added)}" if change and change.added else ""
        return Explanation(
            selected=True,
            reasons=(
                _forcing(
                    cost,
                    objective,
                    into=False,
                    needed_by=_mandatory_requirers(plan.engagement, item.id),
                )
                + replaced,
            ),
            cost_of_forcing=cost,
            change=change,
            binding=_binding(plan, item.id),
            **common,
        )
    reasons = [_forcing(cost, objective, into=True)]
    threshold = None
    if (
        objective == "value"
        and plan.settings.timing == "once"
        and cost.proven
        and math.isfinite(cost.low)
    ):
        threshold = (item.value or 0.0) + cost.low
        reasons.append(
            f"it would enter with a value of {threshold:,.6g} (now {item.value or 0:,.6g})"
        )
    names: tuple[str, ...] = ()
    proven = True
    if cost.proven and cost.low <= _TOLERANCE * max(1.0, abs(plan.objective_value or 0.0)):
        reasons.append("an equally good plan holds it: the optimum is a tie")
    elif blocking and not (cost.high is not None and math.isinf(cost.high)):
        names, proven = _blocking(plan, item, deadline)
        if names:
            shown = ", ".join(_shown(plan, item, names))
            reasons.append(f"blocked by {shown}" + ("" if proven else " (not proven)"))
        elif not proven:
            reasons.append("no blocking set found within the time budget")
        else:
            reasons.append(
                "no budget, capacity or rule blocks it: its value is too low for its cost"
            )
    return Explanation(
        selected=False,
        reasons=tuple(reasons),
        cost_of_forcing=cost,
        threshold=threshold,
        change=change,
        blocking=names,
        blocking_proven=proven,
        **common,
    )
