"""`compare_rules`: how far rule packs (or parameter sets of one pack) agree, ranked and planned.

Each *rule set* is one stack of packs with its params (``wsjf``; ``risk`` then ``moscow``;
``wsjf`` with ``min_size = 2``). For every set the engagement is prioritized and planned;
then, for every pair of sets:

- on the rankings of the initiatives (final scores): Kendall tau-b, weighted tau, Spearman
  rho and the top-k overlap (`itstrat_engine.research.rank_metrics`);
- on the plans: the Jaccard index of the two portfolios and the start shifts of the
  initiatives both select.

And the regret matrix: row A, column B holds the value of A's plan scored with B's scores
by the planner's own objective (`objective_value` on B's effective engagement: B's values,
B's timing), against B's own optimum. ``regret[A][B] = optimum(B) - value(A's plan under
B)`` for a maximized objective (the other way round for a minimized one), so the diagonal
is 0 for proven plans and a row of small numbers is a rule set whose plan does well
whatever the others believe. A's plan may break B's gates (an initiative B forbids, one B
requires left out); those are listed beside the value, which is still computed.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Unpack

import attrs

from itstrat_engine.errors import InvalidEngagementError, Problem
from itstrat_engine.model import Engagement
from itstrat_engine.optimize.contract import objective_value
from itstrat_engine.optimize.preparation import Overrides
from itstrat_engine.optimize.result import Plan, Status
from itstrat_engine.research.rank_metrics import (
    kendall_tau_b,
    spearman_rho,
    top_k_overlap,
    weighted_tau,
)
from itstrat_engine.rules import Pack
from itstrat_engine.rules.evaluate import PackReference

__all__ = [
    "PlanAgreement",
    "RankAgreement",
    "Regret",
    "RuleComparison",
    "RuleSet",
    "compare_rules",
    "rule_set",
]

_MINIMIZED = frozenset({"cost", "makespan"})


@attrs.frozen(kw_only=True)
class RuleSet:
    """Packs applied in order, with param overrides, under a name for the comparison."""

    name: str
    rules: tuple[PackReference, ...]
    params: Mapping[str, float] = attrs.field(factory=dict)


def _reference_name(reference: PackReference) -> str:
    if isinstance(reference, Pack):
        return reference.id
    return Path(reference).stem if isinstance(reference, Path) else str(reference)


def rule_set(spec: "RuleSet | PackReference | Sequence[PackReference]") -> RuleSet:
    """A `RuleSet` from a pack, a pack name or path, or a sequence of them (stacked in order).

    >>> rule_set(["risk", "moscow"]).name
    'risk+moscow'
    """
    if isinstance(spec, RuleSet):
        return spec
    if isinstance(spec, Pack | str | Path):
        return RuleSet(name=_reference_name(spec), rules=(spec,))
    rules = tuple(spec)
    return RuleSet(name="+".join(_reference_name(r) for r in rules), rules=rules)


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


@attrs.frozen(kw_only=True)
class RankAgreement:
    """How alike the rankings of two rule sets are (None: undefined, a constant ranking)."""

    first: str
    second: str
    kendall_tau_b: float | None
    weighted_tau: float | None
    spearman_rho: float | None
    top_k: int
    top_k_overlap: float | None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "first": self.first,
            "second": self.second,
            "kendall_tau_b": self.kendall_tau_b,
            "weighted_tau": self.weighted_tau,
            "spearman_rho": self.spearman_rho,
            "top_k": self.top_k,
            "top_k_overlap": self.top_k_overlap,
        }


@attrs.frozen(kw_only=True)
class PlanAgreement:
    """How alike the plans of two rule sets are.

    `jaccard` is the shared initiatives over those either selects (1 when both select
    none); `shifts` lists ``(id, start in first, start in second)`` for the shared ones
    that start in different periods; `mean_shift` the mean absolute shift over all shared
    (None when they share none).
    """

    first: str
    second: str
    jaccard: float
    shared: int
    shifts: tuple[tuple[str, int, int], ...]
    mean_shift: float | None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "first": self.first,
            "second": self.second,
            "jaccard": self.jaccard,
            "shared": self.shared,
            "shifts": [{"id": i, "first": a, "second": b} for i, a, b in self.shifts],
            "mean_shift": self.mean_shift,
        }


@attrs.frozen(kw_only=True)
class Regret:
    """One cell of the regret matrix: the plan of `plan` scored with the scores of `scores`.

    `value` is that plan's objective under the other set's scores; `optimum` the other
    set's own plan value; `regret` how much worse `value` is (>= 0 when `optimum` is
    proven); `relative` the regret as a share of ``|optimum|`` (None when it is 0);
    `breaks` the initiatives where the plan breaks the other set's gates. None throughout
    when either plan has no schedule.
    """

    plan: str
    scores: str
    value: float | None
    optimum: float | None
    regret: float | None
    relative: float | None
    breaks: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "plan": self.plan,
            "scores": self.scores,
            "value": self.value,
            "optimum": self.optimum,
            "regret": self.regret,
            "relative": self.relative,
            "breaks": list(self.breaks),
        }


@attrs.frozen(kw_only=True)
class RuleComparison:
    """The result of `compare_rules`: each set's ranking and plan, and every pair compared.

    `rankings[k]` are the initiative ids in set k's order (best first) and `scores[k]`
    their final scores by id; `plans[k]` set k's plan; `regret[a][b]` a `Regret`.
    """

    names: tuple[str, ...]
    rule_sets: tuple[RuleSet, ...]
    rankings: tuple[tuple[str, ...], ...]
    scores: tuple[Mapping[str, float], ...]
    plans: tuple[Plan, ...] = attrs.field(repr=False)
    ranks: tuple[RankAgreement, ...]
    portfolios: tuple[PlanAgreement, ...]
    regret: tuple[tuple[Regret, ...], ...]

    @property
    def unproven(self) -> tuple[str, ...]:
        """The rule sets whose plan was not proven optimal (regrets against it are bounds)."""
        return tuple(
            name
            for name, plan in zip(self.names, self.plans, strict=True)
            if plan.status != Status.OPTIMAL
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, free of run times (same input, same data)."""
        return {
            "rule_sets": [
                {
                    "name": rs.name,
                    "packs": [_reference_name(r) for r in rs.rules],
                    "params": dict(sorted(rs.params.items())),
                    "ranking": list(ranking),
                    "scores": dict(scores),
                    "plan": {
                        "status": plan.status.value,
                        "objective_value": plan.objective_value,
                        "selected": dict(sorted(plan.schedule.items())),
                    },
                }
                for rs, ranking, scores, plan in zip(
                    self.rule_sets, self.rankings, self.scores, self.plans, strict=True
                )
            ],
            "rankings": [a.as_dict() for a in self.ranks],
            "plans": [a.as_dict() for a in self.portfolios],
            "regret": [[cell.as_dict() for cell in row] for row in self.regret],
            "unproven": list(self.unproven),
        }


