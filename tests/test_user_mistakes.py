"""Mistakes users make that once ended in a traceback, were silently ignored, or blamed the
wrong file: each is now a located error (or a warning) that says what to do."""

import json
from pathlib import Path
from typing import Any

import pytest

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.research.group_weights import Judge, group_weights

ROOT = Path(__file__).resolve().parents[1]
DENTAL = ROOT / "examples" / "dental-group.toml"
PROGRESS = ROOT / "examples" / "dental-progress.toml"


@pytest.fixture(scope="module")
def plan_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(it.plan(it.generate(8, seed=2)).to_json(timings=False))
    return data


def plan_problems(data: object) -> list[it.Problem]:
    with pytest.raises(it.InvalidPlanError) as raised:
        it.loads_plan(json.dumps(data), "p.json")
    return list(raised.value.problems)


def test_a_start_edited_past_the_horizon_is_located_in_the_plan_file(
    plan_json: dict[str, Any],
) -> None:
    data = json.loads(json.dumps(plan_json))
    index, entry = next((k, e) for k, e in enumerate(data["initiatives"]) if e["selected"])
    for start in (11, 40, -1):
        entry["start"] = data["schedule"][entry["id"]] = start
        (problem,) = plan_problems(data)
        assert problem.path == f"initiatives[{index}].start"
        assert problem.value == repr(start)
        assert "does not run inside the horizon" in problem.message
        assert problem.file == "p.json"


def test_a_schedule_that_disagrees_names_the_initiative_and_both_starts(
    plan_json: dict[str, Any],
) -> None:
    data = json.loads(json.dumps(plan_json))
    item_id, start = next(iter(data["schedule"].items()))
    data["schedule"][item_id] = start + 1
    (problem,) = plan_problems(data)
    assert problem.path == f"schedule.{item_id}"
    assert problem.value == repr(start + 1)
    assert problem.expected is not None
    assert problem.expected.startswith(repr(start))


def test_a_plan_file_that_is_not_an_object_or_has_an_unknown_status(
    plan_json: dict[str, Any],
) -> None:
    for data in ([1, 2], None, "plan"):
        (problem,) = plan_problems(data)
        assert problem.expected == "a JSON object (a plan file)"
    bad = {**plan_json, "status": "weird"}
    (problem,) = plan_problems(bad)
    assert problem.path == "status"
    assert "'optimal'" in (problem.expected or "")
    assert "'no_solution'" in (problem.expected or "")


@pytest.mark.parametrize(
    ("start", "periods", "words"),
    [("9998-Q1", 12, "ends in year 10000"), ("0000-Q1", 4, "year 0"), ("9999", 2, "year 10000")],
)
def test_a_horizon_must_keep_four_digit_years(start: str, periods: int, words: str) -> None:
    kind = "year" if "-" not in start else "quarter"
    data = {"engagement": {"client": "C", "start": start, "periods": periods, "period": kind}}
    with pytest.raises(it.InvalidEngagementError) as raised:
        it.from_dict(data)
    (problem,) = raised.value.problems
    assert problem.path == "engagement.start"
    assert words in problem.message
    assert problem.suggestion
    ok = {"engagement": {"client": "C", "start": "9997-Q1", "periods": 12}}
    assert it.from_dict(ok).scope.labels[-1] == "9999-Q4"


def test_a_target_must_be_a_finite_number() -> None:
    base = it.plan(it.generate(6, seed=1))
    for bad in (float("nan"), float("inf"), 1e300):
        with pytest.raises(it.InvalidEngagementError, match="target"):
            it.cheapest_mix(base, target=bad)


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", str(DENTAL), "--time-limit", "-1"],
        ["plan", str(DENTAL), "--time-limit", "0"],
        ["plan", str(DENTAL), "--gap", "2"],
        ["plan", str(DENTAL), "--threads", "0"],
        ["plan", str(DENTAL), "--discount-rate", "5"],
        ["plan", str(DENTAL), "--coverage", "nan"],
        ["explain", str(DENTAL), "--time-limit", "-5"],
        ["frontier", str(DENTAL), "--resolution", "-1"],
        ["frontier", str(DENTAL), "--from", "-5"],
        ["limits", str(DENTAL), "--target", "nan"],
        ["limits", str(DENTAL), "--target", "inf"],
        ["scenario", str(DENTAL), "x.toml", "--time-limit", "nan"],
        ["generate", "--initiatives", "100000000"],
        ["generate", "--periods", "100000"],
    ],
)
def test_a_bad_option_value_is_a_usage_error_not_a_file_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {argv[-2]}: expected" in err
    assert str(DENTAL) not in err.splitlines()[-1]


def test_generate_refuses_what_could_never_be_read_back() -> None:
    with pytest.raises(ValueError, match="initiatives must be from 1 to"):
        it.generate(10**8)


