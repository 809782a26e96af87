"""Run a formulated problem through HiGHS or CBC and say honestly how it ended.

Both solvers are called explicitly, always with a time limit and a relative gap, each solve
in its own temporary directory. HiGHS runs in process through highspy; CBC is the binary
shipped with PuLP 3.x, driven through `pulp.COIN_CMD`.

PuLP's own status fields are not enough: a time-limited solve with an incumbent comes back
as status "Optimal" (only `sol_status` says "integer feasible"), an infeasible CBC run still
leaves values on the variables, HiGHS reports an unbounded-or-infeasible MIP as infeasible
(our models bound every variable, so that is infeasibility), and a solver that stops at the
requested gap calls that "optimal". `_status` maps CBC's PuLP fields and
`_HiGHS.read_back` HiGHS's own model status to a `Status`: ``optimal`` only when the solver says it stopped at its gap (decode then checks
the bound against the decoded objective before calling a plan optimal), ``feasible`` when
there is an incumbent, and no values are read unless there is a solution.

`solve` returns a `Solution`, plain data: the schedule, contractor hours and slacks read off
the variables (nothing outside this module reads a PuLP variable), the bound and incumbent,
and times, including when the first incumbent appeared (HiGHS). A *start* (a full schedule,
typically the previous plan of a sweep) is handed to HiGHS with ``setSolution`` and to CBC
as a MIP start when it keeps every row (a start that no longer fits is dropped: CBC can
lose its proof on one).

The bound is the solver's bound on its objective: HiGHS's dual bound; for CBC, the bound it
prints when stopped early, or, when it reports an optimum, the incumbent widened by the gap
tolerances it was given.
"""

import math
import re
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pulp
from pulp.apis.coin_api import pulp_cbc_path

from itstrat_engine.model import PlanSettings
from itstrat_engine.optimize.contract import Schedule, coverage, usage
from itstrat_engine.optimize.formulation import Formulation, RowKey
from itstrat_engine.optimize.relaxation import budget_bound
from itstrat_engine.optimize.result import Status

__all__ = ["PROOF_TOLERANCE", "Solution", "run", "solve"]

PROOF_TOLERANCE = 1e-6
"""Bound and value closer than this (absolute) are equal: the optimum is proven."""


@attrs.frozen(kw_only=True)
class Solution:
    """How a solve ended, as plain data.

        `status` is the solver's own verdict, mapped once: `OPTIMAL` means it stopped at its
        gap, which `decode` turns into a proof only when the bound meets the decoded value.
        `schedule` maps each selected initiative to its start period and `contractor` the hours
        bought per ``(skill, period)``; both are empty without a solution, and so is `slacks`
        (the elastic rows' slack, by `RowKey`). `bound` and `incumbent` are in the
        formulation's objective. `seconds` is the whole call, `solver_seconds` the solver's own
        time, `first_incumbent_seconds` and `best_incumbent_seconds` when the first and the final
    solution appeared in the solver's run (HiGHS only; a start that is used shows as an early
    final solution); `start`
        says whether a start was handed over.
    """

    status: Status
    solver: str
    schedule: Mapping[str, int] = attrs.field(factory=dict)
    contractor: Mapping[tuple[str, int], float] = attrs.field(factory=dict)
    slacks: Mapping[RowKey, float] = attrs.field(factory=dict)
    bound: float | None = None
    incumbent: float | None = None
    seconds: float = 0.0
    solver_seconds: float = 0.0
    first_incumbent_seconds: float | None = None
    best_incumbent_seconds: float | None = None
    start: bool = False
    message: str = ""

    @property
    def has_solution(self) -> bool:
        """True when the solver found an integer-feasible solution."""
        return self.status.has_plan


def _status(pulp_status: int, solution_status: int) -> Status:
    """PuLP's two status fields after a CBC run as a `Status` (HiGHS: `_HiGHS.read_back`)."""
    if solution_status == pulp.LpSolutionOptimal:
        return Status.OPTIMAL
    if solution_status == pulp.LpSolutionIntegerFeasible:
        return Status.FEASIBLE
    if pulp_status == pulp.LpStatusInfeasible or solution_status == pulp.LpSolutionInfeasible:
        return Status.INFEASIBLE
    if pulp_status == pulp.LpStatusUnbounded or solution_status == pulp.LpSolutionUnbounded:
        return Status.UNBOUNDED
    return Status.NO_SOLUTION


