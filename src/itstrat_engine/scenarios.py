"""What-if scenarios: patches over an engagement, planned and compared with the base.

A scenario file (TOML, JSON or YAML) names the scenario and lists its changes::

    [scenario]
    id = "lean"
    name = "Budget cut by 20%, ERP first"
    [change]
    budget_factor = 0.8          # scales every budget: total, per period, per year, capex, opex
    cost_factor = 1.1            # scales every initiative's one-off cost
    force_in = ["erp"]           # mandatory in this scenario
    force_out = ["ai-clinical-notes"]
    [change.engagement]          # replaces these keys of [engagement] (the horizon)
    [change.capacity]            # replaces these keys of [capacity]; skills and contractors
    skills = { security = 120 }  #   merge by name: only security changes
    [change.plan]                # replaces these keys of [plan] (rule paths: from this file)
    rules = ["wsjf", "risk"]
    [change.initiative.erp]      # replaces these keys of one initiative (window, cost, ...)
    earliest = "2027-Q3"
    [change.objective.growth]    # and of one objective (its weight) or one group
    weight = 0.5

It is read by the engagement's strict converter (unknown keys with did-you-mean, located
errors); the patched engagement is validated like a file, and its problems are located in
the scenario file where a change caused them.

Changes apply one at a time in this fixed order, which is also the order in which a
difference is attributed to them: engagement keys, capacity keys, ``budget_factor``,
``cost_factor``, objective edits, initiative edits, group edits, each ``force_in``, each
``force_out``, plan keys (each in file order inside its table). `what_if` plans the base,
then the scenario after each change in turn: what the plan changes at a step is what that
change caused, given the ones before it. When a change alone leaves the engagement invalid
(a longer horizon before the per-period budgets that match it), it is applied together
with the next one and the two share the step.
"""

import copy
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Unpack

import attrs

from itstrat_engine.comparison import Comparison, Difference, compare, difference
from itstrat_engine.errors import (
    InvalidEngagementError,
    InvalidValueError,
    ItstratError,
    Problem,
    did_you_mean,
)
from itstrat_engine.graph import check
from itstrat_engine.io import (
    Format,
    format_of,
    from_dict,
    parse,
    read_text,
    structure_then,
    to_dict,
)
from itstrat_engine.model import ID_PATTERN, Engagement
from itstrat_engine.optimize.preparation import Overrides
from itstrat_engine.optimize.result import Plan
from itstrat_engine.rules.evaluate import PackReference

__all__ = [
    "Change",
    "Scenario",
    "ScenarioResult",
    "Step",
    "WhatIf",
    "apply_scenario",
    "load_scenario",
    "loads_scenario",
    "scenario_from_dict",
    "what_if",
]

_BUDGET_KEYS = (
    "budget",
    "budget_per_period",
    "budget_per_year",
    "capex_per_period",
    "opex_per_period",
    "capex_per_year",
    "opex_per_year",
)
_MERGED_CAPACITY_KEYS = frozenset({"skills", "contractors"})


MAX_FACTOR = 1e6
"""The largest factor a scenario may scale by: beyond it the scaled amounts overflow."""


def _factor(_: object, attribute: "attrs.Attribute[Any]", value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and 0 < value <= MAX_FACTOR):
        raise InvalidValueError(
            attribute.name,
            value,
            f"a number > 0 and at most {MAX_FACTOR:g}",
            message=f"{attribute.name} must scale by a positive number of sensible size",
            suggestion="0.8 for 20% less, 1.1 for 10% more",
        )


def _ids(_: object, attribute: "attrs.Attribute[Any]", values: tuple[str, ...]) -> None:
    for value in values:
        if not ID_PATTERN.fullmatch(value):
            raise InvalidValueError(attribute.name, value, "an initiative id")
    if len(set(values)) != len(values):
        raise InvalidValueError(attribute.name, list(values), "each id once")


@attrs.frozen(kw_only=True)
class Change:
    """The ``[change]`` table of a scenario (see the module docstring)."""

    budget_factor: float | None = attrs.field(default=None, validator=_factor)
    cost_factor: float | None = attrs.field(default=None, validator=_factor)
    force_in: tuple[str, ...] = attrs.field(default=(), validator=_ids)
    force_out: tuple[str, ...] = attrs.field(default=(), validator=_ids)
    engagement: dict[str, Any] = attrs.field(factory=dict)
    capacity: dict[str, Any] = attrs.field(factory=dict)
    plan: dict[str, Any] = attrs.field(factory=dict)
    objective: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    initiative: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    group: dict[str, dict[str, Any]] = attrs.field(factory=dict)


