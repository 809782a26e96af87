"""Objective weights: direct, AHP pairwise with consistency, Harker completion, cascade."""

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.assessment import objective_weights


def engagement(
    objectives: list[dict[str, Any]], pairwise: dict[str, Any] | None = None
) -> it.Engagement:
    data: dict[str, Any] = {
        "engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
        "objective": objectives,
    }
    if pairwise is not None:
        data["pairwise"] = pairwise
    return it.from_dict(data)


ABC = [{"id": k, "name": k.upper()} for k in "abc"]


def test_saaty_textbook_matrix() -> None:
    """The classic 3x3 example gives Saaty's weights and CR of about 0.033."""
    w = objective_weights(
        engagement(
            ABC,
            {"objectives": ["a", "b", "c"], "matrix": [[1, 3, 5], ["1/3", 1, 3], [0.2, "1/3", 1]]},
        )
    )
    assert [round(w.weights[k], 3) for k in "abc"] == [0.637, 0.258, 0.105]
    assert round(w.lambda_max or 0, 3) == 3.039
    assert round(w.consistency_ratio or 0, 3) == 0.033
    assert w.consistent
    assert w.warnings == ()


def test_inconsistent_matrix_warns() -> None:
    """a > b > c but c > a: CR far above 0.10 gives a warning."""
    w = objective_weights(
        engagement(
            ABC,
            {
                "objectives": ["a", "b", "c"],
                "matrix": [[1, 5, "1/5"], ["1/5", 1, 5], [5, "1/5", 1]],
            },
        )
    )
    assert (w.consistency_ratio or 0) > 0.1
    assert not w.consistent
    assert [p.code for p in w.warnings] == ["inconsistent-judgments"]


def test_non_reciprocal_names_the_pair() -> None:
    """A non-reciprocal pair is an error naming both objectives and both cells."""
    with pytest.raises(it.InvalidEngagementError) as error:
        objective_weights(
            engagement(
                ABC,
                {
                    "objectives": ["a", "b", "c"],
                    "matrix": [[1, 3, 5], [0.5, 1, 3], [0.2, "1/3", 1]],
                },
            )
        )
    assert str(error.value.problems[0]) == (
        "pairwise.matrix[0][1]: judgments of 'a' vs 'b' are not reciprocal: got 3.0 and 0.5 "
        "(matrix[1][0]), expected matrix[1][0] = 1/matrix[0][1], or 0 in both for a missing "
        'judgment; write "1/3" in matrix[1][0]'
    )


def test_out_of_scale_judgment() -> None:
    """Judgments beyond 9 are refused."""
    with pytest.raises(
        it.InvalidEngagementError,
        match=r"pairwise.matrix\[0\]\[1\]: judgment outside Saaty's scale: got 12",
    ):
        objective_weights(
            engagement(ABC[:2], {"objectives": ["a", "b"], "matrix": [[1, 12], ["1/12", 1]]})
        )


def test_unreadable_fraction() -> None:
    """A fraction string must parse."""
    with pytest.raises(it.InvalidEngagementError, match="unreadable judgment: got 'one third'"):
        objective_weights(
            engagement(ABC[:2], {"objectives": ["a", "b"], "matrix": [[1, 3], ["one third", 1]]})
        )


def test_pairwise_must_cover_business_objectives() -> None:
    """Every business objective must be compared."""
    with pytest.raises(
        it.InvalidEngagementError, match=r"must cover exactly the business objectives.*add \['c'\]"
    ):
        objective_weights(
            engagement(ABC, {"objectives": ["a", "b"], "matrix": [[1, 3], ["1/3", 1]]})
        )


def test_missing_judgment_completed_by_harker() -> None:
    """A missing judgment (0 in both cells) is implied by the others."""
    w = objective_weights(
        engagement(
            ABC, {"objectives": ["a", "b", "c"], "matrix": [[1, 2, 0], [0.5, 1, 2], [0, 0.5, 1]]}
        )
    )
    assert [round(w.weights[k], 6) for k in "abc"] == [
        round(4 / 7, 6),
        round(2 / 7, 6),
        round(1 / 7, 6),
    ]
    assert w.completed is not None
    assert math.isclose(w.completed[0][2], 4.0, rel_tol=1e-6)
    assert (w.consistency_ratio or 0) < 1e-9


def test_objective_with_no_judgments_is_an_error() -> None:
    """An objective compared with nothing cannot be weighted."""
    with pytest.raises(it.InvalidEngagementError, match="'c' is compared with no other objective"):
        objective_weights(
            engagement(
                ABC, {"objectives": ["a", "b", "c"], "matrix": [[1, 2, 0], [0.5, 1, 0], [0, 0, 1]]}
            )
        )


def test_direct_weights_normalized_and_all_zero_refused() -> None:
    """Direct weights divide by their sum; all zero is an error."""
    w = objective_weights(
        engagement([{"id": "a", "name": "A", "weight": 30}, {"id": "b", "name": "B", "weight": 10}])
    )
    assert w.weights == {"a": 0.75, "b": 0.25}
    assert w.method == "direct"
    with pytest.raises(it.InvalidEngagementError, match="all business objective weights are zero"):
        objective_weights(
            engagement(
                [{"id": "a", "name": "A", "weight": 0}, {"id": "b", "name": "B", "weight": 0}]
            )
        )


