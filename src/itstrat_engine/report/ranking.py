"""Views of a prioritization: the ranked issues and initiatives with their score breakdowns.

`prioritization_view` is everything ``itstrat prioritize`` prints on stdout.
"""

from itstrat_engine import formatting
from itstrat_engine.model import Engagement
from itstrat_engine.report.views import Block, Column, Document, Line, Row, Section, Table
from itstrat_engine.rules import Prioritization, Scored

__all__ = [
    "breakdown",
    "gate",
    "initiative_table",
    "issue_table",
    "prioritization_view",
    "timing",
]

# Score actions are shown by the before -> after change itself, so they are not listed.
_SCORE_ACTIONS = frozenset({"score", "add", "multiply"})


def prioritization_view(
    engagement: Engagement,
    result: Prioritization,
    *,
    top: int | None = None,
    brief: bool = False,
) -> Document:
    """The rankings: issues, then initiatives, each item with its breakdown unless `brief`.

    `top` keeps the first N of each list. Warnings are not part of the view: they are
    problems, printed where problems go.
    """
    packs = ", ".join(pack.id for pack in result.packs) or "no packs (starting scores)"
    counts = f"{len(result.issues)} issues, {len(result.initiatives)} initiatives"
    issues = result.issues[:top] if top else result.issues
    initiatives = result.initiatives[:top] if top else result.initiatives
    sections = []
    if issues:
        table = issue_table(issues, brief=brief)
        sections.append(Section(title="Issues, highest priority first", blocks=(table,)))
    if initiatives:
        table = initiative_table(initiatives, engagement.scope.labels, brief=brief)
        sections.append(Section(title="Initiatives, highest score first", blocks=(table,)))
    return Document(
        title=f"{engagement.scope.client}: {counts}, scored with {packs}",
        sections=tuple(sections),
    )


def _rank_columns(subject: str, score: str) -> tuple[Column, Column, Column]:
    return (
        Column(title="#", align="right", style="integer"),
        Column(title=subject),
        Column(title=score, align="right", style="score"),
    )


def issue_table(items: tuple[Scored, ...], *, brief: bool = False) -> Table:
    """Rank, issue, priority and tier; each row's breakdown under it unless `brief`."""
    return Table(
        columns=(*_rank_columns("issue", "priority"), Column(title="tier")),
        rows=tuple(
            Row(
                cells=(item.rank, item.id, item.score, item.tier or ""),
                details=() if brief else breakdown(item),
            )
            for item in items
        ),
    )


def initiative_table(
    items: tuple[Scored, ...], labels: tuple[str, ...], *, brief: bool = False
) -> Table:
    """Rank, initiative, score, gate, timing and tier; breakdowns under rows unless `brief`."""
    return Table(
        columns=(
            *_rank_columns("initiative", "score"),
            Column(title="gate"),
            Column(title="timing"),
            Column(title="tier"),
        ),
        rows=tuple(
            Row(
                cells=(
                    item.rank,
                    item.id,
                    item.score,
                    gate(item),
                    timing(item, labels),
                    item.tier or "",
                ),
                details=() if brief else breakdown(item),
            )
            for item in items
        ),
    )


def gate(item: Scored) -> str:
    """``required``, ``forbidden`` or nothing."""
    if item.mandatory:
        return "required"
    if item.forbidden:
        return "forbidden"
    return ""


def timing(item: Scored, labels: tuple[str, ...]) -> str:
    """The window the rules set, as ``from 2027-Q3 by 2028-Q2`` (either part may be absent)."""
    parts = []
    if item.earliest is not None:
        parts.append(f"from {labels[item.earliest]}")
    if item.deadline is not None:
        parts.append(f"by {labels[item.deadline]}")
    return " ".join(parts)


def breakdown(item: Scored) -> tuple[Block, ...]:
    """How the score came about: the start, each rule that fired, and who gates the item."""
    steps = Table(
        columns=(
            Column(title="rule"),
            Column(title="change", min_width=18),
            Column(title="because", gap=1),
        ),
        rows=tuple(
            Row(
                cells=(
                    step.label,
                    _change(step.before, step.after),
                    _because(step.because, step.effects, step.replaces),
                )
            )
            for step in item.steps
        ),
        header=False,
        indent=6,
    )
    blocks: list[Block] = [
        Line(text=f"start {formatting.score(item.start)} ({item.start_from})", indent=6)
    ]
    if item.steps:
        blocks.append(steps)
    if item.subject == "initiative" and (item.required_by or item.forbidden_by):
        who = "required by" if item.mandatory else "forbidden by"
        names = item.required_by or item.forbidden_by
        blocks.append(Line(text=f"{who} {', '.join(names)}", indent=6))
    return tuple(blocks)


def _change(before: float, after: float) -> str:
    if after == before:
        return formatting.score(after)
    return f"{formatting.score(before)} -> {formatting.score(after)}"


def _because(because: str, effects: tuple[str, ...], replaces: str | None) -> str:
    shown = [effect for effect in effects if effect not in _SCORE_ACTIONS]
    if replaces is not None:
        shown.insert(0, f"replaces the score of pack {replaces}")
    return because + (f" [{', '.join(shown)}]" if shown else "")
