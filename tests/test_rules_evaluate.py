"""prioritize: value flow, stacking, gates, timing, params, runtime failures, apply, purity."""

import copy
import json
import math
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.errors import GateConflictError, RuleError, RuleEvaluationError
from itstrat_engine.model import Engagement
from itstrat_engine.rules import Pack, compile_pack, load_pack, pack_from_dict, prioritize
from tests.strategies import engagements

BASE: dict[str, Any] = {
    "engagement": {"client": "Acme", "start": "2027-Q1", "periods": 4},
    "objective": [
        {"id": "grow", "name": "Grow", "weight": 3},
        {"id": "save", "name": "Save", "weight": 1},
        {"id": "core", "name": "Core IT", "kind": "it", "supports": ["grow"]},
    ],
    "issue": [
        {"id": "q1", "name": "Slow quotes", "severity": 3, "objectives": ["grow"]},
        {"id": "q2", "name": "Old servers", "severity": 1, "objectives": ["save", "core"]},
    ],
    "initiative": [
        {
            "id": "a",
            "name": "CRM",
            "cost": 1000,
            "addresses": {"q1": 0.5, "q2": 1.0},
            "objectives": {"save": 1.0, "core": 0.4},
            "tags": ["must"],
        },
        {"id": "b", "name": "ERP", "value": 40, "cost": 3000, "tags": ["could"]},
    ],
}


def engagement(**changes: Any) -> Engagement:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return it.from_dict(data)


def pack(subject: str, *rules: dict[str, Any], **meta: Any) -> Pack:
    tables = {key: meta.pop(key) for key in ("params", "defaults") if key in meta}
    return pack_from_dict(
        {
            "pack": {"id": meta.pop("id", "p"), "title": "P", "subject": subject, **meta},
            **tables,
            "rule": [{"because": f"because {r['id']}", **r} for r in rules],
        },
        "p.toml",
    )


# --------------------------------------------------------------------------- value flow


def test_alignment_follows_the_documented_formula() -> None:
    """alignment = 100 x (sum addresses x priority share + sum contribution x weight)."""
    e = engagement()
    probe = pack(
        "initiative",
        {"id": "issue-part", "score": "issue_alignment"},
        {"id": "objective-part", "add": "objective_alignment"},
        {"id": "total", "score": "alignment"},
    )
    result = prioritize(e, [probe])
    # priority shares: q1 3/4, q2 1/4; weights: grow 0.75, save 0.25, core 0.75 (cascade)
    issue_part = 100 * (0.5 * 0.75 + 1.0 * 0.25)
    objective_part = 100 * (1.0 * 0.25 + 0.4 * 0.75)
    steps = result.initiative("a").steps
    assert [s.after for s in steps] == pytest.approx(
        [issue_part, issue_part + objective_part, issue_part + objective_part]
    )
    assert result.initiative("a").score == pytest.approx(117.5)


def test_issue_packs_set_the_priorities_that_flow_into_alignment() -> None:
    """Issue scores after the issue packs are the priorities p_q of the formula."""
    flat = pack("issue", {"id": "flat", "score": "1"}, id="flat")
    result = prioritize(engagement(), [flat])
    assert [s.score for s in result.issues] == [1.0, 1.0]
    # equal shares 0.5 each now: 100 x (0.5 x 0.5 + 1.0 x 0.5) + objective part 55
    assert result.initiative("a").score == pytest.approx(75 + 55)
    assert result.initiative("a").start_from == "alignment"


def test_starting_scores() -> None:
    """Issues start from severity (else 1); initiatives from value (else alignment)."""
    e = engagement(
        issue=[*BASE["issue"], {"id": "q3", "name": "No severity"}],
    )
    result = prioritize(e, [])
    assert [(s.id, s.score, s.start_from) for s in result.issues] == [
        ("q1", 3.0, "severity"),
        ("q2", 1.0, "severity"),
        ("q3", 1.0, "default"),
    ]
    assert result.initiative("b").start == 40.0
    assert result.initiative("b").start_from == "value"
    assert result.initiative("b").steps == ()


