"""The Excel and PDF reports: read back with openpyxl, rasterized with pdftoppm."""

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import attrs
import numpy as np
import pytest
from matplotlib import image
from openpyxl import load_workbook

import itstrat_engine as it
from itstrat_engine.report.workbook import CREATED, SHEETS, render_workbook

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def dental_plan() -> it.Plan:
    engagement = it.load(EXAMPLES / "dental-group.toml")
    answers = it.read_survey_csv(EXAMPLES / "dental-survey.csv", engagement)
    engagement = attrs.evolve(engagement, responses=(*engagement.responses, *answers))
    return it.plan(engagement, time_limit=30)


@pytest.fixture(scope="module")
def dental_report(dental_plan: it.Plan) -> it.ClientReport:
    return it.build_report(dental_plan)


@pytest.fixture(scope="module")
def workbook(dental_report: it.ClientReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    it.write_report(dental_report, path)
    return path


def test_sheets_and_their_charts(workbook: Path) -> None:
    """Every sheet, in order; native charts on Spend, Hours and Assessment."""
    book = load_workbook(workbook)
    assert book.sheetnames == [*SHEETS, "Appendix"]
    charts = {name: len(book[name]._charts) for name in book.sheetnames}
    assert charts["Spend"] == 1
    assert charts["Hours"] == 4  # one per skill of the dental group
    assert charts["Assessment"] == 2  # the matrix and the maturity gaps


def test_spend_sheet_holds_the_plans_numbers(workbook: Path, dental_plan: it.Plan) -> None:
    """Each period's spend and budget are the plan's usage, as numbers."""
    sheet = load_workbook(workbook)["Spend"]
    rows = list(sheet.iter_rows(min_row=2, max_row=1 + len(dental_plan.usage), values_only=True))
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (use.label, use.spend, use.budget) for use in dental_plan.usage
    ]


def test_hours_sheet_holds_each_skills_use(workbook: Path, dental_plan: it.Plan) -> None:
    """The first skill's hours used and capacity, period by period."""
    sheet = load_workbook(workbook)["Hours"]
    skill = min(dental_plan.usage[0].skills)
    values = list(sheet.iter_rows(min_row=3, max_row=2 + len(dental_plan.usage), values_only=True))
    assert [(r[0], r[1], r[2]) for r in values] == [
        (u.label, u.skills[skill].used, u.skills[skill].capacity) for u in dental_plan.usage
    ]


def test_roadmap_sheet_is_a_gantt_of_the_schedule(workbook: Path, dental_plan: it.Plan) -> None:
    """One row per selected initiative; filled cells exactly in the periods it runs."""
    sheet = load_workbook(workbook)["Roadmap"]
    header = [c.value for c in sheet[1]]
    first = header.index(dental_plan.periods[0])
    seen = {}
    for row in sheet.iter_rows(min_row=2, max_row=1 + len(dental_plan.selected)):
        filled = [
            t
            for t, cell in enumerate(row[first:])
            if cell.fill is not None and cell.fill.fgColor.rgb not in {None, "00000000"}
        ]
        seen[row[1].value] = (min(filled), max(filled) + 1)
    assert seen == {s.id: (s.start, s.finish) for s in dental_plan.selected}


def test_initiatives_sheet_lists_every_one(workbook: Path, dental_plan: it.Plan) -> None:
    """The ranking: every initiative once, with its one-off cost as a number."""
    sheet = load_workbook(workbook)["Initiatives"]
    costs = {i.id: i.cost for i in dental_plan.engagement.initiatives}
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] in costs]
    ranked = {r[1]: r[5] for r in rows if isinstance(r[0], int | float)}
    assert ranked == costs


def test_workbook_bytes_are_reproducible(dental_report: it.ClientReport) -> None:
    """A fixed created date: equal reports give byte-identical workbooks."""
    data = render_workbook(dental_report)
    assert data == render_workbook(dental_report)
    book = load_workbook(io.BytesIO(data))
    assert book.properties.created.replace(tzinfo=None) == CREATED.replace(tzinfo=None)
    # nothing in the zip carries the time of the run
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {
        (1980, 1, 1, 0, 0, 0)
    }


PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(PDFTOPPM is None, reason="needs pdftoppm (poppler-utils)")
def test_pdf_pages_are_not_blank(dental_report: it.ClientReport, tmp_path: Path) -> None:
    """The PDF rasterized with pdftoppm: several A4 pages, each with ink on it."""
    pdf = tmp_path / "report.pdf"
    it.write_report(dental_report, pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(
        [str(PDFTOPPM), "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= len(dental_report.sections)  # a page break before each section
    for page in pages:
        pixels = image.imread(page)[..., :3]
        assert float(np.mean(np.any(pixels < 0.94, axis=-1))) > 0.005, page.name