def _scenario_id(_: object, attribute: "attrs.Attribute[str]", value: str) -> None:
    if not ID_PATTERN.fullmatch(value):
        raise InvalidValueError(
            attribute.name,
            value,
            "lower-case letters, digits, '-', '_' or '.'",
            message="not a scenario id",
        )


@attrs.frozen(kw_only=True)
class _Header:
    id: str = attrs.field(validator=_scenario_id)
    name: str = ""
    description: str = ""


@attrs.frozen(kw_only=True)
class _ScenarioFile:
    scenario: _Header
    change: Change = Change()


@attrs.frozen(kw_only=True)
class Scenario:
    """A named patch over an engagement. `source` is its file (paths in errors, rule paths)."""

    id: str
    name: str = ""
    description: str = ""
    change: Change = Change()
    source: str | None = attrs.field(default=None, eq=False)

    @property
    def title(self) -> str:
        """``lean (Budget cut by 20%)`` or just the id."""
        return f"{self.id} ({self.name})" if self.name else self.id


def scenario_from_dict(data: object, source: str | None = None) -> Scenario:
    """A scenario from plain data (a parsed scenario file), strictly.

    >>> s = scenario_from_dict({"scenario": {"id": "lean"}, "change": {"budget_factor": 0.8}})
    >>> s.change.budget_factor
    0.8
    """

    def build(parsed: _ScenarioFile) -> Scenario:
        both = sorted(set(parsed.change.force_in) & set(parsed.change.force_out))
        if both:
            raise InvalidEngagementError(
                [
                    Problem(
                        code="forced-both-ways",
                        path="change.force_out",
                        message="forced in and out at once",
                        value=", ".join(repr(i) for i in both),
                        expected="each id in force_in or in force_out, not both",
                        suggestion="remove it from one of the two lists",
                    )
                ]
            )
        header = parsed.scenario
        return Scenario(
            id=header.id,
            name=header.name,
            description=header.description,
            change=parsed.change,
            source=source,
        )

    return structure_then(data, _ScenarioFile, build, source)


