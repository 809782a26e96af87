"""The CP-SAT backend (OR-Tools, the optional extra ``cpsat``): the same contract, in integers.

The model is the formulation's own rows, made integer by `itstrat_engine.optimize.scaling`
(exactly when the data allows, conservatively otherwise), with what a constraint solver
schedules best written natively beside them:

- an optional interval per initiative: a start variable over its start options, present
  when it is selected, tied to the start binaries ``x[i, s]`` (``x[i, s]`` implies start
  ``s``);
- precedence (``requires``) as ``present(a) -> present(b)`` and ``start(a) >= end(b)``,
  and the makespan as the latest end of a present interval, in place of the
  time-indexed rows;
- a cumulative constraint per skill that no contractor supplies and whose effort is spread
  evenly, with fixed intervals lowering the capacity where a period has less, in place of
  that skill's per-period rows.

Continuous variables become integers on a grid fine enough to hold their best value
exactly (contractor hours in the skill rows' units, coverage in the fractions' units).
Rows that can never bind are left out. Rounding beyond the scaling's tolerance (data
spanning hundreds of orders of magnitude) means CP-SAT's bound no longer bounds the real
problem: the solution then keeps no bound, is at best ``feasible``, and says why.

`settle` is the second solve that makes a proven plan canonical (least total spend at the
proven optimum, one worker, no hint): its answer depends on the input alone.
"""

import math
import os
import threading
import time
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import attrs
import pulp

from itstrat_engine.errors import MissingExtraError
from itstrat_engine.model import PlanSettings
from itstrat_engine.optimize.contract import Schedule, skill_limits
from itstrat_engine.optimize.formulation import LIMIT_ROWS, Formulation, RowKey
from itstrat_engine.optimize.preparation import Prepared
from itstrat_engine.optimize.result import Status
from itstrat_engine.optimize.scaling import TOLERANCE, IntegerRow, scale_objective, scale_row
from itstrat_engine.optimize.scaling import rational as _rational
from itstrat_engine.optimize.solution import Solution

__all__ = [
    "CpsatModel",
    "LevelModel",
    "available",
    "build",
    "settle",
    "solve_built",
    "solve_cpsat",
    "workers",
]

_MAX_GRID = 2**50  # largest integer a continuous variable may reach on its grid
_NATIVE_ROWS = frozenset({"requires", "finish"})
_SAFE_SUM = 2**60  # sums of a cumulative's demands stay inside int64
_INT_LIMIT = 2**62  # an open end of a row's domain
_SETTLE_TOLERANCE = Fraction(1, 10**7)
SETTLE_EFFORT = 0.25
"""CP-SAT deterministic time (roughly seconds) a settling solve may take before giving up."""  # below the 1e-6 within which a bound proves a value


def available() -> bool:
    """True when OR-Tools can be imported."""
    try:
        import ortools.sat.python.cp_model  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def _cp_model() -> Any:
    try:
        from ortools.sat.python import cp_model  # noqa: PLC0415
    except ImportError:
        raise MissingExtraError("the CP-SAT solver", "cpsat") from None
    return cp_model


