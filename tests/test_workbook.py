"""Engagements as workbooks and CSV files: round trips, list cells, located errors, extras."""

import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import itstrat_engine as it
from itstrat_engine import workbook
from itstrat_engine.cli import main
from itstrat_engine.workbook_notes import KEY_NOTES

EXAMPLES = Path(__file__).parent.parent / "examples"
DOCS = Path(__file__).parent.parent / "docs" / "engagement-file.md"


def write_book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook written by openpyxl (not the code under test): sheet -> rows."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


ENGAGEMENT_ROWS = [["client", "start", "periods"], ["Acme", "2027-Q1", 4]]
INITIATIVE_HEADER = ["id", "name", "duration", "cost", "effort.infra", "requires"]


def small_book(path: Path, initiatives: list[list[Any]], **more: list[list[Any]]) -> Path:
    return write_book(
        path,
        {
            "engagement": ENGAGEMENT_ROWS,
            "initiatives": [INITIATIVE_HEADER, *initiatives],
            "skills": [["skill", "hours"], ["infra", 100]],
            **more,
        },
    )


def problems(path: Path) -> list[str]:
    """The problems of loading `path`, its folder left out of the file names."""
    with pytest.raises(it.ItstratError) as caught:
        it.load(path)
    return [str(p).replace(f"{path.parent}/", "") for p in caught.value.problems]


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("example", ["dental-group.toml", "midsize-manufacturer.toml"])
@pytest.mark.parametrize("suffix", [".xlsx", ".zip", ""])
def test_examples_round_trip(tmp_path: Path, example: str, suffix: str) -> None:
    """Each example written as a workbook, a zip or a folder of CSVs loads back equal."""
    engagement = it.load(EXAMPLES / example)
    target = tmp_path / f"out{suffix}"
    it.write_engagement(engagement, target)
    assert it.load(target) == engagement


def test_a_workbook_read_by_openpyxl_holds_typed_cells(tmp_path: Path) -> None:
    """Numbers are number cells, booleans boolean cells, lists comma-separated text."""
    engagement = it.load(EXAMPLES / "dental-group.toml")
    path = tmp_path / "dental.xlsx"
    it.write_engagement(engagement, path)
    sheet = openpyxl.load_workbook(path)["initiatives"]
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    item = engagement.initiatives[0]
    assert first["id"] == item.id
    assert first["cost"] == item.cost
    assert first["mandatory"] is item.mandatory
    assert first["tags"] == ", ".join(item.tags)
    for skill, hours in item.effort.items():
        assert first[f"effort.{skill}"] == hours


def test_workbook_bytes_are_deterministic() -> None:
    """The same engagement gives the same workbook and zip bytes, with the fixed date."""
    engagement = it.load(EXAMPLES / "dental-group.toml")
    assert it.to_xlsx(engagement) == it.to_xlsx(it.load(EXAMPLES / "dental-group.toml"))
    assert workbook.to_csv_zip(engagement) == workbook.to_csv_zip(engagement)
    with zipfile.ZipFile(__import__("io").BytesIO(it.to_xlsx(engagement))) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "2000-01-01T00:00:00Z" in core


@pytest.mark.parametrize(
    ("number"),
    [0.1 + 0.2, 1 / 3, 123456.789012345678, 1e-7, 2.0**60, 1e300, 2.0**53 + 2],
)
def test_numbers_excel_cannot_hold_exactly_still_round_trip(tmp_path: Path, number: float) -> None:
    """Numbers that need 17 digits are written as text and read back exactly."""
    engagement = it.from_dict(
        {
            "engagement": {"client": "Acme", "start": "2027-Q1", "periods": 2},
            "capacity": {"budget": number},
        }
    )
    path = tmp_path / "n.xlsx"
    it.write_engagement(engagement, path)
    assert it.load(path).capacity.budget == number


@pytest.mark.parametrize(
    "text",
    [
        "",
        " padded ",
        "a, b",
        'say "hi"',
        "line\nbreak",
        "tab\there",
        "\x00\x07\x1f",
        "_x0041_",
        "10",
    ],
)
def test_awkward_text_round_trips(tmp_path: Path, text: str) -> None:
    """Text with commas, quotes, control characters or Excel escapes survives every form."""
    engagement = it.from_dict(
        {
            "engagement": {"client": text, "start": "2027-Q1", "periods": 2},
            "initiative": [{"id": "a", "name": text, "tags": [text, "x"]}],
        }
    )
    for suffix in (".xlsx", ".zip", ""):
        target = tmp_path / f"t{suffix}"
        it.write_engagement(engagement, target)
        assert it.load(target) == engagement, suffix