def loads_scenario(text: str, format: Format = "toml", source: str | None = None) -> Scenario:  # noqa: A002
    """A scenario from TOML, JSON or YAML text (`source` names it in errors)."""
    return scenario_from_dict(parse(text, format, source), source)


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file (``.toml``, ``.json``, ``.yaml``); errors are located in it."""
    path = Path(path)
    text = read_text(path)
    return scenario_from_dict(parse(text, format_of(path), str(path)), str(path))


# --------------------------------------------------------------------------- patches


@attrs.frozen
class _Move:
    """Problems at `prefix` of the patched engagement belong at `target` of the scenario."""

    prefix: str
    target: str
    keep_rest: bool = True


_Edit = Callable[[dict[str, Any]], list[_Move]]


@attrs.frozen
class _Patch:
    """One change of a scenario: its name, its path in the file, and how it edits data."""

    name: str
    edit: _Edit = attrs.field(eq=False)
    replaces: str | None = None  # the [plan] key it sets, which the caller's overrides yield


def _patches(engagement: Engagement, scenario: Scenario) -> tuple[list[_Patch], list[Problem]]:
    """The scenario's changes in the documented order, and the problems of those left out.

    A change naming an id the engagement lacks is a located problem, and left out so the
    others are still checked.
    """
    change = scenario.change
    problems: list[Problem] = []
    patches: list[_Patch] = []
    for key, value in change.engagement.items():
        patches.append(
            _Patch(f"engagement.{key} = {_short(value)}", _set("engagement", key, value))
        )
    for key, value in change.capacity.items():
        patches.append(_Patch(f"capacity.{key} = {_short(value)}", _capacity(key, value)))
    if change.budget_factor is not None:
        if not _has_budget(engagement):
            problems.append(
                Problem(
                    code="nothing-to-scale",
                    path="change.budget_factor",
                    message="the engagement sets no budget for budget_factor to scale",
                    value=repr(change.budget_factor),
                    suggestion="set one under [change.capacity] (budget = 500000)",
                )
            )
        patches.append(
            _Patch(
                f"budget_factor = {change.budget_factor:g}", _scale_budgets(change.budget_factor)
            )
        )
    if change.cost_factor is not None:
        patches.append(
            _Patch(f"cost_factor = {change.cost_factor:g}", _scale_costs(change.cost_factor))
        )
    for table, kind, known in (
        ("objective", "objective", [o.id for o in engagement.objectives]),
        ("initiative", "initiative", [i.id for i in engagement.initiatives]),
        ("group", "group", [g.id for g in engagement.groups]),
    ):
        for item_id, keys in getattr(change, table).items():
            if item_id not in known:
                problems.append(_unknown(f"change.{table}.{item_id}", item_id, kind, known))
            elif "id" in keys:
                problems.append(
                    Problem(
                        code="id-change",
                        path=f"change.{table}.{item_id}.id",
                        message=f"a scenario cannot rename the {kind}",
                        value=repr(keys["id"]),
                        suggestion=f"drop the id key; the table's name says which {kind}",
                    )
                )
            else:
                edit = _edit_item(table, item_id, keys)
                patches.append(_Patch(f"{table}.{item_id}: {_short(keys)}", edit))
    known_items = [i.id for i in engagement.initiatives]
    for key, mandatory in (("force_in", True), ("force_out", False)):
        for k, item_id in enumerate(getattr(change, key)):
            if item_id not in known_items:
                problems.append(_unknown(f"change.{key}[{k}]", item_id, "initiative", known_items))
                continue
            patches.append(
                _Patch(f"{key} {item_id}", _force(item_id, mandatory, f"change.{key}[{k}]"))
            )
    folder = _folder(engagement.source, scenario.source)
    for key, given in change.plan.items():
        value = _rule_paths(given, folder) if key == "rules" else given
        patches.append(_Patch(f"plan.{key} = {_short(value)}", _set("plan", key, value), key))
    return patches, [p.in_file(scenario.source) for p in problems]


def _short(value: object) -> str:
    """A value as a scenario file writes it (``{security = 120}``), cut at 60 characters."""
    text = _inline(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _inline(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _unknown(path: str, item_id: str, kind: str, known: Sequence[str]) -> Problem:
    return Problem(
        code="unknown-id",
        path=path,
        message=f"no such {kind} in the engagement",
        value=repr(item_id),
        suggestion=did_you_mean(item_id, known) or f"list the {kind} ids with itstrat validate",
    )


def _has_budget(engagement: Engagement) -> bool:
    capacity = engagement.capacity
    return any(getattr(capacity, key) is not None for key in _BUDGET_KEYS)


def _set(table: str, key: str, value: object) -> _Edit:
    def edit(data: dict[str, Any]) -> list[_Move]:
        data.setdefault(table, {})[key] = copy.deepcopy(value)
        return [_Move(f"{table}.{key}", f"change.{table}.{key}")]

    return edit


def _capacity(key: str, value: object) -> _Edit:
    def edit(data: dict[str, Any]) -> list[_Move]:
        capacity = data.setdefault("capacity", {})
        current = capacity.get(key)
        if key in _MERGED_CAPACITY_KEYS and isinstance(value, Mapping) and current is not None:
            capacity[key] = {**current, **copy.deepcopy(dict(value))}
        else:
            capacity[key] = copy.deepcopy(value)
        return [_Move(f"capacity.{key}", f"change.capacity.{key}")]

    return edit


def _scaled(value: object, factor: float) -> object:
    if isinstance(value, list | tuple):
        return [_scaled(v, factor) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value * factor
    return value


def _scale_budgets(factor: float) -> _Edit:
    def edit(data: dict[str, Any]) -> list[_Move]:
        capacity = data.setdefault("capacity", {})
        moves = []
        for key in _BUDGET_KEYS:
            if key in capacity:
                capacity[key] = _scaled(capacity[key], factor)
                moves.append(_Move(f"capacity.{key}", "change.budget_factor", keep_rest=False))
        return moves

    return edit


def _scale_costs(factor: float) -> _Edit:
    def edit(data: dict[str, Any]) -> list[_Move]:
        moves = []
        for k, item in enumerate(data.get("initiative", [])):
            if "cost" in item:
                item["cost"] = _scaled(item["cost"], factor)
                moves.append(_Move(f"initiative[{k}].cost", "change.cost_factor", keep_rest=False))
        return moves

    return edit


def _edit_item(table: str, item_id: str, keys: Mapping[str, Any]) -> _Edit:
    def edit(data: dict[str, Any]) -> list[_Move]:
        for k, item in enumerate(data.get(table, [])):
            if item.get("id") == item_id:
                item.update(copy.deepcopy(dict(keys)))
                return [_Move(f"{table}[{k}]", f"change.{table}.{item_id}")]
        return []  # pragma: no cover - `_patches` checked the id

    return edit


def _force(item_id: str, mandatory: bool, where: str) -> _Edit:
    def edit(data: dict[str, Any]) -> list[_Move]:
        for k, item in enumerate(data.get("initiative", [])):
            if item.get("id") == item_id:
                item["mandatory"], item["forbidden"] = mandatory, not mandatory
                return [
                    _Move(f"initiative[{k}].mandatory", where, keep_rest=False),
                    _Move(f"initiative[{k}].forbidden", where, keep_rest=False),
                ]
        return []  # pragma: no cover - `_patches` checked the id

    return edit


def _folder(engagement_source: str | None, scenario_source: str | None) -> tuple[Path, Path] | None:
    if engagement_source is None or scenario_source is None:
        return None
    return Path(engagement_source).parent, Path(scenario_source).parent


def _rule_paths(value: object, folders: tuple[Path, Path] | None) -> object:
    """Rule pack paths of a scenario, rewritten to be relative to the engagement's file."""
    if folders is None or not isinstance(value, list):
        return value
    engagement_folder, scenario_folder = folders
    rewritten: list[object] = []
    for reference in value:
        is_path = isinstance(reference, str) and (reference.endswith(".toml") or "/" in reference)
        if is_path and not Path(str(reference)).is_absolute():
            target = scenario_folder / str(reference)
            rewritten.append(Path(os.path.relpath(target, engagement_folder)).as_posix())
        else:
            rewritten.append(reference)
    return rewritten


