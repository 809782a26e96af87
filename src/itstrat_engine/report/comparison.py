"""The views of `compare` and `what_if`: plans side by side, and what caused what."""

from itstrat_engine import formatting
from itstrat_engine.comparison import Comparison, Difference
from itstrat_engine.optimize.result import Plan, Status
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
from itstrat_engine.scenarios import ScenarioResult, WhatIf

__all__ = ["comparison_sections", "comparison_view", "what_if_view"]


def comparison_view(comparison: Comparison) -> Document:
    """Plans, the initiatives that differ, spend, hours and objectives, side by side."""
    return Document(
        title=f"Comparison of {len(comparison.names)} plans (against {comparison.names[0]})",
        sections=comparison_sections(comparison),
    )


def what_if_view(result: WhatIf) -> Document:
    """The comparison of the base and every scenario, then each scenario's steps."""
    return Document(
        title=f"What if: {len(result.results)} scenario(s) against the engagement as given",
        sections=(
            *comparison_sections(result.comparison),
            *(steps_section(r) for r in result.results if r.steps),
        ),
    )


def value_text(plan: Plan) -> str:
    """The objective value, with its bound when not proven (``1,850 (bound 1,855)``)."""
    if plan.objective_value is None:
        return "-"
    shown = formatting.significant(plan.objective_value)
    if plan.status == Status.OPTIMAL or plan.best_bound is None:
        return shown if plan.status == Status.OPTIMAL else f"{shown} (no bound)"
    return f"{shown} (bound {formatting.significant(plan.best_bound)})"


def _delta_text(difference: Difference | None) -> str:
    if difference is None or difference.value is None:
        return "-"
    return difference.value.text


def _counts(difference: Difference) -> str:
    d = difference
    return f"adds {len(d.added)}, drops {len(d.dropped)}, moves {len(d.moved)}"


def comparison_sections(comparison: Comparison) -> tuple[Section, ...]:
    """The sections of `comparison_view`, for reports that embed a comparison."""
    names = comparison.names
    plans_rows = tuple(
        Row(
            cells=(
                name,
                plan.status.value,
                value_text(plan),
                _delta_text(None if k == 0 else comparison.differences[k - 1]),
                plan.total_spend if plan.status.has_plan else None,
                len(plan.schedule),
                _counts(comparison.differences[k - 1]) if k else "",
            )
        )
        for k, (name, plan) in enumerate(zip(names, comparison.plans, strict=True))
    )
    plans = Table(
        columns=(
            Column(title="plan", max_width=24),
            Column(title="status"),
            Column(title=comparison.plans[0].objective, align="right"),
            Column(title="change", align="right"),
            Column(title="spend", align="right", style="money"),
            Column(title="selected", align="right", style="integer"),
            Column(title="against the first"),
        ),
        rows=plans_rows,
        notes=comparison.notes,
    )
    sections = [Section(title="Plans", blocks=(plans,))]
    changed = [row for row in comparison.initiatives if row.changed]
    plan_columns = tuple(Column(title=name, max_width=16) for name in names)
    if changed:
        same = len(comparison.initiatives) - len(changed)
        table = Table(
            columns=(Column(title="initiative", max_width=28), *plan_columns),
            rows=tuple(Row(cells=(row.id, *row.starts)) for row in changed),
            notes=(f"start period in each plan ('-': not in it); {same} more are the same in all",),
        )
        sections.append(Section(title="Initiatives that differ", blocks=(table,)))
    else:
        line = Line(text="Every plan holds the same initiatives, starting in the same periods.")
        sections.append(Section(title="Initiatives that differ", blocks=(line,)))
    money = tuple(Column(title=name, align="right", style="money", max_width=16) for name in names)
    spend = Table(
        columns=(Column(title="period"), *money),
        rows=tuple(
            Row(cells=(label, *(row[t] for row in comparison.spend)))
            for t, label in enumerate(comparison.periods)
        ),
        notes=("all money out in the period ('-': outside that plan's horizon)",),
    )
    sections.append(Section(title="Spend per period", blocks=(spend,)))
    if comparison.hours:
        hours_columns = tuple(
            Column(title=name, align="right", style="compact", max_width=16) for name in names
        )
        hours = Table(
            columns=(Column(title="skill"), *hours_columns),
            rows=tuple(Row(cells=(skill, *row)) for skill, row in comparison.hours.items()),
            notes=("hours used over the horizon, in-house and contractors",),
        )
        sections.append(Section(title="Hours per skill", blocks=(hours,)))
    if comparison.objectives:
        counts = tuple(
            Column(title=name, align="right", style="integer", max_width=16) for name in names
        )
        objectives = Table(
            columns=(Column(title="business objective", max_width=28), *counts),
            rows=tuple(
                Row(cells=(objective, *(len(ids) for ids in rows)))
                for objective, rows in comparison.objectives.items()
            ),
            notes=("selected initiatives serving each objective",),
        )
        sections.append(Section(title="What each business objective gets", blocks=(objectives,)))
    return tuple(sections)


def steps_section(result: ScenarioResult) -> Section:
    """Each change of a scenario in turn: the plan after it and what it changed."""
    blocks: list[Block] = [
        Paragraph(
            text=f"{k}. {' + '.join(step.changes)}: {result.plan.objective} "
            f"{value_text(step.plan)} ({_delta_text(step.difference)}); "
            + ("; ".join(step.difference.parts()) or "no change to the roadmap"),
        )
        for k, step in enumerate(result.steps, start=1)
    ]
    blocks.append(
        Line(
            text="Changes apply one at a time in the documented order; each against the one "
            "before.",
            indent=2,
        )
    )
    return Section(
        title=f"Scenario {result.scenario.title}: what caused what", blocks=tuple(blocks)
    )
