"""The text renderer: the one table printer, the roadmap grid, paragraphs and documents."""

import subprocess
import sys

from itstrat_engine.optimize.result import SkillUse
from itstrat_engine.report import (
    Bar,
    Column,
    Document,
    Gauge,
    Line,
    Marked,
    Paragraph,
    Roadmap,
    Row,
    Section,
    Span,
    Table,
    cell_text,
    render_text,
    roadmap_lines,
    table_lines,
)


def test_columns_fit_their_widest_cell_and_align() -> None:
    """Each column is as wide as its title or widest cell; right columns align right."""
    table = Table(
        columns=(
            Column(title="#", align="right", style="integer"),
            Column(title="initiative"),
            Column(title="score", align="right", style="score"),
        ),
        rows=(Row(cells=(1, "erp", 15.0)), Row(cells=(10, "crm-rollout", 11.3333))),
    )
    assert table_lines(table) == [
        "   #  initiative   score",
        "   1  erp             15",
        "  10  crm-rollout  11.33",
    ]


def test_min_width_gap_missing_and_short_rows() -> None:
    """min_width and gap give fixed layouts; None shows `missing`; a short row ends early."""
    money = Column(title="spend", align="right", style="money", min_width=8, gap=1)
    table = Table(
        columns=(
            Column(title="period", min_width=7),
            money,
            Column(title="use", align="right", style="percent", digits=0, missing="", gap=1),
        ),
        rows=(Row(cells=("2027-Q1", 84350.0, 0.992)), Row(cells=("2027-Q2", 0.0, None))),
        notes=("a note",),
    )
    assert table_lines(table) == [
        "  period     spend use",
        "  2027-Q1   84,350 99%",
        "  2027-Q2        0",
        "  a note",
    ]
    assert table_lines(Table(columns=table.columns, rows=(Row(cells=("total", 1e6)),))) == [
        "  period      spend use",
        "  total   1,000,000",
    ]


def test_rows_carry_details_and_headerless_tables() -> None:
    """Blocks under a row follow it; a table without header shows its rows alone."""
    steps = Table(
        columns=(
            Column(title="rule"),
            Column(title="change", min_width=8),
            Column(title="", gap=1),
        ),
        rows=(Row(cells=("a/b", "1 -> 2", "why")),),
        header=False,
        indent=6,
    )
    table = Table(
        columns=(Column(title="id"),),
        rows=(Row(cells=("x",), details=(Line(text="start 1", indent=6), steps)),),
    )
    assert table_lines(table) == ["  id", "  x", "      start 1", "      a/b  1 -> 2   why"]


def test_cells_of_every_kind() -> None:
    """Marked keeps its mark past max_width; gauges, bars and skill hours draw as text."""
    name = Column(title="initiative", max_width=8)
    assert cell_text(Marked(value="a-long-initiative", mark=" (forbidden)"), name) == (
        "a-long-~ (forbidden)"
    )
    assert cell_text(Gauge(current=1.5, target=4), Column(title="")) == "[###-----  ]"
    assert cell_text(Bar(share=0.3), Column(title="")) == "#" * 12
    assert cell_text(SkillUse(used=140, capacity=100, contractor=40), name) == "140/100+40"
    assert cell_text(SkillUse(used=1250, capacity=None), name) == "1,250/-"
    assert cell_text(0.755, Column(title="", style="decimal", digits=2)) == "0.76"
    assert cell_text(2.5, Column(title="", style="compact")) == "2.5"


def test_roadmap_grid() -> None:
    """Short period labels, '#' where an initiative runs, '*' and a legend if mandatory."""
    grid = Roadmap(
        periods=("2027-Q1", "2027-Q2", "2027-Q3"),
        spans=(
            Span(id="crm", name="CRM rollout", start=0, finish=2, mandatory=True),
            Span(id="wifi", name="Wi-Fi", start=2, finish=3),
        ),
    )
    assert roadmap_lines(grid) == [
        "              27-Q1 27-Q2 27-Q3",
        "  CRM rollout ##### #####     . *",
        "  Wi-Fi           .     . #####",
        "  (* mandatory)",
    ]


def test_document_layout_and_wrapping() -> None:
    """Title, lead, a blank line before every section, underlines, wrapped paragraphs."""
    text = "word " * 30
    document = Document(
        title="Acme: current-state assessment",
        lead=(Paragraph(text="Survey: 3 responses", indent=0),),
        sections=(Section(title="At a glance", blocks=(Paragraph(text=text),), underline=True),),
    )
    assert render_text(document) == (
        "Acme: current-state assessment\n"
        "Survey: 3 responses\n"
        "\n"
        "At a glance\n"
        "-----------\n"
        "  " + "word " * 18 + "word\n"
        "    " + "word " * 10 + "word\n"
    )
    assert max(len(line) for line in render_text(document).splitlines()) <= 96


def test_building_and_rendering_views_imports_no_solver() -> None:
    """The report package does not import PuLP."""
    code = "import sys, itstrat_engine.report; print('pulp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
