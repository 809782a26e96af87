"""`decode`: a `Solution` becomes a `Plan`, computed from the integer schedule alone.

A pure function of (`Prepared`, `Formulation`, `Solution`): no solver variable is read
here. Equal-value schedules are settled by compaction (earliest feasible starts) when the
objective does not depend on start periods; every figure of the plan (usage per period,
spend, the objective value) is recomputed from the schedule with
`itstrat_engine.optimize.contract`, never copied from the solver's float objective. The
status is ``optimal`` only when the solver stopped at its gap *and* its bound meets the
decoded value.
"""

import math
from collections.abc import Mapping

import attrs

from itstrat_engine.optimize.compact import compact
from itstrat_engine.optimize.contract import objective_value, timed_value, usage
from itstrat_engine.optimize.formulation import Formulation
from itstrat_engine.optimize.preparation import Prepared
from itstrat_engine.optimize.result import (
    Finding,
    Plan,
    ScheduledInitiative,
    SelectedInitiative,
    Status,
)
from itstrat_engine.optimize.solution import PROOF_TOLERANCE, Solution

__all__ = ["bound_and_gap", "decode", "from_schedule", "unplanned"]


def decode(prepared: Prepared, formulation: Formulation, solution: Solution) -> Plan:
    """The plan a solution stands for, with an honest status.

    Without a solution the plan lists every initiative as not selected and carries the
    solver's message; `findings` are added by the caller (`plan` diagnoses infeasibility).

    >>> import itstrat_engine as it
    >>> from itstrat_engine.optimize import decode, formulate, prepare, solve
    >>> prepared = prepare(it.generate(6, seed=4))
    >>> formulation = formulate(prepared)
    >>> plan = decode(prepared, formulation, solve(formulation))
    >>> plan.status.value, it.verify(plan, plan.engagement)
    ('optimal', ())
    """
    engagement = prepared.effective
    settings = prepared.settings
    if not solution.has_solution:
        return unplanned(
            prepared,
            solution.status,
            f"{solution.status.value} ({solution.message})",
            solver=solution.solver,
            timings={"solve": solution.seconds, "solver": solution.solver_seconds},
        )
    schedule = dict(solution.schedule)
    if settings.objective in {"coverage", "makespan"} or (
        settings.objective == "value" and settings.timing == "once"
    ):
        first = {item_id: options[0] for item_id, options in prepared.starts.items() if options}
        schedule = compact(engagement, schedule, first)
    result = from_schedule(prepared, schedule, solver=solution.solver)
    bound, gap = bound_and_gap(result.objective_value or 0.0, solution, formulation)
    # A bound that meets the value is a proof, whatever the solver called its stop.
    status = Status.OPTIMAL if gap == 0.0 else Status.FEASIBLE
    return attrs.evolve(
        result,
        status=status,
        best_bound=bound,
        gap=gap,
        seconds=solution.seconds,
        message=_message(status, solution, gap),
        timings={"solve": solution.seconds, "solver": solution.solver_seconds},
    )


def from_schedule(prepared: Prepared, schedule: Mapping[str, int], *, solver: str) -> Plan:
    """The plan of a given schedule: every figure from the contract module, no proof.

    Its status is ``feasible`` with no bound whether or not the schedule keeps the rules:
    `verify` it. For plans a heuristic builds (the greedy curve of the frontier) and for
    oracles that enumerate schedules.
    """
    engagement = prepared.effective
    settings = prepared.settings
    labels = engagement.scope.labels
    rows = usage(engagement, schedule)
    entries: list[ScheduledInitiative] = []
    for item in engagement.initiatives:
        start = schedule.get(item.id)
        if start is None:
            entries.append(
                ScheduledInitiative(
                    id=item.id, name=item.name, selected=False, mandatory=item.mandatory
                )
            )
            continue
        finish = start + item.duration
        entries.append(
            SelectedInitiative(
                id=item.id,
                name=item.name,
                selected=True,
                start=start,
                finish=finish,
                start_label=labels[start],
                end_label=labels[finish - 1],
                value=timed_value(engagement, item, start, settings),
                cost=item.cost + item.run_cost * (engagement.periods - finish),
                mandatory=item.mandatory,
            )
        )
    return Plan(
        status=Status.FEASIBLE,
        objective=settings.objective,
        objective_value=objective_value(engagement, schedule, settings, rows),
        best_bound=None,
        gap=None,
        solver=solver,
        periods=labels,
        initiatives=tuple(entries),
        usage=rows,
        schedule=dict(sorted(schedule.items())),
        total_spend=math.fsum(row.spend for row in rows),
        budget=engagement.capacity.budget,
        message=f"a schedule given by {solver}, not proven optimal",
        timing=settings.timing,
        time_limit=settings.time_limit,
        requested_gap=settings.gap,
        prepared=prepared,
    )


def unplanned(
    prepared: Prepared,
    status: Status,
    message: str,
    *,
    solver: str | None = None,
    findings: tuple[Finding, ...] = (),
    timings: dict[str, float] | None = None,
) -> Plan:
    """A plan without a schedule (infeasible, unsolved, failed): every initiative left out."""
    engagement = prepared.effective
    settings = prepared.settings
    return Plan(
        status=status,
        objective=settings.objective,
        objective_value=None,
        best_bound=None,
        gap=None,
        solver=solver or settings.solver,
        periods=engagement.scope.labels,
        initiatives=tuple(
            ScheduledInitiative(id=i.id, name=i.name, selected=False, mandatory=i.mandatory)
            for i in engagement.initiatives
        ),
        usage=(),
        budget=engagement.capacity.budget,
        message=message,
        findings=findings,
        timing=settings.timing,
        time_limit=settings.time_limit,
        requested_gap=settings.gap,
        prepared=prepared,
        timings=timings or {},
    )


def bound_and_gap(
    value: float, solution: Solution, formulation: Formulation
) -> tuple[float | None, float | None]:
    """The solver's bound on the objective, and the relative gap to the plan's value.

    When every objective coefficient is a whole number on an integer variable, the optimum
    is a whole multiple of their greatest common divisor (`Formulation.step`), and the bound
    rounds to one (down when maximizing, up when minimizing). The gap counts
    as closed (proven optimal) when the bound and the value agree to the solvers' own
    absolute (1e-6) or relative (1e-9) tolerance; for a fractional objective to 1e-6 of its
    size, the solvers' feasibility tolerance.
    """
    if solution.bound is None or not math.isfinite(solution.bound):
        return None, None
    bound = solution.bound
    if formulation.maximize:
        if formulation.integral:
            bound = math.floor(bound / formulation.step + 1e-6) * formulation.step
        bound = max(value, bound)
    else:
        if formulation.integral:
            bound = math.ceil(bound / formulation.step - 1e-6) * formulation.step
        bound = min(value, bound)
    difference = abs(bound - value)
    scale = max(abs(value), abs(bound))
    # A fractional objective's bound carries the solver's feasibility tolerance (1e-6 on a
    # continuous variable: HiGHS proved 27.750001 for a coverage plan worth exactly 27.75);
    # an integral one is rounded to whole steps above, so it is held to the strict test.
    closed = PROOF_TOLERANCE * (1.0 if formulation.integral else max(1.0, scale))
    if difference <= closed or difference <= 1e-9 * scale:
        return value, 0.0
    return bound, difference / scale


def _message(status: Status, solution: Solution, gap: float | None) -> str:
    if status == Status.OPTIMAL:
        return f"optimal (proven by {solution.solver})"
    shown = f"{gap:.2%}" if gap is not None else "unknown"
    return f"feasible, not proven optimal: gap {shown} ({solution.message})"