def _patched(
    engagement: Engagement,
    scenario: Scenario,
    patches: Iterable[_Patch],
    problems: Sequence[Problem] = (),
) -> Engagement:
    """The engagement with `patches` applied, checked like a file.

    Raises `InvalidEngagementError` with `problems` and the errors of the patched
    engagement, each relocated to the change that caused it (warnings are the plan's).
    """
    data = to_dict(engagement)
    moves: list[_Move] = []
    for patch in patches:
        moves += patch.edit(data)
    found = list(problems)
    patched = None
    try:
        patched = from_dict(data)
        check(patched)
    except InvalidEngagementError as error:
        errors = [p for p in error.problems if p.severity == "error"]
        found += _relocated(errors, moves, engagement, scenario)
    if found or patched is None:
        raise InvalidEngagementError(found)
    return attrs.evolve(patched, source=engagement.source)


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def _relocated(
    problems: Iterable[Problem], moves: Sequence[_Move], engagement: Engagement, scenario: Scenario
) -> list[Problem]:
    """Each problem where the scenario caused it, else in the engagement, naming the scenario."""
    found = []
    for problem in problems:
        matches = [m for m in moves if _under(problem.path, m.prefix)]
        if matches:
            move = max(reversed(matches), key=lambda m: len(m.prefix))
            rest = problem.path[len(move.prefix) :] if move.keep_rest else ""
            found.append(attrs.evolve(problem, path=move.target + rest, file=scenario.source))
        else:
            found.append(
                attrs.evolve(
                    problem,
                    message=f"with scenario {scenario.id!r} applied: {problem.message}",
                    file=problem.file or engagement.source,
                )
            )
    return found


def apply_scenario(engagement: Engagement, scenario: Scenario) -> Engagement:
    """The engagement as the scenario changes it, validated like a file.

    Raises `InvalidEngagementError` with each problem located in the scenario file where a
    change caused it (``lean.toml: change.capacity.budget: ...``).

    >>> import itstrat_engine as it
    >>> e = it.generate(6, seed=1)
    >>> s = scenario_from_dict({"scenario": {"id": "lean"}, "change": {"budget_factor": 0.5}})
    >>> apply_scenario(e, s).capacity.budget == e.capacity.budget * 0.5
    True
    """
    patches, problems = _patches(engagement, scenario)
    return _patched(engagement, scenario, patches, problems)


# --------------------------------------------------------------------------- what if


@attrs.frozen(kw_only=True)
class Step:
    """The plan after a change (or changes applied together), against the one before it."""

    changes: tuple[str, ...]
    plan: Plan = attrs.field(repr=False)
    difference: Difference

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "changes": list(self.changes),
            "status": self.plan.status.value,
            "objective_value": self.plan.objective_value,
            "best_bound": self.plan.best_bound,
            **self.difference.as_dict(),
        }


