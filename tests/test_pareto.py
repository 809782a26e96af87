"""Exact Pareto fronts against exhaustive enumeration, a knapsack DP and a grid of cells."""

import itertools
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.optimize import prepare
from itstrat_engine.pareto import OBJECTIVES, figures, hypervolume, pareto
from tests.test_frontiers import dynamic_program, knapsack
from tests.test_oracle import _plan_of, tiny

PAIRS = [
    ("value", "cost"),
    ("value", "risk"),
    ("coverage", "cost"),
    ("value", "makespan"),
    ("makespan", "cost"),
    ("risk", "coverage"),
]


def nondominated(
    vectors: set[tuple[float, ...]], senses: tuple[int, ...]
) -> list[tuple[float, ...]]:
    def dominates(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        better = [s * x >= s * y for s, x, y in zip(senses, a, b, strict=True)]
        return all(better) and a != b

    front = [v for v in vectors if not any(dominates(w, v) for w in vectors)]
    return sorted(front, key=lambda v: -senses[0] * v[0])


def enumerated_front(
    e: it.Engagement, names: tuple[str, str], risk_field: str | None = None
) -> list[tuple[float, ...]]:
    prepared = prepare(e, objective="coverage" if "coverage" in names else "value")
    # The oracle's own risk figures: the field where named (0 when absent), else the score.
    risks = {i.id: i.fields.get(risk_field, 0.0) if risk_field else i.risk for i in e.initiatives}
    choices = [[None, *range(e.periods - item.duration + 1)] for item in e.initiatives]
    vectors = set()
    for starts in itertools.product(*choices):
        schedule = {i.id: s for i, s in zip(e.initiatives, starts, strict=True) if s is not None}
        if it.verify(_plan_of(prepared, schedule), prepared.effective):
            continue
        vectors.add(tuple(round(v, 6) for v in figures(prepared, schedule, names, risks)))
    return nondominated(vectors, tuple(OBJECTIVES[n] for n in names))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    e=tiny(),
    pair=st.sampled_from(PAIRS),
    risks=st.lists(st.sampled_from([0.0, 0.1, 0.3, 0.5]), min_size=4, max_size=4),
)
def test_the_front_equals_exhaustive_enumeration(
    e: it.Engagement, pair: tuple[str, str], risks: list[float]
) -> None:
    items = tuple(attrs.evolve(i, risk=r) for i, r in zip(e.initiatives, risks, strict=False))
    e = attrs.evolve(e, initiatives=items)
    assume(not [p for p in it.validate(e) if p.severity == "error"])
    front = pareto(e, pair)
    expected = enumerated_front(e, pair)
    assert [tuple(round(v, 6) for v in p.values) for p in front.points] == expected
    assert front.complete
    assert all(p.proven for p in front.points)
    # Two solves per point, one more to end the sweep (none when presolve finds it infeasible).
    assert front.solves == 2 * len(front.points) + 1 or (not expected and front.solves == 0)
    for point in front.points:
        assert it.verify(point.plan, point.plan.engagement) == ()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    e=tiny(),
    first=st.sampled_from(["value", "coverage", "cost", "makespan"]),
    exposures=st.lists(st.sampled_from([None, 0.0, 2.0, 5.0, 12.5]), min_size=4, max_size=4),
)
def test_risk_as_a_rule_pack_field_equals_exhaustive_enumeration(
    e: it.Engagement, first: str, exposures: list[float | None]
) -> None:
    """Risk summed from a free field (absent on some initiatives) is still the exact front."""
    items = tuple(
        attrs.evolve(i, fields={**i.fields, "exposure": x}) if x is not None else i
        for i, x in zip(e.initiatives, exposures, strict=False)
    )
    assume(any(x is not None for x in exposures[: len(items)]))
    e = attrs.evolve(e, initiatives=items)
    assume(not [p for p in it.validate(e) if p.severity == "error"])
    pair = (first, "risk")
    front = pareto(e, pair, risk_field="exposure")
    expected = enumerated_front(e, pair, "exposure")
    assert [tuple(round(v, 6) for v in p.values) for p in front.points] == expected
    assert front.complete
    assert front.as_dict()["risk_field"] == "exposure"


