"""`prepare`: settle everything the optimizer needs, once, before any solver runs.

The first step of the seam (prepare -> formulate -> solve -> decode). It checks the
engagement, settles the settings (the file's ``[plan]`` table with the call's overrides),
scores and gates the initiatives with the rule packs, and builds the *effective* engagement
the optimizer sees. Validation runs again on that engagement, so a contradiction the rules
create (a mandatory item that requires one a rule forbids) gets the same located message
`itstrat_engine.validate` gives for it in a file. Then the start options of every
initiative are computed, with the reason each unschedulable one has none, and presolve
findings say what makes the mandatory work infeasible before any solve.

A `Prepared` is frozen and cheap to vary: `Prepared.with_capacity` changes budgets or skill
hours without scoring again, which is what a budget sweep or a what-if needs.
"""

import math
import numbers
import typing
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypedDict, Unpack

import attrs

from itstrat_engine.errors import InvalidEngagementError, Problem, did_you_mean
from itstrat_engine.formatting import hours, money, names
from itstrat_engine.graph import check, validate
from itstrat_engine.model import (
    Capacity,
    Engagement,
    Initiative,
    PlanObjective,
    PlanSettings,
    SolverName,
    Timing,
)
from itstrat_engine.optimize.contract import SkillLimit, skill_limits, window
from itstrat_engine.optimize.result import Finding
from itstrat_engine.rules import Prioritization, prioritize
from itstrat_engine.rules.evaluate import PackReference

__all__ = [
    "Overrides",
    "Prepared",
    "StartOptions",
    "overrides_of",
    "prepare",
    "settings_for",
    "start_options",
]


class Overrides(TypedDict, total=False):
    """Keyword overrides of the engagement's ``[plan]`` table (None leaves a value as is)."""

    objective: PlanObjective | None
    timing: Timing | None
    discount_rate: float | None
    coverage: float | None
    solver: SolverName | None
    time_limit: float | None
    gap: float | None
    threads: int | None


@attrs.frozen(kw_only=True)
class StartOptions:
    """The start periods each initiative may take, and why an unschedulable one has none.

    `reasons` names, for every initiative that is not forbidden but has no start option,
    what stops it (``requires 'erp', which is forbidden``).
    """

    starts: Mapping[str, tuple[int, ...]]
    reasons: Mapping[str, str]


def start_options(engagement: Engagement) -> StartOptions:
    """Start periods each initiative may take, with the reason when there are none.

    A start must lie inside the initiative's window, after the earliest finish of everything
    it requires, and let it finish inside the horizon. A forbidden initiative has none, and
    so has everything that requires it, directly or down a chain. The requires graph must be
    acyclic (`validate` checks it).
    """
    by_id = engagement.initiative_by_id
    labels = engagement.scope.labels
    starts: dict[str, tuple[int, ...]] = {}
    reasons: dict[str, str] = {}

    def options(item_id: str) -> tuple[int, ...]:
        if item_id in starts:
            return starts[item_id]
        item = by_id[item_id]
        first, last = window(engagement, item)
        last = min(last, engagement.periods - 1)
        result: tuple[int, ...] = ()
        reason = None
        for required in item.requires:
            before = options(required)
            if not before:
                why = "is forbidden" if by_id[required].forbidden else "cannot be scheduled"
                reason = reason or f"requires {required}, which {why}"
            else:
                first = max(first, before[0] + by_id[required].duration)
        if not item.forbidden and reason is None:
            result = tuple(range(first, last - item.duration + 2))
            if not result:
                end = labels[last] if last >= 0 else labels[0]
                reason = (
                    f"needs {item.duration} period(s) from {labels[first]} at the earliest "
                    f"(its window and prerequisites), but must finish by {end}"
                    if first < engagement.periods
                    else "its prerequisites cannot finish inside the horizon"
                )
        if reason is not None:
            reasons[item_id] = reason
        starts[item_id] = result
        return result

    for item in engagement.initiatives:
        options(item.id)
    return StartOptions(
        starts={item.id: starts[item.id] for item in engagement.initiatives},
        reasons={
            item.id: reasons[item.id] for item in engagement.initiatives if item.id in reasons
        },
    )


