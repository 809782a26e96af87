"""Views of an assessment: survey, departments, maturity, key issues, weights, alignment.

`assessment_view` is everything ``itstrat assess`` prints on stdout.
"""

from itstrat_engine import formatting
from itstrat_engine.assessment import Assessment, SurveyResult
from itstrat_engine.model import Engagement
from itstrat_engine.report.views import (
    Bar,
    Block,
    Column,
    Document,
    Gauge,
    Line,
    Marked,
    Paragraph,
    Row,
    Section,
    Table,
)

__all__ = [
    "alignment_section",
    "alignment_table",
    "assessment_view",
    "departments_table",
    "glance_section",
    "headline",
    "issues_section",
    "maturity_section",
    "maturity_table",
    "services_table",
    "survey_sections",
    "weights_section",
    "weights_table",
]


def assessment_view(
    result: Assessment, engagement: Engagement, *, csv_responses: int = 0
) -> Document:
    """The whole current-state assessment; `csv_responses` counts answers read from CSV."""
    return Document(
        title=f"{result.client}: current-state assessment",
        lead=headline(result, csv_responses),
        sections=(
            glance_section(result),
            *survey_sections(result),
            maturity_section(result),
            issues_section(result, engagement),
            weights_section(result, engagement),
            alignment_section(result, engagement),
        ),
    )


def _section(title: str, blocks: list[Block]) -> Section:
    return Section(title=title, blocks=tuple(blocks), underline=True)


def _listed(items: tuple[str, ...] | list[str]) -> str:
    return ", ".join(items) or "none"


def headline(result: Assessment, csv_responses: int = 0) -> tuple[Block, ...]:
    """One sentence on the survey: responses, departments, scale, overall satisfaction."""
    survey = result.survey
    if survey is None:
        return (
            Line(text="No survey responses: add [[response]] tables or pass --survey FILE.csv."),
        )
    from_csv = f" ({csv_responses} from CSV)" if csv_responses else ""
    scale = f"{formatting.compact(survey.scale_min)}-{formatting.compact(survey.scale_max)}"
    text = (
        f"Survey: {formatting.plural(survey.responses, 'response')}{from_csv} from "
        f"{formatting.plural(len(survey.department_summary), 'department')}, scale {scale}; "
        f"overall satisfaction {formatting.decimal(survey.overall_satisfaction)}"
    )
    return (Paragraph(text=text, indent=0),)


def glance_section(result: Assessment) -> Section:
    """A few lines a client reads first: what hurts, what is missing, where money goes."""
    lines: list[str] = []
    if result.survey is not None:
        fix = [s.service for s in result.survey.services if s.quadrant == "fix"]
        lines.append("Fix first (important, unsatisfying): " + _listed(fix))
    gaps = result.maturity.gaps
    if gaps:
        widest = [g for g in gaps if g.gap == gaps[0].gap]
        lines.append(
            "Largest maturity gap: "
            + ", ".join(f"{g.service} {formatting.compact(g.gap)}" for g in widest)
        )
    derived = result.derived_issues
    count, new = len(derived.provenance), len(derived.issues)
    lines.append(
        f"Key issues from the data: {count} ({new} new, {count - new} covered by the file's issues)"
    )
    aligned = result.alignment
    share = aligned.aligned_share
    lines.append(
        (
            f"{formatting.percent(share)} of proposed one-off cost serves business objectives; "
            if share
            else ""
        )
        + "unserved objectives: "
        + _listed(aligned.unserved)
    )
    if result.survey is not None:
        lines.append(
            "High-priority services nothing addresses: "
            + _listed([u.service for u in aligned.unaddressed])
        )
    return _section("At a glance", [Paragraph(text=line) for line in lines])


def survey_sections(result: Assessment) -> tuple[Section, ...]:
    """Services by priority and the departments; none without survey responses."""
    survey = result.survey
    if survey is None:
        return ()
    return (
        _section(
            "Services by priority (most important, least satisfying first)",
            [services_table(survey)],
        ),
        _section("Departments", [departments_table(survey)]),
    )


def services_table(survey: SurveyResult) -> Table:
    """Every service ranked by priority, with importance, satisfaction, spread and gap."""
    means = (
        f"quadrants split at mean importance {formatting.decimal(survey.mean_importance)} and "
        f"mean satisfaction {formatting.decimal(survey.mean_satisfaction)}"
    )
    notes = [f"{means}; sd: spread of satisfaction"]
    if survey.flagged:
        notes.append(f"! fewer than {survey.min_responses} answers: treat with care")
    return Table(
        columns=(
            Column(title="#", align="right", style="integer"),
            Column(title="service"),
            Column(title="name", max_width=30),
            *(
                Column(title=title, align="right", style="decimal")
                for title in ("imp", "sat", "sd", "gap")
            ),
            Column(title="prio", align="right", style="decimal", digits=2),
            Column(title="quadrant"),
            Column(title="answers", style="integer"),
        ),
        rows=tuple(
            Row(
                cells=(
                    rank,
                    s.service,
                    s.name,
                    s.importance,
                    s.satisfaction,
                    s.satisfaction_spread,
                    s.gap,
                    s.priority,
                    s.quadrant,
                    Marked(
                        value=min(s.importance_answers, s.satisfaction_answers),
                        mark=" !" if s.flagged else "",
                    ),
                )
            )
            for rank, s in enumerate(survey.services, 1)
        ),
        notes=tuple(notes),
    )


