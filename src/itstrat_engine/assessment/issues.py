"""Derived issues: the worst survey results and maturity gaps, turned into key issues.

A service becomes a *candidate* when either

- its survey **priority** is at least `min_priority` (default 0.4) and it is not flagged for
  too few answers (unless `include_flagged`), or
- its **maturity gap** (target - current) is at least `min_maturity_gap` (default 2 levels).

Each candidate gets a severity on the 1-5 scale hand-written issues use, rounded to one
decimal: the larger of

- the survey severity ``5 * sqrt(priority)`` (the geometric mean of how important and how
  dissatisfying the service is, each normalized to 0..1, scaled to 0..5), and
- the maturity severity: the gap itself (levels on the 0-5 scale),

never below 1. A candidate's `Provenance` records which answers (every response that rated
the service) and which rating produced it, and the reasons in words.

**Merging without duplicates.** A hand-written issue that already lists the service in its
``services`` (or already has the derived id) *absorbs* the candidate: no new issue is made,
and the provenance names the absorbing issues, so the hand-written wording, objectives and
severity stay as the consultant wrote them. Every other candidate becomes a new `Issue` with
id ``svc-<service>`` (cut to 64 characters), the service in ``services``, no objectives (the
survey does not say which objective a service serves: link them by hand), tags ``derived``
plus ``survey`` and/or ``maturity``, and its figures in ``fields`` (``priority``,
``importance``, ``satisfaction``, ``gap``, ``maturity_gap``, ``current``, ``target``) for
rule packs to read. `DerivedIssues.merged` lists the hand-written issues in file order, then
the new ones by severity (highest first), priority, then id; `DerivedIssues.apply` returns
the engagement with them (``attrs.evolve``).
"""

import math
from collections.abc import Sequence

import attrs

from itstrat_engine.assessment.maturity import MaturityGap, MaturityResult, maturity_gaps
from itstrat_engine.assessment.survey import ServiceScore, SurveyResult, aggregate_survey
from itstrat_engine.model import Engagement, Issue, Response

__all__ = [
    "MIN_MATURITY_GAP",
    "MIN_PRIORITY",
    "Answer",
    "DerivedIssues",
    "Provenance",
    "derive_issues",
]

MIN_PRIORITY = 0.4
"""Default survey priority (0..1) from which a service becomes an issue."""
MIN_MATURITY_GAP = 2.0
"""Default maturity gap (levels on the 0-5 scale) from which a service becomes an issue."""

_ID_LENGTH = 64


@attrs.frozen(kw_only=True)
class Answer:
    """One stakeholder's answers behind a derived issue (`response` indexes the responses)."""

    response: int
    stakeholder: str
    department: str
    weight: float
    importance: float | None
    satisfaction: float | None


@attrs.frozen(kw_only=True)
class Provenance:
    """Why a service became an issue: the figures, the answers, the rating, the reasons.

    `issue` is the derived id (``svc-<service>``); when hand-written issues already cover the
    service, `absorbed_by` names them and no new issue exists.
    """

    issue: str
    service: str
    severity: float
    reasons: tuple[str, ...]
    score: ServiceScore | None
    maturity: MaturityGap | None
    answers: tuple[Answer, ...]
    absorbed_by: tuple[str, ...] = ()

    @property
    def new(self) -> bool:
        """True when this candidate became a new issue (no hand-written issue absorbed it)."""
        return not self.absorbed_by


@attrs.frozen(kw_only=True)
class DerivedIssues:
    """New issues, the provenance of every candidate, and the merged issue list."""

    issues: tuple[Issue, ...]
    provenance: tuple[Provenance, ...]
    merged: tuple[Issue, ...]
    skipped: tuple[str, ...] = ()
    """Services whose priority passed the threshold but had too few answers to trust."""
    min_priority: float = MIN_PRIORITY
    min_maturity_gap: float = MIN_MATURITY_GAP

    def apply(self, engagement: Engagement) -> Engagement:
        """The engagement with the merged issues (hand-written first, then the new ones)."""
        return attrs.evolve(engagement, issues=self.merged)

    def why(self, issue_id: str) -> Provenance:
        """The provenance of a derived issue id (KeyError when there is none)."""
        for record in self.provenance:
            if record.issue == issue_id:
                return record
        raise KeyError(issue_id)