def test_packs_stack_in_the_order_given() -> None:
    """Each pack starts from the score the previous one left; steps keep that order."""
    double = pack("initiative", {"id": "double", "multiply": 2}, id="double")
    plus = pack("initiative", {"id": "plus", "add": 10}, id="plus")
    first = prioritize(engagement(), [double, plus]).initiative("b")
    second = prioritize(engagement(), [plus, double]).initiative("b")
    assert (first.score, second.score) == (90.0, 100.0)
    assert [(s.label, s.before, s.after) for s in first.steps] == [
        ("double/double", 40.0, 80.0),
        ("plus/plus", 80.0, 90.0),
    ]


def test_when_skips_a_rule_and_the_explanation_says_so() -> None:
    """A rule whose condition is false leaves no step; one that fires records its effects."""
    p = pack(
        "initiative",
        {"id": "cheap", "when": "cost < 2000", "add": 5, "tier": "cheap", "flag": "quick"},
        {"id": "dear", "when": "cost >= 2000", "multiply": 0.5},
    )
    result = prioritize(engagement(), [p])
    a, b = result.initiative("a"), result.initiative("b")
    assert [s.rule for s in a.steps] == ["cheap"]
    assert a.steps[0].effects == ("add", "tier cheap", "flag quick")
    assert a.steps[0].because == "because cheap"
    assert (a.tier, a.flags) == ("cheap", ("quick",))
    assert [(s.rule, s.after) for s in b.steps] == [("dear", 20.0)]
    assert b.tier is None


def test_ranking_is_by_score_then_id() -> None:
    """Highest score first; equal scores in id order; ranks start at 1."""
    same = pack("initiative", {"id": "same", "score": 7})
    result = prioritize(engagement(), [same])
    assert [(s.rank, s.id) for s in result.initiatives] == [(1, "a"), (2, "b")]


# --------------------------------------------------------------------------- gates, timing


def test_gates_combine_the_file_and_the_rules() -> None:
    """Required by a rule or the file; the explanation names who required it."""
    e = engagement()
    e = attrs.evolve(
        e, initiatives=(attrs.evolve(e.initiatives[0], mandatory=True), e.initiatives[1])
    )
    result = prioritize(e, ["moscow"])
    assert result.initiative("a").required_by == ("engagement file", "moscow/must")
    assert result.initiative("a").mandatory
    assert not result.initiative("b").mandatory
    assert result.initiative("b").tier == "could"


def test_require_and_forbid_on_one_item_names_both_rules() -> None:
    """A pack that requires and forbids the same item is an error naming both rules."""
    p = pack(
        "initiative",
        {"id": "musts", "when": "'must' in tags", "require": True},
        {"id": "dear", "when": "cost < 5000", "forbid": True},
    )
    with pytest.raises(GateConflictError) as raised:
        prioritize(engagement(), [p])
    assert raised.value.conflicts == (("a", "p/musts", "p/dear"),)
    assert str(raised.value) == (
        "1 gate conflict\n"
        "initiative[0]: initiative 'a' is both required and forbidden: got required by "
        "p/musts, forbidden by p/dear, expected at most one gate per initiative; add a when "
        "condition so that only one of the rules applies"
    )


def test_a_rule_forbidding_a_mandatory_item_names_the_engagement_file() -> None:
    """The file's own gate counts as the rule 'engagement file'."""
    e = engagement()
    e = attrs.evolve(
        e, initiatives=(e.initiatives[0], attrs.evolve(e.initiatives[1], mandatory=True))
    )
    never = pack("initiative", {"id": "never", "when": "'could' in tags", "forbid": True})
    with pytest.raises(GateConflictError) as raised:
        prioritize(e, [never])
    assert raised.value.conflicts == (("b", "engagement file", "p/never"),)


