"""Objective weights: direct, or from pairwise comparisons (AHP), cascaded to IT objectives.

Business objectives are weighted one of three ways:

- **pairwise**: when the engagement has a ``[pairwise]`` table, the weights are the principal
  eigenvector of its comparison matrix (Saaty's AHP), normalized to sum to 1. The matrix
  must be reciprocal (``a[j][i] == 1 / a[i][j]``) with judgments on Saaty's 1/9..9 scale
  and 1 on the diagonal. A judgment left out is written ``0`` (in both ``a[i][j]`` and
  ``a[j][i]``) and completed by Harker's method: each missing entry is dropped from its row
  and the diagonal entry of that row is raised by one, which yields the weights the given
  judgments imply. The given judgments must connect every objective to every other
  (directly or through others); an objective compared with nothing, or groups of
  objectives never compared with each other, are errors. The consistency index is
  ``CI = (lambda_max - n) / (n - 1)`` and the consistency ratio ``CR = CI / RI(n)`` with
  Saaty's random index; CR above 0.10 gives a warning naming the judgments furthest from
  what the weights imply. The eigenvector is certified: the ratios ``(A w)_i / w_i`` agree
  to `EIGEN_TOLERANCE` (relative), else the weights are an error, never a silent result.
- **direct**: every business objective has a ``weight``; they are divided by their sum.
- **equal**: no business objective has a weight; each gets ``1 / n``.

IT objectives take weight through the business objectives they support (the cascade): each
business objective's weight is shared among the IT objectives that support it, in proportion
to the IT objectives' own ``weight`` (1 when not given), so an IT objective's weight is the
sum of its shares. IT weights therefore sum to the total weight of the business objectives
that have IT support (at most 1).
"""

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

import attrs
import numpy as np

from itstrat_engine.errors import InvalidEngagementError, Problem
from itstrat_engine.model import Engagement

__all__ = ["EIGEN_TOLERANCE", "RANDOM_INDEX", "Weights", "objective_weights"]

RANDOM_INDEX = (
    0.0,
    0.0,
    0.0,
    0.58,
    0.90,
    1.12,
    1.24,
    1.32,
    1.41,
    1.45,
    1.49,
    1.51,
    1.48,
    1.56,
    1.57,
    1.59,
)
"""Saaty's random consistency index by matrix size (index n; 0 for n <= 2)."""

_CR_LIMIT = 0.10
EIGEN_TOLERANCE = 1e-10
"""Largest relative spread of ``(A w)_i / w_i`` accepted for AHP weights ``w``."""
_RECIPROCAL_TOLERANCE = 0.02  # "1/3" written as 0.33 is still reciprocal


@attrs.frozen(kw_only=True)
class Weights:
    """Normalized objective weights and how they were obtained.

    `weights` covers every objective (business weights sum to 1); for pairwise weights,
    `lambda_max`, `consistency_index` and `consistency_ratio` describe the matrix and
    `completed` holds the matrix with missing judgments filled in.
    """

    weights: dict[str, float]
    method: Literal["pairwise", "direct", "equal"]
    lambda_max: float | None = None
    consistency_index: float | None = None
    consistency_ratio: float | None = None
    completed: tuple[tuple[float, ...], ...] | None = None
    warnings: tuple[Problem, ...] = ()

    @property
    def consistent(self) -> bool:
        """True unless pairwise judgments have a consistency ratio above 0.10."""
        return self.consistency_ratio is None or self.consistency_ratio <= _CR_LIMIT


def objective_weights(engagement: Engagement) -> Weights:
    """The normalized weight of every objective of an engagement.

    Raises `InvalidEngagementError` naming the judgment pair for a non-reciprocal or
    out-of-scale comparison matrix, and when all direct weights are zero.

    >>> from itstrat_engine.io import from_dict
    >>> e = from_dict({"engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
    ...     "objective": [{"id": "a", "name": "A", "weight": 3}, {"id": "b", "name": "B", "weight": 1}]})
    >>> objective_weights(e).weights
    {'a': 0.75, 'b': 0.25}
    """
    business = [o for o in engagement.objectives if o.kind == "business"]
    if engagement.pairwise is not None:
        result = _pairwise(engagement, [o.id for o in business])
    else:
        result = _direct(engagement)
    return attrs.evolve(result, weights=_cascade(engagement, result.weights))


def _error(
    path: str,
    message: str,
    *,
    value: str | None = None,
    expected: str | None = None,
    suggestion: str | None = None,
) -> InvalidEngagementError:
    problem = Problem(
        code="invalid-weights",
        path=path,
        message=message,
        value=value,
        expected=expected,
        suggestion=suggestion,
    )
    return InvalidEngagementError([problem])


