"""``itstrat assess``: exit codes, text sections, JSON shape, CSV answers, clean errors."""

import json
from pathlib import Path

import pytest

from itstrat_engine.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
DENTAL = EXAMPLES / "dental-group.toml"
DENTAL_CSV = EXAMPLES / "dental-survey.csv"

SMALL = """\
[engagement]
client = "Acme"
start = "2027-Q1"
periods = 4

[[objective]]
id = "grow"
name = "Grow"

[[service]]
id = "crm"
name = "CRM"
current = 1
target = 4

[[service]]
id = "mail"
name = "Mail"

[[response]]
stakeholder = "Ann"
department = "Sales"
importance = { crm = 9, mail = 5 }
satisfaction = { crm = 3, mail = 8 }
# end of responses

[[initiative]]
id = "crm-upgrade"
name = "CRM upgrade"
cost = 1000
objectives = { grow = 1.0 }
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "acme.toml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_dental_example_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    """The sample engagement prints every section, ASCII only, within 100 columns."""
    code, out, err = run(capsys, "assess", str(DENTAL))
    assert code == 0
    assert err == ""
    assert out.startswith("Brightsmile Dental Group: current-state assessment\n")
    for heading in (
        "Services by priority (most important, least satisfying first)",
        "Departments",
        "Maturity gaps (0-5; # current, - gap to target)",
        "Key issues from the data (priority >= 0.40 or maturity gap >= 2)",
        "Objective weights (direct)",
        "Alignment: strength of each initiative on each objective (. none)",
    ):
        assert f"\n{heading}\n" in out
    assert out.isascii()
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "Keep-the-lights-on initiatives: server-replacement" in out


def test_same_input_same_output(capsys: pytest.CaptureFixture[str]) -> None:
    """Two runs print exactly the same report."""
    first = run(capsys, "assess", str(DENTAL), "--survey", str(DENTAL_CSV))
    assert run(capsys, "assess", str(DENTAL), "--survey", str(DENTAL_CSV)) == first


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints one document with the file, the surveys and every step."""
    code, out, _ = run(capsys, "assess", str(DENTAL), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "file",
        "surveys",
        "client",
        "weights",
        "survey",
        "maturity",
        "derived_issues",
        "alignment",
        "warnings",
    ]
    assert data["file"] == str(DENTAL)
    assert data["surveys"] == []
    service = data["survey"]["services"][0]
    assert set(service) >= {"service", "importance", "satisfaction", "gap", "priority", "quadrant"}
    assert set(data["maturity"]) == {"gaps", "unrated"}
    assert set(data["derived_issues"]) == {
        "issues",
        "provenance",
        "skipped",
        "min_priority",
        "min_maturity_gap",
    }
    assert {"matrix", "unserved", "aligned_share", "unaddressed"} <= set(data["alignment"])


def test_survey_csv_is_added_to_the_files_responses(capsys: pytest.CaptureFixture[str]) -> None:
    """--survey adds the CSV's stakeholders to the file's [[response]] tables."""
    _, plain, _ = run(capsys, "assess", str(DENTAL), "--format", "json")
    code, out, _ = run(
        capsys, "assess", str(DENTAL), "--survey", str(DENTAL_CSV), "--format", "json"
    )
    assert code == 0
    before, after = json.loads(plain), json.loads(out)
    assert after["surveys"] == [str(DENTAL_CSV)]
    assert after["survey"]["responses"] > before["survey"]["responses"]
    code, text, _ = run(capsys, "assess", str(DENTAL), "--survey", str(DENTAL_CSV))
    assert (
        f"responses ({after['survey']['responses'] - before['survey']['responses']} from CSV)"
        in text
    )


