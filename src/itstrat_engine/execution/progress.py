"""The progress file: where each initiative stands at a status date, and what was spent.

A progress file (TOML, JSON or YAML) is read by the engagement's strict converter (unknown
keys with a did-you-mean, numbers that are not text, located errors)::

    [progress]
    as_of = "2027-Q3"              # the first period not yet under way (the status date)
    [[initiative]]
    id = "backup-dr"
    status = "done"                # not-started | in-progress | done | cancelled
    finished = "2027-Q2"           # the last period it ran in
    actual_cost = 43000
    [[initiative]]
    id = "mfa-sso"
    status = "in-progress"
    started = "2027-Q2"            # default: its start in the baseline
    remaining_cost = 12000
    remaining_effort = { security = 40 }
    remaining_periods = 1
    [[spend]]                      # actual spend per past period (optional)
    period = "2027-Q1"
    amount = 80500
    [[new_initiative]]             # work that appeared since the baseline (initiative keys)
    id = "epcs"
    ...
    [[benefit]]                    # a business objective's metric, measured
    objective = "patient-experience"
    period = "2027-Q2"
    value = 55

`check_progress(progress, engagement)` checks it against the engagement and its baseline
plan: every problem (an unknown id, a finish after the status date, a remainder past the
horizon, ...) is located in the progress file. The file itself only needs the converter.
"""

import math
from pathlib import Path
from typing import Any, Literal

import attrs

from itstrat_engine.errors import (
    InvalidEngagementError,
    InvalidPlanError,
    InvalidValueError,
    Problem,
    did_you_mean,
)
from itstrat_engine.io import Format, format_of, parse, read_text, structure_then
from itstrat_engine.model import ID_PATTERN, Engagement, Initiative, PeriodRef
from itstrat_engine.optimize.result import Plan

__all__ = [
    "STATUSES",
    "BenefitActual",
    "InitiativeProgress",
    "InvalidProgressError",
    "Progress",
    "ProgressStatus",
    "Spend",
    "UnplannableRemainderError",
    "check_baseline",
    "check_progress",
    "load_progress",
    "loads_progress",
    "progress_from_dict",
]

ProgressStatus = Literal["not-started", "in-progress", "done", "cancelled"]
STATUSES: tuple[str, ...] = ("not-started", "in-progress", "done", "cancelled")
"""The statuses an initiative may have in a progress file."""


class InvalidProgressError(InvalidEngagementError):
    """A progress file is not valid, or does not fit its engagement and baseline.

    `problems` locate each mistake in the progress file.
    """


class UnplannableRemainderError(InvalidProgressError):
    """The progress file is valid, but the work it leaves is not a valid engagement.

    For example a mandatory initiative whose deadline has passed unfinished: the remainder
    cannot be re-planned as it stands (`status` advises on it; `replan` refuses it).
    """


