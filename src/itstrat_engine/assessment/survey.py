"""Stakeholder survey aggregation: how important each IT service is and how satisfied people are.

For each service, over the responses that answered (a skipped answer is missing, never zero),
with each response's `weight` ``w``:

- ``importance`` and ``satisfaction``: weighted means ``sum(w * x) / sum(w)``;
- ``importance_spread`` and ``satisfaction_spread``: weighted population standard deviations
  ``sqrt(sum(w * (x - mean)**2) / sum(w))``;
- ``gap = importance - satisfaction`` (positive: the service disappoints for its importance);
- ``priority``, on 0..1, highest for the most important, least satisfying service::

      priority = (importance - low) / (high - low) * (high - satisfaction) / (high - low)

  where ``low`` and ``high`` bound the survey scale;
- ``quadrant`` against the means over services: ``fix`` (importance at or above the mean,
  satisfaction below it: the key issues), ``keep`` (important and satisfying), ``watch``
  (less important, unsatisfying), ``trim`` (less important, satisfying: possible
  over-investment);
- ``flagged`` when the service has fewer than ``[survey].min_responses`` importance answers
  or fewer than that many satisfaction answers: its figures rest on too few people.

``overall_satisfaction`` is the weighted mean of every satisfaction answer of every response
(each answer counts with its response's weight), so services many people use count more.
``mean_importance`` and ``mean_satisfaction`` are the plain means of the per-service means
(each service counts once): the cross-hairs of the quadrants.

Per department (`DepartmentScore`), the same weighted means over that department's
responses; `DepartmentSummary` gives each department's respondents, overall importance and
satisfaction, and the service with its largest gap (its biggest pain).

Responses with zero weight count as answers but do not move the means. Every sum is a
`math.fsum` (exactly rounded), so no aggregate depends on the order of the responses.
"""

import math
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

from itstrat_engine.errors import InvalidEngagementError, Problem, did_you_mean
from itstrat_engine.model import Engagement, Response

__all__ = [
    "DepartmentScore",
    "DepartmentSummary",
    "Quadrant",
    "ServiceScore",
    "SurveyResult",
    "aggregate_survey",
]

Quadrant = Literal["fix", "keep", "watch", "trim"]


@attrs.frozen(kw_only=True)
class ServiceScore:
    """Aggregated answers for one service (None where nobody answered)."""

    service: str
    name: str
    importance_answers: int
    satisfaction_answers: int
    importance: float | None
    satisfaction: float | None
    importance_spread: float | None
    satisfaction_spread: float | None
    gap: float | None
    priority: float | None
    quadrant: Quadrant | None
    flagged: bool


@attrs.frozen(kw_only=True)
class DepartmentScore:
    """Mean importance and satisfaction of one department for one service."""

    department: str
    service: str
    answers: int
    importance: float | None
    satisfaction: float | None
    gap: float | None = None


@attrs.frozen(kw_only=True)
class DepartmentSummary:
    """One department at a glance: how many answered, how satisfied, what hurts most.

    `worst_service` is the service with the department's largest gap (ties: the more
    important one, then by id); None when the department rated no service on both counts.
    """

    department: str
    respondents: int
    importance: float | None
    satisfaction: float | None
    worst_service: str | None
    worst_gap: float | None


@attrs.frozen(kw_only=True)
class SurveyResult:
    """The whole survey: services sorted by priority (highest first), departments, overall."""

    services: tuple[ServiceScore, ...]
    departments: tuple[DepartmentScore, ...]
    responses: int
    overall_satisfaction: float | None
    mean_importance: float | None
    mean_satisfaction: float | None
    department_summary: tuple[DepartmentSummary, ...] = ()
    scale_min: float = 1
    scale_max: float = 10
    min_responses: int = 3

    def score(self, service_id: str) -> ServiceScore:
        """The score of one service (KeyError when it is not in the engagement)."""
        for score in self.services:
            if score.service == service_id:
                return score
        raise KeyError(service_id)

    @property
    def flagged(self) -> tuple[str, ...]:
        """Ids of the services with too few answers, in priority order."""
        return tuple(s.service for s in self.services if s.flagged)


