"""Exact Pareto fronts for two objectives: every nondominated plan, each proven or marked.

`pareto(engagement, ("value", "cost"))` finds the whole nondominated set of two objectives
among value (the planner's value objective, larger better), cost (total spend over the
horizon, smaller better), coverage (priority-weighted issue coverage, larger better), risk
(the sum of the selected initiatives' `risk` scores, or of a free field a rule pack reads
when `risk_field` names one, smaller better) and makespan (the
latest finish, smaller better), by the epsilon-constraint method with a lexicographic
tie-break:

1. optimize the first objective with the second held at least a step better than the last
   point's (no hold for the first point);
2. optimize the second with the first held at that optimum: the point is efficient, not
   merely weakly efficient;
3. repeat until the first solve is infeasible: then every nondominated point was found.

Two solves per point, plus the one that ends the sweep. The step is the smallest difference
the second objective is told apart by (`resolution`, at least a hundredth of money for
cost, one period for makespan, 1e-4 otherwise): points closer than it are one point. Every
point's figures are recomputed from its schedule by the contract module; a point whose
solves were not both proven keeps the first solve's bound and marks the front incomplete,
as does a sweep cut short by its time budget or `max_points`. The hypervolume (the area the
front dominates up to a reference point, by default its nadir) summarizes a front in one
number for comparing methods.
"""

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, Unpack

import attrs
import pulp

from itstrat_engine import formatting
from itstrat_engine.errors import InvalidEngagementError, Problem, did_you_mean
from itstrat_engine.model import Engagement, PlanObjective
from itstrat_engine.optimize import Plan, Prepared, Status, prepare
from itstrat_engine.optimize.contract import Schedule, objective_value, timed_value
from itstrat_engine.optimize.decoding import from_schedule
from itstrat_engine.optimize.formulation import Formulation, formulate
from itstrat_engine.optimize.preparation import Overrides
from itstrat_engine.optimize.solution import Solution, run
from itstrat_engine.rules.evaluate import PackReference

__all__ = ["OBJECTIVES", "Pareto", "ParetoPoint", "hypervolume", "pareto"]

ObjectiveName = Literal["value", "cost", "coverage", "risk", "makespan"]
OBJECTIVES: Mapping[str, int] = {"value": 1, "coverage": 1, "cost": -1, "risk": -1, "makespan": -1}
"""The objectives a front can take, with their sense: 1 larger is better, -1 smaller."""
_SHORTEST = 0.2  # seconds left below which no solve is started
_PLANNER: Mapping[str, PlanObjective] = {
    "value": "value",
    "coverage": "coverage",
    "cost": "cost",
    "makespan": "makespan",
}  # how the contract module scores each (risk is summed here)

Terms = list[tuple[pulp.LpVariable, float]]


@attrs.frozen(kw_only=True)
class ParetoPoint:
    """One nondominated plan: its figure for each objective, in the front's order.

    `bound` is the best the first objective could reach at this point's hold on the
    second (equal to ``values[0]`` when proven). `plan` is the schedule as a plan (figures
    from the contract module; its own status says ``feasible``: `proven` is the point's).
    """

    values: tuple[float, ...]
    bound: float
    proven: bool
    selected: tuple[str, ...]
    schedule: Mapping[str, int]
    plan: Plan = attrs.field(eq=False, repr=False)

    def as_dict(self, objectives: Sequence[str]) -> dict[str, Any]:
        """Plain JSON-ready data: one key per objective, then the proof and the plan."""
        return {
            **dict(zip(objectives, self.values, strict=True)),
            "bound": self.bound,
            "status": "optimal" if self.proven else "feasible",
            "selected": list(self.selected),
            "schedule": dict(self.schedule),
        }


