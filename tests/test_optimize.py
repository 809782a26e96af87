"""The planner: right answers on small cases, honest status, diagnosis, determinism, invariants."""

from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.optimize import Plan, Status
from tests.strategies import engagements

SOLVERS = ["highs", "cbc", "cpsat", "auto"]


def engagement(
    initiatives: list[dict[str, Any]], periods: int = 4, **capacity: Any
) -> it.Engagement:
    return it.from_dict(
        {
            "engagement": {"client": "Acme", "start": "2027-Q1", "periods": periods},
            "initiative": initiatives,
            "capacity": capacity,
            "plan": {"time_limit": 30},
        }
    )


def solved(e: it.Engagement, **options: Any) -> Plan:
    """Plan and assert the invariants every plan must keep."""
    result = it.plan(e, **options)
    assert it.verify(result, result.engagement) == ()
    return result


def starts(result: Plan) -> dict[str, int | None]:
    return {i.id: i.start for i in result.initiatives if i.selected}


@pytest.mark.parametrize("solver", SOLVERS)
def test_budget_picks_the_best_portfolio(solver: str) -> None:
    """Under a total budget the planner picks the most valuable affordable set."""
    e = engagement(
        [
            {"id": "a", "name": "A", "cost": 60, "value": 10},
            {"id": "b", "name": "B", "cost": 50, "value": 7},
            {"id": "c", "name": "C", "cost": 50, "value": 7},
        ],
        budget=100,
    )
    result = solved(e, solver=solver)
    assert result.status == Status.OPTIMAL
    assert sorted(starts(result)) == ["b", "c"]
    assert result.objective_value == 14.0
    assert result.best_bound == 14.0
    assert result.gap == 0.0


@pytest.mark.parametrize("solver", SOLVERS)
def test_period_budget_spreads_work_and_prefers_early_starts(solver: str) -> None:
    """A per-period budget forces sequencing; ties start as early as possible."""
    e = engagement(
        [{"id": x, "name": x, "cost": 80, "value": 5} for x in ("a", "b", "c")],
        budget_per_period=100,
    )
    result = solved(e, solver=solver)
    assert sorted(starts(result).values()) == [0, 1, 2]


@pytest.mark.parametrize("solver", SOLVERS)
def test_requires_finishes_first(solver: str) -> None:
    """A dependent starts only after its prerequisite finishes, and needs it selected."""
    e = engagement(
        [
            {"id": "net", "name": "Network", "duration": 2, "cost": 10, "value": 1},
            {"id": "voip", "name": "VoIP", "requires": ["net"], "cost": 10, "value": 9},
            {"id": "orphan", "name": "Orphan", "requires": ["gone"], "value": 50},
            {"id": "gone", "name": "Gone", "forbidden": True, "value": 50},
        ]
    )
    result = solved(e, solver=solver)
    assert starts(result) == {"net": 0, "voip": 2}


@pytest.mark.parametrize("solver", SOLVERS)
def test_excludes_groups_windows_and_gates(solver: str) -> None:
    """Exclusions, group counts, windows and mandatory/forbidden all hold."""
    e = engagement(
        [
            {"id": "pms-a", "name": "PMS A", "value": 10, "excludes": ["pms-b"]},
            {"id": "pms-b", "name": "PMS B", "value": 9},
            {"id": "x", "name": "X", "value": 3},
            {"id": "y", "name": "Y", "value": 2},
            {"id": "z", "name": "Z", "value": 1},
            {"id": "late", "name": "Late", "value": 1, "earliest": "2027-Q3", "duration": 2},
            {"id": "must", "name": "Must", "value": 0, "mandatory": True, "deadline": 0},
            {"id": "never", "name": "Never", "value": 100, "forbidden": True},
        ]
    )
    e = attrs.evolve(
        e, groups=(it.Group(id="g", kind="at_most", count=2, members=("x", "y", "z")),)
    )
    result = solved(e, solver=solver)
    assert starts(result) == {"pms-a": 0, "x": 0, "y": 0, "late": 2, "must": 0}


