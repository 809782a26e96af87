"""An independent oracle: on tiny engagements the planner's optimum is exhaustive enumeration's.

Every schedule of up to four initiatives over up to three periods is enumerated, checked
with `verify` (the contract module, independent of the formulation) and scored with
`contract.objective_value`; the planner must prove the best of them, or say infeasible
exactly when none is feasible. Every objective and value timing (npv with and without
discounting), money kinds, savings, benefits with a ramp, fiscal-year, capex and opex
budgets, funding pools, every backend.
"""

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.optimize import (
    Plan,
    Prepared,
    Status,
    prepare,
)
from itstrat_engine.optimize.decoding import from_schedule

OBJECTIVES: list[dict[str, Any]] = [
    {"objective": "value"},
    {"objective": "value", "timing": "after-finish"},
    {"objective": "value", "timing": "discounted", "discount_rate": 0.1},
    {"objective": "coverage"},
    {"objective": "makespan"},
    {"objective": "cost", "coverage": 0.5},
    {"objective": "npv"},
    {"objective": "npv", "discount_rate": 0.05},
]


@st.composite
def tiny(draw: st.DrawFn) -> it.Engagement:
    periods = draw(st.integers(1, 3))
    count = draw(st.integers(1, 4))
    ids = [f"i{k}" for k in range(count)]
    issues = [
        {"id": f"q{k}", "name": f"Q{k}", "severity": draw(st.integers(1, 3))} for k in range(2)
    ]
    initiatives = []
    for k, item_id in enumerate(ids):
        item: dict[str, Any] = {
            "id": item_id,
            "name": item_id.upper(),
            "duration": draw(st.integers(1, 2)),
            "cost": float(draw(st.integers(0, 40))),
            "cost_kind": draw(st.sampled_from(["capex", "capex", "opex"])),
            "run_cost": float(draw(st.sampled_from([0, 0, 5, -4]))),
            "benefit": float(draw(st.sampled_from([0, 10, 30]))),
            "benefit_ramp": draw(st.sampled_from([[], [], [0.5]])),
            "value": float(draw(st.integers(0, 20))),
            "effort": {"dev": float(draw(st.sampled_from([0, 20, 60])))},
            "addresses": {q["id"]: draw(st.sampled_from([0.0, 0.5, 1.0])) for q in issues},
        }
        if k and draw(st.booleans()):
            item["requires"] = [ids[draw(st.integers(0, k - 1))]]
        elif k and draw(st.integers(0, 3)) == 0:
            item["excludes"] = [ids[draw(st.integers(0, k - 1))]]
        if draw(st.integers(0, 4)) == 0:
            item["mandatory"] = True
        if periods > 1 and draw(st.integers(0, 3)) == 0:
            item["earliest"] = draw(st.integers(0, periods - 1))
        initiatives.append(item)
    capacity: dict[str, Any] = {"skills": {"dev": float(draw(st.sampled_from([40, 80, 200])))}}
    if draw(st.booleans()):
        capacity["budget"] = float(draw(st.integers(20, 120)))
    if draw(st.booleans()):
        capacity["budget_per_period"] = float(draw(st.integers(15, 60)))
    if draw(st.booleans()):
        capacity["contractors"] = {"dev": {"rate": 0.5, "max": 20.0}}
    if draw(st.integers(0, 2)) == 0:
        # Fiscal years from April or July split a three-quarter horizon in two.
        capacity["fiscal_year_start"] = draw(st.sampled_from([1, 4, 7]))
        budget = draw(st.sampled_from(["budget_per_year", "capex_per_year", "opex_per_year"]))
        capacity[budget] = float(draw(st.integers(10, 60)))
    if draw(st.integers(0, 3)) == 0:
        kind = draw(st.sampled_from(["capex_per_period", "opex_per_period"]))
        capacity[kind] = float(draw(st.integers(5, 40)))
    if draw(st.integers(0, 3)) == 0:
        # A funding pool for tagged work on top of the total budget.
        capacity["pools"] = [
            {"id": "grant", "amount": float(draw(st.integers(0, 60))), "tags": ["t"]}
        ]
        for item in initiatives:
            if draw(st.booleans()):
                item["tags"] = ["t"]
    groups = []
    if count >= 2 and draw(st.integers(0, 3)) == 0:
        groups.append(
            {
                "id": "g",
                "kind": draw(st.sampled_from(["at_most", "at_least", "exactly"])),
                "count": 1,
                "members": ids[:2],
            }
        )
    return it.from_dict(
        {
            "engagement": {"client": "Tiny", "start": "2027-Q1", "periods": periods},
            "issue": issues,
            "initiative": initiatives,
            "group": groups,
            "capacity": capacity,
            "plan": {"time_limit": 20},
        }
    )


def _plan_of(prepared: Prepared, schedule: dict[str, int]) -> Plan:
    """A plan for a given schedule, figures from the contract module, to verify."""
    return from_schedule(prepared, schedule, solver="enumeration")


def enumerate_optimum(prepared: Prepared) -> float | None:
    """The best objective over every feasible schedule (None when none is feasible)."""
    e = prepared.effective
    choices = [[None, *range(e.periods - item.duration + 1)] for item in e.initiatives]
    best: float | None = None
    maximize = prepared.settings.objective in {"value", "coverage", "npv"}
    for starts in itertools.product(*choices):
        schedule = {
            item.id: s for item, s in zip(e.initiatives, starts, strict=True) if s is not None
        }
        candidate = _plan_of(prepared, schedule)
        if it.verify(candidate, e):
            continue
        value = candidate.objective_value
        assert value is not None
        if best is None or (value > best if maximize else value < best):
            best = value
    return best


@pytest.mark.slow
@pytest.mark.parametrize("solver", ["highs", "cbc", "cpsat", "auto"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(e=tiny(), objective=st.sampled_from(OBJECTIVES))
def test_planner_optimum_equals_enumeration(
    solver: str, e: it.Engagement, objective: dict[str, Any]
) -> None:
    """The proven optimum is the best feasible schedule; infeasible exactly when none is."""
    assume(not [p for p in it.validate(e) if p.severity == "error"])
    prepared = prepare(e, solver=solver, **objective)
    expected = enumerate_optimum(prepared)
    result = it.plan(e, solver=solver, **objective)
    if expected is None:
        assert result.status == Status.INFEASIBLE
        return
    assert result.status == Status.OPTIMAL, result.message
    assert result.objective_value == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert it.verify(result, result.engagement) == ()
