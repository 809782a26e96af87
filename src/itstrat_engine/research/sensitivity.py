"""`sensitivity`: how robust a roadmap is to rough estimates, rule params and weights.

Monte Carlo: each sample draws the uncertain inputs, plans again (a short time limit, one
thread) and records which initiatives the plan selects and when they start. What is drawn
(an `Uncertainty`, read from a sensitivity file by `load_uncertainty`):

- per initiative, ranges ``{low, mode, high}`` on ``cost``, ``run_cost``, ``value``,
  ``effort.SKILL`` and any free rule field (``business_value``), triangular or PERT
  (Beta with ``alpha = 1 + 4 (mode - low) / (high - low)``, ``beta = 1 + 4 (high - mode) /
  (high - low)``); for every other estimate named in `Uncertainty.on`, a global plus/minus
  `share` around the file's value (``mode`` the value, ``low``/``high`` value x (1 -/+
  share));
- every pack param, plus/minus `params` (a share) around its value, triangular;
- objective weights: direct weights plus/minus `weights`; with pairwise comparisons (AHP)
  each judgment above the diagonal is scaled by a factor whose logarithm is triangular on
  ``+/- log(1 + weights)`` (its mirror stays the reciprocal, within Saaty's 1/9 .. 9).

Reproducible by construction: sample k draws from ``numpy.random.default_rng([seed, k])``
in a fixed order (initiatives in file order, their keys sorted, then params sorted, then
weights), so a sample's inputs do not depend on the executor, the worker or the order the
samples finish in; results are collected in sample order. The same seed gives the same
output bytes, serially or on a cluster (`Sensitivity.as_dict` holds no run times).

The summary, over the samples that have a plan: for every initiative the probability it
is selected with a 95% Wilson interval, its class after the core index of Robust Portfolio
Modeling (Liesio, Mild and Salo 2007: *core* when selected in every sample, *exterior* in
none, *borderline* otherwise), the distribution of its start period; quantiles of the
plan's value; and a tornado of one-at-a-time effects: each param and each weight set to
its low and its high end with everything else as given, the plan's value at both ends.
A sample whose solve stopped at its limit without a proof is counted (`unproven`) and
kept; one without any plan (infeasible, no solution, an input the draw made invalid) is
counted and listed, never dropped silently.
"""

import copy
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, Literal, Unpack

import attrs
import numpy as np

from itstrat_engine.assessment.weights import _judgment  # the one parser of "1/3" judgments
from itstrat_engine.errors import (
    InvalidEngagementError,
    InvalidValueError,
    ItstratError,
    Problem,
    did_you_mean,
)
from itstrat_engine.io import format_of, from_dict, parse, read_text, structure_then, to_dict
from itstrat_engine.model import Engagement
from itstrat_engine.optimize.preparation import Overrides, prepare
from itstrat_engine.rules.evaluate import PackReference

__all__ = [
    "Inclusion",
    "Range",
    "Sensitivity",
    "TornadoBar",
    "Uncertainty",
    "load_uncertainty",
    "sensitivity",
    "uncertainty_from_dict",
    "wilson_interval",
]

Distribution = Literal["triangular", "pert"]
Estimate = Literal["cost", "run_cost", "value", "effort", "fields"]
Progress = Callable[[int, int], None]

DEFAULT_SAMPLE_TIME_LIMIT = 5.0
"""Seconds per sample's solve unless the call sets a time limit."""

_Z95 = 1.959963984540054  # the standard normal's 97.5% quantile
_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_SAATY = (1 / 9, 9.0)


def _non_negative(_: object, attribute: "attrs.Attribute[Any]", value: float) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise InvalidValueError(attribute.name, value, "a finite number >= 0")


def _share(_: object, attribute: "attrs.Attribute[Any]", value: float) -> None:
    if not (math.isfinite(value) and 0 <= value < 1):
        raise InvalidValueError(
            attribute.name,
            value,
            "a share from 0 to below 1",
            suggestion="0.2 for plus or minus 20%",
        )


