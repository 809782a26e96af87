"""How alike two rankings of the same items are: Kendall tau-b, weighted tau, Spearman, top-k.

Each function takes two score vectors over the same items (a higher score ranks first) and
handles ties the way the literature does, so the numbers match `scipy.stats` (the tests use
it as the oracle; the library itself needs only numpy):

- `kendall_tau_b`: concordant minus discordant pairs over the geometric mean of the pairs
  untied in each ranking (Kendall 1945), 1 for the same order, -1 for the reverse.
- `weighted_tau`: Vigna's weighted tau (2015) with the hyperbolic weigher ``1 / (r + 1)``
  on each element's rank ``r`` (0 first) and additive pair weights, averaged over the rank
  order of the first ranking and of the second: a swap near the top costs more than one at
  the bottom. It is ``scipy.stats.weightedtau``'s default.
- `spearman_rho`: the Pearson correlation of the average ranks.
- `top_k_overlap`: the share of the first k items of one ranking that are among the first k
  of the other (ties at the cut broken by position in `ids`, as a ranking is listed).

The pairwise sums are vectorized over all pairs (memory grows with n squared: fine for the
few hundred initiatives of an engagement).
"""

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["kendall_tau_b", "spearman_rho", "top_k_overlap", "weighted_tau"]

_Vector = npt.NDArray[np.float64]


def _vectors(x: Sequence[float], y: Sequence[float]) -> tuple[_Vector, _Vector]:
    a = np.asarray(x, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        msg = f"two score vectors of one length are needed, got {a.shape} and {b.shape}"
        raise ValueError(msg)
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("scores must be finite numbers")
    return a, b


def _pair_signs(v: _Vector) -> npt.NDArray[np.int8]:
    """sign(v[i] - v[j]) for every ordered pair (i, j)."""
    return np.sign(v[:, None] - v[None, :]).astype(np.int8)


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's tau-b of two score vectors (NaN when either is constant or n < 2).

    >>> kendall_tau_b([3, 2, 1], [3, 2, 1]), kendall_tau_b([3, 2, 1], [1, 2, 3])
    (1.0, -1.0)
    """
    a, b = _vectors(x, y)
    if a.size < 2:
        return math.nan
    sa, sb = _pair_signs(a), _pair_signs(b)
    upper = np.triu(np.ones_like(sa, dtype=bool), k=1)
    s = int((sa.astype(np.int64) * sb)[upper].sum())
    untied_a = int(np.count_nonzero(sa[upper]))
    untied_b = int(np.count_nonzero(sb[upper]))
    if untied_a == 0 or untied_b == 0:
        return math.nan
    return float(s / math.sqrt(untied_a * untied_b))


def _weighted_tau_by(a: _Vector, b: _Vector) -> float:
    """Weighted tau with ranks from the decreasing lexicographic order of (a, b)."""
    order = np.lexsort((-b, -a))  # by a descending, then b descending
    rank = np.empty(a.size, dtype=np.float64)
    rank[order] = np.arange(a.size, dtype=np.float64)
    weight = 1.0 / (rank + 1.0)  # the hyperbolic weigher
    pair_weight = weight[:, None] + weight[None, :]
    upper = np.triu(np.ones((a.size, a.size), dtype=bool), k=1)
    sa, sb = _pair_signs(a), _pair_signs(b)
    numerator = float((pair_weight * sa * sb)[upper].sum())
    untied_a = float((pair_weight * (sa != 0))[upper].sum())
    untied_b = float((pair_weight * (sb != 0))[upper].sum())
    if untied_a == 0 or untied_b == 0:
        return math.nan
    return numerator / math.sqrt(untied_a * untied_b)


def weighted_tau(x: Sequence[float], y: Sequence[float]) -> float:
    """Vigna's weighted tau, hyperbolic weigher, averaged over both rank orders.

    NaN when either vector is constant or n < 2.

    >>> weighted_tau([4, 3, 2, 1], [4, 3, 2, 1])
    1.0
    >>> weighted_tau([4, 3, 2, 1], [3, 4, 2, 1]) < weighted_tau([4, 3, 2, 1], [4, 3, 1, 2])
    True
    """
    a, b = _vectors(x, y)
    if a.size < 2:
        return math.nan
    return (_weighted_tau_by(a, b) + _weighted_tau_by(b, a)) / 2


def _average_ranks(v: _Vector) -> _Vector:
    """1-based ranks of v ascending, tied values sharing the mean of their positions."""
    order = np.argsort(v, kind="stable")
    ranks = np.empty(v.size, dtype=np.float64)
    sorted_values = v[order]
    start = 0
    while start < v.size:
        end = start
        while end + 1 < v.size and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman_rho(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho: the correlation of average ranks (NaN when either is constant).

    >>> spearman_rho([1, 2, 3, 4], [10, 20, 30, 40])
    1.0
    """
    a, b = _vectors(x, y)
    if a.size < 2:
        return math.nan
    ra, rb = _average_ranks(a), _average_ranks(b)
    da, db = ra - ra.mean(), rb - rb.mean()
    denominator = math.sqrt(float((da * da).sum()) * float((db * db).sum()))
    if denominator == 0:
        return math.nan
    return float((da * db).sum()) / denominator


def _top(ids: Sequence[str], scores: _Vector, k: int) -> set[str]:
    # Highest score first; ties keep the order of `ids` (a ranking lists ties by id).
    order = sorted(range(len(ids)), key=lambda i: -scores[i])
    return {ids[i] for i in order[:k]}


def top_k_overlap(ids: Sequence[str], x: Sequence[float], y: Sequence[float], k: int) -> float:
    """The share of one ranking's first `k` items that are among the other's first `k`.

    >>> top_k_overlap(["a", "b", "c"], [3, 2, 1], [3, 1, 2], 2)
    0.5
    """
    a, b = _vectors(x, y)
    if len(ids) != a.size:
        raise ValueError("one id per score is needed")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    k = min(k, a.size)
    if k == 0:
        return math.nan
    return len(_top(ids, a, k) & _top(ids, b, k)) / k
