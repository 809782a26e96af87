"""The progress file: strict reading, and every mistake located in the file."""

from pathlib import Path

import attrs
import pytest

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.execution import InvalidProgressError, check_progress, loads_progress

DENTAL = "examples/dental-group.toml"
PROGRESS = "examples/dental-progress.toml"


@pytest.fixture(scope="module")
def baseline() -> it.Plan:
    return it.plan(it.load(DENTAL), time_limit=20, threads=1, solver="highs")


def _problems(text: str, baseline: it.Plan) -> list[str]:
    """The located problems of a progress text (reading, then checking)."""
    try:
        progress = loads_progress(text, source="p.toml")
        check_progress(progress, it.load(DENTAL), baseline)
    except InvalidProgressError as error:
        return [str(p) for p in error.problems]
    return []


def test_example_reads_and_fits(baseline: it.Plan) -> None:
    """The example progress file reads and fits the dental engagement and its baseline."""
    progress = it.load_progress(PROGRESS)
    assert progress.as_of == "2027-Q3"
    assert progress.of("backup-dr").actual_cost == 43000
    assert progress.of("digital-intake").status == "not-started"
    assert progress.of("mfa-sso").status == "not-started"  # not listed
    assert [i.id for i in progress.new_initiatives] == ["epcs"]
    engagement = it.load(DENTAL)
    new = (*engagement.initiatives, *progress.new_initiatives)
    check_progress(progress, attrs.evolve(engagement, initiatives=new), baseline)


HEAD = '[progress]\nas_of = "2027-Q3"\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEAD + '[[initiative]]\nid = "backup-dr"\nstatus = "done"\nfinished = "2027-Q2"\n'
            "actual_cots = 1\n",
            "p.toml: initiative[0].actual_cots: unknown key: got 'actual_cots'",
        ),
        (
            HEAD + '[[initiative]]\nid = "backup-rd"\nstatus = "done"\nfinished = "2027-Q2"\n',
            "p.toml: initiative[0].id: no such initiative in the engagement: got 'backup-rd'; "
            "did you mean 'backup-dr'?",
        ),
        (
            '[progress]\nas_of = "2031-Q1"\n',
            "p.toml: progress.as_of: not a period of the engagement's horizon: got '2031-Q1'",
        ),
        (
            HEAD + '[[initiative]]\nid = "backup-dr"\nstatus = "done"\nfinished = "2027-Q3"\n',
            "p.toml: initiative[0].finished: after the status date",
        ),
        (
            HEAD + '[[initiative]]\nid = "backup-dr"\nstatus = "done"\nfinished = "2027-Q2"\n'
            "actual_cost = -5\n",
            "p.toml: initiative[0].actual_cost: actual_cost is negative: got -5",
        ),
        (
            HEAD + '[[initiative]]\nid = "backup-dr"\nstatus = "finished"\n',
            "p.toml: initiative[0].status",
        ),
        (
            HEAD + '[[initiative]]\nid = "backup-dr"\nstatus = "done"\nfinished = "2027-Q2"\n'
            "remaining_cost = 10\n",
            "p.toml: initiative[0].remaining_cost: remaining_cost on an item that is done",
        ),
        (
            HEAD + '[[initiative]]\nid = "backup-dr"\nstatus = "done"\n',
            "p.toml: initiative[0].finished: a done item needs the last period it ran in",
        ),
        (
            HEAD + '[[initiative]]\nid = "mfa-sso"\nstatus = "in-progress"\n',
            "p.toml: initiative[0].started: the baseline starts 'mfa-sso' in 2027-Q4",
        ),
        (
            HEAD + '[[initiative]]\nid = "kpi-dashboards"\nstatus = "in-progress"\n'
            "remaining_periods = 11\n",
            "p.toml: initiative[0].remaining_periods: from 2027-Q3 it would run past the horizon",
        ),
        (
            HEAD + '[[spend]]\nperiod = "2027-Q3"\namount = 10\n',
            "p.toml: spend[0].period: after the status date",
        ),
        (
            HEAD + '[[benefit]]\nobjective = "growht"\nperiod = "2027-Q1"\nvalue = 3\n',
            "p.toml: benefit[0].objective: no such objective in the engagement: got 'growht'; "
            "did you mean 'growth'?",
        ),
        (
            HEAD + '[[new_initiative]]\nid = "backup-dr"\nname = "Again"\n',
            "p.toml: new_initiative[0].id: the engagement already has this initiative",
        ),
        (
            HEAD + '[[initiative]]\nid = "backup-dr"\nstatus = "done"\nfinished = "2027-Q2"\n'
            '[[initiative]]\nid = "backup-dr"\nstatus = "done"\nfinished = "2027-Q2"\n',
            "p.toml: initiative[1].id: 'backup-dr' is listed twice",
        ),
        ("[progress]\nas_of = 2027\n", "p.toml: progress.as_of: not a period of the engagement"),
    ],
)
def test_mistakes_are_located(text: str, expected: str, baseline: it.Plan) -> None:
    """Each mistake is a problem naming the file and the key, with what was wrong."""
    problems = _problems(text, baseline)
    assert any(p.startswith(expected) for p in problems), problems


def test_syntax_error_is_located() -> None:
    """A TOML syntax error names the progress file and its line."""
    with pytest.raises(InvalidProgressError) as error:
        loads_progress("[progress\n", source="p.toml")
    assert str(error.value.problems[0]).startswith("p.toml")


def test_new_initiative_mistakes_are_located_in_the_progress_file(
    tmp_path: Path, baseline: it.Plan
) -> None:
    """A new initiative serving an unknown objective is refused at new_initiative[0]."""
    text = (
        HEAD + '[[new_initiative]]\nid = "epcs"\nname = "EPCS"\nobjectives = { complience = 0.5 }\n'
    )
    path = tmp_path / "p.toml"
    path.write_text(text)
    with pytest.raises(InvalidProgressError) as error:
        it.replan(it.load(DENTAL), baseline, it.load_progress(path))
    shown = [str(p) for p in error.value.problems]
    assert any(s.startswith(f"{path}: new_initiative[0].objectives") for s in shown), shown


def test_cli_status_reports_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """itstrat status on a progress file with a bad key: exit 1, one located line."""
    path = tmp_path / "p.toml"
    path.write_text('[progress]\nas_of = "2027-Q3"\nnote = 3\n')
    plan = tmp_path / "b.json"
    assert main(["plan", DENTAL, "--time-limit", "20", "--format", "json", "-o", str(plan)]) == 0
    capsys.readouterr()
    assert main(["status", DENTAL, "--baseline", str(plan), "--progress", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: progress.note" in err
    assert "Traceback" not in err
