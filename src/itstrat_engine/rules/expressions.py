"""A small, safe expression language, compiled once to plain Python functions.

Rule packs are untrusted input, so their expressions are never handed to `eval`. Each one is

1. bounded before parsing (at most `MAX_LENGTH` characters), parsed with
   ``ast.parse(mode="eval")`` and bounded again (at most `MAX_NODES` nodes, `MAX_DEPTH`
   levels of nesting, `MAX_ITEMS` items in a list literal);
2. checked against a whitelist of node types: numbers, strings, booleans, arithmetic
   (``+ - * / // % **``), comparisons, ``and``/``or``/``not``, ``in``/``not in``,
   conditional expressions, list literals and calls of the functions in `FUNCTIONS`.
   Attribute access, subscripts, lambdas, comprehensions, ``:=``, starred or keyword
   arguments, f-strings, dicts and sets are refused;
3. type checked: every name must be declared with a `ValueType` (the subject's fields, the
   pack's params and ``score``), arithmetic takes numbers only (so no string or list
   repetition), comparisons take like with like, functions check their arguments;
4. rewritten — names become local variables ``v_<name>``, functions become references to
   vetted implementations, ``**`` becomes `math.pow` on floats, whole numbers become floats
   (so no unbounded integer arithmetic) — and compiled once with `compile` into a plain
   function whose only globals are those implementations.

Every refusal is a `RuleError` whose problem shows the expression with a caret under the
offending part. At run time the work per evaluation is bounded by the expression's size:
floats overflow to an error instead of growing, and the only sequences are the subject's
own lists. A missing optional value is a `Missing` marker that raises `MissingValueError`
on any use except ``has(name)`` and ``default(name, value)``.

>>> expression = compile_expression("max(cost, floor_cost) * 2", {"cost": "number",
...     "floor_cost": "number"})
>>> expression.names
('cost', 'floor_cost')
>>> expression.evaluate({"cost": 3.0, "floor_cost": 5.0})
10.0
"""

import ast
import math
import types
from collections.abc import Callable, Collection, Mapping, Sized
from typing import Any, Literal, NoReturn

import attrs

from itstrat_engine.errors import Problem, RuleError, did_you_mean

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_ITEMS",
    "MAX_LENGTH",
    "MAX_NODES",
    "Expression",
    "ExpressionProblem",
    "Missing",
    "MissingValueError",
    "ValueType",
    "compile_expression",
    "compile_function",
    "runtime_namespace",
]

ValueType = Literal["number", "bool", "string", "strings", "numbers"]
"""The type of a name or an expression: a number, a boolean, a string, or a list of them."""

MAX_LENGTH = 1000
"""Longest expression source, in characters (checked before parsing)."""
MAX_NODES = 200
"""Most syntax-tree nodes in one expression."""
MAX_DEPTH = 32
"""Deepest nesting of syntax-tree nodes in one expression."""
MAX_ITEMS = 64
"""Most items in one list literal."""
_MAX_STRING = 200  # longest string literal
_MAX_ROUND_DIGITS = 12

_TYPE_NAMES: dict[str, str] = {
    "number": "a number",
    "bool": "a boolean",
    "string": "a string",
    "strings": "a list of strings",
    "numbers": "a list of numbers",
}
_NUMERIC = frozenset({"number", "bool"})  # booleans count as 0 and 1 in arithmetic


# --------------------------------------------------------------------------- missing values


class MissingValueError(Exception):
    """An expression used a value the item does not have (`name` says which)."""

    def __init__(self, name: str) -> None:
        """Remember the missing name."""
        self.name = name
        super().__init__(f"{name} is missing")