def test_coverage_without_the_cost_objective_is_refused_or_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", str(DENTAL), "--coverage", "0.5"]) == 2
    err = capsys.readouterr().err
    assert "--coverage" in err
    assert "--objective cost" in err
    text = DENTAL.read_text().replace('objective = "value"', 'objective = "value"\ncoverage = 0.5')
    path = tmp_path / "dental.toml"
    path.write_text(text)
    warnings = it.check(it.load(path))
    assert [w.path for w in warnings if w.code == "unused-coverage"] == ["plan.coverage"]


def test_status_locates_a_bad_new_initiative_as_replan_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(["plan", str(DENTAL), "--format", "json", "-o", str(baseline)]) == 0
    progress = tmp_path / "progress.toml"
    text = PROGRESS.read_text()
    progress.write_text(
        text.replace("[[new_initiative]]", '[[new_initiative]]\nrequires = ["nope"]', 1)
    )
    capsys.readouterr()
    for command in ("status", "replan"):
        code = main(
            [command, str(DENTAL), "--baseline", str(baseline), "--progress", str(progress)]
        )
        err = capsys.readouterr().err
        assert code == 1
        assert f"error: {progress}: new_initiative[0].requires[0]: unknown initiative" in err


def test_two_judges_of_one_name_or_one_objective_twice_are_located() -> None:
    engagement = it.load(DENTAL)
    ids = tuple(o.id for o in engagement.objectives if o.kind == "business")
    n = len(ids)
    ones = tuple(tuple(1 for _ in range(n)) for _ in range(n))
    same = Judge(name="cfo", objectives=ids, matrix=ones)
    with pytest.raises(it.InvalidEngagementError) as raised:
        group_weights(engagement, [same, same])
    (problem,) = raised.value.problems
    assert (problem.code, problem.path) == ("duplicate-judge", "judge[1].name")
    twice = Judge(name="ceo", objectives=(*ids[:-1], ids[0]), matrix=ones)
    with pytest.raises(it.InvalidEngagementError) as raised:
        group_weights(engagement, [twice])
    assert raised.value.problems[0].path == "judge[0].objectives"


def test_a_study_without_scenarios_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "study.toml"
    path.write_text('[study]\nid = "x"\n')
    with pytest.raises(it.InvalidEngagementError) as raised:
        it.load_study(path)
    assert raised.value.problems[0].code == "empty-study"


@pytest.mark.parametrize("command", ["plan", "explain", "limits"])
def test_no_timings_leaves_the_solver_and_seconds_out_of_the_text(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ROOT / "examples" / "dental-group.toml"
    extra = {"explain": ["mfa-sso", "--no-blocking"], "limits": ["--no-unlocks"]}.get(command, [])
    assert main([command, str(path), *extra, "--no-timings"]) == 0
    status = next(
        line for line in capsys.readouterr().out.splitlines() if line.startswith("Status")
    )
    assert status == "Status: optimal (proven) | value 6,040"


@pytest.mark.parametrize("suffix", [".yaml", ".html", ".md", ".xlsx"])
def test_plan_refuses_an_output_named_for_a_format_it_does_not_write(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"plan{suffix}"
    assert main(["plan", str(DENTAL), "-o", str(out)]) == 2
    assert not out.exists()
    assert "itstrat report" in capsys.readouterr().err


def test_a_link_loop_and_a_directory_get_reasons_of_their_own(tmp_path: Path) -> None:
    from itstrat_engine.io import read_text

    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    with pytest.raises(it.UnreadableFileError) as raised:
        read_text(tmp_path / "a.toml")
    assert raised.value.problems[0].code == "broken-link"
    folder = tmp_path / "answers"
    folder.mkdir()
    (folder / "survey.csv").write_text("service,question,score\n")
    with pytest.raises(it.UnreadableFileError) as raised:
        read_text(folder)
    assert raised.value.problems[0].suggestion == f"name a file inside it, e.g. {folder}/survey.csv"


def test_a_baseline_of_another_engagement_is_blamed_on_the_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.json"
    other.write_text(it.plan(it.generate(6, seed=1)).to_json(timings=False))
    for command in ("status", "replan"):
        code = main([command, str(DENTAL), "--baseline", str(other), "--progress", str(PROGRESS)])
        err = capsys.readouterr().err
        assert code == 1
        assert err.startswith(f"error: {other}: engagement.client: the baseline is a plan of")
        assert str(PROGRESS) not in err


def test_json_in_a_toml_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "engagement.toml"
    path.write_text('{"engagement": {"client": "C"}}')
    with pytest.raises(it.InvalidEngagementError) as raised:
        it.load(path)
    assert raised.value.problems[0].suggestion == "the file looks like JSON: give it a .json name"
