"""Alignment: how well the proposed initiatives line up with the business objectives.

Built on `StrategyGraph.trace`, the paths initiative -> (issue) -> (IT objective) ->
business objective:

- **Coverage matrix** (objectives x initiatives). The strength of a path is its first link:
  the initiative's ``objectives`` contribution when it links an objective directly, or the
  fraction of the issue it ``addresses`` when it goes through an issue; the links after
  that (issue -> objective, IT objective -> business objective) carry the whole strength.
  A cell is the strongest path from the initiative through that objective (0..1), or 0
  with no path. Every objective is a row (business first, then IT, each in file order);
  every initiative a column, in file order.
- **Alignment score** of an initiative: ``sum(weight[o] * cell[o][i])`` over business
  objectives, with the normalized objective weights (they sum to 1, so the score is 0..1).
- **Unserved business objectives**: those no proposed initiative reaches.
- **Cost shares**: the proposed initiatives (all but the forbidden ones; alternatives that
  exclude each other all count) split into *aligned* ones, which trace to at least one
  business objective, and *keep-the-lights-on* ones, which trace to none. The shares of
  one-off ``cost`` and of ``run_cost`` per period in each. `Alignment.alternatives` lists
  the pairs that exclude each other, so a reader knows the total overstates any one plan.
- **Unaddressed services**: services with high survey priority (quadrant ``fix``, or
  priority at least `min_priority`) that no issue names, or whose issues no proposed
  initiative addresses.

The alignment is computed on the engagement as given: derived issues are not merged in
first (merge them with `DerivedIssues.apply` to see the coverage they would add).
"""

import math
from collections.abc import Mapping, Sequence

import attrs

from itstrat_engine.assessment.issues import MIN_PRIORITY
from itstrat_engine.assessment.survey import Quadrant, SurveyResult, aggregate_survey
from itstrat_engine.assessment.weights import Weights, objective_weights
from itstrat_engine.graph import StrategyGraph, node
from itstrat_engine.model import Engagement, Initiative

__all__ = [
    "Alignment",
    "Contribution",
    "InitiativeAlignment",
    "ObjectiveCoverage",
    "UnaddressedService",
    "alignment",
]


@attrs.frozen(kw_only=True)
class Contribution:
    """A non-empty cell of the coverage matrix, with the paths that make it."""

    objective: str
    initiative: str
    strength: float
    paths: tuple[tuple[str, ...], ...]


@attrs.frozen(kw_only=True)
class ObjectiveCoverage:
    """One objective: its weight and the initiatives that serve it, strongest first."""

    objective: str
    name: str
    kind: str
    weight: float | None
    initiatives: tuple[str, ...]
    strength: float
    """The strongest single contribution (0 when nothing serves it)."""


@attrs.frozen(kw_only=True)
class InitiativeAlignment:
    """One initiative: the business objectives it serves, its score and its costs."""

    initiative: str
    name: str
    serves: tuple[str, ...]
    score: float
    cost: float
    run_cost: float
    proposed: bool
    """False for forbidden initiatives, which count in no cost share."""

    @property
    def aligned(self) -> bool:
        """True when it traces to at least one business objective."""
        return bool(self.serves)


@attrs.frozen(kw_only=True)
class UnaddressedService:
    """A high-priority service that no issue names or no proposed initiative addresses."""

    service: str
    name: str
    priority: float | None
    quadrant: Quadrant | None
    issues: tuple[str, ...]
    reason: str


@attrs.frozen(kw_only=True)
class Alignment:
    """Objectives x initiatives coverage, unserved objectives, cost shares, blind spots."""

    objectives: tuple[str, ...]
    initiatives: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]
    """``matrix[row][column]``: strength of initiative ``column`` on objective ``row``."""
    contributions: tuple[Contribution, ...]
    coverage: tuple[ObjectiveCoverage, ...]
    by_initiative: tuple[InitiativeAlignment, ...]
    unserved: tuple[str, ...]
    cost: float
    aligned_cost: float
    ktlo_cost: float
    run_cost: float
    aligned_run_cost: float
    ktlo_run_cost: float
    high_priority: tuple[str, ...]
    unaddressed: tuple[UnaddressedService, ...]
    alternatives: tuple[tuple[str, str], ...] = ()
    """Pairs of proposed initiatives that exclude each other: both count in the costs."""

    @property
    def aligned_share(self) -> float | None:
        """Share of proposed one-off cost that traces to business objectives (None: no cost)."""
        return self.aligned_cost / self.cost if self.cost > 0 else None

    @property
    def aligned_run_share(self) -> float | None:
        """Share of proposed run cost that traces to business objectives (None: no run cost)."""
        return self.aligned_run_cost / self.run_cost if self.run_cost > 0 else None

    def cell(self, objective_id: str, initiative_id: str) -> float:
        """The strength of an initiative on an objective (KeyError for unknown ids)."""
        try:
            row = self.objectives.index(objective_id)
            column = self.initiatives.index(initiative_id)
        except ValueError:
            raise KeyError((objective_id, initiative_id)) from None
        return self.matrix[row][column]