class Missing:
    """Marker for a missing optional value: any use raises `MissingValueError`.

    Only ``has(name)`` and ``default(name, value)`` look at it without using it, so a
    missing value can never flow silently into a score.

    >>> 1 + Missing("job_size")
    Traceback (most recent call last):
    ...
    itstrat_engine.rules.expressions.MissingValueError: job_size is missing
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        """Mark `name` as missing."""
        self.name = name

    def __repr__(self) -> str:
        """Show which value is missing."""
        return f"Missing({self.name!r})"

    def _fail(self, *_: object) -> NoReturn:
        raise MissingValueError(self.name)

    # Every operator an expression (or a whitelisted function) can apply raises.
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _fail
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _fail
    __pow__ = __rpow__ = __neg__ = __pos__ = __abs__ = __round__ = _fail
    __float__ = __int__ = __index__ = __floor__ = __ceil__ = __trunc__ = _fail
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _fail
    __bool__ = __len__ = __iter__ = __contains__ = __hash__ = _fail


# --------------------------------------------------------------------------- functions


def _len(value: Sized) -> float:
    # A float, like every other number: integer products could otherwise grow unbounded.
    return float(len(value))


def _clamp(value: float, low: float, high: float) -> float:
    if low > high:  # min(max(...)) would silently return `high`: a typo, not a limit
        msg = f"clamp: low {low:g} is above high {high:g}"
        raise ValueError(msg)
    return min(max(value, low), high)


def _log(value: float, base: float = math.e) -> float:
    return math.log(value, base)


def _floor(value: float) -> float:
    return float(math.floor(value))


def _ceil(value: float) -> float:
    return float(math.ceil(value))


@attrs.frozen
class _Function:
    implementation: Callable[..., object] | None  # None: rewritten inline
    arguments: str  # how a call is written, for messages
    counts: tuple[int, ...]  # accepted numbers of arguments
    description: str


FUNCTIONS: Mapping[str, _Function] = types.MappingProxyType(
    {
        "abs": _Function(abs, "abs(x)", (1,), "absolute value"),
        "ceil": _Function(_ceil, "ceil(x)", (1,), "smallest whole number >= x"),
        "clamp": _Function(_clamp, "clamp(x, low, high)", (3,), "x limited to low..high"),
        "default": _Function(
            None,
            "default(name, value)",
            (2,),
            "the field's value, or value when the item lacks the field",
        ),
        "exp": _Function(math.exp, "exp(x)", (1,), "e to the power x"),
        "floor": _Function(_floor, "floor(x)", (1,), "largest whole number <= x"),
        "has": _Function(None, "has(name)", (1,), "true when the item has a value for the field"),
        "len": _Function(_len, "len(list or string)", (1,), "number of items or characters"),
        "log": _Function(_log, "log(x) or log(x, base)", (1, 2), "logarithm (natural by default)"),
        "max": _Function(max, "max(a, b, ...) or max(list)", (), "largest number"),
        "min": _Function(min, "min(a, b, ...) or min(list)", (), "smallest number"),
        "round": _Function(round, "round(x) or round(x, digits)", (1, 2), "x rounded half to even"),
        "sqrt": _Function(math.sqrt, "sqrt(x)", (1,), "square root"),
        "sum": _Function(math.fsum, "sum(list)", (1,), "exact sum of a list of numbers"),
    }
)
"""The whitelisted functions, by the name expressions call them with."""


def runtime_namespace() -> dict[str, object]:
    """The only globals compiled expressions see: the vetted function implementations.

    Builtins are empty, so a compiled function cannot reach ``open``, ``__import__`` or
    anything else even by accident.
    """
    namespace: dict[str, object] = {"__builtins__": {}}
    for name, function in FUNCTIONS.items():
        if function.implementation is not None:
            namespace[f"f_{name}"] = function.implementation
    namespace["_pow"] = math.pow  # floats only: overflow raises, negative bases never go complex
    namespace["_type"] = type
    namespace["_Missing"] = Missing
    return namespace


# --------------------------------------------------------------------------- problems


@attrs.frozen(kw_only=True)
class ExpressionProblem(Problem):
    """A `Problem` in an expression, with the source and the span to underline.

    `column` and `width` are in characters within `line` (0-based) of `source`.

    >>> problem = ExpressionProblem(code="unknown-name", path="rule[0].score",
    ...     message="unknown name", source="cots * 2", line=0, column=0, width=4)
    >>> print(problem)
    rule[0].score: unknown name
        cots * 2
        ^^^^
    """

    source: str
    line: int = 0
    column: int = 0
    width: int = 1

    @property
    def excerpt(self) -> str:
        """The source line with a caret line under the offending part."""
        lines = self.source.splitlines() or [""]
        text = lines[min(self.line, len(lines) - 1)]
        column, width = self.column, max(1, self.width)
        # Long lines are cut to a window around the caret so the excerpt stays readable.
        if len(text) > 100:
            start = max(0, column - 40)
            end = min(len(text), start + 100)
            prefix = "..." if start else ""
            text = prefix + text[start:end] + ("..." if end < len(text) else "")
            column = column - start + len(prefix)
            width = min(width, end - (column - len(prefix)) - start + len(prefix))
        width = max(1, min(width, len(text) - column if column < len(text) else 1))
        return f"    {text}\n    {' ' * column}{'^' * width}"

    def __str__(self) -> str:
        """Render as ``file: path: text`` followed by the excerpt."""
        return f"{super().__str__()}\n{self.excerpt}"

    def as_dict(self) -> dict[str, str]:
        """The problem as JSON-ready data, with the excerpt."""
        data = super().as_dict()
        data["text"] = str(self)
        data["excerpt"] = self.excerpt
        return data


class _Refusal(Exception):  # noqa: N818 - internal signal, converted to a RuleError
    """Raised inside the checker; carries the node to underline."""

    def __init__(
        self,
        node: ast.AST | None,
        code: str,
        message: str,
        *,
        value: str | None = None,
        expected: str | None = None,
        suggestion: str | None = None,
        column: int | None = None,
    ) -> None:
        self.node = node
        self.code = code
        self.message = message
        self.value = value
        self.expected = expected
        self.suggestion = suggestion
        self.column = column
        super().__init__(message)


# --------------------------------------------------------------------------- checking

_REFUSED_NODES: dict[type, str] = {
    ast.Attribute: "attribute access (a.b) is not allowed",
    ast.Subscript: "indexing and slicing (a[b]) are not allowed",
    ast.Lambda: "lambda functions are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.Starred: "starred arguments (*a) are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.FormattedValue: "f-strings are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.Slice: "slices are not allowed",
}

_ARITHMETIC: dict[type, str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
}


def _describe(type_: str) -> str:
    return _TYPE_NAMES[type_]


def _numeric_result(*types_: str) -> ValueType:
    return "bool" if all(t == "bool" for t in types_) else "number"


class _Checker:
    """Walks a parsed expression: whitelist, bounds, name binding and types."""

    def __init__(
        self, names: Mapping[str, ValueType], optional: Collection[str], subject: str
    ) -> None:
        self.names = names
        self.optional = optional
        self.subject = subject
        self.used: dict[str, None] = {}  # insertion-ordered set of the names read
        self.unguarded: dict[str, None] = {}  # names read other than through has()/default()
        self._guarding = False

    def check(self, node: ast.AST, depth: int = 0) -> ValueType:
        if depth > MAX_DEPTH:
            raise _Refusal(
                node,
                "too-deep",
                "expression nested too deeply",
                value=f"more than {MAX_DEPTH} levels",
                expected=f"at most {MAX_DEPTH}",
                suggestion="split it into several rules, or use sum([...]) for long sums",
            )
        method = getattr(self, f"_check_{type(node).__name__}", None)
        if method is None:
            reason = _REFUSED_NODES.get(type(node), f"{type(node).__name__} is not allowed")
            raise _Refusal(
                node,
                "not-allowed",
                reason,
                expected="numbers, strings, names, arithmetic, comparisons, and/or/not, "
                "'x if c else y' and the listed functions",
            )
        result: ValueType = method(node, depth + 1)
        return result

    # -- leaves

    def _check_Constant(self, node: ast.Constant, _: int) -> ValueType:  # noqa: N802
        value = node.value
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int | float):
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
            if not math.isfinite(number):
                raise _Refusal(
                    node,
                    "number-too-large",
                    "number too large",
                    expected="a finite number (at most about 1.8e308)",
                )
            return "number"
        if isinstance(value, str):
            if len(value) > _MAX_STRING:
                raise _Refusal(
                    node,
                    "string-too-long",
                    "string too long",
                    value=f"{len(value)} characters",
                    expected=f"at most {_MAX_STRING}",
                )
            return "string"
        raise _Refusal(
            node,
            "not-allowed",
            "this constant is not allowed",
            value=repr(value)[:40],
            expected="a number, a string, true or false",
        )

    def _check_Name(self, node: ast.Name, _: int) -> ValueType:  # noqa: N802
        type_ = self.names.get(node.id)
        if type_ is None:
            hint = did_you_mean(node.id, self.names)
            raise _Refusal(
                node,
                "unknown-name",
                "unknown name",
                value=repr(node.id),
                expected=f"a field of the {self.subject}, a param of the pack or score",
                suggestion=hint
                or (
                    f"if the {self.subject}s carry it as a free field, declare it in [pack] fields"
                    if node.id.isidentifier() and not node.id.startswith("_")
                    else None
                ),
            )
        self.used[node.id] = None
        if not self._guarding:
            self.unguarded[node.id] = None
        return type_

    # -- operators

    def _check_BinOp(self, node: ast.BinOp, depth: int) -> ValueType:  # noqa: N802
        symbol = _ARITHMETIC.get(type(node.op))
        if symbol is None:
            raise _Refusal(
                node,
                "not-allowed",
                "bitwise operators are not allowed",
                expected="+ - * / // % **",
            )
        left = self.check(node.left, depth)
        right = self.check(node.right, depth)
        for side, type_ in ((node.left, left), (node.right, right)):
            if type_ not in _NUMERIC:
                raise _Refusal(
                    side,
                    "type",
                    f"'{symbol}' needs numbers",
                    value=_describe(type_),
                    expected="a number",
                    suggestion="strings and lists cannot be added, repeated or formatted",
                )
        return "number"

    def _check_UnaryOp(self, node: ast.UnaryOp, depth: int) -> ValueType:  # noqa: N802
        operand = self.check(node.operand, depth)
        if isinstance(node.op, ast.Not):
            return "bool"
        if isinstance(node.op, ast.Invert):
            raise _Refusal(node, "not-allowed", "bitwise operators are not allowed")
        if operand not in _NUMERIC:
            raise _Refusal(node.operand, "type", "sign needs a number", value=_describe(operand))
        return "number"

    def _check_BoolOp(self, node: ast.BoolOp, depth: int) -> ValueType:  # noqa: N802
        found = []
        for value in node.values:
            type_ = self.check(value, depth)
            if type_ not in _NUMERIC:
                raise _Refusal(
                    value,
                    "type",
                    "'and'/'or' need conditions or numbers",
                    value=_describe(type_),
                    expected="a comparison, a boolean or a number",
                    suggestion="test a list or string with 'in' or len(...) > 0",
                )
            found.append(type_)
        return _numeric_result(*found)

    def _check_Compare(self, node: ast.Compare, depth: int) -> ValueType:  # noqa: N802
        left_node: ast.expr = node.left
        left = self.check(left_node, depth)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.check(right_node, depth)
            if isinstance(op, ast.Is | ast.IsNot):
                raise _Refusal(
                    node,
                    "not-allowed",
                    "'is' is not allowed",
                    suggestion="use == or != (and has(name) for a missing value)",
                )
            if isinstance(op, ast.In | ast.NotIn):
                fits = (left == "string" and right in {"strings", "string"}) or (
                    left in _NUMERIC and right == "numbers"
                )
                if not fits:
                    raise _Refusal(
                        right_node,
                        "type",
                        "'in' needs a list (or string) of the same kind on the right",
                        value=f"{_describe(left)} in {_describe(right)}",
                        expected="a string in a list of strings or a string, "
                        "or a number in a list of numbers",
                    )
            elif isinstance(op, ast.Eq | ast.NotEq):
                if not (left == right or (left in _NUMERIC and right in _NUMERIC)):
                    raise _Refusal(
                        node,
                        "type",
                        "cannot compare different kinds of value",
                        value=f"{_describe(left)} with {_describe(right)}",
                        expected="like with like",
                    )
            elif not ((left in _NUMERIC and right in _NUMERIC) or left == right == "string"):
                raise _Refusal(
                    node,
                    "type",
                    "cannot order these values",
                    value=f"{_describe(left)} with {_describe(right)}",
                    expected="two numbers or two strings",
                )
            left_node, left = right_node, right
        return "bool"

    def _check_IfExp(self, node: ast.IfExp, depth: int) -> ValueType:  # noqa: N802
        test = self.check(node.test, depth)
        if test not in _NUMERIC:
            raise _Refusal(
                node.test,
                "type",
                "the condition must be true or false",
                value=_describe(test),
                expected="a comparison, a boolean or a number",
            )
        body = self.check(node.body, depth)
        orelse = self.check(node.orelse, depth)
        if body in _NUMERIC and orelse in _NUMERIC:
            return _numeric_result(body, orelse)
        if body != orelse:
            raise _Refusal(
                node,
                "type",
                "both branches must give the same kind of value",
                value=f"{_describe(body)} and {_describe(orelse)}",
            )
        return body

    def _check_List(self, node: ast.List | ast.Tuple, depth: int) -> ValueType:  # noqa: N802
        if not node.elts:
            raise _Refusal(node, "type", "empty lists are not allowed")
        if len(node.elts) > MAX_ITEMS:
            raise _Refusal(
                node,
                "too-large",
                "list too long",
                value=f"{len(node.elts)} items",
                expected=f"at most {MAX_ITEMS}",
            )
        kinds = {self.check(element, depth) for element in node.elts}
        if kinds <= _NUMERIC:
            return "numbers"
        if kinds == {"string"}:
            return "strings"
        raise _Refusal(
            node,
            "type",
            "a list holds numbers or strings, not a mix or lists",
            value=" and ".join(sorted(_describe(k) for k in kinds)),
        )

    _check_Tuple = _check_List  # noqa: N815 - matches the ast class name

    # -- calls

    def _check_Call(self, node: ast.Call, depth: int) -> ValueType:  # noqa: N802
        if not isinstance(node.func, ast.Name):
            raise _Refusal(
                node.func,
                "not-allowed",
                "only the listed functions can be called",
                expected="one of " + ", ".join(sorted(FUNCTIONS)),
            )
        name = node.func.id
        if name not in FUNCTIONS:
            raise _Refusal(
                node.func,
                "unknown-function",
                "unknown function",
                value=repr(name),
                expected="one of " + ", ".join(sorted(FUNCTIONS)),
                suggestion=did_you_mean(name, FUNCTIONS),
            )
        if node.keywords:
            raise _Refusal(
                node.keywords[0].value,
                "not-allowed",
                "keyword arguments are not allowed",
                expected=FUNCTIONS[name].arguments,
            )
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                raise _Refusal(argument, "not-allowed", _REFUSED_NODES[ast.Starred])
        if name in {"has", "default"}:
            return self._check_field_function(node, name, depth)
        kinds = [self.check(argument, depth) for argument in node.args]
        expected = FUNCTIONS[name].arguments

        def wrong(message: str) -> _Refusal:
            return _Refusal(
                node,
                "arguments",
                f"wrong arguments for {name}()",
                value=message,
                expected=expected,
            )

        count = len(kinds)
        numeric = all(k in _NUMERIC for k in kinds)
        if name in {"min", "max"}:
            if count == 1 and kinds[0] == "numbers":
                return "number"
            if count >= 2 and numeric:
                return "number"
            raise wrong(", ".join(_describe(k) for k in kinds) or "no arguments")
        if name == "len":
            if count == 1 and kinds[0] in {"strings", "numbers", "string"}:
                return "number"
            raise wrong(", ".join(_describe(k) for k in kinds) or "no arguments")
        if name == "sum":
            if count == 1 and kinds[0] == "numbers":
                return "number"
            raise wrong(", ".join(_describe(k) for k in kinds) or "no arguments")
        if name == "round":
            if count == 2 and numeric:
                digits = node.args[1]
                value = _constant_number(digits)
                if value is None or not value.is_integer() or abs(value) > _MAX_ROUND_DIGITS:
                    raise _Refusal(
                        digits,
                        "arguments",
                        "round() digits must be a whole number written in the expression",
                        expected=f"-{_MAX_ROUND_DIGITS}..{_MAX_ROUND_DIGITS}",
                    )
                return "number"
            if count == 1 and numeric:
                return "number"
            raise wrong(", ".join(_describe(k) for k in kinds) or "no arguments")
        if count in FUNCTIONS[name].counts and numeric:
            return "number"
        raise wrong(", ".join(_describe(k) for k in kinds) or "no arguments")

    def _check_field_function(self, node: ast.Call, name: str, depth: int) -> ValueType:
        expected = FUNCTIONS[name].arguments
        count = 1 if name == "has" else 2
        if len(node.args) != count or not isinstance(node.args[0], ast.Name):
            raise _Refusal(
                node,
                "arguments",
                f"{name}() takes a field name" + (" and a fallback value" if count == 2 else ""),
                expected=expected,
            )
        self._guarding = True
        try:
            field_type = self.check(node.args[0], depth)
        finally:
            self._guarding = False
        if node.args[0].id not in self.optional:
            raise _Refusal(
                node.args[0],
                "never-missing",
                f"{name}() of a value that is never missing",
                value=repr(node.args[0].id),
                expected="an optional field (a free field, value, severity, survey or maturity "
                "figures, earliest, deadline)",
                suggestion=f"use {node.args[0].id} directly",
            )
        if name == "has":
            return "bool"
        fallback = self.check(node.args[1], depth)
        if field_type in _NUMERIC and fallback in _NUMERIC:
            return _numeric_result(field_type, fallback)
        if field_type != fallback:
            raise _Refusal(
                node.args[1],
                "type",
                "default() needs a fallback of the field's kind",
                value=_describe(fallback),
                expected=_describe(field_type),
            )
        return field_type


def _constant_number(node: ast.AST) -> float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _constant_number(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return float(node.value)
    return None


# --------------------------------------------------------------------------- rewriting


class _Rewriter(ast.NodeTransformer):
    """Turn a checked expression into code over local variables and vetted functions."""

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.Name(id=f"v_{node.id}", ctx=ast.Load())

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, int) and not isinstance(value, bool):
            return ast.Constant(value=float(value))  # float arithmetic cannot grow unboundedly
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow):
            return ast.Call(
                func=ast.Name(id="_pow", ctx=ast.Load()), args=[node.left, node.right], keywords=[]
            )
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        assert isinstance(node.func, ast.Name)  # noqa: S101 - guaranteed by the checker
        name = node.func.id
        if name in {"has", "default"}:
            field = node.args[0]
            assert isinstance(field, ast.Name)  # noqa: S101 - guaranteed by the checker
            variable = ast.Name(id=f"v_{field.id}", ctx=ast.Load())
            present = ast.Compare(
                left=ast.Call(
                    func=ast.Name(id="_type", ctx=ast.Load()), args=[variable], keywords=[]
                ),
                ops=[ast.IsNot()],
                comparators=[ast.Name(id="_Missing", ctx=ast.Load())],
            )
            if name == "has":
                return present
            return ast.IfExp(test=present, body=variable, orelse=self.visit(node.args[1]))
        self.generic_visit(node)
        if name == "round":
            # Builtin round with whole digits returns a float for a float: no wrapper needed.
            digits = _constant_number(node.args[1]) if len(node.args) == 2 else 0.0
            node.args = [node.args[0], ast.Constant(value=int(digits or 0.0))]
        node.func = ast.Name(id=f"f_{name}", ctx=ast.Load())
        return node


# --------------------------------------------------------------------------- compiling


@attrs.frozen(kw_only=True)
class Expression:
    """A checked, compiled expression.

    `names` are the names it reads, in order of first use; `type` is what it evaluates to;
    `function` is the compiled plain function taking one argument per name, in `names`
    order; `unguarded` are the names read other than through ``has()``/``default()``; `code` is the rewritten Python source (over ``v_<name>`` variables) that packs
    fuse into one function per pack.
    """

    source: str
    names: tuple[str, ...]
    type: ValueType
    code: str = attrs.field(repr=False)
    unguarded: tuple[str, ...] = attrs.field(default=(), repr=False)
    function: Callable[..., Any] = attrs.field(repr=False, eq=False)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by the checked code, recompiled on load (functions do not pickle)."""
        return (_rebuild, (self.source, self.names, self.type, self.code, self.unguarded))

    def evaluate(self, values: Mapping[str, object]) -> object:
        """Evaluate with values by name; a name missing from `values` is `Missing`.

        Raises `MissingValueError` when a missing value is used, and the arithmetic errors
        of the expression itself (`ZeroDivisionError`, `OverflowError`, `ValueError`).
        """
        return self.function(*(values.get(name, Missing(name)) for name in self.names))


