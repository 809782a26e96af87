"""The names rule expressions can read, per subject, and how each is computed.

A pack's subject is ``issue`` or ``initiative``. Its expressions read

- the subject's model attributes and figures derived from the engagement (`FIELDS`),
- the free numeric ``fields`` of the items, for names the pack declares in ``[pack] fields``,
- the pack's ``[params]``, and ``score`` (the running score).

Derived figures and how they are computed:

- issue ``importance``, ``satisfaction``, ``gap``, ``survey_priority``: from the issue's most
  pressing rated service (the one with the highest survey priority, ties by service id) in
  `itstrat_engine.assessment.aggregate_survey`; missing when none of its services was rated;
- issue ``maturity_gap``: the largest ``target - current`` over its services that have both;
  missing when none has;
- issue ``weight``: the sum of the normalized weights of the objectives it serves
  (`itstrat_engine.assessment.objective_weights`, IT objectives through the cascade);
- initiative ``alignment`` = ``issue_alignment + objective_alignment`` where, with ``p_q``
  the final priority of issue ``q`` (after the issue packs) and ``w_o`` the weight of
  objective ``o``::

      issue_alignment     = 100 * sum_q addresses[q] * p_q / sum_all_issues p
      objective_alignment = 100 * sum_o objectives[o] * w_o

  (a zero total of priorities gives 0). Both terms are shares of 100 points: fixing every
  issue completely earns 100, fully serving objectives that carry all the weight earns 100.

Values that can be missing for an item are *optional*; reading one that is missing fails the
rule with a `RuleEvaluationError` unless the pack declares a ``[defaults]`` value for it or
the expression guards it with ``has(name)`` or ``default(name, value)``.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import Any, Literal

import attrs

from itstrat_engine.assessment import Weights, aggregate_survey, objective_weights
from itstrat_engine.assessment.survey import ServiceScore
from itstrat_engine.model import Engagement, Initiative, Issue
from itstrat_engine.rules.expressions import Missing, ValueType

__all__ = ["FIELDS", "SUBJECTS", "FieldSpec", "Subject", "SubjectData"]

Subject = Literal["issue", "initiative"]
SUBJECTS: tuple[Subject, ...] = ("issue", "initiative")


@attrs.frozen(kw_only=True)
class FieldSpec:
    """A name an expression can read: its type, whether it can be missing, what it means."""

    name: str
    type: ValueType
    optional: bool
    description: str


def _specs(*rows: tuple[str, ValueType, bool, str]) -> Mapping[str, FieldSpec]:
    return {
        name: FieldSpec(name=name, type=type_, optional=optional, description=description)
        for name, type_, optional, description in rows
    }


_COMMON: tuple[tuple[str, ValueType, bool, str], ...] = (
    ("id", "string", False, "the item's id"),
    ("name", "string", False, "the item's name"),
    ("description", "string", False, "the item's description ('' when not given)"),
    ("tags", "strings", False, "the item's tags, e.g. 'must' in tags"),
    ("periods", "number", False, "number of periods in the planning horizon"),
)

FIELDS: Mapping[Subject, Mapping[str, FieldSpec]] = {
    "initiative": _specs(
        *_COMMON,
        ("duration", "number", False, "periods it runs"),
        ("cost", "number", False, "one-off cost"),
        ("run_cost", "number", False, "cost per period after it finishes"),
        ("total_hours", "number", False, "effort hours summed over skills"),
        ("skills", "strings", False, "skills it needs hours of"),
        ("risk", "number", False, "delivery risk, 0..1"),
        ("value", "number", True, "its plain value from the engagement file"),
        ("mandatory", "bool", False, "mandatory in the engagement file"),
        ("forbidden", "bool", False, "forbidden in the engagement file"),
        ("earliest", "number", True, "first period it may run in (0-based index)"),
        ("deadline", "number", True, "last period it may run in (0-based index)"),
        ("requires", "strings", False, "ids of the initiatives it requires"),
        ("excludes", "strings", False, "ids of the initiatives it excludes"),
        ("issues", "strings", False, "ids of the issues it addresses"),
        ("objectives", "strings", False, "ids of the objectives it contributes to"),
        ("issue_count", "number", False, "number of issues it addresses"),
        ("alignment", "number", False, "issue_alignment + objective_alignment, 0..200"),
        (
            "issue_alignment",
            "number",
            False,
            "100 x sum of fraction resolved x issue priority share",
        ),
        (
            "objective_alignment",
            "number",
            False,
            "100 x sum of contribution x objective weight",
        ),
    ),
    "issue": _specs(
        *_COMMON,
        ("severity", "number", True, "its severity from the engagement file"),
        ("objectives", "strings", False, "ids of the objectives it hurts"),
        ("services", "strings", False, "ids of the services it concerns"),
        ("weight", "number", False, "sum of the weights of its objectives"),
        ("importance", "number", True, "survey importance of its most pressing service"),
        ("satisfaction", "number", True, "survey satisfaction of its most pressing service"),
        ("gap", "number", True, "importance - satisfaction of that service"),
        (
            "survey_priority",
            "number",
            True,
            "survey priority (0..1) of that service: importance x dissatisfaction",
        ),
        ("maturity_gap", "number", True, "largest target - current maturity of its services"),
        ("scale_min", "number", False, "lowest answer on the survey scale"),
        ("scale_max", "number", False, "highest answer on the survey scale"),
        ("initiative_count", "number", False, "number of initiatives that address it"),
        (
            "coverage",
            "number",
            False,
            "fraction of it resolved by all initiatives together, capped at 1",
        ),
    ),
}
"""The built-in names per subject (besides free fields, params and ``score``)."""


Getter = Callable[[Any], object]  # takes an Issue or an Initiative, by subject


class SubjectData:
    """Computes field values of an engagement's items, lazily and only once.

    Issue priorities feed the initiatives' alignment: set `issue_priorities` after
    scoring the issues.
    """

    def __init__(self, engagement: Engagement) -> None:
        """Hold the engagement; nothing is computed yet."""
        self.engagement = engagement
        self._shares: Mapping[str, float] = {}

    def set_issue_priorities(self, priorities: Mapping[str, float]) -> None:
        """Record the final issue priorities ``p_q``, as shares of their total."""
        total = math.fsum(priorities.values())
        self._shares = {q: p / total for q, p in priorities.items()} if total > 0 else {}

    @cached_property
    def assessed_weights(self) -> Weights:
        """The objective weights with how they were obtained (and their warnings)."""
        return objective_weights(self.engagement)

    @property
    def weights(self) -> Mapping[str, float]:
        """Normalized weight of every objective."""
        return self.assessed_weights.weights

    @cached_property
    def survey(self) -> Mapping[str, ServiceScore]:
        """Aggregated survey score per rated service (empty without responses)."""
        if not self.engagement.responses:
            return {}
        result = aggregate_survey(self.engagement)
        return {score.service: score for score in result.services if score.priority is not None}

    @cached_property
    def addressed(self) -> Mapping[str, tuple[float, ...]]:
        """For each issue id, the fractions resolved by the initiatives addressing it."""
        found: dict[str, list[float]] = {}
        for initiative in self.engagement.initiatives:
            for issue_id, fraction in initiative.addresses.items():
                found.setdefault(issue_id, []).append(fraction)
        return {issue_id: tuple(values) for issue_id, values in found.items()}

    def issue_alignment(self, initiative: Initiative) -> float:
        """100 x sum over addressed issues of fraction x priority share."""
        shares = self._shares
        return 100 * math.fsum(f * shares.get(q, 0.0) for q, f in initiative.addresses.items())

    def objective_alignment(self, initiative: Initiative) -> float:
        """100 x sum over objectives of contribution x objective weight."""
        weights = self.weights
        return 100 * math.fsum(c * weights.get(o, 0.0) for o, c in initiative.objectives.items())

    def alignment(self, initiative: Initiative) -> float:
        """The initiative's alignment: issue plus objective alignment."""
        return self.issue_alignment(initiative) + self.objective_alignment(initiative)

    def _pressing(self, issue: Issue) -> ServiceScore | None:
        rated = [self.survey[s] for s in issue.services if s in self.survey]
        if not rated:
            return None
        return min(rated, key=lambda score: (-(score.priority or 0.0), score.service))

    def _period(self, ref: int | str | None, name: str) -> object:
        index = None if ref is None else self.engagement.scope.index(ref)
        return Missing(name) if index is None else float(index)

    def getter(self, subject: Subject, name: str, free: bool) -> Getter:
        """A function computing one field for one item of the subject.

        `free` names are read from the item's ``fields`` (missing when absent).
        """
        if free:
            marker = Missing(name)
            return lambda item: item.fields.get(name, marker)
        if name == "periods":
            periods = float(self.engagement.periods)
            return lambda _: periods
        if name == "description":
            return lambda item: item.description
        if name in {"id", "name", "tags"}:
            return lambda item: getattr(item, name)
        if subject == "initiative":
            return self._initiative_getter(name)
        return self._issue_getter(name)

    def _initiative_getter(self, name: str) -> Getter:
        simple: dict[str, Callable[[Initiative], object]] = {
            "duration": lambda i: float(i.duration),
            "cost": lambda i: i.cost,
            "run_cost": lambda i: i.run_cost,
            "total_hours": lambda i: math.fsum(i.effort.values()),
            "skills": lambda i: tuple(sorted(s for s, h in i.effort.items() if h > 0)),
            "risk": lambda i: i.risk,
            "value": lambda i: Missing("value") if i.value is None else i.value,
            "mandatory": lambda i: i.mandatory,
            "forbidden": lambda i: i.forbidden,
            "earliest": lambda i: self._period(i.earliest, "earliest"),
            "deadline": lambda i: self._period(i.deadline, "deadline"),
            "requires": lambda i: i.requires,
            "excludes": lambda i: i.excludes,
            "issues": lambda i: tuple(i.addresses),
            "objectives": lambda i: tuple(i.objectives),
            "issue_count": lambda i: float(len(i.addresses)),
            "alignment": self.alignment,
            "issue_alignment": self.issue_alignment,
            "objective_alignment": self.objective_alignment,
        }
        return simple[name]

    def _issue_getter(self, name: str) -> Getter:
        survey = self.engagement.survey

        def surveyed(attribute: str) -> Callable[[Issue], object]:
            def get(item: Issue) -> object:
                score = self._pressing(item)
                value = None if score is None else getattr(score, attribute)
                return Missing(name) if value is None else value

            return get

        def maturity_gap(item: Issue) -> object:
            services = self.engagement.service_by_id
            gaps = [
                service.target - service.current
                for s in item.services
                if (service := services.get(s)) is not None
                and service.current is not None
                and service.target is not None
            ]
            return max(gaps) if gaps else Missing("maturity_gap")

        simple: dict[str, Callable[[Issue], object]] = {
            "severity": lambda i: Missing("severity") if i.severity is None else i.severity,
            "objectives": lambda i: i.objectives,
            "services": lambda i: i.services,
            "weight": lambda i: math.fsum(self.weights.get(o, 0.0) for o in i.objectives),
            "importance": surveyed("importance"),
            "satisfaction": surveyed("satisfaction"),
            "gap": surveyed("gap"),
            "survey_priority": surveyed("priority"),
            "maturity_gap": maturity_gap,
            "scale_min": lambda _: survey.scale_min,
            "scale_max": lambda _: survey.scale_max,
            "initiative_count": lambda i: float(len(self.addressed.get(i.id, ()))),
            "coverage": lambda i: min(1.0, math.fsum(self.addressed.get(i.id, ()))),
        }
        return simple[name]

    def records(
        self,
        subject: Subject,
        items: Sequence[Issue | Initiative],
        names: Sequence[str],
        free: frozenset[str],
    ) -> list[dict[str, object]]:
        """One mapping of name -> value per item, for the names the packs read."""
        getters = [(name, self.getter(subject, name, name in free)) for name in names]
        return [{name: get(item) for name, get in getters} for item in items]

    def start(self, item: Issue | Initiative) -> tuple[float, str]:
        """The score an item starts from, and where it comes from.

        Issues start from their severity (1 when not given); initiatives from their plain
        value, else their alignment.
        """
        if isinstance(item, Issue):
            return (item.severity, "severity") if item.severity is not None else (1.0, "default")
        if item.value is not None:
            return item.value, "value"
        return self.alignment(item), "alignment"
