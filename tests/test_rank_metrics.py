"""Rank metrics against scipy (the oracle) on random rankings with ties, and by hand."""

import math
import warnings

import numpy as np
import pytest
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

from itstrat_engine.research import kendall_tau_b, spearman_rho, top_k_overlap, weighted_tau

# Few distinct values, so ties are common in both rankings.
pairs = st.integers(min_value=2, max_value=25).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 4), min_size=n, max_size=n),
        st.lists(st.integers(0, 4), min_size=n, max_size=n),
    )
)


def _same(ours: float, theirs: float) -> None:
    if math.isnan(theirs):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(theirs, abs=1e-12)


def _scipy(name: str, x: list[int], y: list[int]) -> float:
    with warnings.catch_warnings():  # scipy warns on a constant input; we return NaN too
        warnings.simplefilter("ignore")
        if name == "kendall":
            return float(scipy.stats.kendalltau(x, y).statistic)
        if name == "weighted":
            return float(scipy.stats.weightedtau(x, y).statistic)
        return float(scipy.stats.spearmanr(x, y).statistic)


@given(pairs)
def test_kendall_tau_b_matches_scipy(pair: tuple[list[int], list[int]]) -> None:
    """Kendall's tau-b equals scipy.stats.kendalltau (tau-b) with ties."""
    x, y = pair
    _same(kendall_tau_b(x, y), _scipy("kendall", x, y))


@given(pairs)
def test_weighted_tau_matches_scipy(pair: tuple[list[int], list[int]]) -> None:
    """Weighted tau equals scipy.stats.weightedtau's default (hyperbolic, both orders)."""
    x, y = pair
    _same(weighted_tau(x, y), _scipy("weighted", x, y))


@given(pairs)
def test_spearman_rho_matches_scipy(pair: tuple[list[int], list[int]]) -> None:
    """Spearman's rho equals scipy.stats.spearmanr with average ranks for ties."""
    x, y = pair
    _same(spearman_rho(x, y), _scipy("spearman", x, y))


@given(st.permutations(list(range(12))), st.floats(0.01, 100))
def test_scaling_keeps_every_metric(order: list[int], factor: float) -> None:
    """A monotone rescaling of the scores changes no rank metric."""
    x = [float(v) for v in range(12)]
    y = [float(v) for v in order]
    scaled = [v * factor + 3 for v in y]
    assert kendall_tau_b(x, y) == pytest.approx(kendall_tau_b(x, scaled))
    assert weighted_tau(x, y) == pytest.approx(weighted_tau(x, scaled))
    assert spearman_rho(x, y) == pytest.approx(spearman_rho(x, scaled))


def test_hand_computed_values() -> None:
    """Small cases worked out by hand: one swap of four, and the top-k overlap."""
    # One discordant pair of six: (6 - 2 * 1) / 6.
    assert kendall_tau_b([4, 3, 2, 1], [4, 3, 1, 2]) == pytest.approx(4 / 6)
    # d = (0, 0, 1, -1): rho = 1 - 6 * 2 / (4 * 15).
    assert spearman_rho([4, 3, 2, 1], [4, 3, 1, 2]) == pytest.approx(0.8)
    # A swap at the top weighs more than one at the bottom.
    assert weighted_tau([4, 3, 2, 1], [3, 4, 2, 1]) < weighted_tau([4, 3, 2, 1], [4, 3, 1, 2])
    ids = ["a", "b", "c", "d"]
    assert top_k_overlap(ids, [4, 3, 2, 1], [1, 2, 3, 4], 2) == 0.0
    assert top_k_overlap(ids, [4, 3, 2, 1], [4, 1, 3, 2], 2) == 0.5
    assert top_k_overlap(ids, [4, 3, 2, 1], [1, 2, 3, 4], 10) == 1.0  # k past n: everything


def test_invalid_input_is_refused() -> None:
    """Vectors of different lengths, non-finite scores and k < 1 are errors."""
    with pytest.raises(ValueError, match="one length"):
        kendall_tau_b([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="finite"):
        spearman_rho([1, np.nan], [1, 2])
    with pytest.raises(ValueError, match="k must be"):
        top_k_overlap(["a"], [1], [1], 0)