@attrs.frozen(kw_only=True)
class Prepared:
    """An engagement ready for the optimizer: checked, scored, gated, with its settings.

    `engagement` is the engagement as given; `effective` the one the optimizer sees and
    plans are verified against (the packs' values, gates and windows written in, the
    final settings as its ``[plan]`` table, no rule packs left on it; for makespan every
    initiative not forbidden is mandatory). `options` are the start options of `effective`;
    `findings` are presolve's reasons the mandatory work cannot be planned (empty when none
    is visible without a solver); `warnings` are the validation and scoring warnings
    (inconsistent AHP judgments, a pack replacing another's score, windows cut short).
    """

    engagement: Engagement
    settings: PlanSettings
    prioritization: Prioritization
    effective: Engagement = attrs.field(repr=False)
    options: StartOptions = attrs.field(repr=False)
    findings: tuple[Finding, ...] = ()
    warnings: tuple[Problem, ...] = attrs.field(default=(), eq=False)

    def never_schedulable(self) -> dict[str, str]:
        """Why each initiative that may be chosen can never be in any plan, by id.

        No start option (its window, its prerequisites, a forbidden prerequisite), a cost
        above the total budget, or, for every start, more of a skill in some period than
        capacity plus contractors or more money than that period's budget. Nothing is
        silently dropped: `validate` and the plan's text and JSON give these reasons.
        """
        return _never_schedulable(self.effective, self.options)

    @property
    def starts(self) -> Mapping[str, tuple[int, ...]]:
        """Start periods each initiative may take (empty for one that cannot run)."""
        return self.options.starts

    def with_effective(self, effective: Engagement) -> "Prepared":
        """The preparation of a variant of the engagement as optimized.

        The caller changes gates, windows, requirements or capacity of `effective`; it is
        validated like a file, start options and presolve are recomputed, scores kept. The
        settings stay `settings`.

        >>> import attrs, itstrat_engine as it
        >>> p = it.optimize.prepare(it.generate(6, seed=2))
        >>> first, *rest = p.effective.initiatives
        >>> forced = attrs.evolve(first, mandatory=True, forbidden=False)
        >>> v = p.with_effective(attrs.evolve(p.effective, initiatives=(forced, *rest)))
        >>> v.effective.initiatives[0].mandatory
        True
        """
        return _variant(self, attrs.evolve(effective, plan=self.effective.plan))

    def with_settings(self, **changes: Any) -> "Prepared":
        """The same preparation solved differently (`PlanSettings` fields: a time limit).

        For ``time_limit``, ``threads``, ``gap`` or ``solver``; not the objective or
        timing, which the scores and start options were settled for.

        >>> import itstrat_engine as it
        >>> p = it.optimize.prepare(it.generate(6, seed=2))
        >>> p.with_settings(threads=1).effective.plan.threads
        1
        """
        settings = attrs.evolve(self.settings, **changes)
        effective = attrs.evolve(self.effective, plan=settings)
        return attrs.evolve(self, settings=settings, effective=effective)

    def with_capacity(self, **changes: Any) -> "Prepared":
        """The same preparation with budgets or skill hours changed (`Capacity` field names).

        Nothing is scored again; the new capacity is validated like a file's.

        >>> import itstrat_engine as it
        >>> p = it.optimize.prepare(it.generate(6, seed=2))
        >>> p.with_capacity(budget=1000.0).effective.capacity.budget
        1000.0
        """
        try:
            capacity = attrs.evolve(self.effective.capacity, **changes)
        except (TypeError, ValueError) as error:
            names = [a.name for a in attrs.fields(Capacity)]
            unknown = sorted(set(changes) - set(names))
            raise InvalidEngagementError(
                [
                    Problem(
                        code="invalid-capacity",
                        path="capacity",
                        message=f"cannot change the capacity: {error}",
                        value=", ".join(repr(u) for u in unknown) or None,
                        expected="one of " + ", ".join(names),
                        suggestion=did_you_mean(unknown[0], names) if unknown else None,
                    )
                ]
            ) from None
        engagement = attrs.evolve(self.engagement, capacity=capacity)
        effective = attrs.evolve(self.effective, capacity=capacity)
        _revalidate(effective, self.engagement)
        return attrs.evolve(
            self,
            engagement=engagement,
            effective=effective,
            findings=_presolve(effective, self.options),
        )


def _variant(prepared: "Prepared", effective: Engagement) -> "Prepared":
    """`prepared` with another effective engagement, validated, options and presolve anew.

    Nothing is scored again: the rule packs' values and gates stay as they were.
    """
    _revalidate(effective, prepared.engagement)
    options = start_options(effective)
    return attrs.evolve(
        prepared,
        effective=effective,
        options=options,
        findings=_presolve(effective, options),
    )


