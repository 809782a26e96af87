"""The view of `limits` and `cheapest_mix`: what binds, what one more unit buys, what a goal costs."""

import math

from itstrat_engine import formatting
from itstrat_engine.optimize.result import Plan
from itstrat_engine.report.roadmap import plan_title, status_line
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
from itstrat_engine.unlocks import Limits, Mix, RowLimit

__all__ = ["limits_view", "mix_section"]


def limits_view(
    plan: Plan,
    result: Limits | None,
    mix: Mix | None = None,
    *,
    every: bool = False,
    timings: bool = True,
) -> Document:
    """The plan's title and status, the limits, then the cheapest mix when asked for.

    The table lists the limits that bind or have an unlock (all of them with `every`).
    """
    sections = []
    if result is not None:
        sections.append(_limits_section(plan, result, every=every))
    if mix is not None:
        sections.append(mix_section(mix))
    return Document(
        title=plan_title(plan),
        lead=(Line(text=status_line(plan, timings=timings)),),
        sections=tuple(sections),
    )


def _unlock_text(row: RowLimit) -> str:
    if row.extra is None:
        return row.note or "-"
    text = f"+{row.extra.text(row.unit)}"
    if row.gain is not None:
        text += f" raises it {row.gain.text}"
    if row.admits:
        text += f", admits {', '.join(row.admits)}"
    elif row.change is not None and row.change.moved:
        text += ", by moving work"
    return text + (f" ({row.note})" if row.note else "")


def _limits_section(plan: Plan, result: Limits, *, every: bool) -> Section:
    shown = [r for r in result.rows if every or r.binds or r.extra is not None]
    hidden = len(result.rows) - len(shown)
    columns = (
        Column(title="limit", max_width=32),
        Column(title="of", align="right", style="money"),
        Column(title="used", align="right", style="money"),
        Column(title="slack", align="right", style="money"),
        Column(title="binds"),
        Column(title="next unlock: the least extra that raises the optimum", max_width=90),
    )
    rows = tuple(
        Row(
            cells=(
                r.name,
                r.limit,
                r.used,
                r.slack,
                "yes" if r.binds else "",
                _unlock_text(r),
            )
        )
        for r in shown
    )
    notes = []
    if hidden:
        notes.append(
            f"{formatting.plural(hidden, 'more limit')} with slack that no extra amount alone "
            "turns into more value (--all lists them)"
        )
    if not result.proven:
        notes.append("amounts marked 'not proven' are the interval the solvers' bounds allow")
    blocks: list[Block] = [Table(columns=columns, rows=rows, notes=tuple(notes))]
    if not rows:
        blocks = [Paragraph(text="No limit binds and no extra amount of one limit raises it.")]
    unit = plan.objective
    return Section(title=f"Limits and their next unlock ({unit})", blocks=tuple(blocks))


def _up(amount: float) -> str:
    """A whole amount rounded up: what is shown suffices."""
    return formatting.money(math.ceil(amount - 1e-6))


def mix_section(mix: Mix) -> Section:
    """The cheapest extra money and contractor hours for the goal, and what they give."""
    blocks: list[Block] = []
    if mix.total is None:
        blocks.append(Paragraph(text=mix.note or "no mix found"))
        return Section(title=f"Cheapest mix to {mix.goal}", blocks=tuple(blocks))
    head = f"extra money {mix.total.text('money')}"
    if mix.hours:
        head += f" and {_up(sum(mix.hours.values()))} contractor hours"
    blocks.append(Line(text=head + (f" ({mix.note})" if mix.note else "")))
    for budgets, amount in mix.money.items():
        blocks.append(Line(text=f"- +{_up(amount)} to {budgets}", indent=2))
    for (skill, label), amount in mix.hours.items():
        blocks.append(
            Line(
                text=f"- +{formatting.hours(amount)} {skill} contractor hours in {label}", indent=2
            )
        )
    if mix.plan is not None:
        outcome = "meets the goal" if mix.reached else "does not meet the goal"
        value = formatting.significant(mix.plan.objective_value or 0.0)
        blocks.append(
            Line(text=f"re-planned with it: {mix.plan.status.value}, {value}, {outcome}", indent=2)
        )
    if mix.change is not None and mix.change.parts():
        blocks.append(Paragraph(text="the roadmap " + "; ".join(mix.change.parts())))
    return Section(title=f"Cheapest mix to {mix.goal}", blocks=tuple(blocks))
