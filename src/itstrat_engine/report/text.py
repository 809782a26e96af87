"""The text renderer: views as plain text for a terminal (ASCII, under 100 columns).

The one table printer (`table_lines`) and the one roadmap grid live here; every command
prints what `render_text` gives.
"""

import textwrap

from itstrat_engine.formatting import shortened, visible
from itstrat_engine.report.views import (
    Block,
    Document,
    Line,
    Paragraph,
    Roadmap,
    Table,
    cell_text,
)

__all__ = ["WIDTH", "block_lines", "render_text", "roadmap_lines", "table_lines"]

WIDTH = 96
"""Paragraphs wrap at this many columns."""

_NAME_WIDTH = 36  # the widest initiative name on the roadmap grid; longer ones are cut


def render_text(document: Document) -> str:
    """The document as text: its title, lead blocks, then each section after a blank line.

    >>> from itstrat_engine.report.views import Column, Row, Section
    >>> table = Table(columns=(Column(title="period"), Column(title="spend", align="right",
    ...     style="money")), rows=(Row(cells=("2027-Q1", 84350.0)),))
    >>> print(render_text(Document(title="Acme", sections=(Section(title="Spend",
    ...     blocks=(table,)),))), end="")
    Acme
    <BLANKLINE>
    Spend
      period    spend
      2027-Q1  84,350
    """
    lines = [] if document.title is None else [visible(document.title)]
    for block in document.lead:
        lines += block_lines(block)
    for section in document.sections:
        lines += ["", visible(section.title)]
        if section.underline:
            lines.append("-" * len(section.title))
        for block in section.blocks:
            lines += block_lines(block)
    return "".join(line.rstrip() + "\n" for line in lines)


def block_lines(block: Block) -> list[str]:
    """One block as lines of text (without line ends)."""
    if isinstance(block, Line):
        return [" " * block.indent + visible(block.text)]
    if isinstance(block, Paragraph):
        return textwrap.wrap(
            visible(block.text),
            width=WIDTH,
            initial_indent=" " * block.indent,
            subsequent_indent=" " * (block.indent + 2),
            break_on_hyphens=False,  # ids like new-clinic-blueprint stay whole
            break_long_words=False,
        )
    if isinstance(block, Table):
        return table_lines(block)
    return roadmap_lines(block)


def table_lines(table: Table) -> list[str]:
    """The table: titles, then each row (and the blocks under it), then its notes.

    Each column is as wide as its widest cell (and title, and `min_width`), `gap` spaces
    from the one before; trailing spaces are dropped.
    """
    columns = table.columns
    texts = [
        [cell_text(cell, column) for cell, column in zip(row.cells, columns, strict=False)]
        for row in table.rows
    ]
    titles = [column.title for column in columns]
    widths = [
        max(
            column.min_width,
            len(column.title) if table.header else 0,
            *(len(row[k]) for row in texts if k < len(row)),
        )
        for k, column in enumerate(columns)
    ]

    def line(cells: list[str]) -> str:
        parts = []
        for k, (cell, column) in enumerate(zip(cells, columns, strict=False)):
            space = " " * column.gap if k else ""
            parts.append(space + (cell.rjust if column.align == "right" else cell.ljust)(widths[k]))
        return (" " * table.indent + "".join(parts)).rstrip()

    lines = [line(titles)] if table.header else []
    for row, cells in zip(table.rows, texts, strict=True):
        lines.append(line(cells))
        for block in row.details:
            lines += block_lines(block)
    lines += [" " * table.indent + visible(note) for note in table.notes]
    return lines


def roadmap_lines(roadmap: Roadmap) -> list[str]:
    """The grid: one row per initiative, ``#`` in the periods it runs, ``*`` if mandatory."""
    labels = [_short(label) for label in roadmap.periods]
    width = max(len(label) for label in labels)
    names = [visible(span.name) for span in roadmap.spans]
    name_width = min(_NAME_WIDTH, max((len(name) for name in names), default=10))
    lines = [" " * (name_width + 3) + " ".join(label.rjust(width) for label in labels)]
    for span, shown in zip(roadmap.spans, names, strict=True):
        cells = ["#" * width if span.start <= t < span.finish else "." for t in range(len(labels))]
        name = shortened(shown, name_width).ljust(name_width)
        flag = " *" if span.mandatory else ""
        lines.append(f"  {name} " + " ".join(cell.rjust(width) for cell in cells) + flag)
    if any(span.mandatory for span in roadmap.spans):
        lines.append("  (* mandatory)")
    return lines


def _short(label: str) -> str:
    return label[2:] if len(label) == 7 and label[4] == "-" else label  # 2027-Q1 -> 27-Q1