def _new_highs() -> Any:
    """A HiGHS instance that prints nothing.

    ``highspy.Highs()`` writes its banner to stdout from its constructor, before any option
    can be set; a library must not write to stdout, so use the core class when available.
    """
    import highspy  # noqa: PLC0415 - only needed when HiGHS is chosen

    core = getattr(getattr(highspy, "_core", None), "_Highs", None)
    highs = core() if core is not None else highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    return highs


# Where values sit on selection binaries the hard part is finding the best portfolio that
# still schedules, not the bound (given the optimum, HiGHS proves the midsize example in
# about 4 s whatever its seed): more primal heuristics took the median proof over 14 seeds
# from about 30 s to 13 s there, and were neutral on a generated 200-initiative engagement.
# HiGHS's default is 0.05.
_SELECTION_HEURISTIC_EFFORT = 0.3

# HiGHS's presolve grows faster than the model: on generated engagements (one thread, to a
# 1% gap) it took 3.6 s of an 8-10 s solve at 3000 initiatives (378,000 nonzeros; without it
# 36-41 s, three seeds: its rounding heuristic then lands just above 1%), but at 6000
# (750,000) the solve took 31.6 s with it and 21.3 s without, and at 10,000 (1.26 million)
# presolve alone took 27 s to remove 0.6% of the rows; without it HiGHS reached 0.2-0.4% in
# 26-38 s, with it the root LP was not solved within 60 s.
_PRESOLVE_MAX_NONZEROS = 500_000