def _distribution(_: object, attribute: "attrs.Attribute[Any]", value: str | None) -> None:
    if value is not None and value not in {"triangular", "pert"}:
        raise InvalidValueError(
            attribute.name,
            value,
            "'triangular' or 'pert'",
            suggestion=did_you_mean(value, ["triangular", "pert"]),
        )


@attrs.frozen(kw_only=True)
class Range:
    """An estimate's range: `low` <= `mode` <= `high`; `distribution` None follows the file's."""

    low: float = attrs.field(validator=_non_negative)
    mode: float = attrs.field(validator=_non_negative)
    high: float = attrs.field(validator=_non_negative)
    # A plain string checked here: the file converter reads optional Literals poorly.
    distribution: str | None = attrs.field(default=None, validator=_distribution)

    def __attrs_post_init__(self) -> None:
        """Refuse a range out of order."""
        if not self.low <= self.mode <= self.high:
            raise InvalidValueError(
                "mode",
                f"low={self.low:g}, mode={self.mode:g}, high={self.high:g}",
                "low <= mode <= high",
                message="the range is out of order",
            )

    def draw(self, rng: np.random.Generator, default: Distribution) -> float:
        """One value from the range (the mode itself when the range is a point)."""
        if self.high == self.low:
            return self.mode
        if (self.distribution or default) == "pert":
            width = self.high - self.low
            alpha = 1 + 4 * (self.mode - self.low) / width
            beta = 1 + 4 * (self.high - self.mode) / width
            return float(self.low + width * rng.beta(alpha, beta))
        return float(rng.triangular(self.low, self.mode, self.high))


@attrs.frozen(kw_only=True)
class Uncertainty:
    """What a sensitivity study draws (see the module docstring).

    `initiative` maps an initiative id to its ranges by key (``cost``, ``run_cost``,
    ``value``, ``effort.SKILL`` or a free field name); `share` is the global plus/minus
    share for the estimates named in `on` that have no range of their own; `params` and
    `weights` the plus/minus shares of pack params and objective weights.
    """

    initiative: dict[str, dict[str, Range]] = attrs.field(factory=dict)
    share: float = attrs.field(default=0.0, validator=_share)
    on: tuple[Estimate, ...] = ("cost", "effort")
    distribution: Distribution = "triangular"
    params: float = attrs.field(default=0.0, validator=_share)
    weights: float = attrs.field(default=0.0, validator=_share)
    source: str | None = attrs.field(default=None, eq=False)


@attrs.frozen(kw_only=True)
class _SensitivityHeader:
    share: float = attrs.field(default=0.0, validator=_share)
    on: tuple[Estimate, ...] = ("cost", "effort")
    distribution: Distribution = "triangular"
    params: float = attrs.field(default=0.0, validator=_share)
    weights: float = attrs.field(default=0.0, validator=_share)


@attrs.frozen(kw_only=True)
class _SensitivityFile:
    sensitivity: _SensitivityHeader = _SensitivityHeader()
    uncertainty: dict[str, dict[str, Range]] = attrs.field(factory=dict)


def uncertainty_from_dict(data: object, source: str | None = None) -> Uncertainty:
    """An `Uncertainty` from the plain data of a sensitivity file, strictly.

    >>> u = uncertainty_from_dict(
    ...     {"sensitivity": {"share": 0.2}, "uncertainty": {"erp": {"cost": {"low": 1, "mode": 2, "high": 4}}}}
    ... )
    >>> u.share, u.initiative["erp"]["cost"].high
    (0.2, 4.0)
    """

    def build(parsed: _SensitivityFile) -> Uncertainty:
        header = parsed.sensitivity
        return Uncertainty(
            initiative=parsed.uncertainty,
            share=header.share,
            on=header.on,
            distribution=header.distribution,
            params=header.params,
            weights=header.weights,
            source=source,
        )

    return structure_then(data, _SensitivityFile, build, source)


