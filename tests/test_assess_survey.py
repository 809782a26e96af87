"""Survey aggregation: every aggregate of a hand-computed survey, order independence, bad input."""

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.assessment import DepartmentScore, DepartmentSummary, aggregate_survey

SERVICES = [{"id": s, "name": s.upper()} for s in ("mail", "crm", "wifi", "print", "vpn")]

# Three stakeholders, weights 2/1/1; Cat skips vpn's satisfaction, nobody rates vpn twice.
RESPONSES: list[dict[str, Any]] = [
    {
        "stakeholder": "Ann",
        "department": "Sales",
        "weight": 2,
        "importance": {"mail": 9, "crm": 8},
        "satisfaction": {"mail": 3, "crm": 6},
    },
    {
        "stakeholder": "Bob",
        "department": "Sales",
        "importance": {"mail": 6, "crm": 10, "wifi": 4, "print": 5},
        "satisfaction": {"mail": 6, "crm": 9, "wifi": 8, "print": 4},
    },
    {
        "stakeholder": "Cat",
        "department": "Ops",
        "importance": {"mail": 9, "wifi": 6, "vpn": 7, "print": 3},
        "satisfaction": {"mail": 3, "wifi": 8, "print": 2},
    },
]


def engagement(
    responses: list[dict[str, Any]] | None = None,
    survey: dict[str, Any] | None = None,
    services: list[dict[str, Any]] | None = None,
) -> it.Engagement:
    data: dict[str, Any] = {
        "engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
        "service": SERVICES if services is None else services,
        "survey": {"min_responses": 2} if survey is None else survey,
        "response": RESPONSES if responses is None else responses,
    }
    return it.from_dict(data)


def approx(value: float) -> Any:
    return pytest.approx(value, rel=1e-12, abs=1e-12)


def test_hand_computed_service_aggregates() -> None:
    """Weighted means, spreads, gap, priority, quadrant and flag match the hand computation."""
    result = aggregate_survey(engagement())
    mail = result.score("mail")
    # importance (9 w2, 6, 9) -> 33/4; satisfaction (3 w2, 6, 3) -> 15/4
    assert mail.importance == approx(33 / 4)
    assert mail.satisfaction == approx(15 / 4)
    assert mail.importance_spread == approx(math.sqrt(27 / 16))
    assert mail.satisfaction_spread == approx(math.sqrt(27 / 16))
    assert mail.gap == approx(4.5)
    assert mail.priority == approx((33 / 4 - 1) / 9 * (10 - 15 / 4) / 9)
    assert (mail.importance_answers, mail.satisfaction_answers) == (3, 3)
    assert (mail.quadrant, mail.flagged) == ("fix", False)

    crm = result.score("crm")
    assert crm.importance == approx(26 / 3)
    assert crm.satisfaction == approx(7.0)
    assert crm.importance_spread == approx(math.sqrt(8 / 9))
    assert crm.satisfaction_spread == approx(math.sqrt(2))
    assert crm.gap == approx(5 / 3)
    assert crm.priority == approx(23 / 81)
    assert (crm.quadrant, crm.flagged) == ("keep", False)

    wifi = result.score("wifi")
    assert (wifi.importance, wifi.satisfaction) == (approx(5.0), approx(8.0))
    assert (wifi.importance_spread, wifi.satisfaction_spread) == (approx(1.0), approx(0.0))
    assert (wifi.gap, wifi.priority, wifi.quadrant) == (approx(-3.0), approx(8 / 81), "trim")

    printing = result.score("print")
    assert (printing.importance, printing.satisfaction) == (approx(4.0), approx(3.0))
    assert (printing.gap, printing.priority, printing.quadrant) == (
        approx(1.0),
        approx(21 / 81),
        "watch",
    )

    vpn = result.score("vpn")
    assert (vpn.importance, vpn.importance_spread) == (approx(7.0), approx(0.0))
    assert (vpn.satisfaction, vpn.satisfaction_spread, vpn.gap, vpn.priority) == (
        None,
        None,
        None,
        None,
    )
    assert (vpn.importance_answers, vpn.satisfaction_answers) == (1, 0)
    assert (vpn.quadrant, vpn.flagged) == (None, True)


def test_hand_computed_survey_totals() -> None:
    """Order by priority, the quadrant means and the overall satisfaction are pinned."""
    result = aggregate_survey(engagement())
    assert [s.service for s in result.services] == ["mail", "crm", "print", "wifi", "vpn"]
    assert result.responses == 3
    assert result.mean_importance == approx((33 / 4 + 26 / 3 + 5 + 7 + 4) / 5)
    assert result.mean_satisfaction == approx((15 / 4 + 7 + 8 + 3) / 4)
    # every satisfaction answer with its response's weight: (2*(3+6) + 27 + 13) / 11
    assert result.overall_satisfaction == approx(58 / 11)
    assert result.flagged == ("vpn",)
    assert (result.scale_min, result.scale_max, result.min_responses) == (1, 10, 2)


