"""Nothing silently ignored: validate warns about input that can have no effect."""

from typing import Any

import pytest

import itstrat_engine as it

BASE: dict[str, Any] = {
    "engagement": {"client": "A", "start": "2027-Q1", "periods": 2},
    "objective": [{"id": "o", "name": "O"}],
    "initiative": [{"id": "a", "name": "A", "effort": {"security": 5}, "objectives": {"o": 1}}],
    "capacity": {"skills": {"security": 10}},
}


def warnings(data: dict[str, Any]) -> list[str]:
    return [str(p) for p in it.validate(it.from_dict(data, "e.toml")) if p.severity == "warning"]


def test_contractor_for_an_unused_skill_is_warned_with_a_suggestion() -> None:
    """A contractor entry for a misspelt skill would silently never be hired."""
    data = {
        **BASE,
        "capacity": {**BASE["capacity"], "contractors": {"secuirty": {"rate": 1, "max": 5}}},
    }
    found = [w for w in warnings(data) if "contractors.secuirty" in w]
    assert len(found) == 1
    assert "a skill no initiative needs" in found[0]
    assert "did you mean 'security'?" in found[0]
    used = {
        **BASE,
        "capacity": {**BASE["capacity"], "contractors": {"security": {"rate": 1, "max": 5}}},
    }
    assert not [w for w in warnings(used) if "contractors" in w]


def test_all_zero_response_weights_are_warned() -> None:
    """A survey whose every response weighs 0 counts for nothing: say so."""
    response = {
        "stakeholder": "x",
        "department": "d",
        "weight": 0,
        "importance": {},
        "satisfaction": {},
    }
    data = {**BASE, "response": [response, {**response, "stakeholder": "y"}]}
    assert any("every response has weight 0" in w for w in warnings(data))
    data["response"][1]["weight"] = 1
    assert not any("every response has weight 0" in w for w in warnings(data))


def test_clamp_with_low_above_high_is_a_rule_error() -> None:
    """clamp(x, 10, 1) is a mistake in the pack, reported on the rule, not a silent 1."""
    pack = it.pack_from_dict(
        {
            "pack": {"id": "p", "title": "P", "subject": "initiative"},
            "rule": [{"id": "cap", "score": "clamp(score, 10, 1)", "because": "cap it"}],
        },
        "p.toml",
    )
    with pytest.raises(it.RuleEvaluationError) as caught:
        it.prioritize(it.generate(3, seed=1), [pack])
    expected = "p.toml: rule[0].score: math error (clamp: low 10 is above high 1) in rule 'cap'"
    assert expected in str(caught.value)


@pytest.mark.parametrize("tag", ["Must", "MUST", "won't", "Wont", "SHOULD"])
def test_a_moscow_tag_that_differs_only_by_case_is_warned(tag: str) -> None:
    data = {
        "engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
        "initiative": [{"id": "a", "name": "A", "duration": 1, "tags": [tag]}],
    }
    found = [p for p in it.validate(it.from_dict(data)) if p.code == "tag-case"]
    assert len(found) == 1
    assert found[0].path == "initiative[0].tags[0]"
    assert found[0].severity == "warning"


def test_exact_moscow_tags_and_other_tags_are_not_warned() -> None:
    data = {
        "engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
        "initiative": [
            {"id": "a", "name": "A", "duration": 1, "tags": ["must", "wont", "Security", "ERP"]}
        ],
    }
    assert not [p for p in it.validate(it.from_dict(data)) if p.code == "tag-case"]
