"""Nothing silently ignored in scoring: AHP weights certified, inconsistency named where the
weights are used, a pack that throws away another's score, and what makespan implies."""

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.assessment import EIGEN_TOLERANCE, objective_weights
from itstrat_engine.cli import main
from itstrat_engine.report import plan_view, prioritization_view, render_text


def weighted(ids: list[str], matrix: list[list[Any]]) -> it.Engagement:
    return it.from_dict(
        {
            "engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
            "objective": [{"id": k, "name": k.upper()} for k in ids],
            "pairwise": {"objectives": ids, "matrix": matrix},
        }
    )


# --------------------------------------------------------------------------- AHP weights


@given(st.lists(st.floats(1.0, 8.0), min_size=2, max_size=20))
def test_a_chain_of_single_judgments_gives_the_exact_weights(true: list[float]) -> None:
    """Consistent judgments, one per neighbour pair (Harker-completed), imply the weights
    exactly: power iteration was up to 29% off on 15-20 objectives."""
    n = len(true)
    ids = [f"o{i}" for i in range(n)]
    matrix: list[list[float]] = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    for i in range(n - 1):
        matrix[i][i + 1] = true[i] / true[i + 1]
        matrix[i + 1][i] = true[i + 1] / true[i]
    weights = objective_weights(weighted(ids, matrix)).weights
    total = math.fsum(true)
    for i, key in enumerate(ids):
        assert weights[key] == pytest.approx(true[i] / total, rel=1e-9)


_SCALE = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1.0, 3.0, 5.0, 7.0, 9.0]


@given(
    st.integers(3, 12).flatmap(
        lambda n: st.lists(st.sampled_from(_SCALE), min_size=n * n, max_size=n * n).map(
            lambda v: (n, v)
        )
    )
)
def test_complete_matrices_match_an_independent_eigen_solve(case: tuple[int, list[float]]) -> None:
    """On any complete reciprocal matrix the weights are the Perron vector: checked against
    a long power iteration (which converges on positive matrices) and the eigen-equation."""
    n, values = case
    a = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            a[i][j] = values[i * n + j]
            a[j][i] = 1 / a[i][j]
    ids = [f"o{i}" for i in range(n)]
    result = objective_weights(weighted(ids, a))
    w = [result.weights[k] for k in ids]
    vector = [1.0 / n] * n
    for _ in range(5000):
        product = [math.fsum(a[i][j] * vector[j] for j in range(n)) for i in range(n)]
        total = math.fsum(product)
        vector = [x / total for x in product]
    assert w == pytest.approx(vector, rel=1e-8)
    ratios = [math.fsum(a[i][j] * w[j] for j in range(n)) / w[i] for i in range(n)]
    assert max(ratios) - min(ratios) <= 1e-8 * max(ratios)
    assert result.lambda_max == pytest.approx(max(ratios), rel=1e-8)


def test_weights_that_cannot_be_certified_are_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """An eigen-solve that returns a wrong vector is caught by its certificate, never used."""

    def wrong(matrix: Any) -> tuple[Any, Any]:
        n = len(matrix)
        return np.ones(n), np.eye(n)

    monkeypatch.setattr(np.linalg, "eig", wrong)
    ids = ["a", "b", "c"]
    with pytest.raises(it.InvalidEngagementError) as caught:
        objective_weights(weighted(ids, [[1, 3, 5], ["1/3", 1, 3], ["1/5", "1/3", 1]]))
    message = str(caught.value)
    assert "pairwise.matrix" in message
    assert "could not be computed to the stated tolerance" in message
    assert f"{EIGEN_TOLERANCE:g}" in message


INCONSISTENT_IDS = ["cost", "growth", "risk", "people"]
# Consistent with weights 8:4:2:1, except growth vs people, turned round (1/4 for 4).
INCONSISTENT = [
    [1, 2, 4, 8],
    ["1/2", 1, 2, "1/4"],
    ["1/4", "1/2", 1, 2],
    ["1/8", 4, "1/2", 1],
]


def test_the_inconsistency_warning_names_the_judgment_that_contradicts_the_rest() -> None:
    """One judgment turned round: it is the first one named, with what the weights imply."""
    result = objective_weights(weighted(INCONSISTENT_IDS, INCONSISTENT))
    assert not result.consistent
    (warning,) = result.warnings
    assert warning.code == "inconsistent-judgments"
    first = (warning.suggestion or "").split(": ", 1)[1].split("; ")[0]
    assert first.startswith("matrix[1][3] ('growth' vs 'people') is 1/4, the weights imply ")


def inconsistent_file(tmp_path: Path, matrix: list[list[Any]] = INCONSISTENT) -> Path:
    data = {
        "engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
        "objective": [{"id": k, "name": k.title()} for k in INCONSISTENT_IDS],
        "pairwise": {"objectives": INCONSISTENT_IDS, "matrix": matrix},
        "capacity": {"budget_per_period": 100},
        "initiative": [
            {"id": "x", "name": "X", "cost": 10, "objectives": {"cost": 1}},
            {"id": "y", "name": "Y", "cost": 10, "objectives": {"people": 1}},
        ],
        "plan": {"rules": ["business-vision"]},
    }
    path = tmp_path / "e.toml"
    path.write_text(tomli_w.dumps(data))
    return path


