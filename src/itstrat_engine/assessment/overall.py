"""The whole of steps 1 and 2 in one call: weights, survey, maturity, issues, alignment.

`assess` runs every step on one engagement and returns one frozen `Assessment`;
`Assessment.as_dict` gives it as JSON-ready plain data (keys in a fixed order, floats as
computed) for tools that embed the engine.
"""

from collections import Counter
from collections.abc import Sequence
from typing import Any

import attrs

from itstrat_engine.assessment.coverage import Alignment, alignment
from itstrat_engine.assessment.issues import (
    MIN_MATURITY_GAP,
    MIN_PRIORITY,
    DerivedIssues,
    derive_issues,
)
from itstrat_engine.assessment.maturity import MaturityResult, maturity_gaps
from itstrat_engine.assessment.survey import SurveyResult, aggregate_survey
from itstrat_engine.assessment.weights import Weights, objective_weights
from itstrat_engine.errors import Problem
from itstrat_engine.model import Engagement, Response

__all__ = ["Assessment", "assess"]


@attrs.frozen(kw_only=True)
class Assessment:
    """Objective weights, survey, maturity gaps, derived issues and alignment of one engagement.

    `survey` is None when there are no responses; `warnings` collects what a reader should
    know (inconsistent judgments, services with too few answers, a stakeholder who answered
    twice, no survey at all).
    """

    client: str
    weights: Weights
    survey: SurveyResult | None
    maturity: MaturityResult
    derived_issues: DerivedIssues
    alignment: Alignment
    warnings: tuple[Problem, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The assessment as plain JSON-ready data (dicts, lists, strings, numbers, None)."""
        data: dict[str, Any] = _plain(self)
        derived = data["derived_issues"]
        del derived["merged"]  # the file's issues plus `issues`: no need to repeat them
        for record, provenance in zip(
            derived["provenance"], self.derived_issues.provenance, strict=True
        ):
            record["new"] = provenance.new
        data["alignment"]["aligned_share"] = self.alignment.aligned_share
        data["alignment"]["aligned_run_share"] = self.alignment.aligned_run_share
        return data


def _plain(value: object) -> Any:
    if isinstance(value, Problem):
        return value.as_dict()
    if attrs.has(type(value)):
        return {a.name: _plain(getattr(value, a.name)) for a in attrs.fields(type(value))}  # type: ignore[arg-type]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def assess(
    engagement: Engagement,
    responses: Sequence[Response] | None = None,
    *,
    min_priority: float = MIN_PRIORITY,
    min_maturity_gap: float = MIN_MATURITY_GAP,
    include_flagged: bool = False,
) -> Assessment:
    """Assess an engagement: every step of the current-state analysis in one result.

    `responses` replaces the engagement's own responses when given (pass
    ``(*engagement.responses, *more)`` to add to them). The thresholds go to
    `derive_issues` and `alignment`. Raises `InvalidEngagementError` for invalid weights or
    survey answers; run `itstrat_engine.check` first for cross-reference errors.

    >>> from itstrat_engine.io import from_dict
    >>> e = from_dict({"engagement": {"client": "Acme", "start": "2027-Q1", "periods": 4},
    ...     "objective": [{"id": "grow", "name": "Grow"}],
    ...     "service": [{"id": "crm", "name": "CRM", "current": 1, "target": 4}],
    ...     "response": [{"stakeholder": s, "importance": {"crm": 9}, "satisfaction": {"crm": 3}}
    ...                  for s in "abc"]})
    >>> result = assess(e)
    >>> result.survey.score("crm").quadrant, result.maturity.gap("crm").gap
    ('keep', 3.0)
    >>> [issue.id for issue in result.derived_issues.issues], result.alignment.unserved
    (['svc-crm'], ('grow',))
    """
    answers = tuple(engagement.responses if responses is None else responses)
    weights = objective_weights(engagement)
    survey = aggregate_survey(engagement, answers) if answers else None
    maturity = maturity_gaps(engagement)
    derived = derive_issues(
        engagement,
        survey,
        responses=answers,
        maturity=maturity,
        min_priority=min_priority,
        min_maturity_gap=min_maturity_gap,
        include_flagged=include_flagged,
    )
    aligned = alignment(engagement, survey, weights=weights, min_priority=min_priority)
    return Assessment(
        client=engagement.scope.client,
        weights=weights,
        survey=survey,
        maturity=maturity,
        derived_issues=derived,
        alignment=aligned,
        warnings=(*weights.warnings, *_warnings(engagement, answers, survey)),
    )


def _warnings(
    engagement: Engagement, answers: Sequence[Response], survey: SurveyResult | None
) -> list[Problem]:
    if survey is None:
        return [
            Problem(
                code="no-survey",
                path="response",
                message="no survey responses: services are assessed on maturity alone",
                suggestion="add [[response]] tables or import a CSV (itstrat assess --survey)",
                severity="warning",
            )
        ]
    warnings = []
    index = {service.id: i for i, service in reversed(list(enumerate(engagement.services)))}
    for score in sorted(survey.services, key=lambda s: index[s.service]):
        if score.flagged:
            answered = min(score.importance_answers, score.satisfaction_answers)
            warnings.append(
                Problem(
                    code="few-answers",
                    path=f"service[{index[score.service]}]",
                    message=f"too few answers for {score.service!r} to trust its figures",
                    value=f"{answered} answer{'s' if answered != 1 else ''}",
                    expected=f"at least {survey.min_responses} ([survey].min_responses)",
                    suggestion="ask more stakeholders who use it",
                    severity="warning",
                )
            )
    counts = Counter(r.stakeholder for r in answers)
    for name, count in counts.items():
        if count > 1:
            warnings.append(
                Problem(
                    code="duplicate-stakeholder",
                    path="response",
                    message=f"{name} answered the survey {count} times; every answer counts",
                    suggestion="keep one response per stakeholder (check the CSV against the file)",
                    severity="warning",
                )
            )
    return warnings