def _direct(engagement: Engagement) -> Weights:
    business = [(i, o) for i, o in enumerate(engagement.objectives) if o.kind == "business"]
    if not business:
        return Weights(weights={}, method="equal")
    given = [o for _, o in business if o.weight is not None]
    if not given:
        return Weights(weights={o.id: 1 / len(business) for _, o in business}, method="equal")
    if len(given) < len(business):
        index, missing = next((i, o) for i, o in business if o.weight is None)
        raise _error(
            f"objective[{index}].weight",
            f"business objective {missing.id!r} has no weight while others have one",
            expected="a weight on every business objective, or on none (equal weights)",
            suggestion="add weight = ... or use a [pairwise] comparison",
        )
    total = math.fsum(o.weight or 0.0 for o in given)
    if total <= 0:
        raise _error(
            "objective",
            "all business objective weights are zero",
            expected="at least one positive weight",
            suggestion="give the most important objective a positive weight",
        )
    return Weights(weights={o.id: (o.weight or 0.0) / total for _, o in business}, method="direct")


def _judgment(value: float | str, path: str) -> float:
    if isinstance(value, str):
        try:
            number = float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            raise _error(
                path,
                "unreadable judgment",
                value=repr(value),
                expected="a number or a fraction like '1/3'",
            ) from None
    else:
        number = float(value)
    if number != 0 and not (1 / 9 - 1e-9 <= number <= 9 + 1e-9):
        raise _error(
            path,
            "judgment outside Saaty's scale",
            value=repr(value),
            expected="1/9 .. 9, or 0 for a missing judgment",
        )
    return number


def _pairwise(engagement: Engagement, business: Sequence[str]) -> Weights:
    table = engagement.pairwise
    if table is None:  # pragma: no cover - checked by the caller
        raise ValueError("no pairwise table")
    ids = list(table.objectives)
    if sorted(ids) != sorted(business):
        missing = sorted(set(business) - set(ids))
        extra = sorted(set(ids) - set(business))
        raise _error(
            "pairwise.objectives",
            "pairwise comparisons must cover exactly the business objectives",
            value=repr(ids),
            expected=f"all of {sorted(business)}",
            suggestion="; ".join(
                part
                for part in (
                    f"add {missing}" if missing else "",
                    f"remove {extra}" if extra else "",
                )
                if part
            ),
        )
    n = len(ids)
    if n == 0:
        raise _error(
            "pairwise.objectives",
            "the pairwise table compares no objectives",
            expected="the ids of the business objectives",
            suggestion="list the business objectives or remove [pairwise]",
        )
    rows = table.matrix
    if len(rows) != n or any(len(row) != n for row in rows):
        raise _error(
            "pairwise.matrix",
            "the comparison matrix is not square over the listed objectives",
            expected=f"{n} rows of {n} entries",
        )
    a = [[_judgment(rows[i][j], f"pairwise.matrix[{i}][{j}]") for j in range(n)] for i in range(n)]
    for i in range(n):
        if not math.isclose(a[i][i], 1.0):
            raise _error(
                f"pairwise.matrix[{i}][{i}]",
                f"{ids[i]!r} compared with itself must be 1",
                value=repr(rows[i][i]),
                expected="1",
            )
        for j in range(i + 1, n):
            if (a[i][j] == 0) != (a[j][i] == 0) or (
                a[i][j] and not math.isclose(a[i][j] * a[j][i], 1.0, rel_tol=_RECIPROCAL_TOLERANCE)
            ):
                raise _error(
                    f"pairwise.matrix[{i}][{j}]",
                    f"judgments of {ids[i]!r} vs {ids[j]!r} are not reciprocal",
                    value=f"{rows[i][j]!r} and {rows[j][i]!r} (matrix[{j}][{i}])",
                    expected=f"matrix[{j}][{i}] = 1/matrix[{i}][{j}], or 0 in both for a missing judgment",
                    suggestion=f"write {_fraction_text(a[i][j])} in matrix[{j}][{i}]"
                    if a[i][j]
                    else None,
                )
    # Harker's completion: a missing a[i][j] becomes 0 and row i's diagonal grows by one.
    harker = [row[:] for row in a]
    for i in range(n):
        harker[i][i] = 1.0 + sum(1 for j in range(n) if a[i][j] == 0)
    if any(harker[i][i] >= n for i in range(n)) and n > 1:
        index = next(i for i in range(n) if harker[i][i] >= n)
        raise _error(
            f"pairwise.matrix[{index}]",
            f"{ids[index]!r} is compared with no other objective",
            expected="at least one judgment per objective",
        )
    groups = _judgment_groups(a)
    if len(groups) > 1:
        # Harker's matrix is then reducible: the given judgments cannot say how one group
        # compares with another, so there is no unique weighting.
        raise _error(
            "pairwise.matrix",
            "the judgments split the objectives into groups never compared with each other",
            value=" and ".join(repr([ids[i] for i in group]) for group in groups),
            expected="judgments that connect every objective to every other, directly or through others",
            suggestion=f"compare {ids[groups[0][0]]!r} with {ids[groups[1][0]]!r}",
        )
    vector = _principal_eigenvector(harker, ids)
    completed = tuple(tuple(a[i][j] or vector[i] / vector[j] for j in range(n)) for i in range(n))
    lambda_max = _lambda_max(completed, vector)
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n] if n < len(RANDOM_INDEX) else RANDOM_INDEX[-1]
    cr = max(0.0, ci / ri) if ri else 0.0
    warnings: tuple[Problem, ...] = ()
    if cr > _CR_LIMIT:
        warnings = (
            Problem(
                code="inconsistent-judgments",
                path="pairwise.matrix",
                message="the pairwise judgments are inconsistent",
                value=f"consistency ratio {cr:.3f}",
                expected=f"at most {_CR_LIMIT:.2f}",
                suggestion="revisit the judgments furthest from what the weights imply: "
                + "; ".join(_worst_judgments(a, vector, ids)),
                severity="warning",
            ),
        )
    return Weights(
        weights={ids[i]: vector[i] for i in range(n)},
        method="pairwise",
        lambda_max=lambda_max,
        consistency_index=max(0.0, ci),
        consistency_ratio=cr,
        completed=completed,
        warnings=warnings,
    )


