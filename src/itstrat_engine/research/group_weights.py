"""Group and alternative objective weights, and how far a weight can move before a ranking.

- `group_weights`: several stakeholders' pairwise matrices over the business objectives,
  combined by the (weighted) geometric mean of their judgments entry by entry, the
  aggregation of individual judgments that keeps the combined matrix reciprocal (Aczel and
  Saaty 1983). A judgment a stakeholder left out (``0``) is left out of that entry's mean;
  an entry nobody judged stays missing (Harker's completion fills it, as for one matrix).
  Each stakeholder's own consistency ratio is reported against a settable `threshold`.
- Two weight methods for the combined matrix: ``eigenvector`` (Saaty's principal
  eigenvector, as `itstrat_engine.assessment.objective_weights` computes for a
  ``[pairwise]`` table) and ``row-geometric-mean`` (the normalized geometric mean of each
  row, Crawford and Williams 1985; it needs every judgment).
- `weight_stability`: for each business objective, how far its weight can move, down and
  up, before the top-k of the initiative ranking changes. The weight is scaled by a factor
  and the others rescaled to keep the sum at 1 (their ratios unchanged); the first factor
  on a geometric grid that changes the top-k set is refined by bisection to `tolerance`.

Every matrix goes through the engine's one AHP implementation (a variant engagement with
that ``[pairwise]`` table), so the checks (reciprocal, Saaty's scale, connected judgments)
and their messages are the same as for an engagement file, located at ``judge[k]`` (as in a judges file).
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import attrs

from itstrat_engine.assessment import Weights, objective_weights
from itstrat_engine.assessment.weights import _judgment  # the one parser of "1/3" judgments
from itstrat_engine.errors import InvalidEngagementError, InvalidValueError, Problem
from itstrat_engine.io import format_of, parse, read_text, structure_then
from itstrat_engine.model import Engagement, Pairwise
from itstrat_engine.rules import prioritize
from itstrat_engine.rules.evaluate import PackReference

__all__ = [
    "DEFAULT_CONSISTENCY_THRESHOLD",
    "GroupWeights",
    "Judge",
    "JudgeConsistency",
    "WeightStability",
    "group_weights",
    "load_judges",
    "weight_stability",
    "with_weights",
]

WeightMethod = Literal["eigenvector", "row-geometric-mean"]

DEFAULT_CONSISTENCY_THRESHOLD = 0.10
"""Saaty's consistency ratio limit: above it a matrix is called inconsistent."""


def _positive(_: object, attribute: "attrs.Attribute[float]", value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise InvalidValueError(attribute.name, value, "a finite number > 0")


@attrs.frozen(kw_only=True)
class Judge:
    """One stakeholder's pairwise matrix over the business objectives, in `objectives` order.

    `weight` is the stakeholder's say in the geometric mean (an exponent; default 1).
    """

    name: str
    objectives: tuple[str, ...]
    matrix: tuple[tuple[float | str, ...], ...]
    weight: float = attrs.field(default=1.0, validator=_positive)


@attrs.frozen(kw_only=True)
class _JudgesFile:
    judge: tuple[Judge, ...]


def load_judges(path: str | Path) -> tuple[Judge, ...]:
    """Read a judges file: ``[[judge]]`` tables of `name`, `objectives`, `matrix`, `weight`.

    Errors are located in it (``judges.toml: judge[1].matrix[0][2]: ...``).
    """
    path = Path(path)
    data = parse(read_text(path), format_of(path), str(path))
    return structure_then(data, _JudgesFile, lambda parsed: parsed.judge, str(path))


@attrs.frozen(kw_only=True)
class JudgeConsistency:
    """One stakeholder's own weights and consistency ratio (`consistent` by the threshold)."""

    name: str
    weights: dict[str, float]
    consistency_ratio: float
    consistent: bool


@attrs.frozen(kw_only=True)
class GroupWeights:
    """The combined matrix, its weights by `method`, and every stakeholder's consistency."""

    objectives: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]
    method: WeightMethod
    weights: dict[str, float]
    consistency_ratio: float
    consistent: bool
    threshold: float
    judges: tuple[JudgeConsistency, ...]

    def apply(self, engagement: Engagement) -> Engagement:
        """The engagement with these weights as direct business weights (no pairwise table)."""
        return with_weights(engagement, self.weights)


def with_weights(engagement: Engagement, weights: Mapping[str, float]) -> Engagement:
    """The engagement with direct weights on the named business objectives, no ``[pairwise]``."""
    objectives = tuple(
        attrs.evolve(o, weight=float(weights[o.id])) if o.id in weights else o
        for o in engagement.objectives
    )
    return attrs.evolve(engagement, objectives=objectives, pairwise=None)