@attrs.frozen(kw_only=True)
class Pareto:
    """The nondominated set, best first objective first.

    `complete` is False whenever a solve hit its limit, the time budget ran out or
    `max_points` stopped the sweep: then points may be missing between or after those shown.
    `risk_field` is the free field summed as risk (None: the initiatives' risk scores).
    """

    objectives: tuple[str, ...]
    points: tuple[ParetoPoint, ...]
    complete: bool
    solves: int
    step: float
    stopped: str = ""
    risk_field: str | None = None

    def label(self, name: str) -> str:
        """How an objective is titled: risk names the field it sums."""
        return f"risk ({self.risk_field})" if name == "risk" and self.risk_field else name

    @property
    def senses(self) -> tuple[int, ...]:
        """1 for an objective maximized, -1 for one minimized, in the front's order."""
        return tuple(OBJECTIVES[o] for o in self.objectives)

    def hypervolume(self, reference: Sequence[float] | None = None) -> float:
        """The area the front dominates up to `reference` (default: the front's nadir)."""
        return hypervolume(
            [p.values for p in self.points], [OBJECTIVES[o] for o in self.objectives], reference
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``itstrat frontier --objectives a,b --format json``)."""
        return {
            "objectives": list(self.objectives),
            "senses": ["max" if OBJECTIVES[o] > 0 else "min" for o in self.objectives],
            "points": [p.as_dict(self.objectives) for p in self.points],
            "complete": self.complete,
            "solves": self.solves,
            "step": self.step,
            "hypervolume": self.hypervolume() if self.points else 0.0,
            "stopped": self.stopped,
            "risk_field": self.risk_field,
        }


def hypervolume(
    points: Iterable[Sequence[float]],
    senses: Sequence[int],
    reference: Sequence[float] | None = None,
) -> float:
    """The area (two objectives) or volume (three) that `points` dominate up to `reference`.

    `senses` holds 1 for an objective to maximize, -1 to minimize; `reference` defaults to
    the nadir (the worst figure of each objective among the points). Points not better
    than the reference in every objective add nothing.

    >>> hypervolume([(3, 2), (1, 1)], [1, -1], reference=(0, 4))  # 3 x 2 + 1 x 3 - 1 x 2
    7.0
    """
    oriented = [tuple(s * v for s, v in zip(senses, p, strict=True)) for p in points]
    if not oriented:
        return 0.0
    if reference is None:
        ref = tuple(min(p[k] for p in oriented) for k in range(len(senses)))
    else:
        ref = tuple(s * r for s, r in zip(senses, reference, strict=True))
    kept = [p for p in oriented if all(v > r for v, r in zip(p, ref, strict=True))]
    return _volume(kept, ref)


def _volume(points: list[tuple[float, ...]], ref: tuple[float, ...]) -> float:
    """The dominated volume of maximized points above `ref`, by slicing the last axis."""
    if not points:
        return 0.0
    if len(ref) == 1:
        return max(p[0] for p in points) - ref[0]
    # Between consecutive levels of the last objective, the points at or above the level
    # dominate a slice whose area is the front of the remaining objectives.
    levels = sorted({p[-1] for p in points})
    volume, below = 0.0, ref[-1]
    for level in levels:
        above = [p[:-1] for p in points if p[-1] >= level]
        volume += (level - below) * _volume(above, ref[:-1])
        below = level
    return volume


def pareto(
    engagement: Engagement,
    objectives: Sequence[str] = ("value", "cost"),
    *,
    rules: PackReference | Iterable[PackReference] | None = None,
    params: Mapping[str, object] | None = None,
    resolution: float | None = None,
    risk_field: str | None = None,
    time_budget: float | None = None,
    max_points: int = 1000,
    progress: Callable[[str], None] | None = None,
    **overrides: Unpack[Overrides],
) -> Pareto:
    """The exact nondominated set of two objectives (see the module docstring).

    `risk_field` makes risk the sum of that free field of each initiative (``fields``; 0
    where an initiative has none). `overrides` are the planner's (time_limit per solve,
    solver is ignored: the sub-solves run on HiGHS, timing and discount_rate shape the value
    objective). `progress(message)` is told after each point. Raises
    `InvalidEngagementError` for an unknown or repeated objective, a
    number of objectives other than two, a risk field no initiative has or without the risk
    objective, or a bad resolution, time budget or point limit.
    """
    names = _checked(objectives, resolution, risk_field, time_budget, max_points)
    started = time.perf_counter()
    prepared = prepare(engagement, rules=rules, params=params, **_settings(names, overrides))
    prepared = prepared.with_settings(threads=1)  # one thread: the same front every run
    risks = risk_of(prepared.effective, risk_field)
    if prepared.findings:
        return Pareto(
            objectives=names,
            points=(),
            complete=True,
            solves=0,
            step=0.0,
            stopped="infeasible",
            risk_field=risk_field,
        )
    first, second = names
    points: list[ParetoPoint] = []
    hold: float | None = None
    solves, complete, stopped, step = 0, True, "", 0.0
    start: Schedule | None = None
    while True:
        if len(points) >= max_points:
            complete, stopped = False, f"stopped at {max_points} points"
            break
        left = _left(started, time_budget)
        if left is not None and left < _SHORTEST:
            complete, stopped = False, "the time budget ran out"
            break
        top = _solve(prepared, risks, (first, second), hold, None, start, left)
        solves += 1
        if top.status == Status.INFEASIBLE:
            break
        if not top.has_solution or top.incumbent is None:
            complete, stopped = False, f"a solve ended without a plan ({top.status.value})"
            break
        bound = top.bound if top.bound is not None else math.inf * OBJECTIVES[first]
        left = _left(started, time_budget)
        tie = _solve(prepared, risks, (second, first), None, top.incumbent, top.schedule, left)
        solves += 1
        chosen = tie if tie.has_solution else top
        proven = top.status == Status.OPTIMAL and tie.status == Status.OPTIMAL
        point = _point(prepared, risks, names, chosen.schedule, bound, proven)
        complete = complete and proven
        points.append(point)
        if progress is not None:
            progress(f"{formatting.plural(len(points), 'point')} found")
        step = _step(second, point.values[1], resolution)
        if step > _step(second, point.values[1], None):
            # Points closer than the resolution were skipped: not the whole front.
            complete, stopped = False, f"a resolution of {resolution:g} skipped closer points"
        hold = point.values[1] + OBJECTIVES[second] * step
        start = chosen.schedule
    return Pareto(
        objectives=names,
        points=tuple(points),
        complete=complete,
        solves=solves,
        step=step,
        stopped=stopped,
        risk_field=risk_field,
    )


def _checked(
    objectives: Sequence[str],
    resolution: float | None,
    risk_field: str | None,
    time_budget: float | None,
    max_points: int,
) -> tuple[str, str]:
    names = tuple(objectives)
    problems = [
        Problem(
            code="unknown-objective",
            path="objectives",
            message="not an objective a front can take",
            value=repr(name),
            expected=", ".join(OBJECTIVES),
            suggestion=did_you_mean(name, list(OBJECTIVES)) or "e.g. value,cost",
        )
        for name in names
        if name not in OBJECTIVES
    ]
    if not problems and (len(names) != 2 or len(set(names)) != 2):
        problems.append(
            Problem(
                code="two-objectives",
                path="objectives",
                message="a front takes two different objectives",
                value=",".join(names),
                suggestion="e.g. value,cost or value,risk",
            )
        )
    if risk_field is not None and "risk" not in names:
        problems.append(
            Problem(
                code="unused-risk-field",
                path="risk_field",
                message="a risk field is summed only by the risk objective, which the front lacks",
                value=repr(risk_field),
                suggestion="add risk to the objectives, e.g. value,risk",
            )
        )
    for name, number, least in (
        ("resolution", resolution, 0.0),
        ("time_budget", time_budget, 0.0),
    ):
        if number is not None and not (math.isfinite(number) and number > least):
            problems.append(
                Problem(
                    code=f"invalid-{name.replace('_', '-')}",
                    path=name,
                    message=f"the {name.replace('_', ' ')} must be a number > 0",
                    value=repr(number),
                )
            )
    if isinstance(max_points, bool) or not isinstance(max_points, int) or max_points < 1:
        problems.append(
            Problem(
                code="invalid-max-points",
                path="max_points",
                message="the most points to find must be a whole number >= 1",
                value=repr(max_points),
            )
        )
    if problems:
        raise InvalidEngagementError(problems)
    return names[0], names[1]


def risk_of(engagement: Engagement, field: str | None) -> dict[str, float]:
    """Each initiative's risk figure: its `risk` score, or its free field `field` (0 if none).

    Raises `InvalidEngagementError` for a field no initiative has.
    """
    if field is None:
        return {item.id: item.risk for item in engagement.initiatives}
    known = sorted({name for item in engagement.initiatives for name in item.fields})
    if field not in known:
        raise InvalidEngagementError(
            [
                Problem(
                    code="unknown-field",
                    path="risk_field",
                    message="no initiative has this field",
                    value=repr(field),
                    expected=", ".join(known) or "a field in an initiative's fields table",
                    suggestion=did_you_mean(field, known) or "add it to the initiatives' fields",
                )
            ]
        )
    return {item.id: float(item.fields.get(field, 0.0)) for item in engagement.initiatives}


def _settings(names: Sequence[str], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Planner settings for the front: coverage variables exist only for that objective."""
    given = {k: v for k, v in overrides.items() if k != "solver"}
    return {**given, "objective": "coverage" if "coverage" in names else "value"}


