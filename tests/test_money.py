"""The business case in money: capex and opex, savings, benefits with a ramp, NPV, ROI and
payback, fiscal-year, capex and opex budgets as named rows kept by every plan."""

import json
import math
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.optimize import decode, formulate, prepare, solve
from itstrat_engine.optimize.business_case import business_case, cash_flow
from itstrat_engine.optimize.contract import money_rows, npv, usage

SOLVERS = ["highs", "cbc", "cpsat", "auto"]


def engagement(
    initiatives: list[dict[str, Any]],
    periods: int = 8,
    plan: dict[str, Any] | None = None,
    **capacity: Any,
) -> it.Engagement:
    return it.from_dict(
        {
            "engagement": {"client": "C", "start": "2027-Q1", "periods": periods},
            "initiative": initiatives,
            "capacity": capacity,
            "plan": plan or {},
        },
        "e.toml",
    )


def messages(error: it.ItstratError) -> list[str]:
    return [str(p) for p in error.problems]


# --------------------------------------------------------------------------- the file


def test_a_saving_is_a_negative_run_cost_within_the_supported_range() -> None:
    e = engagement([{"id": "retire", "name": "R", "cost": 10, "run_cost": -4}])
    assert e.initiatives[0].run_cost == -4
    with pytest.raises(it.InvalidEngagementError) as caught:
        engagement([{"id": "retire", "name": "R", "run_cost": -1e13}])
    assert (
        "initiative[0].run_cost: run_cost is too large: got -10000000000000.0"
        in messages(caught.value)[0]
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"cost_kind": "capital"}, "initiative[0].cost_kind: unknown choice: got 'capital'"),
        ({"benefit": -5}, "initiative[0].benefit: benefit is negative"),
        ({"benefit_ramp": [0.5, 1.5]}, "initiative[0].benefit_ramp: benefit_ramp out of range"),
    ],
)
def test_bad_money_keys_are_located(change: dict[str, Any], expected: str) -> None:
    with pytest.raises(it.InvalidEngagementError) as caught:
        engagement([{"id": "a", "name": "A", **change}])
    assert any(expected in m for m in messages(caught.value)), messages(caught.value)


@pytest.mark.parametrize(
    ("initiative", "capacity", "code", "path"),
    [
        ({"benefit": [1, 2]}, {}, "period-count", "initiative[0].benefit"),
        ({}, {"budget_per_year": [100, 200, 300]}, "year-count", "capacity.budget_per_year"),
        ({}, {"opex_per_period": [1, 2]}, "period-count", "capacity.opex_per_period"),
        ({}, {"fiscal_year_start": 2}, "fiscal-year-start", "capacity.fiscal_year_start"),
    ],
)
def test_validate_checks_lengths_and_the_fiscal_year_start(
    initiative: dict[str, Any], capacity: dict[str, Any], code: str, path: str
) -> None:
    e = engagement([{"id": "a", "name": "A", **initiative}], **capacity)
    found = [p for p in it.validate(e) if p.severity == "error"]
    assert [(p.code, p.path) for p in found] == [(code, path)]
    if code == "year-count":
        assert "FY2027, FY2028" in str(found[0])


def test_a_month_outside_the_calendar_is_refused() -> None:
    with pytest.raises(it.InvalidEngagementError) as caught:
        engagement([{"id": "a", "name": "A"}], fiscal_year_start=13)
    assert (
        "capacity.fiscal_year_start: fiscal year start is not a month" in messages(caught.value)[0]
    )


def test_fiscal_years_are_named_by_the_year_they_end_in() -> None:
    e = engagement([{"id": "a", "name": "A"}], fiscal_year_start=10)
    assert e.fiscal_years == ("FY2027",) * 3 + ("FY2028",) * 4 + ("FY2029",)
    calendar = engagement([{"id": "a", "name": "A"}], periods=5)
    assert calendar.fiscal_years == ("FY2027",) * 4 + ("FY2028",)
    months = it.from_dict(
        {
            "engagement": {"client": "C", "start": "2027-05", "period": "month", "periods": 4},
            "capacity": {"fiscal_year_start": 7},
        }
    )
    assert months.fiscal_years == ("FY2027", "FY2027", "FY2028", "FY2028")


