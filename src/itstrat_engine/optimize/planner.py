"""`plan`: from an engagement to a verified roadmap, in one call through the seam.

prepare (check, score, settle the settings, presolve) -> formulate -> solve -> decode ->
verify; an infeasible model is diagnosed. Each step is public in `itstrat_engine.optimize`
for callers that re-solve neighbouring problems (a budget sweep prepares and formulates
once, then changes right-hand sides and solves from the previous plan).
"""

import time
from collections.abc import Iterable, Mapping
from typing import Literal, Unpack

import attrs

from itstrat_engine.model import Engagement
from itstrat_engine.optimize.contract import Schedule
from itstrat_engine.optimize.cpsat import settle
from itstrat_engine.optimize.decoding import decode, unplanned
from itstrat_engine.optimize.diagnose import diagnose
from itstrat_engine.optimize.formulation import Formulation, formulate
from itstrat_engine.optimize.heuristic import greedy_schedule
from itstrat_engine.optimize.preparation import Overrides, Prepared, prepare
from itstrat_engine.optimize.result import Finding, Plan, Status
from itstrat_engine.optimize.solution import Solution, solve
from itstrat_engine.optimize.verify import verify
from itstrat_engine.rules.evaluate import PackReference

__all__ = [
    "AFTER_SOLVE_SECONDS_PER_START",
    "GREEDY_START_MIN_STARTS",
    "adopt_settled",
    "checked",
    "plan",
    "plan_prepared",
]

AFTER_SOLVE_SECONDS_PER_START = 2e-5
"""Seconds kept back from the solver's limit per start variable for what follows the solve.

Decoding (with compaction) and verification took 3.8 s at 30,000 generated initiatives
(289,000 start variables), and HiGHS may run a few seconds past its own limit there while
it solves its first LP: 20 microseconds a start keeps about 6 s, 0.2 s at 1000 initiatives,
nothing that matters on a hand-made engagement."""

GREEDY_START_MIN_STARTS = 50_000
"""From this many start variables a plan without a start begins from the greedy roadmap.

There the solver may need most of its limit for the first LP relaxation (10,000 generated
initiatives: 97,000 start variables, 26-38 s), and a call stopped before it would have no
plan; the greedy roadmap (2-3 s at that size) is one, about 8% below the optimum."""


def plan(
    engagement: Engagement,
    *,
    rules: PackReference | Iterable[PackReference] | None = None,
    params: Mapping[str, object] | None = None,
    start: Schedule | None = None,
    **overrides: Unpack[Overrides],
) -> Plan:
    """Choose and sequence the initiatives: a verified `Plan` with an honest status.

    `rules` (pack names or paths, applied in order) and `params` score and gate the
    initiatives (default: the file's ``[plan] rules``, paths relative to the file, and
    ``params``); `overrides` (objective, timing, discount_rate, coverage, solver,
    time_limit, gap, threads) change the engagement's ``[plan]`` table; `start` is a
    schedule to start the solver from. Raises `InvalidEngagementError` (or a `RuleError`)
    for invalid input; an infeasible engagement is not an error: the plan has status
    ``infeasible`` and `findings` that say what must give.

    >>> import itstrat_engine as it
    >>> e = it.generate(8, seed=3)
    >>> p = it.plan(e, time_limit=10)
    >>> p.status.value, it.verify(p, p.engagement)
    ('optimal', ())
    """
    started = time.perf_counter()
    prepared = prepare(engagement, rules=rules, params=params, **overrides)
    return plan_prepared(prepared, start=start, started=started)


