"""Survey answers from CSV: rows merged per stakeholder, skipped cells, located errors."""

from pathlib import Path
from typing import Any

import pytest

import itstrat_engine as it
from itstrat_engine.assessment import aggregate_survey, parse_survey_csv, read_survey_csv

EXAMPLES = Path(__file__).parent.parent / "examples"


def engagement(**extra: Any) -> it.Engagement:
    return it.from_dict(
        {
            "engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
            "service": [
                {"id": "mail", "name": "Email & calendar"},
                {"id": "crm", "name": "CRM"},
                {"id": "wifi", "name": "Wi-Fi"},
            ],
        }
        | extra
    )


HEADER = "stakeholder,department,role,weight,service,importance,satisfaction,comment\n"


def problems(text: str, e: it.Engagement | None = None) -> list[str]:
    with pytest.raises(it.InvalidEngagementError) as error:
        parse_survey_csv(text, engagement() if e is None else e, source="survey.csv")
    return [str(p) for p in error.value.problems]


def test_rows_merge_into_one_response_per_stakeholder() -> None:
    """Rows of one stakeholder become one response; blanks are skipped, attributes inherited."""
    text = (
        HEADER
        + "Ann,Sales,Lead,2,mail,9,3,Too much spam\n"
        + "Bob,Ops,,,crm,8,,\n"
        + "Ann,,,,crm,7,6,Too much spam\n"
        + "Ann,Sales,,2,wifi,,4,Slow upstairs\n"
    )
    assert parse_survey_csv(text, engagement()) == (
        it.Response(
            stakeholder="Ann",
            department="Sales",
            role="Lead",
            weight=2.0,
            importance={"mail": 9.0, "crm": 7.0},
            satisfaction={"mail": 3.0, "crm": 6.0, "wifi": 4.0},
            comment="Too much spam; Slow upstairs",
        ),
        it.Response(stakeholder="Bob", department="Ops", importance={"crm": 8.0}),
    )


def test_csv_and_toml_answers_aggregate_the_same() -> None:
    """The same answers from a CSV file and from [[response]] tables give the same survey."""
    text = HEADER + "Ann,Sales,,2,mail,9,3,\nAnn,Sales,,2,crm,7,6,\nBob,Ops,,,mail,6,,\n"
    from_csv = parse_survey_csv(text, engagement())
    from_file = engagement(
        response=[
            {
                "stakeholder": "Ann",
                "department": "Sales",
                "weight": 2,
                "importance": {"mail": 9, "crm": 7},
                "satisfaction": {"mail": 3, "crm": 6},
            },
            {"stakeholder": "Bob", "department": "Ops", "importance": {"mail": 6}},
        ]
    )
    assert aggregate_survey(from_file, from_csv) == aggregate_survey(from_file)


def test_spreadsheet_exports_are_understood() -> None:
    """BOM, semicolons, spaced and capitalised headers, timestamp, names for services, CRLF."""
    text = (
        "\ufeffTimestamp;Stakeholder;Service;Importance;Satisfaction\r\n"
        "2026-11-09;Ann;Email & Calendar;9;3\r\n"
        "\r\n"
        '2026-11-09;Ann;" wifi ";8;\r\n'
    )
    (ann,) = parse_survey_csv(text, engagement())
    assert (ann.importance, ann.satisfaction) == ({"mail": 9.0, "wifi": 8.0}, {"mail": 3.0})


def test_without_an_engagement_only_shape_and_numbers_are_checked() -> None:
    """No engagement: service cells are kept as written and any finite score passes."""
    (ann,) = parse_survey_csv("stakeholder,service,importance\nAnn,fax,42\n")
    assert ann.importance == {"fax": 42.0}


def test_quoted_multiline_cells_keep_line_numbers_right() -> None:
    """A comment spanning two lines does not shift the line numbers of later rows."""
    text = HEADER + 'Ann,Sales,,,mail,9,3,"line one\nline two"\nBob,Ops,,,mail,12,3,\n'
    assert problems(text) == [
        "survey.csv: line 4, column importance: Bob's importance for 'mail' is outside the "
        "scale: got '12', expected a score from 1 to 10; fix the answer or declare the scale "
        "in [survey]"
    ]


