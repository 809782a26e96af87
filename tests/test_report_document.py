"""The client report as data: sections in order, numbers equal to the plan's, honest proof."""

import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.errors import InvalidEngagementError, MissingExtraError
from itstrat_engine.optimize import Status
from itstrat_engine.report.client import KEEP_THE_LIGHTS_ON, left_out_reasons, proof_sentence
from itstrat_engine.report.document import GanttChart, KeyFigures, PeriodChart
from itstrat_engine.report.output import report_format, write_report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DENTAL = EXAMPLES / "dental-group.toml"
SURVEY = EXAMPLES / "dental-survey.csv"


@pytest.fixture(scope="module")
def dental() -> it.Engagement:
    engagement = it.load(DENTAL)
    answers = it.read_survey_csv(SURVEY, engagement)
    return attrs.evolve(engagement, responses=(*engagement.responses, *answers))


@pytest.fixture(scope="module")
def dental_plan(dental: it.Engagement) -> it.Plan:
    return it.plan(dental, time_limit=30)


@pytest.fixture(scope="module")
def dental_report(dental_plan: it.Plan) -> it.ClientReport:
    return it.build_report(dental_plan)


def test_sections_come_in_the_reading_order(dental_report: it.ClientReport) -> None:
    """Summary, objectives, current state, ranking, roadmap, resources, appendix."""
    assert [s.id for s in dental_report.sections] == [
        "summary",
        "objectives",
        "current-state",
        "initiatives",
        "roadmap",
        "resources",
        "appendix",
    ]


def test_every_chart_is_there_with_an_alternative(dental_report: it.ClientReport) -> None:
    """Matrix, maturity, Gantt, spend and one hours chart per skill, each with alt and data."""
    skills = sorted(it.load(DENTAL).capacity.skills)
    ids = [c.id for c in dental_report.charts]
    assert ids == [
        "chart-matrix",
        "chart-maturity",
        "chart-gantt",
        "chart-spend",
        *(f"chart-hours-{k}" for k in range(1, len(skills) + 1)),
    ]
    for chart in dental_report.charts:
        assert chart.alt.strip()
        assert chart.data.rows


def test_summary_states_the_plans_numbers(
    dental_plan: it.Plan, dental_report: it.ClientReport
) -> None:
    """The key figures are the plan's: counts, spend, budget and the proof."""
    assert dental_plan.status == Status.OPTIMAL
    figures = next(b for b in dental_report.section("summary").blocks if isinstance(b, KeyFigures))
    shown = dict(figures.figures)
    selected = dental_plan.selected
    assert (
        shown["Initiatives in the roadmap"] == f"{len(selected)} of {len(dental_plan.initiatives)}"
    )
    assert shown["Total spend over the horizon"] == it.formatting.money(
        dental_plan.total_spend, "USD"
    )
    one_off = sum(
        i.cost for i in it.load(DENTAL).initiatives if dental_plan.initiative(i.id).selected
    )
    assert shown["One-off cost of the roadmap"] == it.formatting.money(one_off, "USD")
    assert shown["Proof"] == "proven optimal"
    text = " ".join(b.text for b in dental_report.section("summary").blocks if hasattr(b, "text"))
    assert "Proven optimal" in text
    assert "Mission:" in text
    assert "IT vision:" in text


def test_gantt_is_the_schedule(dental_plan: it.Plan, dental_report: it.ClientReport) -> None:
    """Each bar is a selected initiative at its start and finish; arrows are its requires."""
    gantt = next(c for c in dental_report.charts if c.id == "chart-gantt").spec
    assert isinstance(gantt, GanttChart)
    bars = {b.id: (b.start, b.finish, b.mandatory) for b in gantt.bars}
    assert bars == {s.id: (s.start, s.finish, s.mandatory) for s in dental_plan.selected}
    engagement = dental_plan.engagement
    expected = {
        (r, s.id)
        for s in dental_plan.selected
        for r in engagement.initiative_by_id[s.id].requires
        if r in bars
    }
    assert set(gantt.arrows) == expected
    assert set(gantt.lanes) == {b.lane for b in gantt.bars}
    names = {o.name for o in engagement.objectives if o.kind == "business"}
    assert set(gantt.lanes) <= names | {KEEP_THE_LIGHTS_ON}
    # the server replacement serves no business objective: it keeps the lights on
    lane = {b.id: b.lane for b in gantt.bars}
    assert lane.get("server-replacement", KEEP_THE_LIGHTS_ON) == KEEP_THE_LIGHTS_ON