@pytest.mark.parametrize("solver", SOLVERS)
def test_contractors_buy_missing_hours(solver: str) -> None:
    """Skill hours above capacity are bought from contractors and paid from the budget."""
    e = engagement(
        [{"id": "sec", "name": "Security", "effort": {"security": 150}, "value": 5, "deadline": 0}],
        periods=1,
        skills={"security": 100},
        contractors={"security": {"rate": 2, "max": 60}},
        budget=200,
    )
    result = solved(e, solver=solver)
    assert starts(result) == {"sec": 0}
    use = result.usage[0].skills["security"]
    assert (use.used, use.capacity, use.contractor) == (150.0, 100.0, 50.0)
    assert result.total_spend == 100.0
    poorer = attrs.evolve(e, capacity=attrs.evolve(e.capacity, budget=99.0))
    assert starts(solved(poorer, solver=solver)) == {}


def test_run_costs_count_against_the_budget() -> None:
    """Run costs after go-live are spent every remaining period."""
    e = engagement(
        [
            {
                "id": "saas",
                "name": "SaaS",
                "cost": 10,
                "run_cost": 30,
                "value": 1,
                "earliest": 0,
                "deadline": 0,
            }
        ],
        budget=100,
    )
    result = solved(e)
    assert starts(result) == {"saas": 0}
    assert [row.spend for row in result.usage] == [10.0, 30.0, 30.0, 30.0]  # exactly the budget
    e = attrs.evolve(e, capacity=attrs.evolve(e.capacity, budget=99.0))
    assert starts(solved(e)) == {}


def test_timing_after_finish_rewards_early_delivery() -> None:
    """With value after go-live, the more valuable initiative goes first."""
    e = engagement(
        [
            {"id": "small", "name": "Small", "cost": 10, "value": 1},
            {"id": "big", "name": "Big", "cost": 10, "value": 5},
        ],
        budget_per_period=10,
    )
    result = solved(e, timing="after-finish")
    assert starts(result) == {"big": 0, "small": 1}
    assert result.objective_value == 5 * 3 + 1 * 2


@pytest.mark.parametrize("solver", SOLVERS)
def test_coverage_counts_an_issue_once(solver: str) -> None:
    """Two initiatives fixing the same issue do not count twice."""
    e = it.from_dict(
        {
            "engagement": {"client": "c", "start": "2027-Q1", "periods": 2},
            "issue": [
                {"id": "p", "name": "P", "severity": 5},
                {"id": "q", "name": "Q", "severity": 1},
            ],
            "initiative": [
                {"id": "a", "name": "A", "cost": 10, "addresses": {"p": 1.0}},
                {"id": "b", "name": "B", "cost": 10, "addresses": {"p": 1.0}},
                {"id": "c", "name": "C", "cost": 10, "addresses": {"q": 1.0}},
            ],
            "capacity": {"budget": 20},
        }
    )
    result = solved(e, objective="coverage", solver=solver)
    assert result.objective_value == 6.0
    assert "c" in starts(result)


@pytest.mark.parametrize("solver", SOLVERS)
def test_cost_objective_meets_required_coverage_cheaply(solver: str) -> None:
    """Minimize spend subject to covering a share of the issue weight."""
    e = it.from_dict(
        {
            "engagement": {"client": "c", "start": "2027-Q1", "periods": 2},
            "issue": [
                {"id": "p", "name": "P", "severity": 3},
                {"id": "q", "name": "Q", "severity": 1},
            ],
            "initiative": [
                {"id": "cheap", "name": "Cheap", "cost": 10, "addresses": {"p": 0.5}},
                {"id": "dear", "name": "Dear", "cost": 40, "addresses": {"p": 1.0}},
                {"id": "other", "name": "Other", "cost": 15, "addresses": {"q": 1.0}},
            ],
        }
    )
    result = solved(e, objective="cost", coverage=0.6, solver=solver)
    # 0.6 x 4 = 2.4 of weight: cheap (1.5) + other (1) = 2.5 for 25 beats dear (3) for 40.
    assert sorted(starts(result)) == ["cheap", "other"]
    assert result.objective_value == 25.0


