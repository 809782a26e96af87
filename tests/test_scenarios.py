"""Scenarios and comparison: patches read strictly with located errors, applied as documented,
each scenario's plan equal to planning the patched file directly, every step of the
attribution equal to the difference of two direct plans, and `compare` checked against sets
computed here."""

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.comparison import difference
from itstrat_engine.optimize import Status

ITEMS: list[dict[str, Any]] = [
    {"id": "crm", "name": "CRM", "cost": 50, "value": 9, "effort": {"dev": 60}},
    {"id": "erp", "name": "ERP", "cost": 60, "value": 8, "effort": {"dev": 80}},
    {"id": "mes", "name": "MES", "cost": 40, "value": 5, "requires": ["erp"]},
    {"id": "bi", "name": "BI", "cost": 20, "value": 3, "excludes": ["crm"], "tags": ["data"]},
    {"id": "wiki", "name": "Wiki", "cost": 5, "value": 1, "effort": {"dev": 10}},
    {"id": "audit", "name": "Audit", "cost": 10, "value": 1, "mandatory": True},
]


def data(**capacity: Any) -> dict[str, Any]:
    return {
        "engagement": {"client": "C", "start": "2027-Q1", "periods": 3},
        "objective": [{"id": "growth", "name": "Growth"}],
        "initiative": ITEMS,
        "capacity": {
            "budget": 150,
            "budget_per_period": [70, 70, 60],
            "skills": {"dev": 100, "ops": 40},
            **capacity,
        },
        "plan": {"time_limit": 20},
    }


def write(path: Path, content: dict[str, Any]) -> Path:
    path.write_text(tomli_w.dumps(content), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> Path:
    write(tmp_path / "e.toml", data())
    return tmp_path


def scenario(change: dict[str, Any], sid: str = "s", source: str | None = None) -> it.Scenario:
    return it.scenario_from_dict({"scenario": {"id": sid}, "change": change}, source)


BASE = it.from_dict(data(), "e.toml")


# --------------------------------------------------------------------------- reading


def test_unknown_keys_are_located_with_a_suggestion(files: Path) -> None:
    path = write(files / "s.toml", {"scenario": {"id": "s"}, "change": {"budget_factr": 0.8}})
    with pytest.raises(it.InvalidEngagementError) as raised:
        it.load_scenario(path)
    (problem,) = raised.value.problems
    assert (problem.file, problem.path) == (str(path), "change.budget_factr")
    assert "budget_factor" in (problem.suggestion or "")


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"budget_factor": 0}, "change.budget_factor"),
        ({"cost_factor": -1.0}, "change.cost_factor"),
        ({"force_in": ["Not An Id"]}, "change.force_in"),
        ({"force_in": ["crm"], "force_out": ["crm"]}, "change.force_out"),
    ],
)
def test_bad_changes_are_refused_where_they_are(change: dict[str, Any], path: str) -> None:
    with pytest.raises(it.InvalidEngagementError) as raised:
        scenario(change, source="s.toml")
    assert [(p.file, p.path) for p in raised.value.problems] == [("s.toml", path)]


def test_every_problem_of_a_patch_is_located_in_the_scenario_file() -> None:
    s = scenario(
        {
            "force_in": ["crmm"],
            "initiative": {"wik": {"cost": 1}, "erp": {"cost": "ten"}, "bi": {"id": "x"}},
            "capacity": {"budjet": 3},
        },
        source="s.toml",
    )
    with pytest.raises(it.InvalidEngagementError) as raised:
        it.apply_scenario(BASE, s)
    found = {(p.path, p.suggestion) for p in raised.value.problems}
    assert {p.file for p in raised.value.problems} == {"s.toml"}
    assert ("change.force_in[0]", "did you mean 'crm'?") in found
    assert ("change.initiative.wik", "did you mean 'wiki'?") in found
    paths = {path for path, _ in found}
    assert {"change.initiative.erp.cost", "change.initiative.bi.id", "change.capacity.budjet"} <= (
        paths
    )