def test_timing_is_tightened_never_loosened() -> None:
    """earliest takes the latest value (rounded up), deadline the earliest (rounded down)."""
    e = engagement()
    e = attrs.evolve(
        e,
        initiatives=(
            attrs.evolve(e.initiatives[0], earliest="2027-Q2", deadline=3),
            e.initiatives[1],
        ),
    )
    p = pack(
        "initiative",
        {"id": "late", "earliest": "0.5"},
        {"id": "later", "when": "id == 'a'", "earliest": 1.2},
        {"id": "due", "deadline": "2.7"},
        {"id": "far", "deadline": 10},
    )
    result = prioritize(e, [p])
    a, b = result.initiative("a"), result.initiative("b")
    assert (a.earliest, a.deadline) == (2, 2)
    assert (b.earliest, b.deadline) == (1, 2)
    assert [s.effects for s in a.steps] == [
        ("earliest 0.5",),
        ("earliest 1.2",),
        ("deadline 2.7",),
        ("deadline 10",),
    ]


def test_rules_that_close_the_window_give_a_warning() -> None:
    """An earliest after deadline - duration + 1 is reported as a warning."""
    squeeze = pack("initiative", {"id": "squeeze", "earliest": 2, "deadline": 1})
    result = prioritize(engagement(), [squeeze])
    assert [str(w) for w in result.warnings] == [
        "initiative[0]: rules leave initiative 'a' no window to run in: got earliest 2, "
        "deadline 1, duration 1, expected earliest + duration - 1 <= deadline; relax the "
        "timing rules or the initiative's window",
        "initiative[1]: rules leave initiative 'b' no window to run in: got earliest 2, "
        "deadline 1, duration 1, expected earliest + duration - 1 <= deadline; relax the "
        "timing rules or the initiative's window",
    ]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            {"id": "late", "when": "id == 'a'", "earliest": 4},
            "initiative[0]: rule 'p/late' sets initiative 'a' to start after the horizon: got "
            "earliest 4, expected a period index 0..3; use forbid to rule an initiative out",
        ),
        (
            {"id": "early", "when": "id == 'a'", "deadline": -1},
            "initiative[0]: rule 'p/early' gives initiative 'a' a deadline before the first "
            "period: got deadline -1, expected a period index 0..3; use forbid to rule an "
            "initiative out",
        ),
    ],
)
def test_timing_outside_the_horizon_is_an_error(rule: dict[str, Any], message: str) -> None:
    """A rule cannot schedule an initiative outside the horizon."""
    with pytest.raises(RuleEvaluationError) as raised:
        prioritize(engagement(), [pack("initiative", rule)])
    assert [str(p) for p in raised.value.problems] == [message]


# --------------------------------------------------------------------------- params


def test_params_qualified_and_bare() -> None:
    """`name` overrides every pack declaring it; `pack.name` wins for that pack."""
    e = it.generate(10, seed=3)
    bare = prioritize(e, ["wsjf", "rice"], {"min_size": 5})
    both = prioritize(e, ["wsjf", "rice"], {"min_size": 5, "wsjf.min_size": 2})
    assert bare.params["wsjf.min_size"] == 5.0
    assert both.params["wsjf.min_size"] == 2.0
    assert both.params["rice.min_effort"] == 0.5


def test_unknown_params_are_errors_with_suggestions() -> None:
    """Unknown params and non-numbers are refused, with a did-you-mean."""
    with pytest.raises(RuleError) as raised:
        prioritize(
            engagement(), ["moscow"], {"could_wieght": 1, "moscow.should_weight": True, "x.y": 1}
        )
    assert [str(p) for p in raised.value.problems] == [
        "params.could_wieght: unknown param: got 'could_wieght', expected one of "
        "moscow.should_weight, moscow.could_weight, could_weight, should_weight; did you mean "
        "'could_weight'?",
        "params.moscow.should_weight: a param must be a finite number: got True, expected a number",
        "params.x.y: param of a pack not in use: got 'x.y', expected one of "
        "moscow.should_weight, moscow.could_weight, could_weight, should_weight",
    ]


def test_the_plan_table_supplies_packs_and_params() -> None:
    """Without packs, the engagement's [plan] rules and params are used."""
    e = engagement(plan={"rules": ["moscow"], "params": {"could_weight": 0.25}})
    result = prioritize(e)
    assert result.initiative("b").score == 10.0
    assert prioritize(e, None, {"could_weight": 1}).initiative("b").score == 40.0