def plan_prepared(
    prepared: Prepared,
    *,
    start: Schedule | None = None,
    settle_ties: bool | Literal["always"] = True,
    started: float | None = None,
) -> Plan:
    """`plan` from a preparation: formulate, solve, decode, settle, diagnose, verify.

    For callers that re-plan variants of one preparation (`Prepared.with_effective`);
    `settle_ties=False` keeps whichever optimal plan the solver found (an explanation
    needs the optimum's value, not the canonical plan); ``"always"`` settles pure
    selection too (a budget frontier needs the least spend at every optimum). `started` is when the caller's
    clock began (the time limit covers the whole call).
    """
    started = time.perf_counter() if started is None else started
    if prepared.findings:
        result = unplanned(
            prepared, Status.INFEASIBLE, "infeasible before solving", findings=prepared.findings
        )
        return attrs.evolve(result, seconds=time.perf_counter() - started)
    formulation = formulate(prepared)
    built = time.perf_counter() - started
    settings = prepared.settings
    greedy: dict[str, float] = {}
    spent = 0.0
    if start is None and len(formulation.x) >= GREEDY_START_MIN_STARTS:
        start = greedy_schedule(prepared)
        greedy["greedy"] = spent = time.perf_counter() - started - built
    # The limit covers the whole call: the heuristic's time and what follows the solve
    # (decoding, compaction, verification) come out of the solver's.
    # A short limit (an explanation's share) is never raised: at least 1 s of it is kept.
    reserve = spent + AFTER_SOLVE_SECONDS_PER_START * len(formulation.x)
    floor = min(settings.time_limit, 1.0)
    settings = attrs.evolve(settings, time_limit=max(settings.time_limit - reserve, floor))
    solution = solve(formulation, settings, start=start)
    result = decode(prepared, formulation, solution)
    timings = {**result.timings, "build": built, **greedy}
    if (
        settle_ties
        and result.status == Status.OPTIMAL
        and _worth_settling(formulation, always=settle_ties == "always")
    ):
        settling = time.perf_counter()
        result = _settled(result, formulation, solution, started)
        timings["settle"] = time.perf_counter() - settling
    if result.status == Status.INFEASIBLE:
        # The limit covers the whole call: the diagnosis gets what is left (5% at least).
        limit = prepared.settings.time_limit
        left = max(limit - (time.perf_counter() - started), 0.05 * limit)
        result = attrs.evolve(result, findings=diagnose(prepared, time_limit=left))
    return attrs.evolve(checked(result), seconds=time.perf_counter() - started, timings=timings)


def _worth_settling(formulation: Formulation, *, always: bool = False) -> bool:
    """Whether equally good plans can differ in a way settling decides.

    Not for the cost objective (spend is the objective), nor without any spend, nor for pure
    selection (no start to choose: ``auto`` gives it to CBC alone, deterministic as it is,
    and a knapsack's tie needs two subsets of exactly equal value; measured, settling there
    cost more than CBC's own proof), unless `always`.
    """
    if formulation.prepared.settings.objective == "cost":
        return False
    if not any(c for _, c in formulation.rows["budget-total",].items()):
        return False
    return always or any(len(options) > 1 for options in formulation.starts.values())


def _settled(result: Plan, formulation: Formulation, solution: Solution, started: float) -> Plan:
    """The canonical plan among the optimal ones, decided by the input alone.

    Backends (and the two racers of ``auto``) may prove the same optimum with different
    portfolios; a deterministic second solve at that optimum picks the one of least total
    spend, and decoding then starts it as early as the rules allow where start periods do
    not change the objective. Kept as is when the second solve cannot prove its answer in
    the time left.
    """
    left = result.settings.time_limit - (time.perf_counter() - started)
    value = result.objective_value
    settled = settle(formulation, value, left) if value is not None else None
    return adopt_settled(result, formulation, solution, settled)


def adopt_settled(
    result: Plan, formulation: Formulation, solution: Solution, settled: Solution | None
) -> Plan:
    """`result` replaced by the settling solve's plan (`settled`, None: none was proven).

    The proof stays the one the first solve gave (its bound and solver); kept as is when the
    settled plan does not decode as optimal.
    """
    if settled is None:
        return result
    proven = attrs.evolve(settled, bound=solution.bound, solver=solution.solver)
    canonical = decode(result.prepared, formulation, proven)
    if canonical.status != Status.OPTIMAL:
        return result
    return attrs.evolve(
        canonical,
        seconds=result.seconds,
        message=f"{result.message}; least spend among optimal plans",
    )


def checked(result: Plan) -> Plan:
    """The plan, or an error plan when it fails `verify`: a broken plan is never handed out.

    A failure means a solver tolerance or an engine bug; the violations are the findings.
    """
    violations = verify(result, result.engagement)
    if not violations:
        return result
    return attrs.evolve(
        result,
        status=Status.ERROR,
        message="the solver's plan failed verification",
        findings=tuple(Finding(kind="verification", message=str(v)) for v in violations),
    )
