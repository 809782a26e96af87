"""The workbook renderer: the report as an Excel file (xlsxwriter), numbers kept as numbers.

Sheets: Summary, Roadmap (a Gantt chart made of coloured cells, one column per period),
Initiatives, Spend and Hours (per period, each with a native Excel chart), Assessment
(weights, the importance x satisfaction matrix and maturity gaps, with charts), Frontier
and Scenarios when the report has them, and Appendix. Amounts are written as numbers with
a number format, so a consultant can sum and chart them; text is what the report says.

The workbook's created date is fixed (`CREATED`; XlsxWriter dates the files inside the zip
1980-01-01 itself), so equal reports give byte-identical workbooks. xlsxwriter (the ``excel`` extra) is
imported only when a workbook is written.
"""

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from itstrat_engine.errors import MissingExtraError
from itstrat_engine.report.charts import PALETTE
from itstrat_engine.report.document import (
    Chart,
    ClientReport,
    FrontierChart,
    GanttChart,
    Heading,
    KeyFigures,
    MatrixChart,
    PeriodChart,
    ReportBlock,
    ReportSection,
    blocks_text,
)
from itstrat_engine.report.views import (
    Bar,
    Column,
    Gauge,
    Line,
    Paragraph,
    Roadmap,
    Table,
    cell_text,
)

__all__ = ["CREATED", "SHEETS", "render_workbook"]

CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
"""The created date written in every workbook: fixed, so equal input gives equal bytes."""

SHEETS = ("Summary", "Roadmap", "Initiatives", "Spend", "Hours", "Assessment")
"""The sheets every workbook has, in order (then Frontier, Scenarios, Appendix as present)."""

_NUMBER_FORMATS = {
    "integer": "0",
    "money": "#,##0",
    "score": "0.####",
    "percent": "0%",
    "decimal": "0.0",
    "compact": "0.##",
}


def render_workbook(report: ClientReport) -> bytes:
    """The report as the bytes of an .xlsx file."""
    try:
        import xlsxwriter  # noqa: PLC0415 - the excel extra, on demand
    except ImportError:
        raise MissingExtraError("the Excel report", "excel") from None
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties(
        {
            "title": f"{report.title}: {report.subtitle}",
            "subject": "IT strategy roadmap",
            "author": "itstrat_engine",
            "created": CREATED.replace(tzinfo=None),
        }
    )
    styles = _Styles(book)
    sections = {section.id: section for section in report.sections}
    charts = {chart.id: chart for chart in report.charts}

    summary = book.add_worksheet("Summary")
    summary.set_column(0, 0, 42)
    summary.set_column(1, 6, 18)
    summary.write(0, 0, report.title, styles.title)
    summary.write(1, 0, report.subtitle)
    _write_blocks(summary, 3, sections["summary"].blocks, styles)

    _roadmap_sheet(book, charts["chart-gantt"], styles)

    initiatives = book.add_worksheet("Initiatives")
    initiatives.set_column(0, 0, 6)
    initiatives.set_column(1, 2, 34)
    initiatives.set_column(3, 6, 16)
    _write_blocks(initiatives, 0, sections["initiatives"].blocks, styles, details=False)

    _spend_sheet(book, charts["chart-spend"], styles)
    _hours_sheet(book, [c for c in report.charts if c.id.startswith("chart-hours-")], styles)
    _assessment_sheet(book, sections, charts, styles)
    if "frontier" in sections:
        _frontier_sheet(book, sections["frontier"], charts["chart-frontier"], styles)
    if "scenarios" in sections:
        sheet = book.add_worksheet("Scenarios")
        sheet.set_column(0, 8, 18)
        _write_blocks(sheet, 0, sections["scenarios"].blocks, styles, details=False)
    appendix = book.add_worksheet("Appendix")
    appendix.set_column(0, 0, 40)
    appendix.set_column(1, 1, 60)
    _write_blocks(appendix, 0, sections["appendix"].blocks, styles)
    book.close()
    return buffer.getvalue()


