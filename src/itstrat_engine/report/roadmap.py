"""Views of a plan: status, roadmap grid, what each business objective gets, money, people.

`plan_view` is everything ``itstrat plan`` prints; the other builders are its parts.
"""

import attrs

from itstrat_engine import formatting
from itstrat_engine.graph import StrategyGraph
from itstrat_engine.optimize.business_case import BusinessCase, business_case
from itstrat_engine.optimize.result import Plan, Status
from itstrat_engine.report.views import (
    Block,
    Column,
    Document,
    Line,
    Paragraph,
    Roadmap,
    Row,
    Section,
    Span,
    Table,
)

__all__ = [
    "ObjectiveInitiatives",
    "findings_section",
    "never_schedulable_line",
    "not_selected_line",
    "objective_initiatives",
    "objectives_section",
    "plan_title",
    "plan_view",
    "roadmap",
    "roadmap_section",
    "skill_table",
    "spend_table",
    "status_line",
]


@attrs.frozen(kw_only=True)
class ObjectiveInitiatives:
    """What one business objective gets: the selected initiatives that trace to it."""

    objective: str
    name: str
    initiatives: tuple[str, ...]


def plan_view(plan: Plan, *, rows: int | None = None, timings: bool = True) -> Document:
    """The plan as a consultant reads it: status, roadmap, objectives, spend and skills.

    An infeasible plan shows what must give instead of the roadmap. `rows` caps the roadmap
    grid and the lists of ids (the rest are counted); None shows everything. `timings=False`
    leaves out the solver and the seconds (`status_line`).
    """
    case = business_case(plan) if plan.status.has_plan else None
    lead = lead_lines(plan, case, timings=timings)
    if case is None:
        findings = findings_section(plan)
        return Document(
            title=plan_title(plan),
            lead=lead,
            sections=() if findings is None else (findings,),
        )
    sections = [roadmap_section(plan, rows=rows)]
    objectives = objectives_section(plan, rows=rows)
    if objectives is not None:
        sections.append(objectives)
    currency = plan.engagement.scope.currency
    sections.append(Section(title=f"Spend per period ({currency})", blocks=(spend_table(plan),)))
    if case.has_money:
        sections.append(
            Section(
                title=f"Cash flow per period ({currency})", blocks=(cash_flow_table(case, plan),)
            )
        )
    if case.budgets:
        sections.append(
            Section(
                title=f"Budgets by year, kind and pool ({currency})",
                blocks=(budgets_table(case),),
            )
        )
    skills = skill_table(plan)
    if skills is not None:
        sections.append(
            Section(title="Skill hours per period (used/capacity+contractors)", blocks=(skills,))
        )
    return Document(title=plan_title(plan), lead=lead, sections=tuple(sections))


MAKESPAN_NOTE = (
    "Makespan: every initiative not forbidden is required, finished as early as possible"
)


def lead_lines(plan: Plan, case: BusinessCase | None, *, timings: bool = True) -> tuple[Line, ...]:
    """The status line, what the objective implies, and the business case in money."""
    lines = [Line(text=status_line(plan, timings=timings))]
    if plan.objective == "makespan":
        lines.append(Line(text=MAKESPAN_NOTE))
    if case is not None and case.has_money:
        lines.append(Line(text=money_line(case, plan)))
    return tuple(lines)


def money_line(case: BusinessCase, plan: Plan) -> str:
    """``Business case: NPV 1.2 M USD at 2% per quarter, ROI 85%, payback 2028-Q3 (7 quarters)``."""
    scope = plan.engagement.scope
    flow = case.plan
    rate = (
        f" at {formatting.percent(case.discount_rate, 1)} per {scope.period}"
        if case.discount_rate
        else ""
    )
    roi = "no spend" if flow.roi is None else formatting.percent(flow.roi)
    if flow.payback is None:
        payback = "none within the horizon" if flow.total_spend > 0 else "nothing to pay back"
    else:
        count = flow.payback_periods or 0
        payback = f"{flow.payback} ({formatting.plural(count, scope.period)})"
    return (
        f"Business case: NPV {formatting.money_short(flow.npv, scope.currency)}{rate}, "
        f"ROI {roi}, payback {payback}"
    )