def test_unknown_setting_is_refused_with_a_suggestion() -> None:
    """A misspelt objective passed from Python is an error, not silently ignored."""
    e = engagement([{"id": "a", "name": "A"}])
    with pytest.raises(it.InvalidEngagementError) as error:
        it.plan(e, objective="valeu")
    assert str(error.value.problems[0]) == (
        "plan.objective: unknown objective: got 'valeu', expected one of 'value', 'coverage', "
        "'makespan', 'cost', 'npv'; did you mean 'value'?"
    )


def test_cost_objective_needs_a_coverage() -> None:
    """Without a required coverage the cost objective is a clear error."""
    e = engagement([{"id": "a", "name": "A"}])
    with pytest.raises(
        it.InvalidEngagementError, match="the cost objective needs a required coverage"
    ):
        it.plan(e, objective="cost")


@pytest.mark.parametrize("solver", SOLVERS)
def test_makespan_sequences_under_skill_capacity(solver: str) -> None:
    """Makespan finishes everything as early as capacity and precedence allow."""
    e = engagement(
        [
            {"id": "a", "name": "A", "effort": {"ops": 10}},
            {"id": "b", "name": "B", "effort": {"ops": 10}},
            {"id": "c", "name": "C", "requires": ["a"], "effort": {"ops": 5}},
        ],
        periods=5,
        skills={"ops": 15},
    )
    result = solved(e, objective="makespan", solver=solver)
    assert result.status == Status.OPTIMAL
    assert result.objective_value == 2.0  # a and c cannot share period 0; b runs with c
    assert len(starts(result)) == 3


def test_infeasible_budget_is_diagnosed() -> None:
    """Mandatory work over a period budget is reported in the user's terms."""
    e = engagement(
        [
            {"id": "m365", "name": "M365", "cost": 60, "mandatory": True, "deadline": 0},
            {"id": "erp", "name": "ERP", "cost": 60, "mandatory": True, "deadline": 0},
        ],
        budget_per_period=100,
    )
    result = it.plan(e)
    assert result.status == Status.INFEASIBLE
    assert result.objective_value is None
    assert not result.selected
    assert [f.message for f in result.findings] == [
        "2027-Q1 budget short by 20 USD while erp and m365 run"
    ]


def test_unfundable_mandatory_skill_is_caught_before_solving() -> None:
    """A mandatory item needing more hours than ever available is named with the numbers."""
    e = engagement(
        [{"id": "soc", "name": "SOC", "effort": {"security": 300}, "mandatory": True}],
        skills={"security": 120},
        contractors={"security": {"rate": 100, "max": 40}},
    )
    result = it.plan(e)
    assert result.status == Status.INFEASIBLE
    assert result.message == "infeasible before solving"
    assert [f.message for f in result.findings] == [
        "mandatory soc needs 300 h of security in 2027-Q1, capacity 120 h + 40 h contractors"
    ]


def test_mandatory_skill_conflict_diagnosed_by_elastic_solve() -> None:
    """Two mandatory items that each fit but not together: the skill row that must give."""
    e = engagement(
        [
            {"id": "a", "name": "A", "effort": {"security": 100}, "mandatory": True, "deadline": 0},
            {"id": "b", "name": "B", "effort": {"security": 80}, "mandatory": True, "deadline": 0},
        ],
        skills={"security": 120},
    )
    result = it.plan(e)
    assert [f.message for f in result.findings] == [
        "security short by 60 h in 2027-Q1 (capacity 120 h) while a and b run"
    ]


def test_time_limit_is_not_reported_optimal() -> None:
    """A solve stopped by its time limit is feasible with a gap, or has no solution; never optimal."""
    e = it.generate(400, seed=11)
    result = it.plan(e, time_limit=0.3)
    assert result.status in {Status.FEASIBLE, Status.NO_SOLUTION}
    if result.status == Status.FEASIBLE:
        assert result.gap is not None
        assert result.gap > 0
        assert result.best_bound is not None
        assert result.objective_value is not None
        assert result.best_bound > result.objective_value
        assert it.verify(result, result.engagement) == ()
    else:
        assert result.objective_value is None
        assert not result.selected