class _HiGHS(pulp.HiGHS):  # type: ignore[misc]
    """PuLP's in-process HiGHS, silent, with our options, a start, and timings of `run()`."""

    def __init__(
        self,
        settings: PlanSettings,
        formulation: Formulation,
        start: dict[pulp.LpVariable, float],
        stop: threading.Event | None,
    ) -> None:
        # HiGHS rounds bounds to whole units of an integral objective, not to its step:
        # it solves the objective divided by the step (all values and gaps in those units).
        self.step = formulation.step
        self.heuristics = _SELECTION_HEURISTIC_EFFORT if formulation.chosen else None
        super().__init__(
            msg=False,
            timeLimit=settings.time_limit,
            gapRel=settings.gap,
            gapAbs=formulation.absolute_gap / self.step,
            threads=settings.threads,
        )
        self.start = start
        self.stop = stop
        # The limit covers the hand-over too (several seconds of Python at 30,000 initiatives).
        self.deadline = time.perf_counter() + settings.time_limit
        self.run_seconds = 0.0
        self.improvements: list[float] = []  # seconds into run() of each better solution
        self.columns: list[pulp.LpVariable] = []
        self.status = Status.NO_SOLUTION

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 - PuLP's hook name
        highs = _new_highs()
        highs.setOptionValue("mip_rel_gap", float(self.gapRel))
        highs.setOptionValue("mip_abs_gap", float(self.gapAbs))
        highs.setOptionValue("time_limit", float(self.timeLimit))
        highs.setOptionValue("random_seed", 0)
        if self.heuristics is not None:
            highs.setOptionValue("mip_heuristic_effort", self.heuristics)
        if self.threads is not None:
            highs.setOptionValue("threads", int(self.threads))
        lp.solverModel = highs

    def actualSolve(self, lp: pulp.LpProblem) -> int:  # noqa: N802 - PuLP's hook name
        """PuLP's steps, with the columns listed once and read back by `read_back`.

        Each `lp.variables()` rescans every row; PuLP's own HiGHS calls it three times
        per solve (about a second each at 30,000 initiatives, past the time limit).
        """
        self.createAndConfigureSolver(lp)
        self.columns = lp.variables()
        self.buildSolverModel(lp)
        self.callSolver(lp)
        self.status = self.read_back(lp)
        return int(lp.status)

    def read_back(self, lp: pulp.LpProblem) -> Status:
        """How HiGHS ended, and the columns' values when it has a solution."""
        import highspy  # noqa: PLC0415

        highs = lp.solverModel
        model_status = highs.getModelStatus()
        kinds = highspy.HighsModelStatus
        feasible = int(highspy.SolutionStatus.kSolutionStatusFeasible)
        has_solution = int(highs.getInfo().primal_solution_status) == feasible
        if model_status == kinds.kOptimal:
            status = Status.OPTIMAL
        elif model_status in (kinds.kInfeasible, kinds.kUnboundedOrInfeasible):
            status = Status.INFEASIBLE  # every variable is bounded: never unbounded
        elif model_status == kinds.kUnbounded:
            status = Status.UNBOUNDED
        else:  # a limit, an interrupt, or an error: a plan only if it found one
            status = Status.FEASIBLE if has_solution else Status.NO_SOLUTION
        if status.has_plan:
            for var, value in zip(self.columns, highs.getSolution().col_value, strict=True):
                var.varValue = value
        lp.status = pulp.LpStatusOptimal if status.has_plan else pulp.LpStatusNotSolved
        return status

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:  # noqa: N802 - PuLP's hook name
        """Hand the model over in one call, the objective divided by its step.

        PuLP adds each column and row through its own call (and each integrality through
        another): 4-5 s of Python at 10,000 initiatives. The same model goes over as one
        row-wise matrix; columns and rows keep PuLP's order, and `read_back` reads the
        solution back in it. PuLP passes no objective constant, and neither does this.
        """
        import highspy  # noqa: PLC0415

        infinity = highspy.kHighsInf
        kinds = highspy.HighsVarType
        variables = self.columns
        objective = lp.objective
        sense = -1.0 if lp.sense == pulp.LpMaximize else 1.0
        model = highspy.HighsLp()
        costs, lower, upper, integrality = [], [], [], []
        for column, var in enumerate(variables):
            var.index = column
            costs.append(sense * objective.get(var, 0.0) / self.step)
            lower.append(-infinity if var.lowBound is None else var.lowBound)
            upper.append(infinity if var.upBound is None else var.upBound)
            integer = var.cat == pulp.LpInteger and self.mip
            integrality.append(kinds.kInteger if integer else kinds.kContinuous)
        starts, indices, values, row_lower, row_upper = [0], [], [], [], []
        for row_index, row in enumerate(lp.constraints()):
            row.index = row_index
            for var, coefficient in row.items():
                if coefficient != 0:
                    indices.append(var.index)
                    values.append(coefficient)
            starts.append(len(indices))
            low, high = row.getLb(), row.getUb()
            row_lower.append(-infinity if low is None else low)
            row_upper.append(infinity if high is None else high)
        model.num_col_, model.num_row_ = len(variables), len(row_lower)
        model.col_cost_, model.col_lower_, model.col_upper_ = costs, lower, upper
        model.row_lower_, model.row_upper_ = row_lower, row_upper
        model.integrality_ = integrality
        matrix = model.a_matrix_
        matrix.format_ = highspy.MatrixFormat.kRowwise
        matrix.num_col_, matrix.num_row_ = model.num_col_, model.num_row_
        matrix.start_, matrix.index_, matrix.value_ = starts, indices, values
        model.a_matrix_ = matrix
        lp.solverModel.passModel(model)

    def callSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 - PuLP's hook name
        import highspy  # noqa: PLC0415

        highs = lp.solverModel

        kinds = highspy.cb.HighsCallbackType
        stop = self.stop

        def called(kind: object, _message: object, _out: object, data_in: Any, _: object) -> None:
            if kind == kinds.kCallbackMipImprovingSolution:  # times count from run() below
                self.improvements.append(time.perf_counter() - started)
            elif stop is not None and stop.is_set():  # a race was won elsewhere
                data_in.user_interrupt = True

        highs.setCallback(called, None)
        highs.startCallback(kinds.kCallbackMipImprovingSolution)
        if stop is not None:
            highs.startCallback(kinds.kCallbackMipInterrupt)
        if self.start:
            columns = sorted((var.index, value) for var, value in self.start.items())
            highs.setSolution(len(columns), [c for c, _ in columns], [float(v) for _, v in columns])
        left = max(self.deadline - time.perf_counter(), 0.01 * float(self.timeLimit))
        highs.setOptionValue("time_limit", left)
        if highs.getNumNz() > _PRESOLVE_MAX_NONZEROS:
            highs.setOptionValue("presolve", "off")
        _size_scheduler(highspy, self.threads)
        started = time.perf_counter()
        highs.run()
        self.run_seconds = time.perf_counter() - started


