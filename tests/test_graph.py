"""The strategy graph: validation of references, cycles and windows; tracing; waves."""

import attrs
import pytest
from hypothesis import given

import itstrat_engine as it
from itstrat_engine.errors import DependencyCycleError, InvalidEngagementError
from tests.strategies import engagements

BASE = """\
[engagement]
client = "Acme"
start = "2027-Q1"
periods = 4

[[objective]]
id = "grow"
name = "Grow revenue"

[[objective]]
id = "secure"
name = "Stay secure"
kind = "it"
supports = ["grow"]

[[service]]
id = "email"
name = "Email"

[[issue]]
id = "phishing"
name = "Phishing"
objectives = ["secure"]
services = ["email"]

[capacity]
skills = { security = 100 }
"""


def engagement(extra: str = "") -> it.Engagement:
    return it.loads(BASE + extra)


def initiative(id_: str, **fields: object) -> str:
    lines = [f'\n[[initiative]]\nid = "{id_}"\nname = "{id_.upper()}"']
    for key, value in fields.items():
        if isinstance(value, bool):
            shown = str(value).lower()
        elif isinstance(value, str):
            shown = f'"{value}"'
        elif isinstance(value, list):
            shown = "[" + ", ".join(f'"{v}"' for v in value) + "]"
        else:
            shown = str(value)
        lines.append(f"{key} = {shown}")
    return "\n".join(lines) + "\n"


def errors(e: it.Engagement) -> list[str]:
    return [str(p) for p in it.validate(e) if p.severity == "error"]


def warnings(e: it.Engagement) -> list[str]:
    return [str(p) for p in it.validate(e) if p.severity == "warning"]


def test_clean_engagement_has_no_problems() -> None:
    """A linked initiative gives neither errors nor warnings."""
    e = engagement(
        initiative("mfa").replace('name = "MFA"', 'name = "MFA"\naddresses = { phishing = 1.0 }')
    )
    assert it.validate(e) == ()


def test_unknown_reference_with_suggestion() -> None:
    """An unknown issue id is located and a close id suggested."""
    e = engagement(
        initiative("mfa").replace('name = "MFA"', 'name = "MFA"\naddresses = { phishng = 1.0 }')
    )
    assert errors(e) == [
        "initiative[0].addresses.phishng: unknown issue: got 'phishng', expected the id of a "
        "declared issue; did you mean 'phishing'?"
    ]


def test_duplicate_ids() -> None:
    """A second initiative with the same id is an error naming the first."""
    e = engagement(initiative("mfa") + initiative("mfa"))
    assert (
        "initiative[1].id: duplicate initiative id: got 'mfa', expected ids unique within "
        in errors(e)[0]
    )
    assert errors(e)[0].endswith("rename it; initiative[0] already uses it")


def test_cycle_is_named() -> None:
    """A requires cycle is reported as a -> b -> c -> a."""
    e = engagement(
        initiative("a", requires=["b"])
        + initiative("b", requires=["c"])
        + initiative("c", requires=["a"])
    )
    assert errors(e) == [
        "initiative[0].requires: requires forms a cycle: got a -> b -> c -> a, expected no "
        "initiative to require itself through others; remove one of these requirements"
    ]
    with pytest.raises(DependencyCycleError) as error:
        it.check(e)
    assert error.value.cycle == ("a", "b", "c", "a")
    with pytest.raises(DependencyCycleError):
        it.StrategyGraph(e).waves()


def test_two_cycles_both_reported() -> None:
    """Every independent cycle is reported."""
    e = engagement(
        initiative("a", requires=["b"])
        + initiative("b", requires=["a"])
        + initiative("x", requires=["y"])
        + initiative("y", requires=["x"])
    )
    assert [p.value for p in it.validate(e) if p.code == "cycle"] == ["a -> b -> a", "x -> y -> x"]


def test_self_reference() -> None:
    """Requiring yourself is named as such."""
    e = engagement(initiative("a", requires=["a"]))
    assert errors(e) == [
        "initiative[0].requires: initiative 'a' requires itself: got 'a'; remove 'a' from requires"
    ]


def test_requires_and_excludes_same() -> None:
    """Requiring and excluding the same initiative is contradictory."""
    e = engagement(initiative("a", requires=["b"], excludes=["b"]) + initiative("b"))
    assert errors(e) == [
        "initiative[0].excludes: initiative 'a' both requires and excludes 'b': got 'b', "
        "expected requires or excludes, not both; decide which one is true"
    ]


