"""Plans as files: the JSON `Plan.to_json` writes, read back equal and verified.

A plan file is a complete record: the contract fields (status, objective value, bound, gap,
solver, periods, initiatives, usage), the settings, the engagement as given and the rule
packs (their full content, not a path that may move) with their params. Reading it
prepares that engagement again with those packs (so the values are the packs' values, not
numbers copied from the file), rebuilds the `Plan` and checks it with `verify`: a plan
that breaks its engagement's rules, or whose figures differ from what its schedule gives,
is an `InvalidPlanError` naming each violation.
"""

from pathlib import Path
from typing import Any

import attrs

from itstrat_engine.errors import InvalidPlanError, ItstratError, Problem, did_you_mean
from itstrat_engine.io import parse, read_text, structure
from itstrat_engine.model import Engagement, PlanObjective, PlanSettings, Timing
from itstrat_engine.optimize.preparation import overrides_of, prepare
from itstrat_engine.optimize.result import (
    FORMAT_VERSION,
    Finding,
    PeriodUse,
    Plan,
    ScheduledInitiative,
    SelectedInitiative,
    Status,
)
from itstrat_engine.optimize.verify import verify
from itstrat_engine.rules import Pack, pack_from_dict

__all__ = ["load_plan", "loads_plan"]


@attrs.frozen(kw_only=True)
class _Rules:
    packs: tuple[dict[str, Any], ...] = ()
    params: dict[str, float] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class _PlanFile:
    """The keys of a plan file, read by the one strict converter."""

    format_version: int
    status: Status
    message: str
    objective: PlanObjective
    timing: Timing
    objective_value: float | None
    best_bound: float | None
    gap: float | None
    solver: str
    seconds: float
    timings: dict[str, float]
    time_limit: float | None
    requested_gap: float | None
    periods: tuple[str, ...]
    total_spend: float
    budget: float | None
    initiatives: tuple[ScheduledInitiative, ...]
    usage: tuple[PeriodUse, ...]
    findings: tuple[Finding, ...]
    schedule: dict[str, int]
    # Derived from the engagement, so recomputed rather than read (older files lack it).
    unschedulable: dict[str, str] = attrs.field(factory=dict)
    business_case: dict[str, Any] | None = None
    settings: PlanSettings
    engagement: Engagement
    rules: _Rules


def _fail(source: str | None, problems: list[Problem]) -> InvalidPlanError:
    return InvalidPlanError([attrs.evolve(p, file=p.file or source) for p in problems])


def _entry(entry: ScheduledInitiative, index: int) -> ScheduledInitiative | Problem:
    """A selected entry as a `SelectedInitiative`, or the problem that stops it being one."""
    if not entry.selected:
        return entry
    fields = attrs.asdict(entry, recurse=False)
    missing = [
        name for name in ("start", "finish", "start_label", "end_label") if fields[name] is None
    ]
    if missing:
        return Problem(
            code="missing-key",
            path=f"initiatives[{index}]",
            message=f"selected initiative {entry.id!r} has no {', '.join(missing)}",
            expected="a start, finish and their labels for every selected initiative",
        )
    return SelectedInitiative(**fields)


def _pack(record: dict[str, Any], index: int, source: str | None) -> Pack:
    """One embedded pack, rebuilt from its content; its problems are located in the plan."""
    try:
        return pack_from_dict(record.get("pack"), record.get("source"))
    except ItstratError as error:
        raise _fail(
            source,
            [
                attrs.evolve(p, path=f"rules.packs[{index}].pack.{p.path}".rstrip("."), file=None)
                for p in error.located()
            ],
        ) from None