def _judgment_groups(matrix: Sequence[Sequence[float]]) -> list[list[int]]:
    """Indexes of the objectives linked by given (non-zero) judgments, group by group."""
    n = len(matrix)
    group_of = list(range(n))
    for i in range(n):
        for j in range(n):
            if matrix[i][j]:
                old, new = group_of[j], group_of[i]
                group_of = [new if g == old else g for g in group_of]
    groups: dict[int, list[int]] = {}
    for index, group in enumerate(group_of):
        groups.setdefault(group, []).append(index)
    return sorted(groups.values())


def _fraction_text(value: float) -> str:
    inverse = Fraction(1 / value).limit_denominator(9)
    return (
        f'"{inverse.numerator}/{inverse.denominator}"'
        if inverse.denominator != 1
        else str(inverse.numerator)
    )


def _worst_judgments(
    given: Sequence[Sequence[float]], vector: Sequence[float], ids: Sequence[str], shown: int = 3
) -> list[str]:
    """The given judgments that contradict the weights most (by |log(a_ij * w_j / w_i)|)."""
    n = len(ids)
    off = sorted(
        (-abs(math.log(given[i][j] * vector[j] / vector[i])), i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if given[i][j]
    )
    return [
        f"matrix[{i}][{j}] ({ids[i]!r} vs {ids[j]!r}) is {_judgment_text(given[i][j])}, "
        f"the weights imply {_judgment_text(vector[i] / vector[j])}"
        for _, i, j in off[:shown]
    ]


def _judgment_text(value: float) -> str:
    return f"{value:.3g}" if value >= 1 else f"1/{1 / value:.3g}"


def _principal_eigenvector(matrix: Sequence[Sequence[float]], ids: Sequence[str]) -> list[float]:
    """The Perron eigenvector of a nonnegative irreducible matrix, normalized to sum to 1.

    LAPACK's eigen-solve, then a few power steps to polish it. Checked by the
    Collatz-Wielandt bounds: for a positive vector the ratios ``(A w)_i / w_i`` bracket the
    Perron root and are all equal only at its eigenvector, so their spread certifies the
    result to `EIGEN_TOLERANCE`. Power iteration alone stalls on sparse judgments (a chain
    over 20 objectives was 29% off after 1000 steps), hence the direct solve.
    """
    a = np.array(matrix, dtype=float)
    values, vectors = np.linalg.eig(a)
    candidate = vectors[:, int(np.argmax(values.real))].real
    vector = candidate * np.sign(candidate.sum())
    for _ in range(3):
        vector = a @ vector
        vector = vector / vector.sum()
    spread = math.inf
    if np.all(vector > 0):
        ratios = (a @ vector) / vector
        spread = float((ratios.max() - ratios.min()) / ratios.max())
    if not spread <= EIGEN_TOLERANCE:
        raise _error(
            "pairwise.matrix",
            "the AHP weights could not be computed to the stated tolerance",
            value=f"eigenvector residual {spread:.2g} over {len(ids)} objectives",
            expected=f"a residual of at most {EIGEN_TOLERANCE:g}",
            suggestion="report this matrix as a bug; meanwhile give direct weights",
        )
    return [float(x) for x in vector]


def _lambda_max(matrix: Sequence[Sequence[float]], vector: Sequence[float]) -> float:
    n = len(matrix)
    return (
        math.fsum(
            math.fsum(matrix[i][j] * vector[j] for j in range(n)) / vector[i] for i in range(n)
        )
        / n
    )


def _cascade(engagement: Engagement, business: dict[str, float]) -> dict[str, float]:
    """Add IT objectives' weights to the business weights.

    Each business weight is shared among the IT objectives that support it, in proportion
    to their own weight (default 1).
    """
    weights = dict(business)
    it_objectives = [o for o in engagement.objectives if o.kind == "it"]
    support_total: dict[str, float] = {}
    for objective in it_objectives:
        for target in objective.supports:
            support_total[target] = support_total.get(target, 0.0) + (
                1.0 if objective.weight is None else objective.weight
            )
    for objective in it_objectives:
        own = 1.0 if objective.weight is None else objective.weight
        weights[objective.id] = math.fsum(
            business.get(target, 0.0) * own / support_total[target]
            for target in objective.supports
            if support_total.get(target)
        )
    return weights