def _duplicate_names(sets: Sequence[RuleSet]) -> None:
    names = [s.name for s in sets]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InvalidEngagementError(
            [
                Problem(
                    code="duplicate-rule-set",
                    path="packs",
                    message="two rule sets have the same name",
                    value=", ".join(repr(n) for n in repeated),
                    expected="each rule set once",
                    suggestion="give parameter variants their own name (RuleSet(name=...))",
                )
            ]
        )
    if len(sets) < 2:
        raise InvalidEngagementError(
            [
                Problem(
                    code="too-few-rule-sets",
                    path="packs",
                    message="a comparison needs at least two rule sets",
                    value=repr(names),
                    suggestion="name two or more packs, e.g. wsjf rice",
                )
            ]
        )


def _portfolio(first: str, second: str, a: Plan, b: Plan) -> PlanAgreement:
    left, right = a.schedule, b.schedule
    shared = sorted(set(left) & set(right))
    either = set(left) | set(right)
    shifts = tuple((i, left[i], right[i]) for i in shared if left[i] != right[i])
    return PlanAgreement(
        first=first,
        second=second,
        jaccard=len(shared) / len(either) if either else 1.0,
        shared=len(shared),
        shifts=shifts,
        mean_shift=sum(abs(left[i] - right[i]) for i in shared) / len(shared) if shared else None,
    )