def alignment(
    engagement: Engagement,
    survey: SurveyResult | None = None,
    *,
    weights: Weights | None = None,
    min_priority: float = MIN_PRIORITY,
) -> Alignment:
    """How the initiatives line up with the objectives, and what no initiative serves.

    `weights` defaults to `objective_weights(engagement)`; `survey` to the aggregate of the
    engagement's responses (none: no service is high-priority).

    >>> from itstrat_engine.io import from_dict
    >>> e = from_dict({"engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
    ...     "objective": [{"id": "grow", "name": "Grow"}, {"id": "save", "name": "Save"}],
    ...     "issue": [{"id": "slow", "name": "Slow quotes", "objectives": ["grow"]}],
    ...     "initiative": [{"id": "crm", "name": "CRM", "cost": 300, "addresses": {"slow": 0.5}},
    ...                    {"id": "patch", "name": "Patching", "cost": 100}]})
    >>> a = alignment(e)
    >>> a.cell("grow", "crm"), a.unserved, a.aligned_share
    (0.5, ('save',), 0.75)
    """
    if weights is None:
        weights = objective_weights(engagement)
    if survey is None and engagement.responses:
        survey = aggregate_survey(engagement)
    graph = StrategyGraph(engagement)
    objectives = [o for o in engagement.objectives if o.kind == "business"] + [
        o for o in engagement.objectives if o.kind != "business"
    ]
    row_ids = tuple(dict.fromkeys(o.id for o in objectives))
    column_ids = tuple(dict.fromkeys(i.id for i in engagement.initiatives))
    cells: dict[tuple[str, str], tuple[float, list[tuple[str, ...]]]] = {}
    serves: dict[str, tuple[str, ...]] = {}
    initiatives = [engagement.initiative_by_id[i] for i in column_ids]
    for initiative in initiatives:
        paths = list(graph.trace(initiative.id))
        serves[initiative.id] = graph.serves(initiative.id)
        # Direct links to objectives that lead to no business objective are not traced.
        paths.extend(_dead_ends(engagement, initiative, paths))
        for path in paths:
            strength = _strength(initiative, path)
            for key in path[1:]:
                if key.startswith("objective:"):
                    objective_id = key.split(":", 1)[1]
                    best, found = cells.get((objective_id, initiative.id), (0.0, []))
                    cells[(objective_id, initiative.id)] = (max(best, strength), [*found, path])
    matrix = tuple(tuple(cells.get((o, i), (0.0, []))[0] for i in column_ids) for o in row_ids)
    contributions = tuple(
        Contribution(
            objective=o, initiative=i, strength=cells[o, i][0], paths=tuple(cells[o, i][1])
        )
        for o in row_ids
        for i in column_ids
        if (o, i) in cells
    )
    proposed = {i.id for i in engagement.initiatives if not i.forbidden}
    coverage = tuple(
        _coverage(
            engagement,
            o,
            cells=cells,
            columns=column_ids,
            proposed=proposed,
            weights=weights.weights,
        )
        for o in row_ids
    )
    business = [o for o in row_ids if engagement.objective_by_id[o].kind == "business"]
    by_initiative = tuple(
        InitiativeAlignment(
            initiative=i.id,
            name=i.name,
            serves=serves[i.id],
            score=math.fsum(
                weights.weights.get(o, 0.0) * cells.get((o, i.id), (0.0, []))[0] for o in business
            ),
            cost=i.cost,
            run_cost=i.run_cost,
            proposed=i.id in proposed,
        )
        for i in initiatives
    )
    counted = [r for r in by_initiative if r.proposed]
    high, unaddressed = _unaddressed(engagement, survey, proposed, min_priority)
    return Alignment(
        objectives=row_ids,
        initiatives=column_ids,
        matrix=matrix,
        contributions=contributions,
        coverage=coverage,
        by_initiative=by_initiative,
        unserved=tuple(c.objective for c in coverage if c.kind == "business" and not c.initiatives),
        cost=math.fsum(r.cost for r in counted),
        aligned_cost=math.fsum(r.cost for r in counted if r.aligned),
        ktlo_cost=math.fsum(r.cost for r in counted if not r.aligned),
        run_cost=math.fsum(r.run_cost for r in counted),
        aligned_run_cost=math.fsum(r.run_cost for r in counted if r.aligned),
        ktlo_run_cost=math.fsum(r.run_cost for r in counted if not r.aligned),
        high_priority=high,
        unaddressed=unaddressed,
        alternatives=tuple(
            sorted(
                {
                    (min(i.id, other), max(i.id, other))
                    for i in initiatives
                    for other in i.excludes
                    if i.id in proposed and other in proposed and other != i.id
                }
            )
        ),
    )


