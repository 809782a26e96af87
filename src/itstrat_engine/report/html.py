"""The HTML renderer: a `ClientReport` as one self-contained, printable, accessible page.

The page is a jinja2 template (``templates/report.html.j2``, autoescaped) with its
stylesheet inline and every chart as inline SVG, so it needs no network and no script: a
Content-Security-Policy meta tag forbids both. Each chart carries its text alternative
and its data as a table. jinja2 and matplotlib are the ``report`` extra, imported only here
and only when a page is rendered.
"""

from collections.abc import Sequence
from importlib import resources
from typing import Any

from itstrat_engine.errors import MissingExtraError
from itstrat_engine.report.charts import chart_svg
from itstrat_engine.report.document import Chart, ClientReport, Heading, KeyFigures, ReportBlock
from itstrat_engine.report.views import Bar, Gauge, Line, Paragraph, Roadmap, Table, cell_text

__all__ = ["render_html"]


def render_html(report: ClientReport) -> str:
    """The report as an HTML document (text); equal reports give equal text."""
    try:
        import jinja2  # noqa: PLC0415 - the report extra, on demand
        from markupsafe import Markup  # noqa: PLC0415 - jinja2's own dependency
    except ImportError:
        raise MissingExtraError("the HTML report", "report") from None
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("itstrat_engine.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    template = environment.get_template("report.html.j2")
    stylesheet = resources.files("itstrat_engine.report").joinpath("templates/report.css")
    return template.render(
        title=report.title,
        subtitle=report.subtitle,
        stylesheet=Markup(stylesheet.read_text(encoding="utf-8")),  # noqa: S704 - our own file
        sections=[
            {"id": s.id, "title": s.title, "blocks": _blocks(s.blocks, Markup)}
            for s in report.sections
        ],
    )


def _blocks(blocks: Sequence[ReportBlock], markup: Any) -> list[dict[str, Any]]:
    """Blocks as plain dicts the template lays out (text escaped by the template)."""
    laid: list[dict[str, Any]] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            laid.append({"kind": "paragraph", "text": block.text})
        elif isinstance(block, Line):
            laid.append({"kind": "line", "text": block.text})
        elif isinstance(block, Heading):
            laid.append({"kind": "heading", "text": block.text})
        elif isinstance(block, KeyFigures):
            laid.append({"kind": "figures", "figures": block.figures})
        elif isinstance(block, Table):
            laid.append(_table(block, markup))
        elif isinstance(block, Roadmap):
            laid.append(_table(_roadmap_table(block), markup))
        else:
            laid.append(_chart(block, markup))
    return laid


def _chart(chart: Chart, markup: Any) -> dict[str, Any]:
    svg = chart_svg(chart)
    # The picture is labelled by its text alternative for screen readers.
    labelled = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{chart.id}-alt" ', 1)
    labelled = labelled.replace(">", f'><title id="{chart.id}-alt">{_escape(chart.alt)}</title>', 1)
    return {
        "kind": "chart",
        "id": chart.id,
        "title": chart.title,
        "alt": chart.alt,
        "svg": markup(labelled),
        "data": _table(chart.data, markup),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(table: Table, markup: Any) -> dict[str, Any]:
    columns = table.columns
    rows = []
    for row in table.rows:
        cells = []
        for k, column in enumerate(columns):
            cell = row.cells[k] if k < len(row.cells) else ""
            entry: dict[str, Any] = {"align": column.align, "bar": None, "gauge": None}
            if isinstance(cell, Bar):
                entry["bar"] = round(min(max(cell.share, 0.0), 1.0) * 100, 1)
                entry["text"] = f"{round(cell.share * 100)}%"
            elif isinstance(cell, Gauge):
                entry["gauge"] = (round(cell.current * 20, 1), round(cell.target * 20, 1))
                entry["text"] = f"{cell.current:g} of {cell.target:g}"
            else:
                entry["text"] = "" if cell == "" else cell_text(cell, column)
            cells.append(entry)
        rows.append({"cells": cells, "details": _blocks(row.details, markup)})
    return {
        "kind": "table",
        "header": table.header,
        "columns": [{"title": c.title, "align": c.align} for c in columns],
        "rows": rows,
        "notes": list(table.notes),
    }


def _roadmap_table(roadmap: Roadmap) -> Table:
    from itstrat_engine.report.views import Column, Row  # noqa: PLC0415

    return Table(
        columns=(Column(title="initiative"), Column(title="from"), Column(title="to")),
        rows=tuple(
            Row(cells=(s.name, roadmap.periods[s.start], roadmap.periods[s.finish - 1]))
            for s in roadmap.spans
        ),
    )