def test_one_item_per_period_list_keeps_its_kind(tmp_path: Path) -> None:
    """A one-period list (``5,``) stays a list and a scalar stays a scalar."""
    engagement = it.from_dict(
        {
            "engagement": {"client": "Acme", "start": "2027-Q1", "periods": 1},
            "capacity": {"budget_per_period": [5.0], "skills": {"a": 3.0, "b": [4.0]}},
        }
    )
    folder = tmp_path / "csv"
    it.write_engagement(engagement, folder)
    assert "budget_per_period" in (folder / "capacity.csv").read_text()
    assert "5," in (folder / "capacity.csv").read_text()
    loaded = it.load(folder)
    assert loaded.capacity.budget_per_period == (5.0,)
    assert loaded.capacity.skills == {"a": 3.0, "b": (4.0,)}


def test_labels_that_look_like_numbers_stay_labels(tmp_path: Path) -> None:
    """A year's label "2028" is written in quotes and read back as text, not as an index."""
    engagement = it.from_dict(
        {
            "engagement": {"client": "Acme", "start": "2027", "period": "year", "periods": 3},
            "objective": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "pairwise": {"objectives": ["a", "b"], "matrix": [[1, "3"], ["1/3", 1]]},
            "initiative": [{"id": "x", "name": "X", "earliest": 1, "deadline": "2028"}],
        }
    )
    folder = tmp_path / "csv"
    it.write_engagement(engagement, folder)
    assert ',1,"""2028""",' in (folder / "initiatives.csv").read_text()  # index 1, label "2028"
    for target in (folder, tmp_path / "e.xlsx"):
        if target.suffix:
            it.write_engagement(engagement, target)
        loaded = it.load(target)
        assert loaded == engagement
        assert loaded.initiatives[0].deadline == "2028"
        assert loaded.pairwise is not None
        assert loaded.pairwise.matrix == ((1.0, "3"), ("1/3", 1.0))


# --------------------------------------------------------------------------- list cells


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("a", [("a", False)]),
        ("a, b ,c", [("a", False), ("b", False), ("c", False)]),
        ('"a, b", c', [("a, b", True), ("c", False)]),
        ('"say ""hi"""', [('say "hi"', True)]),
        ('""', [("", True)]),
        ("5,", [("5", False)]),
    ],
)
def test_list_cells_split(cell: str, items: list[tuple[str, bool]]) -> None:
    """Commas separate items; double quotes hold commas; a trailing comma ends a list."""
    assert workbook._split(cell) == items


@pytest.mark.parametrize("cell", ['"open', "a,,b", '"a" b', ", a"])
def test_bad_list_cells_are_refused(cell: str) -> None:
    """An unclosed quote, an empty item or text after a quote cannot be split."""
    with pytest.raises(workbook._BadCellError):
        workbook._split(cell)


# --------------------------------------------------------------------------- located errors


def test_wrong_type_is_located_by_sheet_row_and_column(tmp_path: Path) -> None:
    """'ten' in a cost cell names the sheet, the Excel row and the column."""
    path = small_book(
        tmp_path / "plan.xlsx",
        [["a", "A", 1, 10, 5, None], ["b", "B", 1, "ten", 5, "a"]],
    )
    assert problems(path) == [
        "plan.xlsx: sheet initiatives, row 3, column cost: wrong type: got 'ten', expected a number"
    ]


def test_model_validation_is_located(tmp_path: Path) -> None:
    """A negative cost and an invalid id point at their cells."""
    path = small_book(
        tmp_path / "plan.xlsx", [["Bad Id", "A", 1, 5, 5, None], ["b", "B", 1, -5, 5, None]]
    )
    found = problems(path)
    assert found[0].startswith("plan.xlsx: sheet initiatives, row 2, column id: invalid id")
    assert found[0].endswith("try 'bad-id'")
    assert found[1].startswith("plan.xlsx: sheet initiatives, row 3, column cost: cost is negative")