class _Model:
    """The integer model of one formulation, and how to read its solution back."""

    def __init__(
        self, formulation: Formulation, cp_model: Any, keep: frozenset[RowKey] = frozenset()
    ) -> None:
        self.formulation = formulation
        self.keep = keep  # rows kept even when they cannot bind now: a sweep moves them
        self.constraints: dict[RowKey, Any] = {}
        self.cp_model = cp_model
        self.model = cp_model.CpModel()
        self.rounded: list[str] = []  # why the model is not exact, if it is not
        self._fractions: dict[float, Fraction] = {}
        self.units: dict[pulp.LpVariable, int] = {}
        self.vars: dict[pulp.LpVariable, Any] = {}
        self.bounds: dict[pulp.LpVariable, int] = {}
        self.present: dict[str, Any] = {}
        self.start: dict[str, Any] = {}
        self.intervals: dict[str, Any] = {}
        self._variables()
        self._native()
        cumulative = self._cumulative()
        self._rows(cumulative)
        self._objective()

    @property
    def exact(self) -> bool:
        """True when the integer model allows exactly the real model's plans."""
        return not self.rounded

    def rational(self, value: float) -> Fraction:
        """`scaling.rational`, remembered: the same shares recur in many rows."""
        found = self._fractions.get(value)
        if found is None:
            found = self._fractions[value] = _rational(value)
        return found

    # ------------------------------------------------------------------ variables
    def _unit(self, var: pulp.LpVariable) -> int:
        """Grid of a continuous variable: fine enough that its best value lies on it."""
        denominators = [1]
        for row in self.settled_by.get(var, ()):
            own = row.get(var, 0.0)
            if not own:
                continue  # a row that lost the variable (a total budget of zero costs)
            ratios = [self.rational(c) / self.rational(own) for v, c in row.items() if v is not var]
            ratios.append(self.rational(-row.constant) / self.rational(own))
            denominators += [r.denominator for r in ratios]
        unit = math.lcm(*denominators)
        top = max(1.0, float(var.upBound or 0.0))
        if unit * Fraction(top) < _MAX_GRID:
            return unit
        # Too fine a grid to hold: a power of two, rounding contractor hours up by at most
        # one step, which excludes only plans within a step of a limit.
        unit = int(2 ** max(0, math.floor(math.log2(_MAX_GRID / top))))
        if 1 / (unit * top) > TOLERANCE:
            self.rounded.append(f"{var.name} on a grid of 1/{unit}")
        return unit

    def _all_variables(self) -> list[pulp.LpVariable]:
        """Every variable, also those no row mentions (PuLP lists only the used ones)."""
        formulation = self.formulation
        found = dict.fromkeys(formulation.problem.variables())
        for var in [
            *formulation.x.values(),
            *formulation.hire.values(),
            *formulation.cover.values(),
        ]:
            found.setdefault(var)
        return list(found)

    def _variables(self) -> None:
        new_int = self.model.new_int_var
        self.loose = {
            key
            for key, row in self.formulation.rows.items()
            if key[0] in LIMIT_ROWS and key not in self.keep and self._never_binds(row)
        }
        # The row that settles a continuous variable's best value: contractor hours are what
        # the skill row needs beyond capacity; coverage is what the covers row allows.
        rows = self.formulation.rows
        self.settled_by: dict[pulp.LpVariable, list[pulp.LpConstraint]] = {}
        for (skill, t), var in self.formulation.hire.items():
            key = ("skill", skill, self.formulation.prepared.effective.scope.labels[t])
            self.settled_by[var] = [rows[key]] if key in rows and key not in self.loose else []
        for issue_id, var in self.formulation.cover.items():
            self.settled_by[var] = [rows["covers", issue_id]]
        for (pool_id, item_id), var in self.formulation.draws.items():
            # Draws have +-1 in these rows only (a network matrix): their best values lie
            # on the grid of these rows' other coefficients.
            keys = [("pool", pool_id), ("pool-pays", item_id), ("budget-total",)]
            self.settled_by[var] = [rows[key] for key in keys if key in rows]
        for var in self._all_variables():
            if var.cat == pulp.LpBinary or (var.cat == pulp.LpInteger and var.upBound == 1):
                self.vars[var], self.units[var], self.bounds[var] = (
                    self.model.new_bool_var(var.name),
                    1,
                    1,
                )
                continue
            unit = 1 if var.cat == pulp.LpInteger else self._unit(var)
            high = math.ceil(self.rational(var.upBound) * unit)
            self.vars[var] = new_int(
                math.ceil(self.rational(var.lowBound or 0.0) * unit), high, var.name
            )
            self.units[var], self.bounds[var] = unit, high

    def _native(self) -> None:
        """Intervals, presence, precedence and makespan, straight from the engagement."""
        formulation = self.formulation
        engagement = formulation.prepared.effective
        model, domain = self.model, self.cp_model.Domain
        for item in engagement.initiatives:
            options = formulation.starts[item.id]
            if not options:
                continue
            binaries = [self.vars[formulation.x[item.id, s]] for s in options]
            if len(binaries) == 1:
                present = binaries[0]
            else:
                present = model.new_bool_var(f"present_{item.id}")
                model.add(sum(binaries) == present)
            start = model.new_int_var_from_domain(domain.from_values(options), f"s_{item.id}")
            for s, binary in zip(options, binaries, strict=True):
                model.add(start == s).only_enforce_if(binary)
            self.present[item.id], self.start[item.id] = present, start
            self.intervals[item.id] = model.new_optional_fixed_size_interval_var(
                start, item.duration, present, f"run_{item.id}"
            )
        by_id = engagement.initiative_by_id
        for item in engagement.initiatives:
            if item.id not in self.present:
                continue
            for required in item.requires:
                model.add_implication(self.present[item.id], self.present[required])
                model.add(
                    self.start[item.id] >= self.start[required] + by_id[required].duration
                ).only_enforce_if(self.present[item.id])
        if formulation.makespan is not None:
            finish = self.vars[formulation.makespan]
            for item in engagement.initiatives:
                if item.id in self.present:
                    model.add(finish >= self.start[item.id] + item.duration).only_enforce_if(
                        self.present[item.id]
                    )

    def _cumulative(self) -> set[str]:
        """One cumulative per evenly spread, in-house-only skill; the skills it replaces."""
        formulation = self.formulation
        engagement = formulation.prepared.effective
        hired = {skill for skill, _ in formulation.hire}
        replaced: set[str] = set()
        for skill, limit in skill_limits(engagement).items():
            users = [
                i for i in engagement.initiatives if i.effort.get(skill) and i.id in self.present
            ]
            if skill in hired or not users or any(i.profile is not None for i in users):
                continue
            demands = [self.rational(i.effort[skill]) / i.duration for i in users]
            capacities = [self.rational(c) for c in limit.in_house]
            factor = math.lcm(*(v.denominator for v in demands + capacities))
            top = max(capacities) * factor
            largest = max(top, max(demands) * factor)
            if largest * (len(users) + engagement.periods) >= _SAFE_SUM:
                continue  # the skill's rows stay, scaled row by row
            intervals = [self.intervals[i.id] for i in users]
            heights = [int(d * factor) for d in demands]
            for t, capacity in enumerate(capacities):
                if capacity * factor < top:
                    intervals.append(
                        self.model.new_fixed_size_interval_var(t, 1, f"cap_{skill}_{t}")
                    )
                    heights.append(int(top - capacity * factor))
            self.model.add_cumulative(intervals, heights, int(top))
            replaced.add(skill)
        return replaced

    # ------------------------------------------------------------------ rows
    def _rows(self, cumulative: set[str]) -> None:
        for key, row in self.formulation.rows.items():
            if key[0] in _NATIVE_ROWS or (key[0] == "skill" and key[1] in cumulative):
                continue
            if key in self.loose:
                continue
            variables, integer = self._integer_row(key, row)
            expression = self.cp_model.LinearExpr.weighted_sum(
                variables, list(integer.coefficients)
            )
            if row.sense == pulp.LpConstraintLE:
                constraint = self.model.add(expression <= integer.rhs)
            elif row.sense == pulp.LpConstraintGE:
                constraint = self.model.add(expression >= integer.rhs)
            else:
                constraint = self.model.add(expression == integer.rhs)
            if key in self.keep:
                self.constraints[key] = constraint

    def _integer_row(self, key: RowKey, row: pulp.LpConstraint) -> tuple[list[Any], IntegerRow]:
        """The row's CP-SAT variables and its integer coefficients and right-hand side."""
        items = [(v, c) for v, c in row.items() if c]
        rhs = self.rational(-row.constant)
        upper = row.sense != pulp.LpConstraintGE
        coefficients = [self.rational(c) / self.units[v] for v, c in items]
        integer = scale_row(coefficients, rhs, [self.bounds[v] for v, _ in items], upper=upper)
        if not integer.exact and row.sense == pulp.LpConstraintEQ:
            raise ValueError(f"row {key} cannot be scaled exactly")
        if integer.error > TOLERANCE:
            self.rounded.append(f"row {key} to {integer.error:.1e}")
        return [self.vars[v] for v, _ in items], integer

    def rewrite(self, key: RowKey) -> None:
        """Write a kept row anew after its right-hand side moved (`Formulation.retarget`)."""
        variables, integer = self._integer_row(key, self.formulation.rows[key])
        linear = self.constraints[key].proto.linear
        pairs = [(v.index, c) for v, c in zip(variables, integer.coefficients, strict=True) if c]
        sense = self.formulation.rows[key].sense
        low = integer.rhs if sense != pulp.LpConstraintLE else -_INT_LIMIT
        high = integer.rhs if sense != pulp.LpConstraintGE else _INT_LIMIT
        for field, values in (
            (linear.vars, [index for index, _ in pairs]),
            (linear.coeffs, [c for _, c in pairs]),
            (linear.domain, [low, high]),
        ):
            _set(field, values)

    def _never_binds(self, row: pulp.LpConstraint) -> bool:
        """True when the row holds whatever the variables do (an unlimited budget's row)."""
        items = [(v, c) for v, c in row.items() if c > 0]
        rhs = -row.constant
        rough = math.fsum(c * (v.upBound if v.upBound is not None else 1.0) for v, c in items)
        if rough < rhs * (1 - 1e-9) - 1e-9 or rough > rhs * (1 + 1e-9) + 1e-9:
            return bool(rough < rhs)  # far from the limit: floats decide
        most = sum(
            (
                self.rational(c) * (self.rational(v.upBound) if v.upBound is not None else 1)
                for v, c in items
            ),
            Fraction(0),
        )
        return most <= self.rational(rhs)

    # ------------------------------------------------------------------ objective
    def _objective(self) -> None:
        items = [(v, c) for v, c in self.formulation.problem.objective.items() if c]
        self.objective = scale_objective(
            [self.rational(c) / self.units[v] for v, c in items], [self.bounds[v] for v, _ in items]
        )
        expression = self.cp_model.LinearExpr.weighted_sum(
            [self.vars[v] for v, _ in items], list(self.objective.coefficients)
        )
        self.objective_expression = expression
        if self.formulation.maximize:
            self.model.maximize(expression)
        else:
            self.model.minimize(expression)

    def settle(self, value: float) -> None:
        """Keep the objective at `value` (within the proof tolerance); minimize total spend."""
        if any(self.objective.coefficients):  # else a constant objective: all plans as good
            low, high = self.held(value)
            self.model.add_linear_constraint(self.objective_expression, low, high)
        self.model.clear_objective()
        self.model.minimize(self.spend())

    def held(self, value: float) -> tuple[int, int]:
        """The integer objectives of the plans at least as good as `value` (a proven optimum)."""
        objective, scale = self.objective, self.objective.scale
        limit = _SAFE_SUM  # keeps the constant inside what CP-SAT accepts
        if self.formulation.maximize:
            # The scaled objective is an integer: the least one that keeps the value. (A floor
            # here would let an integral objective fall one unit below the optimum.)
            least = math.ceil((Fraction(value) - _SETTLE_TOLERANCE) * scale - objective.error)
            return max(-limit, min(limit, least)), limit
        most = math.floor((Fraction(value) + _SETTLE_TOLERANCE) * scale + objective.error)
        return -limit, max(-limit, min(limit, most))

    def spend(self) -> Any:
        """Total spend as an integer expression (pool money is spend all the same)."""
        draws = set(self.formulation.draws.values())
        spend = [
            (v, c)
            for v, c in self.formulation.rows["budget-total",].items()
            if c and v not in draws
        ]
        integer = scale_objective(
            [self.rational(c) / self.units[v] for v, c in spend], [self.bounds[v] for v, _ in spend]
        )
        return self.cp_model.LinearExpr.weighted_sum(
            [self.vars[v] for v, _ in spend], list(integer.coefficients)
        )

    def read(self, solver: Any) -> tuple[dict[str, int], dict[tuple[str, int], float]]:
        """The schedule and the contractor hours of a solved model, in real units."""
        formulation = self.formulation
        schedule = {
            item_id: s
            for (item_id, s), var in sorted(formulation.x.items())
            if solver.boolean_value(self.vars[var])
        }
        contractor: dict[tuple[str, int], float] = {}
        for key, var in sorted(formulation.hire.items()):
            amount = solver.value(self.vars[var])
            if amount:
                contractor[key] = float(Fraction(amount, self.units[var]))
        return schedule, contractor

    def hint(self, schedule: Schedule) -> None:
        for (item_id, s), var in self.formulation.x.items():
            self.model.add_hint(self.vars[var], int(schedule.get(item_id) == s))
        for item_id, var in self.formulation.chosen.items():
            self.model.add_hint(self.vars[var], int(item_id in schedule))

    def real(self, integer: float, *, bound: bool) -> float:
        """An integer objective (or bound) in the formulation's own units."""
        value = Fraction(round(integer)) if math.isfinite(integer) else Fraction(0)
        if bound:  # widen by the worst rounding error, in the direction that keeps it valid
            value += self.objective.error if self.formulation.maximize else -self.objective.error
        return float(value / self.objective.scale)


