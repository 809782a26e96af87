"""Run a formulated problem through HiGHS or CBC and say honestly how it ended.

Both solvers are called explicitly, always with a time limit and a relative gap, each solve
in its own temporary directory. HiGHS runs in process through highspy; CBC is the binary
shipped with PuLP 3.x, driven through `pulp.COIN_CMD`.

PuLP's own status fields are not enough: a time-limited solve with an incumbent comes back
as status "Optimal" (only `sol_status` says "integer feasible"), an infeasible CBC run still
leaves values on the variables, HiGHS reports an unbounded-or-infeasible MIP as infeasible
(our models bound every variable, so that is infeasibility), and a solver that stops at the
requested gap calls that "optimal". `status_of` maps all of this, in one place, to a
`Status`: ``optimal`` only when the gap is proven closed (the caller checks the bound against
the decoded objective), ``feasible`` when there is an incumbent, and no values are read
unless there is a solution.

The solve reports the solver's bound on its whole objective (tie-break included): HiGHS's
dual bound; for CBC, the bound it prints when stopped early, or, when it reports an optimum,
the incumbent widened by the gap tolerances it was given.
"""

import math
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs
import pulp
from pulp.apis.coin_api import pulp_cbc_path

from itstrat_engine.model import PlanSettings
from itstrat_engine.optimize.formulate import Formulation
from itstrat_engine.optimize.result import Status

__all__ = ["SolveOutcome", "solve"]


@attrs.frozen(kw_only=True)
class SolveOutcome:
    """How a solve ended: PuLP's two status fields, the bound and incumbent, times, a message.

    `bound` and `incumbent` are in the formulation's objective (tie-break included);
    `solver_seconds` is the solver's own time, `seconds` the whole call.
    """

    pulp_status: int
    solution_status: int
    solver: str
    bound: float | None
    incumbent: float | None
    seconds: float
    solver_seconds: float
    message: str

    @property
    def has_solution(self) -> bool:
        """True when the solver left an integer-feasible solution on the variables."""
        return status_of(self, proven=False).has_plan


def status_of(outcome: SolveOutcome, *, proven: bool) -> Status:
    """The one place solver outcomes become a `Status`; `proven` says the gap is closed."""
    if outcome.pulp_status == _ERROR:
        return Status.ERROR
    pulp_status, solution_status = outcome.pulp_status, outcome.solution_status
    if solution_status == pulp.LpSolutionOptimal:
        return Status.OPTIMAL if proven else Status.FEASIBLE
    if solution_status == pulp.LpSolutionIntegerFeasible:
        return Status.FEASIBLE
    if pulp_status == pulp.LpStatusInfeasible or solution_status == pulp.LpSolutionInfeasible:
        return Status.INFEASIBLE
    if pulp_status == pulp.LpStatusUnbounded or solution_status == pulp.LpSolutionUnbounded:
        return Status.UNBOUNDED
    return Status.NO_SOLUTION


_ERROR = -99  # our marker for a solver that crashed
PROOF_TOLERANCE = 1e-6
"""Bound and value closer than this (absolute) are equal: the optimum is proven."""


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


class _HiGHS(pulp.HiGHS):  # type: ignore[misc]
    """PuLP's in-process HiGHS, silent, with the options we always set, timing `run()`."""

    def __init__(self, settings: PlanSettings, absolute_gap: float) -> None:
        super().__init__(
            msg=False,
            timeLimit=settings.time_limit,
            gapRel=settings.gap,
            gapAbs=absolute_gap,
            threads=settings.threads,
        )
        self.run_seconds = 0.0

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 - PuLP's hook name
        highs = _new_highs()
        highs.setOptionValue("mip_rel_gap", float(self.gapRel))
        highs.setOptionValue("mip_abs_gap", float(self.gapAbs))
        highs.setOptionValue("time_limit", float(self.timeLimit))
        highs.setOptionValue("random_seed", 0)
        if self.threads is not None:
            highs.setOptionValue("threads", int(self.threads))
        lp.solverModel = highs

    def callSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 - PuLP's hook name
        started = time.perf_counter()
        lp.solverModel.run()
        self.run_seconds = time.perf_counter() - started


