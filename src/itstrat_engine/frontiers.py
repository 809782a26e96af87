"""The efficient frontier over budget: every breakpoint, each a proven plan, and the greedy curve.

"How much roadmap does each extra dollar buy?" Choosing whole initiatives makes the answer a
step function of the budget. `frontier(engagement)` finds every step by a lexicographic
descending sweep: plan with the budget at the top of the range (maximize the objective,
then, among optimal plans, spend least: the planner's settling solve); that plan is optimal
for every budget from its spend up to the top, so the next solve is just below its spend;
repeat until no plan is feasible or the range ends. One solve per breakpoint, plus the one
that finds the bottom.

Two modes: ``total`` varies the total budget (the per-period, fiscal-year, capex and opex
budgets stay as the file sets them); ``scale`` multiplies every budget the file sets by one
factor, so the curve answers "what if all our budgets were x% of today's".

Beside it, the greedy curve: rank the initiatives by what each adds to the objective per
unit of its own spend, then fund them in that order at their earliest start that keeps every
rule of the engagement (prerequisites first, exclusions, groups, period and skill limits);
mandatory work first. The greedy plan is checked with `verify`, so it can never be above the
frontier; the gap at each breakpoint is what optimizing is worth over ranking.

A point whose solve stopped at its limit is a certified band: the plan found, and the
solver's bound above it; the frontier is then marked incomplete.
"""

import math
import multiprocessing
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, Literal, Unpack

import attrs

from itstrat_engine import formatting
from itstrat_engine.errors import InvalidEngagementError, Problem
from itstrat_engine.model import Engagement
from itstrat_engine.optimize.contract import money_rows, pool_funding
from itstrat_engine.optimize.preparation import Overrides, Prepared, prepare
from itstrat_engine.optimize.result import Plan, Status
from itstrat_engine.resolves import POOL_AFTER, cores
from itstrat_engine.rules.evaluate import PackReference

if TYPE_CHECKING:
    from itstrat_engine.optimize.cpsat import LevelModel

__all__ = ["Frontier", "FrontierPoint", "GreedyPoint", "frontier", "greedy_plan", "level_text"]

Mode = Literal["total", "scale"]
_MAXIMIZED = frozenset({"value", "coverage", "npv"})
_SCALED = (
    "budget",
    "budget_per_period",
    "budget_per_year",
    "capex_per_period",
    "opex_per_period",
    "capex_per_year",
    "opex_per_year",
)
# Budgets closer than this (relative) are not told apart: it is the tolerance `verify`
# allows a plan on a budget row, so a plan at budget B may spend up to B (1 + 2e-6).
_RESOLUTION = 2e-6
_SMALLEST_STEP = 0.01
_SHORTEST = 0.2  # seconds left below which no solve is started


@attrs.frozen(kw_only=True)
class FrontierPoint:
    """One step of the frontier: this plan is optimal for every budget from `budget` to `to`.

    `budget` is the least budget (mode ``total``: money; ``scale``: the factor) at which the
    plan is feasible; `to` the top of its step (None: any budget above). `value` and
    `bound` are the plan's objective and the solver's bound (equal when proven).
    """

    budget: float
    to: float | None
    value: float
    bound: float | None
    status: Status
    spend: float
    plan: Plan = attrs.field(repr=False, eq=False)

    @property
    def proven(self) -> bool:
        """Whether the solver proved the plan optimal at the top of its step."""
        return self.status == Status.OPTIMAL

    @property
    def selected(self) -> tuple[str, ...]:
        """The initiatives of the plan, sorted."""
        return tuple(sorted(self.plan.schedule))


