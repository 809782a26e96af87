"""Compare any number of plans: what changes against the first, in decisions and in numbers.

`compare(plans)` takes the first plan as the base and says, for every other one, which
initiatives it adds, drops or moves (by how many periods, on the calendar, so plans whose
horizons start in different periods compare correctly) and which are unchanged; how its
objective value differs (exact only when both plans are proven optimal, otherwise the
interval their bounds allow); spend and budget per period; hours per skill; and which
selected initiatives serve each business objective. Plans come from `plan`, from a
scenario, or read back from files with `load_plan`.
"""

import math
from collections.abc import Sequence
from typing import Any

import attrs

from itstrat_engine.errors import InvalidPlanError, Problem
from itstrat_engine.graph import StrategyGraph
from itstrat_engine.optimize.result import Plan, Status

__all__ = ["Comparison", "Delta", "Difference", "InitiativeRow", "compare", "difference"]

_MAXIMIZED = frozenset({"value", "coverage", "npv"})


@attrs.frozen(kw_only=True)
class Delta:
    """A difference of two objective values: exact (`proven`) or the interval bounds allow.

    `low` or `high` is None when a side has no bound (nothing proves how far it can go).
    """

    low: float | None
    high: float | None
    proven: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"low": self.low, "high": self.high, "proven": self.proven}

    @property
    def text(self) -> str:
        """``+120`` when proven, ``+80..+120 (not proven)`` otherwise."""
        if self.proven and self.low is not None:
            return f"{self.low:+,.6g}"
        low = "?" if self.low is None else f"{self.low:+,.6g}"
        high = "?" if self.high is None else f"{self.high:+,.6g}"
        return f"{low}..{high} (not proven)"


@attrs.frozen(kw_only=True)
class Difference:
    """One plan against another: initiatives added, dropped and moved, and the value change.

    `moved` holds ``(id, from label, to label, periods later)`` (negative: earlier; None
    when the plans count periods differently, quarters against months). `value`
    is None when the two plans optimize different objectives or one has no plan.
    """

    added: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    moved: tuple[tuple[str, str, str, int | None], ...] = ()
    value: Delta | None = None

    @property
    def empty(self) -> bool:
        """Whether the roadmap is the same (the value may still differ)."""
        return not (self.added or self.dropped or self.moved)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "added": list(self.added),
            "dropped": list(self.dropped),
            "moved": [{"id": i, "from": a, "to": b, "by": k} for i, a, b, k in self.moved],
            "value": None if self.value is None else self.value.as_dict(),
        }

    def parts(self) -> list[str]:
        """The roadmap changes as phrases: ``adds a, b``, ``moves c 2027-Q1->2027-Q3, d ...``."""
        parts = [f"adds {', '.join(self.added)}"] if self.added else []
        parts += [f"drops {', '.join(self.dropped)}"] if self.dropped else []
        if self.moved:
            parts.append("moves " + ", ".join(f"{i} {a}->{b}" for i, a, b, _ in self.moved))
        return parts


def _range(plan: Plan) -> tuple[float, float] | None:
    """Where the true optimum lies, as (low, high); None without a plan."""
    if not plan.status.has_plan or plan.objective_value is None:
        return None
    value, bound = plan.objective_value, plan.best_bound
    if plan.status == Status.OPTIMAL:
        return value, value
    if plan.objective in _MAXIMIZED:
        return value, math.inf if bound is None else max(value, bound)
    return -math.inf if bound is None else min(value, bound), value


def _shift(base: Plan, other: Plan, start: str, end: str) -> int | None:
    """How many periods later `end` is than `start` (None across period kinds)."""
    first, second = base.engagement.scope, other.engagement.scope
    if first.period != second.period:
        return None
    return second.calendar_index(end) - first.calendar_index(start)


def value_delta(base: Plan, other: Plan) -> Delta | None:
    """`other`'s optimum minus `base`'s: exact when both are proven, else an interval."""
    if base.objective != other.objective:
        return None
    first, second = _range(base), _range(other)
    if first is None or second is None:
        return None
    low, high = second[0] - first[1], second[1] - first[0]
    return Delta(
        low=low if math.isfinite(low) else None,
        high=high if math.isfinite(high) else None,
        proven=base.status == other.status == Status.OPTIMAL,
    )