class _Incumbents:
    """Wall times of the solutions CP-SAT reports, and a way to stop it from outside."""

    def __init__(self, cp_model: Any) -> None:
        parent = cp_model.CpSolverSolutionCallback

        class Callback(parent):  # type: ignore[misc, valid-type]
            def __init__(self, times: list[float]) -> None:
                super().__init__()
                self.times = times

            def on_solution_callback(self) -> None:
                self.times.append(self.wall_time)

        self.times: list[float] = []
        self.callback = Callback(self.times)


def _watch(solver: Any, stop: threading.Event, done: threading.Event) -> None:
    while not done.wait(0.02):
        if stop.is_set():
            solver.stop_search()
            return


def workers(settings: PlanSettings) -> int:
    """CP-SAT's search workers: the settings' threads, else every core (at least 1)."""
    return settings.threads or max(1, os.cpu_count() or 1)


def build(formulation: Formulation, start: Schedule | None = None) -> "CpsatModel":
    """The CP-SAT model of a formulation, with `start` as a hint (reads PuLP: not threadsafe)."""
    started = time.perf_counter()
    built = _Model(formulation, _cp_model())
    if start is not None:
        built.hint(start)
    return CpsatModel(built, started, start is not None)


@attrs.frozen
class CpsatModel:
    """A built CP-SAT model, ready to solve (in any thread)."""

    model: _Model
    started: float
    hinted: bool