def overrides_of(settings: PlanSettings) -> Overrides:
    """The overrides that reproduce `settings` on any engagement (to prepare a plan again)."""
    return Overrides(
        objective=settings.objective,
        timing=settings.timing,
        discount_rate=settings.discount_rate,
        coverage=settings.coverage,
        solver=settings.solver,
        time_limit=settings.time_limit,
        gap=settings.gap,
        threads=settings.threads,
    )


def _number_setting(name: str, value: object, hint: object) -> object:
    """A numeric setting as the field's Python type (numpy scalars too); refuse non-numbers.

    ``20`` and ``20.0`` are one time limit, stored one way, so plans read back equal.
    """
    kinds = (hint, *typing.get_args(hint))
    wanted = float if float in kinds else int if int in kinds else None
    if wanted is None:
        return value
    number = numbers.Real if wanted is float else numbers.Integral
    expected = "a number" if wanted is float else "a whole number"
    if isinstance(value, bool) or not isinstance(value, number):
        raise InvalidEngagementError(
            [
                Problem(
                    code="wrong-type",
                    path=f"plan.{name}",
                    message=f"{name} must be {expected}",
                    value=repr(value),
                    expected=expected,
                    suggestion="pass a number, not text" if isinstance(value, str) else None,
                )
            ]
        )
    if isinstance(value, numbers.Integral) and wanted is int:
        return int(value)
    return float(value)  # a numbers.Real, checked above