class _Styles:
    """The few cell formats the workbook uses, made once per workbook."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 16, "font_color": PALETTE[0]})
        self.heading = book.add_format({"bold": True, "font_size": 12})
        self.header = book.add_format({"bold": True, "bg_color": "#F3F6FA", "bottom": 1})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.note = book.add_format({"italic": True, "font_color": "#5D636B"})
        self.mandatory = book.add_format({"bold": True})
        self._numbers: dict[str, Any] = {}
        self._lanes: dict[tuple[int, bool], Any] = {}

    def number(self, style: str, digits: int = 1) -> Any:
        pattern = _NUMBER_FORMATS.get(style, "General")
        if style == "percent" and digits:
            pattern = "0." + "0" * digits + "%"
        if pattern not in self._numbers:
            self._numbers[pattern] = self.book.add_format({"num_format": pattern})
        return self._numbers[pattern]

    def lane(self, index: int, mandatory: bool) -> Any:
        key = (index % len(PALETTE), mandatory)
        if key not in self._lanes:
            spec: dict[str, Any] = {"bg_color": PALETTE[key[0]], "font_color": "#FFFFFF"}
            if mandatory:
                spec |= {"pattern": 1, "border": 2, "bold": True}
            self._lanes[key] = self.book.add_format(spec)
        return self._lanes[key]


def _write_blocks(
    sheet: Any,
    row: int,
    blocks: Sequence[ReportBlock],
    styles: _Styles,
    *,
    details: bool = True,
) -> int:
    """Write blocks down the sheet from `row`; the next free row."""
    for block in blocks:
        if isinstance(block, Paragraph | Line):
            sheet.write(row, 0, block.text)
            row += 1
        elif isinstance(block, Heading):
            row += 1
            sheet.write(row, 0, block.text, styles.heading)
            row += 1
        elif isinstance(block, KeyFigures):
            for label, value in block.figures:
                sheet.write(row, 0, label)
                sheet.write(row, 1, value)
                row += 1
            row += 1
        elif isinstance(block, Table):
            row = _write_table(sheet, row, block, styles, details=details) + 1
        elif isinstance(block, Roadmap):
            for span in block.spans:
                sheet.write(row, 0, span.name)
                sheet.write(row, 1, block.periods[span.start])
                sheet.write(row, 2, block.periods[span.finish - 1])
                row += 1
        else:
            sheet.write(row, 0, block.title, styles.heading)
            sheet.write(row + 1, 0, block.alt, styles.note)
            row = _write_table(sheet, row + 2, block.data, styles) + 1
    return row


def _write_cell(
    sheet: Any, row: int, col: int, cell: object, column: Column, styles: _Styles
) -> None:
    if cell is None:
        return
    if isinstance(cell, bool):
        sheet.write_string(row, col, str(cell))
    elif isinstance(cell, int | float):
        sheet.write_number(row, col, float(cell), styles.number(column.style, column.digits))
    elif isinstance(cell, Bar):
        sheet.write_number(row, col, cell.share, styles.number("percent", 0))
    elif isinstance(cell, Gauge):
        sheet.write_string(row, col, f"{cell.current:g} of {cell.target:g}")
    else:
        sheet.write_string(row, col, cell_text(cell, column))  # type: ignore[arg-type]


def _write_table(
    sheet: Any, row: int, table: Table, styles: _Styles, *, details: bool = True
) -> int:
    """Write a table's header and rows from `row` (breakdowns in a last column); next row."""
    detailed = details and any(r.details for r in table.rows)
    if table.header:
        titles = [c.title for c in table.columns] + (["details"] if detailed else [])
        for col, title in enumerate(titles):
            sheet.write_string(row, col, title, styles.header)
        row += 1
    first = row
    bars: set[int] = set()
    for table_row in table.rows:
        for col, column in enumerate(table.columns):
            if col < len(table_row.cells):
                cell = table_row.cells[col]
                if isinstance(cell, Bar):
                    bars.add(col)
                _write_cell(sheet, row, col, cell, column, styles)
        if detailed and table_row.details:
            sheet.write_string(row, len(table.columns), blocks_text(table_row.details))
        row += 1
    for col in sorted(bars):  # a share drawn as a bar: Excel's own data bar
        sheet.conditional_format(
            first,
            col,
            row - 1,
            col,
            {
                "type": "data_bar",
                "data_bar_2010": False,  # the 2007 form: no extension openpyxl refuses
                "bar_color": PALETTE[0],
                "min_type": "num",
                "min_value": 0,
                "max_type": "num",
                "max_value": 1,
            },
        )
    for note in table.notes:
        sheet.write_string(row, 0, note, styles.note)
        row += 1
    return row


