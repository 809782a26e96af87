"""The view of `frontier`: the steps of value against budget, the greedy curve, who is in when."""

from typing import TYPE_CHECKING

from itstrat_engine import formatting
from itstrat_engine.frontiers import Frontier, FrontierPoint, level_text
from itstrat_engine.report.views import Column, Document, Line, Paragraph, Row, Section, Table

if TYPE_CHECKING:  # the view needs no solver: pareto imports PuLP
    from itstrat_engine.pareto import Pareto

__all__ = ["frontier_view", "pareto_view"]


def frontier_view(result: Frontier, *, client: str = "", rows: int | None = 40) -> Document:
    """Proof status, the steps (at most `rows`, evenly spread), the knee, the initiatives."""
    scale = result.mode == "scale"
    return Document(
        title=f"Budget frontier{f': {client}' if client else ''} "
        f"({result.objective} against {'a factor on every budget' if scale else 'the total budget'})",
        lead=(Line(text=_status(result)),),
        sections=(_steps(result, rows), _initiatives(result)),
    )


def _status(result: Frontier) -> str:
    if result.complete:
        head = "Complete: every step found, every point proven optimal"
    else:
        reasons = []
        if not all(p.proven for p in result.points):
            reasons.append("some solves stopped at their limit (bands shown)")
        if result.timed_out:
            below = result.explored_down_to
            where = "" if below is None else f" below {level_text(result.mode, below)}"
            reasons.append(f"the time budget ran out: budgets{where} not explored")
        if result.stopped:
            reasons.append(f"{result.stopped}: budgets below it not explored")
        if not reasons:
            reasons.append("a resolution skipped budgets between the points")
        head = "Incomplete: " + "; ".join(reasons)
    bottom = result.infeasible_below
    tail = (
        ""
        if bottom is None or bottom <= 0
        else f" | no plan below {level_text(result.mode, bottom)}"
    )
    return f"{head} | {len(result.points)} steps, {result.solves} solves{tail}"


def _value(point: FrontierPoint) -> str:
    shown = formatting.significant(point.value)
    if point.proven or point.bound is None:
        return shown if point.proven else f"{shown} (no bound)"
    return f"{shown}..{formatting.significant(point.bound)}"


def _shown(count: int, rows: int | None) -> list[int]:
    """Indices of the points to list: all, or `rows` evenly spread with both ends."""
    if rows is None or count <= rows:
        return list(range(count))
    step = (count - 1) / (rows - 1)
    return sorted({round(k * step) for k in range(rows)})


def _steps(result: Frontier, rows: int | None) -> Section:
    points = result.points
    marginal = result.marginal()
    greedy = {g.budget: g for g in result.greedy}
    knee = result.knee
    per = "per +1% of budgets" if result.mode == "scale" else "per +1,000"
    unit = 0.01 if result.mode == "scale" else 1000.0
    table_rows = []
    for k in _shown(len(points), rows):
        p = points[k]
        g = greedy.get(p.budget)
        g_value = None if g is None else g.value
        rate = marginal[k]
        table_rows.append(
            Row(
                cells=(
                    level_text(result.mode, p.budget),
                    "-" if p.to is None else level_text(result.mode, p.to),
                    _value(p) + (" (knee)" if p is knee else ""),
                    None if rate is None else formatting.significant(rate * unit, 3),
                    None if g_value is None else formatting.significant(g_value),
                    None if g_value is None else formatting.significant(p.value - g_value),
                    len(p.selected),
                )
            )
        )
    notes = [
        (
            "each plan is optimal for every budget from its step's start to its end ('-': "
            "any budget above); greedy: rank by value per cost and fund in order ('-': it "
            "finds no plan)"
        )
    ]
    if rows is not None and len(points) > rows:
        notes.append(f"{len(points) - len(table_rows)} more steps: --all, or --format json")
    table = Table(
        columns=(
            Column(title="budget from", align="right"),
            Column(title="to", align="right"),
            Column(title=result.objective, align="right"),
            Column(title=per, align="right"),
            Column(title="greedy", align="right"),
            Column(title="gap", align="right"),
            Column(title="selected", align="right", style="integer"),
        ),
        rows=tuple(table_rows),
        notes=tuple(notes),
    )
    blocks: list[Line | Paragraph | Table] = [table]
    if knee is not None:
        blocks.append(
            Paragraph(
                text=f"Knee: {level_text(result.mode, knee.budget)} for {formatting.significant(knee.value)} "
                "(the step farthest above the straight line from the cheapest to the dearest "
                "plan: past it each extra unit of money buys less)."
            )
        )
    return Section(title="Steps of the frontier (highest budget first)", blocks=tuple(blocks))