def test_left_out_have_one_line_reasons(dental_plan: it.Plan) -> None:
    """Every initiative left out has a reason; nothing selected has one."""
    reasons = left_out_reasons(dental_plan)
    assert set(reasons) == {i.id for i in dental_plan.initiatives if not i.selected}
    assert all(reason and "\n" not in reason for reason in reasons.values())


def test_report_without_a_survey_says_so() -> None:
    """No answers: no matrix chart, and the report says how to add them."""
    engagement = attrs.evolve(it.generate(6, seed=1), responses=())
    result = it.client_report(engagement, time_limit=10)
    assert "chart-matrix" not in [c.id for c in result.charts]
    texts = [getattr(b, "text", "") for b in result.section("current-state").blocks]
    assert any("--survey" in t for t in texts)


def test_unproven_plan_says_how_far_from_the_bound() -> None:
    """A plan stopped at its limit is 'best found, within X of the bound', never 'optimal'."""
    engagement = it.load(EXAMPLES / "midsize-manufacturer.toml")
    planned = it.plan(engagement, time_limit=3)
    sentence = proof_sentence(planned)
    if planned.status == Status.OPTIMAL:  # proven after all: nothing to check
        assert sentence.startswith("Proven optimal")
        return
    assert planned.status == Status.FEASIBLE
    assert sentence.startswith("Best plan found")
    assert "optimal" not in sentence.replace("not proven optimal", "").replace(
        "before proving it optimal", ""
    )
    if planned.best_bound is not None:
        assert it.formatting.percent(planned.gap or 0.0, 1) in sentence
    summary = it.build_report(planned).section("summary")
    shown = dict(next(b for b in summary.blocks if isinstance(b, KeyFigures)).figures)
    assert shown["Proof"].startswith("best found")


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(size=st.integers(min_value=3, max_value=8), seed=st.integers(min_value=0, max_value=50))
def test_resource_charts_equal_the_usage(size: int, seed: int) -> None:
    """Spend and hours charts carry the plan's usage, period by period (any engagement)."""
    planned = it.plan(it.generate(size, seed=seed), time_limit=5)
    if not planned.status.has_plan:
        return
    result = it.build_report(planned)
    spend = next(c for c in result.charts if c.id == "chart-spend").spec
    assert isinstance(spend, PeriodChart)
    assert spend.used == tuple(u.spend for u in planned.usage)
    assert spend.limit == tuple(u.budget for u in planned.usage)
    skills = sorted({k for u in planned.usage for k in u.skills})
    hours = [c for c in result.charts if c.id.startswith("chart-hours-")]
    assert len(hours) == len(skills)
    for chart, skill in zip(hours, skills, strict=True):
        assert isinstance(chart.spec, PeriodChart)
        assert chart.spec.used == tuple(u.skills[skill].used for u in planned.usage)
        assert chart.spec.extra == tuple(u.skills[skill].contractor for u in planned.usage)
    assert it.build_report(planned) == result  # same input, same report


def test_a_plan_without_schedule_is_refused() -> None:
    """An infeasible plan has no roadmap to report: a located error, not a blank report."""
    engagement = it.generate(4, seed=1)
    first = engagement.initiatives[0]
    broken = attrs.evolve(
        engagement,
        initiatives=(attrs.evolve(first, mandatory=True, cost=1e12), *engagement.initiatives[1:]),
    )
    planned = it.plan(broken, time_limit=5)
    assert not planned.status.has_plan
    with pytest.raises(InvalidEngagementError) as error:
        it.build_report(planned)
    assert error.value.problems[0].code == "no-plan"


def test_unknown_suffix_suggests_the_format() -> None:
    """``report.htm`` is refused with a suggestion of .html, located in the file name."""
    with pytest.raises(InvalidEngagementError) as error:
        report_format("out/report.htm")
    problem = error.value.problems[0]
    assert problem.file == "out/report.htm"
    assert problem.suggestion == "did you mean '.html'?"