def test_the_same_pack_twice_is_an_error() -> None:
    """Stacking a pack on itself is refused; params are the way to vary it."""
    with pytest.raises(RuleError, match="the same pack is given twice: got 'moscow'"):
        prioritize(engagement(), ["moscow", "moscow"])


def test_compile_pack_inlines_params() -> None:
    """The fused function carries the param values as constants."""
    compiled = compile_pack(load_pack("wsjf"), {"min_size": 3})
    assert "v_min_size = 3" in compiled.code
    assert compiled.names == ("business_value", "time_criticality", "risk_reduction", "job_size")


# --------------------------------------------------------------------------- runtime failures


def test_division_by_zero_names_rule_key_and_item() -> None:
    """A runtime failure names the pack file, rule, key, item and the expression."""
    e = engagement()
    p = pack("initiative", {"id": "per-cost", "multiply": "1 / (cost - 1000)"})
    with pytest.raises(RuleEvaluationError) as raised:
        prioritize(e, [p])
    assert str(raised.value) == (
        "1 rule evaluation error\n"
        "p.toml: rule[0].multiply: division by zero in rule 'per-cost' on initiative 'a': got "
        "'1 / (cost - 1000)'; guard the divisor, e.g. max(x, 1), or add a when condition"
    )


def test_a_missing_free_field_names_rule_item_and_remedies() -> None:
    """An item lacking a field the rule reads is an error, never a silent zero."""
    e = engagement()
    e = attrs.evolve(
        e,
        initiatives=(
            attrs.evolve(e.initiatives[0], fields={"size": 2.0}),
            e.initiatives[1],
        ),
    )
    p = pack("initiative", {"id": "sized", "when": "size > 1", "add": 1}, fields=["size"])
    with pytest.raises(RuleEvaluationError) as raised:
        prioritize(e, [p])
    assert [str(problem) for problem in raised.value.problems] == [
        "p.toml: rule[0].when: rule 'sized' reads size, which initiative 'b' does not have: got "
        "'size > 1'; give initiative 'b' fields.size = ..., add size = ... to [defaults], or "
        "guard the rule with has(size)"
    ]
    guarded = pack(
        "initiative", {"id": "sized", "when": "has(size) and size > 1", "add": 1}, fields=["size"]
    )
    assert prioritize(e, [guarded]).initiative("a").score == pytest.approx(118.5)
    defaulted = pack(
        "initiative",
        {"id": "sized", "when": "size > 1", "add": 1},
        fields=["size"],
        defaults={"size": 5},
    )
    assert prioritize(e, [defaulted]).initiative("b").score == 41.0


def test_a_field_no_item_has_is_reported_up_front() -> None:
    """A declared field that no item carries is probably a typo: one clear error."""
    e = engagement()
    e = attrs.evolve(
        e, initiatives=tuple(attrs.evolve(i, fields={"job_size": 1.0}) for i in e.initiatives)
    )
    p = pack("initiative", {"id": "r", "multiply": "job_sise"}, fields=["job_sise"])
    with pytest.raises(RuleEvaluationError) as raised:
        prioritize(e, [p])
    assert [str(problem) for problem in raised.value.problems] == [
        "p.toml: pack.fields: pack 'p' reads job_sise, which no initiative has: got "
        "'job_sise', expected a key of the initiatives' fields (job_size); did you mean "
        "'job_size'?"
    ]