# HiGHS keeps one task scheduler per process, sized by the solve that first names a thread
# count; a later solve asking for another count fails without running (kNotset). Which
# count the process's scheduler has is not ours to know (a diagnosis, an interrupted race,
# another library may have sized it), so a solve that names a count resizes it first.
_SCHEDULER = threading.Lock()


def _size_scheduler(highspy: Any, threads: int | None) -> None:
    """Make HiGHS's scheduler the size this solve asks for (None: keep the one it has)."""
    if threads is not None:
        with _SCHEDULER:
            highspy.Highs.resetGlobalScheduler(True)


def _start_values(formulation: Formulation, schedule: Schedule) -> dict[pulp.LpVariable, float]:
    """A value for every variable of the formulation from a schedule (a MIP start)."""
    engagement = formulation.prepared.effective
    known = {i: s for i, s in schedule.items() if (i, s) in formulation.x}
    values: dict[pulp.LpVariable, float] = {
        var: float(known.get(item_id) == start) for (item_id, start), var in formulation.x.items()
    }
    for item_id, var in formulation.chosen.items():
        values[var] = float(item_id in known)
    rows = usage(engagement, known)
    for (skill, t), var in formulation.hire.items():
        values[var] = rows[t].skills[skill].contractor
    covered = coverage(engagement, known)
    for issue_id, var in formulation.cover.items():
        values[var] = covered[issue_id]
    if formulation.makespan is not None:
        by_id = engagement.initiative_by_id
        values[formulation.makespan] = float(
            max((s + by_id[i].duration for i, s in known.items()), default=0)
        )
    return values


def _keeps_rows(formulation: Formulation, values: dict[pulp.LpVariable, float]) -> bool:
    """Whether the start `values` (missing variables at 0) keep every row of the model."""
    for row in formulation.rows.values():
        activity = math.fsum(coefficient * values.get(var, 0.0) for var, coefficient in row.items())
        slack = activity + row.constant  # the row reads `activity + constant (sense) 0`
        tolerance = 1e-6 * max(1.0, abs(row.constant))
        if row.sense == pulp.LpConstraintLE and slack > tolerance:
            return False
        if row.sense == pulp.LpConstraintGE and slack < -tolerance:
            return False
        if row.sense == pulp.LpConstraintEQ and abs(slack) > tolerance:
            return False
    return True


def _values_match(problem: pulp.LpProblem, objective: float) -> bool:
    """Whether the columns read back give the objective the solver reported."""
    value = pulp.value(problem.objective)
    return value is not None and math.isclose(value, objective, rel_tol=1e-7, abs_tol=1e-6)


def _solve_highs(
    formulation: Formulation,
    settings: PlanSettings,
    start: dict[pulp.LpVariable, float],
    stop: threading.Event | None = None,
) -> Solution:
    started = time.perf_counter()
    solver = _HiGHS(settings, formulation, start, stop)
    problem = formulation.problem
    problem.solve(solver)
    seconds = time.perf_counter() - started
    info = problem.solverModel.getInfo()
    sign = (-1.0 if formulation.maximize else 1.0) * solver.step  # HiGHS minimizes -obj/step
    status = solver.status
    incumbent = sign * info.objective_function_value if status.has_plan else None
    if start and incumbent is not None and not _values_match(problem, incumbent):
        # Seen with HiGHS 1.16: after a MIP start it may prove a better objective yet hand
        # back the start's columns. Solve again without the start rather than lose the proof.
        retry = _solve_highs(formulation, settings, {}, stop)
        return attrs.evolve(retry, seconds=retry.seconds + seconds)
    bound = sign * info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else None
    model_status = str(problem.solverModel.getModelStatus()).rsplit(".", 1)[-1]
    return _read(
        formulation,
        status,
        solver="highs",
        bound=bound,
        incumbent=incumbent,
        seconds=seconds,
        solver_seconds=solver.run_seconds,
        first_incumbent_seconds=solver.improvements[0] if solver.improvements else None,
        best_incumbent_seconds=solver.improvements[-1] if solver.improvements else None,
        start=bool(start),
        message=f"HiGHS {model_status}",
    )


_CBC_RESULT = re.compile(r"^Result - (.+)$", re.MULTILINE)
_CBC_NUMBER = r":\s+(-?[0-9.eE+-]+|-?inf)"