# --------------------------------------------------------------------------- figures


def test_cash_flow_figures_by_hand() -> None:
    """Spend 100 first, then 20, 40, 40 back: payback in the fourth period, ROI 0."""
    flow = cash_flow([100, 0, 0, 0], [0, 20, 40, 40], 0.1, ["p0", "p1", "p2", "p3"])
    assert flow.net == (-100, 20, 40, 40)
    assert flow.cumulative == (-100, -80, -40, 0)
    assert flow.npv == pytest.approx(-100 + 20 / 1.1 + 40 / 1.1**2 + 40 / 1.1**3)
    assert flow.roi == 0.0
    assert (flow.payback, flow.payback_periods) == ("p3", 4)


def test_payback_is_when_the_cumulative_stays_positive() -> None:
    """A dip below zero after breaking even moves payback to the last recovery."""
    flow = cash_flow([10, 0, 30, 0], [0, 20, 0, 30], 0.0, ["a", "b", "c", "d"])
    assert flow.cumulative == (-10, 10, -20, 10)
    assert flow.payback == "d"
    never = cash_flow([10, 0], [0, 5], 0.0, ["a", "b"])
    assert (never.payback, never.payback_periods, never.roi) == (None, None, -0.5)
    free = cash_flow([0, 0], [0, 5], 0.0, ["a", "b"])
    assert (free.payback, free.roi) == (None, None)


RAMPED = [
    {
        "id": "crm",
        "name": "CRM",
        "duration": 2,
        "cost": 80,
        "benefit": 40,
        "benefit_ramp": [0.25, 0.5],
        "mandatory": True,
    },
    {"id": "retire", "name": "Retire", "cost": 30, "cost_kind": "opex", "run_cost": -10},
]


def test_benefits_ramp_up_and_savings_lower_spend_after_go_live() -> None:
    e = engagement(RAMPED, periods=6)
    result = it.plan(e, objective="npv")
    assert result.schedule == {"crm": 0, "retire": 0}
    benefit = [row.benefit for row in result.usage]
    assert benefit == [0, 0, 10, 20, 40, 40]
    spend = [row.spend for row in result.usage]
    assert spend == [40 + 30, 40 - 10, -10, -10, -10, -10]
    assert [row.capex for row in result.usage] == [40, 40, 0, 0, 0, 0]
    case = business_case(result)
    assert case.initiatives["retire"].total_spend == 30 - 50
    assert case.plan.npv == pytest.approx(result.objective_value)
    assert result.status == it.Status.OPTIMAL


# --------------------------------------------------------------------------- properties


@st.composite
def money_engagements(draw: st.DrawFn) -> it.Engagement:
    periods = draw(st.integers(2, 6))
    count = draw(st.integers(1, 5))
    initiatives = []
    for k in range(count):
        item: dict[str, Any] = {
            "id": f"i{k}",
            "name": f"I{k}",
            "duration": draw(st.integers(1, 2)),
            "cost": float(draw(st.integers(0, 50))),
            "cost_kind": draw(st.sampled_from(["capex", "opex"])),
            "run_cost": float(draw(st.integers(-8, 8))),
            "benefit": float(draw(st.sampled_from([0, 5, 20, 40]))),
            "value": float(draw(st.integers(0, 9))),
        }
        if draw(st.booleans()):
            item["benefit_ramp"] = [draw(st.sampled_from([0.0, 0.5]))]
        initiatives.append(item)
    capacity: dict[str, Any] = {"fiscal_year_start": draw(st.sampled_from([1, 4, 7, 10]))}
    for key in ("budget_per_year", "capex_per_year", "opex_per_year"):
        if draw(st.booleans()):
            capacity[key] = float(draw(st.integers(0, 80)))
    for key in ("budget_per_period", "capex_per_period", "opex_per_period"):
        if draw(st.integers(0, 2)) == 0:
            capacity[key] = float(draw(st.integers(0, 50)))
    objective = draw(st.sampled_from(["npv", "value"]))
    return engagement(
        initiatives,
        periods=periods,
        plan={"objective": objective, "discount_rate": draw(st.sampled_from([0.0, 0.03]))},
        **capacity,
    )