def load_uncertainty(path: str | Path) -> Uncertainty:
    """Read a sensitivity file (``[sensitivity]`` shares, ``[uncertainty.ID]`` ranges).

    Errors are located in it (``ranges.toml: uncertainty.erp.cost.mode: ...``).
    """
    path = Path(path)
    return uncertainty_from_dict(parse(read_text(path), format_of(path), str(path)), str(path))


# --------------------------------------------------------------------------- the draws


def _check_keys(engagement: Engagement, uncertainty: Uncertainty) -> None:
    """Every range names an initiative and one of its estimates; all problems at once."""
    problems = []
    by_id = engagement.initiative_by_id
    for item_id, ranges in uncertainty.initiative.items():
        if item_id not in by_id:
            problems.append(
                Problem(
                    code="unknown-initiative",
                    path=f"uncertainty.{item_id}",
                    message="no initiative has this id",
                    value=repr(item_id),
                    suggestion=did_you_mean(item_id, by_id),
                    file=uncertainty.source,
                )
            )
            continue
        item = by_id[item_id]
        known = ["cost", "run_cost", "value", *(f"effort.{s}" for s in item.effort), *item.fields]
        problems.extend(
            Problem(
                code="unknown-estimate",
                path=f"uncertainty.{item_id}.{key}",
                message=f"initiative {item_id!r} has no such estimate",
                value=repr(key),
                expected="one of " + ", ".join(known),
                suggestion=did_you_mean(key, known),
                file=uncertainty.source,
            )
            for key in ranges
            if key not in known
        )
    if problems:
        raise InvalidEngagementError(problems)


def _spread(value: float, share: float) -> Range:
    low, high = sorted((value * (1 - share), value * (1 + share)))
    return Range(low=max(low, 0.0), mode=max(value, 0.0), high=max(high, 0.0))


def _initiative_ranges(item: dict[str, Any], uncertainty: Uncertainty) -> dict[str, Range]:
    """Every range one initiative's draw uses, by key: its own, then the global share."""
    ranges = dict(uncertainty.initiative.get(item["id"], {}))
    if uncertainty.share > 0:
        estimates: list[tuple[str, float]] = []
        if "cost" in uncertainty.on:
            estimates.append(("cost", float(item.get("cost", 0.0))))
        if "run_cost" in uncertainty.on and float(item.get("run_cost", 0.0)) >= 0:
            estimates.append(("run_cost", float(item.get("run_cost", 0.0))))
        if "value" in uncertainty.on and item.get("value") is not None:
            estimates.append(("value", float(item["value"])))
        if "effort" in uncertainty.on:
            estimates += [(f"effort.{s}", float(h)) for s, h in item.get("effort", {}).items()]
        if "fields" in uncertainty.on:
            estimates += [(name, float(v)) for name, v in item.get("fields", {}).items()]
        for key, value in estimates:
            if key not in ranges and value != 0:
                ranges[key] = _spread(value, uncertainty.share)
    return dict(sorted(ranges.items()))


def _set_estimate(item: dict[str, Any], key: str, value: float) -> None:
    if key in {"cost", "run_cost", "value"}:
        item[key] = value
    elif key.startswith("effort."):
        item.setdefault("effort", {})[key.removeprefix("effort.")] = value
    else:
        item.setdefault("fields", {})[key] = value


def _weighted(data: dict[str, Any], factors: Mapping[str, float]) -> None:
    """Scale direct objective weights, or AHP judgments ``i/j`` (keeping reciprocals)."""
    pairwise = data.get("pairwise")
    if pairwise is not None:
        ids = list(pairwise["objectives"])
        matrix = [
            [_judgment(v, f"pairwise.matrix[{i}][{j}]") for j, v in enumerate(row)]
            for i, row in enumerate(pairwise["matrix"])
        ]
        for key, factor in factors.items():
            first, _, second = key.partition("/")
            i, j = ids.index(first), ids.index(second)
            if matrix[i][j] == 0:  # a missing judgment stays missing
                continue
            judged = min(max(matrix[i][j] * factor, _SAATY[0]), _SAATY[1])
            matrix[i][j], matrix[j][i] = judged, 1 / judged
        pairwise["matrix"] = matrix
        return
    for objective in data.get("objective", []):
        if objective["id"] in factors and objective.get("weight") is not None:
            objective["weight"] = float(objective["weight"]) * factors[objective["id"]]