def _cbc_log_number(log: str, label: str) -> float | None:
    match = re.search(rf"^{label}{_CBC_NUMBER}", log, re.MULTILINE)
    return float(match.group(1)) if match else None


_CBC_ABSOLUTE_GAP = PROOF_TOLERANCE
# CBC 2.10.3 (PuLP's bundled binary): its probing cuts were measured cutting off the
# optimum of a five-item knapsack whose budget rows are parallel (the unlimited period row
# and a total of 10.99): "optimal" 9 where 10 is. Off, every test and benchmark agrees.
_CBC_OPTIONS = ("probingCuts off",)


def _solve_cbc(
    formulation: Formulation, settings: PlanSettings, start: dict[pulp.LpVariable, float]
) -> Solution:
    started = time.perf_counter()
    problem = formulation.problem
    for var, value in start.items():
        var.setInitialValue(value)
    with tempfile.TemporaryDirectory(prefix="itstrat-cbc-") as folder:
        log_path = Path(folder) / "cbc.log"
        solver = pulp.COIN_CMD(
            path=pulp_cbc_path,
            msg=False,
            timeLimit=settings.time_limit,
            gapRel=settings.gap,
            # Not the half unit of an integral objective: CBC finds that integrality itself
            # and raises its cutoff by a unit, and with an allowable gap of 0.5 on top it
            # was measured proving 9 where 10 is optimal (a knapsack with budget 10.99).
            gapAbs=_CBC_ABSOLUTE_GAP,
            threads=settings.threads,
            logPath=str(log_path),
            options=list(_CBC_OPTIONS),
            warmStart=bool(start),
        )
        solver.tmpDir = folder
        problem.solve(solver)
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    seconds = time.perf_counter() - started
    result = _CBC_RESULT.search(log)
    # Without a "Result -" line CBC never branched: Clp settled it (an LP, or infeasible).
    result_text = result.group(1).strip() if result else "settled without branching"
    status = _status(problem.status, problem.sol_status)
    incumbent = _cbc_log_number(log, "Objective value") if status.has_plan else None
    # CBC prints the bound as "Upper bound" when maximizing (-max) and "Lower bound" otherwise.
    bound = _cbc_log_number(log, "Upper bound" if formulation.maximize else "Lower bound")
    if result is None and status == Status.OPTIMAL:
        # No branch and bound ran (a pure LP, solved by Clp): its optimum is proven.
        incumbent = bound = float(pulp.value(problem.objective) or 0.0)
    elif result_text.startswith("Optimal solution found") and incumbent is not None:
        # CBC stops when either tolerance is met and then prints no bound. An absolute gap at
        # the proof tolerance (1e-6, HiGHS's default too) counts as closed.
        slack = settings.gap * abs(incumbent)
        bound = incumbent + slack if formulation.maximize else incumbent - slack
    wall = _cbc_log_number(log, r"Time \(Wallclock seconds\)")
    return _read(
        formulation,
        status,
        solver="cbc",
        bound=bound,
        incumbent=incumbent,
        seconds=seconds,
        solver_seconds=wall if wall is not None else seconds,
        start=bool(start),
        message=f"CBC {result_text}",
    )


def _read(formulation: Formulation, status: Status, **fields: Any) -> Solution:
    """The solution off the variables, read only when there is one."""
    if not status.has_plan:
        return Solution(status=status, **fields)
    schedule: dict[str, int] = {}
    for (item_id, start), var in sorted(formulation.x.items()):
        if (var.varValue or 0.0) > 0.5:
            if item_id in schedule:
                return Solution(
                    status=Status.ERROR,
                    **{**fields, "message": f"the solver started {item_id!r} twice"},
                )
            schedule[item_id] = start
    contractor = {
        key: float(var.varValue or 0.0)
        for key, var in sorted(formulation.hire.items())
        if (var.varValue or 0.0) > 0
    }
    slacks = {key: float(var.varValue or 0.0) for key, var in formulation.slack.items()}
    return Solution(
        status=status, schedule=schedule, contractor=contractor, slacks=slacks, **fields
    )