@attrs.frozen(kw_only=True)
class ScenarioResult:
    """A scenario's plan, its difference from the base, and the steps attributing it."""

    scenario: Scenario
    plan: Plan = attrs.field(repr=False)
    difference: Difference
    steps: tuple[Step, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "id": self.scenario.id,
            "name": self.scenario.name,
            "status": self.plan.status.value,
            "objective": self.plan.objective,
            "objective_value": self.plan.objective_value,
            "best_bound": self.plan.best_bound,
            "total_spend": self.plan.total_spend,
            "difference": self.difference.as_dict(),
            "steps": [step.as_dict() for step in self.steps],
        }


@attrs.frozen(kw_only=True)
class WhatIf:
    """The base plan, each scenario's result, and all the plans compared side by side."""

    base: Plan = attrs.field(repr=False)
    results: tuple[ScenarioResult, ...]
    comparison: Comparison

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the keys of ``itstrat scenario --format json``)."""
        return {
            "base": {
                "status": self.base.status.value,
                "objective": self.base.objective,
                "objective_value": self.base.objective_value,
                "best_bound": self.base.best_bound,
                "total_spend": self.base.total_spend,
            },
            "scenarios": [result.as_dict() for result in self.results],
            "comparison": self.comparison.as_dict(),
        }


def what_if(
    engagement: Engagement,
    scenarios: Sequence[Scenario],
    *,
    rules: PackReference | Iterable[PackReference] | None = None,
    params: Mapping[str, object] | None = None,
    attribute: bool = True,
    **overrides: Unpack[Overrides],
) -> WhatIf:
    """Plan the base and each scenario, compare them, and attribute each difference.

    `rules`, `params` and `overrides` are those of `plan`, for the base and every
    scenario, except where a scenario's ``[change.plan]`` sets the same key (its rules,
    its objective): the scenario's own choice wins for it. With `attribute` (the default)
    each scenario is planned once per change, in the documented order (see the module
    docstring); without, once. Every scenario is applied (and checked) before any plan
    is made, so a bad scenario file fails fast. Raises `InvalidEngagementError` located
    in the scenario file.

    >>> import itstrat_engine as it
    >>> e = it.generate(6, seed=1)
    >>> s = scenario_from_dict({"scenario": {"id": "lean"}, "change": {"budget_factor": 0.5}})
    >>> result = what_if(e, [s])
    >>> [step.changes for step in result.results[0].steps]
    [('budget_factor = 0.5',)]
    """
    from itstrat_engine.optimize.planner import plan  # noqa: PLC0415 - loads the solvers

    ids = ["base", *(s.id for s in scenarios)]  # "base" names the engagement as given
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InvalidEngagementError(
            [
                Problem(
                    code="duplicate-scenario",
                    path="scenario.id",
                    message="two scenarios share an id (or one is called 'base')",
                    value=", ".join(repr(i) for i in repeated),
                    suggestion="give each scenario file its own [scenario] id",
                )
            ]
        )
    prepared = []
    for scenario in scenarios:
        patches, problems = _patches(engagement, scenario)
        _patched(engagement, scenario, patches, problems)
        prepared.append((scenario, patches))

    def planned(variant: Engagement, patches: Sequence[_Patch]) -> Plan:
        replaced = {p.replaces for p in patches if p.replaces is not None}
        kept: dict[str, Any] = {k: v for k, v in overrides.items() if k not in replaced}
        return plan(
            variant,
            rules=None if "rules" in replaced else rules,
            params=None if "params" in replaced else params,
            **kept,
        )

    base = planned(engagement, [])
    results = []
    for scenario, patches in prepared:
        steps: list[Step] = []
        if attribute:
            previous, pending = base, 0
            for k in range(1, len(patches) + 1):
                try:
                    variant = _patched(engagement, scenario, patches[:k])
                except ItstratError:
                    if k == len(patches):
                        raise
                    continue  # invalid alone: applied with the next change
                step_plan = planned(variant, patches[:k])
                steps.append(
                    Step(
                        changes=tuple(p.name for p in patches[pending:k]),
                        plan=step_plan,
                        difference=difference(previous, step_plan),
                    )
                )
                previous, pending = step_plan, k
            final = previous
        else:
            final = planned(_patched(engagement, scenario, patches), patches)
        results.append(
            ScenarioResult(
                scenario=scenario,
                plan=final,
                difference=difference(base, final),
                steps=tuple(steps),
            )
        )
    comparison = compare(
        [base, *(r.plan for r in results)], names=["base", *(r.scenario.id for r in results)]
    )
    return WhatIf(base=base, results=tuple(results), comparison=comparison)