def test_a_risk_field_must_exist_and_be_summed() -> None:
    base = knapsack([3, 5], [2, 4])
    items = (attrs.evolve(base.initiatives[0], fields={"exposure": 3.0}), base.initiatives[1])
    e = attrs.evolve(base, initiatives=items)
    with pytest.raises(it.InvalidEngagementError, match="did you mean 'exposure'") as error:
        pareto(e, ("value", "risk"), risk_field="exposur")
    assert error.value.problems[0].path == "risk_field"
    with pytest.raises(it.InvalidEngagementError, match="add risk to the objectives"):
        pareto(e, ("value", "cost"), risk_field="exposure")


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 40), st.integers(1, 30)), min_size=1, max_size=8))
def test_value_against_cost_of_a_knapsack_is_the_dynamic_program(
    items: list[tuple[int, int]],
) -> None:
    costs, values = [c for c, _ in items], [v for _, v in items]
    front = pareto(knapsack(costs, values), ("value", "cost"))
    steps = sorted((p.values[1], p.values[0]) for p in front.points)
    assert steps == [(float(c), float(v)) for c, v in dynamic_program(costs, values)]


def cells(points: list[tuple[int, ...]], senses: list[int], reference: tuple[int, ...]) -> int:
    """Unit cells between the reference and some point, counted one by one."""
    oriented = [tuple(s * v for s, v in zip(senses, p, strict=True)) for p in points]
    ref = tuple(s * r for s, r in zip(senses, reference, strict=True))
    tops = [max([ref[k], *(p[k] for p in oriented)]) for k in range(len(ref))]
    ranges = [range(ref[k], tops[k]) for k in range(len(ref))]
    return sum(
        any(all(c + 1 <= p[k] for k, c in enumerate(cell)) for p in oriented)
        for cell in itertools.product(*ranges)
    )


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 3).flatmap(
        lambda d: st.tuples(
            st.lists(st.tuples(*[st.integers(0, 6)] * d), min_size=1, max_size=6),
            st.lists(st.sampled_from([1, -1]), min_size=d, max_size=d),
        )
    )
)
def test_hypervolume_counts_the_dominated_cells(
    case: tuple[list[tuple[int, ...]], list[int]],
) -> None:
    points, senses = case
    reference = tuple(0 if s > 0 else 6 for s in senses)
    assert hypervolume(points, senses, reference) == cells(points, senses, reference)


def test_hypervolume_by_hand() -> None:
    assert hypervolume([(3, 2), (1, 1)], [1, -1], (0, 4)) == 7.0  # 3x2 + 1x3 - 1x2
    assert hypervolume([(2, 2, 2)], [1, 1, 1], (0, 0, 0)) == 8.0
    assert hypervolume([], [1, -1]) == 0.0


def test_a_front_cut_short_says_so() -> None:
    e = knapsack([3, 5, 7, 9], [2, 4, 5, 7])
    full = pareto(e, ("value", "cost"))
    assert full.complete
    assert len(full.points) > 3
    short = pareto(e, ("value", "cost"), max_points=2)
    assert not short.complete
    assert "2 points" in short.stopped
    assert [p.values for p in short.points] == [p.values for p in full.points[:2]]
    coarse = pareto(e, ("value", "cost"), resolution=1000)
    assert [p.values for p in coarse.points] == [full.points[0].values]
    assert not coarse.complete
    assert "resolution" in coarse.stopped


@pytest.mark.parametrize(
    ("objectives", "message"),
    [
        (("value", "costs"), "did you mean 'cost'"),
        (("value",), "two different objectives"),
        (("value", "value"), "two different objectives"),
        (("value", "cost", "risk"), "two different objectives"),
    ],
)
def test_bad_objectives_are_refused(objectives: tuple[str, ...], message: str) -> None:
    with pytest.raises(it.InvalidEngagementError, match=message):
        pareto(knapsack([1], [1]), objectives)


def test_the_command_prints_a_front(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "k.toml"
    it.dump(knapsack([3, 5, 7], [2, 4, 5]), source)
    assert main(["frontier", str(source), "--objectives", "value,cost", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["objectives"] == ["value", "cost"]
    assert data["complete"]
    assert {"value", "cost", "status", "selected"} <= set(data["points"][0])
    assert data["hypervolume"] > 0
    assert main(["frontier", str(source), "--objectives", "value,risk"]) == 0
    assert "Pareto front" in capsys.readouterr().out
    assert main(["frontier", str(source), "--objectives", "value,riks"]) == 1
    assert "did you mean 'risk'" in capsys.readouterr().err


def test_the_command_refuses_options_a_front_would_ignore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Budget-frontier options with --objectives, or --risk-field without it: exit 2, named."""
    source = tmp_path / "k.toml"
    it.dump(knapsack([3, 5, 7], [2, 4, 5]), source)
    for extra, option in [
        (["--objectives", "value,risk", "--mode", "scale"], "--mode"),
        (["--objectives", "value,cost", "--from", "5"], "--from"),
        (["--objectives", "value,cost", "--workers", "2"], "--workers"),
        (["--risk-field", "exposure"], "--risk-field"),
        (["--segments", "3"], "--segments"),
    ]:
        assert main(["frontier", str(source), *extra]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert f"error: {option}:" in err
