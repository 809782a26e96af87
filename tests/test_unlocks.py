"""Limits, next unlocks and cheapest mixes, checked against enumeration and re-plans."""

import itertools
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.instances import KnapsackInstance, knapsack_engagement
from itstrat_engine.unlocks import MARGIN, RAISE, RowLimit, _raised, cheapest_mix, limits

Items = list[tuple[int, int, int]]  # (cost, hours, value)


def two_limits(items: Items, budget: int, hours: int, rate: float | None = None) -> it.Engagement:
    """A one-period knapsack with a money limit and an hours limit (and maybe a contractor)."""
    instance = KnapsackInstance(
        name="k",
        profits=tuple(float(v) for _, _, v in items),
        weights=(tuple(float(c) for c, _, _ in items), tuple(float(h) for _, h, _ in items)),
        capacities=(float(budget), float(hours)),
    )
    e = knapsack_engagement(instance)
    if rate is None:
        return e
    contractors = {"constraint-2": it.Contractor(rate=rate, max=0.0)}
    return attrs.evolve(e, capacity=attrs.evolve(e.capacity, contractors=contractors))


def subsets(n: int) -> list[tuple[int, ...]]:
    return [s for k in range(n + 1) for s in itertools.combinations(range(n), k)]


def total(items: Items, chosen: tuple[int, ...], field: int) -> int:
    return sum(items[j][field] for j in chosen)


def best(items: Items, budget: float, hours: float) -> int:
    return max(
        total(items, s, 2)
        for s in subsets(len(items))
        if total(items, s, 0) <= budget and total(items, s, 1) <= hours
    )


def least(values: list[float]) -> float | None:
    return min(values) if values else None


def row(found: it.Plan, name: str) -> RowLimit:
    return next(r for r in limits(found).rows if r.name == name)


item_lists = st.lists(
    st.tuples(st.integers(1, 30), st.integers(0, 20), st.integers(1, 25)), min_size=1, max_size=6
)


@settings(max_examples=20, deadline=None)
@given(item_lists, st.integers(0, 60), st.integers(0, 40))
def test_next_unlocks_equal_enumeration(items: Items, budget: int, hours: int) -> None:
    e = two_limits(items, budget, hours)
    found = it.plan(e)
    optimum = best(items, budget, hours)
    assert found.objective_value == pytest.approx(optimum)
    everything = subsets(len(items))
    money_needed = least(
        [
            total(items, s, 0) - budget
            for s in everything
            if total(items, s, 1) <= hours and total(items, s, 2) > optimum
        ]
    )
    hours_needed = least(
        [
            total(items, s, 1) - hours
            for s in everything
            if total(items, s, 0) <= budget and total(items, s, 2) > optimum
        ]
    )
    rows = {r.name: r for r in limits(found).rows}
    for name, needed, amount_of in (
        ("total budget", money_needed, lambda s: (budget + s, hours)),
        ("constraint-2 hours in 2000", hours_needed, lambda s: (budget, hours + s)),
    ):
        r = rows.get(name)
        if r is None:  # no item needs hours: the model has no such row
            assert needed is None
            continue
        if needed is None:
            assert r.extra is None
            assert r.note.startswith("no extra amount")
            continue
        assert r.extra is not None
        assert r.extra.proven
        assert r.extra.low == pytest.approx(needed, abs=1e-6)
        raised_budget, raised_hours = amount_of(needed)
        gained = best(items, raised_budget, raised_hours) - optimum
        assert r.gain is not None
        assert r.gain.proven
        assert r.gain.low == pytest.approx(gained)
        assert set(r.admits) <= {f"item-{j + 1}" for j in range(len(items))}


@settings(max_examples=20, deadline=None)
@given(item_lists, st.integers(0, 60), st.integers(0, 40), st.data())
def test_cheapest_mix_to_admit_equals_enumeration(
    items: Items, budget: int, hours: int, data: st.DataObject
) -> None:
    """Money only (no contractor): least max(0, cost - budget) over plans with it, as good."""
    e = two_limits(items, budget, hours)
    found = it.plan(e)
    optimum = best(items, budget, hours)
    j = data.draw(st.integers(0, len(items) - 1))
    item_id = f"item-{j + 1}"
    needed = least(
        [
            max(0, total(items, s, 0) - budget)
            for s in subsets(len(items))
            if j in s and total(items, s, 1) <= hours and total(items, s, 2) >= optimum
        ]
    )
    mix = cheapest_mix(found, admit=item_id)
    if needed is None:
        assert mix.total is None
        return
    assert mix.total is not None
    assert mix.total.proven
    assert mix.total.low == pytest.approx(needed, abs=1e-6)
    assert mix.reached
    assert mix.plan is not None
    assert item_id in mix.plan.schedule
    assert mix.plan.objective_value is not None
    assert mix.plan.objective_value >= optimum - 1e-6
    assert it.verify(mix.plan, mix.plan.engagement) == ()


