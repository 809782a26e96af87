"""Explanations: every cost of forcing checked against a forced re-plan, every blocking set by
re-solving (all lifted: it fits at no loss; any one kept: it does not), structural reasons
without a cost, the value threshold by re-planning at it."""

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings

import itstrat_engine as it
from itstrat_engine import resolves
from itstrat_engine.cli import main
from itstrat_engine.explanations import _families, _gated, _goodness, _replan
from itstrat_engine.optimize import Status, prepare

from .test_oracle import enumerate_optimum, tiny

ITEMS: list[dict[str, Any]] = [
    {"id": "crm", "name": "CRM", "cost": 50, "value": 9, "effort": {"dev": 60}},
    {"id": "erp", "name": "ERP", "cost": 60, "value": 8, "effort": {"dev": 80}},
    {"id": "mes", "name": "MES", "cost": 40, "value": 5, "requires": ["erp"]},
    {"id": "bi", "name": "BI", "cost": 20, "value": 3, "excludes": ["crm"]},
    {"id": "wiki", "name": "Wiki", "cost": 5, "value": 1, "effort": {"dev": 10}},
    {"id": "huge", "name": "Huge", "cost": 10, "value": 50, "effort": {"dev": 500}},
    {"id": "banned", "name": "Banned", "cost": 1, "value": 4, "forbidden": True},
    {"id": "audit", "name": "Audit", "cost": 10, "value": 1, "mandatory": True},
    {"id": "lake", "name": "Data lake", "cost": 60, "value": 6, "deadline": "2027-Q1"},
]


def engagement(items: list[dict[str, Any]] = ITEMS, **capacity: Any) -> it.Engagement:
    return it.from_dict(
        {
            "engagement": {"client": "C", "start": "2027-Q1", "periods": 3},
            "initiative": items,
            "capacity": {"budget_per_period": 70, "skills": {"dev": 100}, **capacity},
            "plan": {"time_limit": 20},
        },
        "e.toml",
    )


@pytest.fixture(scope="module")
def base() -> it.Plan:
    result = it.plan(engagement())
    assert result.status == Status.OPTIMAL
    return result


@pytest.fixture(scope="module")
def explained(base: it.Plan) -> dict[str, Any]:
    return {x.id: x for x in it.explain(base)}


def forced_plan(e: it.Engagement, item_id: str, *, into: bool) -> it.Plan:
    """The independent check: the file itself with the initiative mandatory or forbidden."""
    items = tuple(
        attrs.evolve(i, mandatory=into, forbidden=not into) if i.id == item_id else i
        for i in e.initiatives
    )
    return it.plan(attrs.evolve(e, initiatives=items))


def test_every_cost_of_forcing_is_a_forced_re_plan(
    base: it.Plan, explained: dict[str, Any]
) -> None:
    e = engagement()
    checked = 0
    for item_id, x in explained.items():
        if x.structural or x.cost_of_forcing is None:
            continue
        forced = forced_plan(e, item_id, into=not x.selected)
        cost = x.cost_of_forcing
        assert cost.proven
        if forced.status == Status.INFEASIBLE:
            assert cost.low == cost.high == float("inf")
        else:
            assert forced.status == Status.OPTIMAL
            assert (
                cost.low
                == cost.high
                == pytest.approx((base.objective_value or 0) - (forced.objective_value or 0))
            )
        checked += 1
    assert checked >= 5


def test_structural_reasons_come_without_a_cost(explained: dict[str, Any]) -> None:
    huge, banned, audit = explained["huge"], explained["banned"], explained["audit"]
    assert huge.structural
    assert huge.cost_of_forcing is None
    assert huge.reasons[0].startswith("can never be scheduled: ")
    assert "dev" in huge.reasons[0]
    assert banned.reasons == ("forbidden by engagement file",)
    assert banned.cost_of_forcing is None
    assert audit.selected
    assert audit.reasons == ("mandatory (required by engagement file)",)


def lifted_value(plan: it.Plan, item_id: str, names: set[str]) -> float:
    """The forced optimum with the named constraints lifted (the check's own re-solve)."""
    item = plan.engagement.initiative_by_id[item_id]
    lifts = {lift.name: lift for family in _families(plan, item) for lift in family}
    effective = _gated(plan.prepared, item_id, mandatory=True)
    for name in sorted(names):
        effective = lifts[name].apply(effective)
    result = _replan(plan.prepared, effective)
    assert result.status in {Status.OPTIMAL, Status.INFEASIBLE}
    return _goodness(result)[0]