def _roadmap_sheet(book: Any, chart: Chart, styles: _Styles) -> None:
    spec = chart.spec
    assert isinstance(spec, GanttChart)  # noqa: S101 - the builder's contract
    sheet = book.add_worksheet("Roadmap")
    first = 6  # period columns start here
    for col, title in enumerate(("lane", "initiative", "name", "from", "to", "mandatory")):
        sheet.write_string(0, col, title, styles.header)
    for t, label in enumerate(spec.periods):
        sheet.write_string(0, first + t, label, styles.header)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 40)
    sheet.set_column(3, 5, 10)
    sheet.set_column(first, first + len(spec.periods) - 1, 8)
    sheet.freeze_panes(1, first)
    for row, bar in enumerate(spec.bars, 1):
        lane = spec.lanes.index(bar.lane)
        sheet.write_string(row, 0, bar.lane)
        sheet.write_string(row, 1, bar.id, styles.mandatory if bar.mandatory else None)
        sheet.write_string(row, 2, bar.name)
        sheet.write_string(row, 3, spec.periods[bar.start])
        sheet.write_string(row, 4, spec.periods[bar.finish - 1])
        sheet.write_string(row, 5, "yes" if bar.mandatory else "")
        for t in range(bar.start, bar.finish):
            mark = "M" if bar.mandatory else ""
            sheet.write_string(row, first + t, mark, styles.lane(lane, bar.mandatory))
    after = len(spec.bars) + 2
    sheet.write_string(
        after, 0, "Coloured cells: the periods each initiative runs; M: mandatory.", styles.note
    )
    for k, (before, dependent) in enumerate(spec.arrows):
        sheet.write_string(after + 1 + k, 0, f"{dependent} requires {before}")


def _spend_sheet(book: Any, chart: Chart, styles: _Styles) -> None:
    spec = chart.spec
    assert isinstance(spec, PeriodChart)  # noqa: S101 - the builder's contract
    sheet = book.add_worksheet("Spend")
    sheet.set_column(0, 3, 14)
    for col, title in enumerate(("period", spec.used_label, spec.limit_label, "use")):
        sheet.write_string(0, col, title, styles.header)
    money = styles.number("money")
    for row, (label, used, limit) in enumerate(
        zip(spec.periods, spec.used, spec.limit, strict=True), 1
    ):
        sheet.write_string(row, 0, label)
        sheet.write_number(row, 1, used, money)
        if limit is not None:
            sheet.write_number(row, 2, limit, money)
            if limit:
                sheet.write_number(row, 3, used / limit, styles.number("percent", 0))
    count = len(spec.periods)
    columns = book.add_chart({"type": "column"})
    columns.add_series(
        {
            "name": ["Spend", 0, 1],
            "categories": ["Spend", 1, 0, count, 0],
            "values": ["Spend", 1, 1, count, 1],
            "fill": {"color": PALETTE[0]},
        }
    )
    if any(limit is not None for limit in spec.limit):
        line = book.add_chart({"type": "line"})
        line.add_series(
            {
                "name": ["Spend", 0, 2],
                "categories": ["Spend", 1, 0, count, 0],
                "values": ["Spend", 1, 2, count, 2],
                "line": {"color": PALETTE[3], "width": 2},
            }
        )
        columns.combine(line)
    columns.set_title({"name": chart.title})
    columns.set_y_axis({"name": spec.unit, "num_format": "#,##0"})
    columns.set_size({"width": 720, "height": 320})
    sheet.insert_chart(1, 5, columns)


def _hours_sheet(book: Any, charts: Sequence[Chart], styles: _Styles) -> None:
    sheet = book.add_worksheet("Hours")
    sheet.set_column(0, 4, 14)
    row = 0
    number = styles.number("compact")
    for chart in charts:
        spec = chart.spec
        assert isinstance(spec, PeriodChart)  # noqa: S101 - the builder's contract
        sheet.write_string(row, 0, chart.title, styles.heading)
        header = row + 1
        for col, title in enumerate(
            ("period", spec.used_label, spec.limit_label, spec.extra_label)
        ):
            sheet.write_string(header, col, title, styles.header)
        for k, label in enumerate(spec.periods):
            r = header + 1 + k
            sheet.write_string(r, 0, label)
            sheet.write_number(r, 1, spec.used[k], number)
            limit = spec.limit[k]
            if limit is not None:
                sheet.write_number(r, 2, limit, number)
            sheet.write_number(r, 3, spec.extra[k] if spec.extra else 0.0, number)
        last = header + len(spec.periods)
        columns = book.add_chart({"type": "column", "subtype": "stacked"})
        columns.add_series(
            {
                "name": ["Hours", header, 1],
                "categories": ["Hours", header + 1, 0, last, 0],
                "values": ["Hours", header + 1, 1, last, 1],
                "fill": {"color": PALETTE[0]},
            }
        )
        if spec.extra and any(spec.extra):
            columns.add_series(
                {
                    "name": ["Hours", header, 3],
                    "categories": ["Hours", header + 1, 0, last, 0],
                    "values": ["Hours", header + 1, 3, last, 3],
                    "fill": {"color": PALETTE[1]},
                }
            )
        line = book.add_chart({"type": "line"})
        line.add_series(
            {
                "name": ["Hours", header, 2],
                "categories": ["Hours", header + 1, 0, last, 0],
                "values": ["Hours", header + 1, 2, last, 2],
                "line": {"color": PALETTE[3], "width": 2},
            }
        )
        columns.combine(line)
        columns.set_title({"name": chart.title})
        columns.set_size({"width": 640, "height": 260})
        sheet.insert_chart(row, 6, columns)
        row = max(last + 2, row + 15)


