"""Re-planning from where things stand: the remainder optimized again, with stability.

`replan(engagement, baseline, progress)` derives the engagement of the remainder and plans
it through the seam. The derived engagement keeps the whole horizon, so the new plan shows
the past as it happened beside the future:

- **done** work is pinned where it ran (from `started`, default its baseline start, to
  `finished`), with its actual cost (default the planned cost) spread evenly over those
  periods and its actual hours (default the planned effort); its run cost and benefit
  count from its real go-live. Its prerequisites and exclusions among pinned work are
  dropped: reality happened.
- **in-progress** work is pinned from the status date for `remaining_periods` (default:
  what the baseline had left, at least one) with `remaining_cost` and `remaining_effort`
  (default: the planned cost and effort not yet spread). What it spent before the status
  date (`actual_cost`, default the planned spend to date) is charged to the budgets.
- **cancelled** work is forbidden; **not-started** work (and everything the file does not
  list) may start from ``as_of + freeze`` inside its own window; one whose window has
  closed is left out (a mandatory one is an error).
- The periods before the status date are closed: their period budgets and skill hours are
  what the pinned work used (never less than the file's), no contractors; spend not in the
  model (in-flight work to date, or the difference to ``[[spend]]`` actuals where given) is
  taken from the total and the fiscal-year budgets.

Stability (`stability` = W > 0) maximizes value minus W times the disruption (minimizes
for the cost and makespan objectives): each open baseline initiative (selected, not
started, not cancelled) counts its size when it is dropped or starts in another period;
each open initiative the baseline did not select counts its size when it is added. The
size of an initiative is 1 plus its one-off cost over the mean one-off cost of the
engagement's initiatives, rounded to 4 decimals (an initiative of average cost weighs 2, a
free one 1). Pinned
and cancelled work is reality, not a decision: it does not count. The disruption is
computed from the schedule, and the plan is optimal only when the solver's bound on value
minus W times disruption meets that; with W large enough the baseline's remainder is
returned whenever it is still feasible.
"""

import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from itstrat_engine.comparison import Difference, difference
from itstrat_engine.errors import InvalidEngagementError, Problem
from itstrat_engine.execution.progress import (
    InvalidProgressError,
    Progress,
    UnplannableRemainderError,
    check_progress,
)
from itstrat_engine.formatting import money
from itstrat_engine.model import Engagement, Initiative
from itstrat_engine.optimize.contract import objective_value, usage, window
from itstrat_engine.optimize.preparation import Prepared, overrides_of, prepare
from itstrat_engine.optimize.result import Plan, Status

__all__ = [
    "Reason",
    "Remainder",
    "Replan",
    "StabilityCurve",
    "StabilityPoint",
    "disruption",
    "remainder",
    "replan",
    "stability_curve",
]

_MAXIMIZED = frozenset({"value", "coverage", "npv"})


@attrs.frozen(kw_only=True)
class Reason:
    """One reason the plan had to change: its kind, the initiative (if one), the words.

    Kinds: ``overrun``, ``underrun``, ``late``, ``slip``, ``freeze``, ``new``,
    ``cancelled``, ``removed``, ``unplanned``, ``capacity``, ``window-closed``.
    """

    kind: str
    initiative: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"kind": self.kind, "initiative": self.initiative, "message": self.message}