def settings_for(engagement: Engagement, **overrides: Unpack[Overrides]) -> PlanSettings:
    """The engagement's plan settings with the given overrides (None leaves a value as is)."""
    changes: dict[str, Any] = {
        name: value for name, value in overrides.items() if value is not None
    }
    hints = typing.get_type_hints(PlanSettings)
    for name, value in list(changes.items()):
        if name in hints:
            changes[name] = _number_setting(name, value, hints[name])
        if name not in hints:
            raise InvalidEngagementError(
                [
                    Problem(
                        code="unknown-setting",
                        path=f"plan.{name}",
                        message="unknown setting",
                        value=repr(name),
                        expected="one of " + ", ".join(Overrides.__annotations__),
                        suggestion=did_you_mean(name, list(Overrides.__annotations__)),
                    )
                ]
            )
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
        problems = getattr(error, "problems", ())
        raise InvalidEngagementError(
            [attrs.evolve(p, path=f"plan.{p.path}") for p in problems]
            or [Problem(code="invalid-setting", path="plan", message=str(error))]
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


def prepare(
    engagement: Engagement,
    *,
    rules: PackReference | Iterable[PackReference] | None = None,
    params: Mapping[str, object] | None = None,
    **overrides: Unpack[Overrides],
) -> Prepared:
    """Check, score and gate an engagement and settle its settings, ready to formulate.

    `rules` (pack names or paths, applied in order) and `params` score and gate the
    initiatives (default: the file's ``[plan] rules``, paths relative to the file, and
    ``params``); `overrides` change the ``[plan]`` table. Raises `InvalidEngagementError`
    (located in the engagement's file) or a `RuleError` for invalid input.

    >>> import itstrat_engine as it
    >>> prepared = it.optimize.prepare(it.generate(8, seed=3), objective="value", gap=0.0)
    >>> prepared.settings.objective, len(prepared.starts)
    ('value', 8)
    """
    warnings = check(engagement, engagement.source)
    settings = _located(engagement, lambda: settings_for(engagement, **overrides))
    prioritization = _located(engagement, lambda: prioritize(engagement, rules, params))
    scored = prioritization.apply(engagement)
    _revalidate(scored, engagement)  # before makespan makes everything mandatory
    effective = _effective(scored, settings)
    options = start_options(effective)
    return Prepared(
        engagement=engagement,
        settings=settings,
        prioritization=prioritization,
        effective=effective,
        options=options,
        findings=_presolve(effective, options),
        warnings=(*warnings, *prioritization.warnings),
    )


_T = typing.TypeVar("_T")


def _located(engagement: Engagement, step: typing.Callable[[], _T]) -> _T:
    """Run a step; problems it raises without a file are put in the engagement's file."""
    try:
        return step()
    except InvalidEngagementError as error:
        raise InvalidEngagementError(error.located(engagement.source)) from None


def _effective(engagement: Engagement, settings: PlanSettings) -> Engagement:
    """The engagement as optimized, carrying the final settings and no rule packs.

    For makespan every initiative that is not forbidden becomes mandatory: makespan means
    finishing everything as early as possible.
    """
    if settings.objective == "makespan":
        initiatives = tuple(
            item if item.forbidden or item.mandatory else attrs.evolve(item, mandatory=True)
            for item in engagement.initiatives
        )
        engagement = attrs.evolve(engagement, initiatives=initiatives)
    return attrs.evolve(engagement, plan=attrs.evolve(settings, rules=(), params={}))


def _revalidate(effective: Engagement, given: Engagement) -> None:
    """Validate again what the rules (or a variant) made: the same messages as for a file."""
    errors = [p for p in validate(effective, given.source) if p.severity == "error"]
    if errors:
        raise InvalidEngagementError(errors)


def _presolve(engagement: Engagement, options: StartOptions) -> tuple[Finding, ...]:
    """Infeasibilities visible without a solver, for mandatory work (empty when none).

    Mandatory work that cannot be scheduled at all (its window, its requires chain, a
    forbidden prerequisite), that needs more of a skill in some period than capacity plus
    contractors can ever give or more money than the period budget whatever its start, and
    mandatory one-off costs above the total budget.
    """
    findings: list[Finding] = []
    capacity = engagement.capacity
    budgets = engagement.per_period(capacity.budget_per_period)
    limits = skill_limits(engagement)
    savings = _savings(engagement)
    currency = engagement.scope.currency
    for item in engagement.initiatives:
        if not item.mandatory:
            continue
        starts = options.starts[item.id]
        if not starts:
            reason = options.reasons.get(item.id, "no start period is left")
            findings.append(
                Finding(
                    kind="unschedulable",
                    message=f"mandatory {item.id} cannot be scheduled: {reason}",
                    items=(item.id,),
                )
            )
            continue
        blocker = _blocker(engagement, item, starts, budgets, savings, limits)
        if blocker is not None:
            kind, message, shortfall, period = blocker
            findings.append(
                Finding(
                    kind=kind,
                    message=f"mandatory {message}",
                    shortfall=shortfall,
                    period=period,
                    items=(item.id,),
                )
            )
    findings += _mandatory_conflicts(engagement)
    findings += _unfillable_groups(engagement, options)
    mandatory_cost = math.fsum(i.cost for i in engagement.initiatives if i.mandatory)
    back = _money_back(engagement)
    if capacity.budget is not None and mandatory_cost - back > capacity.budget * (1 + 1e-9):
        given = (
            f" (savings and funding pools give back at most {money(back, currency)})"
            if back
            else ""
        )
        findings.append(
            Finding(
                kind="budget-total",
                message=f"mandatory work costs {money(mandatory_cost, currency)} before run costs"
                f"{given}, the total budget is {money(capacity.budget, currency)}",
                shortfall=mandatory_cost - back - capacity.budget,
                items=tuple(i.id for i in engagement.initiatives if i.mandatory),
            )
        )
    return tuple(findings)


def _unfillable_groups(engagement: Engagement, options: StartOptions) -> list[Finding]:
    """Groups that need more members than can be scheduled at all (an empty row otherwise)."""
    findings = []
    for group in engagement.groups:
        if group.kind not in {"at_least", "exactly"}:
            continue
        able = [m for m in group.members if options.starts.get(m)]
        if len(able) < group.count:
            findings.append(
                Finding(
                    kind="group",
                    message=f"group {group.id} needs at least {group.count} of its members, "
                    f"only {len(able)} can be scheduled" + (f" ({names(able)})" if able else ""),
                    shortfall=float(group.count - len(able)),
                    items=tuple(group.members),
                )
            )
    return findings


def _mandatory_conflicts(engagement: Engagement) -> list[Finding]:
    """Mandatory initiatives that exclude each other, and groups they overfill.

    A file with these is refused by `validate`; they arise when the settings make work
    mandatory (makespan requires every initiative), so the finding says so.
    """
    makespan = engagement.plan.objective == "makespan"
    why = "makespan requires every initiative not forbidden, but " if makespan else ""
    required = "" if makespan else "mandatory "
    by_id = engagement.initiative_by_id
    findings = []
    pairs: set[frozenset[str]] = set()
    for item in engagement.initiatives:
        for other in item.excludes:
            pair = frozenset((item.id, other))
            if item.mandatory and other in by_id and by_id[other].mandatory and pair not in pairs:
                pairs.add(pair)
                findings.append(
                    Finding(
                        kind="excludes",
                        message=f"{why}{required}{item.id} excludes {required}{other}",
                        items=(item.id, other),
                    )
                )
    for group in engagement.groups:
        mandatory = tuple(m for m in group.members if m in by_id and by_id[m].mandatory)
        if group.kind in {"at_most", "exactly"} and len(mandatory) > group.count:
            findings.append(
                Finding(
                    kind="group",
                    message=f"{why}group {group.id} allows at most {group.count} of "
                    f"{required}{names(mandatory)}",
                    shortfall=float(len(mandatory) - group.count),
                    items=mandatory,
                )
            )
    return findings


def _savings(engagement: Engagement) -> tuple[float, ...]:
    """The most that savings (negative run costs) can give back in each period."""
    saving = [
        (_first_finish(engagement, i), -i.run_cost)
        for i in engagement.initiatives
        if i.run_cost < 0
    ]
    return tuple(
        math.fsum(amount for finish, amount in saving if finish <= t)
        for t in range(engagement.periods)
    )


def _money_back(engagement: Engagement) -> float:
    """The most that savings and funding pools can give back against the total budget.

    A cost above a budget proves nothing unless it stays above once this is taken off.
    """
    savings = math.fsum(
        -item.run_cost * max(0, engagement.periods - _first_finish(engagement, item))
        for item in engagement.initiatives
        if item.run_cost < 0
    )
    return savings + math.fsum(pool.amount for pool in engagement.capacity.pools)


def _first_finish(engagement: Engagement, item: Initiative) -> int:
    first = engagement.scope.index(item.earliest) if item.earliest is not None else 0
    return (first or 0) + item.duration


def _never_schedulable(engagement: Engagement, options: StartOptions) -> dict[str, str]:
    """Why each initiative that is not forbidden can never be in a plan, by id (file order)."""
    capacity = engagement.capacity
    budgets = engagement.per_period(capacity.budget_per_period)
    limits = skill_limits(engagement)
    savings = _savings(engagement)
    back = _money_back(engagement)
    currency = engagement.scope.currency
    found: dict[str, str] = {}
    for item in engagement.initiatives:
        if item.forbidden:
            continue
        starts = options.starts[item.id]
        if not starts:
            found[item.id] = options.reasons.get(item.id, "no start period is left")
        elif capacity.budget is not None and item.cost - back > capacity.budget * (1 + 1e-9):
            found[item.id] = (
                f"it costs {money(item.cost, currency)}, the total budget is "
                f"{money(capacity.budget, currency)}"
            )
        elif (blocker := _blocker(engagement, item, starts, budgets, savings, limits)) is not None:
            found[item.id] = blocker[1].removeprefix(f"{item.id} ")
    return found


def _blocker(
    engagement: Engagement,
    item: Initiative,
    starts: tuple[int, ...],
    budgets: tuple[float, ...],
    savings: tuple[float, ...],
    limits: Mapping[str, SkillLimit],
) -> tuple[str, str, float, str] | None:
    """What stops `item` at every one of its starts (the smallest shortfall), or None.

    `savings` is what savings can give back in each period (`_savings`).
    """
    blocks = [_start_blocker(engagement, item, s, budgets, savings, limits) for s in starts]
    if not blocks or not all(blocks):
        return None
    return min((b for b in blocks if b is not None), key=lambda b: (b[2], b[3]))


def _start_blocker(
    engagement: Engagement,
    item: Initiative,
    start: int,
    budgets: tuple[float, ...],
    savings: tuple[float, ...],
    limits: Mapping[str, SkillLimit],
) -> tuple[str, str, float, str] | None:
    """Why starting `item` at `start` is impossible on its own, or None if it is not."""
    labels = engagement.scope.labels
    currency = engagement.scope.currency
    for offset, share in enumerate(item.shares()):
        t = start + offset
        for skill, total in item.effort.items():
            need = total * share
            own, extra = limits[skill].in_house[t], limits[skill].hire_max[t]
            if need > own + extra + 1e-9:
                return (
                    "skill",
                    f"{item.id} needs {hours(need)} of {skill} in {labels[t]}, "
                    f"capacity {hours(own)}" + (f" + {hours(extra)} contractors" if extra else ""),
                    need - own - extra,
                    labels[t],
                )
        if item.cost * share > budgets[t] + savings[t] + 1e-9:
            return (
                "budget",
                (
                    f"{item.id} needs {money(item.cost * share, currency)} in "
                    f"{labels[t]}, the period budget is {money(budgets[t], currency)}"
                ),
                item.cost * share - budgets[t],
                labels[t],
            )
    return None