def _solve_highs(formulation: Formulation, settings: PlanSettings) -> SolveOutcome:
    started = time.perf_counter()
    solver = _HiGHS(settings, formulation.absolute_gap)
    problem = formulation.problem
    problem.solve(solver)
    seconds = time.perf_counter() - started
    info = problem.solverModel.getInfo()
    sign = -1.0 if formulation.maximize else 1.0  # HiGHS minimizes the negated objective
    has_incumbent = problem.sol_status in {pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible}
    incumbent = sign * info.objective_function_value if has_incumbent else None
    bound = sign * info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else None
    model_status = str(problem.solverModel.getModelStatus()).rsplit(".", 1)[-1]
    return SolveOutcome(
        pulp_status=problem.status,
        solution_status=problem.sol_status,
        solver="highs",
        bound=bound,
        incumbent=incumbent,
        seconds=seconds,
        solver_seconds=solver.run_seconds,
        message=f"HiGHS {model_status}",
    )


_CBC_RESULT = re.compile(r"^Result - (.+)$", re.MULTILINE)
_CBC_NUMBER = r":\s+(-?[0-9.eE+-]+|-?inf)"


def _cbc_log_number(log: str, label: str) -> float | None:
    match = re.search(rf"^{label}{_CBC_NUMBER}", log, re.MULTILINE)
    return float(match.group(1)) if match else None


def _solve_cbc(formulation: Formulation, settings: PlanSettings) -> SolveOutcome:
    started = time.perf_counter()
    problem = formulation.problem
    with tempfile.TemporaryDirectory(prefix="itstrat-cbc-") as folder:
        log_path = Path(folder) / "cbc.log"
        solver = pulp.COIN_CMD(
            path=pulp_cbc_path,
            msg=False,
            timeLimit=settings.time_limit,
            gapRel=settings.gap,
            gapAbs=formulation.absolute_gap,
            threads=settings.threads,
            logPath=str(log_path),
        )
        solver.tmpDir = folder
        problem.solve(solver)
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    seconds = time.perf_counter() - started
    result = _CBC_RESULT.search(log)
    # Without a "Result -" line CBC never branched: Clp settled it (an LP, or infeasible).
    result_text = result.group(1).strip() if result else "settled without branching"
    has_incumbent = problem.sol_status in {pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible}
    incumbent = _cbc_log_number(log, "Objective value") if has_incumbent else None
    # CBC prints the bound as "Upper bound" when maximizing (-max) and "Lower bound" otherwise.
    bound = _cbc_log_number(log, "Upper bound" if formulation.maximize else "Lower bound")
    if result is None and problem.sol_status == pulp.LpSolutionOptimal:
        # No branch and bound ran (a pure LP, solved by Clp): its optimum is proven.
        incumbent = bound = float(pulp.value(problem.objective) or 0.0)
    elif result_text.startswith("Optimal solution found") and incumbent is not None:
        # CBC stops when either tolerance is met and then prints no bound. An absolute gap at
        # the proof tolerance (1e-6, HiGHS's default too) counts as closed.
        absolute = formulation.absolute_gap if formulation.absolute_gap > PROOF_TOLERANCE else 0.0
        slack = max(absolute, settings.gap * abs(incumbent))
        bound = incumbent + slack if formulation.maximize else incumbent - slack
    wall = _cbc_log_number(log, r"Time \(Wallclock seconds\)")
    return SolveOutcome(
        pulp_status=problem.status,
        solution_status=problem.sol_status,
        solver="cbc",
        bound=bound,
        incumbent=incumbent,
        seconds=seconds,
        solver_seconds=wall if wall is not None else seconds,
        message=f"CBC {result_text}",
    )


def solve(formulation: Formulation, settings: PlanSettings) -> SolveOutcome:
    """Solve with the solver the settings name; solver crashes become `Status.ERROR`."""
    started = time.perf_counter()
    if not formulation.problem.variables():  # nothing to decide (CBC would not even run)
        return SolveOutcome(
            pulp_status=pulp.LpStatusOptimal,
            solution_status=pulp.LpSolutionOptimal,
            solver=settings.solver,
            bound=0.0,
            incumbent=0.0,
            seconds=time.perf_counter() - started,
            solver_seconds=0.0,
            message="nothing to decide",
        )
    try:
        if settings.solver == "cbc":
            return _solve_cbc(formulation, settings)
        return _solve_highs(formulation, settings)
    except (pulp.PulpSolverError, OSError) as error:
        seconds = time.perf_counter() - started
        return SolveOutcome(
            pulp_status=_ERROR,
            solution_status=pulp.LpSolutionNoSolutionFound,
            solver=settings.solver,
            bound=None,
            incumbent=None,
            seconds=seconds,
            solver_seconds=seconds,
            message=f"{settings.solver} failed: {error}",
        )