def test_mixed_weights_refused_and_none_means_equal() -> None:
    """Either every business objective has a weight or none has (equal weights)."""
    assert objective_weights(engagement(ABC)).weights == {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}
    with pytest.raises(
        it.InvalidEngagementError,
        match=r"objective\[1\].weight: business objective 'b' has no weight",
    ):
        objective_weights(
            engagement([{"id": "a", "name": "A", "weight": 2}, {"id": "b", "name": "B"}])
        )


def test_cascade_shares_business_weight_among_it_objectives() -> None:
    """IT objectives share the weight of the business objectives they support."""
    w = objective_weights(
        engagement(
            [
                {"id": "a", "name": "A", "weight": 3},
                {"id": "b", "name": "B", "weight": 1},
                {"id": "x", "name": "X", "kind": "it", "supports": ["a", "b"]},
                {"id": "y", "name": "Y", "kind": "it", "supports": ["a"], "weight": 2},
            ]
        )
    )
    # a (0.75) split x:y = 1:2, b (0.25) all to x.
    assert math.isclose(w.weights["x"], 0.75 / 3 + 0.25)
    assert math.isclose(w.weights["y"], 0.75 * 2 / 3)


@st.composite
def consistent_matrices(draw: st.DrawFn) -> tuple[list[float], list[list[float]]]:
    """A perfectly consistent matrix a[i][j] = w_i / w_j built from random weights."""
    n = draw(st.integers(2, 9))
    raw = draw(st.lists(st.floats(0.5, 4.0), min_size=n, max_size=n))
    total = sum(raw)
    weights = [x / total for x in raw]
    return weights, [[weights[i] / weights[j] for j in range(n)] for i in range(n)]


@given(consistent_matrices())
def test_consistent_matrix_reproduces_weights_with_cr_zero(
    case: tuple[list[float], list[list[float]]],
) -> None:
    """A perfectly consistent matrix has CR 0 and gives back its weights."""
    weights, matrix = case
    ids = [f"o{k}" for k in range(len(weights))]
    w = objective_weights(
        engagement([{"id": i, "name": i} for i in ids], {"objectives": ids, "matrix": matrix})
    )
    assert abs(w.consistency_ratio or 0.0) < 1e-9
    for i, expected in zip(ids, weights, strict=True):
        assert math.isclose(w.weights[i], expected, rel_tol=1e-7)


@given(st.lists(st.floats(0, 100) | st.none(), min_size=1, max_size=8))
def test_business_weights_sum_to_one(raw: list[float | None]) -> None:
    """Whatever valid weights are given, business weights sum to 1."""
    given_all = all(x is not None for x in raw)
    objectives = [
        {"id": f"o{k}", "name": "x"} | ({"weight": x} if given_all else {})
        for k, x in enumerate(raw)
    ]
    if given_all and sum(x or 0 for x in raw) == 0:
        return
    w = objective_weights(engagement(objectives))
    assert math.isclose(sum(w.weights.values()), 1.0)


def test_disconnected_judgments_are_an_error() -> None:
    """Two groups of objectives never compared with each other cannot be weighted together."""
    ids = ["a", "b", "c", "d"]
    with pytest.raises(it.InvalidEngagementError) as error:
        objective_weights(
            engagement(
                [{"id": k, "name": k} for k in ids],
                {
                    "objectives": ids,
                    "matrix": [[1, 2, 0, 0], [0.5, 1, 0, 0], [0, 0, 1, 3], [0, 0, "1/3", 1]],
                },
            )
        )
    assert str(error.value.problems[0]) == (
        "pairwise.matrix: the judgments split the objectives into groups never compared with "
        "each other: got ['a', 'b'] and ['c', 'd'], expected judgments that connect every "
        "objective to every other, directly or through others; compare 'a' with 'c'"
    )


def test_empty_pairwise_table_is_an_error() -> None:
    """A [pairwise] table comparing nothing is refused, not divided by zero."""
    with pytest.raises(
        it.InvalidEngagementError, match="the pairwise table compares no objectives"
    ):
        objective_weights(engagement([], {"objectives": [], "matrix": []}))


def test_single_objective_pairwise_gets_all_the_weight() -> None:
    """One objective compared with itself has weight 1 and CR 0."""
    w = objective_weights(engagement(ABC[:1], {"objectives": ["a"], "matrix": [[1]]}))
    assert (w.weights, w.consistency_ratio) == ({"a": 1.0}, 0.0)


SAATY = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9]


@st.composite
def reciprocal_matrices(draw: st.DrawFn) -> list[list[float]]:
    """Any reciprocal matrix of Saaty judgments (consistent or not)."""
    n = draw(st.integers(2, 7))
    a = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            a[i][j] = draw(st.sampled_from(SAATY))
            a[j][i] = 1 / a[i][j]
    return a


@given(reciprocal_matrices())
def test_pairwise_weights_are_positive_and_sum_to_one(matrix: list[list[float]]) -> None:
    """Whatever the judgments, pairwise weights are positive, sum to 1, and CR is >= 0."""
    ids = [f"o{k}" for k in range(len(matrix))]
    w = objective_weights(
        engagement([{"id": i, "name": i} for i in ids], {"objectives": ids, "matrix": matrix})
    )
    assert math.isclose(sum(w.weights.values()), 1.0)
    assert all(x > 0 for x in w.weights.values())
    assert (w.consistency_ratio or 0.0) >= 0
    assert w.consistent == (not w.warnings)