def _left(started: float, budget: float | None) -> float | None:
    return None if budget is None else budget - (time.perf_counter() - started)


def _step(name: str, level: float, resolution: float | None) -> float:
    """How much better the next point's second objective must be than `level`."""
    if name == "makespan":
        least = 1.0
    elif name == "cost":
        least = max(0.01, 2e-6 * abs(level))  # the budget tolerance `verify` allows
    else:
        least = max(1e-4, 1e-6 * abs(level))
    return max(least, resolution or 0.0)


def _solve(
    prepared: Prepared,
    risks: Mapping[str, float],
    pair: tuple[str, str],
    at_least: float | None,
    at_level: float | None,
    start: Schedule | None,
    left: float | None,
) -> Solution:
    """Optimize `optimize`, `held` no worse than `at_least` or (tie-break) `at_level`.

    `pair` is (optimize, held); `at_least` is a step past the last point's figure;
    `at_level` the optimum just found.
    """
    optimize, held = pair
    if left is not None:
        limit = max(_SHORTEST, min(prepared.settings.time_limit, left))
        prepared = prepared.with_settings(time_limit=limit)
    formulation = formulate(prepared)
    goal = _terms(formulation, optimize, risks)
    kept = _terms(formulation, held, risks)
    for key, level in ((("hold",), at_least), (("tie",), at_level)):
        if level is None:
            continue
        sense = pulp.LpConstraintGE if OBJECTIVES[held] > 0 else pulp.LpConstraintLE
        slack = 0.0 if key == ("hold",) else 1e-6 * max(1.0, abs(level))
        shifted = level - slack if OBJECTIVES[held] > 0 else level + slack
        formulation.constrain(key, pulp.LpAffineExpression(kept), sense, shifted)
    formulation.set_objective(goal, maximize=OBJECTIVES[optimize] > 0)
    return run("highs", formulation, prepared.settings, start)