def test_every_blocking_set_is_sufficient_and_irreducible(
    base: it.Plan, explained: dict[str, Any]
) -> None:
    target = base.objective_value or 0.0
    found = 0
    for item_id, x in explained.items():
        if x.selected or x.structural or not x.blocking:
            continue
        assert x.blocking_proven
        names = set(x.blocking)
        assert lifted_value(base, item_id, names) >= target - 1e-6
        for kept in names:
            assert lifted_value(base, item_id, names - {kept}) < target - 1e-6, kept
        found += 1
    assert found >= 2
    assert explained["bi"].blocking == ("excludes crm",)


def test_the_value_threshold_admits_the_initiative(explained: dict[str, Any]) -> None:
    """At the threshold the initiative is in an optimal plan; just below it, it is not."""
    x = next(x for x in explained.values() if not x.selected and not x.structural and x.threshold)
    for value, inside in ((x.threshold + 0.01, True), (x.threshold - 0.01, False)):
        items = [dict(i, value=value) if i["id"] == x.id else i for i in ITEMS]
        assert (x.id in it.plan(engagement(items)).schedule) is inside


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(e=tiny())
def test_costs_of_forcing_equal_exhaustive_enumeration(e: it.Engagement) -> None:
    """On tiny engagements the cost of forcing in or out is enumeration's difference."""
    assume(not [p for p in it.validate(e) if p.severity == "error"])
    result = it.plan(e, solver="highs")
    assume(result.status == Status.OPTIMAL)
    for x in it.explain(result, blocking=False):
        if x.cost_of_forcing is None:
            continue
        forced = _gated(result.prepared, x.id, mandatory=not x.selected)
        try:
            best = enumerate_optimum(prepare(attrs.evolve(forced, plan=e.plan), solver="highs"))
        except it.InvalidEngagementError:
            best = None  # forcing breaks a hard rule of the file: infeasible
        if best is None:
            assert x.cost_of_forcing.low == float("inf")
        else:
            assert x.cost_of_forcing.proven
            assert x.cost_of_forcing.low == pytest.approx(
                (result.objective_value or 0) - best, abs=1e-6
            )


def test_unknown_ids_and_plans_without_a_schedule_are_errors(base: it.Plan) -> None:
    with pytest.raises(it.InvalidEngagementError, match="did you mean 'crm'"):
        it.explain(base, ["cmr"])
    broken = it.plan(engagement(budget_per_period=5))
    assert broken.status == Status.INFEASIBLE
    with pytest.raises(it.InvalidEngagementError, match="has no decisions to explain"):
        it.explain(broken)


def engagement_file(tmp_path: Path) -> Path:
    """The engagement of these tests as a file, for the command line."""
    path = tmp_path / "e.toml"
    data = {
        "engagement": {"client": "C", "start": "2027-Q1", "periods": 3},
        "initiative": ITEMS,
        "capacity": {"budget_per_period": 70, "skills": {"dev": 100}},
    }
    path.write_text(tomli_w.dumps(data))
    return path