def _weight_keys(engagement: Engagement) -> list[str]:
    """What a weight perturbation scales: judgments ``i/j`` above the diagonal, else ids."""
    if engagement.pairwise is not None:
        ids = engagement.pairwise.objectives
        return [f"{ids[i]}/{ids[j]}" for i in range(len(ids)) for j in range(i + 1, len(ids))]
    return [o.id for o in engagement.objectives if o.weight is not None and o.kind == "business"]


def _judgment_value(engagement: Engagement, key: str) -> float:
    """The judgment ``first/second`` as given (0 when left out)."""
    table = engagement.pairwise
    if table is None:  # pragma: no cover - only judgments of a pairwise table are keys
        return 0.0
    first, _, second = key.partition("/")
    i, j = table.objectives.index(first), table.objectives.index(second)
    return _judgment(table.matrix[i][j], f"pairwise.matrix[{i}][{j}]")


@attrs.frozen(kw_only=True)
class _Task:
    """One plan of the study, as plain picklable data: a sample or a tornado end.

    A sample (`draw`) draws from ``default_rng([seed, index])``; a tornado end applies
    `param_values` and `weight_factors` as given and draws nothing.
    """

    index: int
    seed: int
    draw: bool
    data: dict[str, Any]
    source: str | None
    rules: tuple[PackReference, ...] | None
    params: dict[str, float]
    uncertainty: Uncertainty
    overrides: dict[str, Any]
    weight_keys: tuple[str, ...] = ()
    param_values: dict[str, float] = attrs.field(factory=dict)
    weight_factors: dict[str, float] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class _Outcome:
    index: int
    status: str
    value: float | None
    schedule: dict[str, int]
    message: str = ""


def _run_task(task: _Task) -> _Outcome:
    """Draw (or set) the inputs of one plan, plan it, and keep what the summary needs."""
    from itstrat_engine.optimize.planner import plan  # noqa: PLC0415 - loads the solvers

    data = copy.deepcopy(task.data)  # the task's own: a draw never edits another's
    params = dict(task.params)
    factors = dict(task.weight_factors)
    params.update(task.param_values)
    if task.draw:
        rng = np.random.default_rng([task.seed, task.index])
        u = task.uncertainty
        for item in data.get("initiative", []):
            for key, ranged in _initiative_ranges(item, u).items():
                _set_estimate(item, key, ranged.draw(rng, u.distribution))
        if u.params > 0:
            for key in sorted(params):
                params[key] = float(rng.triangular(*_ends(params[key], u.params)))
        if u.weights > 0:
            for key in task.weight_keys:
                factors[key] = _weight_factor(rng, u.weights)
    _weighted(data, factors)
    try:
        engagement = from_dict(data, task.source)
        result = plan(engagement, rules=task.rules, params=params or None, **task.overrides)
    except ItstratError as error:
        message = "; ".join(str(p) for p in error.located(task.source)) or str(error)
        return _Outcome(index=task.index, status="error", value=None, schedule={}, message=message)
    return _Outcome(
        index=task.index,
        status=result.status.value,
        value=result.objective_value if result.status.has_plan else None,
        schedule=dict(sorted(result.schedule.items())),
        message="" if result.status.has_plan else result.message,
    )


def _ends(value: float, share: float) -> tuple[float, float, float]:
    low, high = sorted((value * (1 - share), value * (1 + share)))
    return low, value, high


def _weight_factor(rng: np.random.Generator, share: float) -> float:
    # Symmetric in log space: x1.25 and /1.25 are as likely (a judgment is a ratio).
    span = math.log1p(share)
    return math.exp(float(rng.triangular(-span, 0.0, span)))


# --------------------------------------------------------------------------- the summary