def derive_issues(
    engagement: Engagement,
    survey: SurveyResult | None = None,
    *,
    responses: Sequence[Response] | None = None,
    maturity: MaturityResult | None = None,
    min_priority: float = MIN_PRIORITY,
    min_maturity_gap: float = MIN_MATURITY_GAP,
    include_flagged: bool = False,
) -> DerivedIssues:
    """Turn the worst survey results and maturity gaps into issues, merged with the file's.

    `survey` defaults to the aggregate of `responses` (default: the engagement's responses;
    with no responses at all only maturity gaps count). Pass the `responses` a given
    `survey` was aggregated from when they are not the engagement's, so the provenance can
    name them. `maturity` defaults to `maturity_gaps(engagement)`.

    >>> from itstrat_engine.io import from_dict
    >>> e = from_dict({"engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
    ...     "service": [{"id": "wifi", "name": "Wi-Fi", "current": 1, "target": 4},
    ...                 {"id": "mail", "name": "Email", "current": 3, "target": 3}],
    ...     "issue": [{"id": "drops", "name": "Wi-Fi drops", "services": ["wifi"]}],
    ...     "response": [{"stakeholder": s, "importance": {"mail": 9}, "satisfaction": {"mail": 3}}
    ...                  for s in "abc"]})
    >>> derived = derive_issues(e)
    >>> [(i.id, i.severity) for i in derived.issues]
    [('svc-mail', 4.2)]
    >>> derived.why("svc-wifi").absorbed_by
    ('drops',)
    """
    answers = tuple(engagement.responses if responses is None else responses)
    if survey is None and answers:
        survey = aggregate_survey(engagement, answers)
    if maturity is None:
        maturity = maturity_gaps(engagement)
    scores = {s.service: s for s in survey.services} if survey is not None else {}
    gaps = {row.service: row for row in maturity.gaps}
    high = survey.scale_max if survey is not None else engagement.survey.scale_max
    records: list[Provenance] = []
    new: list[tuple[Issue, float]] = []
    skipped: list[str] = []
    for service in engagement.services:
        score = scores.get(service.id)
        gap = gaps.get(service.id)
        by_survey = score is not None and (score.priority or 0.0) >= min_priority
        if by_survey and score is not None and score.flagged and not include_flagged:
            by_survey = False
            skipped.append(service.id)
        by_maturity = gap is not None and gap.gap >= min_maturity_gap
        if not (by_survey or by_maturity):
            continue
        issue_id = f"svc-{service.id}"[:_ID_LENGTH]
        reasons = []
        severity = 1.0
        if by_survey and score is not None and score.priority is not None:
            severity = max(severity, 5 * math.sqrt(score.priority))
            answers_count = min(score.importance_answers, score.satisfaction_answers)
            reasons.append(
                f"priority {score.priority:.2f} >= {min_priority:.2f}: importance "
                f"{score.importance:.1f}, satisfaction {score.satisfaction:.1f} of {high:g} "
                f"from {answers_count} answer{'s' if answers_count != 1 else ''}, "
                f"quadrant {score.quadrant}"
            )
        if by_maturity and gap is not None:
            severity = max(severity, gap.gap)
            reasons.append(
                f"maturity gap {gap.gap:g} >= {min_maturity_gap:g}: current {gap.current:g}, "
                f"target {gap.target:g}"
            )
        severity = round(min(severity, 5.0), 1)
        absorbed_by = tuple(
            issue.id
            for issue in engagement.issues
            if service.id in issue.services or issue.id == issue_id
        )
        records.append(
            Provenance(
                issue=issue_id,
                service=service.id,
                severity=severity,
                reasons=tuple(reasons),
                score=score if by_survey else None,
                maturity=gap if by_maturity else None,
                answers=_answers(answers, service.id) if by_survey else (),
                absorbed_by=absorbed_by,
            )
        )
        if not absorbed_by:
            issue = _issue(
                issue_id,
                service.name,
                service=service.id,
                severity=severity,
                score=score if by_survey else None,
                gap=gap if by_maturity else None,
            )
            priority = score.priority if by_survey and score and score.priority else 0.0
            new.append((issue, priority))
    new.sort(key=lambda item: (-(item[0].severity or 0.0), -item[1], item[0].id))
    rank = {issue.id: index for index, (issue, _) in enumerate(new)}
    records.sort(key=lambda r: (rank.get(r.issue, len(rank)), -r.severity, r.service))
    issues = tuple(issue for issue, _ in new)
    return DerivedIssues(
        issues=issues,
        provenance=tuple(records),
        merged=(*engagement.issues, *issues),
        skipped=tuple(skipped),
        min_priority=min_priority,
        min_maturity_gap=min_maturity_gap,
    )


def _answers(responses: Sequence[Response], service: str) -> tuple[Answer, ...]:
    return tuple(
        Answer(
            response=index,
            stakeholder=response.stakeholder,
            department=response.department,
            weight=response.weight,
            importance=response.importance.get(service),
            satisfaction=response.satisfaction.get(service),
        )
        for index, response in enumerate(responses)
        if service in response.importance or service in response.satisfaction
    )


def _issue(
    issue_id: str,
    name: str,
    *,
    service: str,
    severity: float,
    score: ServiceScore | None,
    gap: MaturityGap | None,
) -> Issue:
    parts = []
    fields: dict[str, float] = {}
    tags = ["derived"]
    if score is not None:
        tags.append("survey")
        parts.append(
            f"Stakeholders rate {name} {score.importance:.1f} for importance but "
            f"{score.satisfaction:.1f} for satisfaction (gap {score.gap:.1f})."
        )
        for key in ("priority", "importance", "satisfaction", "gap"):
            value = getattr(score, key)
            if value is not None:
                fields[key] = value
    if gap is not None:
        tags.append("maturity")
        parts.append(f"Maturity {gap.current:g} against a target of {gap.target:g}.")
        fields |= {"maturity_gap": gap.gap, "current": gap.current, "target": gap.target}
    what = {
        ("survey", "maturity"): "dissatisfied users and a maturity gap",
        ("survey",): "dissatisfied users",
        ("maturity",): "maturity gap",
    }[tuple(tags[1:])]
    return Issue(
        id=issue_id,
        name=f"{name}: {what}",
        description=" ".join(parts),
        severity=severity,
        services=(service,),
        tags=tuple(tags),
        fields=fields,
    )
