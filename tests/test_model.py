"""The model's local invariants, period labels and lookups."""

import math

import attrs
import pytest

import itstrat_engine as it
from itstrat_engine.errors import InvalidValueError


def test_period_labels_per_kind() -> None:
    """Labels roll over years for quarters, months and years."""
    assert it.Scope(client="c", start="2027-Q3", periods=4).labels == (
        "2027-Q3",
        "2027-Q4",
        "2028-Q1",
        "2028-Q2",
    )
    assert it.Scope(client="c", start="2027-11", period="month", periods=3).labels == (
        "2027-11",
        "2027-12",
        "2028-01",
    )
    assert it.Scope(client="c", start="2027", period="year", periods=2).labels == ("2027", "2028")


def test_period_index_by_label_or_number() -> None:
    """Periods resolve from labels or 0-based indexes; outside the horizon is None."""
    scope = it.Scope(client="c", start="2027-Q1", periods=4)
    assert scope.index("2027-Q3") == 2
    assert scope.index(3) == 3
    assert scope.index(4) is None
    assert scope.index("2026-Q4") is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cost": -1.0}, "cost: cost is negative: got -1.0, expected a number >= 0"),
        ({"duration": 0}, "duration: duration too small: got 0, expected a whole number >= 1"),
        ({"risk": 1.5}, "risk: risk out of range: got 1.5, expected a fraction between 0 and 1"),
        (
            {"addresses": {"x": 2.0}},
            "addresses.x: addresses of 'x' out of range: got 2.0, expected a fraction between 0 and 1",
        ),
        (
            {"effort": {"ops": -5.0}},
            "effort.ops: effort of 'ops' out of range: got -5.0, expected a number >= 0",
        ),
        ({"cost": math.nan}, "cost: not a number: got nan, expected a finite number"),
        (
            {"mandatory": True, "forbidden": True},
            "forbidden: initiative is both mandatory and forbidden: got True, expected mandatory or forbidden, not both",
        ),
        (
            {"duration": 2, "profile": (0.5, 0.4)},
            "profile: profile does not sum to 1: got [0.5, 0.4], expected shares that sum to 1",
        ),
        (
            {"duration": 2, "profile": (1.0,)},
            "profile: profile length differs from duration: got [1.0], expected 2 shares, one per running period",
        ),
        (
            {"requires": ("a", "a")},
            "requires: requires lists an id twice: got 'a', expected each id once",
        ),
    ],
)
def test_initiative_validators(fields: dict[str, object], message: str) -> None:
    """Local invariants are enforced with a located message."""
    with pytest.raises(InvalidValueError) as error:
        it.Initiative(id="x", name="X", **fields)  # type: ignore[arg-type]
    assert str(error.value) == message


def test_id_syntax_suggests_a_slug() -> None:
    """An id with spaces or capitals gets a suggested id."""
    with pytest.raises(InvalidValueError) as error:
        it.Initiative(id="ERP Upgrade", name="x")
    assert str(error.value).endswith("; try 'erp-upgrade'")


def test_maturity_range() -> None:
    """Maturity is 0..5."""
    with pytest.raises(InvalidValueError, match=r"maturity out of range: got 6\.0"):
        it.Service(id="s", name="S", current=6.0)


def test_survey_scale_must_be_non_empty() -> None:
    """The scale's top must be above its bottom."""
    with pytest.raises(InvalidValueError, match="empty survey scale"):
        it.Survey(scale_min=5, scale_max=5)


def test_shares_spread_evenly_or_follow_profile() -> None:
    """Cost and effort shares are even unless a profile is given."""
    assert it.Initiative(id="a", name="A", duration=4).shares() == (0.25, 0.25, 0.25, 0.25)
    assert it.Initiative(id="a", name="A", duration=2, profile=(0.7, 0.3)).shares() == (0.7, 0.3)


def test_per_period_expansion() -> None:
    """Scalars expand to every period; None is unlimited."""
    e = it.Engagement(scope=it.Scope(client="c", start="2027-Q1", periods=3))
    assert e.per_period(5.0) == (5.0, 5.0, 5.0)
    assert e.per_period((1.0, 2.0, 3.0)) == (1.0, 2.0, 3.0)
    assert e.per_period(None) == (math.inf,) * 3


def test_variants_with_evolve_keep_the_original() -> None:
    """Models are frozen; evolve makes a changed copy."""
    a = it.Initiative(id="a", name="A", cost=10.0)
    b = attrs.evolve(a, cost=20.0)
    assert (a.cost, b.cost) == (10.0, 20.0)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.cost = 5.0  # type: ignore[misc]


def test_lookup_by_id_keeps_the_first_duplicate() -> None:
    """Lookups index items by id (the first wins; validation reports duplicates)."""
    first = it.Initiative(id="a", name="first")
    e = it.Engagement(
        scope=it.Scope(client="c", start="2027-Q1", periods=3),
        initiatives=(first, it.Initiative(id="a", name="second")),
    )
    assert e.initiative_by_id["a"] is first


def test_the_source_of_an_engagement_is_not_part_of_it() -> None:
    """Engagements read from two files compare equal; the source defaults to None."""
    scope = it.Scope(client="c", start="2027-Q1", periods=3)
    assert it.Engagement(scope=scope).source is None
    assert it.Engagement(scope=scope, source="a.toml") == it.Engagement(
        scope=scope, source="b.toml"
    )