def _mean_spread(pairs: Sequence[tuple[float, float]]) -> tuple[float | None, float | None]:
    """Weighted mean and population standard deviation of (value, weight) pairs."""
    total = math.fsum(w for _, w in pairs)
    if not pairs or total <= 0:
        return None, None
    values = [x for x, w in pairs if w > 0]
    # Rounding can carry a mean just past the answers (ten 10s averaging 10.000000000000002).
    mean = _within(math.fsum(x * w for x, w in pairs) / total, values)
    variance = math.fsum(w * (x - mean) ** 2 for x, w in pairs) / total
    return mean, math.sqrt(variance)


def _within(mean: float, values: Sequence[float]) -> float:
    """The mean held inside the range of the values it averages."""
    return min(max(mean, min(values)), max(values)) if values else mean


def _answers(responses: Iterable[Response], field: str, service: str) -> list[tuple[float, float]]:
    return [
        (getattr(r, field)[service], r.weight) for r in responses if service in getattr(r, field)
    ]


def _difference(a: float | None, b: float | None) -> float | None:
    return a - b if a is not None and b is not None else None


def aggregate_survey(
    engagement: Engagement, responses: Sequence[Response] | None = None
) -> SurveyResult:
    """Aggregate the survey (the engagement's responses, or `responses` when given).

    Raises `InvalidEngagementError` when there are no responses, or an answer names an
    unknown service or lies outside the declared scale (naming stakeholder, service, value).

    >>> from itstrat_engine.io import from_dict
    >>> e = from_dict({"engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
    ...     "service": [{"id": "mail", "name": "Email"}],
    ...     "response": [{"stakeholder": "Ann", "importance": {"mail": 9}, "satisfaction": {"mail": 4}},
    ...                  {"stakeholder": "Bob", "importance": {"mail": 7}, "satisfaction": {"mail": 6}}]})
    >>> s = aggregate_survey(e).score("mail")
    >>> s.importance, s.satisfaction, s.gap
    (8.0, 5.0, 3.0)
    """
    answers = tuple(engagement.responses if responses is None else responses)
    _check(engagement, answers)
    low, high = engagement.survey.scale_min, engagement.survey.scale_max
    span = high - low
    raw: list[
        tuple[str, str, int, int, float | None, float | None, float | None, float | None]
    ] = []
    for service in engagement.services:
        importance = _answers(answers, "importance", service.id)
        satisfaction = _answers(answers, "satisfaction", service.id)
        mean_i, spread_i = _mean_spread(importance)
        mean_s, spread_s = _mean_spread(satisfaction)
        raw.append(
            (
                service.id,
                service.name,
                len(importance),
                len(satisfaction),
                mean_i,
                spread_i,
                mean_s,
                spread_s,
            )
        )
    rated_i = [r[4] for r in raw if r[4] is not None]
    rated_s = [r[6] for r in raw if r[6] is not None]
    mean_importance = _within(math.fsum(rated_i) / len(rated_i), rated_i) if rated_i else None
    mean_satisfaction = _within(math.fsum(rated_s) / len(rated_s), rated_s) if rated_s else None
    scores = []
    for service_id, name, n_i, n_s, imp, spread_i, sat, spread_s in raw:
        priority = None
        quadrant: Quadrant | None = None
        if imp is not None and sat is not None:
            priority = (imp - low) / span * (high - sat) / span
            if mean_importance is not None and mean_satisfaction is not None:
                important = imp >= mean_importance
                satisfying = sat >= mean_satisfaction
                quadrant = (
                    ("keep" if satisfying else "fix")
                    if important
                    else ("trim" if satisfying else "watch")
                )
        scores.append(
            ServiceScore(
                service=service_id,
                name=name,
                importance_answers=n_i,
                satisfaction_answers=n_s,
                importance=imp,
                satisfaction=sat,
                importance_spread=spread_i,
                satisfaction_spread=spread_s,
                gap=_difference(imp, sat),
                priority=priority,
                quadrant=quadrant,
                flagged=min(n_i, n_s) < engagement.survey.min_responses,
            )
        )
    # Highest priority first; unrated services last; ties by id for a stable order.
    scores.sort(key=lambda s: (s.priority is None, -(s.priority or 0.0), s.service))
    overall, _ = _mean_spread([(x, r.weight) for r in answers for x in r.satisfaction.values()])
    departments = _departments(engagement, answers)
    return SurveyResult(
        services=tuple(scores),
        departments=departments,
        responses=len(answers),
        overall_satisfaction=overall,
        mean_importance=mean_importance,
        mean_satisfaction=mean_satisfaction,
        department_summary=_summaries(answers, departments),
        scale_min=low,
        scale_max=high,
        min_responses=engagement.survey.min_responses,
    )


