"""Maturity gaps and derived issues: thresholds, severity, provenance, merging, determinism."""

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.assessment import (
    Answer,
    MaturityGap,
    aggregate_survey,
    derive_issues,
    maturity_gaps,
)


def engagement(**extra: Any) -> it.Engagement:
    data: dict[str, Any] = {
        "engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
        "objective": [{"id": "grow", "name": "Grow"}],
        "service": [
            {"id": "phones", "name": "Phones", "current": 1, "target": 3.5},
            {"id": "mail", "name": "Email", "current": 3, "target": 3.5},
            {"id": "wifi", "name": "Wi-Fi", "kind": "capability", "current": 2, "target": 3},
            {"id": "crm", "name": "CRM"},
        ],
        "survey": {"min_responses": 2},
        "response": [
            {
                "stakeholder": "Ann",
                "department": "Sales",
                "importance": {"mail": 9, "wifi": 8, "crm": 9},
                "satisfaction": {"mail": 3, "wifi": 7, "crm": 2},
            },
            {
                "stakeholder": "Bob",
                "department": "Ops",
                "weight": 2,
                "importance": {"mail": 9, "wifi": 6},
                "satisfaction": {"mail": 4, "wifi": 8},
            },
        ],
        "issue": [
            {"id": "dropped-calls", "name": "Dropped calls", "severity": 4, "services": ["phones"]}
        ],
    }
    return it.from_dict(data | extra)


def test_maturity_gaps_sorted_with_unrated_listed() -> None:
    """Gap is target - current, largest first then by id; unrated services are listed apart."""
    result = maturity_gaps(engagement())
    assert result.gaps == (
        MaturityGap(
            service="phones", name="Phones", kind="service", current=1, target=3.5, gap=2.5
        ),
        MaturityGap(service="wifi", name="Wi-Fi", kind="capability", current=2, target=3, gap=1),
        MaturityGap(service="mail", name="Email", kind="service", current=3, target=3.5, gap=0.5),
    )
    assert result.unrated == ("crm",)
    assert result.gap("wifi").gap == 1
    with pytest.raises(KeyError):
        result.gap("crm")


def test_maturity_above_target_is_a_negative_gap() -> None:
    """A service already above its target shows a negative gap, sorted last."""
    e = engagement(service=[{"id": "a", "name": "A", "current": 4, "target": 3}])
    assert maturity_gaps(e).gaps[0].gap == -1


def test_derived_issue_from_survey_with_severity_and_fields() -> None:
    """Email: priority >= 0.4 makes a new issue; severity is 5 * sqrt(priority)."""
    derived = derive_issues(engagement())
    mail = aggregate_survey(engagement()).score("mail")
    assert mail.priority is not None
    (issue,) = [i for i in derived.issues if i.id == "svc-mail"]
    assert issue.severity == round(5 * math.sqrt(mail.priority), 1)
    assert issue.name == "Email: dissatisfied users"
    assert issue.services == ("mail",)
    assert issue.objectives == ()
    assert issue.tags == ("derived", "survey")
    assert issue.fields == {
        "priority": mail.priority,
        "importance": 9.0,
        "satisfaction": mail.satisfaction,
        "gap": mail.gap,
    }
    assert issue.description == (
        "Stakeholders rate Email 9.0 for importance but 3.7 for satisfaction (gap 5.3)."
    )


def test_provenance_names_the_answers_and_reasons() -> None:
    """The provenance lists every answer behind the issue and says why in words."""
    record = derive_issues(engagement()).why("svc-mail")
    assert record.new
    assert record.answers == (
        Answer(
            response=0,
            stakeholder="Ann",
            department="Sales",
            weight=1.0,
            importance=9,
            satisfaction=3,
        ),
        Answer(
            response=1,
            stakeholder="Bob",
            department="Ops",
            weight=2.0,
            importance=9,
            satisfaction=4,
        ),
    )
    assert record.reasons == (
        "priority 0.63 >= 0.40: importance 9.0, satisfaction 3.7 of 10 from 2 answers, "
        "quadrant fix",
    )
    assert record.maturity is None


def test_maturity_candidate_absorbed_by_hand_written_issue() -> None:
    """Phones has a maturity gap of 2.5 but 'dropped-calls' already names it: no new issue."""
    derived = derive_issues(engagement())
    record = derived.why("svc-phones")
    assert record.absorbed_by == ("dropped-calls",)
    assert not record.new
    assert record.severity == 2.5
    assert record.reasons == ("maturity gap 2.5 >= 2: current 1, target 3.5",)
    assert record.maturity is not None
    assert record.answers == ()
    assert "svc-phones" not in {i.id for i in derived.issues}