def test_a_missing_derived_value_is_reported() -> None:
    """Survey figures are missing without answers; reading them is an error."""
    p = pack("issue", {"id": "gap", "score": "importance - satisfaction"})
    with pytest.raises(RuleEvaluationError, match="rule 'gap' reads importance, which issue 'q1'"):
        prioritize(engagement(), [p])


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1e308 * 10", "the score became inf in rule 'r' on initiative 'a'"),
        ("sqrt(-cost)", "math error (math domain error) in rule 'r' on initiative 'a'"),
        ("exp(cost)", "number too large in rule 'r' on initiative 'a'"),
        (
            "min([])" if False else "max(score - 1e9, -1)",
            "initiative 'a' ends with a negative score after rule 'p/r'",
        ),
    ],
)
def test_arithmetic_failures_never_pass_silently(expression: str, message: str) -> None:
    """Overflow, domain errors, non-finite and negative scores are errors."""
    with pytest.raises(RuleEvaluationError) as raised:
        prioritize(engagement(), [pack("initiative", {"id": "r", "score": expression})])
    assert message in str(raised.value)


def test_failures_are_capped() -> None:
    """Many failing items give a readable number of problems."""
    e = it.generate(60, seed=1)
    p = pack("initiative", {"id": "r", "score": "1 / 0"})
    with pytest.raises(RuleEvaluationError) as raised:
        prioritize(e, [p])
    assert len(raised.value.problems) == 21
    assert str(raised.value.problems[-1]) == (
        "and 40 more like these; fix the first ones; the rest usually share the cause"
    )


# --------------------------------------------------------------------------- apply, output


def test_apply_writes_scores_gates_and_timing() -> None:
    """apply gives the optimizer values, gates and 0-based windows."""
    e = engagement()
    p = pack(
        "initiative",
        {"id": "due", "when": "id == 'a'", "deadline": 2},
        {"id": "start", "when": "id == 'b'", "earliest": 1},
    )
    result = prioritize(e, ["moscow", p])
    applied = result.apply(e)
    a, b = applied.initiative_by_id["a"], applied.initiative_by_id["b"]
    assert (a.value, a.mandatory, a.forbidden, a.earliest, a.deadline) == (
        pytest.approx(117.5),
        True,
        False,
        None,
        2,
    )
    assert (b.value, b.mandatory, b.earliest, b.deadline) == (20.0, False, 1, None)
    assert [q.severity for q in applied.issues] == [3.0, 1.0]
    assert e.initiative_by_id["a"].value is None  # the input is unchanged


def test_apply_refuses_another_engagement() -> None:
    """Results computed for one engagement cannot be applied to a different one."""
    result = prioritize(engagement(), [])
    with pytest.raises(
        RuleError, match="the engagement has items this prioritization did not score"
    ):
        result.apply(it.generate(3, seed=1))


def test_as_dict_is_json_ready_and_stable() -> None:
    """The JSON form has a fixed shape and the same text for the same input."""
    first = json.dumps(prioritize(engagement(), ["moscow"]).as_dict())
    second = json.dumps(prioritize(engagement(), ["moscow"]).as_dict())
    assert first == second
    data = json.loads(first)
    assert list(data) == ["packs", "params", "issues", "initiatives", "warnings"]
    assert data["initiatives"][0]["id"] == "a"
    assert data["initiatives"][0]["required_by"] == ["moscow/must"]
    assert data["initiatives"][0]["steps"][0] == {
        "pack": "moscow",
        "rule": "must",
        "before": pytest.approx(117.5),
        "after": pytest.approx(117.5),
        "effects": ["require", "tier must"],
        "because": "Must-haves are non-negotiable for this roadmap",
    }


def test_the_dental_example_prioritizes_with_every_builtin_pack() -> None:
    """The sample engagement runs through all built-in packs without an error."""
    e = it.load("examples/dental-group.toml")
    result = prioritize(
        e,
        [
            "business-vision",
            "maturity-gap",
            "risk",
            "wsjf",
            "rice",
            "moscow",
            "value-for-money",
            "compliance-first",
        ],
    )
    assert len(result.initiatives) == len(e.initiatives)
    assert all(math.isfinite(s.score) and s.score >= 0 for s in result.initiatives)
    assert result.initiative("ai-clinical-notes").forbidden_by == ("moscow/wont",)
    it.check(result.apply(e))


# --------------------------------------------------------------------------- properties

