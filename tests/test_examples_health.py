"""The third example, a regional health system: valid, at scale, plannable, reproducible."""

import json
import runpy
from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
HEALTH = EXAMPLES / "regional-health.toml"
SURVEY = EXAMPLES / "regional-health-survey.csv"


@pytest.fixture(scope="module")
def health() -> it.Engagement:
    return it.load(HEALTH)


def test_it_validates_without_errors(
    health: it.Engagement, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate finds no errors and no warnings."""
    assert it.validate(health) == ()
    assert main(["validate", str(HEALTH)]) == 0
    assert capsys.readouterr().out.strip() == f"{HEALTH}: valid"


def test_it_has_the_size_and_shape_asked_for(health: it.Engagement) -> None:
    """About 200 initiatives, 6-8 skills, 12 quarters, fiscal-year budgets and AHP weights."""
    assert 150 <= len(health.initiatives) <= 250
    assert 6 <= len(health.capacity.skills) <= 8
    assert (health.scope.period, health.periods) == ("quarter", 12)
    assert health.fiscal_years[0] == "FY2027"  # fiscal years begin in July
    assert health.capacity.fiscal_year_start == 7
    assert health.capacity.budget_per_year is not None
    assert health.capacity.capex_per_year is not None
    assert health.pairwise is not None
    items = health.initiatives
    assert sum(i.mandatory for i in items) >= 5
    assert all("compliance" in i.tags for i in items if i.mandatory)
    assert sum(bool(i.requires) for i in items) >= 100
    assert sum(bool(i.excludes) for i in items) >= 3
    assert len({i.name for i in items}) == len(items)  # names, not "initiative 17"
    weights = it.objective_weights(health)
    assert weights.method == "pairwise"
    assert weights.consistent


def test_a_short_plan_is_feasible_binding_and_verified(health: it.Engagement) -> None:
    """A 10-second plan has a schedule that verifies; budgets bind and not everything fits."""
    result = it.plan(health, time_limit=10)
    assert result.status.value in {"optimal", "feasible"}
    assert it.verify(result, result.engagement) == ()
    selected = [i for i in result.initiatives if i.selected]
    assert 0.3 * len(health.initiatives) < len(selected) < 0.9 * len(health.initiatives)
    assert all(i.selected for i in result.initiatives if health.initiative_by_id[i.id].mandatory)
    # The fiscal-year envelopes are nearly spent: money, not the horizon, is the limit.
    spend_by_year: dict[str, float] = {}
    for use, year in zip(result.usage, health.fiscal_years, strict=True):
        spend_by_year[year] = spend_by_year.get(year, 0.0) + use.spend
    limits = health.per_year(health.capacity.budget_per_year)
    assert max(spend_by_year[y] / limits[y] for y in limits) > 0.95


def test_assess_with_the_survey(capsys: pytest.CaptureFixture[str]) -> None:
    """assess reads the survey CSV beside the example and adds its answers."""
    assert main(["assess", str(HEALTH), "--survey", str(SURVEY), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["surveys"] == [str(SURVEY)]
    survey_rows = SURVEY.read_text(encoding="utf-8").splitlines()[1:]
    stakeholders = {row.split(",")[1] for row in survey_rows}
    assert len(stakeholders) == 25


def test_the_script_writes_the_committed_files(tmp_path: Path) -> None:
    """examples/make_regional_health.py reproduces the committed TOML and survey, byte for byte."""
    script = runpy.run_path(str(EXAMPLES / "make_regional_health.py"))
    assert script["toml_text"](script["engagement"]()) == HEALTH.read_text(encoding="utf-8")
    main_function = script["main"]
    main_function.__globals__["HERE"] = tmp_path
    main_function()
    assert (tmp_path / "regional-health-survey.csv").read_bytes() == SURVEY.read_bytes()
    assert (tmp_path / "regional-health.toml").read_bytes() == HEALTH.read_bytes()


def test_its_workbook_round_trips_and_validates(
    tmp_path: Path, health: it.Engagement, capsys: pytest.CaptureFixture[str]
) -> None:
    """itstrat convert gives a workbook that loads equal and validates."""
    book = tmp_path / "regional-health.xlsx"
    assert main(["convert", str(HEALTH), str(book)]) == 0
    assert it.load(book) == health
    assert main(["validate", str(book)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"{book}: valid"
