"""Nothing silently ignored: every initiative no plan can hold is named, with the reason."""

import json
from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.optimize import prepare
from itstrat_engine.report import plan_view, render_text

DATA = {
    "engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
    "initiative": [
        {"id": "big", "name": "Big", "duration": 1, "cost": 500},
        {"id": "hours", "name": "Hours", "duration": 2, "cost": 10, "effort": {"ops": 100}},
        {"id": "gone", "name": "Gone", "duration": 1, "cost": 10, "forbidden": True},
        {"id": "after", "name": "After", "duration": 1, "cost": 10, "requires": ["gone"]},
        {"id": "cash", "name": "Cash", "duration": 1, "cost": 90},
        {"id": "ok", "name": "Ok", "duration": 1, "cost": 10, "value": 3},
    ],
    "capacity": {"budget": 400, "budget_per_period": 80, "skills": {"ops": 20}},
}

TOML = """
[engagement]
client = "c"
start = "2027-Q1"
periods = 4

[[initiative]]
id = "hours"
name = "Hours"
duration = 2
cost = 10
effort = { ops = 100 }

[[initiative]]
id = "ok"
name = "Ok"
duration = 1
cost = 10
value = 3

[capacity]
skills = { ops = 20 }

[capacity.contractors.ops]
rate = 10
max = 5
"""


def test_every_kind_of_reason_is_given() -> None:
    reasons = prepare(it.from_dict(DATA)).never_schedulable()
    assert reasons == {
        "big": "it costs 500 USD, the total budget is 400 USD",
        "hours": "needs 50 h of ops in 2027-Q1, capacity 20 h",
        "after": "requires gone, which is forbidden",
        "cash": "needs 90 USD in 2027-Q1, the period budget is 80 USD",
    }


def test_the_plan_text_and_json_give_the_reasons() -> None:
    result = it.plan(it.from_dict(DATA))
    assert result.status == it.Status.OPTIMAL
    text = render_text(plan_view(result))
    assert "Can never be scheduled: big (it costs 500 USD" in text
    assert "after (requires gone, which is forbidden)" in text
    data = json.loads(result.to_json())
    assert set(data["unschedulable"]) == {"big", "hours", "after", "cash"}
    assert it.loads_plan(result.to_json()) == result  # the derived key reads back


def test_a_schedulable_engagement_names_none() -> None:
    result = it.plan(it.generate(10, seed=2))
    assert result.prepared.never_schedulable() == {}
    assert "Can never be scheduled" not in render_text(plan_view(result))


def test_validate_warns_with_contractors_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "e.toml"
    path.write_text(TOML)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert (
        f"warning: {path}: initiative[0]: 'hours' can never be scheduled: needs 50 h of ops in "
        "2027-Q1, capacity 20 h + 5 h contractors" in out
    )
    assert "'ok' can never" not in out


def test_a_group_that_needs_members_no_plan_can_hold_is_infeasible_not_an_error() -> None:
    """Its only members are forbidden or need a forbidden one: presolve says so (the empty
    row used to reach the solver, whose plan then failed verification)."""
    e = it.from_dict(
        {
            "engagement": {"client": "T", "start": "2027-Q1", "periods": 2},
            "initiative": [
                {"id": "i0", "name": "I0", "forbidden": True},
                {"id": "i1", "name": "I1", "requires": ["i0"]},
            ],
            "group": [{"id": "g", "kind": "at_least", "count": 1, "members": ["i0", "i1"]}],
        }
    )
    result = it.plan(e)
    assert result.status == it.Status.INFEASIBLE
    assert [f.message for f in result.findings] == [
        "group g needs at least 1 of its members, only 0 can be scheduled"
    ]