def _assessed(engagement: Engagement, pairwise: Pairwise, where: str) -> Weights:
    """The engine's AHP on one matrix; its problems located at `where`."""
    try:
        return objective_weights(attrs.evolve(engagement, pairwise=pairwise))
    except InvalidEngagementError as error:
        raise InvalidEngagementError(
            [
                attrs.evolve(p, path=f"{where}.{p.path.removeprefix('pairwise.')}")
                for p in error.problems
            ]
        ) from None


def _aligned(judge: Judge, order: Sequence[str], where: str) -> list[list[float]]:
    """The judge's matrix as numbers, rows and columns in `order`."""
    if sorted(judge.objectives) != sorted(order):
        raise InvalidEngagementError(
            [
                Problem(
                    code="judge-objectives",
                    path=f"{where}.objectives",
                    message="a stakeholder must compare the same objectives as the others",
                    value=repr(list(judge.objectives)),
                    expected=f"the objectives {sorted(order)}",
                )
            ]
        )
    n = len(order)
    if len(judge.matrix) != n or any(len(row) != n for row in judge.matrix):
        raise InvalidEngagementError(
            [
                Problem(
                    code="not-square",
                    path=f"{where}.matrix",
                    message="the comparison matrix is not square over the listed objectives",
                    expected=f"{n} rows of {n} entries",
                )
            ]
        )
    position = {o: k for k, o in enumerate(judge.objectives)}
    return [
        [
            _judgment(
                judge.matrix[position[a]][position[b]],
                f"{where}.matrix[{position[a]}][{position[b]}]",
            )
            for b in order
        ]
        for a in order
    ]


def _row_geometric_mean(matrix: Sequence[Sequence[float]], ids: Sequence[str]) -> dict[str, float]:
    if any(v == 0 for row in matrix for v in row):
        raise InvalidEngagementError(
            [
                Problem(
                    code="missing-judgments",
                    path="judges",
                    message="the row geometric mean needs every judgment",
                    expected="no missing (0) entry in the combined matrix",
                    suggestion="use method='eigenvector', which completes missing judgments",
                )
            ]
        )
    means = [math.exp(math.fsum(math.log(v) for v in row) / len(row)) for row in matrix]
    total = math.fsum(means)
    return {ids[i]: means[i] / total for i in range(len(ids))}


def group_weights(
    engagement: Engagement,
    judges: Iterable[Judge],
    *,
    method: WeightMethod = "eigenvector",
    threshold: float = DEFAULT_CONSISTENCY_THRESHOLD,
) -> GroupWeights:
    """Combine stakeholders' pairwise judgments by their geometric mean; weigh the result.

    Raises `InvalidEngagementError` (located at ``judge[k]`` (as in a judges file)) for a matrix the engine's AHP
    refuses, for stakeholders comparing different objectives, or for missing judgments
    with the row geometric mean.

    >>> import itstrat_engine as it
    >>> e = it.from_dict({
    ...     "engagement": {"client": "C", "start": "2027-Q1", "periods": 2},
    ...     "objective": [{"id": "growth", "name": "Growth"}, {"id": "safety", "name": "Safety"}],
    ...     "capacity": {"budget": 100},
    ... })
    >>> ceo = Judge(name="ceo", objectives=("growth", "safety"), matrix=((1, 4), ("1/4", 1)))
    >>> cfo = Judge(name="cfo", objectives=("growth", "safety"), matrix=((1, 1), (1, 1)))
    >>> g = group_weights(e, [ceo, cfo])  # the geometric mean of 4 and 1 is 2: 2/3 and 1/3
    >>> [round(w, 4) for w in g.weights.values()]
    [0.6667, 0.3333]
    """
    judges = list(judges)
    if not judges:
        raise InvalidEngagementError(
            [Problem(code="no-judges", path="judges", message="no stakeholder matrices given")]
        )
    if not (math.isfinite(threshold) and threshold >= 0):
        raise InvalidEngagementError(
            [
                Problem(
                    code="invalid-threshold",
                    path="threshold",
                    message="the consistency threshold must be a number >= 0",
                    value=repr(threshold),
                    suggestion="Saaty's 0.10 is the usual limit",
                )
            ]
        )
    seen: dict[str, int] = {}
    for k, judge in enumerate(judges):
        if judge.name in seen:
            raise InvalidEngagementError(
                [
                    Problem(
                        code="duplicate-judge",
                        path=f"judge[{k}].name",
                        message=f"judge[{seen[judge.name]}] has the same name: the results "
                        "could not be told apart",
                        value=repr(judge.name),
                        expected="a name of its own for every judge",
                        suggestion="rename one, or merge the two matrices into one judge",
                    )
                ]
            )
        seen[judge.name] = k
    own = []
    for k, judge in enumerate(judges):
        # Checked in the judge's own order, so a problem points at the entry as written.
        try:
            pairwise = Pairwise(objectives=judge.objectives, matrix=judge.matrix)
        except InvalidValueError as error:  # located in the judge, as in a judges file
            raise InvalidEngagementError([error.problem(f"judge[{k}].{error.field}")]) from None
        judged = _assessed(engagement, pairwise, f"judge[{k}]")
        ratio = judged.consistency_ratio or 0.0
        own.append(
            JudgeConsistency(
                name=judge.name,
                weights={o: judged.weights[o] for o in judges[0].objectives},
                consistency_ratio=ratio,
                consistent=ratio <= threshold,
            )
        )
    order = judges[0].objectives
    numbers = [_aligned(j, order, f"judge[{k}]") for k, j in enumerate(judges)]
    n = len(order)
    combined: list[list[float]] = []
    for i in range(n):
        row = []
        for j in range(n):
            given = [(m[i][j], judge.weight) for m, judge in zip(numbers, judges, strict=True)]
            given = [(v, w) for v, w in given if v > 0]
            if not given:
                row.append(0.0)
                continue
            total = math.fsum(w for _, w in given)
            row.append(math.exp(math.fsum(w * math.log(v) for v, w in given) / total))
        combined.append(row)
    pairwise = Pairwise(objectives=order, matrix=tuple(tuple(r) for r in combined))
    assessed = _assessed(engagement, pairwise, "judge")
    weights = (
        _row_geometric_mean(combined, order)
        if method == "row-geometric-mean"
        else {o: assessed.weights[o] for o in order}
    )
    ratio = assessed.consistency_ratio or 0.0
    return GroupWeights(
        objectives=order,
        matrix=tuple(tuple(r) for r in combined),
        method=method,
        weights=weights,
        consistency_ratio=ratio,
        consistent=ratio <= threshold,
        threshold=threshold,
        judges=tuple(own),
    )