def _regret(plan_name: str, scores_name: str, plan: Plan, scorer: Plan) -> Regret:
    """`plan`'s schedule valued with `scorer`'s effective engagement and settings."""
    if not (plan.status.has_plan and scorer.status.has_plan) or scorer.objective_value is None:
        return Regret(
            plan=plan_name,
            scores=scores_name,
            value=None,
            optimum=None,
            regret=None,
            relative=None,
        )
    engagement = scorer.engagement
    value = objective_value(engagement, plan.schedule, scorer.settings)
    optimum = scorer.objective_value
    regret = value - optimum if scorer.objective in _MINIMIZED else optimum - value
    breaks = tuple(
        item.id
        for item in engagement.initiatives
        if (item.forbidden and item.id in plan.schedule)
        or (item.mandatory and item.id not in plan.schedule)
    )
    return Regret(
        plan=plan_name,
        scores=scores_name,
        value=value,
        optimum=optimum,
        regret=regret,
        relative=regret / abs(optimum) if optimum else None,
        breaks=breaks,
    )


def compare_rules(
    engagement: Engagement,
    packs: Iterable["RuleSet | PackReference | Sequence[PackReference]"],
    *,
    top_k: int = 5,
    **overrides: Unpack[Overrides],
) -> RuleComparison:
    """Prioritize and plan with each rule set; compare rankings, portfolios and regret.

    `packs` lists the rule sets: a pack name or path (``"wsjf"``), a sequence of them
    stacked in order (``["risk", "moscow"]``) or a `RuleSet` (params, its own name).
    `overrides` are `plan`'s (a time limit). Raises `InvalidEngagementError` for fewer
    than two sets or two with one name, and what `plan` raises for invalid input.

    >>> import itstrat_engine as it
    >>> result = compare_rules(it.generate(8, seed=3), ["wsjf", "rice"], time_limit=10)
    >>> result.names
    ('wsjf', 'rice')
    >>> [round(cell.regret, 9) for cell in (result.regret[0][0], result.regret[1][1])]
    [0.0, 0.0]
    """
    from itstrat_engine.optimize.planner import plan  # noqa: PLC0415 - loads the solvers

    if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
        raise InvalidEngagementError(
            [
                Problem(
                    code="invalid-top-k",
                    path="top_k",
                    message="top_k must be a whole number of at least 1",
                    value=repr(top_k),
                    expected="1, 2, ...",
                )
            ]
        )
    sets = tuple(rule_set(spec) for spec in packs)
    _duplicate_names(sets)
    plans = tuple(
        plan(engagement, rules=list(s.rules), params=dict(s.params), **overrides) for s in sets
    )
    ids = [item.id for item in engagement.initiatives]
    scores = tuple({s.id: s.score for s in p.prioritization.initiatives} for p in plans)
    rankings = tuple(tuple(s.id for s in p.prioritization.initiatives) for p in plans)
    names = tuple(s.name for s in sets)
    ranks = []
    portfolios = []
    for a in range(len(sets)):
        for b in range(a + 1, len(sets)):
            x = [scores[a][i] for i in ids]
            y = [scores[b][i] for i in ids]
            ranks.append(
                RankAgreement(
                    first=names[a],
                    second=names[b],
                    kendall_tau_b=_finite_or_none(kendall_tau_b(x, y)),
                    weighted_tau=_finite_or_none(weighted_tau(x, y)),
                    spearman_rho=_finite_or_none(spearman_rho(x, y)),
                    top_k=min(top_k, len(ids)),
                    top_k_overlap=_finite_or_none(top_k_overlap(ids, x, y, top_k)) if ids else None,
                )
            )
            portfolios.append(_portfolio(names[a], names[b], plans[a], plans[b]))
    regret = tuple(
        tuple(_regret(names[a], names[b], plans[a], plans[b]) for b in range(len(sets)))
        for a in range(len(sets))
    )
    return RuleComparison(
        names=names,
        rule_sets=sets,
        rankings=rankings,
        scores=scores,
        plans=plans,
        ranks=tuple(ranks),
        portfolios=tuple(portfolios),
        regret=regret,
    )