def test_a_problem_the_patch_exposes_in_the_engagement_names_the_scenario() -> None:
    # A longer horizon leaves the file's per-period budgets one entry short.
    s = scenario({"engagement": {"periods": 4}}, sid="longer", source="s.toml")
    with pytest.raises(it.InvalidEngagementError) as raised:
        it.apply_scenario(BASE, s)
    (problem,) = raised.value.problems
    assert problem.file == "e.toml"
    assert problem.path == "capacity.budget_per_period"
    assert "scenario 'longer'" in problem.message


def test_budget_factor_without_a_budget_is_an_error() -> None:
    e = it.from_dict({**data(), "capacity": {"skills": {"dev": 100}}})
    with pytest.raises(it.InvalidEngagementError) as raised:
        it.apply_scenario(e, scenario({"budget_factor": 0.5}))
    assert raised.value.problems[0].path == "change.budget_factor"


# --------------------------------------------------------------------------- applying


def test_changes_apply_as_documented() -> None:
    s = scenario(
        {
            "budget_factor": 0.5,
            "cost_factor": 2.0,
            "force_in": ["wiki"],
            "force_out": ["audit"],
            "capacity": {"skills": {"ops": 10}},
            "initiative": {"erp": {"earliest": "2027-Q2"}},
            "objective": {"growth": {"weight": 1.0}},
            "plan": {"objective": "cost", "coverage": 0.0},
        }
    )
    e = it.apply_scenario(BASE, s)
    assert e.capacity.budget == 75
    assert e.capacity.budget_per_period == (35, 35, 30)
    assert e.capacity.skills == {"dev": 100, "ops": 10}  # merged by name
    by_id = e.initiative_by_id
    assert by_id["crm"].cost == 100  # cost_factor scales one-off costs
    assert by_id["wiki"].mandatory
    assert not by_id["wiki"].forbidden
    assert by_id["audit"].forbidden
    assert not by_id["audit"].mandatory
    assert by_id["erp"].earliest == "2027-Q2"
    assert e.objective_by_id["growth"].weight == 1.0
    assert (e.plan.objective, e.plan.coverage) == ("cost", 0.0)
    assert e.source == BASE.source


def test_rule_paths_are_read_from_the_scenario_file(tmp_path: Path) -> None:
    clients, scenarios = tmp_path / "clients", tmp_path / "scenarios"
    (scenarios / "packs").mkdir(parents=True)
    clients.mkdir()
    pack = (
        '[pack]\nid = "flat"\ntitle = "Flat"\nsubject = "initiative"\n'
        '[[rule]]\nid = "one"\nscore = "1"\nbecause = "All alike"\n'
    )
    (scenarios / "packs" / "flat.toml").write_text(pack, encoding="utf-8")
    engagement = it.load(write(clients / "e.toml", data()))
    s = it.load_scenario(
        write(
            scenarios / "s.toml",
            {"scenario": {"id": "flat"}, "change": {"plan": {"rules": ["packs/flat.toml"]}}},
        )
    )
    patched = it.apply_scenario(engagement, s)
    assert patched.plan.rules == ("../scenarios/packs/flat.toml",)
    result = it.plan(patched)
    assert [p.id for p in result.prioritization.packs] == ["flat"]


# --------------------------------------------------------------------------- what if

LEAN = {
    "capacity": {"skills": {"dev": 200}},
    "budget_factor": 0.7,
    "force_in": ["bi"],
    "force_out": ["erp"],
}


@pytest.fixture(scope="module")
def lean() -> it.WhatIf:
    return it.what_if(BASE, [scenario(LEAN, sid="lean")])


def test_a_scenario_plan_is_the_plan_of_the_patched_file(lean: Any) -> None:
    direct = it.plan(it.apply_scenario(BASE, scenario(LEAN, sid="lean")))
    (result,) = lean.results
    assert result.plan.schedule == direct.schedule
    assert result.plan.objective_value == direct.objective_value
    assert lean.base.schedule == it.plan(BASE).schedule