@attrs.frozen(kw_only=True)
class Remainder:
    """The derived engagement of the remainder and what the re-plan must keep.

    `prepared` is ready to plan (no rule packs: their values are written in). `pinned`
    maps done and in-progress work to its start in the derived engagement; `targets` maps
    each open baseline initiative to its baseline start; `sizes` are the disruption
    weights of the open initiatives; `spent` is the money spent before the status date
    (the pinned work as modelled plus what the budgets were charged besides).
    """

    prepared: Prepared = attrs.field(repr=False)
    baseline: Plan = attrs.field(repr=False)
    progress: Progress = attrs.field(repr=False)
    as_of: int
    freeze: int
    pinned: Mapping[str, int]
    targets: Mapping[str, int]
    sizes: Mapping[str, float]
    spent: float
    reasons: tuple[Reason, ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def open_from(self) -> int:
        """The first period new work may start in."""
        return self.as_of + self.freeze

    def baseline_start(self) -> dict[str, int]:
        """The baseline's remainder as a schedule: pinned work, open baseline work where it can."""
        starts = self.prepared.starts
        kept = {i: s for i, s in self.targets.items() if s in starts.get(i, ())}
        return {**self.pinned, **kept}


def disruption(remainder: Remainder, schedule: Mapping[str, int]) -> float:
    """The disruption of a schedule against the baseline (see the module docstring)."""
    total = []
    for item_id, target in remainder.targets.items():
        if schedule.get(item_id) != target:
            total.append(remainder.sizes[item_id])
    for item_id, size in remainder.sizes.items():
        if item_id not in remainder.targets and item_id in schedule:
            total.append(size)
    return math.fsum(total)


@attrs.frozen(kw_only=True)
class Replan:
    """A re-plan: the new plan, what changed against the baseline, and why.

    `difference` leaves out pinned work (it ran as reported, see `reasons`); cancelled and
    re-optimized work shows as dropped, added or moved. `disruption` and `score` (value
    minus `stability` times disruption, or plus for a minimized objective) are computed
    from the schedule; None without a plan.
    """

    plan: Plan
    remainder: Remainder = attrs.field(repr=False)
    stability: float
    difference: Difference
    reasons: tuple[Reason, ...]
    disruption: float | None
    score: float | None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the keys of ``itstrat replan --format json``)."""
        r = self.remainder
        labels = r.prepared.effective.scope.labels
        return {
            "as_of": labels[r.as_of],
            "freeze": r.freeze,
            "stability": self.stability,
            "status": self.plan.status.value,
            "message": self.plan.message,
            "objective": self.plan.objective,
            "objective_value": self.plan.objective_value,
            "disruption": self.disruption,
            "score": self.score,
            "pinned": {i: labels[s] for i, s in sorted(r.pinned.items())},
            "spent_to_date": r.spent,
            "difference": self.difference.as_dict(),
            "reasons": [reason.as_dict() for reason in self.reasons],
            "warnings": [p.as_dict() for p in r.warnings],
            "findings": [
                {"kind": f.kind, "message": f.message, "items": list(f.items)}
                for f in self.plan.findings
            ],
            "schedule": {i: labels[s] for i, s in sorted(self.plan.schedule.items())},
        }


# --------------------------------------------------------------------------- the remainder


def _index(engagement: Engagement, ref: object) -> int:
    index = engagement.scope.index(ref)  # type: ignore[arg-type]  # checked by check_progress
    if index is None:  # pragma: no cover - check_progress refuses it
        msg = f"period {ref!r} outside the horizon"
        raise ValueError(msg)
    return index


def _done_share(item: Initiative, start: int, as_of: int) -> float:
    """The share of an item's cost and effort its plan spreads before `as_of`."""
    return math.fsum(s for k, s in enumerate(item.shares()) if start + k < as_of)


def with_new(engagement: Engagement, progress: Progress) -> Engagement:
    """The engagement with the progress file's new initiatives appended."""
    if not progress.new_initiatives:
        return engagement
    known = set(engagement.initiative_by_id)
    clashes = [
        Problem(
            code="duplicate-id",
            path=f"new_initiative[{k}].id",
            message="the engagement already has this initiative",
            value=repr(item.id),
            suggestion="give the new initiative its own id",
            file=progress.source,
        )
        for k, item in enumerate(progress.new_initiatives)
        if item.id in known
    ]
    if clashes:
        raise InvalidProgressError(clashes)
    return attrs.evolve(
        engagement, initiatives=(*engagement.initiatives, *progress.new_initiatives)
    )


def _move_new(problems: Sequence[Problem], first: int, progress: Progress) -> list[Problem]:
    """Problems of the engagement with new initiatives, put where their cause is written."""
    moved = []
    for problem in problems:
        path = problem.path
        if path.startswith("initiative["):
            number = int(path[len("initiative[") : path.index("]")])
            if number >= first:
                rest = path[path.index("]") + 1 :]
                path = f"new_initiative[{number - first}]{rest}"
                moved.append(attrs.evolve(problem, path=path, file=progress.source))
                continue
        moved.append(problem)
    return moved


