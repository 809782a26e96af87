"""Plain-data views: what a report shows, with its numbers as numbers.

A `Document` is a title, some lead blocks and `Section`s; a block is a `Line`, a wrapped
`Paragraph`, a `Table` or a `Roadmap`. Table cells are strings, numbers (formatted by their
`Column`'s style through `itstrat_engine.formatting`), None (the column's `missing` text) or
one of the small records `Gauge`, `Bar`, `Marked` and `SkillUse`. Renderers (text today;
Markdown, HTML and spreadsheets later) only lay these out, so a number reads the same in
every one of them: `cell_text` is the one place a cell becomes text.

Width hints (`Column.min_width`, `max_width`, `gap`, `Table.indent`) matter to the text
renderer only; others may ignore them.
"""

from typing import Literal, TypeAlias

import attrs

from itstrat_engine import formatting
from itstrat_engine.optimize.result import SkillUse

__all__ = [
    "Bar",
    "Block",
    "Cell",
    "Column",
    "Document",
    "Gauge",
    "Line",
    "Marked",
    "Paragraph",
    "Roadmap",
    "Row",
    "Section",
    "Span",
    "Table",
    "cell_text",
]

Align = Literal["left", "right"]
Style = Literal["text", "integer", "money", "score", "percent", "decimal", "compact"]


@attrs.frozen(kw_only=True)
class Gauge:
    """A level against its target, both on the 0-5 maturity scale."""

    current: float
    target: float


@attrs.frozen(kw_only=True)
class Bar:
    """A share from 0 to 1 drawn as a bar (an objective's weight)."""

    share: float


@attrs.frozen(kw_only=True)
class Marked:
    """A cell value with a mark after it: a flag (``" !"``) or a note (``" (forbidden)"``).

    The value is formatted (and shortened) as the column says; the mark is kept whole.
    """

    value: str | int | float
    mark: str


Cell: TypeAlias = str | int | float | Gauge | Bar | Marked | SkillUse | None


@attrs.frozen(kw_only=True)
class Column:
    """One table column: its title, alignment and how its numbers read.

    `style` formats number cells: ``integer`` (``12``), ``money`` (``84,350``), ``score``
    (4 significant digits), ``percent`` and ``decimal`` (`digits` decimals), ``compact``
    (``2.5``); ``text`` shows a number as Python does. `missing` stands for a None cell.
    `min_width` and `max_width` (names longer are cut with ``~``) and `gap` (spaces before
    the column) are text layout hints.
    """

    title: str
    align: Align = "left"
    style: Style = "text"
    digits: int = 1
    missing: str = "-"
    min_width: int = 0
    max_width: int | None = None
    gap: int = 2


@attrs.frozen(kw_only=True)
class Line:
    """One line of text as written, `indent` spaces in."""

    text: str
    indent: int = 0


@attrs.frozen(kw_only=True)
class Paragraph:
    """Prose wrapped to the page width; continuation lines two spaces further in."""

    text: str
    indent: int = 2


@attrs.frozen(kw_only=True)
class Row:
    """A table row: one cell per column (fewer leaves the rest empty), then its details.

    `details` are blocks shown under the row (a score breakdown under a ranked item).
    """

    cells: tuple[Cell, ...]
    details: tuple["Block", ...] = ()


@attrs.frozen(kw_only=True)
class Table:
    """Rows under column titles; `notes` are lines shown under the table.

    `header` False shows the rows alone (a breakdown aligned like a table).
    """

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    header: bool = True
    indent: int = 2


@attrs.frozen(kw_only=True)
class Span:
    """One initiative on the roadmap: it runs in periods ``start .. finish - 1``."""

    id: str
    name: str
    start: int
    finish: int
    mandatory: bool = False


@attrs.frozen(kw_only=True)
class Roadmap:
    """The roadmap grid: initiatives against periods (labels as in the plan)."""

    periods: tuple[str, ...]
    spans: tuple[Span, ...]


Block: TypeAlias = Line | Paragraph | Table | Roadmap


@attrs.frozen(kw_only=True)
class Section:
    """A titled part of a document; `underline` asks a text renderer to rule the title."""

    title: str
    blocks: tuple[Block, ...]
    underline: bool = False


@attrs.frozen(kw_only=True)
class Document:
    """A whole view: a title (None for none), lead blocks, then sections."""

    title: str | None
    lead: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()


def cell_text(cell: Cell, column: Column) -> str:
    """A cell as text, formatted as its column says (every renderer uses this).

    >>> cell_text(84350.0, Column(title="spend", style="money"))
    '84,350'
    >>> cell_text(None, Column(title="budget", style="money"))
    '-'
    >>> cell_text(Marked(value=3, mark=" !"), Column(title="answers", style="integer"))
    '3 !'
    """
    if cell is None:
        return column.missing
    if isinstance(cell, Marked):
        return _cut(_value_text(cell.value, column), column.max_width) + cell.mark
    if isinstance(cell, Gauge):
        # Ten half-level cells: '#' up to the current level, '-' on to the target.
        have, want = round(cell.current * 2), round(cell.target * 2)
        return "[" + "".join("#" if k < have else "-" if k < want else " " for k in range(10)) + "]"
    if isinstance(cell, Bar):
        return "#" * round(cell.share * 40)
    if isinstance(cell, SkillUse):
        capacity = "-" if cell.capacity is None else formatting.hours(cell.capacity, unit="")
        extra = f"+{formatting.hours(cell.contractor, unit='')}" if cell.contractor > 0 else ""
        return f"{formatting.hours(cell.used, unit='')}/{capacity}{extra}"
    return _cut(_value_text(cell, column), column.max_width)


def _cut(text: str, width: int | None) -> str:
    return text if width is None else formatting.shortened(text, width)


def _value_text(value: str | float, column: Column) -> str:
    if isinstance(value, str):
        return formatting.visible(value)
    match column.style:
        case "integer":
            return str(int(value))
        case "money":
            return formatting.money(value)
        case "score":
            return formatting.score(value)
        case "percent":
            return formatting.percent(value, column.digits)
        case "decimal":
            return formatting.decimal(value, column.digits)
        case "compact":
            return formatting.compact(value)
        case _:
            return str(value)
