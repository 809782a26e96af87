"""The expression compiler against Python's own evaluation, on generated expressions.

A typed grammar (numbers: literals, names, + - *, unary minus, abs, min, max, conditional
expressions; booleans: comparisons, and, or, not) generates sources that are valid in both;
the compiled function must give what `eval` gives on the same values.
"""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from itstrat_engine.rules.expressions import compile_expression

NAMES = {"a": "number", "b": "number", "c": "number"}

LITERALS = [str(n) for n in range(0, 51, 7)] + ["0.5", "1.25", "2.0"]


@st.composite
def numbers(draw: st.DrawFn, depth: int = 3) -> str:
    """A number-typed source of at most `depth` levels."""
    kind = draw(st.sampled_from(["leaf"] if depth == 0 else ["leaf", "op", "call", "neg", "if"]))
    if kind == "leaf":
        return draw(st.sampled_from([*LITERALS, *NAMES]))
    inner = numbers(depth - 1)
    if kind == "op":
        return f"({draw(inner)} {draw(st.sampled_from(['+', '-', '*']))} {draw(inner)})"
    if kind == "call":
        return f"{draw(st.sampled_from(['min', 'max']))}({draw(inner)}, {draw(inner)})"
    if kind == "neg":
        return draw(st.sampled_from(["(-{})", "abs({})"])).format(draw(inner))
    return f"({draw(inner)} if {draw(booleans(depth - 1))} else {draw(inner)})"


@st.composite
def booleans(draw: st.DrawFn, depth: int) -> str:
    """A boolean-typed source: comparisons joined by and, or, not."""
    kind = draw(st.sampled_from(["compare"] if depth == 0 else ["compare", "join", "not"]))
    if kind == "compare":
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        return f"({draw(numbers(depth))} {op} {draw(numbers(depth))})"
    if kind == "join":
        op = draw(st.sampled_from(["and", "or"]))
        return f"({draw(booleans(depth - 1))} {op} {draw(booleans(depth - 1))})"
    return f"(not {draw(booleans(depth - 1))})"


values = st.floats(-1000, 1000, allow_nan=False, allow_infinity=False)


@settings(max_examples=300)
@given(numbers(), values, values, values)
def test_compiled_expressions_agree_with_python(source: str, a: float, b: float, c: float) -> None:
    namespace = {"__builtins__": {}, "min": min, "max": max, "abs": abs}
    expected = eval(source, namespace, {"a": a, "b": b, "c": c})  # noqa: S307 - the oracle
    got = compile_expression(source, NAMES).evaluate({"a": a, "b": b, "c": c})
    assert math.isclose(float(got), float(expected), rel_tol=1e-12, abs_tol=1e-12), source