def test_missing_extra_names_the_pip_command(
    dental_report: it.ClientReport, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without jinja2 the HTML report is a clear error naming the extra; nothing written."""
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(MissingExtraError) as error:
        write_report(dental_report, tmp_path / "r.html")
    assert "pip install 'itstrat-engine[report]'" in str(error.value)
    assert not list(tmp_path.iterdir())


def test_missing_xlsxwriter_names_the_excel_extra(
    dental_report: it.ClientReport, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without xlsxwriter: the excel extra's pip command."""
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    with pytest.raises(MissingExtraError) as error:
        write_report(dental_report, tmp_path / "r.xlsx")
    assert "pip install 'itstrat-engine[excel]'" in str(error.value)


# --------------------------------------------------------------------------- the command


def test_cli_requires_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    """``-o`` is required: a usage error (exit 2)."""
    with pytest.raises(SystemExit) as error:
        main(["report", str(DENTAL)])
    assert error.value.code == 2
    assert "-o" in capsys.readouterr().err


def test_cli_unknown_suffix_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``-o report.docx``: exit 2 naming the formats; nothing written."""
    with pytest.raises(SystemExit) as error:
        main(["report", str(DENTAL), "-o", str(tmp_path / "report.docx")])
    assert error.value.code == 2
    err = capsys.readouterr().err
    assert "report.docx" in err
    assert ".html" in err
    assert ".xlsx" in err
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_cli_failed_run_leaves_the_output_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An invalid engagement: exit 1, a located error, the old report kept byte for byte."""
    bad = tmp_path / "bad.toml"
    bad.write_text(DENTAL.read_text(encoding="utf-8").replace("periods = 12", "periods = 'x'"))
    output = tmp_path / "report.html"
    output.write_text("the old report\n")
    code = main(["report", str(bad), "-o", str(output)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{bad}:" in err
    assert "periods" in err
    assert "Traceback" not in err
    assert output.read_text() == "the old report\n"


def test_cli_missing_extra_is_a_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the report extra the command says which pip command to run (exit 1)."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    output = tmp_path / "report.md"
    code = main(["report", str(DENTAL), "--time-limit", "20", "-o", str(output)])
    err = capsys.readouterr().err
    assert code == 1
    assert "pip install 'itstrat-engine[report]'" in err
    assert not output.exists()
    assert not (tmp_path / "report_files").exists()


def test_cli_writes_markdown_and_its_charts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Markdown with --survey: the .md and one SVG per chart beside it, all linked."""
    output = tmp_path / "report.md"
    code = main(
        ["report", str(DENTAL), "--survey", str(SURVEY), "--time-limit", "30", "-o", str(output)]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "wrote" in out.out
    assert "proven optimal" in out.out
    assert out.err == ""  # not a terminal: no progress
    text = output.read_text(encoding="utf-8")
    svgs = sorted(p.name for p in (tmp_path / "report_files").iterdir())
    assert "chart-matrix.svg" in svgs
    assert "chart-gantt.svg" in svgs
    for name in svgs:
        assert f"](report_files/{name})" in text


class _Terminal:
    """A stand-in for a terminal's standard error: it says it is one and keeps the text."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_cli_progress_shows_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --frontier and --explain the long steps are named on a terminal's stderr."""
    engagement = tmp_path / "small.toml"
    it.dump(it.generate(5, seed=3), engagement)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    args = ["report", str(engagement), "--frontier", "--explain", "--time-limit", "5"]
    code = main([*args, "-o", str(tmp_path / "r.html")])
    assert code == 0
    assert "sweeping the budget frontier" in terminal.text
    assert "explaining" in terminal.text
    monkeypatch.undo()
    code = main([*args, "-o", str(tmp_path / "again.html")])
    assert code == 0
    assert capsys.readouterr().err == ""  # not a terminal: silent


def test_cli_infeasible_plan_leaves_the_output_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """No feasible roadmap: exit 3, what must give on stderr, the old file kept."""
    engagement = it.generate(4, seed=1)
    first = engagement.initiatives[0]
    broken = attrs.evolve(
        engagement,
        initiatives=(attrs.evolve(first, mandatory=True, cost=1e12), *engagement.initiatives[1:]),
    )
    source = tmp_path / "broken.toml"
    it.dump(broken, source)
    output = tmp_path / "report.xlsx"
    output.write_bytes(b"old workbook")
    code = main(["report", str(source), "--time-limit", "5", "-o", str(output)])
    err = capsys.readouterr().err
    assert code == 3
    assert "left unchanged" in err
    assert output.read_bytes() == b"old workbook"
