"""The budget frontier: every breakpoint equal to a knapsack dynamic program's, the greedy curve
never above it, intervals that agree with the points, honest bands and located errors."""

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.frontiers import frontier, greedy_plan
from itstrat_engine.instances import KnapsackInstance, knapsack_engagement
from itstrat_engine.optimize import formulate, prepare, solve


def knapsack(costs: list[int], values: list[int]) -> it.Engagement:
    instance = KnapsackInstance(
        name="k",
        profits=tuple(float(v) for v in values),
        weights=(tuple(float(c) for c in costs),),
        capacities=(float(sum(costs)),),
    )
    return knapsack_engagement(instance)


def dynamic_program(costs: list[int], values: list[int]) -> list[tuple[int, int]]:
    """(least budget, best value) at every step of the 0-1 knapsack's value curve."""
    capacity = sum(costs)
    best = [0] * (capacity + 1)
    for cost, value in zip(costs, values, strict=True):
        for c in range(capacity, cost - 1, -1):
            best[c] = max(best[c], best[c - cost] + value)
    return [(c, best[c]) for c in range(capacity + 1) if c == 0 or best[c] > best[c - 1]]


def steps(f: Any) -> list[tuple[float, float]]:
    return sorted((p.budget, p.value) for p in f.points)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 40), st.integers(1, 30)), min_size=1, max_size=10))
def test_the_frontier_equals_the_dynamic_program(items: list[tuple[int, int]]) -> None:
    costs, values = [c for c, _ in items], [v for _, v in items]
    f = frontier(knapsack(costs, values))
    assert steps(f) == [(float(c), float(v)) for c, v in dynamic_program(costs, values)]
    assert f.complete
    # One solve per breakpoint; the empty plan ends the sweep at budget 0 without another.
    assert f.solves == len(f.points)
    assert f.infeasible_below == 0.0


def test_a_frontier_swept_apart_on_workers_equals_the_serial_sweep() -> None:
    """Cut into ranges on two processes: the same steps, intervals and greedy curve."""
    costs = [(7 * j) % 23 + 1 for j in range(14)]
    values = [(5 * j) % 3 + 1 for j in range(14)]
    engagements = [knapsack(costs, values), it.generate(8, seed=3)]
    with ProcessPoolExecutor(2) as pool:
        for engagement in engagements:
            serial = frontier(engagement).as_dict()
            solves = serial.pop("solves")
            for segments in (1, 3, 7):
                apart = frontier(engagement, executor=pool, segments=segments).as_dict()
                assert apart.pop("solves") >= solves
                assert apart == serial
    dp = [(float(c), float(v)) for c, v in dynamic_program(costs, values)]
    with ProcessPoolExecutor(2) as pool:
        assert steps(frontier(engagements[0], executor=pool, segments=5)) == dp


def test_the_canonical_plan_spends_the_least_its_value_needs() -> None:
    """Least spend before earliest starts (value counted once, with run costs, where an earlier
    start costs more run cost): at every step a cent less budget loses value, so the sweep
    needs one solve per step (and one to find that nothing fits below the last)."""
    for seed in (1, 2):
        engagement = it.generate(10, seed=seed)
        assert engagement.plan.timing == "once"
        f = frontier(engagement)
        assert f.complete
        assert f.solves <= len(f.points) + 1


def test_the_frontier_of_sixty_items_equals_the_dynamic_program() -> None:
    costs = [(7 * j) % 23 + 1 for j in range(60)]
    values = [(5 * j) % 3 + 1 for j in range(60)]
    f = frontier(knapsack(costs, values))
    assert steps(f) == [(float(c), float(v)) for c, v in dynamic_program(costs, values)]


