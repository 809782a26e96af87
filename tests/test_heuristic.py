"""The greedy roadmap, the total-budget bound, and what `solve` does with a start it keeps.

Oracles: exhaustive enumeration (`test_oracle`) for the bound, `verify` (the contract
module, independent of the incremental `Load`) for the greedy schedule's limits and for
its maximality: on engagements without savings or funding pools (where an addition can
only use more) no initiative it left out could have been added at any start.
"""

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.optimize import Status, decode, formulate, prepare, solve
from itstrat_engine.optimize import planner as planner_module
from itstrat_engine.optimize import solution as solution_module
from itstrat_engine.optimize.contract import window
from itstrat_engine.optimize.decoding import from_schedule
from itstrat_engine.optimize.heuristic import greedy_schedule
from itstrat_engine.optimize.relaxation import budget_bound
from itstrat_engine.optimize.solution import Solution
from tests.test_oracle import OBJECTIVES, enumerate_optimum, tiny

_LIMIT_PATHS = ("usage[", "budgets[", "total_spend")
_NOT_PROMISED = ("groups[", "coverage")  # group minimums, a cost plan's required coverage


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(e=tiny(), objective=st.sampled_from(OBJECTIVES))
def test_the_budget_bound_is_never_below_the_optimum(
    e: it.Engagement, objective: dict[str, Any]
) -> None:
    assume(not [p for p in it.validate(e) if p.severity == "error"])
    prepared = prepare(e, **objective)
    bound = budget_bound(formulate(prepared))
    if objective["objective"] in {"cost", "makespan"}:
        assert bound is None
        return
    best = enumerate_optimum(prepared)
    assert bound is not None
    if best is not None:
        assert bound >= best - 1e-6 * max(1.0, abs(best))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(e=tiny(), objective=st.sampled_from(OBJECTIVES))
def test_the_greedy_roadmap_keeps_every_limit_and_leaves_out_only_what_cannot_fit(
    e: it.Engagement, objective: dict[str, Any]
) -> None:
    assume(not [p for p in it.validate(e) if p.severity == "error"])
    prepared = prepare(e, **objective)
    schedule = greedy_schedule(prepared)
    effective = prepared.effective
    problems = it.verify(from_schedule(prepared, schedule, solver="greedy"), effective)
    # Only what the greedy does not promise: group minimums, coverage and mandatory work.
    assert all(
        p.path.startswith(_NOT_PROMISED) or p.message == "a mandatory initiative is not selected"
        for p in problems
    ), problems
    gives_back = effective.capacity.pools or any(i.run_cost < 0 for i in effective.initiatives)
    if gives_back:
        return
    by_id = effective.initiative_by_id
    for item in effective.initiatives:
        if item.id in schedule or item.forbidden or not all(r in schedule for r in item.requires):
            continue
        if any(o in schedule for o in item.excludes) or any(
            item.id in by_id[o].excludes for o in schedule
        ):
            continue
        capped = [g for g in effective.groups if g.kind in ("at_most", "exactly")]
        if any(
            item.id in g.members and sum(m in schedule for m in g.members) >= g.count
            for g in capped
        ):
            continue
        ready = max((schedule[r] + by_id[r].duration for r in item.requires), default=0)
        first, last = window(effective, item)
        for start in prepared.starts[item.id]:
            if start < max(ready, first) or start + item.duration - 1 > last:
                continue
            added = from_schedule(prepared, {**schedule, item.id: start}, solver="greedy")
            broken = it.verify(added, effective)
            assert any(p.path.startswith(_LIMIT_PATHS) for p in broken), (item.id, start)


def test_the_greedy_roadmap_is_what_the_frontier_draws() -> None:
    from itstrat_engine.frontiers import greedy_plan

    prepared = prepare(it.load("examples/dental-group.toml"))
    plan = greedy_plan(prepared)
    assert plan is not None
    assert plan.schedule == greedy_schedule(prepared)
    assert it.verify(plan, prepared.effective) == ()


def _no_plan(*_: object, **__: object) -> Solution:
    return Solution(status=Status.NO_SOLUTION, solver="highs", message="HiGHS Time limit reached")


def test_a_solver_that_finds_nothing_in_time_returns_the_start_with_a_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepared = prepare(it.generate(30, seed=2), solver="highs")
    formulation = formulate(prepared)
    start = greedy_schedule(prepared)
    monkeypatch.setattr(solution_module, "run", _no_plan)
    solved = solve(formulation, start=start)
    assert solved.status == Status.FEASIBLE
    assert dict(solved.schedule) == start
    assert solved.bound == budget_bound(formulation)
    assert solved.bound is not None
    assert solved.incumbent is not None
    assert solved.bound >= solved.incumbent
    plan = decode(prepared, formulation, solved)
    assert plan.status == Status.FEASIBLE
    assert plan.gap is not None
    assert plan.gap > 0
    assert it.verify(plan, prepared.effective) == ()


def test_a_start_that_breaks_a_row_is_not_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    prepared = prepare(it.generate(30, seed=2), solver="highs")
    formulation = formulate(prepared)
    everything = {i: options[0] for i, options in prepared.starts.items() if options}
    monkeypatch.setattr(solution_module, "run", _no_plan)
    assert solve(formulation, start=everything).status == Status.NO_SOLUTION


def test_large_models_start_from_the_greedy_roadmap_and_prove_the_same_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    e = it.generate(25, seed=4)
    alone = it.plan(e, solver="highs", time_limit=30)
    seen: list[object] = []
    real_solve = planner_module.solve

    def recording(formulation: Any, settings: Any = None, *, start: Any = None) -> Solution:
        seen.append(start)
        return real_solve(formulation, settings, start=start)

    monkeypatch.setattr(planner_module, "GREEDY_START_MIN_STARTS", 1)
    monkeypatch.setattr(planner_module, "solve", recording)
    started = it.plan(e, solver="highs", time_limit=30)
    assert seen
    assert seen[0] == greedy_schedule(started.prepared)
    assert alone.status == started.status == Status.OPTIMAL
    assert started.objective_value == alone.objective_value
    assert started.schedule == alone.schedule