def test_group_problems() -> None:
    """Unknown members and impossible counts are errors."""
    e = engagement(
        initiative("a")
        + initiative("b")
        + '\n[[group]]\nid = "g"\nkind = "at_least"\ncount = 3\nmembers = ["a", "bb"]\n'
    )
    assert errors(e) == [
        "group[0].members[1]: unknown initiative: got 'bb', expected the id of a declared initiative; did you mean 'b'?",
        "group[0].count: group 'g' asks for more members than it has: got 3, expected at most 2 (the number of members)",
    ]


def test_earliest_after_deadline() -> None:
    """An empty window is an error."""
    e = engagement(initiative("a", earliest="2027-Q3", deadline=1))
    assert errors(e) == [
        "initiative[0].deadline: deadline of 'a' is before its earliest period: got 1, expected a "
        "period at or after earliest ('2027-Q3')"
    ]


def test_duration_does_not_fit_window() -> None:
    """A duration longer than its window is an error."""
    e = engagement(initiative("a", duration=3, earliest=2))
    assert errors(e) == [
        "initiative[0].duration: 'a' cannot fit its duration between earliest and deadline (or the "
        "horizon): got 3, expected at most 2 periods (from 2027-Q3 to 2027-Q4); shorten it, widen "
        "its window, or extend the horizon"
    ]


def test_duration_longer_than_horizon() -> None:
    """A duration longer than the horizon is an error."""
    e = engagement(initiative("a", duration=5))
    assert "expected at most 4 periods (from 2027-Q1 to 2027-Q4)" in errors(e)[0]


def test_period_label_outside_horizon() -> None:
    """An unknown label gets the horizon's range and a suggestion."""
    e = engagement(initiative("a", deadline="2027-Q5"))
    assert errors(e) == [
        "initiative[0].deadline: period outside the horizon: got '2027-Q5', expected a label "
        "2027-Q1..2027-Q4 or an index 0..3; did you mean '2027-Q4'?"
    ]


def test_chain_too_long_mandatory_is_error_optional_is_warning() -> None:
    """A requires chain that cannot finish in time blocks mandatory work, warns otherwise."""
    chain = initiative("a", duration=2) + initiative("b", duration=2, requires=["a"])
    mandatory = engagement(chain + initiative("c", requires=["b"], mandatory=True))
    assert errors(mandatory) == [
        "initiative[2].requires: 'c' cannot finish in time after what it requires: got a -> b -> c "
        "(needs 5 periods), expected finishing by 2027-Q4 (period 3); mandatory work that cannot "
        "fit: shorten the chain, move the deadline or extend the horizon"
    ]
    optional = engagement(chain + initiative("c", requires=["b"]))
    assert errors(optional) == []
    assert any("'c' cannot finish in time" in w for w in warnings(optional))


def test_unknown_skill() -> None:
    """Effort on an undeclared skill is an error with a suggestion."""
    e = engagement(initiative("a").replace('name = "A"', 'name = "A"\neffort = { securty = 10 }'))
    assert errors(e) == [
        "initiative[0].effort.securty: effort on a skill with no capacity: got 'securty', expected "
        "a skill listed in [capacity.skills] or [capacity.contractors]; did you mean 'security'?"
    ]


def test_per_period_list_length() -> None:
    """A per-period list must have one value per period."""
    e = it.loads(BASE.replace("skills = { security = 100 }", "skills = { security = [1, 2, 3] }"))
    assert errors(e) == [
        "capacity.skills.security: wrong number of per-period values: got 3 values, expected one "
        "number, or exactly 4 (one per period); give a single number to use it in every period"
    ]


def test_survey_scale_and_unknown_service() -> None:
    """Out-of-scale scores and unknown services name the stakeholder and service."""
    e = engagement(
        '\n[[response]]\nstakeholder = "Dr Lee"\nimportance = { email = 11, emial = 3 }\n'
    )
    assert errors(e) == [
        "response[0].importance.emial: unknown service: got 'emial', expected the id of a declared "
        "service; did you mean 'email'?",
        "response[0].importance.email: Dr Lee's importance for 'email' is outside the scale: got "
        "11.0, expected a score from 1 to 10; fix the answer or declare the scale in [survey]",
    ]