def _rebuild(
    source: str,
    names: tuple[str, ...],
    type_: ValueType,
    code: str,
    unguarded: tuple[str, ...],
) -> Expression:
    function = compile_function(
        f"def _expression({', '.join(f'v_{n}' for n in names)}):\n    return {code}\n",
        f"<expression {source[:40]!r}>",
    )
    return Expression(
        source=source, names=names, type=type_, code=code, function=function, unguarded=unguarded
    )


def _span(source: str, node: ast.AST | None) -> tuple[int, int, int]:
    """Line, column and width (in characters) of a node in the source."""
    lines = source.splitlines() or [""]
    lineno = getattr(node, "lineno", None)
    col = getattr(node, "col_offset", None)
    if node is None or lineno is None or col is None:
        return 0, 0, max(1, len(lines[0]))
    line = max(0, min(lineno - 1, len(lines) - 1))
    encoded = lines[line].encode("utf-8")
    column = len(encoded[:col].decode("utf-8", errors="ignore"))
    end_line = getattr(node, "end_lineno", lineno)
    end_col = getattr(node, "end_col_offset", None)
    if end_line == lineno and end_col is not None:
        width = len(encoded[col:end_col].decode("utf-8", errors="ignore"))
    else:
        width = len(lines[line]) - column
    return line, column, max(1, width)


