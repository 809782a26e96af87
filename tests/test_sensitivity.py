"""sensitivity: known answers (always fits -> 1, never fits -> 0), draws that stay inside
their ranges, the Wilson interval by hand, same seed same bytes (serial and a pool), and the
CLI's located errors."""

import json
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.research import Range, Uncertainty, sensitivity, wilson_interval

ITEMS: list[dict[str, Any]] = [
    # Cheap and valuable: in every plan whatever the draw.
    {"id": "always", "name": "Always", "cost": 10, "value": 100, "effort": {"dev": 10}},
    # Costs more than the total budget even at the low end of its range.
    {"id": "never", "name": "Never", "cost": 500, "value": 1000},
    # These two compete for what is left: the draw decides.
    {"id": "left", "name": "Left", "cost": 50, "value": 10, "effort": {"dev": 50}},
    {"id": "right", "name": "Right", "cost": 50, "value": 10, "effort": {"dev": 50}},
]
DATA: dict[str, Any] = {
    "engagement": {"client": "C", "start": "2027-Q1", "periods": 2},
    "objective": [{"id": "growth", "name": "Growth"}],
    "initiative": ITEMS,
    "capacity": {"budget": 120, "skills": {"dev": 200}},
    "plan": {"time_limit": 10},
}
RANGES = Uncertainty(
    share=0.4,
    initiative={"never": {"cost": Range(low=300, mode=500, high=900)}},
)


@pytest.fixture(scope="module")
def result() -> it.research.Sensitivity:
    return sensitivity(it.from_dict(DATA), samples=12, seed=7, uncertainty=RANGES)


def test_known_answers(result) -> None:
    """The one that always fits is core with probability 1, the one that never fits is 0."""
    by_id = {i.id: i for i in result.inclusions}
    assert result.planned == 12
    assert result.failed == ()
    assert (by_id["always"].probability, by_id["always"].klass) == (1.0, "core")
    assert (by_id["never"].probability, by_id["never"].klass) == (0.0, "exterior")
    assert by_id["always"].high == 1.0
    assert by_id["never"].low == 0.0
    # left and right share what is left (at most one fits at a cost above 55)
    both = by_id["left"].selected + by_id["right"].selected
    assert 0 < both <= 2 * 12
    assert sum(by_id["always"].starts.values()) == 12


def test_each_sample_recomputed_by_hand(result) -> None:
    """Sample k's value equals planning the draw made here from default_rng([seed, k])."""
    values = []
    for k in range(3):
        rng = np.random.default_rng([7, k])
        data = json.loads(json.dumps(DATA))
        # the documented order: initiatives in file order, their keys sorted
        for item in data["initiative"]:
            keys = {
                "cost": item["cost"],
                **{f"effort.{s}": h for s, h in item.get("effort", {}).items()},
            }
            for key in sorted(keys):
                if item["id"] == "never" and key == "cost":
                    drawn = rng.triangular(300, 500, 900)
                else:
                    drawn = rng.triangular(keys[key] * 0.6, keys[key], keys[key] * 1.4)
                if key == "cost":
                    item["cost"] = float(drawn)
                else:
                    item["effort"][key.removeprefix("effort.")] = float(drawn)
        values.append(it.plan(it.from_dict(data), time_limit=10, threads=1).objective_value)
    again = sensitivity(it.from_dict(DATA), samples=3, seed=7, uncertainty=RANGES, tornado=False)
    assert again.quantiles["50%"] == pytest.approx(float(np.quantile(values, 0.5)))
    assert again.quantiles["5%"] == pytest.approx(float(np.quantile(values, 0.05)))