def solve_cpsat(
    formulation: Formulation,
    settings: PlanSettings,
    start: Schedule | None = None,
    stop: threading.Event | None = None,
) -> Solution:
    """Solve with CP-SAT; `stop` (set by a race) ends the search early with its incumbent."""
    return solve_built(build(formulation, start), settings, stop)


def solve_built(
    prepared: CpsatModel, settings: PlanSettings, stop: threading.Event | None = None
) -> Solution:
    """Solve a built model; the time limit counts from the start of its build."""
    cp_model = _cp_model()
    built, started = prepared.model, prepared.started
    formulation = built.formulation
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.max_time_in_seconds = max(
        0.01, settings.time_limit - (time.perf_counter() - started)
    )
    parameters.num_workers = workers(settings)
    parameters.random_seed = 0
    parameters.relative_gap_limit = settings.gap
    parameters.absolute_gap_limit = float(formulation.absolute_gap * built.objective.scale)
    incumbents = _Incumbents(cp_model)
    done = threading.Event()
    watcher = None
    if stop is not None:
        watcher = threading.Thread(target=_watch, args=(solver, stop, done), daemon=True)
        watcher.start()
    run_started = time.perf_counter()
    try:
        code = solver.solve(built.model, incumbents.callback)
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    run_seconds = time.perf_counter() - run_started
    names = {
        cp_model.OPTIMAL: Status.OPTIMAL,
        cp_model.FEASIBLE: Status.FEASIBLE,
        cp_model.INFEASIBLE: Status.INFEASIBLE,
        cp_model.MODEL_INVALID: Status.ERROR,
    }
    status = names.get(code, Status.NO_SOLUTION)
    message = f"CP-SAT {solver.status_name(code)}"
    if not built.exact:
        message += f" (rounded model, no bound: {'; '.join(built.rounded[:3])})"
        status = {Status.OPTIMAL: Status.FEASIBLE, Status.INFEASIBLE: Status.NO_SOLUTION}.get(
            status, status
        )
    fields: dict[str, Any] = {
        "solver": "cpsat",
        "seconds": time.perf_counter() - started,
        "solver_seconds": run_seconds,
        "first_incumbent_seconds": incumbents.times[0] if incumbents.times else None,
        "best_incumbent_seconds": incumbents.times[-1] if incumbents.times else None,
        "start": prepared.hinted,
        "message": message,
    }
    if not status.has_plan:
        return Solution(status=status, **fields)
    schedule, contractor = built.read(solver)
    bound = built.real(solver.best_objective_bound, bound=True) if built.exact else None
    return Solution(
        status=status,
        schedule=schedule,
        contractor=contractor,
        incumbent=built.real(solver.objective_value, bound=False),
        bound=bound,
        **fields,
    )