def remainder(
    engagement: Engagement,
    baseline: Plan,
    progress: Progress,
    *,
    freeze: int = 0,
    time_limit: float | None = None,
) -> Remainder:
    """The engagement of what remains to plan, as of the progress file's status date.

    `engagement` is the engagement now (it may differ from the baseline's: new work, new
    budgets); it is scored with the baseline's rule packs and settings. Raises
    `InvalidProgressError` for a progress file that does not fit (located in it) and
    `InvalidEngagementError` for an invalid engagement.
    """
    _check_options(freeze, None)
    current = with_new(engagement, progress)
    check_progress(progress, current, baseline)
    overrides = overrides_of(baseline.settings)
    if time_limit is not None:
        overrides["time_limit"] = time_limit
    try:
        scored = prepare(
            current,
            rules=list(baseline.prioritization.packs),
            params=dict(baseline.prioritization.params),
            **overrides,
        )
    except InvalidEngagementError as error:
        raise InvalidProgressError(_move_new_list(error, engagement, progress)) from None
    effective = scored.effective
    as_of = _index(effective, progress.as_of)
    derived, pinned, spent, reasons = _derive(effective, baseline, progress, as_of, freeze)
    settings = attrs.evolve(effective.plan, rules=(), params={})
    derived = attrs.evolve(derived, plan=settings, source=engagement.source)
    try:
        prepared = prepare(derived, rules=[], **overrides)
    except InvalidEngagementError as error:
        raise UnplannableRemainderError(
            [
                attrs.evolve(
                    p,
                    file=progress.source,
                    path="progress",
                    message=f"the remainder is not a valid engagement: {p.path}: {p.message}",
                )
                for p in error.located()
            ]
        ) from None
    targets = {
        item_id: start
        for item_id, start in baseline.schedule.items()
        if item_id not in pinned
        and item_id in derived.initiative_by_id
        and not derived.initiative_by_id[item_id].forbidden
    }
    costs = [i.cost for i in derived.initiatives if i.cost > 0]
    mean = math.fsum(costs) / len(costs) if costs else 0.0
    sizes = {
        # Rounded so the weights stay short numbers (CP-SAT scales them exactly).
        item.id: round(1.0 + (item.cost / mean if mean else 0.0), 4)
        for item in effective.initiatives
        if item.id not in pinned and not derived.initiative_by_id[item.id].forbidden
    }
    warnings = tuple(
        Problem(
            code="not-listed",
            path="initiative",
            message=f"{item_id} was planned to start in {effective.scope.labels[start]} but is "
            "not listed: taken as not started",
            suggestion="list it with its status",
            severity="warning",
            file=progress.source,
        )
        for item_id, start in sorted(baseline.schedule.items())
        if start < as_of and not progress.listed(item_id) and item_id in effective.initiative_by_id
    )
    return Remainder(
        prepared=prepared,
        baseline=baseline,
        progress=progress,
        as_of=as_of,
        freeze=freeze,
        pinned=pinned,
        targets=targets,
        sizes=sizes,
        spent=spent,
        reasons=(*reasons, *_engagement_reasons(baseline, current)),
        warnings=warnings,
    )


def _move_new_list(
    error: InvalidEngagementError, engagement: Engagement, progress: Progress
) -> list[Problem]:
    return list(_move_new(error.located(engagement.source), len(engagement.initiatives), progress))


def _engagement_reasons(baseline: Plan, current: Engagement) -> list[Reason]:
    before = baseline.prepared.engagement
    reasons = []
    known = before.initiative_by_id
    for item in current.initiatives:
        if item.id not in known:
            kind = "mandatory " if item.mandatory else ""
            reasons.append(
                Reason(kind="new", initiative=item.id, message=f"new {kind}item {item.id}")
            )
    for item_id in sorted(set(known) - set(current.initiative_by_id)):
        reasons.append(  # noqa: PERF401 - clearer as a loop
            Reason(
                kind="removed",
                initiative=item_id,
                message=f"{item_id} is no longer in the engagement",
            )
        )
    if before.capacity != current.capacity:
        reasons.append(
            Reason(kind="capacity", initiative=None, message="budgets or capacity changed")
        )
    return reasons