def test_gate_conflicts() -> None:
    """Mandatory work cannot require forbidden work or exclude other mandatory work."""
    e = engagement(
        initiative("a", mandatory=True, requires=["b"], excludes=["c"])
        + initiative("b", forbidden=True)
        + initiative("c", mandatory=True)
    )
    assert errors(e) == [
        "initiative[0].requires: mandatory 'a' requires 'b', which is forbidden; drop one of the gates or the link",
        "initiative[0].excludes: mandatory 'a' excludes 'c', which is mandatory too; drop one of the gates or the link",
    ]


def test_business_objective_cannot_support() -> None:
    """Only IT objectives support others."""
    e = it.loads(
        BASE.replace('name = "Grow revenue"', 'name = "Grow revenue"\nsupports = ["secure"]')
    )
    codes = [p.code for p in it.validate(e) if p.severity == "error"]
    assert codes == ["business-supports", "supports-it"]


def test_alignment_warnings() -> None:
    """Keep-the-lights-on initiatives and unserved business objectives are warnings."""
    e = engagement(initiative("patching"))
    assert warnings(e) == [
        "initiative[0]: initiative 'patching' traces to no business objective (keep-the-lights-on "
        "work); link it to an issue or objective if it serves the business",
        "objective[0]: business objective 'grow' is served by no initiative; propose an "
        "initiative for it or confirm it needs none",
    ]
    assert it.check(e) == it.validate(e)


def test_check_raises_with_all_problems() -> None:
    """check raises InvalidEngagementError carrying every problem."""
    e = engagement(initiative("a", requires=["zz"], duration=9))
    with pytest.raises(InvalidEngagementError) as error:
        it.check(e, "x.toml")
    assert [p.code for p in error.value.errors] == ["unknown-reference", "does-not-fit"]
    assert all(p.file == "x.toml" for p in error.value.problems)


def test_trace_through_issue_and_it_objective() -> None:
    """Trace follows initiative -> issue -> IT objective -> business objective."""
    e = engagement(
        initiative("mfa").replace(
            'name = "MFA"',
            'name = "MFA"\naddresses = { phishing = 1.0 }\nobjectives = { grow = 0.2 }',
        )
    )
    graph = it.StrategyGraph(e)
    assert graph.trace("mfa") == (
        ("initiative:mfa", "issue:phishing", "objective:secure", "objective:grow"),
        ("initiative:mfa", "objective:grow"),
    )
    assert graph.serves("mfa") == ("grow",)
    assert graph.served_by("grow") == ("mfa",)


def test_waves_are_dependency_levels() -> None:
    """Waves group initiatives by dependency depth, sorted within each wave."""
    e = engagement(
        initiative("d", requires=["b", "c"])
        + initiative("c", requires=["a"])
        + initiative("b", requires=["a"])
        + initiative("a")
        + initiative("z")
    )
    graph = it.StrategyGraph(e)
    assert graph.waves() == (("a", "z"), ("b", "c"), ("d",))
    assert graph.order() == ("a", "b", "c", "d", "z")
    assert graph.prerequisites("d") == ("a", "b", "c")


@given(engagements())
def test_generated_engagements_are_valid(e: it.Engagement) -> None:
    """The strategy draws only valid engagements (so other properties can rely on it)."""
    assert errors(e) == []


@given(engagements())
def test_waves_respect_requires(e: it.Engagement) -> None:
    """Every prerequisite sits in an earlier wave than what requires it."""
    wave_of = {id_: k for k, wave in enumerate(it.StrategyGraph(e).waves()) for id_ in wave}
    for item in e.initiatives:
        for required in item.requires:
            assert wave_of[required] < wave_of[item.id]


@given(engagements())
def test_validation_is_deterministic_and_pure(e: it.Engagement) -> None:
    """Validating twice gives the same problems and leaves the engagement unchanged."""
    before = attrs.evolve(e)
    assert it.validate(e) == it.validate(e)
    assert e == before


def test_a_long_cycle_is_shortened_in_the_message() -> None:
    """A cycle of 3,000 ids is one short line; the exception keeps every id."""
    n = 3000
    data = {
        "engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
        "initiative": [
            {"id": f"i{k}", "name": f"I{k}", "duration": 1, "requires": [f"i{(k + 1) % n}"]}
            for k in range(n)
        ],
    }
    with pytest.raises(it.DependencyCycleError) as error:
        it.check(it.from_dict(data))
    text = str(error.value)
    assert len(text) < 600
    assert "... (2989 more) ->" in text
    assert len(error.value.cycle) == n + 1