def solve(
    formulation: Formulation,
    settings: PlanSettings | None = None,
    *,
    start: Schedule | None = None,
) -> Solution:
    """Solve with the backend the settings name (default: the formulation's preparation's).

    ``auto`` picks or races backends (`itstrat_engine.optimize.portfolio`); an elastic
    formulation (diagnosis) always goes to HiGHS. `start` is a schedule (initiative id ->
    start period, such as `Plan.schedule` of a neighbouring problem) handed to the solver
    as a MIP start or hint. Solver crashes become `Status.ERROR`; nothing raises for an
    infeasible or unsolved problem. A missing extra (``cpsat`` without OR-Tools) raises
    `MissingExtraError`.
    """
    settings = settings or formulation.prepared.settings
    backend = "highs" if formulation.slack else settings.solver
    if backend == "auto":
        from itstrat_engine.optimize.portfolio import solve_auto  # noqa: PLC0415 - a cycle

        solution = solve_auto(formulation, settings, start)
    else:
        solution = run(backend, formulation, settings, start)
    return _completed(formulation, solution, start)


def _completed(formulation: Formulation, solution: Solution, start: Schedule | None) -> Solution:
    """The solution, with the start as its plan when the solver found none, and a bound.

    A start that keeps every row is a plan the caller already has: a solver stopped by its
    limit before it found one (or before it even read the start) returns it rather than
    nothing. A plan without the solver's bound gets the total budget's (`budget_bound`), so
    its gap is shown, never left unknown.
    """
    if solution.status == Status.NO_SOLUTION and start is not None:
        values = _start_values(formulation, start)
        if _keeps_rows(formulation, values):
            objective = formulation.problem.objective
            solution = attrs.evolve(
                solution,
                status=Status.FEASIBLE,
                schedule={i: s for i, s in start.items() if (i, s) in formulation.x},
                incumbent=objective.constant
                + math.fsum(c * values.get(var, 0.0) for var, c in objective.items()),
                message=f"{solution.message}; the start given, as no better plan was found",
            )
    if solution.has_solution and solution.bound is None:
        bound = budget_bound(formulation)
        if bound is not None:
            solution = attrs.evolve(
                solution,
                bound=bound,
                message=f"{solution.message}; bound from the total budget alone",
            )
    return solution


def _nothing_to_decide(problem: pulp.LpProblem) -> bool:
    """Whether no row and no objective has a variable (without `variables()`'s rescan)."""
    objective = problem.objective
    if objective is not None and objective.keys():
        return False
    return not any(row.keys() for row in problem.constraints())


def run(
    backend: str,
    formulation: Formulation,
    settings: PlanSettings,
    start: Schedule | None = None,
    stop: threading.Event | None = None,
) -> Solution:
    """One backend (``highs``, ``cbc`` or ``cpsat``) on the formulation; `stop` ends it early.

    CBC runs as a separate process that cannot be stopped early: it ignores `stop`.
    """
    started = time.perf_counter()
    if _nothing_to_decide(formulation.problem):  # CBC would not even run
        return Solution(
            status=Status.OPTIMAL,
            solver=backend,
            bound=0.0,
            incumbent=0.0,
            seconds=time.perf_counter() - started,
            message="nothing to decide",
        )
    try:
        if backend == "cpsat":
            from itstrat_engine.optimize.cpsat import solve_cpsat  # noqa: PLC0415 - a cycle

            return solve_cpsat(formulation, settings, start, stop)
        values = _start_values(formulation, start) if start is not None else {}
        if backend == "cbc" and values and not _keeps_rows(formulation, values):
            # Measured with CBC 2.10: a MIP start that breaks a row can leave it with a
            # bound below the true optimum, reported as proven. Only a feasible start is
            # handed over (a neighbouring problem's plan often no longer fits). HiGHS
            # checks a start itself and drops one that breaks a row.
            values = {}
        # The start's values (and check) take seconds on the largest models: in the limit.
        limit = settings.time_limit
        settings = attrs.evolve(
            settings, time_limit=max(limit - (time.perf_counter() - started), 0.01 * limit)
        )
        if backend == "cbc":
            return _solve_cbc(formulation, settings, values)
        return _solve_highs(formulation, settings, values, stop)
    except (pulp.PulpSolverError, OSError) as error:
        seconds = time.perf_counter() - started
        return Solution(
            status=Status.ERROR,
            solver=backend,
            seconds=seconds,
            solver_seconds=seconds,
            message=f"{backend} failed: {error}",
        )