def test_requested_gap_is_not_called_optimal() -> None:
    """Stopping at a requested gap reports feasible with the gap reached, unless it is zero."""
    e = it.generate(150, seed=5)
    result = it.plan(e, gap=0.05, time_limit=60)
    assert result.status in {Status.OPTIMAL, Status.FEASIBLE}
    if result.status == Status.FEASIBLE:
        assert result.gap is not None
        assert result.gap > 0
        if result.timings["solver"] < 59:  # stopped by the gap, not by the clock
            assert result.gap <= 0.05 + 1e-9
    else:
        assert result.gap == 0.0


@pytest.mark.parametrize("solver", SOLVERS)
def test_same_input_same_plan(solver: str) -> None:
    """Two runs give byte-identical plans, timings aside."""
    e = it.generate(40, seed=2)
    first = it.plan(e, solver=solver, time_limit=60)
    second = it.plan(e, solver=solver, time_limit=60)
    assert first.to_json(timings=False) == second.to_json(timings=False)


def test_both_solvers_agree_on_the_optimum() -> None:
    """HiGHS and CBC reach the same proven objective value."""
    e = it.generate(30, seed=8)
    highs = solved(e, solver="highs")
    cbc = solved(e, solver="cbc")
    assert highs.status == cbc.status == Status.OPTIMAL
    assert highs.objective_value == cbc.objective_value


def test_plan_json_has_the_contract_fields() -> None:
    """The JSON of a plan carries the contract's keys and shapes."""
    e = engagement(
        [{"id": "a", "name": "A", "cost": 10, "value": 2, "effort": {"ops": 5}}],
        skills={"ops": 10},
        budget_per_period=20,
    )
    data = solved(e).to_dict()
    assert {
        "status",
        "objective_value",
        "best_bound",
        "gap",
        "solver",
        "seconds",
        "periods",
        "initiatives",
        "usage",
    } <= set(data)
    assert data["status"] == "optimal"
    assert data["periods"] == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
    assert data["initiatives"][0] | {} == data["initiatives"][0]
    assert {k: data["initiatives"][0][k] for k in ("id", "selected", "start", "finish")} == {
        "id": "a",
        "selected": True,
        "start": 0,
        "finish": 1,
    }
    assert data["usage"][0]["skills"]["ops"] == {"used": 5.0, "capacity": 10.0, "contractor": 0.0}
    assert data["usage"][0]["budget"] == 20.0
    assert data["usage"][0]["spend"] == 10.0


@settings(max_examples=60)
@given(
    engagements(max_initiatives=7, max_periods=6),
    st.sampled_from(["value", "coverage", "makespan"]),
)
def test_every_plan_keeps_every_promise(e: it.Engagement, objective: str) -> None:
    """On random engagements: verified, mandatory in, predecessors first, or diagnosed."""
    result = it.plan(e, objective=objective, time_limit=20)
    assert result.status in {Status.OPTIMAL, Status.INFEASIBLE}, result.message
    if result.status == Status.INFEASIBLE:
        assert result.findings
        assert not result.selected
        assert result.usage == ()
        return
    assert it.verify(result, result.engagement) == ()
    chosen = starts(result)
    for item in result.engagement.initiatives if result.engagement else ():
        if item.mandatory:
            assert item.id in chosen
        if item.id in chosen:
            for required in item.requires:
                assert required in chosen
                before = result.engagement.initiative_by_id[required] if result.engagement else item
                assert (chosen[required] or 0) + before.duration <= (chosen[item.id] or 0)
    for row in result.usage:
        if row.budget is not None:
            assert row.spend <= row.budget * (1 + 1e-6) + 1e-6


@settings(max_examples=15)
@given(engagements(max_initiatives=5, max_periods=4))
def test_cbc_agrees_with_highs_on_random_engagements(e: it.Engagement) -> None:
    """Both solvers find the same optimal value (or both diagnose infeasibility)."""
    highs = it.plan(e, solver="highs", time_limit=20)
    cbc = it.plan(e, solver="cbc", time_limit=20)
    assert highs.status == cbc.status
    if highs.objective_value is not None and cbc.objective_value is not None:
        assert highs.objective_value == pytest.approx(cbc.objective_value, rel=1e-6, abs=1e-6)
    assert it.verify(cbc, cbc.engagement) == ()
