"""The report a consultant hands to a client: one `ClientReport` from a plan and its analyses.

`build_report` composes results that already exist (a plan, its assessment, and when asked
its explanations, frontier and scenarios) into sections in the order a leadership team
reads them: executive summary, objectives and weights, current state, ranked initiatives,
roadmap, money and people, frontier and scenarios, appendix. `report` runs the analyses
first (plan, assess, and on request explain, frontier, what_if), then builds.

Nothing here depends on the run (seconds, which solver won a race) unless `timings` is
asked for, so equal input gives an equal report, and equal bytes in every format.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Unpack

import attrs

from itstrat_engine import formatting
from itstrat_engine.assessment import Assessment, assess
from itstrat_engine.errors import InvalidEngagementError, Problem
from itstrat_engine.graph import StrategyGraph
from itstrat_engine.model import Engagement, Response
from itstrat_engine.optimize.business_case import business_case
from itstrat_engine.optimize.result import Plan, Status
from itstrat_engine.report.assessment import weights_table
from itstrat_engine.report.comparison import what_if_view
from itstrat_engine.report.document import (
    Chart,
    ClientReport,
    FrontierChart,
    GanttBar,
    GanttChart,
    Heading,
    KeyFigures,
    MatrixChart,
    MatrixPoint,
    MaturityChart,
    MaturityItem,
    PeriodChart,
    ReportBlock,
    ReportSection,
)
from itstrat_engine.report.frontier import frontier_view
from itstrat_engine.report.ranking import breakdown
from itstrat_engine.report.roadmap import skill_table, spend_table
from itstrat_engine.report.views import Column, Paragraph, Row, Table
from itstrat_engine.scenarios import Scenario, WhatIf

if TYPE_CHECKING:
    from itstrat_engine.explanations import Explanation
    from itstrat_engine.frontiers import Frontier
    from itstrat_engine.optimize.preparation import Overrides
    from itstrat_engine.rules.evaluate import PackReference

__all__ = ["Progress", "build_report", "proof_sentence", "report"]

Progress = Callable[[str], None]
"""Told what a long step is doing (``"explaining 4 initiatives"``); the CLI shows it."""

FRONTIER_LOW, FRONTIER_HIGH, FRONTIER_STEP = 0.5, 1.25, 0.05
"""The frontier in a report: from half to 1.25 times the total budget, in 5% steps."""

KEEP_THE_LIGHTS_ON = "Keeps the lights on"
"""The swimlane of initiatives that serve no business objective."""


def report(
    subject: Engagement | Plan,
    *,
    responses: Sequence[Response] = (),
    scenarios: Sequence[Scenario] = (),
    frontier: bool = False,
    explain: bool = False,
    time_budget: float | None = None,
    timings: bool = False,
    progress: Progress | None = None,
    rules: "PackReference | Iterable[PackReference] | None" = None,
    params: Mapping[str, object] | None = None,
    **overrides: "Unpack[Overrides]",
) -> ClientReport:
    """Plan (unless given a plan), assess, analyse as asked, and build the client report.

    `responses` are survey answers added to the engagement's own (from
    `read_survey_csv`), used by the assessment and the plan alike; given a plan, the
    plan's own engagement (and its answers) is used as it is. `explain` gives each
    initiative left out its proven reason; `frontier` adds the efficient frontier with
    this plan on it; `scenarios` adds the what-if comparison. `time_budget` (seconds)
    bounds each of the explanations and the frontier sweep. `rules`, `params` and
    `overrides` are those of `plan`, used by every re-plan. Raises
    `InvalidEngagementError` for invalid input and for a plan without a schedule (its
    findings say what must give).

    >>> import itstrat_engine as it
    >>> r = it.client_report(it.generate(5, seed=2), time_limit=10)
    >>> [s.id for s in r.sections]
    ['summary', 'objectives', 'current-state', 'initiatives', 'roadmap', 'resources', 'appendix']
    """
    from itstrat_engine.optimize.planner import plan as make_plan  # noqa: PLC0415 - PuLP

    tell = progress or (lambda _message: None)
    if isinstance(subject, Plan):
        the_plan = subject
        engagement = subject.prepared.engagement
    else:
        engagement = subject
        if responses:
            engagement = attrs.evolve(engagement, responses=(*engagement.responses, *responses))
        tell("planning")
        the_plan = make_plan(engagement, rules=rules, params=params, **overrides)
    if not the_plan.status.has_plan:
        raise InvalidEngagementError(
            [
                Problem(
                    code="no-plan",
                    path="plan",
                    message=f"the plan is {the_plan.status.value}: there is no roadmap to report",
                    suggestion="; ".join(f.message for f in the_plan.findings)
                    or "run itstrat plan to see what must give",
                )
            ]
        )
    tell("assessing")
    assessment = assess(engagement)
    explanations = None
    if explain:
        from itstrat_engine.explanations import explain as explain_plan  # noqa: PLC0415

        left_out = [i.id for i in the_plan.initiatives if not i.selected]
        tell(f"explaining {formatting.plural(len(left_out), 'initiative')} left out")
        explanations = explain_plan(the_plan, left_out, blocking=False, time_budget=time_budget)
    swept = None
    if frontier:
        from itstrat_engine.frontiers import frontier as sweep  # noqa: PLC0415

        tell("sweeping the budget frontier")
        # Around this roadmap's budget, in steps of a twentieth of it: what a little more
        # or less would buy is the client's question, and every breakpoint of a large
        # portfolio would cost a solve each.
        budget = the_plan.budget
        swept = sweep(
            engagement,
            low=budget * FRONTIER_LOW if budget else None,
            high=budget * FRONTIER_HIGH if budget else None,
            resolution=budget * FRONTIER_STEP if budget else 0.0,
            time_budget=time_budget,
            rules=rules,
            params=params,
            **overrides,
        )
    compared = None
    if scenarios:
        from itstrat_engine.scenarios import what_if  # noqa: PLC0415

        tell(f"planning {formatting.plural(len(scenarios), 'scenario')}")
        compared = what_if(engagement, scenarios, rules=rules, params=params, **overrides)
    tell("building the report")
    return build_report(
        the_plan,
        assessment=assessment,
        explanations=explanations,
        frontier=swept,
        what_if=compared,
        timings=timings,
    )


def build_report(
    plan: Plan,
    *,
    assessment: Assessment | None = None,
    explanations: "Sequence[Explanation] | None" = None,
    frontier: "Frontier | None" = None,
    what_if: WhatIf | None = None,
    timings: bool = False,
) -> ClientReport:
    """The client report of a plan with a schedule, from results already computed.

    `assessment` defaults to `assess` of the plan's engagement as given. `timings` adds
    what depends on the run (the solver that answered, seconds) to the appendix.

    >>> import itstrat_engine as it
    >>> r = build_report(it.plan(it.generate(5, seed=2), time_limit=10))
    >>> r.section("summary").title, [c.id for c in r.charts][:2]
    ('Executive summary', ['chart-matrix', 'chart-maturity'])
    """
    if not plan.status.has_plan:
        raise InvalidEngagementError(
            [
                Problem(
                    code="no-plan",
                    path="plan",
                    message=f"a {plan.status.value} plan has no roadmap to report",
                    suggestion="see what must give in the plan's findings",
                )
            ]
        )
    given = plan.prepared.engagement
    result = assessment if assessment is not None else assess(given)
    sections = [
        summary_section(plan, result),
        objectives_section(plan, result),
        current_state_section(plan, result),
        initiatives_section(plan, explanations),
        roadmap_section(plan, result),
        resources_section(plan),
    ]
    if frontier is not None:
        sections.append(frontier_section(plan, frontier))
    if what_if is not None:
        sections.append(scenarios_section(what_if))
    sections.append(appendix_section(plan, result, timings=timings))
    scope = given.scope
    subtitle = (
        f"IT strategy roadmap, {plan.periods[0]} to {plan.periods[-1]} "
        f"({formatting.plural(len(plan.periods), scope.period)})"
    )
    return ClientReport(title=scope.client, subtitle=subtitle, sections=tuple(sections))


# --------------------------------------------------------------------------- summary


def _value_text(plan: Plan, value: float) -> str:
    if plan.objective in {"npv", "cost"}:  # money: whole units
        return formatting.money(value, plan.engagement.scope.currency)
    return formatting.significant(value)


def proof_sentence(plan: Plan) -> str:
    """How sure the plan is, in plain words: proven optimal, or how far from the bound.

    >>> import itstrat_engine as it
    >>> proof_sentence(it.plan(it.generate(4, seed=1), time_limit=10))[:15]
    'Proven optimal:'
    """
    what = "value" if plan.objective in {"value", "coverage", "npv"} else plan.objective
    maximize = plan.objective in {"value", "coverage", "npv"}
    shown = "" if plan.objective_value is None else _value_text(plan, plan.objective_value)
    if plan.status == Status.OPTIMAL:
        better = "scores higher on the weighted objectives" if maximize else "does better"
        return (
            f"Proven optimal: the solver proved that no other plan within these budgets, "
            f"capacities and rules {better} ({what} {shown})."
        )
    if plan.status == Status.FEASIBLE:
        gap = "an unknown distance" if plan.gap is None else formatting.percent(plan.gap, 1)
        if plan.best_bound is None:
            return (
                f"Best plan found, not proven optimal: {what} {shown}; the solver stopped "
                "at its time limit without a bound."
            )
        bound = _value_text(plan, plan.best_bound)
        limit = "no plan can score above" if maximize else "no plan can do better than"
        return (
            f"Best plan found, within {gap} of the bound: {what} {shown}, and {limit} "
            f"{bound}. The solver stopped at its time limit before proving it optimal."
        )
    return f"No roadmap: the plan is {plan.status.value.replace('_', ' ')}."


def _business_served(plan: Plan, result: Assessment) -> list[tuple[str, str, float, list[str]]]:
    """(id, name, weight, selected initiatives serving it) per business objective."""
    graph = StrategyGraph(plan.engagement)
    chosen = {item.id for item in plan.selected}
    return [
        (
            objective.id,
            objective.name,
            result.weights.weights.get(objective.id, 0.0),
            [i for i in graph.served_by(objective.id) if i in chosen],
        )
        for objective in plan.engagement.objectives
        if objective.kind == "business"
    ]


def _figures_table(rows: list[tuple[str, str]]) -> Table:
    return Table(
        columns=(Column(title="figure"), Column(title="value", align="right")),
        rows=tuple(Row(cells=row) for row in rows),
    )


def summary_section(plan: Plan, result: Assessment) -> ReportSection:
    """Mission and vision, the headline in money, periods and objectives, proof status."""
    scope = plan.prepared.engagement.scope
    currency = scope.currency
    selected = plan.selected
    served = _business_served(plan, result)
    reached = sum(1 for *_, ids in served if ids)
    # A plan's item cost includes its run cost to the horizon: the one-off cost is the file's.
    one_off = sum(plan.engagement.initiative_by_id[item.id].cost for item in selected)
    span = f"{plan.periods[0]} to {plan.periods[-1]}"
    budget = (
        f" against a total budget of {formatting.money(plan.budget, currency)}"
        if plan.budget
        else ""
    )
    objectives = f", and serves {reached} of {len(served)} business objectives" if served else ""
    headline = (
        f"The roadmap funds {len(selected)} of {len(plan.initiatives)} proposed initiatives "
        f"over {formatting.plural(len(plan.periods), scope.period)} ({span}): "
        f"{formatting.money(plan.total_spend, currency)} of total IT spend{budget}"
        f"{objectives}."
    )
    blocks: list[ReportBlock] = []
    if scope.mission:
        blocks.append(Paragraph(text=f"Mission: {scope.mission}", indent=0))
    if scope.vision:
        blocks.append(Paragraph(text=f"IT vision: {scope.vision}", indent=0))
    blocks += [Paragraph(text=headline, indent=0), Paragraph(text=proof_sentence(plan), indent=0)]
    figures = [
        ("Initiatives in the roadmap", f"{len(selected)} of {len(plan.initiatives)}"),
        ("Mandatory initiatives", str(sum(1 for item in selected if item.mandatory))),
        ("One-off cost of the roadmap", formatting.money(one_off, currency)),
        ("Total spend over the horizon", formatting.money(plan.total_spend, currency)),
    ]
    if plan.budget:
        figures.append(("Total budget", formatting.money(plan.budget, currency)))
        figures.append(("Budget used", formatting.percent(plan.total_spend / plan.budget, 1)))
    finishes = [item.finish for item in selected]
    if finishes:
        last = max(finishes) - 1
        figures.append(("Last initiative finishes", plan.periods[last]))
    case = business_case(plan)
    if case.has_money:
        figures += _business_case_figures(plan)
    figures.append(("Proof", _proof_figure(plan)))
    blocks.append(KeyFigures(figures=tuple(figures)))
    if case.has_money:
        blocks.append(
            Paragraph(
                text="Net present value, return and payback count only the benefits the "
                "engagement puts in money (each initiative's benefit per period); what the "
                "roadmap does for the weighted objectives is not priced in them.",
                indent=0,
            )
        )
    if served:
        blocks.append(
            Table(
                columns=(
                    Column(title="business objective"),
                    Column(title="weight", align="right", style="percent"),
                    Column(title="initiatives", align="right", style="integer"),
                    Column(title="first delivered", align="right"),
                ),
                rows=tuple(
                    Row(cells=(name, weight, len(ids), _first_delivery(plan, ids)))
                    for _, name, weight, ids in served
                ),
                notes=("first delivered: the period the first initiative serving it finishes",),
            )
        )
    return ReportSection(id="summary", title="Executive summary", blocks=tuple(blocks))


def _proof_figure(plan: Plan) -> str:
    """``proven optimal``, or how far from proven: ``best found, within 1.1% of the bound``."""
    if plan.status == Status.OPTIMAL:
        return "proven optimal"
    if plan.gap is None or plan.best_bound is None:
        return "best found, no bound"
    return f"best found, within {formatting.percent(plan.gap, 1)} of the bound"


def _business_case_figures(plan: Plan) -> list[tuple[str, str]]:
    """Net present value, return on investment and payback, each as its own figure."""
    case = business_case(plan)
    scope = plan.engagement.scope
    flow = case.plan
    rate = (
        f" at {formatting.percent(case.discount_rate, 1)} per {scope.period}"
        if case.discount_rate
        else ""
    )
    if flow.payback is None:
        payback = "none within the horizon" if flow.total_spend > 0 else "nothing to pay back"
    else:
        payback = f"{flow.payback} ({formatting.plural(flow.payback_periods or 0, scope.period)})"
    return [
        (f"Net present value{rate}", formatting.money_short(flow.npv, scope.currency)),
        ("Return on investment", "no spend" if flow.roi is None else formatting.percent(flow.roi)),
        ("Payback", payback),
    ]


def _first_delivery(plan: Plan, ids: Sequence[str]) -> str | None:
    ends = [plan.initiative(i).finish for i in ids]
    done = [end for end in ends if end is not None]
    return plan.periods[min(done) - 1] if done else None


# --------------------------------------------------------------------------- objectives


def objectives_section(plan: Plan, result: Assessment) -> ReportSection:
    """Each objective, its weight (AHP consistency in the notes) and what it measures."""
    given = plan.prepared.engagement
    blocks: list[ReportBlock] = [
        Paragraph(
            text=f"{_method_text(result.weights.method)}; IT objectives carry "
            "the weight of the business objectives they support.",
            indent=0,
        ),
        weights_table(result, given),
    ]
    blocks.append(
        Table(
            columns=(
                Column(title="objective"),
                Column(title="name"),
                Column(title="kind"),
                Column(title="metric"),
                Column(title="target"),
            ),
            rows=tuple(
                Row(
                    cells=(
                        o.id,
                        o.name,
                        o.kind,
                        o.metric or None,
                        o.target or None,
                    )
                )
                for o in given.objectives
            ),
        )
    )
    return ReportSection(
        id="objectives", title="Objectives and their weights", blocks=tuple(blocks)
    )


def _method_text(method: str) -> str:
    return {
        "pairwise": "Weights come from pairwise comparisons (AHP, consistency below)",
        "direct": "Weights are the ones agreed in the engagement",
        "equal": "Objectives weigh equally (no weights were given)",
    }.get(method, f"Weights by {method}")


# --------------------------------------------------------------------------- current state


def current_state_section(plan: Plan, result: Assessment) -> ReportSection:
    """The importance x satisfaction matrix, maturity gaps, key issues and who addresses them."""
    blocks: list[ReportBlock] = []
    survey = result.survey
    if survey is not None:
        blocks.append(
            Paragraph(
                text=f"Survey: {formatting.plural(survey.responses, 'response')} from "
                f"{formatting.plural(len(survey.department_summary), 'department')}; overall "
                f"satisfaction {formatting.decimal(survey.overall_satisfaction)} on a "
                f"{formatting.compact(survey.scale_min)}-{formatting.compact(survey.scale_max)} "
                "scale.",
                indent=0,
            )
        )
        matrix = matrix_chart(result)
        if matrix is not None:
            blocks.append(matrix)
    else:
        blocks.append(
            Paragraph(
                text="No stakeholder survey was given (add answers with --survey FILE.csv), "
                "so the importance x satisfaction matrix is not shown.",
                indent=0,
            )
        )
    maturity = maturity_chart(result)
    if maturity is not None:
        blocks.append(maturity)
    blocks.append(issues_table(plan, result))
    return ReportSection(id="current-state", title="Current state", blocks=tuple(blocks))


def matrix_chart(result: Assessment) -> Chart | None:
    """Services on importance (x) against satisfaction (y); None without answers."""
    survey = result.survey
    if survey is None or survey.mean_importance is None or survey.mean_satisfaction is None:
        return None
    points = tuple(
        MatrixPoint(
            service=s.service,
            name=s.name,
            importance=s.importance,
            satisfaction=s.satisfaction,
            quadrant=s.quadrant or "",
        )
        for s in survey.services
        if s.importance is not None and s.satisfaction is not None
    )
    if not points:
        return None
    fix = [p.service for p in points if p.quadrant == "fix"]
    alt = (
        f"Scatter chart of {formatting.plural(len(points), 'service')} by importance and "
        f"satisfaction, split at mean importance {formatting.decimal(survey.mean_importance)} "
        f"and mean satisfaction {formatting.decimal(survey.mean_satisfaction)}. "
        f"Important but unsatisfying (fix first): {', '.join(fix) or 'none'}."
    )
    data = Table(
        columns=(
            Column(title="service"),
            Column(title="name"),
            Column(title="importance", align="right", style="decimal"),
            Column(title="satisfaction", align="right", style="decimal"),
            Column(title="quadrant"),
        ),
        rows=tuple(
            Row(cells=(p.service, p.name, p.importance, p.satisfaction, p.quadrant)) for p in points
        ),
    )
    return Chart(
        id="chart-matrix",
        title="Importance against satisfaction per IT service",
        alt=alt,
        spec=MatrixChart(
            points=points,
            importance_split=survey.mean_importance,
            satisfaction_split=survey.mean_satisfaction,
            scale_min=survey.scale_min,
            scale_max=survey.scale_max,
        ),
        data=data,
    )


def maturity_chart(result: Assessment) -> Chart | None:
    """Current against target maturity per service; None when nothing is rated."""
    gaps = result.maturity.gaps
    if not gaps:
        return None
    widest = gaps[0]
    alt = (
        f"Bar chart of current against target maturity (0-5) for "
        f"{formatting.plural(len(gaps), 'service')}; the widest gap is {widest.service} "
        f"({formatting.compact(widest.current)} today, target {formatting.compact(widest.target)})."
    )
    data = Table(
        columns=(
            Column(title="service"),
            Column(title="current", align="right", style="compact"),
            Column(title="target", align="right", style="compact"),
            Column(title="gap", align="right", style="compact"),
        ),
        rows=tuple(Row(cells=(g.service, g.current, g.target, g.gap)) for g in gaps),
    )
    return Chart(
        id="chart-maturity",
        title="Maturity gaps: current against target (0-5)",
        alt=alt,
        spec=MaturityChart(
            items=tuple(
                MaturityItem(service=g.service, current=g.current, target=g.target) for g in gaps
            )
        ),
        data=data,
    )


def issues_table(plan: Plan, result: Assessment) -> Table:
    """Each key issue, its severity, and the initiatives that address it (in or out)."""
    initiatives = plan.engagement.initiatives
    chosen = {item.id: item for item in plan.selected}
    rows = []
    for issue in result.derived_issues.merged:
        fixes = [i.id for i in initiatives if issue.id in i.addresses]
        in_plan = [f"{i} ({chosen[i].start_label})" for i in fixes if i in chosen]
        left = [i for i in fixes if i not in chosen]
        rows.append(
            Row(
                cells=(
                    issue.id,
                    issue.name,
                    issue.severity,
                    ", ".join(in_plan) or "none",
                    ", ".join(left) or None,
                )
            )
        )
    return Table(
        columns=(
            Column(title="key issue"),
            Column(title="name"),
            Column(title="severity", align="right", style="decimal"),
            Column(title="addressed in the roadmap (from)"),
            Column(title="addressing it, left out"),
        ),
        rows=tuple(rows),
        notes=("issues derived from the survey and maturity data are listed with the file's",),
    )


# --------------------------------------------------------------------------- ranking


def initiatives_section(plan: Plan, explanations: "Sequence[Explanation] | None") -> ReportSection:
    """The ranked initiatives with their rule breakdowns, then why each left out is out."""
    ranked = plan.prioritization.initiatives
    packs = ", ".join(pack.id for pack in plan.prioritization.packs)
    currency = plan.engagement.scope.currency
    costs = {i.id: i.cost for i in plan.engagement.initiatives}
    rows = []
    for scored in ranked:
        item = plan.initiative(scored.id)
        where = _period_range(item.start_label, item.end_label) if item.selected else "left out"
        rows.append(
            Row(
                cells=(scored.rank, scored.id, scored.name, scored.score, where, costs[scored.id]),
                details=breakdown(scored),
            )
        )
    ranking = Table(
        columns=(
            Column(title="#", align="right", style="integer"),
            Column(title="initiative"),
            Column(title="name"),
            Column(title="score", align="right", style="score"),
            Column(title="roadmap"),
            Column(title=f"one-off cost ({currency})", align="right", style="money"),
        ),
        rows=tuple(rows),
    )
    scored_by = f"Scored with the rule packs {packs}" if packs else "Scored by their own values"
    blocks: list[ReportBlock] = [
        Paragraph(
            text=f"{scored_by}; under each initiative, how its score came about, rule by rule.",
            indent=0,
        ),
        ranking,
    ]
    reasons = left_out_reasons(plan, explanations)
    if reasons:
        blocks.append(
            Table(
                columns=(Column(title="left out"), Column(title="why")),
                rows=tuple(Row(cells=(item_id, why)) for item_id, why in reasons.items()),
                notes=()
                if explanations is not None
                else ("re-run with --explain for the proven cost of forcing each one in",),
            )
        )
    return ReportSection(
        id="initiatives", title="Initiatives, highest score first", blocks=tuple(blocks)
    )


def _period_range(first: str | None, last: str | None) -> str:
    if first is None:
        return ""
    return first if last in {None, first} else f"{first} to {last}"


def left_out_reasons(
    plan: Plan, explanations: "Sequence[Explanation] | None" = None
) -> dict[str, str]:
    """One line per initiative left out: its proven reasons when explained, else the gates."""
    explained = {x.id: x for x in explanations or ()}
    never = plan.prepared.never_schedulable()
    scores = {s.id: s for s in plan.prioritization.initiatives}
    reasons: dict[str, str] = {}
    for item in plan.initiatives:
        if item.selected:
            continue
        if item.id in explained and explained[item.id].reasons:
            reasons[item.id] = "; ".join(explained[item.id].reasons)
            continue
        scored = scores.get(item.id)
        if scored is not None and scored.forbidden:
            who = ", ".join(scored.forbidden_by) or "the engagement file"
            reasons[item.id] = f"forbidden by {who}"
        elif item.id in never:
            reasons[item.id] = f"can never be scheduled: {never[item.id]}"
        else:
            reasons[item.id] = (
                "not chosen: within the budgets and capacities, the initiatives in the "
                "roadmap serve the objectives better"
            )
    return reasons


# --------------------------------------------------------------------------- roadmap


def gantt_chart(plan: Plan, result: Assessment) -> Chart:
    """The roadmap as a Gantt chart: a swimlane per business objective, arrows for `requires`.

    An initiative serving several business objectives sits in the lane of the one it
    does most for (its alignment strength times the objective's weight; then strength,
    then file order); one serving none in ``Keeps the lights on``.
    """
    engagement = plan.engagement
    graph = StrategyGraph(engagement)
    business = [o for o in engagement.objectives if o.kind == "business"]
    order = {o.id: k for k, o in enumerate(business)}
    names = {o.id: o.name for o in business}
    weights = result.weights.weights
    bars = []
    aligned = result.alignment

    def strength(objective: str, item_id: str) -> float:
        try:
            return aligned.cell(objective, item_id)
        except KeyError:  # not in the alignment matrix: no measured strength
            return 0.0

    for item in plan.selected:
        served = [o for o in graph.serves(item.id) if o in order]
        lane = (
            names[
                min(
                    served,
                    key=lambda o: (
                        -strength(o, item.id) * weights.get(o, 0.0),
                        -strength(o, item.id),
                        order[o],
                    ),
                )
            ]
            if served
            else KEEP_THE_LIGHTS_ON
        )
        bars.append(
            GanttBar(
                id=item.id,
                name=item.name,
                lane=lane,
                start=item.start,
                finish=item.finish,
                mandatory=item.mandatory,
            )
        )
    used = {bar.lane for bar in bars}
    lanes = tuple(o.name for o in business if o.name in used)
    if KEEP_THE_LIGHTS_ON in used:
        lanes += (KEEP_THE_LIGHTS_ON,)
    lane_rank = {lane: k for k, lane in enumerate(lanes)}
    bars.sort(key=lambda b: (lane_rank[b.lane], b.start, b.id))
    chosen = {bar.id for bar in bars}
    arrows = tuple(
        sorted(
            (required, item.id)
            for item in plan.selected
            for required in engagement.initiative_by_id[item.id].requires
            if required in chosen
        )
    )
    mandatory = [bar.id for bar in bars if bar.mandatory]
    alt = (
        f"Gantt chart of {formatting.plural(len(bars), 'initiative')} over "
        f"{formatting.plural(len(plan.periods), engagement.scope.period)} "
        f"({plan.periods[0]} to {plan.periods[-1]}) in {formatting.plural(len(lanes), 'swimlane')} "
        f"by business objective; {len(arrows)} {'dependency' if len(arrows) == 1 else 'dependencies'} "
        "drawn as arrows; "
        f"mandatory: {', '.join(mandatory) or 'none'}. The table below lists every bar."
    )
    data = Table(
        columns=(
            Column(title="lane"),
            Column(title="initiative"),
            Column(title="name"),
            Column(title="from"),
            Column(title="to"),
            Column(title="mandatory"),
            Column(title="requires"),
        ),
        rows=tuple(
            Row(
                cells=(
                    bar.lane,
                    bar.id,
                    bar.name,
                    plan.periods[bar.start],
                    plan.periods[bar.finish - 1],
                    "yes" if bar.mandatory else "",
                    ", ".join(a for a, b in arrows if b == bar.id) or None,
                )
            )
            for bar in bars
        ),
    )
    return Chart(
        id="chart-gantt",
        title="Roadmap by business objective",
        alt=alt,
        spec=GanttChart(periods=plan.periods, lanes=lanes, bars=tuple(bars), arrows=arrows),
        data=data,
    )


def roadmap_section(plan: Plan, result: Assessment) -> ReportSection:
    """The Gantt chart and what each business objective gets."""
    blocks: list[ReportBlock] = [gantt_chart(plan, result)]
    served = _business_served(plan, result)
    if served:
        blocks.append(
            Table(
                columns=(
                    Column(title="business objective"),
                    Column(title="initiatives serving it"),
                ),
                rows=tuple(
                    Row(cells=(name, ", ".join(ids) or "nothing in this roadmap"))
                    for _, name, _, ids in served
                ),
            )
        )
    return ReportSection(id="roadmap", title="The roadmap", blocks=tuple(blocks))


# --------------------------------------------------------------------------- money and people


def spend_chart(plan: Plan) -> Chart:
    """Spend against the budget per period."""
    currency = plan.engagement.scope.currency
    peak = max(plan.usage, key=lambda use: (use.spend, -use.period))
    alt = (
        f"Bar chart of spend per period against the period budget, in {currency}; total "
        f"{formatting.money(plan.total_spend, currency)}, highest in {peak.label} "
        f"({formatting.money(peak.spend, currency)})."
    )
    return Chart(
        id="chart-spend",
        title=f"Spend against budget per {plan.engagement.scope.period} ({currency})",
        alt=alt,
        spec=PeriodChart(
            periods=plan.periods,
            used=tuple(use.spend for use in plan.usage),
            limit=tuple(use.budget for use in plan.usage),
            unit=currency,
            used_label="spend",
            limit_label="budget",
        ),
        data=spend_table(plan),
    )


def hours_charts(plan: Plan) -> list[Chart]:
    """Hours used against capacity per period, one chart per skill (file order: sorted)."""
    skills = sorted({name for use in plan.usage for name in use.skills})
    charts = []
    for number, skill in enumerate(skills, 1):
        uses = [use.skills[skill] for use in plan.usage]
        contractor = tuple(u.contractor for u in uses)
        loads = [u.used / u.capacity if u.capacity else 0.0 for u in uses]
        busiest = max(range(len(uses)), key=lambda t: (loads[t], -t))
        load = uses[busiest]
        share = (
            f" ({formatting.percent(load.used / load.capacity)} of capacity)"
            if load.capacity
            else ""
        )
        alt = (
            f"Bar chart of {skill} hours used per period against capacity; busiest period "
            f"{plan.periods[busiest]} with {formatting.hours(load.used)}{share}"
            + (
                f"; contractors add {formatting.hours(sum(contractor))} in all."
                if any(contractor)
                else "."
            )
        )
        data = Table(
            columns=(
                Column(title="period"),
                Column(title="used", align="right", style="compact"),
                Column(title="capacity", align="right", style="compact"),
                Column(title="contractor", align="right", style="compact"),
            ),
            rows=tuple(
                Row(cells=(label, u.used, u.capacity, u.contractor))
                for label, u in zip(plan.periods, uses, strict=True)
            ),
        )
        charts.append(
            Chart(
                id=f"chart-hours-{number}",
                title=f"{skill}: hours against capacity per {plan.engagement.scope.period}",
                alt=alt,
                spec=PeriodChart(
                    periods=plan.periods,
                    # `used` counts contractor hours: the bar is in-house, contractors on top
                    used=tuple(u.used - u.contractor for u in uses),
                    limit=tuple(u.capacity for u in uses),
                    unit="hours",
                    used_label="in-house hours",
                    limit_label="capacity",
                    extra=contractor,
                    extra_label="contractor hours",
                ),
                data=data,
            )
        )
    return charts


def resources_section(plan: Plan) -> ReportSection:
    """Spend against budget and hours against capacity, per period, with their tables."""
    blocks: list[ReportBlock] = [spend_chart(plan)]
    blocks += hours_charts(plan)
    skills = skill_table(plan)
    if skills is not None:
        blocks.append(Heading(text="Hours per period and skill (used/capacity+contractors)"))
        blocks.append(skills)
    return ReportSection(id="resources", title="Money and people per period", blocks=tuple(blocks))


# --------------------------------------------------------------------------- frontier, scenarios


def frontier_section(plan: Plan, result: "Frontier") -> ReportSection:
    """The frontier chart with this plan on it, then the frontier's own tables."""
    currency = plan.engagement.scope.currency
    points = result.points
    greedy = [g for g in result.greedy if g.value is not None]
    chosen_budget = plan.budget if plan.budget is not None else plan.total_spend
    knee = (
        f" from {formatting.money(points[-1].budget, currency)} to "
        f"{formatting.money(points[0].budget, currency)}"
        if points
        else ""
    )
    alt = (
        f"Step chart of the best {result.objective} at each total budget{knee} "
        f"({formatting.plural(len(points), 'step')}), with the greedy rank-and-fund curve and "
        f"this roadmap's point at {formatting.money(chosen_budget, currency)}."
    )
    view = frontier_view(result, client=plan.engagement.scope.client, rows=None)
    chart = Chart(
        id="chart-frontier",
        title=f"Efficient frontier: {result.objective} against total budget ({currency})",
        alt=alt,
        spec=FrontierChart(
            budgets=tuple(p.budget for p in points),
            values=tuple(p.value for p in points),
            greedy_budgets=tuple(g.budget for g in greedy),
            greedy_values=tuple(g.value or 0.0 for g in greedy),
            chosen_budget=chosen_budget,
            chosen_value=plan.objective_value,
            currency=currency,
            objective=result.objective,
        ),
        data=Table(
            columns=(
                Column(title="budget", align="right", style="money"),
                Column(title=result.objective, align="right", style="score"),
                Column(title="proven"),
            ),
            rows=tuple(Row(cells=(p.budget, p.value, "yes" if p.proven else "no")) for p in points),
        ),
    )
    blocks: list[ReportBlock] = [*view.lead, chart]
    for part in view.sections:
        blocks.append(Heading(text=part.title))
        blocks += part.blocks
    return ReportSection(id="frontier", title="Efficient frontier", blocks=tuple(blocks))