def settle(formulation: Formulation, value: float, seconds: float) -> Solution | None:
    """The plan of least total spend among those worth `value` (a proven optimum), or None.

    Solved with one worker, a fixed seed and no hint, so the answer depends on the input
    alone, not on which backend proved `value` first: every backend, and a race, then gives
    the same roadmap. None when OR-Tools is missing, the model is not exact, or the least
    spend is not proven within `SETTLE_EFFORT` (deterministic time) and `seconds`.
    """
    if not available() or seconds <= 0:
        return None
    started = time.perf_counter()
    built = _Model(formulation, _cp_model())
    if not built.exact:
        return None
    built.settle(value)
    return _least_spend(built, seconds, started)


def _least_spend(built: _Model, seconds: float, started: float) -> Solution | None:
    """Solve a model that minimizes spend at a held objective; None unless proven."""
    cp_model = built.cp_model
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = max(0.01, seconds - (time.perf_counter() - started))
    # A budget in CP-SAT's deterministic time: whether settling succeeds depends on the
    # input, not on the machine's load (the wall-clock limit above only guards the call).
    solver.parameters.max_deterministic_time = SETTLE_EFFORT
    code = solver.solve(built.model)
    if code != cp_model.OPTIMAL:
        return None
    schedule, contractor = built.read(solver)
    elapsed = time.perf_counter() - started
    return Solution(
        status=Status.OPTIMAL,
        solver="cpsat",
        schedule=schedule,
        contractor=contractor,
        seconds=elapsed,
        solver_seconds=elapsed,
        message="least spend among the optimal plans",
    )