def _problem(
    source: str,
    path: str,
    context: str,
    refusal: _Refusal,
    file: str | None,
) -> ExpressionProblem:
    line, column, width = _span(source, refusal.node)
    if refusal.column is not None:
        line, column, width = 0, refusal.column, 1
    message = f"{refusal.message} in {context}" if context else refusal.message
    return ExpressionProblem(
        code=refusal.code,
        path=path,
        message=message,
        value=refusal.value,
        expected=refusal.expected,
        suggestion=refusal.suggestion,
        file=file,
        source=source,
        line=line,
        column=column,
        width=width,
    )


def _parse(source: str) -> ast.expr:
    """Parse stripped source text (the caller checks the length first)."""
    if not source:
        raise _Refusal(
            None, "empty", "empty expression", expected="an expression such as 'cost * 2'"
        )
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise _Refusal(
            None,
            "syntax",
            "not a valid expression",
            value=error.msg,
            expected="one expression (statements such as import, def or = are not allowed)",
            column=max(0, (error.offset or 1) - 1) if (error.lineno or 1) == 1 else None,
        ) from None
    except (ValueError, MemoryError, RecursionError):
        raise _Refusal(
            None, "syntax", "not a valid expression", expected="a short expression"
        ) from None
    nodes = sum(1 for _ in ast.walk(tree))
    if nodes > MAX_NODES:
        raise _Refusal(
            None,
            "too-large",
            "expression too large",
            value=f"{nodes} syntax nodes",
            expected=f"at most {MAX_NODES}",
            suggestion="split it into several rules",
        )
    return tree.body


