"""The views of the research toolkit: a rule comparison and a sensitivity study.

Plain data built from `RuleComparison` and `Sensitivity`; the text renderer lays them out.
"""

from itstrat_engine import formatting
from itstrat_engine.report.views import Column, Document, Line, Row, Section, Table
from itstrat_engine.research.rule_comparison import RuleComparison
from itstrat_engine.research.sensitivity import Sensitivity

__all__ = ["rule_comparison_view", "sensitivity_view"]


def _number(value: float | None) -> str | None:
    return None if value is None else formatting.significant(value, 4)


def rule_comparison_view(comparison: RuleComparison) -> Document:
    """Rank agreement and plan agreement of every pair, then the regret matrix."""
    names = comparison.names
    plans = Table(
        columns=(
            Column(title="rule set", max_width=28),
            Column(title="status"),
            Column(title="value", align="right"),
            Column(title="selected", align="right", style="integer"),
            Column(title="top of the ranking", max_width=40),
        ),
        rows=tuple(
            Row(
                cells=(
                    name,
                    plan.status.value,
                    _number(plan.objective_value),
                    len(plan.schedule),
                    formatting.names(list(ranking[:3])),
                )
            )
            for name, plan, ranking in zip(
                names, comparison.plans, comparison.rankings, strict=True
            )
        ),
    )
    ranks = Table(
        columns=(
            Column(title="pair", max_width=40),
            Column(title="tau-b", align="right"),
            Column(title="weighted tau", align="right"),
            Column(title="Spearman", align="right"),
            Column(title="top-k", align="right", style="percent"),
        ),
        rows=tuple(
            Row(
                cells=(
                    f"{a.first} / {a.second}",
                    _number(a.kendall_tau_b),
                    _number(a.weighted_tau),
                    _number(a.spearman_rho),
                    a.top_k_overlap,
                )
            )
            for a in comparison.ranks
        ),
        notes=(
            f"top-k: share of the first {comparison.ranks[0].top_k} initiatives in common"
            if comparison.ranks
            else "",
            "'-': undefined (a ranking where every initiative scores the same)",
        ),
    )
    portfolios = Table(
        columns=(
            Column(title="pair", max_width=40),
            Column(title="Jaccard", align="right", style="percent"),
            Column(title="shared", align="right", style="integer"),
            Column(title="moved", align="right", style="integer"),
            Column(title="mean shift", align="right", style="decimal"),
        ),
        rows=tuple(
            Row(
                cells=(
                    f"{p.first} / {p.second}",
                    p.jaccard,
                    p.shared,
                    len(p.shifts),
                    p.mean_shift,
                )
            )
            for p in comparison.portfolios
        ),
        notes=("mean shift: periods between the starts of the shared initiatives",),
    )
    regret = Table(
        columns=(
            Column(title="plan of \\ scored by", max_width=28),
            *(Column(title=n, align="right", max_width=16) for n in names),
        ),
        rows=tuple(
            Row(
                cells=(
                    row[0].plan,
                    *(
                        None
                        if cell.relative is None
                        else formatting.percent(cell.relative, 1) + (" !" if cell.breaks else "")
                        for cell in row
                    ),
                )
            )
            for row in comparison.regret
        ),
        notes=(
            (
                "regret: how far the row's plan falls short of the column's own optimum, "
                "valued with the column's scores (share of that optimum)"
            ),
            "!: the row's plan breaks the column's gates (a forbidden or a missing required initiative)",
            *(
                (f"not proven optimal: {formatting.names(list(comparison.unproven))}",)
                if comparison.unproven
                else ()
            ),
        ),
    )
    return Document(
        title=f"Comparison of {len(names)} rule sets",
        sections=(
            Section(title="Plans", blocks=(plans,)),
            Section(title="Rankings", blocks=(ranks,)),
            Section(title="Portfolios", blocks=(portfolios,)),
            Section(title="Regret", blocks=(regret,)),
        ),
    )


def sensitivity_view(result: Sensitivity) -> Document:
    """Counts, the inclusion table by probability, value quantiles and the tornado."""
    lead = [
        Line(
            text=f"{result.samples} samples (seed {result.seed}): {result.planned} planned, "
            f"{result.unproven} of them not proven optimal, {len(result.failed)} without a plan"
        )
    ]
    for sample, status, message in result.failed[:5]:
        lead.append(Line(text=f"sample {sample}: {status} {message}".rstrip(), indent=2))
    if len(result.failed) > 5:
        lead.append(Line(text=f"... and {len(result.failed) - 5} more", indent=2))
    order = sorted(result.inclusions, key=lambda i: (-(i.probability or 0.0), i.id))
    base = set(result.base_selected)
    inclusions = Table(
        columns=(
            Column(title="initiative", max_width=28),
            Column(title="in base", align="right"),
            Column(title="probability", align="right", style="percent"),
            Column(title="95% interval", align="right"),
            Column(title="class"),
            Column(title="most common start"),
        ),
        rows=tuple(
            Row(
                cells=(
                    i.id,
                    "yes" if i.id in base else "no",
                    i.probability,
                    f"{formatting.percent(i.low)}-{formatting.percent(i.high)}",
                    i.klass,
                    # the first of the most frequent: the earliest on a tie
                    max(i.starts, key=i.starts.__getitem__) if i.starts else None,
                )
            )
            for i in order
        ),
        notes=(
            (
                "core: in every sample's plan; exterior: in none; borderline: in some "
                "(Robust Portfolio Modeling's core index)"
            ),
        ),
    )
    sections = [Section(title="Initiatives", blocks=(inclusions,))]
    if result.quantiles:
        quantiles = Table(
            columns=tuple(Column(title=q, align="right") for q in result.quantiles),
            rows=(Row(cells=tuple(_number(v) for v in result.quantiles.values())),),
            notes=(f"value of the base plan: {_number(result.base_value) or '-'}",),
        )
        sections.append(Section(title="Plan value quantiles", blocks=(quantiles,)))
    if result.tornado:
        tornado = Table(
            columns=(
                Column(title="input", max_width=36),
                Column(title="low", align="right"),
                Column(title="high", align="right"),
                Column(title="value at low", align="right"),
                Column(title="value at high", align="right"),
                Column(title="swing", align="right"),
                Column(title="changes", max_width=36),
            ),
            rows=tuple(
                Row(
                    cells=(
                        f"{bar.kind} {bar.key}",
                        _number(bar.low),
                        _number(bar.high),
                        _number(bar.value_low),
                        _number(bar.value_high),
                        _number(bar.swing),
                        formatting.names(list(bar.changed)) if bar.changed else None,
                    )
                )
                for bar in result.tornado
            ),
            notes=("one input at a time at each end, everything else as given",),
        )
        sections.append(Section(title="Tornado", blocks=(tornado,)))
    return Document(title="Sensitivity of the roadmap", lead=tuple(lead), sections=tuple(sections))
