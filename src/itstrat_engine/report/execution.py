"""The views of execution: a re-plan against its baseline, the stability curve, status."""

from itstrat_engine import formatting
from itstrat_engine.execution.earned_value import (
    AMBER_BELOW,
    RED_BELOW,
    EarnedValue,
    StatusReport,
)
from itstrat_engine.execution.replanning import Replan, StabilityCurve
from itstrat_engine.report.roadmap import findings_section, roadmap, status_line
from itstrat_engine.report.views import (
    Block,
    Column,
    Document,
    Line,
    Paragraph,
    Row,
    Section,
    Table,
)

__all__ = ["replan_view", "stability_curve_section", "status_view"]


def replan_view(
    result: Replan, curve: StabilityCurve | None = None, *, timings: bool = True
) -> Document:
    """The new roadmap, what changed against the baseline and why, and the curve if asked."""
    plan = result.plan
    rest = result.remainder
    labels = plan.periods
    currency = plan.engagement.scope.currency
    lead: list[Block] = [
        Line(text=status_line(plan, timings=timings)),
        Line(
            text=f"As of {labels[rest.as_of]}"
            + (f", freeze {rest.freeze} period(s)" if rest.freeze else "")
            + f"; spent to date {formatting.money(rest.spent, currency)}"
            + (
                f"; stability {result.stability:g}, disruption "
                f"{formatting.significant(result.disruption, 4)}"
                if result.disruption is not None
                else ""
            )
        ),
    ]
    sections: list[Section] = []
    changes = result.difference.parts() or ["no change to the open work"]
    sections.append(
        Section(
            title="Against the baseline",
            blocks=(
                *(Paragraph(text=part[:1].upper() + part[1:]) for part in changes),
                *(
                    (Paragraph(text=f"Value {result.difference.value.text}"),)
                    if result.difference.value is not None
                    else ()
                ),
            ),
        )
    )
    if result.reasons:
        sections.append(
            Section(
                title="Why",
                blocks=tuple(Paragraph(text=f"- {reason.message}") for reason in result.reasons),
            )
        )
    pinned = []
    for item_id, start in sorted(rest.pinned.items(), key=lambda kv: (kv[1], kv[0])):
        entry = plan.initiative(item_id)
        finish = entry.finish if entry.finish is not None else start + 1
        running = f"{labels[start]}..{labels[finish - 1]}"
        stand = rest.progress.of(item_id)
        pinned.append(
            Row(
                cells=(
                    item_id,
                    entry.name,
                    stand.status,
                    running if stand.status == "done" else f"{running} (what remains)",
                )
            )
        )
    if pinned:
        sections.append(
            Section(
                title="Pinned (done, or running with what remains)",
                blocks=(
                    Table(
                        columns=(
                            Column(title="initiative"),
                            Column(title="name", max_width=40),
                            Column(title="status"),
                            Column(title="runs"),
                        ),
                        rows=tuple(pinned),
                    ),
                ),
            )
        )
    if plan.status.has_plan:
        sections.append(Section(title="New roadmap", blocks=(roadmap(plan),)))
    findings = findings_section(plan)
    if findings is not None:
        sections.append(findings)
    if rest.warnings:
        sections.append(
            Section(title="Warnings", blocks=tuple(Paragraph(text=p.text) for p in rest.warnings))
        )
    if curve is not None:
        sections.append(stability_curve_section(curve))
    return Document(
        title=f"{plan.engagement.scope.client}: re-plan as of {labels[rest.as_of]}",
        lead=tuple(lead),
        sections=tuple(sections),
    )