def test_each_step_is_the_difference_of_two_direct_plans(lean: Any) -> None:
    """The attribution, re-derived: apply the first k changes by hand and plan each."""
    (result,) = lean.results
    cumulative: list[dict[str, Any]] = [
        {"capacity": {"skills": {"dev": 200}}},
        {"capacity": {"skills": {"dev": 200}}, "budget_factor": 0.7},
        {"capacity": {"skills": {"dev": 200}}, "budget_factor": 0.7, "force_in": ["bi"]},
        LEAN,
    ]
    plans = [it.plan(BASE)] + [it.plan(it.apply_scenario(BASE, scenario(c))) for c in cumulative]
    assert [s.changes for s in result.steps] == [
        ("capacity.skills = {dev = 200}",),
        ("budget_factor = 0.7",),
        ("force_in bi",),
        ("force_out erp",),
    ]
    for k, step in enumerate(result.steps):
        assert step.plan.schedule == plans[k + 1].schedule
        assert step.difference == difference(plans[k], plans[k + 1])
    # Proven steps add up to the scenario's whole change of value.
    assert all(s.difference.value.proven for s in result.steps)
    total = sum(s.difference.value.low for s in result.steps)
    assert total == pytest.approx(result.difference.value.low)
    assert result.plan.schedule.get("bi") is not None
    assert "erp" not in result.plan.schedule


def test_a_change_invalid_alone_shares_a_step_with_the_next() -> None:
    s = scenario({"engagement": {"periods": 4}, "capacity": {"budget_per_period": 70}})
    (result,) = it.what_if(BASE, [s]).results
    assert [step.changes for step in result.steps] == [
        ("engagement.periods = 4", "capacity.budget_per_period = 70")
    ]
    assert result.plan.periods[-1] == "2027-Q4"


def test_what_if_refuses_duplicate_ids_and_bad_scenarios_before_planning() -> None:
    with pytest.raises(it.InvalidEngagementError, match="share an id"):
        it.what_if(BASE, [scenario({}, sid="a"), scenario({}, sid="a")])
    with pytest.raises(it.InvalidEngagementError, match="share an id"):
        it.what_if(BASE, [scenario({}, sid="base")])
    with pytest.raises(it.InvalidEngagementError):
        it.what_if(BASE, [scenario({}), scenario({"force_in": ["nope"]}, sid="t")])


def test_an_infeasible_scenario_is_a_result_not_an_error() -> None:
    s = scenario({"force_in": ["crm", "bi"]})  # they exclude each other
    with pytest.raises(it.InvalidEngagementError):
        it.what_if(BASE, [s])  # mandatory both: refused as a file would be
    tight = scenario({"capacity": {"budget": 5}}, sid="tight")
    (result,) = it.what_if(BASE, [tight], attribute=False).results
    assert result.plan.status == Status.INFEASIBLE
    assert result.difference.value is None
    assert result.difference.dropped == tuple(sorted(it.plan(BASE).schedule))


# --------------------------------------------------------------------------- compare


def _shifted(start: str) -> it.Engagement:
    return it.from_dict(
        {**data(budget_per_period=70), "engagement": {"client": "C", "start": start, "periods": 3}}
    )


def test_moves_are_counted_on_the_calendar() -> None:
    """A horizon starting one quarter later: the same label is no move."""
    first, later = it.plan(_shifted("2027-Q1")), it.plan(_shifted("2027-Q2"))
    d = difference(first, later)
    for _, a, b, by in d.moved:
        assert a != b
        assert by == later.engagement.scope.calendar_index(
            b
        ) - first.engagement.scope.calendar_index(a)
    moved = {m[0] for m in d.moved}
    for item_id in set(first.schedule) & set(later.schedule):
        same = first.periods[first.schedule[item_id]] == later.periods[later.schedule[item_id]]
        assert (item_id not in moved) == same


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from([None, 0, 1, 2]), min_size=6, max_size=6), st.data())
def test_differences_match_sets_computed_here(starts: list[int | None], draw: Any) -> None:
    base = _PLAN
    other_starts = draw.draw(st.lists(st.sampled_from([None, 0, 1, 2]), min_size=6, max_size=6))
    ids = [i["id"] for i in ITEMS]
    one = attrs.evolve(
        base, schedule={i: s for i, s in zip(ids, starts, strict=True) if s is not None}
    )
    two = attrs.evolve(
        base, schedule={i: s for i, s in zip(ids, other_starts, strict=True) if s is not None}
    )
    d = difference(one, two)
    assert set(d.added) == set(two.schedule) - set(one.schedule)
    assert set(d.dropped) == set(one.schedule) - set(two.schedule)
    assert {(i, by) for i, _, _, by in d.moved} == {
        (i, two.schedule[i] - one.schedule[i])
        for i in set(one.schedule) & set(two.schedule)
        if one.schedule[i] != two.schedule[i]
    }
    assert d.empty == (one.schedule == two.schedule)