def test_every_malformed_row_is_reported_with_its_line() -> None:
    """All row problems come at once, each with line, column, value and expectation."""
    text = (
        HEADER
        + "Ann,Sales,,,mail,9,3,\n"  # line 2: fine
        + "Ann,Sales,,,mial,9,3,\n"  # 3: unknown service
        + "Bob,Ops,,,crm,ten,3,\n"  # 4: not a number
        + 'Bob,Ops,,,wifi,"7,5",3,\n'  # 5: decimal comma
        + "Cat,Ops,,,crm,9,0,\n"  # 6: outside the scale
        + ",Ops,,,crm,9,3,\n"  # 7: no stakeholder
        + "Dan,Ops,,-1,crm,9,3,\n"  # 8: negative weight
        + "Eve,Ops,,,crm,9\n"  # 9: too few fields
        + "Ann,Sales,,,mail,8,4,\n"  # 10: answered twice
        + "Ann,Finance,,,crm,8,4,\n"  # 11: department differs
        + "Fay,Ops,,,crm,nan,3,\n"  # 12: not finite
    )
    assert problems(text) == [
        "survey.csv: line 3, column service: unknown service: got 'mial', expected the id or "
        "name of a declared service; did you mean 'mail'?",
        "survey.csv: line 4, column importance: Bob's importance for 'crm' is not a number: "
        "got 'ten', expected a number, or blank for a skipped answer",
        "survey.csv: line 5, column importance: Bob's importance for 'wifi' is not a number: "
        "got '7,5', expected a number, or blank for a skipped answer; use a point as the "
        "decimal separator",
        "survey.csv: line 6, column satisfaction: Cat's satisfaction for 'crm' is outside the "
        "scale: got '0', expected a score from 1 to 10; fix the answer or declare the scale in "
        "[survey]",
        "survey.csv: line 7, column stakeholder: no stakeholder, expected the stakeholder's name",
        "survey.csv: line 8, column weight: weight must be a finite number >= 0: got '-1', "
        "expected a number >= 0",
        "survey.csv: line 9: wrong number of fields: got 6 fields, expected 8, one per header "
        "column; quote cells that contain the delimiter",
        "survey.csv: line 10, column service: Ann answered for 'mail' twice: got 'mail', "
        "expected one row per stakeholder and service; line 2 has the first answer; keep one",
        "survey.csv: line 11, column department: Ann's department differs from an earlier row: "
        "got 'Finance', expected 'Sales' as on line 2, or a blank cell; use one value per "
        "stakeholder (or different stakeholder names)",
        "survey.csv: line 12, column importance: Fay's importance for 'crm' is not a number: "
        "got 'nan', expected a number, or blank for a skipped answer",
    ]


def test_scale_comes_from_the_engagement() -> None:
    """A declared 1-5 scale makes a 7 an error."""
    e = engagement(survey={"scale_min": 1, "scale_max": 5})
    assert problems("stakeholder,service,satisfaction\nAnn,crm,7\n", e) == [
        "survey.csv: line 2, column satisfaction: Ann's satisfaction for 'crm' is outside the "
        "scale: got '7', expected a score from 1 to 5; fix the answer or declare the scale in "
        "[survey]"
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "stakeholder,service,importance,satisfacton",
            "survey.csv: line 1, column 4: unknown column: got 'satisfacton', expected one of "
            "stakeholder, department, role, weight, service, importance, satisfaction, comment; "
            "did you mean 'satisfaction'?",
        ),
        (
            "stakeholder,department,importance,satisfaction",
            "survey.csv: line 1: the header lacks required columns: got "
            "'stakeholder,department,importance,satisfaction', expected a header row such as: "
            "stakeholder,department,role,weight,service,importance,satisfaction,comment; "
            "add the column service",
        ),
        (
            "stakeholder,service,department",
            "survey.csv: line 1: the header lacks required columns: got "
            "'stakeholder,service,department', expected a header row such as: "
            "stakeholder,department,role,weight,service,importance,satisfaction,comment; "
            "add the column importance or satisfaction",
        ),
        (
            "stakeholder,service,Importance,importance",
            "survey.csv: line 1, column 4: column given twice: got 'importance', expected each "
            "column once; column 3 already is 'importance'",
        ),
        (
            "stakeholder,service,,importance",
            "survey.csv: line 1, column 3: empty column name in the header, expected one of "
            "stakeholder, department, role, weight, service, importance, satisfaction, comment; "
            "name the column or delete it",
        ),
    ],
)
def test_bad_header(header: str, expected: str) -> None:
    """Unknown, missing, doubled and empty column names are errors on line 1."""
    assert problems(header + "\nAnn,crm,5,5\n") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "survey.csv: line 1: the survey file has no header and no answers"),
        ("\n\n", "survey.csv: line 1: the survey file has no header and no answers"),
        (HEADER, "survey.csv: line 1: the survey file has a header but no answers"),
        (
            HEADER + 'Ann,Sales,,,mail,9,3,"unclosed\n',
            "survey.csv: line 2: CSV syntax error: unexpected end of data",
        ),
        (
            HEADER + 'Ann,Sales,,,mail,9,3,"quoted"tail\n',
            "survey.csv: line 2: CSV syntax error: ',' expected after '\"'",
        ),
    ],
)
def test_empty_and_unparseable_files(text: str, expected: str) -> None:
    """An empty file, a header alone, and broken quoting are clear, located errors."""
    (problem,) = problems(text)
    assert problem.startswith(expected)


def test_read_survey_csv_names_the_file(tmp_path: Path) -> None:
    """Reading from disk puts the file name in every problem."""
    path = tmp_path / "answers.csv"
    path.write_text("stakeholder,service,importance\nAnn,crm,99\n", encoding="utf-8")
    with pytest.raises(it.InvalidEngagementError) as error:
        read_survey_csv(path, engagement())
    assert error.value.problems[0].file == str(path)
    assert str(error.value.problems[0]).startswith(f"{path}: line 2, column importance:")


def test_missing_csv_file_is_unreadable(tmp_path: Path) -> None:
    """A missing file is an UnreadableFileError, not a traceback."""
    with pytest.raises(it.UnreadableFileError, match="no such file"):
        read_survey_csv(tmp_path / "nope.csv")


def test_example_csv_matches_the_dental_engagement() -> None:
    """examples/dental-survey.csv reads cleanly against examples/dental-group.toml."""
    e = it.load(EXAMPLES / "dental-group.toml")
    responses = read_survey_csv(EXAMPLES / "dental-survey.csv", e)
    assert len(responses) >= 6
    assert {r.stakeholder for r in responses}.isdisjoint(r.stakeholder for r in e.responses)
    assert aggregate_survey(e, (*e.responses, *responses)).responses == len(e.responses) + len(
        responses
    )
