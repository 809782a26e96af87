"""The planning semantics computed from a schedule, pinned by hand-computed numbers."""

import math

import attrs
import pytest

import itstrat_engine as it
from itstrat_engine.optimize.contract import coverage, objective_value, timed_value, usage

DOC = """\
[engagement]
client = "Acme"
start = "2027-Q1"
periods = 4

[[issue]]
id = "slow"
name = "Slow"
severity = 3

[[issue]]
id = "risky"
name = "Risky"

[[initiative]]
id = "a"
name = "A"
duration = 2
cost = 100
run_cost = 10
effort = { ops = 60 }
value = 5
addresses = { slow = 0.6 }

[[initiative]]
id = "b"
name = "B"
duration = 2
cost = 90
profile = [0.25, 0.75]
effort = { ops = 40, dev = 20 }
value = 7
addresses = { slow = 0.6, risky = 0.5 }

[capacity]
budget = 1000
budget_per_period = [100, 100, 200, 200]
skills = { ops = 50, dev = 30 }
contractors = { ops = { rate = 2, max = 20 } }
"""


@pytest.fixture
def engagement() -> it.Engagement:
    return it.loads(DOC)


def test_usage_spreads_cost_effort_and_run_costs(engagement: it.Engagement) -> None:
    """Cost and hours spread over running periods, run costs after finish, contractors as spend."""
    rows = usage(engagement, {"a": 0, "b": 1})
    # a runs 0-1: 50/period, 30 h ops/period; run cost 10 in periods 2, 3.
    # b runs 1-2 with profile 25/75: cost 22.5 then 67.5; ops 10 then 30; dev 5 then 15.
    assert [r.spend for r in rows] == [50.0, 72.5 + 0.0, 67.5 + 10.0, 10.0]
    assert [r.skills["ops"].used for r in rows] == [30.0, 40.0, 30.0, 0.0]
    assert [r.skills["dev"].used for r in rows] == [0.0, 5.0, 15.0, 0.0]
    assert [r.skills["ops"].contractor for r in rows] == [0.0, 0.0, 0.0, 0.0]
    assert [r.budget for r in rows] == [100.0, 100.0, 200.0, 200.0]
    assert rows[1].running == ("a", "b")


def test_contractor_hours_are_bought_and_paid(engagement: it.Engagement) -> None:
    """Hours above capacity are bought (up to max) at the rate, and count as spend."""
    heavy = attrs.evolve(engagement.initiatives[0], effort={"ops": 140})
    e = attrs.evolve(engagement, initiatives=(heavy, engagement.initiatives[1]))
    rows = usage(e, {"a": 0})
    assert rows[0].skills["ops"].used == 70.0
    assert rows[0].skills["ops"].contractor == 20.0  # capped at max; 70 - 50 = 20
    assert rows[0].spend == 50.0 + 20 * 2


def test_objective_values_for_each_timing(engagement: it.Engagement) -> None:
    """once, after-finish and discounted values of the same schedule."""
    schedule = {"a": 0, "b": 1}
    once = engagement.plan
    assert objective_value(engagement, schedule, once) == 12.0
    after = attrs.evolve(once, timing="after-finish")
    # a finishes at 2: 2 periods of 5; b finishes at 3: 1 period of 7.
    assert objective_value(engagement, schedule, after) == 2 * 5 + 1 * 7
    discounted = attrs.evolve(once, timing="discounted", discount_rate=0.1)
    expected = 5 / 1.1**2 + 5 / 1.1**3 + 7 / 1.1**3
    assert math.isclose(objective_value(engagement, schedule, discounted), expected)
    assert timed_value(engagement, engagement.initiatives[0], 2, after) == 0.0


def test_coverage_counts_each_issue_once(engagement: it.Engagement) -> None:
    """Two initiatives on one issue cover it at most fully."""
    assert coverage(engagement, {"a": 0, "b": 1}) == {"slow": 1.0, "risky": 0.5}
    settings = attrs.evolve(engagement.plan, objective="coverage")
    assert objective_value(engagement, {"a": 0, "b": 1}, settings) == 3 * 1.0 + 1 * 0.5


def test_makespan_and_cost(engagement: it.Engagement) -> None:
    """Makespan is the latest finish; cost is total spend."""
    schedule = {"a": 0, "b": 1}
    assert (
        objective_value(engagement, schedule, attrs.evolve(engagement.plan, objective="makespan"))
        == 3.0
    )
    cost = attrs.evolve(engagement.plan, objective="cost", coverage=0.5)
    assert objective_value(engagement, schedule, cost) == 50 + 72.5 + 77.5 + 10