@pytest.mark.parametrize("solver", SOLVERS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(e=money_engagements())
def test_every_plan_keeps_every_budget_kind(solver: str, e: it.Engagement) -> None:
    """Each fiscal-year, capex and opex budget holds, summed here from the usage rows;
    NPV recomputed from the contract is the planner's objective."""
    result = it.plan(e, solver=solver)
    assert result.status == it.Status.OPTIMAL, result.message
    assert it.verify(result, result.engagement) == ()
    rows = usage(result.engagement, result.schedule)
    for budget in money_rows(result.engagement):
        spent = 0.0
        for t in budget.periods:
            capex, spend = rows[t].capex, rows[t].spend
            spent += (capex if "capex" in budget.kinds else 0) + (
                spend - capex if "opex" in budget.kinds else 0
            )
        assert spent <= budget.limit + 1e-6, budget.name
    if result.objective == "npv":
        assert npv(rows, result.settings.discount_rate) == pytest.approx(
            result.objective_value, abs=1e-6
        )
        assert business_case(result).plan.npv == pytest.approx(result.objective_value, abs=1e-6)


@given(saving=st.integers(1, 20), start=st.integers(0, 3))
def test_a_saving_lowers_spend_in_every_period_after_go_live(saving: int, start: int) -> None:
    base = {"id": "a", "name": "A", "duration": 2, "cost": 50, "earliest": start}
    base["deadline"] = start + 1
    plain = it.plan(engagement([{**base, "mandatory": True}], periods=6))
    saved = it.plan(engagement([{**base, "mandatory": True, "run_cost": -saving}], periods=6))
    for before, after in zip(plain.usage, saved.usage, strict=True):
        lower = saving if before.period >= start + 2 else 0
        assert after.spend == before.spend - lower


# --------------------------------------------------------------------------- budgets bind


def test_a_fiscal_year_budget_changes_the_plan_and_names_its_row() -> None:
    """Two 100-unit projects fit an open horizon in the first year; a 120 FY2027 cap pushes
    one into FY2028; a cap no plan can meet is diagnosed by name."""
    items = [
        {"id": "a", "name": "A", "cost": 100, "benefit": 30, "mandatory": True},
        {"id": "b", "name": "B", "cost": 100, "benefit": 25, "mandatory": True},
    ]
    free = it.plan(engagement(items), objective="npv")
    assert free.schedule == {"a": 0, "b": 0}
    capped = it.plan(engagement(items, budget_per_year=120), objective="npv")
    assert capped.status == it.Status.OPTIMAL
    assert sorted(capped.schedule.values()) == [0, 4]
    assert capped.schedule["a"] == 0  # the larger benefit goes first
    assert capped.objective_value < free.objective_value
    short = it.plan(engagement(items, capex_per_year=[150, 40]), objective="npv")
    assert short.status == it.Status.INFEASIBLE
    messages = [f.message for f in short.findings]
    assert any(m.startswith("FY2027 capex budget short by 50") for m in messages), messages


def test_opex_budget_counts_run_costs_and_contractors_not_capex() -> None:
    items = [
        {"id": "cap", "name": "Cap", "cost": 100, "value": 5, "deadline": 0},
        {"id": "op", "name": "Op", "duration": 2, "cost": 100, "cost_kind": "opex", "value": 4},
        {"id": "run", "name": "Run", "run_cost": 70, "value": 3, "deadline": 0},
    ]
    result = it.plan(engagement(items, periods=2, opex_per_period=110))
    # Period 1 would hold op's 50 and run's 70 of opex; cap's 100 of capex never counts.
    assert sorted(result.schedule) == ["cap", "op"]
    assert it.verify(result, result.engagement) == ()


def test_verify_catches_a_plan_over_a_fiscal_year_budget() -> None:
    """The check is the contract's, not the formulation's: a plan made without the cap
    breaks the capped engagement."""
    items = [{"id": "a", "name": "A", "cost": 100, "value": 5, "mandatory": True}]
    loose = it.plan(engagement(items))
    capped = engagement(items, budget_per_year=50)
    found = it.verify(loose, attrs.evolve(capped, plan=loose.engagement.plan))
    assert [p.path for p in found] == ["budgets[budget-year.FY2027]"]
    assert "exceeds the FY2027 budget of 50.00" in found[0].message


def test_a_swept_fiscal_year_budget_matches_fresh_plans() -> None:
    items = [
        {"id": "a", "name": "A", "cost": 100, "benefit": 30},
        {"id": "b", "name": "B", "cost": 100, "benefit": 25},
    ]
    e = engagement(items, budget_per_year=250, plan={"objective": "npv"})
    prepared = prepare(e)
    formulation = formulate(prepared)
    for cap in (50.0, 120.0, 250.0):
        variant = prepared.with_capacity(budget_per_year=cap)
        formulation.retarget(variant)
        swept = decode(variant, formulation, solve(formulation))
        fresh = it.plan(attrs.evolve(e, capacity=attrs.evolve(e.capacity, budget_per_year=cap)))
        assert swept.objective_value == pytest.approx(fresh.objective_value)
        assert swept.schedule == fresh.schedule
    plain = prepare(engagement(items, plan={"objective": "npv"}))
    with pytest.raises(it.InvalidEngagementError, match="no row for"):
        formulate(plain).retarget(plain.with_capacity(budget_per_year=10.0))


# --------------------------------------------------------------------------- the CLI


def test_plan_text_and_json_read_in_money(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = {
        "engagement": {"client": "C", "start": "2027-Q1", "periods": 6},
        "initiative": RAMPED,
        "capacity": {"opex_per_year": 100},
        "plan": {"objective": "npv", "discount_rate": 0.02},
    }
    path = tmp_path / "e.toml"
    path.write_text(tomli_w.dumps(data))
    assert main(["plan", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Business case: NPV " in out
    assert "at 2.0% per quarter, ROI " in out
    assert "payback 2028-Q1 (5 quarters)" in out
    assert "Cash flow per period (USD)" in out
    assert "FY2027 opex budget" in out
    target = tmp_path / "plan.json"
    assert main(["plan", str(path), "-o", str(target)]) == 0
    record = json.loads(target.read_text())
    case = record["business_case"]
    assert case["payback"] == "2028-Q1"
    assert math.isclose(case["npv"], record["objective_value"])
    assert [u["benefit"] for u in record["usage"]] == [0, 0, 10, 20, 40, 40]
    assert case["budgets"][0]["name"] == "FY2027 opex budget"
    assert it.load_plan(target) == it.plan(it.load(path))


# --------------------------------------------------------------------------- funding pools

POOLED = [
    {"id": "a", "name": "A", "cost": 100, "value": 5},
    {"id": "b", "name": "B", "cost": 60, "value": 4, "tags": ["compliance"]},
    {"id": "c", "name": "C", "cost": 30, "value": 3, "tags": ["compliance"]},
]
GRANT = {"id": "grant", "amount": 80, "tags": ["compliance"]}


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_pool_pays_only_for_its_tagged_initiatives(solver: str) -> None:
    """100 of budget and an 80 grant for compliance work: a and b (160), not all three (190:
    the grant covers b and c, 110 is left for a budget of 100)."""
    result = it.plan(engagement(POOLED, periods=4, budget=100, pools=[GRANT]), solver=solver)
    assert result.status == it.Status.OPTIMAL
    assert sorted(result.schedule) == ["a", "b"]
    assert result.total_spend == 160
    assert it.verify(result, result.engagement) == ()
    (use,) = business_case(result).budgets
    assert (use.name, use.spent, use.limit) == ("funding pool grant", 60, 80)
    untagged = {**GRANT, "tags": ["growth"]}
    without = it.plan(engagement(POOLED, periods=4, budget=100, pools=[untagged]), solver=solver)
    assert sorted(without.schedule) == ["b", "c"]  # 90 of 100, value 7 against 5


def test_verify_asks_the_pools_what_they_can_pay() -> None:
    """A plan over the total budget passes only when the pools can pay the difference."""
    result = it.plan(engagement(POOLED, periods=4, budget=100, pools=[GRANT]))
    smaller = engagement(POOLED, periods=4, budget=100, pools=[{**GRANT, "amount": 50}])
    found = it.verify(result, attrs.evolve(smaller, plan=result.engagement.plan))
    assert [p.path for p in found] == ["total_spend"]
    assert "50.00 of it paid by funding pools" in found[0].message


def test_a_swept_pool_amount_matches_fresh_plans() -> None:
    e = engagement(POOLED, periods=4, budget=100, pools=[GRANT])
    prepared = prepare(e)
    formulation = formulate(prepared)
    for amount in (0.0, 30.0, 90.0):
        pools = (attrs.evolve(e.capacity.pools[0], amount=amount),)
        variant = prepared.with_capacity(pools=pools)
        formulation.retarget(variant)
        swept = decode(variant, formulation, solve(formulation))
        fresh = it.plan(attrs.evolve(e, capacity=attrs.evolve(e.capacity, pools=pools)))
        assert (swept.objective_value, swept.schedule) == (fresh.objective_value, fresh.schedule)
    other = (attrs.evolve(e.capacity.pools[0], tags=("growth",)),)
    with pytest.raises(it.InvalidEngagementError, match="only amounts may change"):
        formulation.retarget(prepared.with_capacity(pools=other))


def test_pool_mistakes_are_reported() -> None:
    with pytest.raises(it.InvalidEngagementError) as caught:
        engagement(POOLED, pools=[{**GRANT, "tags": []}])
    assert "capacity.pools[0].tags: a pool that may pay for nothing" in messages(caught.value)[0]
    e = engagement(POOLED, pools=[{**GRANT, "tags": ["complaince"]}, GRANT])
    problems = {(p.code, p.path): str(p) for p in it.validate(e)}
    assert "did you mean 'compliance'?" in problems["unused-pool-tag", "capacity.pools[0].tags[0]"]
    assert ("duplicate-id", "capacity.pools[1].id") in problems


@pytest.mark.parametrize(
    ("items", "capacity"),
    [
        # One-off costs of mandatory work above the total budget, paid by a pool.
        (
            [{"id": "a", "name": "A", "cost": 21, "mandatory": True, "tags": ["t"]}],
            {"budget": 20, "pools": [{"id": "p", "amount": 1, "tags": ["t"]}]},
        ),
        # A period's cost above its budget, made room for by a saving live before it.
        (
            [
                {"id": "save", "name": "S", "run_cost": -10, "deadline": 0, "mandatory": True},
                {"id": "a", "name": "A", "cost": 25, "earliest": 1, "mandatory": True},
            ],
            {"budget_per_period": 20},
        ),
    ],
)
def test_presolve_does_not_refuse_what_savings_or_pools_pay_for(
    items: list[dict[str, Any]], capacity: dict[str, Any]
) -> None:
    result = it.plan(engagement(items, periods=3, **capacity))
    assert result.status == it.Status.OPTIMAL, result.findings
    assert it.verify(result, result.engagement) == ()