def _set(field: Any, values: Sequence[int]) -> None:
    """Replace the contents of a repeated field of a CP-SAT model's proto."""
    field.clear()
    field.extend(values)


class LevelModel:
    """One CP-SAT model solved at many budget levels (a frontier's sweep), built once.

    `retarget` moves the budget rows in place, so a level costs its solves, not a build.
    A level is two solves on one worker with a fixed seed: the best objective (`best`,
    hinted by the last plan and cut off where the previous level proved nothing better can
    lie), then the least spend at it (`least_spend`, no hint, no cutoff, like `settle`: the
    plan depends on the level alone, not on the levels solved before).
    """

    def __init__(self, formulation: Formulation, varied: frozenset[RowKey]) -> None:
        """Build the model; the rows in `varied` (the sweep moves them) are always kept."""
        self.built = _Model(formulation, _cp_model(), keep=varied)
        # The objective's window: a cutoff while maximizing, the held optimum while settling.
        self._window = self.built.model.add_linear_constraint(
            self.built.objective_expression, -_INT_LIMIT, _INT_LIMIT
        ).proto.linear
        self._spend = self.built.spend()
        # Every integer objective is a multiple of its coefficients' divisor.
        self._step = math.gcd(*self.built.objective.coefficients) or 1

    @property
    def formulation(self) -> Formulation:
        """The formulation the model was built from, retargeted with it."""
        return self.built.formulation

    @property
    def sound(self) -> bool:
        """True when its answers are the real model's.

        Exact rows and an exact objective that is not constant (a cutoff on a constant
        objective would cut off every plan).
        """
        objective = self.built.objective
        return self.built.exact and not objective.error and any(objective.coefficients)

    def retarget(self, prepared: Prepared) -> None:
        """Move the budget rows to `prepared`'s levels (`Formulation.retarget`)."""
        self.built.formulation.retarget(prepared)
        for key in self.built.constraints:
            self.built.rewrite(key)

    def best(
        self, settings: PlanSettings, hint: Schedule | None, cutoff: tuple[int, int] | None
    ) -> Solution:
        """The best plan at the current levels, its objective within `cutoff` when given."""
        started = time.perf_counter()
        built = self.built
        _set(self._window.domain, cutoff or (-_INT_LIMIT, _INT_LIMIT))
        built.model.clear_objective()
        if built.formulation.maximize:
            built.model.maximize(built.objective_expression)
        else:
            built.model.minimize(built.objective_expression)
        built.model.clear_hints()
        if hint is not None:
            built.hint(hint)
        return solve_built(CpsatModel(built, started, hint is not None), settings)

    def least_spend(self, value: float, seconds: float) -> tuple[Solution | None, tuple[int, int]]:
        """The least-spend plan worth `value` (a proven optimum), and the next level's cutoff.

        At any lower budget no plan is worth `value`, or the least spend would be lower:
        the cutoff is every objective strictly worse. The solution is None unless proven.
        """
        started = time.perf_counter()
        built = self.built
        low, high = built.held(value)
        _set(self._window.domain, (low, high))
        built.model.clear_objective()
        built.model.minimize(self._spend)
        built.model.clear_hints()
        settled = _least_spend(built, seconds, started)
        step = self._step  # the next worse objective is one step away
        if built.formulation.maximize:
            return settled, (-_INT_LIMIT, (low - 1) // step * step)
        return settled, (-(-(high + 1) // step) * step, _INT_LIMIT)