def loads_plan(text: str, source: str | None = None) -> Plan:
    """Read a plan from its JSON text, prepare its engagement again, and verify it.

    Raises `InvalidPlanError` (every problem located in `source`) when the text is not a
    plan of this format version, or when the plan breaks its engagement's rules.

    >>> import itstrat_engine as it
    >>> p = it.plan(it.generate(6, seed=1))
    >>> it.loads_plan(p.to_json()) == p
    True
    """
    data = parse(text, "json", source, error=InvalidPlanError)
    if not isinstance(data, dict):
        raise _fail(
            source,
            [
                Problem(
                    code="wrong-type",
                    path="",
                    message="not a plan file",
                    value=repr(data)[:60],
                    expected="a JSON object (a plan file)",
                    suggestion="write it with itstrat plan --format json -o plan.json",
                )
            ],
        )
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise _fail(
            source,
            [
                Problem(
                    code="format-version",
                    path="format_version",
                    message="not a plan file of a version this library reads",
                    value=repr(version),
                    expected=str(FORMAT_VERSION),
                    suggestion="write the plan again with this version of itstrat_engine",
                )
            ],
        )
    record = structure(data, _PlanFile, source, error=InvalidPlanError)
    packs = [_pack(record.rules.packs[k], k, source) for k in range(len(record.rules.packs))]
    prepared = prepare(
        attrs.evolve(record.engagement, source=source),
        rules=packs,
        params=record.rules.params,
        **overrides_of(record.settings),
    )
    entries: list[ScheduledInitiative] = []
    problems: list[Problem] = []
    for index, item in enumerate(record.initiatives):
        entry = _entry(item, index)
        if isinstance(entry, Problem):
            problems.append(entry)
        else:
            entries.append(entry)
    schedule = {e.id: e.start for e in entries if isinstance(e, SelectedInitiative)}
    if not problems:
        problems += _horizon_problems(entries, prepared.effective)
    if not problems and schedule != record.schedule:
        problems += _schedule_problems(schedule, record.schedule)
    if problems:
        raise _fail(source, problems)
    fields = {f.name: getattr(record, f.name) for f in attrs.fields(_PlanFile)}
    derived = ("unschedulable", "business_case")
    for name in ("format_version", "settings", "engagement", "rules", *derived):
        del fields[name]
    plan = Plan(
        **{**fields, "initiatives": tuple(entries), "schedule": dict(sorted(schedule.items()))},
        prepared=prepared,
    )
    violations = verify(plan, plan.engagement)
    if violations:
        raise _fail(source, list(violations))
    return plan


def _horizon_problems(entries: list[ScheduledInitiative], engagement: Engagement) -> list[Problem]:
    """Selected entries that are not the engagement's, or do not run inside its horizon."""
    labels = engagement.scope.labels
    problems = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, SelectedInitiative):
            continue
        item = engagement.initiative_by_id.get(entry.id)
        if item is None:
            problems.append(
                Problem(
                    code="unknown-initiative",
                    path=f"initiatives[{index}].id",
                    message="not an initiative of the plan's engagement",
                    value=repr(entry.id),
                    suggestion=did_you_mean(entry.id, list(engagement.initiative_by_id)),
                )
            )
        elif not 0 <= entry.start <= len(labels) - item.duration:
            problems.append(
                Problem(
                    code="violation",
                    path=f"initiatives[{index}].start",
                    message=f"{entry.id!r} ({item.duration} periods) does not run inside the "
                    f"horizon {labels[0]}..{labels[-1]}",
                    value=repr(entry.start),
                    expected=f"a start from 0 to {len(labels) - item.duration}",
                )
            )
    return problems


def _schedule_problems(found: dict[str, int], written: dict[str, int]) -> list[Problem]:
    """Where the ``schedule`` table disagrees with the selected initiatives' starts."""
    return [
        Problem(
            code="violation",
            path=f"schedule.{item_id}",
            message="the schedule differs from the selected initiatives' starts",
            value=repr(written.get(item_id)),
            expected=f"{found[item_id]!r}, the start its initiatives[] entry gives"
            if item_id in found
            else "no entry: the initiative is not selected in initiatives[]",
        )
        for item_id in sorted(set(found) | set(written))
        if found.get(item_id) != written.get(item_id)
    ]


def load_plan(path: str | Path) -> Plan:
    """Read a plan file written by `Plan.to_json` (``itstrat plan --format json``), verified.

    Raises `UnreadableFileError` when the file cannot be read and `InvalidPlanError` when
    it is not a valid plan or breaks its engagement's rules.
    """
    path = Path(path)
    return loads_plan(read_text(path), str(path))