def test_unknown_column_suggests_the_right_one(tmp_path: Path) -> None:
    """A misspelt header is one problem for the column, with a did-you-mean."""
    path = write_book(
        tmp_path / "plan.xlsx",
        {
            "engagement": ENGAGEMENT_ROWS,
            "initiatives": [
                ["id", "name", "cots", "efort.infra"],
                ["a", "A", 1, 2],
                ["b", "B", 3, 4],
            ],
        },
    )
    found = problems(path)
    assert len(found) == 2
    assert found[0].startswith(
        "plan.xlsx: sheet initiatives, column cots: unknown column: got 'cots'"
    )
    assert found[0].endswith("did you mean 'cost'?")
    assert found[1].endswith("did you mean 'effort.infra'?")


def test_missing_sheet(tmp_path: Path) -> None:
    """Without the engagement sheet the workbook says which sheet to add."""
    path = write_book(tmp_path / "plan.xlsx", {"initiatives": [["id", "name"], ["a", "A"]]})
    (found,) = problems(path)
    assert found.startswith("plan.xlsx: sheet engagement: missing sheet")


def test_unknown_sheet_suggests_the_right_one(tmp_path: Path) -> None:
    """A misspelt sheet name is refused with a did-you-mean."""
    path = write_book(
        tmp_path / "plan.xlsx",
        {"engagement": ENGAGEMENT_ROWS, "initiative": [["id", "name"], ["a", "A"]]},
    )
    (found,) = problems(path)
    assert found.startswith("plan.xlsx: sheet initiative: unknown sheet")
    assert found.endswith("did you mean 'initiatives'?")


def test_sheets_named_with_an_underscore_are_ignored(tmp_path: Path) -> None:
    """A consultant's own _notes sheet is not part of the engagement."""
    path = write_book(
        tmp_path / "plan.xlsx", {"engagement": ENGAGEMENT_ROWS, "_notes": [["anything", 1]]}
    )
    assert it.load(path).scope.client == "Acme"


def test_bad_list_cell_is_located(tmp_path: Path) -> None:
    """An unclosed quote in a list cell names its cell."""
    path = small_book(tmp_path / "plan.xlsx", [["a", "A", 1, 1, 1, '"b, c']])
    (found,) = problems(path)
    assert found.startswith(
        "plan.xlsx: sheet initiatives, row 2, column requires: cannot read the list: an unclosed quote"
    )


def test_wrong_item_in_a_list_cell_is_located(tmp_path: Path) -> None:
    """A word in a list of numbers names the cell and the item."""
    path = write_book(
        tmp_path / "plan.xlsx",
        {
            "engagement": ENGAGEMENT_ROWS,
            "initiatives": [["id", "name", "benefit_ramp"], ["a", "A", "0.25, lots"]],
            "capacity": [["budget_per_period"], ["10, 20, lots, 40"]],
        },
    )
    assert problems(path) == [
        "plan.xlsx: sheet initiatives, row 2, column benefit_ramp, item 2: wrong type: "
        "got 'lots', expected a number",
        # A scalar-or-list column refuses the list as a whole, as the converter does in TOML.
        "plan.xlsx: sheet capacity, row 2, column budget_per_period: wrong type: "
        "got a list [10, 20, 'lots', 40], expected a number or a list of numbers",
    ]


def test_blank_required_cell_and_missing_column(tmp_path: Path) -> None:
    """A blank periods cell is a missing key at its cell; a missing name column is named."""
    path = write_book(
        tmp_path / "plan.xlsx",
        {
            "engagement": [["client", "start", "periods"], ["Acme", "2027-Q1", None]],
            "initiatives": [["id", "cost"], ["a", 1]],
        },
    )
    found = problems(path)
    assert (
        "plan.xlsx: sheet initiatives, column name: missing required column; add a column headed name"
        in found
    )


def test_blank_required_number_is_a_missing_key(tmp_path: Path) -> None:
    """A blank periods cell is reported at its cell."""
    path = write_book(
        tmp_path / "plan.xlsx",
        {"engagement": [["client", "start", "periods"], ["Acme", "2027-Q1", None]]},
    )
    (found,) = problems(path)
    assert found.startswith(
        "plan.xlsx: sheet engagement, row 2, column periods: missing required key"
    )