def test_a_mix_buys_contractor_hours_paid_from_extra_money() -> None:
    # Two items; the hours limit blocks b unless contractors (rate 10) fill in.
    items = [(10, 10, 5), (10, 10, 6)]
    e = two_limits(items, budget=25, hours=10, rate=10.0)
    found = it.plan(e)
    assert sorted(found.schedule) == ["item-2"]
    mix = cheapest_mix(found, admit="item-1")
    # Both: cost 20 + 10 contractor hours at 10 = 120 against a budget of 25: 95 more.
    assert mix.total is not None
    assert mix.total.low == pytest.approx(95)
    assert mix.hours == {("constraint-2", "2000"): pytest.approx(10)}
    assert mix.reached
    assert mix.plan is not None
    assert sorted(mix.plan.schedule) == ["item-1", "item-2"]


def test_a_target_value_mix_and_an_impossible_target() -> None:
    items = [(10, 0, 5), (20, 0, 8), (30, 0, 9)]
    found = it.plan(two_limits(items, budget=30, hours=0))
    assert found.objective_value == 13
    mix = cheapest_mix(found, target=17)
    assert mix.total is not None
    assert mix.total.low == pytest.approx(20)
    assert mix.reached
    impossible = cheapest_mix(found, target=100)
    assert impossible.total is None
    assert "proven" in impossible.note


def test_every_unlock_of_a_multi_period_plan_holds_up_to_a_re_plan() -> None:
    """Generated engagements: raised by the amount the optimum rises; by less it does not."""
    e = it.generate(7, seed=11)
    # Period budgets of half the total's even share: most of them hold work back.
    tight = e.capacity.budget / e.periods * 2  # type: ignore[operator]
    e = attrs.evolve(e, capacity=attrs.evolve(e.capacity, budget_per_period=tight))
    base = it.plan(e, time_limit=20)
    assert base.status == it.Status.OPTIMAL
    optimum = base.objective_value or 0.0
    found = limits(base)
    assert sum(r.extra is not None and r.key[0] == "budget" for r in found.rows) >= 5
    for r in found.rows:
        assert r.used <= r.limit + 1e-6
        if r.extra is None:
            if r.note.startswith("no extra amount"):
                lifted = it.plan(_raised(base.prepared.effective, r.key, 1e9), time_limit=20)
                assert lifted.objective_value == pytest.approx(optimum, abs=RAISE)
            continue
        assert r.extra.proven
        assert r.extra.high is not None
        more = _raised(base.prepared.effective, r.key, r.extra.high + MARGIN * max(1, r.limit))
        raised = it.plan(more, time_limit=20)
        assert raised.objective_value is not None
        assert raised.objective_value > optimum + RAISE / 2
        assert r.gain is not None
        assert r.gain.low == pytest.approx(raised.objective_value - optimum)
        if r.extra.low > 1e-3:
            short = r.extra.low * (1 - 1e-3) - 1e-3
            less = it.plan(_raised(base.prepared.effective, r.key, short), time_limit=20)
            assert less.objective_value == pytest.approx(optimum, abs=RAISE)


def test_an_unproven_plan_gives_intervals_or_nothing_as_a_point() -> None:
    e = two_limits([(10, 0, 5), (20, 0, 8), (30, 0, 9)], budget=30, hours=0)
    found = it.plan(e)
    # The same plan said to be unproven, with a bound above its value.
    unproven = attrs.evolve(found, status=it.Status.FEASIBLE, best_bound=14.0)
    r = row(unproven, "total budget")
    assert r.extra is not None
    assert not r.extra.proven
    assert r.extra.high is not None
    assert r.extra.low <= r.extra.high
    assert not limits(unproven).proven


def test_limits_errors_are_located() -> None:
    found = it.plan(two_limits([(10, 0, 5)], budget=5, hours=0))
    with pytest.raises(it.InvalidEngagementError, match="no such limit"):
        limits(found, [("budget", "1999")])
    with pytest.raises(it.InvalidEngagementError, match="exactly one goal"):
        cheapest_mix(found)
    with pytest.raises(it.InvalidEngagementError) as error:
        cheapest_mix(found, admit="item-9")
    assert "item-1" in str(error.value)
    done = cheapest_mix(it.plan(two_limits([(1, 0, 5)], budget=5, hours=0)), admit="item-1")
    assert done.total is not None
    assert done.total.low == 0
    assert done.note == "already in the roadmap"


def test_the_command_prints_limits_and_a_mix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "k.toml"
    it.dump(two_limits([(10, 5, 5), (20, 5, 8), (30, 5, 9)], budget=30, hours=100), source)
    assert main(["limits", str(source)]) == 0
    text = capsys.readouterr().out
    assert "total budget" in text
    assert "+10 raises it +1" in text
    assert main(["limits", str(source), "--admit", "item-3", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["limits"] is None
    assert data["mix"]["total"]["low"] == pytest.approx(10)
    assert data["mix"]["reached"]
    assert main(["limits", str(source), "--format", "json", "--all"]) == 0
    rows = json.loads(capsys.readouterr().out)["limits"]["rows"]
    assert {"name", "limit", "used", "slack", "binds", "next_unlock"} <= set(rows[0])
    assert main(["limits", str(source), "--admit", "item-7"]) == 1
    assert "did you mean" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["limits", str(source), "--admit", "item-1", "--target", "3"])
    assert usage.value.code == 2
