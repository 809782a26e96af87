"""Re-planning: pinned work stays, nothing starts in the past or the freeze, money holds."""

import math
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.execution import (
    InvalidProgressError,
    Progress,
    disruption,
    progress_from_dict,
    remainder,
    replan,
    stability_curve,
)
from itstrat_engine.optimize import Status, prepare
from itstrat_engine.optimize.decoding import from_schedule

EXAMPLES = "examples"
DENTAL = f"{EXAMPLES}/dental-group.toml"
PROGRESS = f"{EXAMPLES}/dental-progress.toml"


def _progress(
    engagement: it.Engagement,
    baseline: it.Plan,
    as_of: int,
    *,
    overrun: float = 1.0,
    cancel: tuple[str, ...] = (),
    slip: tuple[str, ...] = (),
) -> Progress:
    """Progress as the baseline planned it up to `as_of` (costs times `overrun`).

    Initiatives in `slip` have not started; those in `cancel` (open, optional) are cancelled.
    """
    labels = engagement.scope.labels
    rows: list[dict[str, Any]] = []
    by_id = baseline.engagement.initiative_by_id
    for item_id, start in sorted(baseline.schedule.items()):
        item = by_id[item_id]
        finish = start + item.duration
        if item_id in slip:
            rows.append({"id": item_id, "status": "not-started"})
            continue
        if start >= as_of:
            if item_id in cancel and not item.mandatory:
                rows.append({"id": item_id, "status": "cancelled"})
            continue
        if finish <= as_of:
            rows.append(
                {
                    "id": item_id,
                    "status": "done",
                    "finished": labels[finish - 1],
                    "actual_cost": item.cost * overrun,
                }
            )
        else:
            share = (as_of - start) / item.duration
            rows.append(
                {
                    "id": item_id,
                    "status": "in-progress",
                    "actual_cost": item.cost * share * overrun,
                    "remaining_cost": item.cost * (1 - share),
                    "remaining_effort": {k: h * (1 - share) for k, h in item.effort.items()},
                    "remaining_periods": finish - as_of,
                }
            )
    return progress_from_dict({"progress": {"as_of": labels[as_of]}, "initiative": rows})


@pytest.fixture(scope="module")
def dental() -> tuple[it.Engagement, it.Plan, Progress]:
    engagement = it.load(DENTAL)
    baseline = it.plan(engagement, time_limit=20, threads=1, solver="highs")
    return engagement, baseline, it.load_progress(PROGRESS)


def _check_invariants(result: it.Replan, freeze: int) -> None:
    plan = result.plan
    rest = result.remainder
    progress = rest.progress
    assert plan.status != Status.ERROR, plan.findings
    if not plan.status.has_plan:
        return
    assert it.verify(plan, plan.engagement) == ()
    for item_id, start in rest.pinned.items():
        assert plan.schedule[item_id] == start, item_id
        stand = progress.of(item_id)
        if stand.status == "in-progress":
            assert start == rest.as_of
        else:
            assert stand.status == "done"
    for item_id, start in plan.schedule.items():
        if item_id not in rest.pinned:
            assert start >= rest.as_of + freeze, item_id
    for item_id in plan.schedule:
        assert progress.of(item_id).status != "cancelled"
    budget = rest.baseline.engagement.capacity.budget
    if budget is not None:
        future = math.fsum(row.spend for row in plan.usage[rest.as_of :])
        assert future <= budget - rest.spent + 1e-6 * max(1.0, budget)


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    size=st.integers(3, 7),
    as_of=st.integers(1, 5),
    freeze=st.integers(0, 2),
    overrun=st.sampled_from([0.8, 1.0, 1.3]),
    cancel_first=st.booleans(),
    slip_first=st.booleans(),
    weight=st.sampled_from([None, 0.5, 5.0]),
)
def test_replan_keeps_pinned_work_and_money(
    seed: int,
    size: int,
    as_of: int,
    freeze: int,
    overrun: float,
    cancel_first: bool,
    slip_first: bool,
    weight: float | None,
) -> None:
    """A re-plan never moves done or in-flight work, starts nothing early, overspends nothing."""
    engagement = it.generate(size, seed=seed, periods=6)
    baseline = it.plan(engagement, time_limit=10, threads=1, solver="highs")
    if not baseline.status.has_plan:
        return
    open_ids = tuple(i for i, s in sorted(baseline.schedule.items()) if s >= as_of)
    started = tuple(i for i, s in sorted(baseline.schedule.items()) if s < as_of)
    progress = _progress(
        engagement,
        baseline,
        as_of,
        overrun=overrun,
        cancel=open_ids[:1] if cancel_first else (),
        slip=started[:1] if slip_first else (),
    )
    try:
        result = replan(engagement, baseline, progress, freeze=freeze, stability=weight)
    except InvalidProgressError as error:
        # Only a mandatory item whose window the freeze closed may refuse the remainder.
        assert all(p.code == "window-closed" for p in error.problems), error
        return
    _check_invariants(result, freeze)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(3, 7), as_of=st.integers(1, 5))