def scenarios_section(result: WhatIf) -> ReportSection:
    """The what-if comparison: the base and each scenario, and what caused each difference."""
    view = what_if_view(result)
    blocks: list[ReportBlock] = [Paragraph(text=view.title or "", indent=0), *view.lead]
    for part in view.sections:
        blocks.append(Heading(text=part.title))
        blocks += part.blocks
    return ReportSection(id="scenarios", title="Scenario comparison", blocks=tuple(blocks))


# --------------------------------------------------------------------------- appendix

ASSUMPTIONS = (
    (
        "Periods are the engagement's; an initiative runs whole periods from its start and "
        "finishes at the end of its last one."
    ),
    (
        "An initiative's one-off cost and skill hours are spread evenly over the periods it runs, "
        "unless the engagement gives a profile; its run cost is spent every period after it "
        "finishes, to the end of the horizon."
    ),
    (
        "Spend in a period is the running initiatives' cost shares, the run costs and contractor "
        "hours at their rate; it never exceeds the period budget, and the total never exceeds "
        "the total budget."
    ),
    (
        "Prerequisites finish before what requires them starts; exclusive alternatives are never "
        "both chosen; mandatory initiatives are always in."
    ),
    ("Every plan is rechecked by an independent verifier against these rules before it is shown."),
)