def _strength(initiative: Initiative, path: Sequence[str]) -> float:
    kind, first = path[1].split(":", 1)
    if kind == "issue":
        return initiative.addresses.get(first, 0.0)
    return initiative.objectives.get(first, 0.0)


def _dead_ends(
    engagement: Engagement, initiative: Initiative, traced: Sequence[tuple[str, ...]]
) -> list[tuple[str, ...]]:
    """Direct or issue links to objectives that no traced path passes through."""
    seen = {key for path in traced for key in path}
    start = node("initiative", initiative.id)
    extra: list[tuple[str, ...]] = []
    for objective_id in initiative.objectives:
        key = node("objective", objective_id)
        if objective_id in engagement.objective_by_id and key not in seen:
            extra.append((start, key))
    for issue_id in initiative.addresses:
        issue = engagement.issue_by_id.get(issue_id)
        for objective_id in issue.objectives if issue else ():
            key = node("objective", objective_id)
            if objective_id in engagement.objective_by_id and key not in seen:
                extra.append((start, node("issue", issue_id), key))
    return sorted(set(extra))


def _coverage(
    engagement: Engagement,
    objective_id: str,
    *,
    cells: Mapping[tuple[str, str], tuple[float, list[tuple[str, ...]]]],
    columns: Sequence[str],
    proposed: set[str],
    weights: Mapping[str, float],
) -> ObjectiveCoverage:
    objective = engagement.objective_by_id[objective_id]
    serving = [
        (cells[objective_id, i][0], i)
        for i in columns
        if (objective_id, i) in cells and i in proposed
    ]
    serving.sort(key=lambda item: (-item[0], item[1]))
    return ObjectiveCoverage(
        objective=objective_id,
        name=objective.name,
        kind=objective.kind,
        weight=weights.get(objective_id),
        initiatives=tuple(i for _, i in serving),
        strength=max((s for s, _ in serving), default=0.0),
    )


def _unaddressed(
    engagement: Engagement,
    survey: SurveyResult | None,
    proposed: set[str],
    min_priority: float,
) -> tuple[tuple[str, ...], tuple[UnaddressedService, ...]]:
    if survey is None:
        return (), ()
    high = [
        s
        for s in survey.services
        if s.quadrant == "fix" or (s.priority is not None and s.priority >= min_priority)
    ]
    rows = []
    for score in high:
        issues = tuple(i.id for i in engagement.issues if score.service in i.services)
        fixers = sorted(
            {
                initiative.id
                for initiative in engagement.initiatives
                if initiative.id in proposed
                and any(initiative.addresses.get(issue, 0.0) > 0 for issue in issues)
            }
        )
        if fixers:
            continue
        reason = (
            f"no initiative addresses {', '.join(issues)}"
            if issues
            else "no issue names this service"
        )
        rows.append(
            UnaddressedService(
                service=score.service,
                name=score.name,
                priority=score.priority,
                quadrant=score.quadrant,
                issues=issues,
                reason=reason,
            )
        )
    return tuple(s.service for s in high), tuple(rows)