def _departments(
    engagement: Engagement, answers: Sequence[Response]
) -> tuple[DepartmentScore, ...]:
    rows = []
    for department in sorted({r.department for r in answers}):
        group = [r for r in answers if r.department == department]
        for service in sorted(s.id for s in engagement.services):
            importance, _ = _mean_spread(_answers(group, "importance", service))
            satisfaction, _ = _mean_spread(_answers(group, "satisfaction", service))
            count = sum(1 for r in group if service in r.importance or service in r.satisfaction)
            if count:
                rows.append(
                    DepartmentScore(
                        department=department,
                        service=service,
                        answers=count,
                        importance=importance,
                        satisfaction=satisfaction,
                        gap=_difference(importance, satisfaction),
                    )
                )
    return tuple(rows)


def _summaries(
    answers: Sequence[Response], scores: Sequence[DepartmentScore]
) -> tuple[DepartmentSummary, ...]:
    rows = []
    for department in sorted({r.department for r in answers}):
        group = [r for r in answers if r.department == department]
        importance, _ = _mean_spread([(x, r.weight) for r in group for x in r.importance.values()])
        satisfaction, _ = _mean_spread(
            [(x, r.weight) for r in group for x in r.satisfaction.values()]
        )
        rated = [s for s in scores if s.department == department and s.gap is not None]
        worst = min(
            rated, key=lambda s: (-(s.gap or 0.0), -(s.importance or 0.0), s.service), default=None
        )
        rows.append(
            DepartmentSummary(
                department=department,
                respondents=len(group),
                importance=importance,
                satisfaction=satisfaction,
                worst_service=worst.service if worst else None,
                worst_gap=worst.gap if worst else None,
            )
        )
    return tuple(rows)


def _check(engagement: Engagement, answers: Sequence[Response]) -> None:
    if not answers:
        raise InvalidEngagementError(
            [
                Problem(
                    code="empty-survey",
                    path="response",
                    message="the survey has no responses",
                    expected="at least one [[response]]",
                    suggestion="add stakeholder responses or import them from a CSV file",
                )
            ]
        )
    low, high = engagement.survey.scale_min, engagement.survey.scale_max
    services = engagement.service_by_id
    problems = []
    for index, response in enumerate(answers):
        for field in ("importance", "satisfaction"):
            for service, score in getattr(response, field).items():
                path = f"response[{index}].{field}.{service}"
                if service not in services:
                    problems.append(
                        Problem(
                            code="unknown-reference",
                            path=path,
                            message=f"{response.stakeholder} rated an unknown service",
                            value=repr(service),
                            expected="the id of a declared service",
                            suggestion=did_you_mean(service, services),
                        )
                    )
                elif not low <= score <= high:
                    problems.append(
                        Problem(
                            code="out-of-scale",
                            path=path,
                            message=f"{response.stakeholder}'s {field} for {service!r} is outside the scale",
                            value=repr(score),
                            expected=f"a score from {low:g} to {high:g}",
                        )
                    )
    if problems:
        raise InvalidEngagementError(problems)