def departments_table(survey: SurveyResult) -> Table:
    """Per department: people, mean importance and satisfaction, and its biggest gap."""
    return Table(
        columns=(
            Column(title="department"),
            Column(title="people", align="right", style="integer"),
            Column(title="imp", align="right", style="decimal"),
            Column(title="sat", align="right", style="decimal"),
            Column(title="biggest gap"),
        ),
        rows=tuple(
            Row(
                cells=(
                    d.department or "(none)",
                    d.respondents,
                    d.importance,
                    d.satisfaction,
                    f"{d.worst_service} ({formatting.decimal(d.worst_gap)})"
                    if d.worst_service
                    else None,
                )
            )
            for d in survey.department_summary
        ),
    )


def maturity_table(result: Assessment) -> Table:
    """Current and target maturity per service, widest gap first, with a gauge."""
    return Table(
        columns=(
            Column(title="service"),
            Column(title="kind"),
            Column(title="current", align="right", style="compact"),
            Column(title="target", align="right", style="compact"),
            Column(title="gap", align="right", style="compact"),
            Column(title=""),
        ),
        rows=tuple(
            Row(
                cells=(
                    g.service,
                    g.kind,
                    g.current,
                    g.target,
                    g.gap,
                    Gauge(current=g.current, target=g.target),
                )
            )
            for g in result.maturity.gaps
        ),
    )


def maturity_section(result: Assessment) -> Section:
    """The maturity table and what is not rated."""
    title = "Maturity gaps (0-5; # current, - gap to target)"
    maturity = result.maturity
    if not maturity.gaps:
        return _section(
            title, [Line(text="no service has both a current and a target maturity", indent=2)]
        )
    blocks: list[Block] = [maturity_table(result)]
    if maturity.unrated:
        blocks.append(Line(text="not rated: " + ", ".join(maturity.unrated), indent=2))
    return _section(title, blocks)


def issues_section(result: Assessment, engagement: Engagement) -> Section:
    """The key issues the data raises: new ones with their reasons, then those covered."""
    derived = result.derived_issues
    title = (
        f"Key issues from the data (priority >= {formatting.decimal(derived.min_priority, 2)} "
        f"or maturity gap >= {formatting.compact(derived.min_maturity_gap)})"
    )
    if not derived.provenance:
        return _section(title, [Line(text="none: no service passes either threshold", indent=2)])
    new = [r for r in derived.provenance if r.new]
    covered = [r for r in derived.provenance if not r.new]
    blocks: list[Block] = []
    for record in new:
        severity = formatting.decimal(record.severity)
        blocks.append(Line(text=f"NEW {record.issue}  severity {severity}", indent=2))
        blocks += [Paragraph(text=reason, indent=6) for reason in record.reasons]
        low = sorted(
            (a for a in record.answers if a.satisfaction is not None),
            key=lambda a: (a.satisfaction or 0.0, a.response),
        )[:3]
        if low:
            answers = "; ".join(
                f"{a.stakeholder} ({a.department or 'no department'}) "
                f"{formatting.compact(a.satisfaction or 0.0)}"
                for a in low
            )
            blocks.append(Paragraph(text=f"least satisfied: {answers}", indent=6))
    if covered:
        if new:
            blocks.append(Line(text=""))
        blocks.append(
            Line(
                text="Already covered by the file's issues (severity from the data; file's):",
                indent=2,
            )
        )
        file_severity = {i.id: i.severity for i in engagement.issues}
        rows = []
        for record in covered:
            why = []
            if record.score is not None and record.score.priority is not None:
                priority = formatting.decimal(record.score.priority, 2)
                why.append(f"priority {priority} ({record.score.quadrant})")
            if record.maturity is not None:
                why.append(f"maturity gap {formatting.compact(record.maturity.gap)}")
            by = ", ".join(
                f"{issue} ({formatting.decimal(file_severity.get(issue), 0)})"
                if file_severity.get(issue)
                else issue
                for issue in record.absorbed_by
            )
            rows.append(
                Row(
                    cells=(record.issue, record.severity, ", ".join(why)),
                    details=(Paragraph(text=f"covered by {by}", indent=6),),
                )
            )
        blocks.append(
            Table(
                columns=(
                    Column(title="issue"),
                    Column(title="severity", style="decimal"),
                    Column(title="why"),
                ),
                rows=tuple(rows),
                header=False,
            )
        )
    blocks.append(
        Line(
            text=f"{formatting.plural(len(new), 'new issue')}, {len(covered)} already covered; "
            "details and answers in --format json",
            indent=2,
        )
    )
    if derived.skipped:
        blocks.append(
            Line(text="not raised (too few answers): " + ", ".join(derived.skipped), indent=2)
        )
    return _section(title, blocks)