def test_a_one_row_sheet_with_two_rows(tmp_path: Path) -> None:
    """The engagement sheet holds one row; a second is refused at its row."""
    path = write_book(
        tmp_path / "plan.xlsx", {"engagement": [*ENGAGEMENT_ROWS, ["Other", "2027-Q1", 4]]}
    )
    (found,) = problems(path)
    assert found.startswith("plan.xlsx: sheet engagement, row 3: this sheet holds one row")


def test_csv_folder_errors_are_located(tmp_path: Path) -> None:
    """CSV text goes through the same rules: '12' is a number, 'twelve' is located."""
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "engagement.csv").write_text("client,start,periods\nAcme,2027-Q1,twelve\n")
    (found,) = problems(folder)
    assert found == (
        "acme: sheet engagement, row 2, column periods: wrong type: got 'twelve', "
        "expected a whole number"
    )
    (folder / "engagement.csv").write_text("client,start,periods\nAcme,2027-Q1,12\n")
    assert it.load(folder).periods == 12


def test_not_a_workbook(tmp_path: Path) -> None:
    """A text file named .xlsx is an unreadable file, not a traceback."""
    path = tmp_path / "plan.xlsx"
    path.write_text("client = 'Acme'\n")
    with pytest.raises(it.UnreadableFileError, match="not a zip archive"):
        it.load(path)


def test_missing_extra_names_the_pip_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without openpyxl, reading a workbook says how to install the excel extra."""
    path = small_book(tmp_path / "plan.xlsx", [["a", "A", 1, 1, 1, None]])
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    assert main(["validate", str(path)]) == 1
    assert "pip install 'itstrat-engine[excel]'" in capsys.readouterr().out
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    assert main(["template", "-o", str(tmp_path / "t.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "pip install 'itstrat-engine[excel]'" in err
    assert "Traceback" not in err


def test_cross_reference_problems_can_be_located(tmp_path: Path) -> None:
    """validate's unknown id in requires is moved to the workbook cell that holds it."""
    path = small_book(
        tmp_path / "plan.xlsx",
        [["a", "A", 1, 1, 1, None], [None] * 6, ["b", "B", 1, 1, 1, "a, zz"]],
    )
    engagement = it.load(path)
    found = [p for p in it.validate(engagement, str(path)) if p.severity == "error"]
    assert [p.path for p in found] == ["initiative[1].requires[1]"]
    (moved,) = workbook.locate(found, path)
    # The blank row 3 is skipped; zz is the second item of the cell.
    assert moved.path == "sheet initiatives, row 4, column requires, item 2"
    assert moved.file == str(path)
    assert moved.message == found[0].message


# --------------------------------------------------------------------------- commands


def test_validate_and_plan_accept_a_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate and plan read a workbook as they read TOML, with the same plan."""
    engagement = it.generate(6, seed=4, periods=4, skills=2)
    toml, book = tmp_path / "e.toml", tmp_path / "e.xlsx"
    it.dump(engagement, toml)
    it.write_engagement(engagement, book)
    assert main(["validate", str(book)]) == 0
    assert f"{book}: valid" in capsys.readouterr().out
    assert main(["plan", str(book), "--time-limit", "10", "--format", "json", "--no-timings"]) == 0
    from_book = json.loads(capsys.readouterr().out)
    assert main(["plan", str(toml), "--time-limit", "10", "--format", "json", "--no-timings"]) == 0
    from_toml = json.loads(capsys.readouterr().out)
    assert from_book["status"] == "optimal"
    # Equal as data: a table orders a row's ids by column, so key order may differ.
    assert from_book == from_toml


@pytest.mark.parametrize("command", [["assess"], ["prioritize"], ["explain", "--time-limit", "10"]])
def test_other_commands_accept_a_workbook(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Commands that read an engagement read a workbook too."""
    book = tmp_path / "e.xlsx"
    it.write_engagement(it.generate(5, seed=2, periods=4, skills=2), book)
    assert main([command[0], str(book), *command[1:]]) == 0, capsys.readouterr().err