def _check(
    source: str, text: str, checker: _Checker, expect: Collection[ValueType] | None
) -> tuple[ast.expr, ValueType]:
    """Bound, parse and check; raises `_Refusal`."""
    if len(source) > MAX_LENGTH:
        raise _Refusal(
            None,
            "too-long",
            "expression too long",
            value=f"{len(source)} characters",
            expected=f"at most {MAX_LENGTH}",
            suggestion="split it into several rules",
            column=0,
        )
    tree = _parse(text)
    result = checker.check(tree)
    if (
        expect is not None
        and result not in expect
        and not (result == "bool" and "number" in expect)
    ):
        raise _Refusal(
            tree,
            "type",
            "wrong kind of result",
            value=_describe(result),
            expected=" or ".join(_describe(t) for t in sorted(expect)),
        )
    return tree, result


def compile_expression(
    source: str,
    names: Mapping[str, ValueType],
    *,
    optional: Collection[str] = (),
    expect: Collection[ValueType] | None = None,
    subject: str = "item",
    path: str = "",
    context: str = "",
    file: str | None = None,
) -> Expression:
    """Check and compile one expression over declared names.

    `names` declares every name the expression may read with its type; `optional` lists
    the names that may be missing for an item (only those make sense in ``has()``);
    `expect` restricts the result type. `path`, `context` (e.g. ``"rule 'per-size'"``) and
    `file` locate problems. Raises `RuleError` with one `ExpressionProblem` that shows the
    source and a caret under the offending part.

    >>> compile_expression("cots * 2", {"cost": "number"}, path="rule[0].score")
    Traceback (most recent call last):
    ...
    itstrat_engine.errors.RuleError: 1 error in the rule pack
    rule[0].score: unknown name: got 'cots', expected a field of the item, a param of the pack or score; did you mean 'cost'?
        cots * 2
        ^^^^
    """
    checker = _Checker(names, optional, subject)
    # A huge input is refused before parsing, so it costs nothing; only its start is shown.
    text = source[:MAX_LENGTH].strip()
    try:
        tree, result = _check(source, text, checker, expect)
    except _Refusal as refusal:
        raise RuleError([_problem(text, path, context, refusal, file)]) from None
    rewritten = _Rewriter().visit(tree)
    code = ast.unparse(ast.fix_missing_locations(rewritten))
    return _rebuild(text, tuple(checker.used), result, code, tuple(checker.unguarded))


def compile_function(
    text: str, filename: str, extra: Mapping[str, object] | None = None
) -> Callable[..., Any]:
    """Compile generated source holding one ``def`` into a function over the vetted globals.

    Only for text generated from checked expressions (`Expression.code`); pack evaluation
    uses it to fuse a pack's rules into one function. `extra` adds globals (e.g. the
    exception the fused function raises). Built with `types.FunctionType`, not `exec`.
    """
    module = compile(text, filename, "exec", dont_inherit=True)
    code = next(c for c in module.co_consts if isinstance(c, types.CodeType))
    namespace = runtime_namespace()
    namespace.update(extra or {})
    return types.FunctionType(code, namespace)