def _derive(
    effective: Engagement,
    baseline: Plan,
    progress: Progress,
    as_of: int,
    freeze: int,
) -> tuple[Engagement, dict[str, int], float, list[Reason]]:
    """The remainder's engagement, the pinned starts, the spend to date, and the reasons."""
    labels = effective.scope.labels
    periods = effective.periods
    currency = effective.scope.currency
    open_from = as_of + freeze
    planned = baseline.engagement.initiative_by_id
    pinned: dict[str, int] = {}
    off_model = [0.0] * periods  # spend to date the derived items do not carry
    items: list[Initiative] = []
    reasons: list[Reason] = []
    problems: list[Problem] = []
    fixed_ids = {s.id for s in progress.initiatives if s.status in {"done", "in-progress"}}
    for item in effective.initiatives:
        stand = progress.of(item.id)
        plan_start = baseline.schedule.get(item.id)
        plan_item = planned.get(item.id)
        kept_excludes = tuple(e for e in item.excludes if e not in fixed_ids)
        start = plan_start or 0
        if stand.status in {"done", "in-progress"}:
            # check_progress asks for `started` when the baseline has no start
            start = _index(effective, stand.started) if stand.started is not None else start
            if plan_start is None:
                reasons.append(
                    Reason(
                        kind="unplanned",
                        initiative=item.id,
                        message=f"{item.id} was not in the baseline but is {stand.status}",
                    )
                )
        if stand.status == "done":
            last = _index(effective, stand.finished)
            cost = stand.actual_cost if stand.actual_cost is not None else item.cost
            effort = stand.actual_effort if stand.actual_effort is not None else item.effort
            items.append(
                attrs.evolve(
                    item,
                    duration=last - start + 1,
                    cost=cost,
                    effort=dict(effort),
                    profile=None,
                    earliest=start,
                    deadline=last,
                    mandatory=True,
                    forbidden=False,
                    requires=(),
                    excludes=kept_excludes,
                )
            )
            pinned[item.id] = start
            budgeted = plan_item.cost if plan_item is not None else None
            if budgeted is not None and stand.actual_cost is not None:
                reasons += _cost_reason(item.id, stand.actual_cost, budgeted, currency, "")
            if plan_start is not None and plan_item is not None:
                planned_last = plan_start + plan_item.duration - 1
                if last > planned_last:
                    reasons.append(
                        Reason(
                            kind="late",
                            initiative=item.id,
                            message=f"{item.id} slipped: finished {labels[last]} instead of "
                            f"{labels[planned_last]}",
                        )
                    )
        elif stand.status == "in-progress":
            share = _done_share(item, start, as_of)
            spent = stand.actual_cost if stand.actual_cost is not None else item.cost * share
            planned_end = start + item.duration - as_of
            rest = stand.remaining_periods or max(1, planned_end)
            rest = min(rest, periods - as_of)
            cost = (
                stand.remaining_cost
                if stand.remaining_cost is not None
                else max(0.0, item.cost - spent)
            )
            effort = (
                dict(stand.remaining_effort)
                if stand.remaining_effort is not None
                else {k: h * (1.0 - share) for k, h in item.effort.items()}
            )
            for t in range(start, as_of):
                off_model[t] += spent / (as_of - start)
            items.append(
                attrs.evolve(
                    item,
                    duration=rest,
                    cost=cost,
                    effort=effort,
                    profile=None,
                    earliest=as_of,
                    deadline=as_of + rest - 1,
                    mandatory=True,
                    forbidden=False,
                    requires=(),
                    excludes=kept_excludes,
                )
            )
            pinned[item.id] = as_of
            if plan_item is not None:
                reasons += _cost_reason(
                    item.id, spent + cost, plan_item.cost, currency, " (spent plus remaining)"
                )
                if plan_start is not None and as_of + rest > plan_start + plan_item.duration:
                    reasons.append(
                        Reason(
                            kind="late",
                            initiative=item.id,
                            message=f"{item.id} runs late: finishes {labels[as_of + rest - 1]} "
                            f"instead of {labels[plan_start + plan_item.duration - 1]}",
                        )
                    )
        elif stand.status == "cancelled":
            items.append(attrs.evolve(item, forbidden=True, mandatory=False))
            reasons.append(
                Reason(kind="cancelled", initiative=item.id, message=f"{item.id} was cancelled")
            )
        else:
            items.append(
                _opened(item, effective, open_from, problems, reasons, progress, plan_start, as_of)
            )
    if problems:
        raise InvalidProgressError([p.in_file(progress.source) for p in problems])
    _check_cancelled(effective, progress)
    derived = attrs.evolve(effective, initiatives=tuple(items))
    spend_given = {_index(effective, s.period): s.amount for s in progress.spend}
    done = {i: s for i, s in pinned.items() if s < as_of}
    rows = usage(derived, done)
    for t, amount in spend_given.items():
        off_model[t] = amount - rows[t].spend
    spent = math.fsum(rows[t].spend for t in range(as_of)) + math.fsum(off_model)
    return _closed(derived, rows, off_model, as_of), pinned, spent, reasons