def weights_table(result: Assessment, engagement: Engagement) -> Table:
    """Each objective's kind and weight, with a bar; AHP consistency in the notes."""
    weights = result.weights
    kinds = {o.id: o.kind for o in engagement.objectives}
    notes = []
    if weights.consistency_ratio is not None:
        verdict = "consistent" if weights.consistent else "INCONSISTENT"
        figures = ", ".join(
            f"{name} {formatting.decimal(value, 3)}"
            for name, value in (
                ("lambda_max", weights.lambda_max),
                ("CI", weights.consistency_index),
                ("CR", weights.consistency_ratio),
            )
        )
        notes.append(f"{figures} ({verdict}: limit 0.10)")
    if any(o.kind == "it" for o in engagement.objectives):
        notes.append("IT objectives carry the weight of the business objectives they support")
    return Table(
        columns=(
            Column(title="objective"),
            Column(title="kind"),
            Column(title="weight", align="right", style="decimal", digits=3),
            Column(title=""),
        ),
        rows=tuple(
            Row(cells=(objective, kinds.get(objective, "?"), weight, Bar(share=weight)))
            for objective, weight in weights.weights.items()
        ),
        notes=tuple(notes),
    )


def weights_section(result: Assessment, engagement: Engagement) -> Section:
    """``Objective weights (method)`` and its table."""
    title = f"Objective weights ({result.weights.method})"
    return _section(title, [weights_table(result, engagement)])


def alignment_table(result: Assessment) -> Table:
    """Strength of each initiative on each objective (O1, O2, ... in the notes), and score."""
    aligned = result.alignment
    codes = [f"O{k}" for k in range(1, len(aligned.objectives) + 1)]
    rows = []
    for column, row in enumerate(aligned.by_initiative):
        strengths = [aligned.matrix[r][column] or None for r in range(len(aligned.objectives))]
        name = row.initiative if row.proposed else Marked(value=row.initiative, mark=" (forbidden)")
        rows.append(Row(cells=(name, *strengths, row.score)))
    notes = []
    for code, coverage in zip(codes, aligned.coverage, strict=True):
        weight = (
            "" if coverage.weight is None else f", weight {formatting.decimal(coverage.weight, 3)}"
        )
        notes.append(f"{code} {coverage.objective} ({coverage.kind}{weight})")
    notes.append("score: sum of business weight x strength")
    return Table(
        columns=(
            Column(title="initiative", max_width=24),
            *(Column(title=code, align="right", style="decimal", missing=".") for code in codes),
            Column(title="score", align="right", style="decimal", digits=2),
        ),
        rows=tuple(rows),
        notes=tuple(notes),
    )


def alignment_section(result: Assessment, engagement: Engagement) -> Section:
    """The alignment matrix, unserved objectives, cost shares and unaddressed services."""
    aligned = result.alignment
    blocks: list[Block] = [alignment_table(result), Line(text="")]
    blocks.append(
        Line(
            text="Business objectives no initiative serves: " + _listed(aligned.unserved),
            indent=2,
        )
    )
    currency = engagement.scope.currency
    for label, total, share, rest in (
        ("One-off cost", aligned.cost, aligned.aligned_share, aligned.ktlo_cost),
        ("Run cost per period", aligned.run_cost, aligned.aligned_run_share, aligned.ktlo_run_cost),
    ):
        if share is None:
            blocks.append(Line(text=f"{label}: none proposed", indent=2))
            continue
        blocks.append(
            Paragraph(
                text=f"{label} {formatting.money(total, currency)}: {formatting.percent(share)} "
                f"serves business objectives, {formatting.percent(1 - share)} "
                f"({formatting.money(rest)}) keeps the lights on"
            )
        )
    ktlo = [r.initiative for r in aligned.by_initiative if r.proposed and not r.aligned]
    if ktlo:
        blocks.append(Line(text="Keep-the-lights-on initiatives: " + ", ".join(ktlo), indent=2))
    if aligned.alternatives:
        pairs = ", ".join(f"{a} / {b}" for a, b in aligned.alternatives)
        blocks.append(Paragraph(text=f"Totals count both of each exclusive alternative: {pairs}"))
    if result.survey is not None:
        if aligned.unaddressed:
            blocks.append(Line(text="High-priority services nothing addresses:", indent=2))
            blocks += [
                Line(
                    text=f"{u.service} (priority {formatting.decimal(u.priority, 2)}, "
                    f"{u.quadrant}): {u.reason}",
                    indent=4,
                )
                for u in aligned.unaddressed
            ]
        else:
            count = len(aligned.high_priority)
            blocks.append(
                Line(
                    text=f"High-priority services nothing addresses: none (all {count} have an "
                    "issue and an initiative)",
                    indent=2,
                )
            )
    return _section("Alignment: strength of each initiative on each objective (. none)", blocks)