def cash_flow_table(case: BusinessCase, plan: Plan) -> Table:
    """Spend, benefit, net and cumulative cash flow per period, then the totals."""
    flow = case.plan
    rows = [
        Row(cells=(label, spend, benefit, net, cumulative))
        for label, spend, benefit, net, cumulative in zip(
            plan.periods, flow.spend, flow.benefit, flow.net, flow.cumulative, strict=True
        )
    ]
    rows.append(
        Row(
            cells=(
                "total",
                flow.total_spend,
                flow.total_benefit,
                flow.total_benefit - flow.total_spend,
                None,
            )
        )
    )
    return Table(
        columns=(
            Column(title="period", min_width=8),
            *(_money_column(t, missing="") for t in ("spend", "benefit", "net", "cumulative")),
        ),
        rows=tuple(rows),
    )


def budgets_table(case: BusinessCase) -> Table:
    """Each fiscal-year, capex and opex budget: spent, limit and the share used."""
    return Table(
        columns=(
            Column(title="budget", min_width=8),
            _money_column("spent"),
            _money_column("limit"),
            _use_column(),
        ),
        rows=tuple(
            Row(
                cells=(use.name, use.spent, use.limit, use.spent / use.limit if use.limit else None)
            )
            for use in case.budgets
        ),
    )


def plan_title(plan: Plan) -> str:
    """``Client: IT roadmap 2027-Q1..2029-Q4 (12 quarters)``."""
    scope = plan.engagement.scope
    span = f"{plan.periods[0]}..{plan.periods[-1]}"
    return f"{scope.client}: IT roadmap {span} ({len(plan.periods)} {scope.period}s)"


def status_line(plan: Plan, *, timings: bool = True) -> str:
    """How sure the plan is, its objective value, and the solver and time taken (`timings`).

    Which solver won a race and the seconds differ from run to run; without them the line
    depends on the input alone.
    """
    if plan.status == Status.OPTIMAL:
        head = "Status: optimal (proven)"
    elif plan.status == Status.FEASIBLE:
        gap = "unknown" if plan.gap is None else formatting.percent(plan.gap, 2)
        head = f"Status: feasible, not proven optimal (gap {gap})"
    else:
        head = f"Status: {plan.status.value.replace('_', ' ')}"
    parts = [head]
    if plan.objective_value is not None:

        def shown(value: float) -> str:
            if plan.objective in {"npv", "cost"}:  # money: whole units, never 1.9e+06
                return formatting.money(value, plan.engagement.scope.currency)
            return formatting.significant(value)

        text = f"{plan.objective} {shown(plan.objective_value)}"
        if plan.status == Status.FEASIBLE and plan.best_bound is not None:
            # unproven: the value with the bound the solver proved on the optimum
            text += f" (bound {shown(plan.best_bound)})"
        parts.append(text)
    if timings:
        parts.append(f"{plan.solver}, {formatting.decimal(plan.seconds, 2)} s")
    return " | ".join(parts)


def findings_section(plan: Plan) -> Section | None:
    """What must give, for a plan without a schedule; None when nothing was found."""
    if not plan.findings:
        return None
    return Section(
        title="What must give:",
        blocks=tuple(Line(text=f"- {finding.message}", indent=2) for finding in plan.findings),
    )


def roadmap(plan: Plan) -> Roadmap:
    """The grid: each selected initiative from its start to its finish."""
    return Roadmap(
        periods=plan.periods,
        spans=tuple(
            Span(
                id=item.id,
                name=item.name,
                start=item.start or 0,
                finish=item.finish or 0,
                mandatory=item.mandatory,
            )
            for item in plan.selected
        ),
    )


ALL = " (--all lists them)"
"""Said after a shortened list: how to see it whole (``itstrat plan --all``)."""
OBJECTIVE_IDS = 12
"""The most ids a shortened list of what a business objective gets shows."""


def not_selected_line(plan: Plan, *, rows: int | None = None) -> Paragraph | None:
    """``Not selected: a, b`` (ids in the plan's order, wrapped); None when everything is in.

    With `rows`, at most that many ids, then how many more.
    """
    left_out = [item.id for item in plan.initiatives if not item.selected]
    if not left_out:
        return None
    shown = left_out if rows is None else left_out[:rows]
    more = f" and {len(left_out) - len(shown)} more{ALL}" if len(shown) < len(left_out) else ""
    return Paragraph(text="Not selected: " + ", ".join(shown) + more, indent=0)


