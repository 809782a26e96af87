"""`plan`: from an engagement to a verified roadmap, in one call.

The steps: validate the engagement; score and gate it with the rule packs (without packs,
each initiative is worth its plain `value`, else its alignment); settle the settings (the
file's ``[plan]`` table with the call's overrides); catch infeasibility that needs no
solver; formulate, solve, decode; verify the decoded plan against the contract; on
infeasibility, diagnose it.
"""

import math
import time
import typing
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from itstrat_engine.errors import InvalidEngagementError, Problem, did_you_mean
from itstrat_engine.graph import check
from itstrat_engine.model import Engagement, PlanSettings
from itstrat_engine.optimize.compact import compact
from itstrat_engine.optimize.contract import objective_value, timed_value, usage
from itstrat_engine.optimize.diagnose import diagnose, presolve
from itstrat_engine.optimize.formulate import Formulation, formulate
from itstrat_engine.optimize.result import Finding, Plan, ScheduledInitiative, Status
from itstrat_engine.optimize.solve import PROOF_TOLERANCE, SolveOutcome, solve, status_of
from itstrat_engine.optimize.verify import verify
from itstrat_engine.rules.evaluate import PackReference, prioritize

__all__ = ["plan", "settings_for"]


def settings_for(engagement: Engagement, **overrides: object) -> PlanSettings:
    """The engagement's plan settings with the given overrides (None leaves a value as is)."""
    changes: dict[str, Any] = {
        name: value for name, value in overrides.items() if value is not None
    }
    hints = typing.get_type_hints(PlanSettings)
    for name, value in changes.items():
        choices = typing.get_args(hints[name]) if typing.get_origin(hints[name]) is Literal else ()
        if choices and value not in choices:
            raise InvalidEngagementError(
                [
                    Problem(
                        code="invalid-setting",
                        path=f"plan.{name}",
                        message=f"unknown {name}",
                        value=repr(value),
                        expected="one of " + ", ".join(repr(c) for c in choices),
                        suggestion=did_you_mean(str(value), [str(c) for c in choices]),
                    )
                ]
            )
    try:
        settings = attrs.evolve(engagement.plan, **changes)
    except ValueError as error:  # a validator refused an override
        raise InvalidEngagementError(
            [Problem(code="invalid-setting", path="plan", message=str(error))]
        ) from None
    if settings.objective == "cost" and settings.coverage is None:
        raise InvalidEngagementError(
            [
                Problem(
                    code="missing-coverage",
                    path="plan.coverage",
                    message="the cost objective needs a required coverage",
                    expected="a share of the total issue weight from 0 to 1",
                    suggestion="add coverage = 0.8 to [plan] (or pass coverage=0.8)",
                )
            ]
        )
    return settings


def _effective(engagement: Engagement, settings: PlanSettings) -> Engagement:
    """The engagement as optimized, carrying the final settings.

    For makespan every initiative that is not forbidden becomes mandatory: makespan means
    finishing everything as early as possible.
    """
    if settings.objective == "makespan":
        initiatives = tuple(
            item if item.forbidden or item.mandatory else attrs.evolve(item, mandatory=True)
            for item in engagement.initiatives
        )
        engagement = attrs.evolve(engagement, initiatives=initiatives)
    return attrs.evolve(engagement, plan=settings)


def plan(
    engagement: Engagement,
    *,
    rules: Iterable[PackReference] | None = None,
    params: Mapping[str, object] | None = None,
    objective: str | None = None,
    timing: str | None = None,
    discount_rate: float | None = None,
    coverage: float | None = None,
    solver: str | None = None,
    time_limit: float | None = None,
    gap: float | None = None,
    threads: int | None = None,
) -> Plan:
    """Choose and sequence the initiatives: a verified `Plan` with an honest status.

    `rules` (pack names or paths, applied in order) and `params` score and gate the
    initiatives (default: the file's ``[plan] rules`` and ``params``); the other keyword
    arguments override the engagement's ``[plan]`` table. Raises `InvalidEngagementError`
    (or a `RuleError`) for invalid input; an infeasible engagement is not an error: the plan
    has status ``infeasible`` and `findings` that say what must give.

    >>> import itstrat_engine as it
    >>> e = it.generate(8, seed=3)
    >>> p = it.plan(e, time_limit=10)
    >>> p.status.value, it.verify(p, p.engagement)
    ('optimal', ())
    """
    started = time.perf_counter()
    check(engagement)
    settings = settings_for(
        engagement,
        objective=objective,
        timing=timing,
        discount_rate=discount_rate,
        coverage=coverage,
        solver=solver,
        time_limit=time_limit,
        gap=gap,
        threads=threads,
    )
    scored = prioritize(engagement, rules, params).apply(engagement)
    effective = _effective(scored, settings)
    findings = presolve(effective)
    if findings:
        return _without_schedule(
            effective, Status.INFEASIBLE, "infeasible before solving", findings, started
        )
    formulation = formulate(effective, settings)
    built = time.perf_counter()
    outcome = solve(formulation, settings)
    if not outcome.has_solution:
        status = status_of(outcome, proven=False)
        findings = diagnose(effective, settings) if status == Status.INFEASIBLE else ()
        return _without_schedule(effective, status, outcome.message, findings, started, outcome)
    result = _decode(effective, formulation, outcome, started, built - started)
    violations = verify(result, effective)
    if violations:  # a solver tolerance or an engine bug: never hand out a broken plan as valid
        return attrs.evolve(
            result,
            status=Status.ERROR,
            message="the solver's plan failed verification",
            findings=tuple(Finding(kind="verification", message=str(v)) for v in violations),
        )
    return result