_PLAN = it.plan(BASE)


def test_an_unproven_value_difference_is_the_interval_of_the_bounds() -> None:
    proven = _PLAN
    value = proven.objective_value or 0.0
    unproven = attrs.evolve(
        proven, status=Status.FEASIBLE, objective_value=value - 2, best_bound=value + 3
    )
    delta = it.compare([proven, unproven]).differences[0].value
    assert delta is not None
    assert not delta.proven
    assert (delta.low, delta.high) == (-2, 3)
    assert "not proven" in delta.text
    back = it.compare([unproven, proven]).differences[0].value
    assert back is not None
    assert (back.low, back.high) == (-3, 2)


def test_compare_tables_add_up_and_refuse_bad_calls() -> None:
    lean_plan = it.plan(it.apply_scenario(BASE, scenario(LEAN)))
    c = it.compare([_PLAN, lean_plan], names=["base", "lean"])
    for row, plan in zip(c.spend, c.plans, strict=True):
        assert [x for x in row if x is not None] == [use.spend for use in plan.usage]
    assert c.hours["dev"][0] == pytest.approx(sum(u.skills["dev"].used for u in _PLAN.usage))
    assert c.objectives == {"growth": ((), ())}  # nothing traces to it here
    with pytest.raises(it.InvalidPlanError):
        it.compare([_PLAN])
    with pytest.raises(it.InvalidPlanError):
        it.compare([_PLAN, _PLAN], names=["a", "a"])


# --------------------------------------------------------------------------- commands


def test_scenario_command_text_and_json(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = write(files / "lean.toml", {"scenario": {"id": "lean", "name": "Lean"}, "change": LEAN})
    assert main(["scenario", str(files / "e.toml"), str(s)]) == 0
    out = capsys.readouterr().out
    assert "Scenario lean (Lean): what caused what" in out
    assert "force_out erp" in out
    assert main(["scenario", str(files / "e.toml"), str(s), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [x["id"] for x in report["scenarios"]] == ["lean"]
    assert len(report["scenarios"][0]["steps"]) == 4
    assert report["comparison"]["plans"][0]["name"] == "base"


def test_scenario_command_errors_are_located(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = write(files / "s.toml", {"scenario": {"id": "s"}, "change": {"force_in": ["wik"]}})
    assert main(["scenario", str(files / "e.toml"), str(s)]) == 1
    err = capsys.readouterr().err
    assert f"{s}: change.force_in[0]" in err
    assert "did you mean 'wiki'?" in err
    assert main(["scenario", str(files / "e.toml"), str(files / "lean.tml")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_compare_command_reads_plan_files(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    e = str(files / "e.toml")
    assert main(["plan", e, "-o", str(files / "base.json")]) == 0
    assert main(["plan", e, "--timing", "after-finish", "-o", str(files / "late.json")]) == 0
    capsys.readouterr()
    assert main(["compare", str(files / "base.json"), str(files / "late.json")]) == 0
    out = capsys.readouterr().out
    assert "Comparison of 2 plans (against base)" in out
    assert (
        main(["compare", str(files / "base.json"), str(files / "late.json"), "--format", "json"])
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in report["plans"]] == ["base", "late"]
    (files / "bad.json").write_text("{}", encoding="utf-8")
    assert main(["compare", str(files / "base.json"), str(files / "bad.json")]) == 1
    assert "bad.json" in capsys.readouterr().err