def test_flagged_service_is_skipped_unless_included() -> None:
    """CRM has one answer (fewer than min_responses 2): skipped, or raised on request."""
    default = derive_issues(engagement())
    assert default.skipped == ("crm",)
    assert "svc-crm" not in {i.id for i in default.issues}
    included = derive_issues(engagement(), include_flagged=True)
    assert "svc-crm" in {i.id for i in included.issues}
    assert included.skipped == ()


def test_thresholds_are_parameters() -> None:
    """Stricter thresholds give fewer candidates; looser ones more."""
    strict = derive_issues(engagement(), min_priority=0.9, min_maturity_gap=3)
    assert strict.provenance == ()
    loose = derive_issues(engagement(), min_priority=0.0, min_maturity_gap=0.5)
    assert [r.service for r in loose.provenance] == ["mail", "wifi", "phones"]
    assert (loose.min_priority, loose.min_maturity_gap) == (0.0, 0.5)


def test_both_sources_take_the_larger_severity() -> None:
    """A service bad on both counts gets both reasons and the larger severity."""
    e = engagement(
        service=[
            {"id": "mail", "name": "Email", "current": 0, "target": 5},
            {"id": "wifi", "name": "Wi-Fi"},
            {"id": "crm", "name": "CRM"},
        ],
        issue=[],
    )
    (issue,) = derive_issues(e).issues
    assert issue.severity == 5.0
    assert issue.name == "Email: dissatisfied users and a maturity gap"
    assert issue.tags == ("derived", "survey", "maturity")
    assert issue.fields["maturity_gap"] == 5.0


def test_merged_keeps_hand_written_first_and_apply_validates() -> None:
    """merged = the file's issues then the new ones; the evolved engagement is valid."""
    e = engagement()
    derived = derive_issues(e, include_flagged=True)
    assert [i.id for i in derived.merged] == ["dropped-calls", "svc-crm", "svc-mail"]
    assert derived.merged[len(e.issues) :] == derived.issues
    merged = derived.apply(e)
    assert merged.issues == derived.merged
    assert [p for p in it.validate(merged) if p.severity == "error"] == []
    again = derive_issues(merged, include_flagged=True)
    assert again.issues == ()
    assert {r.issue: r.absorbed_by for r in again.provenance}["svc-mail"] == ("svc-mail",)


def test_new_issues_ordered_by_severity() -> None:
    """New issues come highest severity first, ties by priority then id."""
    derived = derive_issues(engagement(), include_flagged=True)
    severities = [i.severity or 0.0 for i in derived.issues]
    assert severities == sorted(severities, reverse=True)


def test_without_responses_only_maturity_counts() -> None:
    """An engagement with no survey still derives issues from maturity gaps."""
    e = engagement(response=[], issue=[])
    derived = derive_issues(e)
    assert [i.id for i in derived.issues] == ["svc-phones"]
    assert derived.issues[0].name == "Phones: maturity gap"


def test_long_service_id_gives_a_valid_issue_id() -> None:
    """svc-<id> is cut to 64 characters so it is still a valid id."""
    long_id = "s" * 64
    e = engagement(
        service=[{"id": long_id, "name": "Long", "current": 0, "target": 4}], response=[], issue=[]
    )
    (issue,) = derive_issues(e).issues
    assert issue.id == ("svc-" + long_id)[:64]


def test_survey_from_elsewhere_with_its_responses() -> None:
    """A survey aggregated from other responses is used, with those responses as provenance."""
    e = engagement()
    others = (
        it.Response(stakeholder="Zed", importance={"wifi": 10}, satisfaction={"wifi": 1}),
        it.Response(stakeholder="Yan", importance={"wifi": 10}, satisfaction={"wifi": 1}),
    )
    derived = derive_issues(e, aggregate_survey(e, others), responses=others)
    assert [a.stakeholder for a in derived.why("svc-wifi").answers] == ["Zed", "Yan"]


scores = st.integers(1, 10)


@given(
    st.lists(
        st.tuples(st.sampled_from(["phones", "mail", "wifi", "crm"]), scores, scores),
        min_size=1,
        max_size=12,
    ),
    st.floats(0, 1),
    st.floats(0, 5),
)
def test_every_candidate_is_new_or_absorbed_and_ids_stay_unique(
    answers: list[tuple[str, int, int]], min_priority: float, min_gap: float
) -> None:
    """Merging never duplicates an id; the result is the same when computed twice."""
    responses = [
        {"stakeholder": f"p{k}", "importance": {s: i}, "satisfaction": {s: v}}
        for k, (s, i, v) in enumerate(answers)
    ]
    e = engagement(response=responses)
    derived = derive_issues(e, min_priority=min_priority, min_maturity_gap=min_gap)
    ids = [i.id for i in derived.merged]
    assert len(ids) == len(set(ids))
    assert {r.issue for r in derived.provenance if r.new} == {i.id for i in derived.issues}
    assert all(1 <= (i.severity or 0) <= 5 for i in derived.issues)
    assert derive_issues(e, min_priority=min_priority, min_maturity_gap=min_gap) == derived
