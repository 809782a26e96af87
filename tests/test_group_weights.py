"""Group weights: the geometric mean of judgments by hand, the two methods against each
other where theory says they agree, each stakeholder's consistency, the top-k stability
points against the alignment formula solved by hand, located errors."""

import json
import math
from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.research.group_weights import (
    Judge,
    group_weights,
    weight_stability,
    with_weights,
)

IDS = ("growth", "safety", "cost")
DATA = {
    "engagement": {"client": "C", "start": "2027-Q1", "periods": 2},
    "objective": [{"id": o, "name": o.title()} for o in IDS],
    "initiative": [  # no values: each scores its alignment, 100 x the weight it serves
        {"id": "a", "name": "A", "objectives": {"growth": 1.0}},
        {"id": "b", "name": "B", "objectives": {"safety": 1.0}},
        {"id": "c", "name": "C", "objectives": {"cost": 1.0}},
    ],
    "capacity": {"budget": 100},
}
ENGAGEMENT = it.from_dict(DATA)
CEO = Judge(name="ceo", objectives=IDS, matrix=((1, 3, 5), ("1/3", 1, 2), ("1/5", "1/2", 1)))
# Listed in another order: aligned by id before combining.
CFO = Judge(
    name="cfo",
    objectives=("cost", "growth", "safety"),
    matrix=((1, 1, 3), (1, 1, 3), ("1/3", "1/3", 1)),
    weight=2.0,
)


def test_geometric_mean_of_judgments_by_hand() -> None:
    """Each entry is the weighted geometric mean of the judges' entries; reciprocal."""
    g = group_weights(ENGAGEMENT, [CEO, CFO])
    # growth vs safety: 3 (ceo) and 3 (cfo); growth vs cost: 5 and 1; safety vs cost: 2, 1/3.
    expected = {
        (0, 1): 3.0,
        (0, 2): (5**1 * 1**2) ** (1 / 3),
        (1, 2): (2**1 * (1 / 3) ** 2) ** (1 / 3),
    }
    for (i, j), value in expected.items():
        assert g.matrix[i][j] == pytest.approx(value)
        assert g.matrix[j][i] == pytest.approx(1 / value)
    assert math.fsum(g.weights.values()) == pytest.approx(1.0)


def test_methods_agree_for_three_objectives() -> None:
    """For n = 3 the row geometric mean equals the principal eigenvector (a known identity)."""
    eigen = group_weights(ENGAGEMENT, [CEO, CFO])
    rgm = group_weights(ENGAGEMENT, [CEO, CFO], method="row-geometric-mean")
    for o in IDS:
        assert rgm.weights[o] == pytest.approx(eigen.weights[o], rel=1e-9)


def test_each_judge_consistency_and_threshold() -> None:
    """The cfo's matrix is perfectly consistent (CR 0); a threshold of 0 flags the ceo."""
    g = group_weights(ENGAGEMENT, [CEO, CFO], threshold=0.0)
    by_name = {j.name: j for j in g.judges}
    assert by_name["cfo"].consistency_ratio == pytest.approx(0.0, abs=1e-12)
    assert by_name["cfo"].weights == pytest.approx(
        {"growth": 3 / 7, "safety": 1 / 7, "cost": 3 / 7}
    )
    assert by_name["ceo"].consistency_ratio > 0
    assert not by_name["ceo"].consistent
    assert by_name["cfo"].consistent


def test_stability_points_solved_by_hand() -> None:
    """Top-1 changes where the moved weight meets the largest other share (ties by id)."""
    w = {"growth": 0.5, "safety": 0.2, "cost": 0.3}
    found = {s.objective: s for s in weight_stability(with_weights(ENGAGEMENT, w), top_k=1)}
    # growth down at s: cost gets 0.3 / 0.5 (1 - s); 'c' tops when it exceeds s.
    assert found["growth"].down == pytest.approx(0.6 / 1.6, abs=2e-4)
    assert found["growth"].up is None
    # safety up at s: growth gets 0.5 / 0.8 (1 - s); 'b' tops when s exceeds it.
    assert found["safety"].up == pytest.approx(0.625 / 1.625, abs=2e-4)
    assert found["safety"].down is None
    # cost up at s: growth gets 0.5 / 0.7 (1 - s); 'c' tops when s exceeds it: s = 5/12.
    assert found["cost"].up == pytest.approx(5 / 12, abs=2e-4)
    assert found["growth"].top == ("a",)


def test_invalid_matrices_are_located() -> None:
    """A judge's non-reciprocal matrix is located at judges[k]; missing needs eigenvector."""
    bad = Judge(name="x", objectives=IDS, matrix=((1, 3, 5), (3, 1, 2), ("1/5", "1/2", 1)))
    with pytest.raises(it.InvalidEngagementError, match=r"judge\[1\]\.matrix\[0\]\[1\]"):
        group_weights(ENGAGEMENT, [CEO, bad])
    gap = Judge(name="g", objectives=IDS, matrix=((1, 0, 5), (0, 1, 2), ("1/5", "1/2", 1)))
    assert group_weights(ENGAGEMENT, [gap]).weights  # Harker completes it
    with pytest.raises(it.InvalidEngagementError, match="needs every judgment"):
        group_weights(ENGAGEMENT, [gap], method="row-geometric-mean")
    other = Judge(name="o", objectives=("growth", "safety"), matrix=((1, 2), ("1/2", 1)))
    with pytest.raises(
        it.InvalidEngagementError,
        match=r"judge\[1\]\.objectives: pairwise comparisons must cover exactly",
    ):
        group_weights(ENGAGEMENT, [CEO, other])


JUDGES_TOML = """\
[[judge]]
name = "ceo"
objectives = ["growth", "safety", "cost"]
matrix = [[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]]

[[judge]]
name = "cfo"
weight = 2
objectives = ["cost", "growth", "safety"]
matrix = [[1, 1, 3], [1, 1, 3], ["1/3", "1/3", 1]]
"""


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """itstrat group-weights: the library's numbers as JSON; mistakes located in the file."""
    file, judges = tmp_path / "e.toml", tmp_path / "judges.toml"
    it.dump(ENGAGEMENT, file)
    judges.write_text(JUDGES_TOML, encoding="utf-8")
    assert main(["group-weights", str(file), str(judges), "--top-k", "1", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = group_weights(ENGAGEMENT, [CEO, CFO])
    assert data["weights"] == pytest.approx(expected.weights)
    assert [j["name"] for j in data["judges"]] == ["ceo", "cfo"]
    assert data["top"] == ["a"]
    assert main(["group-weights", str(file), str(judges)]) == 0
    assert "How far each weight can move" in capsys.readouterr().out

    judges.write_text(
        JUDGES_TOML.replace("[[1, 1, 3], [1, 1, 3]", "[[1, 1, 3], [2, 1, 3]").replace(
            "weight = 2", "wieght = 2"
        ),
        encoding="utf-8",
    )
    assert main(["group-weights", str(file), str(judges)]) == 1
    err = capsys.readouterr().err
    assert f"{judges}: judge[1].wieght" in err
    assert "did you mean 'weight'?" in err
    judges.write_text(
        JUDGES_TOML.replace("[[1, 1, 3], [1, 1, 3]", "[[1, 1, 3], [2, 1, 3]"), encoding="utf-8"
    )
    assert main(["group-weights", str(file), str(judges)]) == 1
    err = capsys.readouterr().err
    assert f"{judges}: judge[1].matrix[0][1]" in err
    assert "not reciprocal" in err
    assert "Traceback" not in err