@settings(max_examples=20, deadline=None)
@given(st.integers(4, 9), st.integers(0, 10_000))
def test_greedy_is_never_above_the_frontier(n: int, seed: int) -> None:
    engagement = it.generate(n, seed=seed, periods=3)
    if it.plan(engagement, time_limit=20).status == it.Status.INFEASIBLE:
        # No plan at any budget (the mandatory work does not fit the skills): said, not an
        # empty frontier called complete.
        with pytest.raises(it.InvalidEngagementError, match="no plan at any budget"):
            frontier(engagement, time_limit=20)
        return
    f = frontier(engagement, time_limit=20)
    assert f.greedy
    for point, greedy in zip(f.points, f.greedy, strict=True):
        assert greedy.budget == point.budget
        if greedy.value is not None:
            assert greedy.value <= point.value + 1e-6
    report = f.as_dict()
    for entry in report["greedy"]:
        if entry["value"] is not None:
            assert entry["gap"] >= -1e-6


def test_every_point_is_its_plan_and_the_intervals_agree() -> None:
    e = it.generate(8, seed=11, periods=4)
    f = frontier(e, time_limit=20)
    values = [p.value for p in f.points]  # highest budget first: values fall with budgets
    assert values == sorted(values, reverse=True)
    for point in f.points:
        assert it.verify(point.plan, point.plan.engagement) == ()
        assert point.spend == point.plan.total_spend
        # The plan is optimal at the top of its step: an independent plan there agrees.
        if point.to is not None:
            at_top = it.plan(attrs.evolve(e, capacity=attrs.evolve(e.capacity, budget=point.to)))
            assert at_top.objective_value == pytest.approx(point.value)
    for point in f.points:
        for item_id in point.selected:
            spans = f.initiatives[item_id]
            assert any(a <= point.budget and (b is None or point.budget <= b) for a, b in spans)
    for item_id, spans in f.initiatives.items():
        for point in f.points:
            if any(a <= point.budget and (b is None or point.budget <= b) for a, b in spans):
                assert item_id in point.selected


def test_scale_mode_multiplies_every_budget() -> None:
    e = it.from_dict(
        {
            "engagement": {"client": "C", "start": "2027-Q1", "periods": 2},
            "initiative": [
                {"id": "a", "name": "A", "cost": 40, "value": 5},
                {"id": "b", "name": "B", "cost": 60, "value": 7},
                {"id": "c", "name": "C", "cost": 30, "value": 2},
            ],
            "capacity": {"budget": 100, "budget_per_period": 60},
        }
    )
    f = frontier(e, mode="scale")
    assert f.mode == "scale"
    factors = steps(f)
    assert factors[0] == (0.0, 0.0)
    for factor, value in factors:
        capacity = it.Capacity(budget=100 * factor, budget_per_period=60 * factor)
        scaled = it.plan(attrs.evolve(e, capacity=capacity))
        assert scaled.objective_value == pytest.approx(value)


def test_a_resolution_and_a_time_budget_mark_the_frontier_incomplete() -> None:
    e = knapsack([3, 5, 7, 9, 11], [2, 3, 4, 5, 6])
    coarse = frontier(e, resolution=10)
    exact = frontier(e)
    assert len(coarse.points) < len(exact.points)
    assert not coarse.complete
    assert set(steps(coarse)) <= set(steps(exact))  # every point shown is still exact
    cut = frontier(e, time_budget=0.1)
    assert cut.timed_out
    assert not cut.complete


def test_greedy_plans_keep_every_rule() -> None:
    for seed in range(6):
        prepared = prepare(it.generate(10, seed=seed, periods=4))
        plan = greedy_plan(prepared)
        if plan is not None:
            assert it.verify(plan, prepared.effective) == ()


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"objective": "cost", "coverage": 0.5}, "plan.objective"),
        ({"low": 10, "high": 5}, "low"),
        ({"low": -1}, "low"),
        ({"resolution": -1}, "resolution"),
        ({"time_budget": 0}, "time_budget"),
        ({"segments": 0}, "segments"),
    ],
)
def test_bad_calls_are_located(kwargs: dict[str, Any], path: str) -> None:
    with pytest.raises(it.InvalidEngagementError) as raised:
        frontier(it.generate(4, seed=1), **kwargs)
    assert path in [p.path for p in raised.value.problems]