def _cost_reason(
    item_id: str, actual: float, planned: float, currency: str, what: str
) -> list[Reason]:
    if math.isclose(actual, planned, rel_tol=1e-9, abs_tol=0.005):
        return []
    kind = "overrun" if actual > planned else "underrun"
    words = "budget overrun on" if actual > planned else "under budget:"
    return [
        Reason(
            kind=kind,
            initiative=item_id,
            message=f"{words} {item_id}: actual {money(actual, currency)}{what} vs planned "
            f"{money(planned, currency)}",
        )
    ]


def _opened(
    item: Initiative,
    effective: Engagement,
    open_from: int,
    problems: list[Problem],
    reasons: list[Reason],
    progress: Progress,
    plan_start: int | None,
    as_of: int,
) -> Initiative:
    """A not-started initiative, free to start from `open_from` inside its own window."""
    labels = effective.scope.labels
    first, last = window(effective, item)
    first = max(first, open_from)
    if plan_start is not None and plan_start < as_of:
        reasons.append(
            Reason(
                kind="slip",
                initiative=item.id,
                message=f"{item.id} slipped: planned to start {labels[plan_start]}, not started "
                f"by {labels[as_of]}",
            )
        )
    elif plan_start is not None and plan_start < open_from:
        reasons.append(
            Reason(
                kind="freeze",
                initiative=item.id,
                message=f"{item.id} was planned to start {labels[plan_start]}, inside the freeze",
            )
        )
    if item.forbidden:
        return item
    if first > min(last, effective.periods - 1) - item.duration + 1:
        if item.mandatory:
            end = labels[last] if last < effective.periods else labels[-1]
            problems.append(
                Problem(
                    code="window-closed",
                    path="progress.as_of",
                    message=f"mandatory {item.id} can no longer run {item.duration} period(s) "
                    f"by {end}: nothing new starts before "
                    + (labels[open_from] if open_from < effective.periods else "the horizon's end"),
                    value=repr(progress.as_of),
                    suggestion="mark it in progress if it has begun, shorten the freeze, "
                    "or move its deadline in the engagement",
                )
            )
            return item
        reasons.append(
            Reason(
                kind="window-closed",
                initiative=item.id,
                message=f"{item.id} can no longer fit its window",
            )
        )
        return attrs.evolve(item, forbidden=True)
    return attrs.evolve(item, earliest=first)


def _check_cancelled(effective: Engagement, progress: Progress) -> None:
    """A cancelled item that mandatory open work requires is a located progress problem."""
    cancelled = {s.id: k for k, s in enumerate(progress.initiatives) if s.status == "cancelled"}
    problems = []
    for item in effective.initiatives:
        if not item.mandatory or progress.of(item.id).status != "not-started":
            continue
        for required in item.requires:
            if required in cancelled:
                problems.append(  # noqa: PERF401 - clearer as a loop
                    Problem(
                        code="cancelled-prerequisite",
                        path=f"initiative[{cancelled[required]}].status",
                        message=f"mandatory {item.id} requires {required}, which is cancelled",
                        value="'cancelled'",
                        suggestion=f"keep {required}, or make {item.id} optional in the engagement",
                        file=progress.source,
                    )
                )
    if problems:
        raise InvalidProgressError(problems)


def _lifted(values: tuple[float, ...], floor: Sequence[float], until: int) -> tuple[float, ...]:
    """Per-period limits raised, before `until`, to what happened there."""
    return tuple(
        max(v, floor[t]) if t < until and math.isfinite(v) else v for t, v in enumerate(values)
    )


def _closed(
    derived: Engagement, rows: Sequence[Any], off_model: Sequence[float], as_of: int
) -> Engagement:
    """Close the periods before the status date and charge the spend the model does not carry."""
    capacity = derived.capacity
    changes: dict[str, Any] = {}
    charged = math.fsum(off_model)
    if capacity.budget is not None:
        changes["budget"] = max(0.0, capacity.budget - charged)
    spend = [row.spend for row in rows]
    capex = [row.capex for row in rows]
    opex = [row.spend - row.capex for row in rows]
    for key, floor in (
        ("budget_per_period", spend),
        ("capex_per_period", capex),
        ("opex_per_period", opex),
    ):
        value = getattr(capacity, key)
        if value is not None:
            changes[key] = _lifted(derived.per_period(value), floor, as_of)
    years = derived.fiscal_years
    for key, kind_floor, charge in (
        ("budget_per_year", spend, True),
        ("capex_per_year", capex, False),
        ("opex_per_year", opex, False),
    ):
        value = getattr(capacity, key)
        if value is None:
            continue
        caps = []
        for year, cap in derived.per_year(value).items():
            past = [t for t in range(as_of) if years[t] == year]
            taken = math.fsum(off_model[t] for t in past) if charge else 0.0
            happened = math.fsum(kind_floor[t] for t in past)
            caps.append(max(cap - taken, happened, 0.0))
        changes[key] = tuple(caps)
    skills = {}
    for skill, hours in capacity.skills.items():
        used = [row.skills[skill].used if skill in row.skills else 0.0 for row in rows]
        skills[skill] = _lifted(derived.per_period(hours, 0.0), used, as_of)
    changes["skills"] = skills
    changes["contractors"] = {
        skill: attrs.evolve(
            contractor,
            max=tuple(
                0.0 if t < as_of else h
                for t, h in enumerate(derived.per_period(contractor.max, 0.0))
            ),
        )
        for skill, contractor in capacity.contractors.items()
    }
    return attrs.evolve(derived, capacity=attrs.evolve(capacity, **changes))