def appendix_section(plan: Plan, result: Assessment, *, timings: bool = False) -> ReportSection:
    """Assumptions, settings, the solver's proof, and the warnings a reader should know."""
    settings = plan.settings
    currency = plan.engagement.scope.currency
    packs = ", ".join(f"{pack.id} {pack.version}".strip() for pack in plan.prioritization.packs)
    params = ", ".join(f"{k}={formatting.compact(v)}" for k, v in sorted(settings.params.items()))
    rows: list[tuple[str, str]] = [
        ("objective", settings.objective),
        ("timing of value", settings.timing),
        ("discount rate per period", formatting.percent(settings.discount_rate, 1)),
        ("rule packs", packs or "none (initiatives' own values)"),
        ("rule parameters", params or "defaults"),
        ("solver setting", settings.solver),
        ("time limit", f"{formatting.compact(settings.time_limit)} s"),
        ("relative gap accepted", formatting.percent(settings.gap, 2)),
    ]
    proof: list[tuple[str, str]] = [
        ("status", plan.status.value),
        (
            "objective value",
            "-" if plan.objective_value is None else _value_text(plan, plan.objective_value),
        ),
        ("best bound", "-" if plan.best_bound is None else _value_text(plan, plan.best_bound)),
        ("gap", "-" if plan.gap is None else formatting.percent(plan.gap, 2)),
    ]
    if timings:
        proof += [
            ("solver that answered", plan.solver),
            ("seconds", formatting.decimal(plan.seconds, 2)),
        ]
    blocks: list[ReportBlock] = [
        Heading(text="Assumptions"),
        *(Paragraph(text=text, indent=0) for text in ASSUMPTIONS),
        Paragraph(text=f"Amounts are in {currency}; hours are person-hours.", indent=0),
        Heading(text="Settings"),
        _figures_table(rows),
        Heading(text="Solver proof"),
        Paragraph(text=proof_sentence(plan), indent=0),
        _figures_table(proof),
    ]
    warnings = [*plan.prepared.warnings, *result.warnings]
    if warnings:
        blocks.append(Heading(text="Warnings"))
        blocks += [
            Paragraph(text=f"{problem.path}: {problem.message}".lstrip(": "), indent=0)
            for problem in warnings
        ]
    return ReportSection(
        id="appendix", title="Appendix: assumptions, settings and proof", blocks=tuple(blocks)
    )
