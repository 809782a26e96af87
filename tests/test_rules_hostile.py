"""Hostile rule expressions are refused when the pack loads, or fail cleanly and bounded."""

import contextlib
import tomllib
from pathlib import Path
from typing import Any

import pytest

import itstrat_engine as it
from itstrat_engine.errors import RuleError, RuleEvaluationError
from itstrat_engine.rules import compile_expression, pack_from_dict, prioritize
from itstrat_engine.rules.expressions import MAX_LENGTH

CORPUS = tomllib.loads((Path(__file__).parent / "rules_hostile.toml").read_text("utf-8"))["case"]
CANARY = Path("/tmp/itstrat-hostile-canary")  # noqa: S108 - where the corpus attack writes

ENGAGEMENT = it.from_dict(
    {
        "engagement": {"client": "Acme", "start": "2027-Q1", "periods": 4},
        "initiative": [{"id": "crm", "name": "CRM", "cost": 10, "tags": ["must"]}],
    }
)


def pack_with(expression: str, key: str = "score") -> dict[str, Any]:
    return {
        "pack": {"id": "hostile", "title": "Hostile", "subject": "initiative"},
        "params": {"limit": 10},
        "rule": [{"id": "attack", key: expression, "because": "testing"}],
    }


def test_the_corpus_is_large_enough() -> None:
    """The corpus holds at least 30 hostile expressions of both outcomes."""
    assert len(CORPUS) >= 30
    assert {case["outcome"] for case in CORPUS} == {"refused", "bounded"}


@pytest.mark.parametrize(
    "case",
    [c for c in CORPUS if c["outcome"] == "refused"],
    ids=lambda c: c["expression"][:40],
)
def test_refused_at_load(case: dict[str, str]) -> None:
    """Each refused expression is a RuleError naming file, rule and the reason."""
    with pytest.raises(RuleError) as raised:
        pack_from_dict(pack_with(case["expression"]), "hostile.toml")
    text = str(raised.value)
    assert "hostile.toml: rule[0].score: " in text
    assert case["message"] in text
    assert "rule 'attack'" in text or "expression" in text


@pytest.mark.parametrize(
    "case",
    [c for c in CORPUS if c["outcome"] == "refused"],
    ids=lambda c: c["expression"][:40],
)
def test_refused_in_a_condition_too(case: dict[str, str]) -> None:
    """The same expressions are refused as a `when` condition."""
    with pytest.raises(RuleError, match=r"rule\[0\]\.when"):
        pack_from_dict(pack_with(case["expression"], key="when"), "hostile.toml")


@pytest.mark.parametrize(
    "case",
    [c for c in CORPUS if c["outcome"] == "bounded"],
    ids=lambda c: c["expression"][:40],
)
def test_bounded_at_run_time(case: dict[str, str]) -> None:
    """Each bounded expression loads, then fails cleanly naming rule and item."""
    pack = pack_from_dict(pack_with(case["expression"]), "hostile.toml")
    with pytest.raises(RuleEvaluationError) as raised:
        prioritize(ENGAGEMENT, [pack])
    text = str(raised.value)
    assert case["message"] in text
    assert "in rule 'attack' on initiative 'crm'" in text


def test_no_hostile_expression_ran_code() -> None:
    """Compiling and running the whole corpus creates no file and touches no builtins."""
    CANARY.unlink(missing_ok=True)
    for case in CORPUS:
        with contextlib.suppress(RuleError):
            prioritize(ENGAGEMENT, [pack_from_dict(pack_with(case["expression"]))])
    assert not CANARY.exists()


def test_compiled_functions_see_no_builtins() -> None:
    """A compiled expression's globals hold no builtins, only the vetted functions."""
    expression = compile_expression("max(cost, 1)", {"cost": "number"})
    namespace = expression.function.__globals__
    assert namespace["__builtins__"] == {}
    assert "open" not in namespace
    assert "__import__" not in namespace


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "1 + " * 25_000 + "1",
            "expression too long in rule 'attack': got 100001 characters, expected at most 1000",
        ),
        ("cost" + " " * 100_000, "expression too long in rule 'attack': got 100004 characters"),
        (
            "(" * 250 + "1" + ")" * 250,
            "not a valid expression in rule 'attack': got too many nested parentheses",
        ),
        ("-" * 60 + "1", "expression nested too deeply in rule 'attack': got more than 32 levels"),
        ("not " * 200 + "mandatory", "expression too large in rule 'attack': got 403 syntax nodes"),
        (" + ".join(["cost"] * 40), "expression nested too deeply"),
        ("max(" + ", ".join(["cost"] * 120) + ")", "expression too large"),
        ("max([" + ", ".join(["1"] * 65) + "])", "list too long in rule 'attack': got 65 items"),
        ("'" + "a" * 300 + "' in tags", "string too long in rule 'attack': got 300 characters"),
        ("1" * 400, "number too large"),
        ("cost\x00", "not a valid expression"),
        ("", "empty expression"),
    ],
    ids=[
        "100kb",
        "100kb-whitespace",
        "deep-parens",
        "deep-unary",
        "deep-not",
        "long-sum",
        "many-arguments",
        "long-list",
        "long-string",
        "huge-literal",
        "nul-byte",
        "empty",
    ],
)
def test_generated_hostile_expressions_are_refused(expression: str, message: str) -> None:
    """Huge, deep and wide expressions are refused with a clear message, before running."""
    with pytest.raises(RuleError) as raised:
        pack_from_dict(pack_with(expression), "hostile.toml")
    assert message in str(raised.value)


def test_a_long_expression_is_refused_before_parsing() -> None:
    """The length limit holds right at the boundary."""
    names = {"cost": "number"}
    fits = "cost" + " " * (MAX_LENGTH - 4)
    assert compile_expression(fits, names).source == "cost"  # type: ignore[arg-type]
    with pytest.raises(RuleError, match="expression too long"):
        compile_expression(fits + " ", names)  # type: ignore[arg-type]