def _check_options(freeze: int, stability: float | None) -> None:
    problems = []
    if isinstance(freeze, bool) or not isinstance(freeze, int) or freeze < 0:
        problems.append(
            Problem(
                code="invalid-freeze",
                path="freeze",
                message="freeze must be a whole number of periods >= 0",
                value=repr(freeze),
            )
        )
    if stability is not None and (
        isinstance(stability, bool)
        or not isinstance(stability, int | float)
        or not math.isfinite(stability)
        or stability < 0
    ):
        problems.append(
            Problem(
                code="invalid-stability",
                path="stability",
                message="stability must be a finite number >= 0",
                value=repr(stability),
                suggestion="0 ignores the baseline; larger values keep more of it",
            )
        )
    if problems:
        raise InvalidEngagementError(problems)


# --------------------------------------------------------------------------- solving


def _score(remainder: Remainder, schedule: Mapping[str, int], weight: float) -> float:
    """Value minus (plus, for a minimized objective) weight times disruption, from the schedule."""
    engagement = remainder.prepared.effective
    settings = remainder.prepared.settings
    value = objective_value(engagement, schedule, settings, usage(engagement, schedule))
    penalty = weight * disruption(remainder, schedule)
    return value - penalty if settings.objective in _MAXIMIZED else value + penalty


def solve_remainder(
    remainder: Remainder, stability: float, *, start: Mapping[str, int] | None = None
) -> Plan:
    """Plan the remainder for one stability weight: a verified plan with an honest status."""
    # The solver steps load PuLP: imported when a re-plan runs, not with the package.
    from itstrat_engine.optimize.cpsat import settle  # noqa: PLC0415
    from itstrat_engine.optimize.decoding import (  # noqa: PLC0415
        bound_and_gap,
        from_schedule,
        unplanned,
    )
    from itstrat_engine.optimize.diagnose import diagnose  # noqa: PLC0415
    from itstrat_engine.optimize.formulation import formulate  # noqa: PLC0415
    from itstrat_engine.optimize.planner import checked, plan_prepared  # noqa: PLC0415
    from itstrat_engine.optimize.solution import solve  # noqa: PLC0415

    prepared = remainder.prepared
    first = remainder.baseline_start() if start is None else dict(start)
    if not stability:
        return plan_prepared(prepared, start=first)
    started = time.perf_counter()
    if prepared.findings:
        result = unplanned(
            prepared, Status.INFEASIBLE, "infeasible before solving", findings=prepared.findings
        )
        return attrs.evolve(result, seconds=time.perf_counter() - started)
    formulation = formulate(prepared)
    maximize = formulation.maximize
    sign = -1.0 if maximize else 1.0
    coefficients: dict[Any, float] = dict(formulation.problem.objective.items())
    for (item_id, s), var in formulation.x.items():
        if item_id in remainder.targets:
            weight = -remainder.sizes[item_id] if s == remainder.targets[item_id] else 0.0
        else:
            weight = remainder.sizes.get(item_id, 0.0)
        if weight:
            coefficients[var] = coefficients.get(var, 0.0) + sign * stability * weight
    formulation.set_objective([(v, c) for v, c in coefficients.items() if c])
    solution = solve(formulation, start=first)
    if not solution.has_solution:
        result = unplanned(
            prepared,
            solution.status,
            f"{solution.status.value} ({solution.message})",
            solver=solution.solver,
        )
        if solution.status == Status.INFEASIBLE:
            result = attrs.evolve(result, findings=diagnose(prepared))
        return attrs.evolve(result, seconds=time.perf_counter() - started)
    constant = stability * math.fsum(remainder.sizes[i] for i in remainder.targets)
    # The solver's objective is the score plus (minus) the disruption of the whole baseline.
    shift = constant if maximize else -constant
    schedule = dict(solution.schedule)
    score = _score(remainder, schedule, stability)
    _, gap = bound_and_gap(score + shift, solution, formulation)
    proven = gap == 0.0
    if proven:
        left = prepared.settings.time_limit - (time.perf_counter() - started)
        settled = settle(formulation, score + shift, left)
        if settled is not None:
            candidate = dict(settled.schedule)
            if math.isclose(
                _score(remainder, candidate, stability), score, rel_tol=1e-9, abs_tol=1e-6
            ):
                schedule = candidate
                score = _score(remainder, schedule, stability)
    result = from_schedule(prepared, schedule, solver=solution.solver)
    weight_text = f"{stability:g}"
    message = (
        f"optimal for the objective {'minus' if maximize else 'plus'} {weight_text} x disruption "
        f"(proven by {solution.solver})"
        if proven
        else f"feasible, not proven optimal for the objective with {weight_text} x disruption: "
        f"gap {gap:.2%}"
        if gap is not None
        else "feasible, not proven optimal (no bound)"
    )
    result = attrs.evolve(
        result,
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        best_bound=None,
        gap=gap,
        message=message,
        seconds=time.perf_counter() - started,
    )
    return checked(result)