def test_hand_computed_departments() -> None:
    """Per department and service: weighted means, gap and answer counts."""
    rows = aggregate_survey(engagement()).departments
    assert rows == (
        DepartmentScore(
            department="Ops", service="mail", answers=1, importance=9, satisfaction=3, gap=6
        ),
        DepartmentScore(
            department="Ops", service="print", answers=1, importance=3, satisfaction=2, gap=1
        ),
        DepartmentScore(
            department="Ops", service="vpn", answers=1, importance=7, satisfaction=None, gap=None
        ),
        DepartmentScore(
            department="Ops", service="wifi", answers=1, importance=6, satisfaction=8, gap=-2
        ),
        DepartmentScore(
            department="Sales",
            service="crm",
            answers=2,
            importance=approx(26 / 3),
            satisfaction=approx(7),
            gap=approx(5 / 3),
        ),
        DepartmentScore(
            department="Sales", service="mail", answers=2, importance=8, satisfaction=4, gap=4
        ),
        DepartmentScore(
            department="Sales", service="print", answers=1, importance=5, satisfaction=4, gap=1
        ),
        DepartmentScore(
            department="Sales", service="wifi", answers=1, importance=4, satisfaction=8, gap=-4
        ),
    )


def test_hand_computed_department_summary() -> None:
    """Each department's respondents, overall means and biggest gap."""
    assert aggregate_survey(engagement()).department_summary == (
        DepartmentSummary(
            department="Ops",
            respondents=1,
            importance=approx(25 / 4),
            satisfaction=approx(13 / 3),
            worst_service="mail",
            worst_gap=approx(6.0),
        ),
        DepartmentSummary(
            department="Sales",
            respondents=2,
            importance=approx(59 / 8),
            satisfaction=approx(45 / 8),
            worst_service="mail",
            worst_gap=approx(4.0),
        ),
    )


def test_skipped_answer_is_missing_not_zero() -> None:
    """Skipping a service leaves its means alone; an explicit 0 (on a 0-10 scale) pulls them down."""
    base = [
        {"stakeholder": s, "importance": {"mail": 8}, "satisfaction": {"mail": 6}} for s in "ab"
    ]
    skipped = engagement(
        [*base, {"stakeholder": "c", "importance": {"crm": 5}, "satisfaction": {"crm": 5}}],
        {"scale_min": 0},
    )
    zero = engagement(
        [*base, {"stakeholder": "c", "importance": {"mail": 0}, "satisfaction": {"mail": 0}}],
        {"scale_min": 0},
    )
    assert aggregate_survey(skipped).score("mail").satisfaction == 6
    assert aggregate_survey(skipped).score("mail").satisfaction_answers == 2
    assert aggregate_survey(zero).score("mail").satisfaction == 4


def test_zero_weight_counts_as_an_answer_but_not_in_the_mean() -> None:
    """A response with weight 0 is counted for the flag but does not move the means."""
    result = aggregate_survey(
        engagement(
            [
                {"stakeholder": "a", "importance": {"mail": 8}, "satisfaction": {"mail": 6}},
                {
                    "stakeholder": "b",
                    "weight": 0,
                    "importance": {"mail": 1},
                    "satisfaction": {"mail": 1},
                },
            ]
        )
    )
    mail = result.score("mail")
    assert (mail.importance, mail.satisfaction, mail.satisfaction_answers) == (8, 6, 2)


def test_priority_is_one_for_most_important_least_satisfying() -> None:
    """Importance at the top and satisfaction at the bottom of the scale give priority 1."""
    result = aggregate_survey(
        engagement([{"stakeholder": "a", "importance": {"mail": 10}, "satisfaction": {"mail": 1}}])
    )
    assert result.score("mail").priority == 1.0


def test_responses_argument_replaces_the_files() -> None:
    """Responses passed in are aggregated instead of the engagement's own."""
    e = engagement()
    other = (it.Response(stakeholder="Zed", importance={"wifi": 10}, satisfaction={"wifi": 1}),)
    result = aggregate_survey(e, other)
    assert result.responses == 1
    assert result.score("wifi").priority == 1.0
    assert result.score("mail").importance is None


def test_score_of_unknown_service_is_a_key_error() -> None:
    """Asking for a service that is not in the engagement raises KeyError."""
    with pytest.raises(KeyError):
        aggregate_survey(engagement()).score("fax")


def test_empty_survey_is_an_error() -> None:
    """No responses at all is a clear error, not an empty table."""
    with pytest.raises(it.InvalidEngagementError) as error:
        aggregate_survey(engagement([]))
    assert [str(p) for p in error.value.problems] == [
        "response: the survey has no responses, expected at least one [[response]]; "
        "add stakeholder responses or import them from a CSV file"
    ]


