"""Reports: plain-data views of plans, assessments, rankings and packs, and their renderers.

The builders (`plan_view`, `assessment_view`, `prioritization_view`, `packs_view` and their
parts) compute `Document`s from library results; renderers only lay them out, so a number
reads the same everywhere: text for the terminal (`render_text`, here); for the client,
``report.client`` builds the report (`it.client_report`, `it.build_report`) and
``report.output`` writes it (`it.write_report`) as HTML, Markdown, an Excel workbook or
PDF (``report.html``, ``report.markdown``, ``report.workbook``, ``report.pdf``; extras
``report``, ``excel`` and ``pdf``).

>>> import itstrat_engine as it
>>> from itstrat_engine.report import prioritization_view, render_text
>>> e = it.generate(3, seed=1)
>>> print(render_text(prioritization_view(e, it.prioritize(e), brief=True)).splitlines()[0])
Synthetic client 1: 5 issues, 3 initiatives, scored with no packs (starting scores)

This package imports PuLP nowhere: building and rendering a view needs no solver.
"""

from itstrat_engine.report.assessment import (
    alignment_section,
    alignment_table,
    assessment_view,
    departments_table,
    glance_section,
    headline,
    issues_section,
    maturity_section,
    maturity_table,
    services_table,
    survey_sections,
    weights_section,
    weights_table,
)
from itstrat_engine.report.packs import packs_table, packs_view
from itstrat_engine.report.ranking import (
    breakdown,
    gate,
    initiative_table,
    issue_table,
    prioritization_view,
    timing,
)
from itstrat_engine.report.roadmap import (
    ObjectiveInitiatives,
    findings_section,
    not_selected_line,
    objective_initiatives,
    objectives_section,
    plan_title,
    plan_view,
    roadmap,
    roadmap_section,
    skill_table,
    spend_table,
    status_line,
)
from itstrat_engine.report.text import block_lines, render_text, roadmap_lines, table_lines
from itstrat_engine.report.views import (
    Bar,
    Block,
    Cell,
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
)

__all__ = [
    "Bar",
    "Block",
    "Cell",
    "Column",
    "Document",
    "Gauge",
    "Line",
    "Marked",
    "ObjectiveInitiatives",
    "Paragraph",
    "Roadmap",
    "Row",
    "Section",
    "Span",
    "Table",
    "alignment_section",
    "alignment_table",
    "assessment_view",
    "block_lines",
    "breakdown",
    "cell_text",
    "departments_table",
    "findings_section",
    "gate",
    "glance_section",
    "headline",
    "initiative_table",
    "issue_table",
    "issues_section",
    "maturity_section",
    "maturity_table",
    "not_selected_line",
    "objective_initiatives",
    "objectives_section",
    "packs_table",
    "packs_view",
    "plan_title",
    "plan_view",
    "prioritization_view",
    "render_text",
    "roadmap",
    "roadmap_lines",
    "roadmap_section",
    "services_table",
    "skill_table",
    "spend_table",
    "status_line",
    "survey_sections",
    "table_lines",
    "timing",
    "weights_section",
    "weights_table",
]