def wilson_interval(successes: int, trials: int, z: float = _Z95) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion (95% by default).

    >>> [round(x, 4) for x in wilson_interval(10, 10)]
    [0.7225, 1.0]
    """
    if trials <= 0:
        return (0.0, 1.0)
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    # At 0 or n successes the interval touches the end exactly (no rounding residue).
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return (low, high)


Klass = Literal["core", "borderline", "exterior"]


@attrs.frozen(kw_only=True)
class Inclusion:
    """One initiative over the samples with a plan: how often selected, and when it starts.

    `starts` counts the samples by start period label (in period order).
    """

    id: str
    name: str
    selected: int
    samples: int
    probability: float | None
    low: float
    high: float
    klass: Klass | None
    starts: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "id": self.id,
            "name": self.name,
            "selected": self.selected,
            "samples": self.samples,
            "probability": self.probability,
            "interval": [self.low, self.high],
            "class": self.klass,
            "starts": dict(self.starts),
        }


@attrs.frozen(kw_only=True)
class TornadoBar:
    """One input set to its low and its high end, everything else as given.

    `kind` is ``param`` (a pack param ``pack.name``), ``weight`` (an objective's direct
    weight) or ``judgment`` (an AHP judgment ``first/second``); `low` and `high` the input
    at both ends; `value_low` and `value_high` the plan's value there (None without a
    plan); `swing` their distance; `changed` the initiatives whose selection differs from
    the base plan at either end.
    """

    kind: str
    key: str
    base: float
    low: float
    high: float
    value_low: float | None
    value_high: float | None
    swing: float | None
    changed: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "kind": self.kind,
            "key": self.key,
            "base": self.base,
            "low": self.low,
            "high": self.high,
            "value_low": self.value_low,
            "value_high": self.value_high,
            "swing": self.swing,
            "changed": list(self.changed),
        }


@attrs.frozen(kw_only=True)
class Sensitivity:
    """The result of `sensitivity` (see the module docstring).

    `planned` samples have a plan (`unproven` of them stopped at their limit without a
    proof); `failed` lists ``(sample, status, message)`` for the others. `quantiles` maps
    ``"5%"`` .. ``"95%"`` to the plan value's quantiles (empty without any plan);
    `base_value` and `base_status` are those of the plan of the inputs as given.
    """

    samples: int
    seed: int
    planned: int
    unproven: int
    failed: tuple[tuple[int, str, str], ...]
    base_status: str
    base_value: float | None
    base_selected: tuple[str, ...]
    inclusions: tuple[Inclusion, ...]
    quantiles: dict[str, float]
    tornado: tuple[TornadoBar, ...]
    uncertainty: Uncertainty

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, free of run times: the same seed gives the same data."""
        u = self.uncertainty
        return {
            "samples": self.samples,
            "seed": self.seed,
            "planned": self.planned,
            "unproven": self.unproven,
            "failed": [{"sample": k, "status": s, "message": m} for k, s, m in self.failed],
            "base": {
                "status": self.base_status,
                "objective_value": self.base_value,
                "selected": list(self.base_selected),
            },
            "uncertainty": {
                "share": u.share,
                "on": list(u.on),
                "distribution": u.distribution,
                "params": u.params,
                "weights": u.weights,
                "ranges": {
                    item: {
                        key: {"low": r.low, "mode": r.mode, "high": r.high}
                        | ({"distribution": r.distribution} if r.distribution else {})
                        for key, r in sorted(ranges.items())
                    }
                    for item, ranges in sorted(u.initiative.items())
                },
            },
            "initiatives": [i.as_dict() for i in self.inclusions],
            "value_quantiles": dict(self.quantiles),
            "tornado": [bar.as_dict() for bar in self.tornado],
        }