def test_large_stability_returns_the_baseline_remainder(seed: int, size: int, as_of: int) -> None:
    """With reality on plan, a large W gives back the baseline's remainder unchanged."""
    engagement = it.generate(size, seed=seed, periods=6)
    baseline = it.plan(engagement, time_limit=10, threads=1, solver="highs")
    if not baseline.status.has_plan:
        return
    progress = _progress(engagement, baseline, as_of)
    rest = remainder(engagement, baseline, progress)
    values = [abs(i.value or 0.0) for i in rest.prepared.effective.initiatives]
    weight = 10.0 * (math.fsum(values) * engagement.periods + 1.0)
    result = replan(engagement, baseline, progress, stability=weight)
    assert result.plan.status == Status.OPTIMAL
    _check_invariants(result, 0)
    assert result.difference.empty
    assert result.disruption == 0.0
    open_plan = {i: s for i, s in baseline.schedule.items() if s >= as_of}
    assert {i: s for i, s in result.plan.schedule.items() if i not in rest.pinned} == open_plan


def test_dental_replan_reasons_and_determinism(
    dental: tuple[it.Engagement, it.Plan, Progress],
) -> None:
    """The dental example: overrun, slip and new mandatory work are named; output repeats."""
    engagement, baseline, progress = dental
    first = replan(engagement, baseline, progress, stability=100.0)
    again = replan(engagement, baseline, progress, stability=100.0)
    assert first.plan.to_json(timings=False) == again.plan.to_json(timings=False)
    _check_invariants(first, 0)
    messages = [r.message for r in first.reasons]
    assert "budget overrun on backup-dr: actual 43,000 USD vs planned 35,000 USD" in messages
    assert "online-booking slipped: finished 2027-Q2 instead of 2027-Q1" in messages
    assert "new mandatory item epcs" in messages
    assert "epcs" in first.plan.schedule
    assert "epcs" in first.difference.added
    reread = it.loads_plan(first.plan.to_json(timings=False))
    assert reread.schedule == first.plan.schedule


def test_freeze_pushes_open_work(dental: tuple[it.Engagement, it.Plan, Progress]) -> None:
    """With a freeze of two quarters nothing new starts before 2028-Q1."""
    engagement, baseline, progress = dental
    result = replan(engagement, baseline, progress, freeze=2)
    _check_invariants(result, 2)
    assert any(r.kind == "freeze" for r in result.reasons)


def test_stability_curve_is_monotone(dental: tuple[it.Engagement, it.Plan, Progress]) -> None:
    """Breakpoints trade value for stability: less value, less disruption, proven."""
    engagement, baseline, progress = dental
    curve = stability_curve(engagement, baseline, progress, time_limit=20)
    assert curve.points
    values = [p.value for p in curve.points]
    spreads = [p.disruption for p in curve.points]
    assert values == sorted(values, reverse=True)
    assert spreads == sorted(spreads, reverse=True)
    assert curve.points[0].low == 0.0
    for point in curve.points:
        # Each point is the optimum for the weights it claims: re-plan at its middle.
        weight = point.low if point.high is None else (point.low + point.high) / 2
        best = replan(engagement, baseline, progress, stability=weight)
        assert best.score is not None
        assert math.isclose(
            best.score, point.value - weight * point.disruption, rel_tol=1e-7, abs_tol=1e-6
        )
    assert curve.complete