def _terms(formulation: Formulation, name: str, risks: Mapping[str, float]) -> Terms:
    """The objective `name` as a linear expression over the formulation's columns."""
    prepared = formulation.prepared
    engagement = prepared.effective
    by_id = engagement.initiative_by_id
    if name == "value":
        settings = attrs.evolve(prepared.settings, objective="value")
        return [
            (var, timed_value(engagement, by_id[i], s, settings))
            for (i, s), var in formulation.x.items()
        ]
    if name == "risk":
        return [(var, risks[i]) for (i, _), var in formulation.x.items() if risks[i]]
    if name == "cost":
        draws = set(formulation.draws.values())  # pool money is spend all the same
        return [
            (v, c) for v, c in formulation.rows["budget-total",].items() if c and v not in draws
        ]
    if name == "coverage":
        from itstrat_engine.optimize.contract import issue_priority  # noqa: PLC0415

        return [(y, issue_priority(engagement, q)) for q, y in formulation.cover.items()]
    return [(_makespan(formulation), 1.0)]


def _makespan(formulation: Formulation) -> pulp.LpVariable:
    """The latest finish as a column (built once per formulation)."""
    if formulation.makespan is not None:
        return formulation.makespan
    engagement = formulation.prepared.effective
    finish = formulation.problem.add_variable("makespan", 0, engagement.periods, pulp.LpInteger)
    by_id = engagement.initiative_by_id
    for item in engagement.initiatives:
        terms = [(finish, 1.0)] + [
            (var, -float(s + by_id[i].duration))
            for (i, s), var in formulation.x.items()
            if i == item.id
        ]
        formulation.constrain(
            ("finish", item.id), pulp.LpAffineExpression(terms), pulp.LpConstraintGE, 0
        )
    formulation.makespan = finish
    return finish


def figures(
    prepared: Prepared,
    schedule: Schedule,
    names: Sequence[str],
    risks: Mapping[str, float] | None = None,
) -> tuple[float, ...]:
    """Each objective of a schedule, recomputed by the contract module (not the solver).

    `risks` are the initiatives' risk figures (default: their `risk` scores).
    """
    engagement = prepared.effective
    risks = risk_of(engagement, None) if risks is None else risks
    found = []
    for name in names:
        if name == "risk":
            found.append(math.fsum(risks[i] for i in sorted(schedule)))
            continue
        settings = attrs.evolve(prepared.settings, objective=_PLANNER[name])
        found.append(objective_value(engagement, schedule, settings))
    return tuple(found)


def _point(
    prepared: Prepared,
    risks: Mapping[str, float],
    names: Sequence[str],
    schedule: Schedule,
    bound: float,
    proven: bool,
) -> ParetoPoint:
    values = figures(prepared, schedule, names, risks)
    return ParetoPoint(
        values=values,
        bound=values[0] if proven else bound,
        proven=proven,
        selected=tuple(i.id for i in prepared.effective.initiatives if i.id in schedule),
        schedule=dict(sorted(schedule.items())),
        plan=from_schedule(prepared, schedule, solver="highs"),
    )
