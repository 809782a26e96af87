"""Loading and dumping engagements: strict parsing, located messages, round trips."""

import contextlib
import json
import tomllib
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.errors import InvalidEngagementError, ItstratError, UnreadableFileError
from tests.strategies import documents, engagements, mutated_documents

MINIMAL = """\
[engagement]
client = "Acme Dental"
start = "2027-Q1"
periods = 4

[[initiative]]
id = "backup"
name = "Backup"
cost = 1000
"""


def write(tmp_path: Path, text: str | bytes, name: str = "e.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def messages(error: pytest.ExceptionInfo[ItstratError]) -> list[str]:
    return [str(p) for p in error.value.problems]  # type: ignore[attr-defined]


def test_minimal_file_loads(tmp_path: Path) -> None:
    """A minimal file loads with defaults filled in."""
    engagement = it.load(write(tmp_path, MINIMAL))
    assert engagement.scope.labels == ("2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4")
    assert engagement.initiatives[0].cost == 1000.0
    assert engagement.initiatives[0].duration == 1
    assert engagement.plan.solver == "auto"


def test_missing_file(tmp_path: Path) -> None:
    """A missing file names the file and suggests a close name."""
    write(tmp_path, MINIMAL, "dental.toml")
    with pytest.raises(UnreadableFileError) as error:
        it.load(tmp_path / "dentl.toml")
    assert (
        str(error.value) == f"{tmp_path / 'dentl.toml'}: no such file; did you mean 'dental.toml'?"
    )
    assert isinstance(error.value, OSError)


def test_directory(tmp_path: Path) -> None:
    """A directory is refused with a hint."""
    folder = tmp_path / "plans.toml"
    folder.mkdir()
    with pytest.raises(UnreadableFileError, match="is a directory, not a file"):
        it.load(folder)


def test_empty_file(tmp_path: Path) -> None:
    """An empty file says so and points at an example."""
    with pytest.raises(InvalidEngagementError) as error:
        it.load(write(tmp_path, "  \n\n"))
    assert messages(error) == [
        f"{tmp_path / 'e.toml'}: the file is empty, expected an engagement with at least an "
        "[engagement] table; start from examples/dental-group.toml"
    ]


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    """A TOML syntax error is located by line and column."""
    text = MINIMAL.replace('name = "Backup"', "name = Backup")
    with pytest.raises(InvalidEngagementError) as error:
        it.load(write(tmp_path, text))
    (message,) = messages(error)
    assert message.startswith(
        f"{tmp_path / 'e.toml'}: line 8, column 8: TOML syntax error: Invalid value"
    )


def test_json_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    """A JSON syntax error is located by line and column."""
    with pytest.raises(InvalidEngagementError) as error:
        it.load(write(tmp_path, '{"engagement": {\n  "client": }}', "e.json"))
    assert messages(error) == [
        f"{tmp_path / 'e.json'}: line 2, column 13: JSON syntax error: Expecting value"
    ]


def test_non_utf8_file(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are reported with their line."""
    with pytest.raises(UnreadableFileError) as error:
        it.load(write(tmp_path, MINIMAL.encode() + b"\n# caf\xe9\n"))
    assert str(error.value) == (
        f"{tmp_path / 'e.toml'}: line 11: not UTF-8 text (byte 0xe9 at offset 130); save the file as UTF-8"
    )


@pytest.mark.parametrize(("literal", "shown"), [("nan", "nan"), ("inf", "inf"), ("-inf", "-inf")])
def test_nan_and_infinity_are_refused(tmp_path: Path, literal: str, shown: str) -> None:
    """NaN and infinity are not numbers an estimate can take."""
    with pytest.raises(InvalidEngagementError) as error:
        it.load(write(tmp_path, MINIMAL.replace("cost = 1000", f"cost = {literal}")))
    assert messages(error) == [
        f"{tmp_path / 'e.toml'}: initiative[0].cost: not a finite number: got {shown}, expected a finite number"
    ]


def test_nan_in_json_is_refused(tmp_path: Path) -> None:
    """JSON's NaN extension is refused just like TOML's nan."""
    data = it.to_dict(it.loads(MINIMAL))
    text = json.dumps(data).replace("1000.0", "NaN")
    with pytest.raises(InvalidEngagementError, match=r"initiative\[0\].cost: not a finite number"):
        it.load(write(tmp_path, text, "e.json"))


def test_negative_cost(tmp_path: Path) -> None:
    """A negative cost names the path, the value and the expectation."""
    with pytest.raises(InvalidEngagementError) as error:
        it.load(write(tmp_path, MINIMAL.replace("cost = 1000", "cost = -1000")))
    assert messages(error) == [
        f"{tmp_path / 'e.toml'}: initiative[0].cost: cost is negative: got -1000.0, expected a number >= 0"
    ]


def test_unknown_key_suggests_the_right_one() -> None:
    """An unknown key gets a did-you-mean."""
    with pytest.raises(InvalidEngagementError) as error:
        it.loads(MINIMAL.replace("cost = 1000", "cots = 1000"), source="x.toml")
    (message,) = messages(error)
    assert message.startswith(
        "x.toml: initiative[0].cots: unknown key: got 'cots', expected one of id, name,"
    )
    assert message.endswith("; did you mean 'cost'?")


def test_unknown_top_level_table() -> None:
    """A plural table name is caught at the top level too."""
    with pytest.raises(InvalidEngagementError) as error:
        it.loads(MINIMAL.replace("[[initiative]]", "[[initiatives]]"))
    assert "initiatives: unknown key" in messages(error)[0]
    assert messages(error)[0].endswith("did you mean 'initiative'?")


def test_number_as_string_is_refused() -> None:
    """A number written as a string is a type error, not silently parsed."""
    with pytest.raises(InvalidEngagementError) as error:
        it.loads(MINIMAL.replace("cost = 1000", 'cost = "ten"'))
    assert messages(error) == ["initiative[0].cost: wrong type: got 'ten', expected a number"]


def test_string_where_list_belongs() -> None:
    """A bare string is not a list of ids."""
    with pytest.raises(InvalidEngagementError) as error:
        it.loads(MINIMAL + 'requires = "erp"\n')
    assert messages(error) == [
        "initiative[0].requires: wrong type: got 'erp', expected a list of strings"
    ]


def test_boolean_is_not_a_number() -> None:
    """true is not 1."""
    with pytest.raises(InvalidEngagementError) as error:
        it.loads(MINIMAL.replace("periods = 4", "periods = true"))
    assert messages(error) == ["engagement.periods: wrong type: got True, expected a whole number"]


def test_unknown_choice_suggests() -> None:
    """Choices come with a did-you-mean."""
    with pytest.raises(InvalidEngagementError) as error:
        it.loads(MINIMAL + '[plan]\nobjective = "valeu"\n')
    assert messages(error) == [
        "plan.objective: unknown choice: got 'valeu', expected one of 'value', 'coverage', "
        "'makespan', 'cost', 'npv'; did you mean 'value'?"
    ]


def test_missing_required_key() -> None:
    """A missing required key is named."""
    with pytest.raises(InvalidEngagementError) as error:
        it.loads(MINIMAL.replace('name = "Backup"\n', ""))
    assert messages(error) == [
        "initiative[0].name: missing required key 'name'; add name = ... here"
    ]


def test_start_label_must_match_period_kind() -> None:
    """A monthly horizon needs a month label."""
    with pytest.raises(InvalidEngagementError) as error:
        it.loads(MINIMAL.replace("periods = 4", 'periods = 4\nperiod = "month"'))
    assert messages(error) == [
        "engagement.start: start label does not match the period kind: got '2027-Q1', "
        "expected a month label like '2027-01'"
    ]


def test_all_problems_reported_at_once() -> None:
    """Several mistakes in different places come back together, in file order."""
    text = MINIMAL.replace("cost = 1000", 'cost = -1\nduration = 0\nrisk = "high"') + (
        '\n[[initiative]]\nid = "Bad Id"\nname = "x"\n'
    )
    with pytest.raises(InvalidEngagementError) as error:
        it.loads(text)
    paths = [p.path for p in error.value.problems]
    assert paths == ["initiative[0].risk", "initiative[1].id"]


def test_unknown_suffix(tmp_path: Path) -> None:
    """Only known formats are read."""
    with pytest.raises(UnreadableFileError, match=r"unknown file type: got '\.txt'"):
        it.load(write(tmp_path, MINIMAL, "e.txt"))


def test_yaml_round_trip(tmp_path: Path) -> None:
    """YAML reads and writes the same model."""
    engagement = it.loads(MINIMAL)
    path = tmp_path / "e.yaml"
    it.dump(engagement, path)
    assert it.load(path) == engagement


@given(engagements())
def test_toml_round_trip(engagement: it.Engagement) -> None:
    """Dump then load gives an equal model (TOML)."""
    assert it.loads(it.dumps(engagement, "toml"), "toml") == engagement


@given(engagements())
def test_json_round_trip(engagement: it.Engagement) -> None:
    """Dump then load gives an equal model (JSON), and the text is stable."""
    text = it.dumps(engagement, "json")
    again = it.loads(text, "json")
    assert again == engagement
    assert it.dumps(again, "json") == text


@given(documents)
def test_fuzz_arbitrary_documents(data: object) -> None:
    """Arbitrary data never escapes as anything but an ItstratError."""
    with contextlib.suppress(ItstratError):
        it.from_dict(data)


@given(mutated_documents())
def test_fuzz_mutated_documents(data: object) -> None:
    """A valid document with junk swapped in fails cleanly, or still loads."""
    try:
        engagement = it.from_dict(data)
    except InvalidEngagementError as error:
        assert error.problems
        assert all(p.path or p.code == "wrong-type" for p in error.problems)
    else:
        it.validate(engagement)


@given(st.text(max_size=200), st.sampled_from(["toml", "json", "yaml"]))
def test_fuzz_text(text: str, fmt: str) -> None:
    """Arbitrary text in any format fails cleanly."""
    with contextlib.suppress(ItstratError):
        it.loads(text, fmt)  # type: ignore[arg-type]


def test_deep_nesting_is_refused() -> None:
    """Pathologically nested JSON is an input error, not a RecursionError."""
    with pytest.raises(InvalidEngagementError, match="nested too deeply"):
        it.loads("[" * 100_000 + "]" * 100_000, "json")


# --------------------------------------------------------------------------- source


def test_the_engagement_knows_its_file(tmp_path: Path) -> None:
    """load, loads and from_dict record the source; files never hold it."""
    path = write(tmp_path, MINIMAL)
    assert it.load(path).source == str(path)
    assert it.loads(MINIMAL, source="x/e.toml").source == "x/e.toml"
    assert it.from_dict(it.to_dict(it.loads(MINIMAL)), "y.json").source == "y.json"
    assert it.loads(MINIMAL).source is None
    assert "source" not in it.to_dict(it.load(path))
    assert "source" not in it.dumps(it.load(path))


def test_source_is_not_compared_and_survives_evolve(tmp_path: Path) -> None:
    """Two reads of one engagement from different files are equal; evolve keeps the file."""
    engagement = it.load(write(tmp_path, MINIMAL))
    assert it.loads(it.dumps(engagement)) == engagement
    assert attrs.evolve(engagement, groups=()).source == engagement.source
    assert "source" not in repr(engagement)


def test_source_is_not_a_file_key() -> None:
    """A file cannot set the source: it is an unknown key like any other."""
    with pytest.raises(InvalidEngagementError) as error:
        it.loads('source = "x.toml"\n' + MINIMAL)
    (message,) = messages(error)
    assert message.startswith("source: unknown key: got 'source', expected one of engagement,")


def test_structure_then_reports_both_steps_in_file_order() -> None:
    """The converter's problems and the later checks' come back together, in file order.

    A check's problem at a spot the converter refused is dropped: it is already reported.
    """
    from itstrat_engine.errors import Problem
    from itstrat_engine.io import structure_then

    def check(engagement: it.Engagement) -> None:
        problem = Problem(code="x", path="engagement.client", message="checked")
        raise InvalidEngagementError(
            [problem, *(attrs.evolve(problem, path=f"initiative[0].{k}") for k in ("cots", "cost"))]
        )

    with pytest.raises(InvalidEngagementError) as error:
        structure_then(
            tomllib.loads(MINIMAL.replace('name = "Backup"', 'name = "Backup"\ncots = 1')),
            it.Engagement,
            check,
            "e.toml",
        )
    assert messages(error) == [
        "e.toml: engagement.client: checked",
        "e.toml: initiative[0].cots: unknown key: got 'cots', expected one of id, name, description, duration, cost, cost_kind, run_cost, benefit, benefit_ramp, effort, profile, addresses, objectives, requires, excludes, earliest, deadline, mandatory, forbidden, value, risk, tags, fields; did you mean 'cost'?",
        "e.toml: initiative[0].cost: checked",
    ]