def test_the_command_prints_a_table_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    e = tmp_path / "k.toml"
    e.write_text(it.dumps(knapsack([3, 5, 7], [2, 3, 4])), encoding="utf-8")
    assert main(["frontier", str(e)]) == 0
    out = capsys.readouterr().out
    assert "Budget frontier" in out
    assert main(["frontier", str(e), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"points", "greedy", "initiatives"} <= set(report)
    assert sorted((p["budget"], p["value"]) for p in report["points"]) == [
        (float(c), float(v)) for c, v in dynamic_program([3, 5, 7], [2, 3, 4])
    ]
    assert main(["frontier", str(e), "--from", "9", "--to", "3"]) == 1
    assert "swap --from and --to" in capsys.readouterr().err


@pytest.mark.parametrize("solver", ["cbc", "highs", "cpsat"])
def test_a_start_that_no_longer_fits_never_costs_the_optimum(solver: str) -> None:
    """Found by the frontier's dynamic-program test: CBC given the previous (now too
    expensive) plan as a MIP start proved 9 where 10 is optimal. Such a start is dropped."""
    e = knapsack([1, 1, 1, 6, 6], [1, 1, 2, 5, 5])
    variant = prepare(e, solver=solver).with_capacity(budget=12.99)
    too_dear = {"item-3": 0, "item-4": 0, "item-5": 0}  # costs 13
    solution = solve(formulate(variant), start=too_dear)
    assert solution.status.value == "optimal"
    assert sorted(solution.schedule) == ["item-4", "item-5"]


@pytest.mark.parametrize("solver", ["cbc", "highs", "cpsat", "auto"])
def test_parallel_budget_rows_do_not_cut_off_the_optimum(solver: str) -> None:
    """Found by the dynamic-program test: CBC 2.10.3's probing cuts proved 9 where 10 is
    optimal when the unlimited period row (14) and the total budget (10.99) are parallel."""
    e = knapsack([1, 1, 5, 1, 5], [1, 2, 5, 1, 5])
    result = it.plan(
        attrs.evolve(e, capacity=attrs.evolve(e.capacity, budget=10.99)), solver=solver
    )
    assert result.status.value == "optimal"
    assert result.objective_value == 10


def test_an_engagement_with_no_plan_at_any_budget_is_an_error_that_says_why() -> None:
    engagement = it.generate(8, seed=149, periods=3)  # skill-3 short in 2027-Q1
    for mode in ("total", "scale"):
        with pytest.raises(it.InvalidEngagementError) as raised:
            frontier(engagement, mode=mode)  # type: ignore[arg-type]
        (problem,) = raised.value.problems
        assert problem.code == "no-plan"
        assert "skill-3 short by" in problem.message
        assert "itstrat plan FILE" in (problem.suggestion or "")


def test_a_solve_without_a_plan_ends_the_sweep_incomplete(monkeypatch: pytest.MonkeyPatch) -> None:
    """A solve that finds nothing in its limit proves nothing below it: never 'complete'."""
    from itstrat_engine.optimize import planner

    engagement = knapsack([3, 5, 7, 9], [2, 3, 4, 5])
    real = planner.plan_prepared
    made = []

    def second_finds_nothing(prepared: Any, **kwargs: Any) -> it.Plan:
        made.append(prepared.effective.capacity.budget)
        found = real(prepared, **kwargs)
        if len(made) == 2:
            return attrs.evolve(found, status=it.Status.NO_SOLUTION, schedule={})
        return found

    monkeypatch.setattr(planner, "plan_prepared", second_finds_nothing)
    f = frontier(engagement, workers=1)
    assert len(f.points) == 1
    assert f.solves == 2
    assert not f.complete
    assert f.stopped.startswith("the solve at ")
    assert "(no_solution)" in f.stopped
    assert f.as_dict()["stopped"] == f.stopped
    assert f.infeasible_below is None


def test_a_long_sweep_goes_on_in_worker_processes_with_the_same_steps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past `POOL_AFTER` seconds the rest of the range goes to one process per core."""
    from itstrat_engine import frontiers

    costs = [(7 * j) % 23 + 1 for j in range(14)]
    values = [(5 * j) % 3 + 1 for j in range(14)]
    engagement = knapsack(costs, values)
    serial = frontier(engagement, workers=1).as_dict()
    assert serial["solves"] == len(serial["points"])  # one solve per step here
    monkeypatch.setattr(frontiers, "POOL_AFTER", 0.0)  # every sweep is "long"
    pooled = frontier(engagement, workers=2, segments=3).as_dict()
    assert pooled.pop("solves") > serial.pop("solves")  # each range proves its own top
    assert pooled == serial
    dp = [(float(c), float(v)) for c, v in dynamic_program(costs, values)]
    assert sorted((p["budget"], p["value"]) for p in pooled["points"]) == dp
    with pytest.raises(it.InvalidEngagementError, match="workers"):
        frontier(engagement, workers=0)


def test_a_sweep_tells_its_progress_and_the_terminal_line_is_rewritten() -> None:
    import io

    from itstrat_engine.cli._output import StatusLine
    from itstrat_engine.pareto import pareto

    told: list[str] = []
    f = frontier(knapsack([3, 5, 7], [2, 3, 4]), workers=1, progress=told.append)
    assert told[0].startswith("1 step found, down to ")
    assert told[-1].startswith(f"{len(f.points)} steps found, down to ")
    assert len(told) == f.solves  # one message per solve that found a step
    front: list[str] = []
    pareto(it.generate(5, seed=1), ("value", "cost"), progress=front.append)
    assert front[-1].endswith(" found")
    assert front[0] == "1 point found"

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    line = StatusLine(screen, "itstrat frontier")
    assert line.told is not None
    line.told("12 steps found")
    line.told("3 left")
    line.end()
    assert screen.getvalue() == (
        "\ritstrat frontier: 12 steps found\ritstrat frontier: 3 left        \n"
    )
    assert StatusLine(io.StringIO(), "x").told is None  # a pipe or a file gets nothing


# --------------------------------------------------------------- one CP-SAT model, moved level to level


def _points(f: Any) -> list[tuple[float, float, float]]:
    return [(round(p.budget, 6), round(p.value, 6), round(p.spend, 6)) for p in f.points]


@settings(max_examples=12, deadline=None)
@given(st.integers(3, 7), st.integers(0, 10_000), st.sampled_from(["total", "scale"]))
def test_the_moved_model_finds_the_steps_a_plan_per_level_finds(
    n: int, seed: int, mode: str
) -> None:
    """CP-SAT moved from level to level, cut off below each step's least spend (``auto``),
    against HiGHS planning every level anew: the same steps, values and least spends."""
    engagement = it.generate(n, seed=seed, periods=4)
    if it.plan(engagement, time_limit=20).status == it.Status.INFEASIBLE:
        return
    kwargs: dict[str, Any] = {"mode": mode, "workers": 1, "time_limit": 20}
    moved = frontier(engagement, **kwargs)
    anew = frontier(engagement, **kwargs, solver="highs")
    assert moved.complete
    assert anew.complete
    assert _points(moved) == _points(anew)
    if mode == "total":  # one solve per step (scale: a least-spend plan need not be least ratio)
        assert moved.solves <= len(moved.points) + 1


def test_a_step_plan_depends_on_its_level_alone() -> None:
    """Swept from the top or from just above a step, the step's roadmap is the same: the
    least-spend solve at each level sees neither a hint nor the levels solved before (what
    lets a sweep be cut into ranges on any number of processes and stay byte for byte)."""
    engagement = it.generate(9, seed=5, periods=6)
    whole = frontier(engagement, workers=1)
    assert len(whole.points) >= 6
    middle = whole.points[len(whole.points) // 2]
    assert middle.to is not None
    part = frontier(engagement, workers=1, high=middle.to)
    assert [p.plan.schedule for p in part.points] == [
        p.plan.schedule for p in whole.points if p.to is not None and p.to <= middle.to
    ]


def test_funding_pools_keep_every_step_without_the_cutoff() -> None:
    """Pool money does not count against the total budget, so a plan that spends more can
    fit a smaller budget: the cutoff below a step's least spend would be wrong there."""
    from tests.test_money import GRANT, POOLED, engagement

    pooled = engagement(POOLED, periods=4, budget=300, pools=[GRANT])
    moved = frontier(pooled, workers=1)
    anew = frontier(pooled, workers=1, solver="highs")
    assert _points(moved) == _points(anew)
    assert moved.complete
