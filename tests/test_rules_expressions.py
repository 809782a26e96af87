"""The expression compiler: what it accepts, what it computes, how it refuses."""

import math

import pytest

from itstrat_engine.errors import RuleError
from itstrat_engine.rules import Missing, MissingValueError, compile_expression
from itstrat_engine.rules.expressions import ExpressionProblem, ValueType

NAMES: dict[str, ValueType] = {
    "cost": "number",
    "job_size": "number",
    "mandatory": "bool",
    "name": "string",
    "tags": "strings",
    "score": "number",
}
VALUES = {
    "cost": 12.0,
    "job_size": 3.0,
    "mandatory": True,
    "name": "CRM rollout",
    "tags": ("must", "compliance"),
    "score": 10.0,
}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("cost * 2 + 1", 25.0),
        ("cost / job_size", 4.0),
        ("cost // 5", 2.0),
        ("cost % 5", 2.0),
        ("2 ** 10", 1024.0),
        ("-cost + +job_size", -9.0),
        ("'must' in tags", True),
        ("'wont' not in tags", True),
        ("'CRM' in name", True),
        ("name == 'CRM rollout'", True),
        ("1 < job_size <= 3", True),
        ("cost > 10 and not mandatory", False),
        ("cost > 100 or mandatory", True),
        ("10 * mandatory", 10.0),
        ("cost if mandatory else 0", 12.0),
        ("min(cost, job_size, 5)", 3.0),
        ("max([cost, job_size])", 12.0),
        ("abs(job_size - cost)", 9.0),
        ("round(cost / 7, 2)", 1.71),
        ("round(2.5)", 2.0),
        ("len(tags)", 2),
        ("len(name)", 11),
        ("sum([cost, job_size, 0.5])", 15.5),
        ("clamp(cost, 0, 10)", 10.0),
        ("sqrt(job_size * 3)", 3.0),
        ("log(1)", 0.0),
        ("log(8, 2)", 3.0),
        ("exp(0)", 1.0),
        ("floor(2.7) + ceil(2.1)", 5.0),
        ("job_size in [1, 2, 3]", True),
        ("score * 2", 20.0),
    ],
)
def test_accepted_expressions_compute_like_python(source: str, expected: object) -> None:
    """Each accepted expression evaluates to what the same Python would give."""
    value = compile_expression(source, NAMES).evaluate(VALUES)
    assert value == pytest.approx(expected) if isinstance(expected, float) else value == expected


def test_whole_numbers_become_floats() -> None:
    """Number literals compile to floats, so integer arithmetic cannot grow without bound."""
    expression = compile_expression("2 ** 3 + 7 // 2", NAMES)
    assert expression.code == "_pow(2.0, 3.0) + 7.0 // 2.0"
    assert isinstance(expression.evaluate({}), float)


def test_names_are_read_in_order_of_first_use() -> None:
    """`names` lists what the expression reads, each once, in order."""
    expression = compile_expression("max(job_size, cost) / job_size + score", NAMES)
    assert expression.names == ("job_size", "cost", "score")
    assert expression.type == "number"


def test_has_and_default_look_at_missing_values_without_using_them() -> None:
    """has() and default() are the only ways to look at a missing value."""
    names: dict[str, ValueType] = {"size": "number"}
    guarded = compile_expression("size if has(size) else 1", names, optional={"size"})
    fallback = compile_expression("default(size, 2) * 3", names, optional={"size"})
    assert guarded.evaluate({}) == 1.0
    assert guarded.evaluate({"size": 5.0}) == 5.0
    assert fallback.evaluate({}) == 6.0
    assert fallback.evaluate({"size": 5.0}) == 15.0


@pytest.mark.parametrize(
    "source",
    [
        "size + 1",
        "1 + size",
        "size > 1",
        "1 < size",
        "size == 3",
        "size != 3",
        "size in [1, 2]",
        "not size",
        "size and True",
        "-size",
        "abs(size)",
        "round(size)",
        "min(size, 2)",
        "max([size, 2])",
        "sum([1, size])",
        "sqrt(size)",
        "floor(size)",
        "size ** 2",
        "2 ** size",
        "1 if size else 2",
    ],
)
def test_a_missing_value_never_passes_silently(source: str) -> None:
    """Any use of a missing value raises MissingValueError naming it."""
    expression = compile_expression(source, {"size": "number"}, optional={"size"})
    with pytest.raises(MissingValueError, match="size is missing"):
        expression.evaluate({"size": Missing("size")})


def test_unknown_name_error_shows_caret_and_suggestion() -> None:
    """An unknown name is located: file, path, rule, caret under the name, did-you-mean."""
    with pytest.raises(RuleError) as raised:
        compile_expression(
            "cost / max(job_sise, 1)",
            NAMES,
            subject="initiative",
            path="rule[1].score",
            context="rule 'per-size'",
            file="wsjf.toml",
        )
    assert str(raised.value) == (
        "1 error in the rule pack\n"
        "wsjf.toml: rule[1].score: unknown name in rule 'per-size': got 'job_sise', expected a "
        "field of the initiative, a param of the pack or score; did you mean 'job_size'?\n"
        "    cost / max(job_sise, 1)\n"
        "               ^^^^^^^^"
    )
    (problem,) = raised.value.problems
    assert isinstance(problem, ExpressionProblem)
    assert (problem.column, problem.width) == (11, 8)
    assert problem.as_dict()["excerpt"] == "    cost / max(job_sise, 1)\n               ^^^^^^^^"