def difference(base: Plan, other: Plan, *, ignore: Sequence[str] = ()) -> Difference:
    """What `other` changes against `base` (initiatives in `ignore` left out of the lists)."""
    before = {i: s for i, s in base.schedule.items() if i not in ignore}
    after = {i: s for i, s in other.schedule.items() if i not in ignore}
    moved = []
    for item_id in sorted(set(before) & set(after)):
        start, end = base.periods[before[item_id]], other.periods[after[item_id]]
        if start != end:
            moved.append((item_id, start, end, _shift(base, other, start, end)))
    return Difference(
        added=tuple(sorted(set(after) - set(before))),
        dropped=tuple(sorted(set(before) - set(after))),
        moved=tuple(moved),
        value=value_delta(base, other),
    )


@attrs.frozen(kw_only=True)
class InitiativeRow:
    """One initiative across the plans: its start label in each (None: not in it)."""

    id: str
    name: str
    starts: tuple[str | None, ...]

    @property
    def changed(self) -> bool:
        """Whether any plan differs from the first for it."""
        return len(set(self.starts)) > 1

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"id": self.id, "name": self.name, "starts": list(self.starts)}


@attrs.frozen(kw_only=True)
class Comparison:
    """Plans side by side (see the module docstring); the first is the base.

    `differences[k]` compares plan ``k + 1`` with the base. `spend` and `budget` have one
    row per plan over `periods` (the calendar union of the horizons; None where a plan's
    horizon does not reach, or a budget is unlimited); `hours` maps a skill to the hours
    each plan uses over its horizon; `objectives` maps each business objective to the
    selected initiatives serving it, per plan.
    """

    names: tuple[str, ...]
    plans: tuple[Plan, ...] = attrs.field(repr=False, eq=False)
    differences: tuple[Difference, ...]
    initiatives: tuple[InitiativeRow, ...]
    periods: tuple[str, ...]
    spend: tuple[tuple[float | None, ...], ...]
    budget: tuple[tuple[float | None, ...], ...]
    hours: dict[str, tuple[float, ...]]
    objectives: dict[str, tuple[tuple[str, ...], ...]]
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the keys of ``itstrat compare --format json``)."""
        return {
            "plans": [
                {
                    "name": name,
                    "status": plan.status.value,
                    "objective": plan.objective,
                    "objective_value": plan.objective_value,
                    "best_bound": plan.best_bound,
                    "total_spend": plan.total_spend,
                    "selected": sorted(plan.schedule),
                }
                for name, plan in zip(self.names, self.plans, strict=True)
            ],
            "differences": [
                {"name": name, **d.as_dict()}
                for name, d in zip(self.names[1:], self.differences, strict=True)
            ],
            "initiatives": [row.as_dict() for row in self.initiatives],
            "periods": list(self.periods),
            "spend": {name: list(row) for name, row in zip(self.names, self.spend, strict=True)},
            "budget": {name: list(row) for name, row in zip(self.names, self.budget, strict=True)},
            "hours": {skill: list(row) for skill, row in self.hours.items()},
            "objectives": {
                objective: {name: list(ids) for name, ids in zip(self.names, rows, strict=True)}
                for objective, rows in self.objectives.items()
            },
            "notes": list(self.notes),
        }


def compare(plans: Sequence[Plan], names: Sequence[str] | None = None) -> Comparison:
    """Compare plans against the first (see the module docstring).

    `names` label the plans (default ``plan 1``, ``plan 2``, ...); they must be distinct.
    Raises `InvalidPlanError` for fewer than two plans or a wrong number of names.

    >>> import attrs, itstrat_engine as it
    >>> e = it.generate(8, seed=3)
    >>> lean = attrs.evolve(e, capacity=attrs.evolve(e.capacity, budget=e.capacity.budget / 2))
    >>> c = it.compare([it.plan(e), it.plan(lean)], names=["base", "lean"])
    >>> c.differences[0].value.proven, c.differences[0].value.high <= 0
    (True, True)
    """
    labels = (
        tuple(names) if names is not None else tuple(f"plan {k + 1}" for k in range(len(plans)))
    )
    if len(plans) < 2 or len(labels) != len(plans) or len(set(labels)) != len(labels):
        raise InvalidPlanError(
            [
                Problem(
                    code="compare-arguments",
                    path="plans",
                    message="compare needs two or more plans, each with its own name",
                    value=f"{len(plans)} plan(s), names {list(labels)!r}",
                    expected="at least two plans and one distinct name per plan",
                    suggestion="name each plan once (e.g. by its file name)",
                )
            ]
        )
    base = plans[0]
    return Comparison(
        names=labels,
        plans=tuple(plans),
        differences=tuple(difference(base, other) for other in plans[1:]),
        initiatives=_initiatives(plans),
        periods=(periods := _calendar(plans)),
        spend=tuple(_per_period(plan, periods, "spend") for plan in plans),
        budget=tuple(_per_period(plan, periods, "budget") for plan in plans),
        hours=_hours(plans),
        objectives=_objectives(plans),
        notes=_notes(plans, labels),
    )


def _scoring(plan: Plan) -> tuple[tuple[str, ...], tuple[tuple[str, float], ...]]:
    prioritization = plan.prioritization
    return tuple(p.id for p in prioritization.packs), tuple(sorted(prioritization.params.items()))


def _notes(plans: Sequence[Plan], names: Sequence[str]) -> tuple[str, ...]:
    """What makes a value difference apples against oranges."""
    base = plans[0]
    notes = []
    for name, plan in zip(names[1:], plans[1:], strict=True):
        if plan.objective != base.objective:
            notes.append(
                f"{name} optimizes {plan.objective}, {names[0]} {base.objective}: "
                "their objective values are not compared"
            )
        elif _scoring(plan) != _scoring(base):
            packs = ", ".join(_scoring(plan)[0]) or "no packs"
            notes.append(
                f"{name} is scored by other rule packs or params ({packs}) than {names[0]}: "
                "its values are on another scale"
            )
    return tuple(notes)


def _initiatives(plans: Sequence[Plan]) -> tuple[InitiativeRow, ...]:
    """Every initiative of any plan, in the first plan's file order, then the others'."""
    names: dict[str, str] = {}
    for plan in plans:
        for item in plan.engagement.initiatives:
            names.setdefault(item.id, item.name)
    return tuple(
        InitiativeRow(
            id=item_id,
            name=name,
            starts=tuple(
                plan.periods[plan.schedule[item_id]] if item_id in plan.schedule else None
                for plan in plans
            ),
        )
        for item_id, name in names.items()
    )


def _calendar(plans: Sequence[Plan]) -> tuple[str, ...]:
    """The period labels of all horizons, in calendar order (one period kind: label order)."""
    labels = sorted({label for plan in plans for label in plan.periods})  # a fixed order
    kinds = {plan.engagement.scope.period for plan in plans}
    if len(kinds) == 1:
        scope = plans[0].engagement.scope
        return tuple(sorted(labels, key=scope.calendar_index))
    return tuple(dict.fromkeys(label for plan in plans for label in plan.periods))


def _per_period(plan: Plan, periods: Sequence[str], key: str) -> tuple[float | None, ...]:
    by_label = {use.label: getattr(use, key) for use in plan.usage}
    return tuple(by_label.get(label) for label in periods)


def _hours(plans: Sequence[Plan]) -> dict[str, tuple[float, ...]]:
    skills = sorted({skill for plan in plans for use in plan.usage for skill in use.skills})
    return {
        skill: tuple(
            math.fsum(use.skills[skill].used for use in plan.usage if skill in use.skills)
            for plan in plans
        )
        for skill in skills
    }


def _objectives(plans: Sequence[Plan]) -> dict[str, tuple[tuple[str, ...], ...]]:
    served: dict[str, list[tuple[str, ...]]] = {}
    for k, plan in enumerate(plans):
        graph = StrategyGraph(plan.engagement)
        for objective in plan.engagement.objectives:
            if objective.kind != "business":
                continue
            row = served.setdefault(objective.id, [()] * len(plans))
            row[k] = tuple(i for i in graph.served_by(objective.id) if i in plan.schedule)
    return {objective: tuple(rows) for objective, rows in served.items()}