PROPERTY_ISSUES = pack(
    "issue",
    {"id": "base", "score": "default(severity, 1) + len(objectives)"},
    {"id": "tier", "when": "score > 3", "tier": "big"},
    id="issues",
)
PROPERTY_INITIATIVES = pack(
    "initiative",
    {"id": "reach", "add": "reach * impact / max(default(job_size, 1), 1)"},
    {"id": "aligned", "multiply": "1 + alignment / 100"},
    {"id": "must", "when": "'must' in tags and not forbidden", "require": True},
    {
        "id": "wont",
        "when": "'wont' in tags and 'must' not in tags and not mandatory",
        "forbid": True,
    },
    {"id": "could", "when": "'could' in tags", "earliest": "min(1, periods - 1)"},
    id="initiatives",
    fields=["reach", "impact", "job_size"],
    defaults={"reach": 1, "impact": 1},
)


def weighted(e: Engagement) -> Engagement:
    """Give every business objective a weight, so objective weights are defined."""
    objectives = tuple(
        attrs.evolve(o, weight=(o.weight or 0.0) + 1.0) if o.kind == "business" else o
        for o in e.objectives
    )
    return attrs.evolve(e, objectives=objectives)


@given(engagements())
def test_evaluation_is_pure(e: Engagement) -> None:
    """Same inputs, same outputs; the engagement is not changed."""
    e = weighted(e)
    before = copy.deepcopy(e)
    packs = [PROPERTY_ISSUES, PROPERTY_INITIATIVES]
    first = prioritize(e, packs)
    assert prioritize(e, packs) == first
    assert e == before
    assert json.dumps(first.as_dict()) == json.dumps(prioritize(e, packs).as_dict())


@given(engagements(), st.randoms(use_true_random=False))
def test_order_of_items_does_not_change_any_result(e: Engagement, random: Any) -> None:
    """Shuffling issues and initiatives changes no score, gate, timing or explanation."""
    e = weighted(e)
    issues, initiatives = list(e.issues), list(e.initiatives)
    random.shuffle(issues)
    random.shuffle(initiatives)
    shuffled = attrs.evolve(e, issues=tuple(issues), initiatives=tuple(initiatives))
    packs = [PROPERTY_ISSUES, PROPERTY_INITIATIVES]
    original, reordered = prioritize(e, packs), prioritize(shuffled, packs)
    assert original.issues == reordered.issues
    assert original.initiatives == reordered.initiatives


def test_results_and_packs_pickle() -> None:
    """Results cross process boundaries: packs and prioritizations pickle and compare equal."""
    import pickle

    result = prioritize(it.load("examples/dental-group.toml"), ["risk", "wsjf", "moscow"])
    again = pickle.loads(pickle.dumps(result))  # noqa: S301 - our own data
    assert again == result
    assert again.initiatives[0].steps == result.initiatives[0].steps
    assert pickle.loads(pickle.dumps(load_pack("rice"))) == load_pack("rice")  # noqa: S301


def test_one_rule_can_score_and_schedule() -> None:
    """A rule with a score action and timing records both, in one step."""
    p = pack(
        "initiative",
        {
            "id": "all",
            "when": "id == 'b'",
            "add": 2,
            "earliest": 1,
            "deadline": "2.5",
            "flag": ["x", "y"],
        },
    )
    b = prioritize(engagement(), [p]).initiative("b")
    assert (b.score, b.earliest, b.deadline, b.flags) == (42.0, 1, 2, ("x", "y"))
    assert [(s.before, s.after, s.effects) for s in b.steps] == [
        (40.0, 42.0, ("add", "flag x", "flag y", "earliest 1", "deadline 2.5"))
    ]


def test_non_finite_timing_is_an_error() -> None:
    """An earliest that overflows to infinity names the rule and key."""
    p = pack("initiative", {"id": "far", "earliest": "1e308 * 10"})
    with pytest.raises(RuleEvaluationError) as raised:
        prioritize(engagement(), [p])
    assert str(raised.value.problems[0]) == (
        "p.toml: rule[0].earliest: earliest became inf in rule 'far' on initiative 'a': got "
        "'1e308 * 10'; keep values finite (infinity or NaN cannot be ranked)"
    )