def test_the_command_prints_and_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = engagement_file(tmp_path)
    assert main(["explain", str(path), "bi", "huge"]) == 0
    out = capsys.readouterr().out
    assert "bi: BI (not selected)" in out
    assert "- blocked by excludes crm" in out
    assert "- can never be scheduled: " in out
    assert main(["explain", str(path), "bi", "--format", "json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)["initiatives"]
    assert {"id", "selected", "reasons", "cost_of_forcing", "blocking", "threshold"} <= set(record)
    assert record["cost_of_forcing"]["proven"] is True
    assert record["blocking"] == ["excludes crm"]
    assert main(["explain", str(path), "nope"]) == 1
    assert "unknown-initiative" not in capsys.readouterr().out
    path.write_text(path.read_text().replace("budget_per_period = 70", "budget_per_period = 5"))
    assert main(["explain", str(path)]) == 3


def test_plan_explain_gives_a_reason_for_every_initiative_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = engagement_file(tmp_path)
    assert main(["plan", str(path), "--explain"]) == 0
    out = capsys.readouterr().out
    why = out.split("Why these are not selected\n", 1)[1].splitlines()
    left_out = [i.id for i in it.plan(it.load(path)).initiatives if not i.selected]
    assert [line.split(":")[0].strip("- ") for line in why] == left_out
    assert "  - bi: forcing it in costs 1 of value (proven)" in out


def test_worker_processes_give_the_same_explanations(base: it.Plan) -> None:
    told: dict[int, list[tuple[int, int]]] = {1: [], 2: []}
    ids = ["bi", "mes", "crm", "huge"]
    serial = it.explain(base, ids, workers=1, progress=lambda *d: told[1].append(d))
    pooled = it.explain(base, ids, workers=2, progress=lambda *d: told[2].append(d))
    assert pooled == serial
    # Progress counts every explanation once, in order, serially or on workers.
    assert told[1] == told[2] == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_time_budget_gives_intervals_that_hold_the_true_cost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Short shares leave costs unproven: each interval must hold the cost a full re-plan
    proves, and what the budget could not reach says so instead of giving a number."""
    # Shares of 20 ms: short enough that re-plans stop at their limit on any machine.
    monkeypatch.setattr(resolves, "SHORTEST", 0.02)
    e = it.generate(30, seed=1)
    base = it.plan(e, threads=1, solver="highs")
    assert base.status == Status.OPTIMAL
    found = it.explain(base, blocking=False, time_budget=2, workers=1)
    unproven = 0
    for x in found:
        cost = x.cost_of_forcing
        if cost is None:
            assert x.structural or x.reasons[0].startswith(("mandatory", "not explained"))
            continue
        forced = forced_plan(base.prepared.effective, x.id, into=not x.selected)
        if forced.status == Status.INFEASIBLE:
            assert cost.high == float("inf")
            continue
        assert forced.status == Status.OPTIMAL
        true = (base.objective_value or 0) - (forced.objective_value or 0)
        if cost.proven:
            assert cost.low == pytest.approx(true)
        else:
            unproven += 1
            assert cost.low <= true + 1e-6
            assert cost.high is None or true <= cost.high + 1e-6
            assert "not proven" in x.reasons[0]
    assert unproven > 0  # the budget did bite: the check above is not vacuous


def test_a_time_budget_must_be_positive(base: it.Plan) -> None:
    with pytest.raises(it.InvalidEngagementError, match="time budget"):
        it.explain(base, time_budget=0)


def test_blocking_sets_are_the_same_on_every_backend() -> None:
    """CP-SAT builds its model from the formulation's rows: a test's objective row must be
    one of them, or CP-SAT answers "free" for every set (seen: "requires x" for a budget)."""
    e = it.generate(7, seed=11)
    tight = (e.capacity.budget or 0.0) / e.periods * 2
    e = attrs.evolve(e, capacity=attrs.evolve(e.capacity, budget_per_period=tight))
    found = {}
    for solver in ("highs", "cpsat"):
        result = it.plan(e, solver=solver, time_limit=20)
        found[solver] = [
            (x.id, x.blocking) for x in it.explain(result, workers=1) if not x.selected
        ]
    assert found["highs"] == found["cpsat"]
    assert any(blocking for _, blocking in found["highs"])


def test_the_cli_bounds_every_explanation_by_a_default_time_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --time-budget a long explanation still ends (900 s); 'none' lifts the bound."""
    import itstrat_engine.cli.explain as command

    given: list[float | None] = []
    real = command.explain

    def spy(*args: Any, **kwargs: Any) -> Any:
        given.append(kwargs["time_budget"])
        return real(*args, **kwargs)

    monkeypatch.setattr(command, "explain", spy)
    path = engagement_file(tmp_path)
    assert main(["explain", str(path), "bi"]) == 0
    assert main(["explain", str(path), "bi", "--time-budget", "none"]) == 0
    assert main(["explain", str(path), "bi", "--time-budget", "12.5"]) == 0
    assert given == [900.0, None, 12.5]
    assert "time budget" not in capsys.readouterr().err  # all proven: nothing to say
    for bad in ("0", "-3", "nan", "inf", "soon"):
        with pytest.raises(SystemExit):
            main(["explain", str(path), "--time-budget", bad])
        assert "expected seconds > 0 or 'none'" in capsys.readouterr().err


def test_an_exhausted_time_budget_says_how_to_get_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resolves, "SHORTEST", 0.02)  # shares short enough to stop re-plans
    path = tmp_path / "g.toml"
    assert main(["generate", "--initiatives", "30", "--seed", "1", "-o", str(path)]) == 0
    capsys.readouterr()
    assert (
        main(["explain", str(path), "--no-blocking", "--time-budget", "2", "--format", "json"]) == 0
    )
    captured = capsys.readouterr()
    records = json.loads(captured.out)["initiatives"]
    assert any(not r["proven"] for r in records)
    assert all(
        r["proven"] == r["cost_of_forcing"]["proven"] for r in records if r["cost_of_forcing"]
    )
    assert "not everything was proven within the 2 s time budget" in captured.err
    assert "--time-budget none" in captured.err


@pytest.mark.parametrize("command", ["explain", "limits", "frontier", "report"])
def test_every_command_of_many_re_plans_has_the_same_default_time_budget(command: str) -> None:
    from itstrat_engine.cli import build_parser
    from itstrat_engine.cli._arguments import DEFAULT_TIME_BUDGET

    parser = build_parser()
    extra = ["-o", "out.html"] if command == "report" else []
    assert parser.parse_args([command, "x.toml", *extra]).time_budget == DEFAULT_TIME_BUDGET
    lifted = parser.parse_args([command, "x.toml", *extra, "--time-budget", "None"])
    assert lifted.time_budget is None