def _money(_: object, attribute: "attrs.Attribute[Any]", value: float | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidValueError(attribute.name, value, "a finite number")
    if value < 0:
        raise InvalidValueError(
            attribute.name,
            value,
            "an amount >= 0",
            message=f"{attribute.name} is negative",
            suggestion="record money spent as a positive amount",
        )


def _hours(_: object, attribute: "attrs.Attribute[Any]", value: dict[str, float] | None) -> None:
    for skill, number in (value or {}).items():
        if not math.isfinite(number) or number < 0:
            raise InvalidValueError(
                attribute.name,
                number,
                "hours >= 0",
                message=f"{attribute.name} of {skill!r} is negative",
                key=skill,
            )


def _id(_: object, attribute: "attrs.Attribute[Any]", value: str) -> None:
    if not ID_PATTERN.fullmatch(value):
        raise InvalidValueError(attribute.name, value, "an initiative id", message="invalid id")


def _periods(_: object, attribute: "attrs.Attribute[Any]", value: int | None) -> None:
    if value is not None and value < 1:
        raise InvalidValueError(
            attribute.name,
            value,
            "a whole number >= 1",
            message="remaining_periods must be at least 1",
            suggestion="mark it done when nothing remains",
        )


def _fraction(_: object, attribute: "attrs.Attribute[Any]", value: float | None) -> None:
    if value is not None and not 0 <= value <= 1:
        raise InvalidValueError(
            attribute.name,
            value,
            "a fraction from 0 to 1",
            message="percent_complete out of range",
            suggestion="write 0.6 for 60%",
        )


@attrs.frozen(kw_only=True)
class InitiativeProgress:
    """Where one initiative stands (an ``[[initiative]]`` table of the progress file).

    `started` and `finished` are the first and last periods it ran in (`started` defaults
    to its start in the baseline). `actual_cost` and `actual_effort` are what it cost to
    date (for a done item: in all); `remaining_*` what an item in progress still needs;
    `percent_complete` (0..1) the work done, for earned value.
    """

    id: str = attrs.field(validator=_id)
    status: ProgressStatus
    started: PeriodRef | None = None
    finished: PeriodRef | None = None
    actual_cost: float | None = attrs.field(default=None, validator=_money)
    actual_effort: dict[str, float] | None = attrs.field(default=None, validator=_hours)
    remaining_cost: float | None = attrs.field(default=None, validator=_money)
    remaining_effort: dict[str, float] | None = attrs.field(default=None, validator=_hours)
    remaining_periods: int | None = attrs.field(default=None, validator=_periods)
    percent_complete: float | None = attrs.field(default=None, validator=_fraction)
    note: str = ""


@attrs.frozen(kw_only=True)
class Spend:
    """Money actually spent in one past period, on everything (a ``[[spend]]`` table)."""

    period: PeriodRef
    amount: float = attrs.field(validator=_money)


@attrs.frozen(kw_only=True)
class BenefitActual:
    """A measured value of a business objective's metric in one period (``[[benefit]]``)."""

    objective: str = attrs.field(validator=_id)
    period: PeriodRef
    value: float
    note: str = ""


@attrs.frozen(kw_only=True)
class _Header:
    as_of: PeriodRef
    note: str = ""


@attrs.frozen(kw_only=True)
class _ProgressFile:
    progress: _Header
    initiative: tuple[InitiativeProgress, ...] = ()
    spend: tuple[Spend, ...] = ()
    new_initiative: tuple[Initiative, ...] = ()
    benefit: tuple[BenefitActual, ...] = ()


@attrs.frozen(kw_only=True)
class Progress:
    """A progress file: the status date, each initiative's progress, spend, new work, benefits.

    `as_of` is the first period not yet under way (a label or a 0-based index). Initiatives
    the file does not list are taken as not started. `source` is its file (for errors).

    >>> p = progress_from_dict({"progress": {"as_of": "2027-Q2"},
    ...     "initiative": [{"id": "a", "status": "done", "finished": "2027-Q1"}]})
    >>> p.of("a").status, p.of("b").status
    ('done', 'not-started')
    """

    as_of: PeriodRef
    initiatives: tuple[InitiativeProgress, ...] = ()
    spend: tuple[Spend, ...] = ()
    new_initiatives: tuple[Initiative, ...] = ()
    benefits: tuple[BenefitActual, ...] = ()
    note: str = ""
    source: str | None = attrs.field(default=None, eq=False, repr=False)

    def of(self, initiative_id: str) -> InitiativeProgress:
        """The progress of one initiative (not started when the file does not list it)."""
        for item in self.initiatives:
            if item.id == initiative_id:
                return item
        return InitiativeProgress(id=initiative_id, status="not-started")

    def listed(self, initiative_id: str) -> bool:
        """Whether the file lists the initiative."""
        return any(item.id == initiative_id for item in self.initiatives)


def progress_from_dict(data: object, source: str | None = None) -> Progress:
    """A progress record from plain data (a parsed progress file), strictly."""

    def build(parsed: _ProgressFile) -> Progress:
        seen: dict[str, int] = {}
        problems = []
        for k, item in enumerate(parsed.initiative):
            if item.id in seen:
                problems.append(
                    Problem(
                        code="duplicate-id",
                        path=f"initiative[{k}].id",
                        message=f"{item.id!r} is listed twice (first at initiative[{seen[item.id]}])",
                        value=repr(item.id),
                        suggestion="keep one table per initiative",
                    )
                )
            seen.setdefault(item.id, k)
        if problems:
            raise InvalidProgressError(problems)
        return Progress(
            as_of=parsed.progress.as_of,
            initiatives=parsed.initiative,
            spend=parsed.spend,
            new_initiatives=parsed.new_initiative,
            benefits=parsed.benefit,
            note=parsed.progress.note,
            source=source,
        )

    return structure_then(data, _ProgressFile, build, source, error=InvalidProgressError)


def loads_progress(text: str, format: Format = "toml", source: str | None = None) -> Progress:  # noqa: A002
    """A progress record from TOML, JSON or YAML text (`source` names it in errors)."""
    return progress_from_dict(parse(text, format, source, error=InvalidProgressError), source)


def load_progress(path: str | Path) -> Progress:
    """Read a progress file (``.toml``, ``.json``, ``.yaml``); errors are located in it."""
    path = Path(path)
    text = read_text(path)
    return progress_from_dict(
        parse(text, format_of(path), str(path), error=InvalidProgressError), str(path)
    )


# --------------------------------------------------------------------------- checks


def _period(
    problems: list[Problem],
    engagement: Engagement,
    path: str,
    ref: PeriodRef,
    *,
    before: int | None = None,
) -> int | None:
    """The index of a period reference, or None with a problem (outside the horizon)."""
    scope = engagement.scope
    index = scope.index(ref)
    labels = scope.labels
    if index is None:
        problems.append(
            Problem(
                code="outside-horizon",
                path=path,
                message="not a period of the engagement's horizon",
                value=repr(ref),
                expected=f"a period from {labels[0]} to {labels[-1]}",
                suggestion=did_you_mean(str(ref), labels) if isinstance(ref, str) else None,
            )
        )
        return None
    if before is not None and index >= before:
        problems.append(
            Problem(
                code="after-status-date",
                path=path,
                message="after the status date: only periods before as_of have happened",
                value=repr(ref),
                expected=f"a period before {labels[before]}" if before else "no period",
            )
        )
        return None
    return index


def check_baseline(engagement: Engagement, baseline: Plan) -> None:
    """Raise `InvalidPlanError` (in the baseline's file) when it plans another engagement.

    Another client, or not one initiative in common: every progress entry would otherwise
    be blamed on the progress file.
    """
    then = baseline.engagement
    shared = {i.id for i in then.initiatives} & {i.id for i in engagement.initiatives}
    if then.scope.client == engagement.scope.client and shared:
        return
    raise InvalidPlanError(
        [
            Problem(
                code="other-engagement",
                path="engagement.client",
                message="the baseline is a plan of another engagement"
                + ("" if shared else ": it has no initiative in common with this one"),
                value=repr(then.scope.client),
                expected=f"a plan of {engagement.scope.client!r}",
                suggestion="give the plan made from this engagement file "
                "(itstrat plan FILE --format json -o baseline.json)",
                file=then.source,
            )
        ]
    )


def check_progress(progress: Progress, engagement: Engagement, baseline: Plan) -> None:
    """Check a progress record against the engagement and its baseline plan.

    `engagement` is the engagement now (with the file's new initiatives). Raises
    `InvalidProgressError` with every problem located in the progress file: ids unknown to
    the engagement, periods outside the horizon, a start or finish on or after the status
    date, a finish before the start, a done item without its finish, remainders on an item
    that is not in progress or past the horizon, spend for a period not yet past, new
    initiatives that clash with existing ids, benefits for unknown objectives.
    """
    check_baseline(engagement, baseline)
    problems: list[Problem] = []
    known = [item.id for item in engagement.initiatives]
    as_of = _period(problems, engagement, "progress.as_of", progress.as_of)
    if as_of is not None and as_of == 0:
        problems.append(
            Problem(
                code="nothing-happened",
                path="progress.as_of",
                message="the status date is the first period: nothing can have happened yet",
                value=repr(progress.as_of),
                suggestion="plan again instead, or give a later as_of",
            )
        )
        as_of = None
    original = {item.id for item in baseline.engagement.initiatives}
    for k, new in enumerate(progress.new_initiatives):
        if new.id in original:
            problems.append(
                Problem(
                    code="duplicate-id",
                    path=f"new_initiative[{k}].id",
                    message="the engagement already has this initiative",
                    value=repr(new.id),
                    suggestion="give the new initiative its own id, or list it under [[initiative]]",
                )
            )
    for k, item in enumerate(progress.initiatives):
        path = f"initiative[{k}]"
        if item.id not in known:
            problems.append(
                Problem(
                    code="unknown-id",
                    path=f"{path}.id",
                    message="no such initiative in the engagement",
                    value=repr(item.id),
                    suggestion=did_you_mean(item.id, known)
                    or "list the ids with itstrat validate, or add it as [[new_initiative]]",
                )
            )
            continue
        if as_of is not None:
            _check_item(problems, engagement, baseline, item, path, as_of)
    if as_of is not None:
        for k, spend in enumerate(progress.spend):
            _period(problems, engagement, f"spend[{k}].period", spend.period, before=as_of)
        periods = [engagement.scope.index(s.period) for s in progress.spend]
        for k, index in enumerate(periods):
            if index is not None and periods.index(index) < k:
                problems.append(
                    Problem(
                        code="duplicate-period",
                        path=f"spend[{k}].period",
                        message="this period's spend is given twice",
                        value=repr(progress.spend[k].period),
                        suggestion="give one total per period",
                    )
                )
    objectives = [o.id for o in engagement.objectives]
    for k, benefit in enumerate(progress.benefits):
        if benefit.objective not in objectives:
            problems.append(
                Problem(
                    code="unknown-id",
                    path=f"benefit[{k}].objective",
                    message="no such objective in the engagement",
                    value=repr(benefit.objective),
                    suggestion=did_you_mean(benefit.objective, objectives),
                )
            )
        if as_of is not None:
            _period(problems, engagement, f"benefit[{k}].period", benefit.period, before=as_of)
    if problems:
        raise InvalidProgressError([p.in_file(progress.source) for p in problems])


def _check_item(
    problems: list[Problem],
    engagement: Engagement,
    baseline: Plan,
    item: InitiativeProgress,
    path: str,
    as_of: int,
) -> None:
    labels = engagement.scope.labels
    remaining = ("remaining_cost", "remaining_effort", "remaining_periods")
    if item.status != "in-progress":
        for key in remaining:
            if getattr(item, key) is not None:
                problems.append(  # noqa: PERF401 - clearer as a loop
                    Problem(
                        code="not-in-progress",
                        path=f"{path}.{key}",
                        message=f"{key} on an item that is {item.status}",
                        value=repr(getattr(item, key)),
                        suggestion="only in-progress work has a remainder; "
                        + ("drop it" if item.status == "done" else "set status = 'in-progress'"),
                    )
                )
    if item.status in {"not-started", "cancelled"} and item.finished is not None:
        problems.append(
            Problem(
                code="not-finished",
                path=f"{path}.finished",
                message=f"a finish on an item that is {item.status}",
                value=repr(item.finished),
                suggestion="set status = 'done', or drop finished",
            )
        )
    if item.status == "not-started":
        for key in ("started", "actual_cost", "actual_effort", "percent_complete"):
            if getattr(item, key) not in (None, 0, 0.0):
                problems.append(  # noqa: PERF401 - clearer as a loop
                    Problem(
                        code="not-started",
                        path=f"{path}.{key}",
                        message=f"{key} on an item that has not started",
                        value=repr(getattr(item, key)),
                        suggestion="set status = 'in-progress', or drop the key",
                    )
                )
    if item.status not in {"done", "in-progress"}:
        return
    started: int | None
    if item.started is not None:
        started = _period(problems, engagement, f"{path}.started", item.started, before=as_of)
    else:
        started = baseline.schedule.get(item.id)
        if started is None:
            problems.append(
                Problem(
                    code="missing-start",
                    path=f"{path}.started",
                    message=f"{item.id!r} is not in the baseline, so its start must be given",
                    expected="the first period it ran in",
                    suggestion='add started = "' + labels[max(0, as_of - 1)] + '"',
                )
            )
        elif started >= as_of:
            problems.append(
                Problem(
                    code="missing-start",
                    path=f"{path}.started",
                    message=f"the baseline starts {item.id!r} in {labels[started]}, not before "
                    f"the status date {labels[as_of]}",
                    expected="the first period it ran in",
                    suggestion="add started = the period it really began",
                )
            )
            started = None
    skills = set(engagement.capacity.skills) | set(engagement.initiative_by_id[item.id].effort)
    for key in ("remaining_effort", "actual_effort"):
        for skill in getattr(item, key) or {}:
            if skill not in skills:
                problems.append(  # noqa: PERF401 - clearer as a loop
                    Problem(
                        code="unknown-skill",
                        path=f"{path}.{key}.{skill}",
                        message="no such skill in the engagement",
                        value=repr(skill),
                        suggestion=did_you_mean(skill, sorted(skills)),
                    )
                )
    if item.status == "done":
        if item.finished is None:
            problems.append(
                Problem(
                    code="missing-finish",
                    path=f"{path}.finished",
                    message="a done item needs the last period it ran in",
                    expected=f"a period before {labels[as_of]}",
                    suggestion='add finished = "' + labels[as_of - 1] + '"',
                )
            )
            return
        finished = _period(problems, engagement, f"{path}.finished", item.finished, before=as_of)
        if finished is not None and started is not None and finished < started:
            problems.append(
                Problem(
                    code="finish-before-start",
                    path=f"{path}.finished",
                    message=f"finished before it started ({labels[started]})",
                    value=repr(item.finished),
                )
            )
        return
    if item.finished is not None:
        problems.append(
            Problem(
                code="not-finished",
                path=f"{path}.finished",
                message="a finish on an item still in progress",
                value=repr(item.finished),
                suggestion="set status = 'done', or drop finished",
            )
        )
    if item.remaining_periods is not None and as_of + item.remaining_periods > engagement.periods:
        problems.append(
            Problem(
                code="past-horizon",
                path=f"{path}.remaining_periods",
                message=f"from {labels[as_of]} it would run past the horizon's end ({labels[-1]})",
                value=repr(item.remaining_periods),
                expected=f"at most {engagement.periods - as_of}",
            )
        )