@pytest.mark.parametrize("command", ["validate", "prioritize", "plan"])
def test_inconsistent_judgments_are_warned_wherever_the_weights_are_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Not only `assess`: every command that uses the weights says they are inconsistent."""
    path = inconsistent_file(tmp_path)
    assert main([command, str(path)]) == 0
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert f"warning: {path}: pairwise.matrix: the pairwise judgments are inconsistent" in shown
    assert "'growth' vs 'people'" in shown


def test_the_plan_api_carries_the_inconsistency_warning(tmp_path: Path) -> None:
    result = it.plan(it.load(inconsistent_file(tmp_path)))
    assert "inconsistent-judgments" in [w.code for w in result.prepared.warnings]


def test_validate_reports_a_matrix_assess_would_refuse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A non-reciprocal matrix is invalid in `validate`, not first found by `assess`."""
    matrix = [list(row) for row in INCONSISTENT]
    matrix[1][3] = 3  # matrix[3][1] is 4
    path = inconsistent_file(tmp_path, matrix)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "error: " in out
    assert "are not reciprocal" in out


# --------------------------------------------------------------------------- replaced scores


def pack(pack_id: str, rules: list[dict[str, Any]]) -> it.Pack:
    return it.pack_from_dict(
        {"pack": {"id": pack_id, "title": pack_id, "subject": "initiative"}, "rule": rules},
        f"{pack_id}.toml",
    )


BASE_PACK = pack("base", [{"id": "double", "multiply": "2", "because": "twice"}])
RESET = pack(
    "reset",
    [{"id": "fixed", "when": "cost > 50000", "score": "7", "because": "a fixed score"}],
)


def test_a_pack_that_replaces_an_earlier_pack_score_says_so() -> None:
    """The explanation names the pack whose score was thrown away; a warning counts it."""
    engagement = it.generate(12, seed=4)
    result = it.prioritize(engagement, [BASE_PACK, RESET])
    hit = [i for i in engagement.initiatives if i.cost > 50000]
    miss = [i for i in engagement.initiatives if i.cost <= 50000]
    assert hit
    assert miss
    for item in hit:
        (replacing,) = [s for s in result.initiative(item.id).steps if s.pack == "reset"]
        assert replacing.replaces == "base"
        assert replacing.as_dict()["replaces"] == "base"
    for item in miss:
        assert all(s.replaces is None for s in result.initiative(item.id).steps)
    (warning,) = [w for w in result.warnings if w.code == "replaced-score"]
    assert warning.file == "reset.toml"
    assert warning.path == "rule[0].score"
    assert f"replaces the score of pack 'base' for {len(hit)} initiative" in warning.message
    text = render_text(prioritization_view(engagement, result))
    assert "[replaces the score of pack base]" in text


@pytest.mark.parametrize(
    "second",
    [
        pack("builds", [{"id": "plus", "add": "1", "because": "one more"}]),
        pack("reads", [{"id": "half", "score": "score / 2", "because": "half"}]),
    ],
)
def test_a_pack_that_builds_on_the_score_is_not_warned(second: it.Pack) -> None:
    result = it.prioritize(it.generate(6, seed=2), [BASE_PACK, second])
    assert not [w for w in result.warnings if w.code == "replaced-score"]
    assert all(s.replaces is None for i in result.initiatives for s in i.steps)


def test_a_pack_alone_replacing_the_start_value_is_not_warned() -> None:
    """Replacing the plain value a file gives is what a scoring pack is for."""
    result = it.prioritize(it.generate(6, seed=2), [RESET, BASE_PACK])
    assert not [w for w in result.warnings if w.code == "replaced-score"]


# --------------------------------------------------------------------------- makespan


MAKESPAN: dict[str, Any] = {
    "engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
    "capacity": {"budget_per_period": 1000},
    "initiative": [
        {"id": "a", "name": "A", "cost": 100, "value": 3, "excludes": ["b"]},
        {"id": "b", "name": "B", "cost": 100, "value": 2, "excludes": ["a"]},
        {"id": "c", "name": "C", "cost": 100, "value": 2},
        {"id": "d", "name": "D", "cost": 100, "value": 2},
    ],
    "group": [{"id": "g", "kind": "at_most", "count": 1, "members": ["c", "d"]}],
    "plan": {"objective": "makespan"},
}


def test_makespan_names_the_exclusion_and_the_group_that_cannot_hold() -> None:
    """Makespan requires every initiative: the diagnosis says so and names what breaks."""
    result = it.plan(it.from_dict(MAKESPAN))
    assert result.status == it.Status.INFEASIBLE
    assert [(f.kind, f.items) for f in result.findings] == [
        ("excludes", ("a", "b")),
        ("group", ("c", "d")),
    ]
    assert all(f.message.startswith("makespan requires every initiative") for f in result.findings)
    text = render_text(plan_view(result))
    assert "Makespan: every initiative not forbidden is required" in text
    assert "but a excludes b" in text
    assert "group g allows at most 1 of c and d" in text


def test_makespan_without_conflicts_says_what_it_implies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(json.dumps(MAKESPAN))
    data["initiative"][0]["excludes"] = []
    data["initiative"][1]["excludes"] = []
    data["group"][0]["count"] = 2
    path = tmp_path / "m.toml"
    path.write_text(tomli_w.dumps(data))
    assert main(["plan", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Status: optimal (proven) | makespan 1" in out
    assert "Makespan: every initiative not forbidden is required" in out