def _inclusions(engagement: Engagement, outcomes: Sequence[_Outcome]) -> tuple[Inclusion, ...]:
    planned = [o for o in outcomes if o.value is not None]
    labels = engagement.scope.labels
    rows = []
    for item in engagement.initiatives:
        starts = [o.schedule[item.id] for o in planned if item.id in o.schedule]
        n, k = len(planned), len(starts)
        low, high = wilson_interval(k, n)
        klass: Klass | None = None
        if n:
            klass = "core" if k == n else "exterior" if k == 0 else "borderline"
        rows.append(
            Inclusion(
                id=item.id,
                name=item.name,
                selected=k,
                samples=n,
                probability=k / n if n else None,
                low=low,
                high=high,
                klass=klass,
                starts={labels[s]: starts.count(s) for s in sorted(set(starts))},
            )
        )
    return tuple(rows)


def _collect(
    tasks: Sequence[_Task], executor: Executor | None, progress: Progress | None
) -> list[_Outcome]:
    """Run the tasks (serially without an executor), the outcomes in task order."""
    outcomes: list[_Outcome] = []
    if executor is None:
        for task in tasks:
            outcomes.append(_run_task(task))
            if progress is not None:
                progress(len(outcomes), len(tasks))
        return outcomes
    futures = [executor.submit(_run_task, task) for task in tasks]
    for future in futures:
        outcomes.append(future.result())
        if progress is not None:
            progress(len(outcomes), len(tasks))
    return outcomes