# --------------------------------------------------------------------------- stability


@attrs.frozen(kw_only=True)
class WeightStability:
    """How far one business objective's weight moves before the top-k changes.

    `weight` is its normalized weight now; `down` and `up` the normalized weights at which
    the top-k set first changes going down and up (None: it does not change anywhere in
    that direction, down to 0 or up to all the weight); `top` the top-k now.
    """

    objective: str
    weight: float
    down: float | None
    up: float | None
    top: tuple[str, ...]


def _scaled(weights: Mapping[str, float], objective: str, share: float) -> dict[str, float]:
    """`objective` at `share` of the total, the others keeping their ratios."""
    rest = math.fsum(w for o, w in weights.items() if o != objective)
    return {
        o: share if o == objective else (w / rest * (1 - share) if rest else 0.0)
        for o, w in weights.items()
    }


def weight_stability(
    engagement: Engagement,
    *,
    rules: PackReference | Iterable[PackReference] | None = None,
    params: Mapping[str, object] | None = None,
    top_k: int = 5,
    steps: int = 50,
    tolerance: float = 1e-4,
) -> tuple[WeightStability, ...]:
    """For each business objective, the weights (down, up) where the ranking's top-k changes.

    The ranking is `prioritize`'s with `rules` and `params` (default: the file's). Each
    direction is scanned on `steps` evenly spaced shares (down to 0, up to 1) and the first
    change refined by bisection to `tolerance`: a change between two grid points that
    changes back before the next is not seen. Packs that do not read the weights give
    None everywhere, which is the right answer.
    """
    if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
        raise InvalidEngagementError(
            [
                Problem(
                    code="invalid-top-k",
                    path="top_k",
                    message="top_k must be a whole number of at least 1",
                    value=repr(top_k),
                )
            ]
        )
    base = objective_weights(engagement).weights
    business = {o.id: base[o.id] for o in engagement.objectives if o.kind == "business"}

    def top(weights: Mapping[str, float]) -> frozenset[str]:
        ranked = prioritize(with_weights(engagement, weights), rules, params).initiatives
        return frozenset(s.id for s in ranked[:top_k])

    now = top(business)
    ranked_now = prioritize(with_weights(engagement, business), rules, params).initiatives
    found = []
    for objective, weight in business.items():
        ends: list[float | None] = []
        for target in (0.0, 1.0):
            previous = weight
            change = None
            for step in range(1, steps + 1):
                share = weight + (target - weight) * step / steps
                if top(_scaled(business, objective, share)) != now:
                    change = share
                    break
                previous = share
            if change is not None:
                same, other = previous, change
                while abs(other - same) > tolerance:
                    middle = (same + other) / 2
                    if top(_scaled(business, objective, middle)) != now:
                        other = middle
                    else:
                        same = middle
                change = other
            ends.append(change)
        found.append(
            WeightStability(
                objective=objective,
                weight=weight,
                down=ends[0],
                up=ends[1],
                top=tuple(s.id for s in ranked_now[:top_k]),
            )
        )
    return tuple(found)