@attrs.frozen(kw_only=True)
class GreedyPoint:
    """The greedy ranking's plan at one budget: its value (None when it finds no plan)."""

    budget: float
    value: float | None
    selected: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Frontier:
    """Every breakpoint (highest budget first), the greedy curve at each, and who is in when.

    `initiatives` maps each initiative ever selected to the budget intervals ``[from, to]``
    (``to`` None: unbounded above) in which it is in the optimal plan; `nested` is False for
    one that enters and leaves again as the budget grows. `infeasible_below`: no plan
    exists below this budget; `timed_out`: the time budget ran out with budgets below
    `explored_down_to` unexplored (None: it ran out before the first solve, at the top). `complete` is False when any solve stopped at its limit, the time
    budget ran out or a resolution skipped budgets. `solves` counts the plans made.
    """

    mode: Mode
    objective: str
    points: tuple[FrontierPoint, ...]
    greedy: tuple[GreedyPoint, ...]
    initiatives: dict[str, tuple[tuple[float, float | None], ...]]
    infeasible_below: float | None
    explored_down_to: float | None
    timed_out: bool
    complete: bool
    solves: int
    base_budget: float | None
    stopped: str = ""
    """Why the sweep ended above the range's low end ("": it did not), e.g. a solve that
    found no plan within its limit: budgets below it are unexplored."""

    @property
    def nested(self) -> dict[str, bool]:
        """For each initiative, whether it stays in once it has entered (budgets growing)."""
        top = self.points[0].to if self.points else None
        return {
            item_id: len(spans) == 1 and spans[0][1] == top
            for item_id, spans in self.initiatives.items()
        }

    @property
    def knee(self) -> FrontierPoint | None:
        """The breakpoint farthest from the chord between the cheapest and dearest points.

        Both axes are scaled to 0..1 first; None with fewer than three points.
        """
        if len(self.points) < 3:
            return None
        low, high = self.points[-1], self.points[0]
        width = (high.budget - low.budget) or 1.0
        height = (high.value - low.value) or 1.0

        def distance(p: FrontierPoint) -> float:
            x, y = (p.budget - low.budget) / width, (p.value - low.value) / height
            return y - x  # above the chord from (0, 0) to (1, 1)

        return max(self.points[1:-1], key=distance)

    def marginal(self) -> tuple[float | None, ...]:
        """Value per extra unit of budget from each point to the next cheaper one."""
        rates: list[float | None] = []
        for upper, lower in zip(self.points, self.points[1:], strict=False):
            step = upper.budget - lower.budget
            rates.append((upper.value - lower.value) / step if step > 0 else None)
        return (*rates, None)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the keys of ``itstrat frontier --format json``)."""
        knee = self.knee
        greedy = {g.budget: g for g in self.greedy}
        return {
            "mode": self.mode,
            "objective": self.objective,
            "base_budget": self.base_budget,
            "complete": self.complete,
            "solves": self.solves,
            "infeasible_below": self.infeasible_below,
            "timed_out": self.timed_out,
            "explored_down_to": self.explored_down_to,
            "stopped": self.stopped,
            "knee": None if knee is None else knee.budget,
            "points": [
                {
                    "budget": p.budget,
                    "to": p.to,
                    "value": p.value,
                    "bound": p.bound,
                    "spend": p.spend,
                    "status": p.status.value,
                    "selected": list(p.selected),
                    "value_per_unit": rate,
                    "greedy_value": greedy[p.budget].value if p.budget in greedy else None,
                }
                for p, rate in zip(self.points, self.marginal(), strict=True)
            ],
            "greedy": [
                {
                    "budget": g.budget,
                    "value": g.value,
                    "gap": None if g.value is None else _gap(self, g),
                    "selected": list(g.selected),
                }
                for g in self.greedy
            ],
            "initiatives": {
                item_id: [[a, b] for a, b in spans] for item_id, spans in self.initiatives.items()
            },
            "nested": self.nested,
        }


def _gap(result: Frontier, point: GreedyPoint) -> float | None:
    for p in result.points:
        if p.budget <= point.budget and (p.to is None or point.budget <= p.to):
            return None if point.value is None else p.value - point.value
    return None


def frontier(
    engagement: Engagement,
    *,
    mode: Mode = "total",
    low: float | None = None,
    high: float | None = None,
    resolution: float = 0.0,
    time_budget: float | None = None,
    rules: PackReference | Iterable[PackReference] | None = None,
    params: Mapping[str, object] | None = None,
    executor: Executor | None = None,
    segments: int = 8,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
    **overrides: Unpack[Overrides],
) -> Frontier:
    """Every breakpoint of the objective against the budget (see the module docstring).

    `low` and `high` bound the range (mode ``total``: money; ``scale``: the factor);
    without `high` the sweep starts where more budget buys nothing more, without `low` it
    goes down until no plan is feasible. `resolution` (default 0: every breakpoint) skips
    that much budget below each point before the next solve: each point is still proven,
    and in a skipped gap the curve lies between its two neighbours. `time_budget` stops the
    sweep when it runs out (`explored_down_to` says where). With an `executor` (a process
    pool, a dask client's ``get_executor()``) the range below the top step is cut into
    `segments` equal ranges swept at once, each on one solver thread: the same steps, a few
    more solves. Without an executor the sweep runs here, and when it is still going after
    `POOL_AFTER` seconds the rest of the range goes to a pool of `workers` processes in the
    same way (default: one per core; 1 keeps it here). `progress(message)` is told after
    each step swept here and when the workers take over. `rules`, `params` and `overrides`
    are those of `plan`. Raises `InvalidEngagementError` for the ``cost`` objective (the
    budget is then what is minimized) or a range that is empty.

    >>> import itstrat_engine as it
    >>> f = frontier(it.generate(6, seed=2))
    >>> [p.status.value for p in f.points][:2], f.complete
    (['optimal', 'optimal'], True)
    """
    prepared = prepare(engagement, rules=rules, params=params, **overrides)
    _check(prepared, mode, low, high, resolution, time_budget, segments, workers)
    deadline = None if time_budget is None else time.time() + time_budget
    if executor is not None:
        head = _sweep(prepared, mode, high, low, resolution, deadline, solves=1)
        sweep = _apart(prepared, head, mode, low, resolution, deadline, executor, segments)
    else:
        count = cores() if workers is None else workers
        until = time.perf_counter() + POOL_AFTER if count > 1 else None
        sweep = _sweep(prepared, mode, high, low, resolution, deadline, until=until, told=progress)
        if sweep.paused:  # a long sweep: the rest of the range on every core
            processes = min(count, segments)
            if progress is not None:
                below = level_text(mode, sweep.points[-1].budget)
                found = formatting.plural(len(sweep.points), "step")
                progress(f"{found} found; below {below} on {processes} processes")
            context = multiprocessing.get_context("spawn")  # solvers are not fork-safe
            with ProcessPoolExecutor(processes, mp_context=context) as pool:
                sweep = _apart(prepared, sweep, mode, low, resolution, deadline, pool, segments)
    points = sweep.points
    greedy = tuple(_greedy_at(prepared, mode, p.budget) for p in points)
    return Frontier(
        mode=mode,
        objective=prepared.settings.objective,
        points=points,
        greedy=greedy,
        initiatives=_intervals(points),
        infeasible_below=sweep.infeasible_below,
        explored_down_to=sweep.explored_down_to,
        timed_out=sweep.timed_out,
        complete=all(p.proven for p in points)
        and not (sweep.timed_out or sweep.stopped or resolution),
        solves=sweep.solves,
        base_budget=prepared.effective.capacity.budget,
        stopped=sweep.stopped,
    )


@attrs.frozen(kw_only=True)
class _Sweep:
    """The steps a descending sweep found (highest budget first) and how it ended."""

    points: tuple[FrontierPoint, ...]
    solves: int
    infeasible_below: float | None = None  # no plan below this budget
    explored_down_to: float | None = None  # the time ran out here
    timed_out: bool = False
    paused: bool = False  # stopped early on purpose: the range below the last step is open
    stopped: str = ""  # why it ended before the range did (a solve without a plan)


def _sweep(
    prepared: Prepared,
    mode: Mode,
    top: float | None,
    low: float | None,
    resolution: float,
    deadline: float | None,
    *,
    solves: int | None = None,
    until: float | None = None,
    told: Callable[[str], None] | None = None,
) -> _Sweep:
    """Every step from `top` down to the first whose plan is feasible at `low` (or none).

    Paused after `solves` solves, or after the first solve that ends past `until` (a
    `time.perf_counter` time), with the range below its last step still to sweep. `told`
    hears of each step.
    """
    from itstrat_engine.optimize.planner import plan_prepared  # noqa: PLC0415 - solvers

    levels = _Levels(prepared, mode)
    points: list[FrontierPoint] = []
    made = 0
    start: Mapping[str, int] | None = None
    while True:
        variant = _at(prepared, mode, top)
        if deadline is not None:
            left = deadline - time.time()
            if left < _SHORTEST:
                return _Sweep(
                    points=tuple(points), solves=made, explored_down_to=top, timed_out=True
                )
            variant = variant.with_settings(time_limit=min(variant.settings.time_limit, left))
        result = levels.plan(variant, start)
        made += 1
        if result.status == Status.INFEASIBLE:
            if top is None:  # planned anew for the diagnosis
                raise _infeasible_anyway(plan_prepared(variant), mode)
            return _Sweep(points=tuple(points), solves=made, infeasible_below=top)
        if not result.status.has_plan or result.objective_value is None:
            level = "the top (budgets unlimited)" if top is None else level_text(mode, top)
            stopped = f"the solve at {level} ended without a plan ({result.status.value})"
            return _Sweep(points=tuple(points), solves=made, stopped=stopped)
        least = _least_budget(result, prepared.effective, mode)
        if top is not None:
            least = min(least, top)
        point = FrontierPoint(
            budget=least,
            to=top,
            value=result.objective_value,
            bound=result.best_bound,
            status=result.status,
            spend=result.total_spend,
            plan=result,
        )
        _add(points, point)
        if told is not None:
            told(
                f"{formatting.plural(len(points), 'step')} found, down to {level_text(mode, least)}"
            )
        if low is not None and least <= low:
            return _Sweep(points=tuple(points), solves=made)
        top = _below(least, mode, resolution)
        if top < 0:
            return _Sweep(points=tuple(points), solves=made, infeasible_below=0.0)
        if made == solves or (until is not None and time.perf_counter() > until):
            return _Sweep(points=tuple(points), solves=made, paused=True)
        start = result.schedule


class _Levels:
    """Plans at a sweep's budget levels, in the order the sweep asks for them.

    With CP-SAT where ``auto`` would race it (or asked for), one `LevelModel` is built for
    the whole sweep and moved from level to level: no build per level, the last plan as the
    hint, and in mode ``total`` (without funding pools, whose money does not count as
    budget) the cutoff the previous level proved: below its least spend no plan is as good,
    so a plan one step worse is optimal as soon as it is found. Each level's plan is the
    least-spend one at its optimum, decided by the level alone. Otherwise each level is
    planned anew (`plan_prepared`).
    """

    def __init__(self, prepared: Prepared, mode: Mode) -> None:
        self.model = _level_model(prepared, mode)
        self.cuts = mode == "total" and self.model is not None and not self.model.formulation.draws
        self.cutoff: tuple[int, int] | None = None

    def plan(self, variant: Prepared, start: Mapping[str, int] | None) -> Plan:
        from itstrat_engine.optimize.decoding import decode  # noqa: PLC0415 - solvers
        from itstrat_engine.optimize.planner import (  # noqa: PLC0415
            adopt_settled,
            checked,
            plan_prepared,
        )

        model, cutoff, self.cutoff = self.model, self.cutoff, None
        if model is None or variant.findings:
            return plan_prepared(variant, start=start, settle_ties="always")
        started = time.perf_counter()
        model.retarget(variant)
        settings = attrs.evolve(variant.settings, threads=1)
        solution = model.best(settings, start, cutoff if self.cuts else None)
        result = decode(variant, model.formulation, solution)
        value = result.objective_value
        if result.status == Status.OPTIMAL and value is not None:
            left = settings.time_limit - (time.perf_counter() - started)
            settled, next_cutoff = model.least_spend(value, left)
            canonical = adopt_settled(result, model.formulation, solution, settled)
            if canonical is not result:  # the least spend is proven: the cutoff holds
                self.cutoff = next_cutoff
            result = canonical
        elapsed = time.perf_counter() - started
        return attrs.evolve(checked(result), seconds=elapsed, timings={"solve": elapsed})


def _level_model(prepared: Prepared, mode: Mode) -> "LevelModel | None":
    """The sweep's CP-SAT model, or None where the engine's evidence says plan anew.

    ``auto`` would race CP-SAT on a model with a choice of starts and at most
    `RACE_MAX_STARTS` of them, and a sweep runs each level on one thread: there CP-SAT
    alone, moved from level to level, is what the measurements favour (docs/performance.md,
    Budget frontier). Pure selection goes to CBC and large models to HiGHS, as in `plan`.
    """
    from itstrat_engine.optimize import cpsat  # noqa: PLC0415 - solvers
    from itstrat_engine.optimize.formulation import LIMIT_ROWS, formulate  # noqa: PLC0415
    from itstrat_engine.optimize.portfolio import RACE_MAX_STARTS  # noqa: PLC0415

    solver = prepared.settings.solver
    if solver not in {"auto", "cpsat"} or not cpsat.available() or prepared.findings:
        return None
    formulation = formulate(prepared)
    choice = any(len(options) > 1 for options in formulation.starts.values())
    if solver == "auto" and not (choice and len(formulation.x) <= RACE_MAX_STARTS):
        return None
    varied = frozenset(
        key
        for key in formulation.rows
        if key == ("budget-total",) or (mode == "scale" and key[0] in LIMIT_ROWS - {"skill"})
    )
    model = cpsat.LevelModel(formulation, varied)
    return model if model.sound else None


def level_text(mode: Mode, level: float) -> str:
    """A budget level as text: money (mode ``total``), or the factor on every budget."""
    return f"x{level:.4g}" if mode == "scale" else formatting.money(level)


def _infeasible_anyway(result: Plan, mode: Mode) -> InvalidEngagementError:
    """The error for an engagement with no plan even when the budgets do not limit it."""
    lifted = "the total budget" if mode == "total" else "every budget"
    why = "; ".join(f.message for f in result.findings[:3])
    return InvalidEngagementError(
        [
            Problem(
                code="no-plan",
                path="plan",
                message=f"no plan at any budget: the engagement is infeasible with {lifted} "
                "unlimited" + (f" ({why})" if why else ""),
                suggestion="itstrat plan FILE lists what must give",
            )
        ]
    )


def _add(points: list[FrontierPoint], point: FrontierPoint) -> None:
    """Append a step, or lower the last one when this is a cheaper plan of the same value."""
    if points and _same_value(points[-1], point):
        points[-1] = attrs.evolve(points[-1], budget=point.budget)
    else:
        points.append(point)


def _below(least: float, mode: Mode, resolution: float) -> float:
    """The next budget to plan at, just below a step's least budget."""
    smallest = _SMALLEST_STEP if mode == "total" else 1e-9
    return least - max(smallest, _RESOLUTION * abs(least), resolution)


def _apart(
    prepared: Prepared,
    head: _Sweep,
    mode: Mode,
    low: float | None,
    resolution: float,
    deadline: float | None,
    executor: Executor,
    segments: int,
) -> _Sweep:
    """A paused sweep finished on `executor`: the rest cut into `segments` ranges, then joined.

    The range below the head's last step, down to `low` (or 0), is cut into equal ranges,
    each swept from its top down to its first step that reaches its bottom, on one solver
    thread. A step that straddles a cut is found by both sweeps with the same plan (the
    settled, canonical one) and joined. Feasibility only grows with the budget, so the
    highest infeasible top is where plans end.
    """
    if not head.paused:
        return head
    floor = 0.0 if low is None else low
    top = _below(head.points[-1].budget, mode, resolution)
    if top < floor:  # a step ends within the last resolution above the floor
        return attrs.evolve(head, paused=False, infeasible_below=0.0 if low is None else None)
    width = (top - floor) / segments
    cuts = [top - k * width for k in range(segments)]
    bottoms = [*cuts[1:], floor if low is not None else None]
    alone = prepared.with_settings(threads=1)  # one thread per task: the tasks share the cores
    futures = [
        executor.submit(_sweep, alone, mode, cut, bottom, resolution, deadline)
        for cut, bottom in zip(cuts, bottoms, strict=True)
    ]
    parts = [future.result() for future in futures]
    points = list(head.points)
    solves = head.solves
    infeasible_below: float | None = None
    timed_out_at: float | None = None
    stopped = ""
    for part in parts:
        solves += part.solves
        if infeasible_below is not None:
            continue  # below a budget with no plan there is none either
        for point in part.points:
            _add(points, point)
        if part.timed_out and timed_out_at is None:
            timed_out_at = part.explored_down_to
        stopped = stopped or part.stopped
        if part.infeasible_below is not None:
            infeasible_below = part.infeasible_below
    return _Sweep(
        points=tuple(points),
        solves=solves,
        infeasible_below=infeasible_below,
        explored_down_to=timed_out_at,
        timed_out=timed_out_at is not None,
        stopped=stopped,
    )


def _check(
    prepared: Prepared,
    mode: Mode,
    low: float | None,
    high: float | None,
    resolution: float,
    time_budget: float | None,
    segments: int,
    workers: int | None,
) -> None:
    problems = []
    for name, count in (("segments", segments), ("workers", workers)):
        if count is not None and (
            isinstance(count, bool) or not (isinstance(count, int) and count >= 1)
        ):
            problems.append(
                Problem(
                    code="frontier-setting",
                    path=name,
                    message=f"{name} must be a whole number >= 1",
                    value=repr(count),
                )
            )
    for name, number, positive in (
        ("resolution", resolution, False),
        ("time_budget", time_budget, True),
    ):
        if number is not None and not (
            math.isfinite(number) and (number > 0 if positive else number >= 0)
        ):
            problems.append(
                Problem(
                    code="frontier-setting",
                    path=name,
                    message=f"{name} must be a finite number {'> 0' if positive else '>= 0'}",
                    value=repr(number),
                )
            )
    if prepared.settings.objective == "cost":
        problems.append(
            Problem(
                code="frontier-objective",
                path="plan.objective",
                message="the cost objective minimizes spend: it has no frontier over budget",
                value="'cost'",
                expected="value, coverage, npv or makespan",
                suggestion="use --objective value",
            )
        )
    if mode == "scale" and not any(
        getattr(prepared.effective.capacity, key) is not None for key in _SCALED
    ):
        problems.append(
            Problem(
                code="frontier-scale",
                path="capacity",
                message="mode scale multiplies the file's budgets, and it sets none",
                suggestion="use --mode total, or set a budget in [capacity]",
            )
        )
    for name, value in (("low", low), ("high", high)):
        if value is not None and not (math.isfinite(value) and value >= 0):
            problems.append(
                Problem(
                    code="frontier-range",
                    path=name,
                    message="a budget range end must be a finite number >= 0",
                    value=repr(value),
                )
            )
    if low is not None and high is not None and low > high:
        problems.append(
            Problem(
                code="frontier-range",
                path="low",
                message="the range is empty: its low end is above its high end",
                value=f"{low:g} > {high:g}",
                suggestion="swap --from and --to",
            )
        )
    if problems:
        raise InvalidEngagementError(problems)


def _at(prepared: Prepared, mode: Mode, level: float | None) -> Prepared:
    """The preparation at a budget level (None: every budget this mode varies, unlimited)."""
    capacity = prepared.effective.capacity
    if mode == "total":
        return prepared.with_capacity(budget=level)
    changes = {
        key: None if level is None else _times(getattr(capacity, key), level)
        for key in _SCALED
        if getattr(capacity, key) is not None
    }
    return prepared.with_capacity(**changes)


def _times(value: Any, factor: float) -> Any:
    if isinstance(value, tuple):
        return tuple(v * factor for v in value)
    return value * factor


def _least_budget(result: Plan, base: Engagement, mode: Mode) -> float:
    """The least budget level at which the plan's schedule keeps every budget it varies."""
    schedule = result.schedule
    rows = result.usage
    pooled = math.fsum(pool_funding(result.engagement, schedule).values())
    total = math.fsum(row.spend for row in rows) - pooled
    if mode == "total":
        return max(total, 0.0)
    capacity = base.capacity
    ratios = [0.0]
    if capacity.budget is not None:
        ratios.append(_ratio(total, capacity.budget))
    budgets = base.per_period(capacity.budget_per_period)
    ratios += [_ratio(row.spend, budgets[row.period]) for row in rows]
    ratios += [_ratio(money.spent(rows), money.limit) for money in money_rows(base)]
    return max(ratios)


def _ratio(used: float, limit: float) -> float:
    if not math.isfinite(limit) or used <= 0:
        return 0.0
    return math.inf if limit <= 0 else used / limit


def _same_value(a: FrontierPoint, b: FrontierPoint) -> bool:
    return a.proven and b.proven and math.isclose(a.value, b.value, rel_tol=1e-9, abs_tol=1e-9)


def _intervals(
    points: Sequence[FrontierPoint],
) -> dict[str, tuple[tuple[float, float | None], ...]]:
    """For each initiative, the budget intervals of the steps whose plan holds it.

    Consecutive steps that both hold it make one interval, also across a gap a resolution
    left unexplored between them.
    """
    spans: dict[str, list[tuple[float, float | None]]] = {}
    cheapest_first = list(reversed(points))
    for k, point in enumerate(cheapest_first):
        below = cheapest_first[k - 1] if k else None
        for item_id in point.selected:
            found = spans.setdefault(item_id, [])
            if below is not None and found and item_id in below.selected:
                found[-1] = (found[-1][0], point.to)
            else:
                found.append((point.budget, point.to))
    ordered = sorted(spans.items(), key=lambda kv: (kv[1][0][0], kv[0]))
    return {item_id: tuple(found) for item_id, found in ordered}


# --------------------------------------------------------------------------- greedy


def _greedy_at(prepared: Prepared, mode: Mode, level: float) -> GreedyPoint:
    plan = greedy_plan(_at(prepared, mode, level))
    if plan is None:
        return GreedyPoint(budget=level, value=None, selected=())
    return GreedyPoint(
        budget=level, value=plan.objective_value, selected=tuple(sorted(plan.schedule))
    )


def greedy_plan(prepared: Prepared) -> Plan | None:
    """The greedy roadmap (`greedy_schedule`) as a plan; None if it is not a plan.

    Rank by objective gained per unit of own spend, fund in order at the earliest start
    that keeps every limit. The result is checked with `verify` (group minimums, mandatory
    work), so it is a plan of the engagement or None.
    """
    from itstrat_engine.optimize.decoding import from_schedule  # noqa: PLC0415
    from itstrat_engine.optimize.heuristic import greedy_schedule  # noqa: PLC0415
    from itstrat_engine.optimize.verify import verify  # noqa: PLC0415

    result = from_schedule(prepared, greedy_schedule(prepared), solver="greedy")
    return None if verify(result, prepared.effective) else result