def replan(
    engagement: Engagement,
    baseline: Plan,
    progress: Progress,
    *,
    freeze: int = 0,
    stability: float | None = None,
    time_limit: float | None = None,
) -> Replan:
    """Plan the remainder again from where things stand (see the module docstring).

    `engagement` is the engagement now (the baseline carries the one it was planned for);
    `baseline` a plan (`load_plan`); `progress` a progress record (`load_progress`).
    `freeze` periods after the status date start nothing new; `stability` (W >= 0) weighs
    disruption against value. Raises `InvalidProgressError` (located in the progress file)
    when the progress does not fit; an infeasible remainder is not an error: the plan says
    so with findings.
    """
    _check_options(freeze, stability)
    rest = remainder(engagement, baseline, progress, freeze=freeze, time_limit=time_limit)
    weight = float(stability or 0.0)
    plan = solve_remainder(rest, weight)
    return _result(rest, plan, weight)


def _result(rest: Remainder, plan: Plan, weight: float) -> Replan:
    has_plan = plan.status.has_plan
    return Replan(
        plan=plan,
        remainder=rest,
        stability=weight,
        difference=difference(rest.baseline, plan, ignore=tuple(rest.pinned)),
        reasons=rest.reasons,
        disruption=disruption(rest, plan.schedule) if has_plan else None,
        score=_score(rest, plan.schedule, weight) if has_plan else None,
    )


# --------------------------------------------------------------------------- the curve


@attrs.frozen(kw_only=True)
class StabilityPoint:
    """One breakpoint of value against disruption: optimal for every W in [`low`, `high`]."""

    low: float
    high: float | None
    value: float
    disruption: float
    status: Status
    plan: Plan = attrs.field(repr=False, eq=False)

    @property
    def proven(self) -> bool:
        """Whether this point's plan was proven optimal for its weights."""
        return self.status == Status.OPTIMAL


@attrs.frozen(kw_only=True)
class StabilityCurve:
    """Every breakpoint of value against disruption for W from 0 to `top` (least W first).

    `complete` is False when a solve was not proven (its point is marked) or the limit on
    solves was reached. `solves` counts the plans made.
    """

    points: tuple[StabilityPoint, ...]
    top: float
    complete: bool
    solves: int

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "top": self.top,
            "complete": self.complete,
            "solves": self.solves,
            "points": [
                {
                    "from_weight": p.low,
                    "to_weight": p.high,
                    "value": p.value,
                    "disruption": p.disruption,
                    "status": p.status.value,
                    "schedule": dict(sorted(p.plan.schedule.items())),
                }
                for p in self.points
            ],
        }