def test_thresholds_from_the_command_line(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--min-priority, --min-maturity-gap and --include-flagged change the key issues."""

    def derived(*options: str) -> list[str]:
        _, out, _ = run(capsys, "assess", str(small), "--format", "json", *options)
        return [i["id"] for i in json.loads(out)["derived_issues"]["issues"]]

    assert derived() == ["svc-crm"]  # maturity gap 3
    assert derived("--min-maturity-gap", "3.5") == []  # one answer only: flagged
    assert derived("--min-maturity-gap", "3.5", "--include-flagged") == ["svc-crm"]
    assert derived("--min-maturity-gap", "3.5", "--include-flagged", "--min-priority", "0.9") == []
    _, out, _ = run(capsys, "assess", str(small), "--min-priority", "0.9")
    assert "Key issues from the data (priority >= 0.90 or maturity gap >= 2)" in out


def test_warnings_go_to_stderr(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Warnings (here: too few answers) are printed on stderr, located; exit stays 0."""
    code, out, err = run(capsys, "assess", str(small))
    assert code == 0
    assert f"warning: {small}: service[0]: too few answers for 'crm'" in err
    assert "1 !" in out


def test_invalid_engagement_exits_1_with_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cross-reference errors are printed as error: file: path: message, no traceback."""
    path = tmp_path / "bad.toml"
    path.write_text(SMALL.replace("mail = 5 }", "mial = 5 }"), encoding="utf-8")
    code, out, err = run(capsys, "assess", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {path}: response[0].importance.mial: unknown service: got 'mial', "
        "expected the id of a declared service; did you mean 'mail'?"
    ]


def test_bad_weights_are_located_in_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An assessment error (all weights zero) carries the file name."""
    path = tmp_path / "zero.toml"
    path.write_text(SMALL.replace('name = "Grow"', 'name = "Grow"\nweight = 0'), encoding="utf-8")
    code, _, err = run(capsys, "assess", str(path))
    assert code == 1
    assert err.startswith(f"error: {path}: objective: all business objective weights are zero")


def test_malformed_csv_exits_1_with_line_numbers(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every malformed CSV row is reported with its line, and nothing is printed on stdout."""
    csv = tmp_path / "answers.csv"
    csv.write_text("stakeholder,service,importance\nBob,crm,11\nCat,fax,5\n", encoding="utf-8")
    code, out, err = run(capsys, "assess", str(small), "--survey", str(csv))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {csv}: line 2, column importance: Bob's importance for 'crm' is outside the "
        "scale: got '11', expected a score from 1 to 10; fix the answer or declare the scale in "
        "[survey]",
        f"error: {csv}: line 3, column service: unknown service: got 'fax', expected the id or "
        "name of a declared service; declare it in the engagement or fix the cell",
    ]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("missing", "no such file"),
        ("empty", "the file is empty"),
        ("syntax", "TOML syntax error"),
    ],
)
def test_unreadable_files_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: str, expected: str
) -> None:
    """Missing, empty and broken files are one clear error line each."""
    path = tmp_path / "e.toml"
    if setup == "empty":
        path.write_text("")
    elif setup == "syntax":
        path.write_text("[engagement\n")
    code, out, err = run(capsys, "assess", str(path))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {path}: ")
    assert expected in err
    assert "Traceback" not in err


def test_missing_csv_exits_1(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A --survey file that does not exist is an error naming it."""
    code, _, err = run(capsys, "assess", str(small), "--survey", str(tmp_path / "nope.csv"))
    assert code == 1
    assert err.startswith(f"error: {tmp_path / 'nope.csv'}: no such file")


def test_no_responses_still_assesses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without a survey the report says so and still shows maturity and alignment."""
    path = tmp_path / "nosurvey.toml"
    before, _, after = SMALL.partition("[[response]]")
    path.write_text(before + after.partition("# end of responses")[2], encoding="utf-8")
    code, out, err = run(capsys, "assess", str(path))
    assert code == 0
    assert "No survey responses: add [[response]] tables or pass --survey FILE.csv." in out
    assert "  NEW svc-crm  severity 3.0\n      maturity gap 3 >= 2: current 1, target 4\n" in out
    assert f"warning: {path}: response: no survey responses" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["assess"],
        ["assess", "x.toml", "--format", "yaml"],
        ["assess", "x.toml", "--min-priority", "2"],
        ["assess", "x.toml", "--min-maturity-gap", "lots"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Bad arguments are argparse usage errors (exit 2)."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_pairwise_weights_show_their_consistency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """AHP weights print lambda_max, CI and CR with the verdict."""
    path = tmp_path / "ahp.toml"
    path.write_text(
        SMALL.replace(
            'name = "Grow"\n', 'name = "Grow"\n\n[[objective]]\nid = "keep"\nname = "Keep"\n'
        )
        + '\n[pairwise]\nobjectives = ["grow", "keep"]\nmatrix = [[1, 3], ["1/3", 1]]\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "assess", str(path))
    assert code == 0
    assert "Objective weights (pairwise)" in out
    assert "  grow       business   0.750" in out
    assert "  lambda_max 2.000, CI 0.000, CR 0.000 (consistent: limit 0.10)" in out