def stability_curve_section(curve: StabilityCurve) -> Section:
    """Value against disruption: each breakpoint with the weights it is optimal for."""
    rows = tuple(
        Row(
            cells=(
                formatting.significant(p.low, 4),
                "-" if p.high is None else formatting.significant(p.high, 4),
                p.value,
                p.disruption,
                p.status.value,
            )
        )
        for p in curve.points
    )
    notes = [f"{curve.solves} solves, weights from 0 to {formatting.significant(curve.top, 4)}"]
    if not curve.complete:
        notes.append("incomplete: a solve was not proven or the limit on solves was reached")
    return Section(
        title="Stability curve (value against disruption)",
        blocks=(
            Table(
                columns=(
                    Column(title="W from", align="right"),
                    Column(title="W to", align="right"),
                    Column(title="value", align="right", style="score"),
                    Column(title="disruption", align="right", style="decimal", digits=2),
                    Column(title="status"),
                ),
                rows=rows,
                notes=tuple(notes),
            ),
        ),
    )


def _ev_row(row: EarnedValue) -> Row:
    return Row(
        cells=(
            row.id or "portfolio",
            row.status,
            row.bac,
            row.pv,
            row.ev,
            row.ac,
            row.spi,
            row.cpi,
            row.eac,
            row.rag + (" *" if row.assumed else ""),
        )
    )


def status_view(report: StatusReport) -> Document:
    """Earned value per initiative and for the portfolio, benefits, the recommendation."""
    columns = (
        Column(title="initiative"),
        Column(title="status"),
        *(Column(title=t, align="right", style="money") for t in ("BAC", "PV", "EV", "AC")),
        *(Column(title=t, align="right", style="decimal", digits=2) for t in ("SPI", "CPI")),
        Column(title="EAC", align="right", style="money"),
        Column(title="RAG"),
    )
    p = report.portfolio
    currency = report.currency
    lead = (
        Line(
            text=f"Portfolio {p.rag}: SPI {formatting.decimal(p.spi, 2)}, CPI "
            f"{formatting.decimal(p.cpi, 2)}; SV {formatting.money(p.sv, currency)}, CV "
            f"{formatting.money(p.cv, currency)}; EAC {formatting.money(p.eac, currency)} "
            f"against BAC {formatting.money(p.bac, currency)}"
        ),
        Paragraph(
            indent=0,
            text="Re-plan recommended: " + "; ".join(report.reasons)
            if report.replan
            else "No re-plan needed: every threshold holds",
        ),
    )
    started = [r for r in report.initiatives if r.status != "not-started" or r.pv > 0]
    rest = [r for r in report.initiatives if r not in started]
    sections = [
        Section(
            title=f"Earned value as of {report.as_of} ({currency})",
            blocks=(
                Table(
                    columns=columns,
                    rows=(
                        *(_ev_row(r) for r in started),
                        _ev_row(p),
                    ),
                    notes=(
                        (
                            f"RAG: red when SPI or CPI is below {RED_BELOW:g}, amber below "
                            f"{AMBER_BELOW:g}; * actual cost assumed as planned (not in the file)"
                        ),
                        *(
                            (f"Not yet due: {formatting.names([r.id or '' for r in rest])}",)
                            if rest
                            else ()
                        ),
                    ),
                ),
            ),
        )
    ]
    if report.benefits:
        sections.append(
            Section(
                title="Benefits per business objective",
                blocks=(
                    Table(
                        columns=(
                            Column(title="objective"),
                            Column(title="metric", max_width=36),
                            Column(title="period"),
                            Column(title="actual", align="right", style="decimal", digits=1),
                            Column(title="planned", align="right", style="decimal", digits=1),
                            Column(title="target", align="right", style="decimal", digits=1),
                            Column(title="on track"),
                        ),
                        rows=tuple(
                            Row(
                                cells=(
                                    b.objective,
                                    b.metric,
                                    b.period,
                                    b.actual,
                                    b.planned,
                                    b.target,
                                    "-" if b.on_track is None else ("yes" if b.on_track else "no"),
                                )
                            )
                            for b in report.benefits
                        ),
                        notes=(
                            (
                                "planned: from the objective's baseline_value at the horizon's "
                                "start to its target_value at target_period"
                            ),
                        ),
                    ),
                ),
            )
        )
    return Document(title=f"Status as of {report.as_of}", lead=lead, sections=tuple(sections))