def test_huge_param_values_are_refused_cleanly() -> None:
    """An override too large for a float is a located error, not a crash."""
    with pytest.raises(RuleError, match=r"params\.could_weight: a param must be a finite number"):
        prioritize(engagement(), ["moscow"], {"could_weight": 10**400})


def test_many_pack_problems_are_capped() -> None:
    """A pack with hundreds of mistakes lists the first 20 and counts the rest."""
    rules = [{"id": "r", "score": 1, "because": "b"}] * 30
    with pytest.raises(RuleError) as raised:
        pack_from_dict({"pack": {"id": "p", "title": "P", "subject": "initiative"}, "rule": rules})
    assert len(raised.value.problems) == 21
    assert raised.value.problems[-1].message == "and 9 more like these"


# --------------------------------------------------------------------------- apply leaves no rules


def moscow_safe(e: Engagement) -> Engagement:
    """Drop the MoSCoW tags that would contradict the file's gates or each other."""

    def tags(item: it.Initiative) -> tuple[str, ...]:
        drop = {"wont"} if item.mandatory or "must" in item.tags else set()
        drop |= {"must"} if item.forbidden else set()
        return tuple(t for t in item.tags if t not in drop)

    return attrs.evolve(e, initiatives=tuple(attrs.evolve(i, tags=tags(i)) for i in e.initiatives))


STACKS: list[list[Any]] = [
    ["business-vision", "value-for-money"],
    ["maturity-gap", "compliance-first", "moscow"],
    ["moscow", "value-for-money"],
    [PROPERTY_ISSUES, PROPERTY_INITIATIVES],
]


def decisions(result: it.Prioritization) -> tuple[Any, ...]:
    """What apply writes into an engagement: scores, gates and windows."""
    return (
        [(s.id, s.score) for s in result.issues],
        [
            (s.id, s.score, s.mandatory, s.forbidden, s.earliest, s.deadline)
            for s in result.initiatives
        ],
    )


def test_apply_leaves_no_rules_and_a_multiply_does_not_compound() -> None:
    """The applied engagement has no [plan] rules: prioritizing it again keeps 35.5, not 17.75."""
    e = engagement()
    e = attrs.evolve(
        e,
        initiatives=(attrs.evolve(e.initiatives[1], value=71.0),),
        plan=attrs.evolve(e.plan, rules=("moscow",), params={"could_weight": 0.5}),
    )
    first = prioritize(e)
    applied = first.apply(e)
    assert (applied.plan.rules, applied.plan.params) == ((), {})
    assert first.initiative("b").score == 35.5
    assert prioritize(applied).initiative("b").score == 35.5
    assert prioritize(applied).apply(applied) == applied


@given(engagements(), st.sampled_from(range(len(STACKS))), st.booleans())
def test_prioritizing_an_applied_engagement_changes_nothing(
    e: Engagement, stack: int, from_file: bool
) -> None:
    """prioritize(p.apply(e)) gives p's scores, gates and windows; applying it is idempotent."""
    e = moscow_safe(weighted(e))
    packs = STACKS[stack]
    if from_file and all(isinstance(p, str) for p in packs):
        e = attrs.evolve(e, plan=attrs.evolve(e.plan, rules=tuple(packs)))
        first = prioritize(e)
    else:
        first = prioritize(e, packs)
    applied = first.apply(e)
    again = prioritize(applied)
    assert decisions(again) == decisions(first)
    assert again.apply(applied) == applied
    assert (applied.plan.rules, applied.plan.params) == ((), {})


@given(st.integers(1, 12), st.integers(0, 10_000))
def test_applied_synthetic_engagements_prioritize_the_same(count: int, seed: int) -> None:
    """The same holds for generated engagements with the risk, WSJF and MoSCoW packs."""
    e = it.generate(count, seed=seed)
    first = prioritize(e, ["risk", "wsjf", "moscow"], params={"min_size": 2})
    applied = first.apply(e)
    assert decisions(prioritize(applied)) == decisions(first)
    assert prioritize(applied).apply(applied) == applied