def test_undeclared_free_field_suggests_declaring_it() -> None:
    """A name close to nothing suggests declaring it as a free field of the pack."""
    with pytest.raises(RuleError) as raised:
        compile_expression("reach * 2", NAMES, subject="initiative")
    assert "if the initiatives carry it as a free field, declare it in [pack] fields" in str(
        raised.value
    )


def test_caret_counts_characters_not_bytes() -> None:
    """A caret after non-ASCII text still sits under the offending name."""
    with pytest.raises(RuleError) as raised:
        compile_expression("'équipe' in tags and coast > 1", NAMES)
    assert str(raised.value).endswith(
        "    'équipe' in tags and coast > 1\n                         ^^^^^"
    )


def test_syntax_error_caret_points_at_the_mistake() -> None:
    """A syntax error is shown with a caret at the column Python reports."""
    with pytest.raises(RuleError) as raised:
        compile_expression("cost +* 2", NAMES, path="rule[0].score")
    assert str(raised.value) == (
        "1 error in the rule pack\n"
        "rule[0].score: not a valid expression: got invalid syntax, expected one expression "
        "(statements such as import, def or = are not allowed)\n"
        "    cost +* 2\n"
        "          ^"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("tags + 1", "'+' needs numbers: got a list of strings, expected a number"),
        ("name < 3", "cannot order these values: got a string with a number"),
        ("name == 3", "cannot compare different kinds of value: got a string with a number"),
        ("3 in tags", "'in' needs a list (or string) of the same kind on the right"),
        ("'a' in cost", "'in' needs a list (or string) of the same kind on the right"),
        ("tags and 1", "'and'/'or' need conditions or numbers: got a list of strings"),
        ("1 if name else 2", "the condition must be true or false: got a string"),
        ("[1, 'a']", "a list holds numbers or strings, not a mix or lists"),
        ("[]", "empty lists are not allowed"),
        ("min(tags)", "wrong arguments for min(): got a list of strings"),
        ("max(1)", "wrong arguments for max(): got a number"),
        ("sum(1, 2)", "wrong arguments for sum(): got a number, a number"),
        ("len(cost)", "wrong arguments for len(): got a number"),
        ("sqrt(1, 2)", "wrong arguments for sqrt(): got a number, a number"),
        (
            "round(cost, job_size)",
            "round() digits must be a whole number written in the expression",
        ),
        ("round(cost, 99)", "round() digits must be a whole number written in the expression"),
        ("has(cost)", "has() of a value that is never missing: got 'cost'"),
        ("has(1)", "has() takes a field name"),
        ("default(cost)", "default() takes a field name and a fallback value"),
        ("fib(3)", "unknown function: got 'fib'"),
        (
            "mx(1, 2)",
            "unknown function: got 'mx', expected one of abs, ceil, clamp, default, exp, floor, has, len, log, max, min, round, sqrt, sum; did you mean 'max'?",
        ),
        ("name", "wrong kind of result: got a string, expected a number"),
    ],
)
def test_type_and_call_errors_are_pinned(source: str, message: str) -> None:
    """Wrong types and calls are refused with a message saying what was expected."""
    with pytest.raises(RuleError) as raised:
        compile_expression(source, NAMES, expect=("number",))
    assert message in str(raised.value)


def test_a_condition_may_be_a_number() -> None:
    """A result typed bool is accepted where a number is expected, and vice versa for `when`."""
    assert compile_expression("mandatory", NAMES, expect=("number",)).type == "bool"
    assert compile_expression("cost", NAMES, expect=("bool", "number")).type == "number"


def test_runtime_arithmetic_errors_are_ordinary_exceptions() -> None:
    """Division by zero and overflow raise Python's own exceptions, caught by evaluation."""
    with pytest.raises(ZeroDivisionError):
        compile_expression("cost / 0", NAMES).evaluate(VALUES)
    with pytest.raises(OverflowError):
        compile_expression("10 ** 400", NAMES).evaluate(VALUES)
    with pytest.raises(ValueError, match="math domain error"):
        compile_expression("(-1) ** 0.5", NAMES).evaluate(VALUES)
    assert math.isinf(compile_expression("1e308 * 10", NAMES).evaluate(VALUES))  # type: ignore[arg-type]


def test_problem_excerpt_windows_long_lines() -> None:
    """A long expression is shown as a window around the caret."""
    source = "sum([" + "cost, " * 30 + "coast])"
    with pytest.raises(RuleError) as raised:
        compile_expression(source, NAMES)
    excerpt = str(raised.value).splitlines()[-2:]
    assert excerpt[0].startswith("    ...")
    assert excerpt[0].endswith("coast])")
    assert excerpt[1].endswith("^^^^^")
    assert excerpt[0].index("coast") == excerpt[1].index("^")
