"""The Markdown renderer: the same report as text, charts as SVG files beside it.

`render_markdown` returns the Markdown and the chart files it links to (relative paths in
a folder named after the report, e.g. ``report_files/chart-gantt.svg``); `write_report`
writes them all or none. Tables are pipe tables; a table row's details (a score
breakdown) become a last column of text, since Markdown tables cannot nest.
"""

from itstrat_engine.report.charts import chart_svg
from itstrat_engine.report.document import (
    Chart,
    ClientReport,
    Heading,
    KeyFigures,
    ReportBlock,
    blocks_text,
)
from itstrat_engine.report.views import (
    Bar,
    Gauge,
    Line,
    Paragraph,
    Roadmap,
    Table,
    cell_text,
)

__all__ = ["render_markdown"]


def render_markdown(report: ClientReport, folder: str) -> tuple[str, dict[str, str]]:
    """The report as Markdown, and its chart files as ``{relative path: SVG text}``.

    `folder` is the folder the charts go in, relative to the Markdown file.
    """
    files: dict[str, str] = {}
    parts = [f"# {_inline(report.title)}", "", f"*{_inline(report.subtitle)}*", ""]
    parts += [f"{k}. [{_inline(s.title)}](#{s.id})" for k, s in enumerate(report.sections, 1)]
    parts.append("")
    for section in report.sections:
        parts += [f'<a id="{section.id}"></a>', "", f"## {_inline(section.title)}", ""]
        for block in section.blocks:
            parts += _block(block, folder, files)
    return "\n".join(parts).rstrip("\n") + "\n", files


def _inline(text: str) -> str:
    """Text safe inside a paragraph or a table cell: no markup, no line breaks."""
    escaped = text.replace("\\", "\\\\")
    for mark in "|*_`[]<>#":
        escaped = escaped.replace(mark, "\\" + mark)
    return " ".join(escaped.split())


def _block(block: ReportBlock, folder: str, files: dict[str, str]) -> list[str]:
    if isinstance(block, Paragraph | Line):
        return [_inline(block.text), ""]
    if isinstance(block, Heading):
        return [f"### {_inline(block.text)}", ""]
    if isinstance(block, KeyFigures):
        rows = [f"| {_inline(label)} | {_inline(value)} |" for label, value in block.figures]
        return ["| figure | value |", "| --- | ---: |", *rows, ""]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Roadmap):
        return [
            f"- {_inline(s.name)}: {block.periods[s.start]} to {block.periods[s.finish - 1]}"
            for s in block.spans
        ] + [""]
    return _chart(block, folder, files)


def _chart(chart: Chart, folder: str, files: dict[str, str]) -> list[str]:
    path = f"{folder}/{chart.id}.svg"
    files[path] = chart_svg(chart)
    alt = _inline(chart.alt).replace("\\[", "(").replace("\\]", ")")
    return [
        f"### {_inline(chart.title)}",
        "",
        f"![{alt}]({path})",
        "",
        alt,
        "",
        *_table(chart.data),
    ]


def _cell(cell: object, column: object) -> str:
    if isinstance(cell, Bar):
        return f"{round(cell.share * 100)}%"
    if isinstance(cell, Gauge):
        return f"{cell.current:g} of {cell.target:g}"
    return _inline(cell_text(cell, column))  # type: ignore[arg-type]


def _table(table: Table) -> list[str]:
    detailed = any(row.details for row in table.rows)
    titles = [c.title or " " for c in table.columns] + (["details"] if detailed else [])
    rules = ["---:" if c.align == "right" else "---" for c in table.columns]
    rules += ["---"] if detailed else []
    lines = []
    if table.header:
        lines += ["| " + " | ".join(_inline(t) for t in titles) + " |"]
    else:  # a pipe table needs a header row: an empty one
        lines += ["| " + " | ".join(" " for _ in titles) + " |"]
    lines.append("| " + " | ".join(rules) + " |")
    for row in table.rows:
        cells = [
            _cell(row.cells[k], column) if k < len(row.cells) else ""
            for k, column in enumerate(table.columns)
        ]
        if detailed:
            cells.append(_inline(blocks_text(row.details)))
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for note in table.notes:
        lines += [f"*{_inline(note)}*", ""]
    return lines