def _assessment_sheet(
    book: Any, sections: dict[str, ReportSection], charts: dict[str, Chart], styles: _Styles
) -> None:
    sheet = book.add_worksheet("Assessment")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 5, 16)
    sheet.write_string(0, 0, "Objectives and their weights", styles.heading)
    row = _write_blocks(sheet, 1, sections["objectives"].blocks, styles)
    for chart_id in ("chart-matrix", "chart-maturity"):
        chart = charts.get(chart_id)
        if chart is None:
            continue
        sheet.write_string(row, 0, chart.title, styles.heading)
        top = row + 1
        end = _write_table(sheet, top, chart.data, styles)
        count = end - top - 1 - len(chart.data.notes)
        native = (
            _matrix_chart(book, chart, top, count)
            if isinstance(chart.spec, MatrixChart)
            else _maturity_chart(book, chart, top, count)
        )
        sheet.insert_chart(top, 7, native)
        row = max(end + 1, top + 22)
    issues = [b for b in sections["current-state"].blocks if isinstance(b, Table)]
    for table in issues:
        sheet.write_string(
            row, 0, "Key issues and the initiatives that address them", styles.heading
        )
        row = _write_table(sheet, row + 1, table, styles) + 1


def _matrix_chart(book: Any, chart: Chart, top: int, count: int) -> Any:
    spec = chart.spec
    assert isinstance(spec, MatrixChart)  # noqa: S101 - the builder's contract
    native = book.add_chart({"type": "scatter"})
    native.add_series(
        {
            "name": "services",
            "categories": ["Assessment", top + 1, 2, top + count, 2],
            "values": ["Assessment", top + 1, 3, top + count, 3],
            "marker": {"type": "circle", "size": 7, "fill": {"color": PALETTE[0]}},
            "data_labels": {"custom": [{"value": p.service} for p in spec.points]},
        }
    )
    native.set_title({"name": chart.title})
    native.set_x_axis({"name": "importance", "min": spec.scale_min, "max": spec.scale_max})
    native.set_y_axis({"name": "satisfaction", "min": spec.scale_min, "max": spec.scale_max})
    native.set_legend({"none": True})
    native.set_size({"width": 560, "height": 400})
    return native


def _maturity_chart(book: Any, chart: Chart, top: int, count: int) -> Any:
    native = book.add_chart({"type": "bar"})
    for col, colour in ((1, PALETTE[0]), (2, PALETTE[1])):
        native.add_series(
            {
                "name": ["Assessment", top, col],
                "categories": ["Assessment", top + 1, 0, top + count, 0],
                "values": ["Assessment", top + 1, col, top + count, col],
                "fill": {"color": colour},
            }
        )
    native.set_title({"name": chart.title})
    native.set_x_axis({"min": 0, "max": 5})
    native.set_y_axis({"reverse": True})
    native.set_size({"width": 560, "height": 400})
    return native


def _frontier_sheet(book: Any, section: ReportSection, chart: Chart, styles: _Styles) -> None:
    spec = chart.spec
    assert isinstance(spec, FrontierChart)  # noqa: S101 - the builder's contract
    sheet = book.add_worksheet("Frontier")
    sheet.set_column(0, 3, 16)
    end = _write_table(sheet, 0, chart.data, styles)
    count = end - 1 - len(chart.data.notes)
    native = book.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
    native.add_series(
        {
            "name": "best possible",
            "categories": ["Frontier", 1, 0, count, 0],
            "values": ["Frontier", 1, 1, count, 1],
            "line": {"color": PALETTE[0]},
        }
    )
    native.set_title({"name": chart.title})
    native.set_x_axis({"name": f"total budget ({spec.currency})", "num_format": "#,##0"})
    native.set_y_axis({"name": spec.objective})
    native.set_size({"width": 640, "height": 360})
    sheet.insert_chart(0, 5, native)
    _write_blocks(
        sheet,
        end + 2,
        [b for b in section.blocks if not isinstance(b, Chart)],
        styles,
        details=False,
    )