def never_schedulable_line(plan: Plan) -> Paragraph | None:
    """``Can never be scheduled: a (why); b (why)``; None when every initiative could be."""
    reasons = plan.prepared.never_schedulable()
    if not reasons:
        return None
    text = "; ".join(f"{item_id} ({why})" for item_id, why in reasons.items())
    return Paragraph(text="Can never be scheduled: " + text, indent=0)


def roadmap_section(plan: Plan, *, rows: int | None = None) -> Section:
    """The roadmap grid under ``Roadmap (n of m initiatives)``, then what is left out.

    With `rows`, the grid shows the first that many initiatives (by start, then id) and
    says how many more there are.
    """
    grid = roadmap(plan)
    blocks: list[Block] = [grid]
    if rows is not None and len(grid.spans) > rows:
        blocks = [
            attrs.evolve(grid, spans=grid.spans[:rows]),
            Line(
                text=f"... and {len(grid.spans) - rows} more initiatives in the plan{ALL}",
                indent=2,
            ),
        ]
    lines = (not_selected_line(plan, rows=rows), never_schedulable_line(plan))
    blocks += [line for line in lines if line is not None]
    title = f"Roadmap ({len(plan.selected)} of {len(plan.initiatives)} initiatives)"
    return Section(title=title, blocks=tuple(blocks))


def objective_initiatives(plan: Plan) -> tuple[ObjectiveInitiatives, ...]:
    """For each business objective (file order), the selected initiatives serving it."""
    engagement = plan.engagement
    business = [o for o in engagement.objectives if o.kind == "business"]
    if not business:
        return ()
    graph = StrategyGraph(engagement)
    chosen = {item.id for item in plan.selected}
    return tuple(
        ObjectiveInitiatives(
            objective=objective.id,
            name=objective.name,
            initiatives=tuple(i for i in graph.served_by(objective.id) if i in chosen),
        )
        for objective in business
    )


def objectives_section(plan: Plan, *, rows: int | None = None) -> Section | None:
    """``What each business objective gets``; None when the plan has no business objective.

    With `rows`, each objective lists at most `OBJECTIVE_IDS` ids (fewer when `rows` is
    smaller), then how many more: with every objective, a list per objective as long as
    the roadmap would not be read.
    """
    served = objective_initiatives(plan)
    if not served:
        return None
    lines = []
    for row in served:
        ids = row.initiatives if rows is None else row.initiatives[: min(rows, OBJECTIVE_IDS)]
        more = (
            f" and {len(row.initiatives) - len(ids)} more{ALL}"
            if len(ids) < len(row.initiatives)
            else ""
        )
        names = ", ".join(ids) + more if row.initiatives else "nothing in this plan"
        count = formatting.plural(len(row.initiatives), "initiative")
        lines.append(Paragraph(text=f"{row.name}: {count} ({names})", indent=2))
    return Section(title="What each business objective gets", blocks=tuple(lines))


def spend_table(plan: Plan) -> Table:
    """Spend, budget and the share used per period, then the totals (in the plan currency)."""
    rows = [
        Row(
            cells=(
                use.label,
                use.spend,
                use.budget,
                use.spend / use.budget if use.budget else None,
            )
        )
        for use in plan.usage
    ]
    share = plan.total_spend / plan.budget if plan.budget else None
    rows.append(Row(cells=("total", plan.total_spend, plan.budget, share)))
    return Table(
        columns=(
            Column(title="period", min_width=8),
            _money_column("spend"),
            _money_column("budget"),
            _use_column(),
        ),
        rows=tuple(rows),
    )


def _money_column(title: str, missing: str = "-") -> Column:
    return Column(title=title, align="right", style="money", min_width=12, gap=1, missing=missing)


def _use_column() -> Column:
    """The share of a limit used, as a whole percentage."""
    return Column(
        title="use", align="right", style="percent", digits=0, missing="", min_width=6, gap=1
    )


def skill_table(plan: Plan) -> Table | None:
    """Hours used, in-house capacity and contractor hours per skill and period.

    None when the plan uses no skills.
    """
    skills = sorted({name for use in plan.usage for name in use.skills})
    if not skills:
        return None
    return Table(
        columns=(
            Column(title="period"),
            *(Column(title=skill, align="right") for skill in skills),
        ),
        rows=tuple(
            Row(cells=(use.label, *(use.skills[skill] for skill in skills))) for use in plan.usage
        ),
    )
