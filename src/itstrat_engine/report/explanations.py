"""The view of `explain`: for each initiative, why it is in the roadmap or out of it."""

from collections.abc import Sequence

from itstrat_engine.explanations import Explanation
from itstrat_engine.optimize.result import Plan
from itstrat_engine.report.ranking import breakdown
from itstrat_engine.report.roadmap import plan_title, status_line
from itstrat_engine.report.views import Block, Document, Line, Section

__all__ = ["explanation_section", "explanations_view", "why_not_view"]


def explanations_view(
    plan: Plan, explanations: Sequence[Explanation], *, timings: bool = True
) -> Document:
    """The plan's title and status, then one section per explained initiative."""
    return Document(
        title=plan_title(plan),
        lead=(Line(text=status_line(plan, timings=timings)),),
        sections=tuple(explanation_section(plan, x) for x in explanations),
    )


def explanation_section(plan: Plan, explanation: Explanation) -> Section:
    """Where it is, the reasons, what forcing would change, its score and objectives."""
    x = explanation
    if x.selected:
        start = plan.schedule[x.id]
        item = plan.engagement.initiative_by_id[x.id]
        first, last = plan.periods[start], plan.periods[start + item.duration - 1]
        where = f"in the roadmap, {first}" + (f"..{last}" if last != first else "")
    else:
        where = "not selected"
    blocks: list[Block] = [Line(text=f"- {reason}", indent=2) for reason in x.reasons]
    if x.change is not None:
        parts = x.change.parts()
        if parts:
            blocks.append(
                Line(
                    text="forcing it " + ("out " if x.selected else "in ") + "; ".join(parts),
                    indent=2,
                )
            )
    if x.binding:
        blocks.append(Line(text="at their limit while it runs: " + ", ".join(x.binding), indent=2))
    served = ", ".join(x.objectives) if x.objectives else "no business objective"
    blocks.append(Line(text=f"serves {served}", indent=2))
    blocks.append(Line(text="score", indent=2))
    blocks += breakdown(plan.prioritization.initiative(x.id))
    return Section(title=f"{x.id}: {x.name} ({where})", blocks=tuple(blocks))


def why_not_view(explanations: Sequence[Explanation]) -> Document:
    """One line per initiative left out: why, for ``itstrat plan --explain``."""
    lines = tuple(
        Line(text=f"- {x.id}: {'; '.join(x.reasons)}", indent=2)
        for x in explanations
        if not x.selected
    )
    return Document(
        title=None,
        sections=(Section(title="Why these are not selected", blocks=lines),) if lines else (),
    )