def stability_curve(
    engagement: Engagement,
    baseline: Plan,
    progress: Progress,
    *,
    freeze: int = 0,
    top: float | None = None,
    time_limit: float | None = None,
    max_solves: int = 40,
) -> StabilityCurve:
    """Every breakpoint of the optimal value against disruption as W goes from 0 to `top`.

    The optimum of value - W x disruption is a convex, piecewise linear function of W
    whose pieces are plans; each breakpoint is found by the dichotomic (Eisner-Severance)
    search: solve at both ends, then at the W where the two plans score the same; a plan
    above that line is a new breakpoint (search both sides), none means the two are
    neighbours. Among plans of equal value the one of least disruption is kept. `top`
    defaults to a weight at which one unit of disruption outweighs all the value there is.
    Only for maximized objectives (value, coverage, npv).
    """
    rest = remainder(engagement, baseline, progress, freeze=freeze, time_limit=time_limit)
    settings = rest.prepared.settings
    if settings.objective not in _MAXIMIZED:
        raise InvalidEngagementError(
            [
                Problem(
                    code="curve-objective",
                    path="plan.objective",
                    message="the stability curve is for maximized objectives",
                    value=repr(settings.objective),
                    expected="value, coverage or npv",
                )
            ]
        )
    if top is None:
        values = [abs(i.value or 0.0) for i in rest.prepared.effective.initiatives]
        periods = rest.prepared.effective.periods
        top = (math.fsum(values) * periods + 1.0) / max(1.0, min(rest.sizes.values(), default=1))
    _check_options(freeze, top)
    solves = 0
    complete = True
    found: dict[float, tuple[Plan, float, float]] = {}

    def at(weight: float) -> tuple[Plan, float, float] | None:
        nonlocal solves, complete
        if weight in found:
            return found[weight]
        if solves >= max_solves:
            complete = False
            return None
        solves += 1
        plan = solve_remainder(rest, weight)
        if not plan.status.has_plan or plan.objective_value is None:
            complete = False
            return None
        if plan.status != Status.OPTIMAL:
            complete = False
        found[weight] = (plan, plan.objective_value, disruption(rest, plan.schedule))
        return found[weight]

    low, high = at(0.0), at(top)
    if low is None or high is None:
        return StabilityCurve(points=(), top=top, complete=False, solves=solves)
    pending = [(low, high)]
    while pending:
        left, right = pending.pop()
        (_, v1, d1), (_, v2, d2) = left, right
        if d1 - d2 <= 1e-9 or v1 - v2 <= 1e-9:
            continue  # neighbours: nothing lies between them
        weight = (v1 - v2) / (d1 - d2)
        middle = at(weight)
        if middle is None:
            continue
        _, v, d = middle
        line = v1 - weight * d1
        if v - weight * d > line + 1e-6 * max(1.0, abs(line)):
            pending += [(left, middle), (middle, right)]
    points = _breakpoints([p for p, _, _ in found.values()], rest)
    return StabilityCurve(points=points, top=top, complete=complete, solves=solves)


def _breakpoints(plans: list[Plan], rest: Remainder) -> tuple[StabilityPoint, ...]:
    """The plans on the upper envelope, most value first, each with its range of W."""
    table: dict[tuple[float, float], Plan] = {}
    for plan in plans:
        key = (round(plan.objective_value or 0.0, 9), round(disruption(rest, plan.schedule), 9))
        if key not in table or plan.status == Status.OPTIMAL:
            table[key] = plan
    # Keep the non-dominated points (more value needs more disruption), most value first.
    ordered = sorted(table.items(), key=lambda kv: (-kv[0][0], kv[0][1]))
    front: list[tuple[tuple[float, float], Plan]] = []
    for key, plan in ordered:
        if not front or key[1] < front[-1][0][1] - 1e-9:
            front.append((key, plan))
    # Then only the vertices of the concave envelope: points under a chord never win.
    hull: list[tuple[tuple[float, float], Plan]] = []
    for entry in front:
        while len(hull) >= 2:
            (v1, d1), (v2, d2), (v3, d3) = hull[-2][0], hull[-1][0], entry[0]
            # middle below the chord from the first to the third: drop it
            if (v2 - v3) * (d1 - d3) <= (v1 - v3) * (d2 - d3) + 1e-9:
                hull.pop()
            else:
                break
        hull.append(entry)
    points = []
    for k, ((value, spread), plan) in enumerate(hull):
        low = 0.0
        if k > 0:
            (v0, d0) = hull[k - 1][0]
            low = (v0 - value) / (d0 - spread)
        high: float | None = None
        if k + 1 < len(hull):
            (v2, d2) = hull[k + 1][0]
            high = (value - v2) / (spread - d2)
        points.append(
            StabilityPoint(
                low=low,
                high=high,
                value=value,
                disruption=spread,
                status=plan.status,
                plan=plan,
            )
        )
    return tuple(points)
