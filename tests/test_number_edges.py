"""Numbers at the edges: amounts past the supported range are located errors; huge limits are unlimited."""

from typing import Any

import pytest

import itstrat_engine as it

BASE: dict[str, Any] = {
    "engagement": {"client": "A", "start": "2027-Q1", "periods": 3},
    "plan": {"time_limit": 10},
}
TWO = [{"id": "a", "name": "A", "value": 1}, {"id": "b", "name": "B", "value": 1}]


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ({"initiative": [{**TWO[0], "cost": 1e308}]}, "initiative[0].cost"),
        ({"initiative": [{**TWO[0], "run_cost": 1e300}]}, "initiative[0].run_cost"),
        ({"initiative": [{**TWO[0], "value": 1e200}]}, "initiative[0].value"),
        ({"initiative": [{**TWO[0], "effort": {"dev": 1e308}}]}, "initiative[0].effort.dev"),
        ({"objective": [{"id": "o", "name": "O", "weight": 1e308}]}, "objective[0].weight"),
        ({"issue": [{"id": "q", "name": "Q", "severity": 1e20}]}, "issue[0].severity"),
        (
            {"capacity": {"contractors": {"dev": {"rate": 1e300, "max": 5}}}},
            "capacity.contractors.dev.rate",
        ),
    ],
)
def test_amounts_past_the_range_are_located(extra: dict[str, Any], path: str) -> None:
    """A finite number that would overflow a sum is refused where it is written."""
    with pytest.raises(it.InvalidEngagementError) as caught:
        it.from_dict({**BASE, **extra}, "e.toml")
    text = str(caught.value)
    assert f"e.toml: {path}: " in text
    assert "the supported range" in text


@pytest.mark.parametrize("solver", ["highs", "cbc", "cpsat", "auto"])
@pytest.mark.parametrize(
    "capacity",
    [
        {"budget": 1e308, "budget_per_period": 1e308, "skills": {"dev": 100}},
        {"skills": {"dev": 1e308}},
        {"skills": {"dev": 10}, "contractors": {"dev": {"rate": 2, "max": 1e308}}},
        {
            "budget": 1e308,
            "skills": {"dev": 10},
            "contractors": {"dev": {"rate": 1e12, "max": 1e308}},
        },
    ],
)
def test_huge_limits_mean_unlimited(solver: str, capacity: dict[str, Any]) -> None:
    """Budgets, capacities and contractor maxima near 1e308 plan as if unlimited."""
    items = [{**item, "effort": {"dev": 50}} for item in TWO]
    e = it.from_dict({**BASE, "initiative": items, "capacity": capacity})
    result = it.plan(e, solver=solver)
    assert result.status == it.Status.OPTIMAL
    assert result.objective_value == 2.0
    assert it.verify(result, result.engagement) == ()


def test_a_rule_past_the_range_is_a_located_rule_error() -> None:
    """A rule whose score leaves the range is a RuleEvaluationError naming the rule."""
    pack = it.pack_from_dict(
        {
            "pack": {"id": "huge", "title": "Huge", "subject": "initiative"},
            "rule": [{"id": "boost", "multiply": "1e300", "because": "because"}],
        },
        "huge.toml",
    )
    with pytest.raises(it.RuleEvaluationError) as caught:
        it.plan(it.from_dict({**BASE, "initiative": TWO}), rules=[pack])
    assert "ends with a score beyond the supported range after rule 'huge/boost'" in str(
        caught.value
    )