def test_unknown_service_in_a_response() -> None:
    """A rated service that is not declared is named, with a suggestion."""
    with pytest.raises(it.InvalidEngagementError) as error:
        aggregate_survey(
            engagement([{"stakeholder": "Ann", "importance": {"mial": 9}, "satisfaction": {}}])
        )
    assert [str(p) for p in error.value.problems] == [
        "response[0].importance.mial: Ann rated an unknown service: got 'mial', "
        "expected the id of a declared service; did you mean 'mail'?"
    ]


def test_out_of_scale_names_stakeholder_service_and_value() -> None:
    """Every score outside the scale is reported with who, which service and what value."""
    with pytest.raises(it.InvalidEngagementError) as error:
        aggregate_survey(
            engagement(
                [
                    {"stakeholder": "Ann", "importance": {"mail": 11}, "satisfaction": {"mail": 5}},
                    {"stakeholder": "Bob", "importance": {"crm": 5}, "satisfaction": {"crm": 0}},
                ]
            )
        )
    assert [str(p) for p in error.value.problems] == [
        "response[0].importance.mail: Ann's importance for 'mail' is outside the scale: "
        "got 11.0, expected a score from 1 to 10",
        "response[1].satisfaction.crm: Bob's satisfaction for 'crm' is outside the scale: "
        "got 0.0, expected a score from 1 to 10",
    ]


def test_nan_score_from_python_is_refused() -> None:
    """A NaN built in Python (files cannot hold one) is outside every scale."""
    e = engagement()
    bad = (it.Response(stakeholder="Ann", importance={"mail": math.nan}),)
    with pytest.raises(it.InvalidEngagementError, match="outside the scale: got nan"):
        aggregate_survey(e, bad)


# --------------------------------------------------------------------------- properties

scores = st.integers(1, 10).map(float) | st.floats(1, 10)


@st.composite
def surveys(draw: st.DrawFn) -> list[it.Response]:
    """Random responses over the five services, with skipped answers and weights."""
    ids = [s["id"] for s in SERVICES]
    count = draw(st.integers(1, 8))
    return [
        it.Response(
            stakeholder=f"s{k}",
            department=draw(st.sampled_from(["", "Ops", "Sales", "Clinic"])),
            weight=draw(st.sampled_from([0.5, 1.0, 1.5, 2.0]) | st.floats(0, 5)),
            importance=draw(st.dictionaries(st.sampled_from(ids), scores)),
            satisfaction=draw(st.dictionaries(st.sampled_from(ids), scores)),
        )
        for k in range(count)
    ]


@given(st.data())
def test_response_order_does_not_change_any_aggregate(data: st.DataObject) -> None:
    """Shuffling the responses gives exactly the same result (sums are exactly rounded)."""
    responses = data.draw(surveys())
    shuffled = data.draw(st.permutations(responses))
    e = engagement([])
    assert aggregate_survey(e, shuffled) == aggregate_survey(e, responses)


@given(surveys())
def test_priorities_lie_in_0_1_and_come_first_to_last(responses: list[it.Response]) -> None:
    """Priorities are within 0..1, sorted highest first, unrated services last."""
    result = aggregate_survey(engagement([]), responses)
    priorities = [s.priority for s in result.services]
    rated = [p for p in priorities if p is not None]
    assert all(0 <= p <= 1 for p in rated)
    assert rated == sorted(rated, reverse=True)
    assert priorities[: len(rated)] == rated
    for score in result.services:
        assert (score.quadrant is None) == (score.priority is None)


@given(
    st.lists(
        st.tuples(st.integers(1, 10), st.floats(0.01, 100, allow_nan=False)),
        min_size=1,
        max_size=12,
    )
)
def test_weighted_means_stay_within_the_answers(answers: list[tuple[int, float]]) -> None:
    """Rounding never carries a mean outside the answers."""
    responses = [
        {
            "stakeholder": f"s{n}",
            "department": "D",
            "weight": weight,
            "importance": {"mail": value},
            "satisfaction": {"mail": value},
        }
        for n, (value, weight) in enumerate(answers)
    ]
    result = aggregate_survey(engagement(responses, survey={"min_responses": 1}))
    score = result.score("mail")
    values = [value for value, _ in answers]
    assert score.importance is not None
    assert min(values) <= score.importance <= max(values)
    assert min(values) <= score.satisfaction <= max(values)  # type: ignore[operator]


def test_identical_answers_average_to_themselves() -> None:
    responses = [
        {
            "stakeholder": f"s{n}",
            "department": "D",
            "weight": 0.1,
            "importance": {"mail": 10},
            "satisfaction": {"mail": 10},
        }
        for n in range(3)  # plain arithmetic gives 9.999999999999998
    ]
    score = aggregate_survey(engagement(responses, survey={"min_responses": 1})).score("mail")
    assert score.importance == 10.0
    assert score.satisfaction == 10.0