def _schedule(formulation: Formulation) -> dict[str, int]:
    schedule: dict[str, int] = {}
    for (item_id, start), var in sorted(formulation.x.items()):
        if (var.varValue or 0.0) > 0.5:
            if item_id in schedule:
                msg = f"the solver started {item_id!r} twice"
                raise RuntimeError(msg)
            schedule[item_id] = start
    return schedule


def _decode(
    engagement: Engagement,
    formulation: Formulation,
    outcome: SolveOutcome,
    started: float,
    build_seconds: float,
) -> Plan:
    settings = engagement.plan
    labels = engagement.scope.labels
    schedule = _schedule(formulation)
    if settings.objective in {"coverage", "makespan"} or (
        settings.objective == "value" and settings.timing == "once"
    ):
        first = {
            item_id: min(options) for item_id, options in formulation.starts.items() if options
        }
        schedule = compact(engagement, schedule, first)
    rows = usage(engagement, schedule)
    value = objective_value(engagement, schedule, settings, rows)
    bound, gap = _bound_and_gap(value, outcome, formulation)
    status = status_of(outcome, proven=gap == 0.0)
    entries = []
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
            ScheduledInitiative(
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
    total = math.fsum(row.spend for row in rows)
    return Plan(
        status=status,
        objective=settings.objective,
        objective_value=value,
        best_bound=bound,
        gap=gap,
        solver=outcome.solver,
        seconds=time.perf_counter() - started,
        periods=labels,
        initiatives=tuple(entries),
        usage=rows,
        total_spend=total,
        budget=engagement.capacity.budget,
        message=_message(status, outcome, gap),
        timing=settings.timing,
        time_limit=settings.time_limit,
        requested_gap=settings.gap,
        engagement=engagement,
        timings={
            "build": build_seconds,
            "solve": outcome.seconds,
            "solver": outcome.solver_seconds,
        },
    )


def _bound_and_gap(
    value: float, outcome: SolveOutcome, formulation: Formulation
) -> tuple[float | None, float | None]:
    """The solver's bound on the objective, and the relative gap to the plan's value.

    When every objective coefficient is a whole number on an integer variable, so is the
    optimum, and the bound rounds (down when maximizing, up when minimizing). The gap counts
    as closed (proven optimal) when the bound and the value agree to the solvers' own
    absolute (1e-6) or relative (1e-9) tolerance.
    """
    if outcome.bound is None or not math.isfinite(outcome.bound):
        return None, None
    if formulation.maximize:
        bound = outcome.bound
        if formulation.integral:
            bound = float(math.floor(bound + 1e-6))
        bound = max(value, bound)
    else:
        bound = outcome.bound
        if formulation.integral:
            bound = float(math.ceil(bound - 1e-6))
        bound = min(value, bound)
    difference = abs(bound - value)
    scale = max(abs(value), abs(bound))
    if difference <= PROOF_TOLERANCE or difference <= 1e-9 * scale:
        return value, 0.0
    return bound, difference / scale


def _message(status: Status, outcome: SolveOutcome, gap: float | None) -> str:
    if status == Status.OPTIMAL:
        return f"optimal (proven by {outcome.solver})"
    shown = f"{gap:.2%}" if gap is not None else "unknown"
    return f"feasible, not proven optimal: gap {shown} ({outcome.message})"


def _without_schedule(
    engagement: Engagement,
    status: Status,
    message: str,
    findings: tuple[Finding, ...],
    started: float,
    outcome: SolveOutcome | None = None,
) -> Plan:
    settings = engagement.plan
    return Plan(
        status=status,
        objective=settings.objective,
        objective_value=None,
        best_bound=None,
        gap=None,
        solver=settings.solver,
        seconds=time.perf_counter() - started,
        periods=engagement.scope.labels,
        initiatives=tuple(
            ScheduledInitiative(id=i.id, name=i.name, selected=False, mandatory=i.mandatory)
            for i in engagement.initiatives
        ),
        usage=(),
        budget=engagement.capacity.budget,
        message=message if outcome is None else f"{status.value} ({outcome.message})",
        findings=findings,
        timing=settings.timing,
        time_limit=settings.time_limit,
        requested_gap=settings.gap,
        engagement=engagement,
        timings={}
        if outcome is None
        else {"solve": outcome.seconds, "solver": outcome.solver_seconds},
    )
