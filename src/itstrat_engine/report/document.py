"""The client report as plain data: sections of view blocks and charts described by their data.

A `ClientReport` is what `build_report` computes and every format renderer (HTML, Markdown,
workbook, PDF) lays out. Its blocks are the views of `views.py` plus `Heading`s,
`KeyFigures` and `Chart`s; a chart is
its data (one of the `*Chart` records below), a text alternative and the same numbers as
a `Table`, so a reader who cannot see the picture, or a renderer that cannot draw it,
still has everything. Nothing here imports matplotlib or a template engine.
"""

from collections.abc import Sequence
from typing import TypeAlias

import attrs

from itstrat_engine.report.views import Block, Line, Paragraph, Table, cell_text

__all__ = [
    "Chart",
    "ChartSpec",
    "ClientReport",
    "FrontierChart",
    "GanttBar",
    "GanttChart",
    "Heading",
    "KeyFigures",
    "MatrixChart",
    "MatrixPoint",
    "MaturityChart",
    "MaturityItem",
    "PeriodChart",
    "ReportBlock",
    "ReportSection",
    "blocks_text",
]


@attrs.frozen(kw_only=True)
class GanttBar:
    """One initiative on the Gantt chart: its lane and periods ``start .. finish - 1``."""

    id: str
    name: str
    lane: str
    start: int
    finish: int
    mandatory: bool = False


@attrs.frozen(kw_only=True)
class GanttChart:
    """The roadmap: bars in swimlanes (business objectives) with dependency arrows.

    `arrows` are ``(prerequisite, dependent)`` pairs between bars on the chart.
    """

    periods: tuple[str, ...]
    lanes: tuple[str, ...]
    bars: tuple[GanttBar, ...]
    arrows: tuple[tuple[str, str], ...] = ()


@attrs.frozen(kw_only=True)
class MatrixPoint:
    """One service on the importance x satisfaction matrix."""

    service: str
    name: str
    importance: float
    satisfaction: float
    quadrant: str


@attrs.frozen(kw_only=True)
class MatrixChart:
    """Services by mean importance (x) and satisfaction (y), split at the means."""

    points: tuple[MatrixPoint, ...]
    importance_split: float
    satisfaction_split: float
    scale_min: float
    scale_max: float


@attrs.frozen(kw_only=True)
class MaturityItem:
    """One service's current and target maturity (0-5)."""

    service: str
    current: float
    target: float


@attrs.frozen(kw_only=True)
class MaturityChart:
    """Current against target maturity, widest gap first."""

    items: tuple[MaturityItem, ...]


@attrs.frozen(kw_only=True)
class PeriodChart:
    """Use against its limit per period: spend against budget, or hours against capacity.

    `extra` is what was bought on top of the limit (contractor hours), zero when none;
    `limit` has None for a period without one. `unit` names the amounts (a currency or
    ``hours``).
    """

    periods: tuple[str, ...]
    used: tuple[float, ...]
    limit: tuple[float | None, ...]
    unit: str
    used_label: str
    limit_label: str
    extra: tuple[float, ...] = ()
    extra_label: str = ""


@attrs.frozen(kw_only=True)
class FrontierChart:
    """The efficient frontier: proven value at each budget, the greedy curve and this plan."""

    budgets: tuple[float, ...]
    values: tuple[float, ...]
    greedy_budgets: tuple[float, ...]
    greedy_values: tuple[float, ...]
    chosen_budget: float | None
    chosen_value: float | None
    currency: str
    objective: str


ChartSpec: TypeAlias = GanttChart | MatrixChart | MaturityChart | PeriodChart | FrontierChart


@attrs.frozen(kw_only=True)
class Chart:
    """A chart: a fixed `id` (stable across runs), a title, a text alternative, its data.

    `data` is the chart's numbers as a table, shown beside the picture for every reader.
    """

    id: str
    title: str
    alt: str
    spec: ChartSpec
    data: Table


@attrs.frozen(kw_only=True)
class Heading:
    """A sub-heading inside a section."""

    text: str


@attrs.frozen(kw_only=True)
class KeyFigures:
    """The few numbers a reader looks for first, as ``(label, value)`` pairs of text."""

    figures: tuple[tuple[str, str], ...]


ReportBlock: TypeAlias = Block | Chart | Heading | KeyFigures


@attrs.frozen(kw_only=True)
class ReportSection:
    """One part of the report, with an `id` usable as an anchor or a file name."""

    id: str
    title: str
    blocks: tuple[ReportBlock, ...]


@attrs.frozen(kw_only=True)
class ClientReport:
    """The whole report: title, a subtitle line, then its sections in reading order."""

    title: str
    subtitle: str
    sections: tuple[ReportSection, ...]

    @property
    def charts(self) -> tuple[Chart, ...]:
        """Every chart, in reading order."""
        return tuple(
            block
            for section in self.sections
            for block in section.blocks
            if isinstance(block, Chart)
        )

    def section(self, section_id: str) -> ReportSection:
        """The section with this id (KeyError when the report has none)."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)


def blocks_text(blocks: Sequence[Block]) -> str:
    """Blocks as one line of text: a score breakdown in a table cell or a spreadsheet cell."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Line | Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                texts = [
                    cell_text(cell, column)
                    for cell, column in zip(row.cells, block.columns, strict=False)
                ]
                parts.append(" ".join(text for text in texts if text))
                if row.details:
                    parts.append(blocks_text(row.details))
    return "; ".join(part for part in parts if part)