def _initiatives(result: Frontier) -> Section:
    nested = result.nested
    rows = []
    for item_id, spans in result.initiatives.items():
        text = ", ".join(
            f"{level_text(result.mode, a)}.." + ("" if b is None else level_text(result.mode, b))
            for a, b in spans
        )
        rows.append(
            Row(cells=(item_id, text, "" if nested[item_id] else "enters and leaves again"))
        )
    table = Table(
        columns=(
            Column(title="initiative", max_width=28),
            Column(title="in the optimal plan for budgets", max_width=80),
            Column(title=""),
        ),
        rows=tuple(rows),
        notes=("portfolios need not be nested: a larger budget can swap an initiative out",),
    )
    return Section(title="Who is in when", blocks=(table,))


def pareto_view(result: "Pareto", *, client: str = "", rows: int | None = 40) -> Document:
    """Proof status, then the nondominated plans (at most `rows`, evenly spread)."""
    first, second = (result.label(o) for o in result.objectives)
    return Document(
        title=f"Pareto front{f': {client}' if client else ''} ({first} against {second})",
        lead=(Line(text=_front_status(result)),),
        sections=(_front_points(result, rows),),
    )


def _front_status(result: "Pareto") -> str:
    if result.complete:
        head = "Complete: every nondominated plan found, every point proven"
    else:
        reasons = [] if all(p.proven for p in result.points) else ["some solves hit their limit"]
        head = "Incomplete: " + "; ".join([*reasons, *([result.stopped] if result.stopped else [])])
    volume = formatting.significant(result.hypervolume()) if result.points else "0"
    return (
        f"{head} | {formatting.plural(len(result.points), 'point')}, {result.solves} solves | "
        f"hypervolume {volume} (up to the front's nadir)"
    )


def _front_points(result: "Pareto", rows: int | None) -> Section:
    first, second = (result.label(o) for o in result.objectives)
    shown = _shown(len(result.points), rows)
    table_rows = []
    previous: set[str] | None = None
    for k in shown:
        p = result.points[k]
        now = set(p.selected)
        change = "" if previous is None else _swap(previous, now)
        previous = now
        value = formatting.significant(p.values[0])
        if not p.proven:
            value += f" (bound {formatting.significant(p.bound)})"
        table_rows.append(
            Row(cells=(value, formatting.significant(p.values[1]), len(p.selected), change))
        )
    senses = {
        result.label(o): "max" if s > 0 else "min"
        for o, s in zip(result.objectives, result.senses, strict=True)
    }
    notes = [
        (
            f"{first} ({senses[first]}) best first; each point is the best {first} with {second} "
            f"at least {formatting.significant(result.step)} better than the point above it"
        )
    ]
    if rows is not None and len(result.points) > rows:
        notes.append(f"{len(result.points) - len(shown)} more points: --all, or --format json")
    table = Table(
        columns=(
            Column(title=first, align="right"),
            Column(title=second, align="right"),
            Column(title="selected", align="right", style="integer"),
            Column(title="against the point above", max_width=80),
        ),
        rows=tuple(table_rows),
        notes=tuple(notes),
    )
    return Section(title="Nondominated plans", blocks=(table,))


def _swap(before: set[str], after: set[str]) -> str:
    parts = [f"+{i}" for i in sorted(after - before)] + [f"-{i}" for i in sorted(before - after)]
    return " ".join(parts) if parts else "same initiatives, other starts"