def test_scenario_accepts_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A scenario patches a workbook engagement as it patches the TOML one."""
    book = tmp_path / "dental.xlsx"
    it.write_engagement(it.load(EXAMPLES / "dental-group.toml"), book)
    lean = str(EXAMPLES / "scenarios" / "lean.toml")
    args = [lean, "--time-limit", "3", "--no-attribution", "--format", "json"]
    assert main(["scenario", str(book), *args]) == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)


def test_a_located_error_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate prints the workbook location and exits 1, without a traceback."""
    path = small_book(tmp_path / "plan.xlsx", [["a", "A", 1, "ten", 1, None]])
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "sheet initiatives, row 2, column cost: wrong type: got 'ten', expected a number" in out
    assert main(["plan", str(path)]) == 1
    assert "sheet initiatives, row 2, column cost" in capsys.readouterr().err


# --------------------------------------------------------------------------- notes


def doc_notes(text: str) -> dict[str, dict[str, str]]:
    """The key tables of docs/engagement-file.md, as the notes on workbook headers say them."""

    def clean(cell: str) -> str:
        cell = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", cell)
        return cell.replace("`", "").strip()

    # Only the engagement's own tables: other files (progress files) have sections of their own.
    text = text[text.index("\n## Root tables") : text.index("\n## Fields")]
    sections: dict[str, dict[str, str]] = {}
    current = None
    for line in text.splitlines():
        heading = re.match(r"### `\[+([a-z_.]+)\]+`", line)
        if heading:
            current = heading.group(1)
            continue
        if line.startswith("A funding pool"):
            current = "pool"
        if line.startswith("A contractor table"):
            current = "contractor"
        if line.startswith("## "):
            current = None
        row = re.match(r"\| `([a-z_]+)` \| (.+?) \| (.+?) \| (.+) \|$", line)
        if row and current:
            key, type_, default, meaning = (clean(g) for g in row.groups())
            sections.setdefault(current, {})[key] = f"{meaning} Type: {type_}. Default: {default}."
    return sections


def test_notes_match_the_reference_docs() -> None:
    """The header notes say what docs/engagement-file.md says (python tests/test_workbook.py)."""
    assert doc_notes(DOCS.read_text(encoding="utf-8")) == KEY_NOTES


def regenerate_notes() -> None:
    """Rewrite src/itstrat_engine/workbook_notes.py from the reference docs."""
    module = Path(workbook.__file__).with_name("workbook_notes.py")
    text = module.read_text(encoding="utf-8")
    head = text[: text.index("KEY_NOTES: dict")]
    lines = ["KEY_NOTES: dict[str, dict[str, str]] = {"]
    for table, keys in doc_notes(DOCS.read_text(encoding="utf-8")).items():
        lines.append(f"    {table!r}: {{")
        lines += [f"        {key!r}: {note!r}," for key, note in keys.items()]
        lines.append("    },")
    module.write_text(head + "\n".join([*lines, "}"]) + "\n", encoding="utf-8")


def test_every_model_key_has_a_note() -> None:
    """No column of any sheet goes without a note."""
    engagement = it.load(EXAMPLES / "dental-group.toml")
    for sheet, header, _rows in workbook._layout(engagement):
        for column in header:
            assert workbook.column_note(sheet.name, column), (sheet.name, column)


@pytest.mark.parametrize("command", ["validate", "plan"])
def test_cross_references_point_at_cells_on_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    book = tmp_path / "d.xlsx"
    assert main(["convert", "examples/dental-group.toml", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    sheet = wb["initiatives"]
    column = [c.value for c in sheet[1]].index("requires") + 1
    sheet.cell(row=3, column=column).value = "netwrk-refresh"
    wb.save(book)
    capsys.readouterr()
    assert main([command, str(book)]) == 1
    err = capsys.readouterr()
    shown = err.err + err.out
    assert "sheet initiatives, row 3, column requires" in shown
    assert "did you mean 'network-refresh'" in shown


def test_an_unreadable_workbook_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "bad.xlsx"
    book.write_text("garbage")
    assert main(["plan", str(book)]) == 1
    err = capsys.readouterr().err
    assert "not a zip archive" in err
    assert "Traceback" not in err


if __name__ == "__main__":
    regenerate_notes()  # then: ruff format src/itstrat_engine/workbook_notes.py
