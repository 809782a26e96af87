"""Fuzzing the pack loader: whatever the text, a `RuleError` or a pack, never anything else."""

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.errors import RuleError

KEYS = [
    "pack",
    "id",
    "title",
    "subject",
    "params",
    "rule",
    "score",
    "add",
    "multiply",
    "when",
    "because",
    "require",
    "forbid",
    "earliest",
    "deadline",
    "tier",
    "example",
    "fields",
    "expect",
    "version",
    "x",
]
scalars = (
    st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.text(max_size=30)
    | st.sampled_from(["wsjf", "initiative", "issue", "1 / 0", "score * 2", "a +", "x" * 300])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)
documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)


def _loads(text: str) -> None:
    try:
        pack = it.loads_pack(text)
    except RuleError:
        return
    assert pack.id


@settings(max_examples=300)
@given(documents)
def test_structured_garbage_is_a_rule_error(document: dict[str, object]) -> None:
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):  # not representable as TOML (NaN keys, mixed arrays)
        return
    _loads(text)


@settings(max_examples=300)
@given(st.text(max_size=400))
def test_any_text_is_a_rule_error(text: str) -> None:
    _loads(text)


@given(st.sampled_from(["[pack]\nid = 'p'\nsubject = 'initiative'\n"]), st.text(max_size=200))
def test_a_valid_head_with_a_garbage_tail_is_a_rule_error(head: str, tail: str) -> None:
    _loads(head + tail)