def test_same_seed_same_bytes_serial_and_pool(result) -> None:
    """The same seed gives the same bytes, serially and through an executor."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        pooled = sensitivity(
            it.from_dict(DATA), samples=12, seed=7, uncertainty=RANGES, executor=pool
        )
    assert json.dumps(pooled.as_dict()) == json.dumps(result.as_dict())
    other = sensitivity(it.from_dict(DATA), samples=12, seed=8, uncertainty=RANGES, tornado=False)
    assert other.as_dict()["value_quantiles"] != result.as_dict()["value_quantiles"]


def test_tornado_and_weights() -> None:
    """Params and weights one at a time: a bar per param at both ends, with the plan values."""
    engagement = it.generate(8, seed=3)
    out = sensitivity(
        engagement,
        samples=2,
        seed=1,
        uncertainty=Uncertainty(params=0.5, weights=0.3),
        rules=["wsjf"],
        time_limit=10,
    )
    bars = {(b.kind, b.key): b for b in out.tornado}
    bar = bars["param", "wsjf.min_size"]
    assert (bar.low, bar.base, bar.high) == (0.5, 1.0, 1.5)
    by_hand = it.plan(engagement, rules=["wsjf"], params={"min_size": 1.5}, time_limit=10)
    assert bar.value_high == pytest.approx(by_hand.objective_value)
    assert {k for k, _ in bars} == {"param", "weight"}


@given(
    st.floats(0, 100),
    st.floats(0, 100),
    st.floats(0, 100),
    st.sampled_from(["triangular", "pert"]),
    st.integers(0, 2**32),
)
def test_draws_stay_in_their_range(a: float, b: float, c: float, kind: str, seed: int) -> None:
    """A draw is within [low, high]; a point range gives its mode."""
    low, mode, high = sorted((a, b, c))
    drawn = Range(low=low, mode=mode, high=high).draw(np.random.default_rng(seed), kind)  # type: ignore[arg-type]
    assert low <= drawn <= high
    assert Range(low=mode, mode=mode, high=mode).draw(np.random.default_rng(seed), kind) == mode  # type: ignore[arg-type]


def test_wilson_interval_by_hand() -> None:
    """The Wilson interval of 3 in 10, from its formula."""
    z, n, p = 1.959963984540054, 10, 0.3
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert wilson_interval(3, 10) == pytest.approx((centre - half, centre + half))
    assert wilson_interval(0, 5)[0] == 0.0
    assert wilson_interval(5, 5)[1] == 1.0


def test_bad_ranges_are_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown ids and estimates, and a range out of order, name the sensitivity file."""
    file = tmp_path / "e.toml"
    file.write_text(tomli_w.dumps(DATA), encoding="utf-8")
    ranges = tmp_path / "ranges.toml"
    ranges.write_text(
        "[uncertainty.alway]\ncost = { low = 1, mode = 2, high = 3 }\n"
        "[uncertainty.never]\ncots = { low = 1, mode = 2, high = 3 }\n",
        encoding="utf-8",
    )
    assert main(["sensitivity", str(file), "--samples", "2", "--ranges", str(ranges)]) == 1
    err = capsys.readouterr().err
    assert f"{ranges}: uncertainty.alway: no initiative has this id" in err
    assert "did you mean 'always'?" in err
    assert "did you mean 'cost'?" in err
    ranges.write_text(
        "[uncertainty.never]\ncost = { low = 5, mode = 2, high = 3 }\n", encoding="utf-8"
    )
    assert main(["sensitivity", str(file), "--samples", "2", "--ranges", str(ranges)]) == 1
    err = capsys.readouterr().err
    assert str(ranges) in err
    assert "out of order" in err
    assert "Traceback" not in err
    assert main(["sensitivity", str(file), "--samples", "2"]) == 1
    assert "nothing is uncertain" in capsys.readouterr().err
    ranges.write_text("[sensitivity]\nshare = 1.5\n", encoding="utf-8")
    assert main(["sensitivity", str(file), "--ranges", str(ranges)]) == 1
    assert "sensitivity.share" in capsys.readouterr().err


def test_cli_json_same_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """itstrat sensitivity --format json: same seed, same bytes; text shows the classes."""
    file = tmp_path / "e.toml"
    file.write_text(tomli_w.dumps(DATA), encoding="utf-8")
    args = ["sensitivity", str(file), "--samples", "4", "--seed", "3", "--share", "0.3"]
    assert main([*args, "--format", "json", "-o", str(tmp_path / "a.json")]) == 0
    assert main([*args, "--format", "json", "-o", str(tmp_path / "b.json")]) == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "core" in out
    assert "exterior" in out


def test_ahp_judgments_are_perturbed_as_ratios() -> None:
    """With a pairwise table the tornado moves each judgment by x/÷ (1 + share)."""
    data = {
        "engagement": {"client": "C", "start": "2027-Q1", "periods": 2},
        "objective": [{"id": o, "name": o} for o in ("growth", "safety", "cost")],
        "pairwise": {
            "objectives": ["growth", "safety", "cost"],
            "matrix": [[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]],
        },
        "initiative": [  # no values: scored by alignment, so the weights matter
            {"id": "a", "name": "A", "cost": 60, "objectives": {"growth": 1.0}},
            {"id": "b", "name": "B", "cost": 50, "objectives": {"safety": 1.0}},
            {"id": "c", "name": "C", "cost": 50, "objectives": {"cost": 1.0}},
        ],
        "capacity": {"budget": 100},
    }
    out = sensitivity(
        it.from_dict(data), samples=3, seed=2, uncertainty=Uncertainty(weights=0.5), time_limit=5
    )
    bars = {b.key: b for b in out.tornado}
    assert set(bars) == {"growth/safety", "growth/cost", "safety/cost"}
    assert (bars["growth/cost"].low, bars["growth/cost"].high) == pytest.approx((5 / 1.5, 7.5))
    assert out.planned == 3
    # The high end of growth/safety, planned directly with that judgment.
    data["pairwise"]["matrix"] = [[1, 4.5, 5], [1 / 4.5, 1, 2], ["1/5", "1/2", 1]]
    direct = it.plan(it.from_dict(data), time_limit=5, threads=1)
    assert bars["growth/safety"].value_high == pytest.approx(direct.objective_value)