def _samples_problem(samples: object, seed: object) -> None:
    problems = []
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        problems.append(
            Problem(
                code="invalid-samples",
                path="samples",
                message="the number of samples must be a whole number of at least 1",
                value=repr(samples),
            )
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        problems.append(
            Problem(
                code="invalid-seed",
                path="seed",
                message="the seed must be a whole number >= 0",
                value=repr(seed),
            )
        )
    if problems:
        raise InvalidEngagementError(problems)


def sensitivity(
    engagement: Engagement,
    *,
    samples: int = 100,
    seed: int = 0,
    uncertainty: Uncertainty | None = None,
    rules: PackReference | Iterable[PackReference] | None = None,
    params: Mapping[str, object] | None = None,
    tornado: bool = True,
    executor: Executor | None = None,
    progress: Progress | None = None,
    **overrides: Unpack[Overrides],
) -> Sensitivity:
    """Monte Carlo robustness of the roadmap: inclusion probabilities, classes, a tornado.

    `uncertainty` says what is drawn (an error when it draws nothing); `rules`, `params` and `overrides` are `plan`'s; each plan gets
    ``time_limit`` seconds (default `DEFAULT_SAMPLE_TIME_LIMIT`) and one thread. `executor`
    is any `concurrent.futures.Executor` (a process pool, a dask client's
    ``get_executor()``); without one the samples run here, one after the other. `progress`
    is called with (done, total) after each plan. Raises `InvalidEngagementError` for
    invalid input (a range naming an unknown initiative or estimate, located in the
    engagement or its sensitivity file).

    >>> import itstrat_engine as it
    >>> u = Uncertainty(share=0.3)
    >>> result = sensitivity(it.generate(6, seed=2), samples=4, seed=1, uncertainty=u, time_limit=5)
    >>> result.planned, sorted({i.klass for i in result.inclusions}) <= ["borderline", "core", "exterior"]
    (4, True)
    """
    _samples_problem(samples, seed)
    uncertainty = uncertainty or Uncertainty()
    if not (
        uncertainty.initiative or uncertainty.share or uncertainty.params or uncertainty.weights
    ):
        raise InvalidEngagementError(
            [
                Problem(
                    code="nothing-uncertain",
                    path="sensitivity",
                    message="nothing is uncertain: every sample would be the same plan",
                    expected="ranges, a share, a params share or a weights share",
                    suggestion="give --share 0.2 (plus/minus 20% on costs and effort) "
                    "or a --ranges file",
                )
            ]
        )
    _check_keys(engagement, uncertainty)
    settings: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    settings.setdefault("time_limit", DEFAULT_SAMPLE_TIME_LIMIT)
    settings["threads"] = 1
    if rules is None:
        rule_list: tuple[PackReference, ...] | None = None
    elif isinstance(rules, str | Path) or not isinstance(rules, Iterable):
        rule_list = (rules,)
    else:
        rule_list = tuple(rules)
    # Prepared here once: invalid input fails before any task starts, and it names the
    # params the packs declare (their values are what a draw perturbs).
    base = prepare(engagement, rules=rule_list, params=params, **settings)
    base_params = dict(sorted(base.prioritization.params.items()))
    data = to_dict(engagement)
    weight_keys = tuple(_weight_keys(engagement))

    def task(index: int, *, draw: bool, **fixed: dict[str, float]) -> _Task:
        return _Task(
            index=index,
            seed=seed,
            draw=draw,
            data=data,
            source=engagement.source,
            rules=rule_list,
            params=base_params,
            uncertainty=uncertainty,
            overrides=settings,
            weight_keys=weight_keys,
            **fixed,
        )

    tasks = [task(k, draw=True) for k in range(samples)]
    tasks.append(task(samples, draw=False))  # the base plan, through the same path
    ends: list[tuple[str, str, float, float, float]] = []
    if tornado:
        ends += [
            ("param", key, value, *_ends(value, uncertainty.params)[::2])
            for key, value in base_params.items()
            if uncertainty.params > 0
        ]
        kind = "judgment" if engagement.pairwise is not None else "weight"
        by_id = {o.id: o for o in engagement.objectives}
        ends += [
            (
                kind,
                key,
                _judgment_value(engagement, key)
                if kind == "judgment"
                else float(by_id[key].weight or 0.0),
                # a judgment is a ratio: divided and multiplied by the same factor
                *(
                    (1 / (1 + uncertainty.weights), 1 + uncertainty.weights)
                    if kind == "judgment"
                    else _ends(1.0, uncertainty.weights)[::2]
                ),
            )
            for key in weight_keys
            if uncertainty.weights > 0
        ]
    for k, (kind, key, _, low, high) in enumerate(ends):
        for end, amount in enumerate((low, high)):
            index = samples + 1 + 2 * k + end
            if kind == "param":
                tasks.append(task(index, draw=False, param_values={key: amount}))
            else:
                tasks.append(task(index, draw=False, weight_factors={key: amount}))
    outcomes = _collect(tasks, executor, progress)
    drawn, base_outcome, tornado_outcomes = (
        outcomes[:samples],
        outcomes[samples],
        outcomes[samples + 1 :],
    )
    base_selected = set(base_outcome.schedule)
    bars = []
    for k, (kind, key, base_input, low, high) in enumerate(ends):
        at_low, at_high = tornado_outcomes[2 * k], tornado_outcomes[2 * k + 1]
        changed = sorted(
            (set(at_low.schedule) ^ base_selected) | (set(at_high.schedule) ^ base_selected)
        )
        swing = (
            abs(at_high.value - at_low.value)
            if at_low.value is not None and at_high.value is not None
            else None
        )
        shown_low, shown_high = (
            (low, high) if kind == "param" else (base_input * low, base_input * high)
        )
        bars.append(
            TornadoBar(
                kind=kind,
                key=key,
                base=base_input,
                low=shown_low,
                high=shown_high,
                value_low=at_low.value,
                value_high=at_high.value,
                swing=swing,
                changed=tuple(changed),
            )
        )
    bars.sort(key=lambda b: (-(b.swing or 0.0), -len(b.changed), b.kind, b.key))
    values = np.array([o.value for o in drawn if o.value is not None], dtype=np.float64)
    quantiles = (
        {
            f"{round(q * 100)}%": float(v)
            for q, v in zip(_QUANTILES, np.quantile(values, _QUANTILES), strict=True)
        }
        if values.size
        else {}
    )
    return Sensitivity(
        samples=samples,
        seed=seed,
        planned=int(values.size),
        unproven=sum(o.status == "feasible" for o in drawn),
        failed=tuple((o.index, o.status, o.message) for o in drawn if o.value is None),
        base_status=base_outcome.status,
        base_value=base_outcome.value,
        base_selected=tuple(sorted(base_selected)),
        inclusions=_inclusions(engagement, drawn),
        quantiles=quantiles,
        tornado=tuple(bars),
        uncertainty=uncertainty,
    )
