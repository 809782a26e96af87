"""The seeded synthetic engagement generator."""

import pytest

import itstrat_engine as it


@pytest.mark.parametrize("size", [1, 2, 10, 60, 400])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generated_engagements_validate(size: int, seed: int) -> None:
    """Every size and seed gives an engagement without validation errors."""
    engagement = it.generate(size, seed=seed)
    assert len(engagement.initiatives) == size
    assert [p for p in it.validate(engagement) if p.severity == "error"] == []


def test_same_seed_same_bytes() -> None:
    """Same arguments give a byte-identical file; another seed gives another file."""
    assert it.dumps(it.generate(50, seed=3)) == it.dumps(it.generate(50, seed=3))
    assert it.dumps(it.generate(50, seed=3)) != it.dumps(it.generate(50, seed=4))


def test_generated_structure_has_the_features_benchmarks_need() -> None:
    """Large engagements carry dependencies, exclusions, groups, windows and mandatory items."""
    e = it.generate(1000, seed=0)
    assert 0.1 < sum(bool(i.requires) for i in e.initiatives) / 1000 < 0.3
    assert any(i.excludes for i in e.initiatives)
    assert e.groups
    assert any(i.deadline is not None for i in e.initiatives)
    assert any(i.mandatory for i in e.initiatives)
    assert len(e.capacity.skills) == 4
    assert e.capacity.budget is not None
    assert e.capacity.budget < sum(i.cost for i in e.initiatives)


def test_generate_refuses_empty() -> None:
    """At least one initiative is needed."""
    with pytest.raises(ValueError, match="initiatives must be from 1 to"):
        it.generate(0)