def test_cli_replan_writes_a_plan_and_prints_why(
    tmp_path: Any,
    capsys: pytest.CaptureFixture[str],
    dental: tuple[it.Engagement, it.Plan, Progress],
) -> None:
    """itstrat replan prints the changes and reasons and writes a plan that loads back."""
    baseline = tmp_path / "baseline.json"
    baseline.write_text(dental[1].to_json(timings=False))
    new = tmp_path / "new.json"
    code = main(
        ["replan", DENTAL, "--baseline", str(baseline), "--progress", PROGRESS, "-o", str(new)]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "budget overrun on backup-dr" in out
    assert "Adds epcs" in out
    assert it.load_plan(new).status == Status.OPTIMAL
    code = main(
        ["replan", DENTAL, "--baseline", str(baseline), "--progress", PROGRESS, "--format", "json"]
    )
    assert code == 0
    assert '"as_of": "2027-Q3"' in capsys.readouterr().out


def test_cli_replan_errors_are_located(
    tmp_path: Any,
    capsys: pytest.CaptureFixture[str],
    dental: tuple[it.Engagement, it.Plan, Progress],
) -> None:
    """A bad progress file or option is a located error and exit 1 or 2, no traceback."""
    baseline = tmp_path / "baseline.json"
    baseline.write_text(dental[1].to_json(timings=False))
    bad = tmp_path / "p.toml"
    bad.write_text(
        '[progress]\nas_of = "2027-Q3"\n[[initiative]]\nid = "backup-dr"\nstauts = "done"\n'
    )
    code = main(["replan", DENTAL, "--baseline", str(baseline), "--progress", str(bad)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{bad}: initiative[0]" in err
    assert "did you mean 'status'?" in err
    assert "Traceback" not in err
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "replan",
                DENTAL,
                "--baseline",
                str(baseline),
                "--progress",
                PROGRESS,
                "--freeze",
                "-1",
            ]
        )
    assert exit_info.value.code == 2
    missing = tmp_path / "missing.json"
    code = main(["replan", DENTAL, "--baseline", str(missing), "--progress", PROGRESS])
    assert code == 1
    assert str(missing) in capsys.readouterr().err
    code = main(
        ["replan", DENTAL, "--baseline", str(baseline), "--progress", PROGRESS, "-o", PROGRESS]
    )
    assert code == 1
    assert "refusing to write the output over a file this command reads" in capsys.readouterr().err


def test_options_are_checked(dental: tuple[it.Engagement, it.Plan, Progress]) -> None:
    """A negative freeze or stability through the API is a located error."""
    engagement, baseline, progress = dental
    with pytest.raises(it.InvalidEngagementError, match="freeze"):
        replan(engagement, baseline, progress, freeze=-1)
    with pytest.raises(it.InvalidEngagementError, match="stability"):
        replan(engagement, baseline, progress, stability=math.nan)


def test_cancelled_prerequisite_of_mandatory_work(
    dental: tuple[it.Engagement, it.Plan, Progress],
) -> None:
    """Cancelling what mandatory open work needs is refused where the cancel is written."""
    engagement, baseline, progress = dental
    items = [
        attrs.evolve(i, mandatory=True) if i.id == "edr-mdr" else i for i in engagement.initiatives
    ]
    changed = attrs.evolve(engagement, initiatives=tuple(items))
    cancelled = it.execution.InitiativeProgress(id="endpoint-management", status="cancelled")
    kept = tuple(s for s in progress.initiatives if s.id != "endpoint-management")
    cancel = attrs.evolve(progress, initiatives=(*kept, cancelled))
    with pytest.raises(
        InvalidProgressError, match="requires endpoint-management, which is cancelled"
    ):
        replan(changed, baseline, cancel)


def _tiny() -> tuple[it.Engagement, it.Plan]:
    """Quarters of budget 1,000 each and a total of 3,000; a in Q1-Q2, b in Q3, c in Q4."""
    engagement = it.from_dict(
        {
            "engagement": {"client": "Tiny", "start": "2027-Q1", "periods": 4},
            "initiative": [
                {"id": "a", "name": "A", "duration": 2, "cost": 1000, "value": 10},
                {"id": "b", "name": "B", "duration": 1, "cost": 800, "value": 5},
                {"id": "c", "name": "C", "duration": 1, "cost": 900, "value": 4},
            ],
            "capacity": {"budget": 3000, "budget_per_period": 1000},
        }
    )
    baseline = from_schedule(prepare(engagement), {"a": 0, "b": 2, "c": 3}, solver="hand")
    assert it.verify(baseline, baseline.engagement) == ()
    return engagement, baseline


def test_spend_actuals_are_charged_to_the_total_budget() -> None:
    """[[spend]] replaces the modelled spend of its period: the difference leaves the budget."""
    engagement, baseline = _tiny()
    progress = progress_from_dict(
        {
            "progress": {"as_of": "2027-Q3"},
            "initiative": [{"id": "a", "status": "done", "finished": "2027-Q2"}],
            "spend": [{"period": "2027-Q1", "amount": 700}, {"period": "2027-Q2", "amount": 600}],
        }
    )
    rest = remainder(engagement, baseline, progress)
    # a is modelled at 500 a quarter; 200 + 100 more were spent: 300 leave the budget.
    assert rest.prepared.effective.capacity.budget == 2700
    assert rest.spent == 1300
    result = replan(engagement, baseline, progress)
    # 2,700 - 1,000 for a leaves 1,700: b and c (1,700) still fit, just.
    assert set(result.plan.schedule) == {"a", "b", "c"}
    _check_invariants(result, 0)
    stable = replan(engagement, baseline, progress, stability=100.0)
    assert stable.plan.schedule == {"a": 0, "b": 2, "c": 3}
    # One more unit of spend in Q2 and one of b or c must go.
    tighter = attrs.evolve(
        progress, spend=(*progress.spend[:1], it.execution.Spend(period="2027-Q2", amount=601))
    )
    assert len(replan(engagement, baseline, tighter).plan.schedule) == 2


def test_in_progress_defaults_take_the_planned_remainder() -> None:
    """Work in progress without remaining keys keeps the baseline's remaining cost and periods."""
    engagement, baseline = _tiny()
    progress = progress_from_dict(
        {
            "progress": {"as_of": "2027-Q2"},
            "initiative": [{"id": "a", "status": "in-progress"}],
        }
    )
    rest = remainder(engagement, baseline, progress)
    a = rest.prepared.effective.initiative_by_id["a"]
    assert (a.duration, a.cost, rest.pinned["a"]) == (1, 500, 1)
    assert rest.prepared.effective.capacity.budget == 2500  # 500 spent to date, off the model
    result = replan(engagement, baseline, progress)
    _check_invariants(result, 0)
    # b and c may trade Q3 and Q4 at equal value and spend; a stability weight keeps the order.
    assert not result.difference.added
    assert not result.difference.dropped
    assert replan(engagement, baseline, progress, stability=1.0).difference.empty


def test_an_overrun_that_breaks_the_remainder_is_infeasible_and_diagnosed(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Mandatory work the money left cannot pay: exit 3 with the budget named, no -o file."""
    engagement, baseline = _tiny()
    items = [attrs.evolve(i, mandatory=True) if i.id == "c" else i for i in engagement.initiatives]
    engagement = attrs.evolve(engagement, initiatives=tuple(items))
    progress = progress_from_dict(
        {
            "progress": {"as_of": "2027-Q3"},
            "initiative": [
                {"id": "a", "status": "done", "finished": "2027-Q2", "actual_cost": 2500}
            ],
        }
    )
    result = replan(engagement, baseline, progress)
    assert result.plan.status == Status.INFEASIBLE
    assert result.plan.findings
    assert any("budget" in f.kind for f in result.plan.findings)
    folder = tmp_path
    (folder / "e.json").write_text(it.dumps(engagement, "json"))
    (folder / "b.json").write_text(baseline.to_json())
    (folder / "p.toml").write_text(
        '[progress]\nas_of = "2027-Q3"\n[[initiative]]\nid = "a"\nstatus = "done"\n'
        'finished = "2027-Q2"\nactual_cost = 2500\n'
    )
    out = folder / "new.json"
    args = ["replan", str(folder / "e.json"), "--baseline", str(folder / "b.json")]
    code = main([*args, "--progress", str(folder / "p.toml"), "-o", str(out)])
    assert code == 3
    assert not out.exists()
    assert "not written" in capsys.readouterr().err


@pytest.mark.parametrize("weight", [0.0, 0.3, 3.0, 30.0])
def test_stability_optimum_equals_enumeration(weight: float) -> None:
    """Value minus W x disruption: the re-plan's score is the best of every feasible schedule."""
    engagement, baseline = _tiny()
    engagement = attrs.evolve(
        engagement,
        initiatives=(
            *engagement.initiatives,
            it.Initiative(id="d", name="D", duration=1, cost=300, value=6),
        ),
    )
    progress = progress_from_dict(
        {"progress": {"as_of": "2027-Q2"}, "initiative": [{"id": "a", "status": "in-progress"}]}
    )
    rest = remainder(engagement, baseline, progress)
    choices = [None, 1, 2, 3]
    best = -math.inf
    for b in choices:
        for c in choices:
            for d in choices:
                schedule = {"a": 1} | {
                    k: v for k, v in (("b", b), ("c", c), ("d", d)) if v is not None
                }
                candidate = from_schedule(rest.prepared, schedule, solver="enumeration")
                if it.verify(candidate, candidate.engagement):
                    continue
                value = candidate.objective_value or 0.0
                best = max(best, value - weight * disruption(rest, schedule))
    result = replan(engagement, baseline, progress, stability=weight)
    assert result.plan.status == Status.OPTIMAL
    assert result.score is not None
    assert math.isclose(result.score, best, rel_tol=1e-9, abs_tol=1e-9)
