"""Reading and writing engagements: TOML, JSON and (with the ``yaml`` extra) YAML.

One private cattrs converter turns plain data into the frozen model and back. It is strict:
unknown keys are errors with a did-you-mean, numbers are never parsed from strings, booleans
are not numbers, NaN and infinity are refused, a string is not a list. Every mistake comes
back as a located `Problem` (``dental.toml: initiative[3].cost: ...``), all of them at once,
inside one `InvalidEngagementError`. Files that cannot be read at all (missing, a directory,
not UTF-8, empty) raise `UnreadableFileError`.

Every file kind goes through the same converter (`structure`): engagements here, rule packs
in `itstrat_engine.rules.packs`, plans in the optimizer. A type can say how messages describe
it with ``Annotated[str, Expected("an expression (a string)")]``.
"""

import enum
import json
import math
import os
import re
import tempfile
import tomllib
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import attrs
import cattrs
import tomli_w
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from itstrat_engine.errors import (
    InvalidEngagementError,
    InvalidValueError,
    ItstratError,
    Problem,
    UnreadableFileError,
    UnwritableFileError,
    did_you_mean,
)
from itstrat_engine.model import Engagement

__all__ = [
    "MAX_INPUT_BYTES",
    "Expected",
    "Format",
    "dump",
    "dumps",
    "from_dict",
    "key_path",
    "load",
    "loads",
    "parse",
    "structure",
    "structure_then",
    "to_dict",
    "unknown_key",
    "unstructure",
    "unwritable",
    "write_atomic",
]

Format = Literal["toml", "json", "yaml"]
T = TypeVar("T")
R = TypeVar("R")

_SUFFIXES: dict[str, Format] = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}

# Attributes that are never read from or written to files (where a value came from).
_NOT_IN_FILES: dict[type, tuple[str, ...]] = {Engagement: ("source",)}

# Attribute name -> file key, where they differ: the files use singular table names.
_FILE_KEYS: dict[type, dict[str, str]] = {
    Engagement: {
        "scope": "engagement",
        "objectives": "objective",
        "services": "service",
        "responses": "response",
        "issues": "issue",
        "initiatives": "initiative",
        "groups": "group",
    },
}


@attrs.frozen
class Expected:
    """How messages describe a type: ``Annotated[str, Expected("an expression (a string)")]``.

    >>> from typing import Annotated
    >>> structure(True, Annotated[str, Expected("an expression")])
    Traceback (most recent call last):
    ...
    itstrat_engine.errors.InvalidEngagementError: 1 error in the input
    wrong type: got True, expected an expression
    """

    text: str


class _WrongTypeError(TypeError):
    """A value of the wrong kind, e.g. a string where a number belongs."""

    def __init__(
        self,
        value: object,
        expected: str,
        message: str = "wrong type",
        suggestion: str | None = None,
    ) -> None:
        self.value = value
        self.expected = expected
        self.message = message
        self.suggestion = suggestion
        super().__init__(f"{message}: expected {expected}, got {value!r}")


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "a whole number", float: "a number", str: "a string"}
    for kind, name in names.items():
        if type(value) is kind:
            return name
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


# --------------------------------------------------------------------------- strict hooks


def _str(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise _WrongTypeError(value, "a string")
    return value


def _bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        raise _WrongTypeError(value, "true or false")
    return value


def _int(value: object, _: object) -> int:
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)  # JSON writers often emit 3.0 for 3
    if isinstance(value, bool) or not isinstance(value, int):
        raise _WrongTypeError(value, "a whole number")
    return value


def _float(value: object, _: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _WrongTypeError(value, "a number")
    try:
        number = float(value)
    except OverflowError:
        raise _WrongTypeError(value, "a number of sensible size", "number too large") from None
    if not math.isfinite(number):
        raise _WrongTypeError(value, "a finite number", "not a finite number")
    return number


def _choice_hook(
    choices: Sequence[Any], make: Callable[[Any], object] = lambda value: value
) -> Callable[[object, object], object]:
    """One of `choices` (of one type), made into the field's value; else an unknown choice."""

    def structure(value: object, _: object) -> object:
        if value in choices and type(value) is type(choices[0]):
            return make(value)
        names = [str(c) for c in choices]
        hint = did_you_mean(value, names) if isinstance(value, str) else None
        raise _WrongTypeError(
            value, "one of " + ", ".join(repr(c) for c in choices), "unknown choice", hint
        )

    return structure


def _literal_hook(type_: Any) -> Callable[[object, object], object]:
    return _choice_hook(typing.get_args(type_))


def _enum_hook(type_: Any) -> Callable[[object, object], object]:
    return _choice_hook([member.value for member in type_], type_)


def _sequence(value: object, type_: Any) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise _WrongTypeError(value, _describe(type_))
    return list(value)


def _items(converter: cattrs.Converter, values: list[Any], item_type: Any, type_: Any) -> list[Any]:
    """Structure each element, collecting every failure with its index."""
    out: list[Any] = []
    errors: list[Exception] = []
    for index, item in enumerate(values):
        try:
            out.append(converter.structure(item, item_type))
        except Exception as error:  # noqa: BLE001 - every failure is reported with its index
            error.__notes__ = [
                *getattr(error, "__notes__", []),
                IterableValidationNote("item", index, item_type),
            ]
            errors.append(error)
    if errors:
        raise IterableValidationError("invalid items", errors, type_)
    return out


def _tuple_hook(converter: cattrs.Converter, type_: Any) -> Callable[[object, object], object]:
    (item_type, _ellipsis) = typing.get_args(type_)
    return lambda value, _: tuple(_items(converter, _sequence(value, type_), item_type, type_))


def _dict_hook(converter: cattrs.Converter, type_: Any) -> Callable[[object, object], object]:
    _key_type, value_type = typing.get_args(type_)

    def structure(value: object, _: object) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise _WrongTypeError(value, "a table")
        out: dict[str, Any] = {}
        errors: list[Exception] = []
        for key, item in value.items():
            try:
                out[_str(key, None)] = converter.structure(item, value_type)
            except Exception as error:  # noqa: BLE001 - reported with the key
                error.__notes__ = [
                    *getattr(error, "__notes__", []),
                    IterableValidationNote("value", key, value_type),
                ]
                errors.append(error)
        if errors:
            raise IterableValidationError("invalid values", errors, type_)
        return out

    return structure


def _union_hook(converter: cattrs.Converter, type_: Any) -> Callable[[object, object], object]:
    """Unions: optional values, scalar-or-list, index-or-label, the mixed values of examples.

    The first member that accepts the value's kind structures it (a list of strings goes to
    ``tuple[str, ...]`` even when ``tuple[float, ...]`` comes first).
    """
    options = [arg for arg in typing.get_args(type_) if arg is not type(None)]
    optional = len(options) < len(typing.get_args(type_))
    accepts = [_accepts(option) for option in options]
    expected = _describe(type_)

    def structure(value: object, _: object) -> object:
        if value is None and optional:
            return None
        for accept, option in zip(accepts, options, strict=True):
            if accept(value):
                return converter.structure(value, option)
        raise _WrongTypeError(value, expected)

    return structure


def _accepts(type_: Any) -> Callable[[object], bool]:
    """Whether a value is of the kind a union member takes (its content is checked later)."""
    origin = typing.get_origin(type_)
    if type_ is bool:
        return lambda v: isinstance(v, bool)
    if type_ is float:
        return lambda v: isinstance(v, int | float) and not isinstance(v, bool)
    if type_ is int:
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    if type_ is str:
        return lambda v: isinstance(v, str)
    if origin is Annotated:
        return _accepts(typing.get_args(type_)[0])
    if _is_union(type_):
        members = [_accepts(arg) for arg in typing.get_args(type_)]
        return lambda v: any(accept(v) for accept in members)
    if origin is tuple:
        item = _accepts(typing.get_args(type_)[0])
        return lambda v: isinstance(v, list | tuple) and all(item(x) for x in v)
    if origin is dict or attrs.has(type_):
        return lambda v: isinstance(v, Mapping)
    msg = f"unsupported union member {type_!r}"
    raise TypeError(msg)


_DESCRIPTIONS: dict[Any, tuple[str, str]] = {
    # type: (one, a list of them)
    float: ("a number", "numbers"),
    int: ("a whole number", "whole numbers"),
    str: ("a string", "strings"),
    bool: ("true or false", "booleans"),
}


def _describe(type_: Any) -> str:
    """What messages say a value of this type must be: "a number", "a list of strings"."""
    origin = typing.get_origin(type_)
    if type_ in _DESCRIPTIONS:
        return _DESCRIPTIONS[type_][0]
    if origin is Annotated:
        found = [m.text for m in type_.__metadata__ if isinstance(m, Expected)]
        return found[0] if found else _describe(typing.get_args(type_)[0])
    if _is_union(type_):
        return " or ".join(_describe(a) for a in typing.get_args(type_) if a is not type(None))
    if origin is tuple:
        item = typing.get_args(type_)[0]
        return f"a list of {_DESCRIPTIONS[item][1]}" if item in _DESCRIPTIONS else "a list"
    if origin is dict or attrs.has(type_):
        return "a table"
    if origin is Literal:
        return "one of " + ", ".join(repr(c) for c in typing.get_args(type_))
    return getattr(type_, "__name__", str(type_))


def _annotated_hook(converter: cattrs.Converter, type_: Any) -> Callable[[object, object], object]:
    """Structure as the inner type; a wrong kind of value is described as `Expected` says."""
    inner = typing.get_args(type_)[0]
    expected = _describe(type_)

    def structure(value: object, _: object) -> object:
        try:
            return converter.structure(value, inner)
        except _WrongTypeError as error:
            if error.message == "wrong type":  # the wrong kind of value, not a bad number
                error.expected = expected
            raise

    return structure


def _overrides(cl: type) -> dict[str, Any]:
    """Renamed file keys and attributes that files never hold."""
    overrides: dict[str, Any] = {n: override(rename=k) for n, k in _FILE_KEYS.get(cl, {}).items()}
    overrides.update(dict.fromkeys(_NOT_IN_FILES.get(cl, ()), override(omit=True)))
    return overrides


def _class_hook(converter: cattrs.Converter, cl: type) -> Callable[[object, object], object]:
    overrides = _overrides(cl)
    generated: Callable[[Any, type], object] = make_dict_structure_fn(
        cl, converter, _cattrs_forbid_extra_keys=True, **overrides
    )

    def structure(value: object, _: object) -> object:
        if not isinstance(value, Mapping):
            raise _WrongTypeError(value, "a table")
        return generated(value, cl)

    return structure


def _class_unstructure_hook(converter: cattrs.Converter, cl: type) -> Callable[[Any], Any]:
    overrides = _overrides(cl)
    return make_dict_unstructure_fn(cl, converter, _cattrs_omit_if_default=True, **overrides)


def _origin(type_: Any) -> object:
    return typing.get_origin(type_)


def _is_union(type_: Any) -> bool:
    return typing.get_origin(type_) in (typing.Union, types.UnionType)


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = typing.get_args(type_)
    return typing.get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _make_converter() -> cattrs.Converter:
    # A plain Converter, not a preconf one: the model holds only JSON-native types, and every
    # primitive gets a strict hook here so TOML, JSON and YAML behave the same.
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(str, _str)
    converter.register_structure_hook(bool, _bool)
    converter.register_structure_hook(int, _int)
    converter.register_structure_hook(float, _float)
    converter.register_structure_hook_factory(lambda t: _origin(t) is Literal, _literal_hook)
    converter.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook
    )
    converter.register_structure_hook_factory(
        _is_homogeneous_tuple, lambda t: _tuple_hook(converter, t)
    )
    converter.register_structure_hook_factory(
        lambda t: _origin(t) is dict, lambda t: _dict_hook(converter, t)
    )
    converter.register_structure_hook_factory(_is_union, lambda t: _union_hook(converter, t))
    converter.register_structure_hook_factory(
        lambda t: _origin(t) is Annotated, lambda t: _annotated_hook(converter, t)
    )
    converter.register_structure_hook_factory(attrs.has, lambda t: _class_hook(converter, t))
    converter.register_unstructure_hook_factory(
        attrs.has, lambda t: _class_unstructure_hook(converter, t)
    )
    converter.register_unstructure_hook(tuple, list)
    return converter


_CONVERTER = _make_converter()

# --------------------------------------------------------------------------- errors


def _file_key(cl: type, name: str) -> str:
    return _FILE_KEYS.get(cl, {}).get(name, name)


def key_path(path: str, key: str) -> str:
    """The path of `key` inside `path`, as problems show it: ``params."bad name"``.

    Keys that are not bare TOML keys are quoted, so an empty or spaced key stays visible.

    >>> key_path("initiative[0]", "cost"), key_path("", "pack"), key_path("params", "a b")
    ('initiative[0].cost', 'pack', 'params."a b"')
    """
    shown = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)
    return f"{path}.{shown}" if path else shown


def unknown_key(
    path: str,
    key: object,
    known: Sequence[str],
    otherwise: str = "remove it or check the file reference",
) -> Problem:
    """The problem for an unknown key at `path`: the known keys and a did-you-mean."""
    if not isinstance(key, str):  # YAML allows a key of null or a number
        return Problem(
            code="unknown-key",
            path=key_path(path, str(key)),
            message="a key must be text",
            value=repr(key),
            expected="one of " + ", ".join(known),
            suggestion="write the key as text; a bare ? or null is not a key",
        )
    return Problem(
        code="unknown-key",
        path=key_path(path, key),
        message="unknown key",
        value=repr(key),
        expected="one of " + ", ".join(known),
        suggestion=did_you_mean(key, known) or otherwise,
    )


def _problems(error: BaseException, path: str, cl: type | None) -> Iterator[Problem]:
    """Walk a cattrs exception tree into located problems."""
    if isinstance(error, ClassValidationError):
        with_notes, others = error.group_exceptions()
        for sub in others:  # unknown keys first: a misspelt key also shows as a missing one
            yield from _problems(sub, path, error.cl)
        for sub, note in with_notes:
            yield from _problems(
                sub, key_path(path, _file_key(error.cl, note.name)), _attrs_type(note.type)
            )
    elif isinstance(error, IterableValidationError):
        items, others = error.group_exceptions()
        for sub, item in items:
            where = (
                f"{path}[{item.index}]"
                if isinstance(item.index, int)
                else key_path(path, str(item.index))
            )
            yield from _problems(sub, where, _attrs_type(item.type))
        for sub in others:
            yield from _problems(sub, path, cl)
    elif isinstance(error, ForbiddenExtraKeysError):
        hidden = _NOT_IN_FILES.get(error.cl, ())
        known = [
            _file_key(error.cl, a.name) for a in attrs.fields(error.cl) if a.name not in hidden
        ]
        for key in sorted(error.extra_fields):
            yield unknown_key(path, key, known)
    elif isinstance(error, KeyError):
        key = path.rsplit(".", 1)[-1]
        yield Problem(
            code="missing-key",
            path=path,
            message=f"missing required key {key!r}",
            suggestion=f"add {key} = ... here",
        )
    elif isinstance(error, InvalidValueError):
        located = key_path(path, error.field)
        yield error.problem(located if error.key is None else key_path(located, error.key))
    elif isinstance(error, _WrongTypeError):
        yield Problem(
            code="wrong-type",
            path=path,
            message=error.message,
            value=_show(error.value),
            expected=error.expected,
            suggestion=error.suggestion,
        )
    else:  # anything else a structuring step raised: still located, never a traceback
        yield Problem(code="invalid-value", path=path, message=str(error) or type(error).__name__)


def _attrs_type(type_: Any) -> type | None:
    return type_ if isinstance(type_, type) and attrs.has(type_) else None


def _show(value: object) -> str:
    text = repr(value)
    kind = _kind(value)
    shown = text if len(text) <= 60 else text[:57] + "..."
    return (
        shown
        if kind in {"a string", "a number", "a whole number", "a boolean"}
        else f"{kind} {shown}"
    )


def _located(problems: list[Problem], source: str | None) -> list[Problem]:
    return [attrs.evolve(p, file=source) for p in problems]


# --------------------------------------------------------------------------- public API


def from_dict(data: object, source: str | None = None) -> Engagement:
    """Build an `Engagement` from plain data (parsed TOML/JSON), strictly.

    `source` names the data in errors and becomes `Engagement.source`, so pack paths in
    ``[plan] rules`` resolve relative to that file. Raises `InvalidEngagementError` listing
    every problem with its path.

    >>> e = from_dict({"engagement": {"client": "Acme", "start": "2027-Q1", "periods": 4}})
    >>> e.scope.labels[-1]
    '2027-Q4'
    """
    if not isinstance(data, Mapping):
        raise InvalidEngagementError(
            [
                Problem(
                    code="wrong-type",
                    path="",
                    message="the document must be a table of keys",
                    value=_show(data),
                    expected="a table with at least [engagement]",
                    file=source,
                )
            ]
        )
    engagement = structure(data, Engagement, source)
    return engagement if source is None else attrs.evolve(engagement, source=source)


def structure(
    data: object,
    cl: type[T],
    source: str | None = None,
    *,
    error: Callable[[list[Problem]], ItstratError] = InvalidEngagementError,
) -> T:
    """Build any attrs class of the library from plain data with the one strict converter.

    Every file kind (engagements, rule packs, plans) is read through here, so ids, numbers
    and unknown keys are checked the same way everywhere. Raises `error` (by default
    `InvalidEngagementError`) listing every problem, located in `source`.
    """
    try:
        return _CONVERTER.structure(data, cl)
    except Exception as failure:  # noqa: BLE001 - converted into located problems
        problems = list(_problems(failure, "", cl))
    raise error(_located(problems, source))


def structure_then(
    data: object,
    cl: type[T],
    then: Callable[[T], R],
    source: str | None = None,
    *,
    error: Callable[[list[Problem]], ItstratError] = InvalidEngagementError,
) -> R:
    """Structure `data` as `cl`, then build the result with `then`: every problem of both.

    `then` makes the checks that need the whole structured value (names declared in one
    table and used in another) and raises an `ItstratError` for what it finds. When the
    converter refuses some keys, they are left out and the rest is structured again, so
    `then` still checks it (its problems at the refused spots are dropped); when a required
    key is missing or invalid, only the converter's problems are reported. Raises `error`
    with all problems, in file order.
    """
    problems: list[Problem] = []
    refused: list[_Path] = []
    trimmed = data
    for _ in range(_ROUNDS):  # a table's validators run only once its keys are right
        try:
            value = structure(trimmed, cl, source)  # every problem: `error` may cut the list
            break
        except ItstratError as failure:
            found = [(p, _segments(p.path)) for p in failure.problems]
        # A key left out in an earlier round shows up as missing: that is already reported.
        new = [(p, path) for p, path in found if not any(_related(path, r) for r in refused)]
        problems += [p for p, _ in new]
        refused += [path for _, path in new]
        trimmed = _without(trimmed, [path for _, path in new]) if len(new) == len(found) else None
        if trimmed is None:  # a missing key or a whole list item cannot be left out
            raise error(_in_file_order(data, problems))
    else:
        raise error(_in_file_order(data, problems))
    try:
        result = then(value)
    except ItstratError as failure:
        found = [(p, _segments(p.path)) for p in failure.located(source)]
        problems += [p for p, path in found if not any(_related(path, r) for r in refused)]
    else:
        if not problems:
            return result
    raise error(_in_file_order(data, problems))


_ROUNDS = 4
_Path = tuple[str | int, ...]
_SEGMENT = re.compile(r'\.?(?:("(?:[^"\\]|\\.)*")|([^.\["]+))|\[(\d+)\]')


def _segments(path: str) -> _Path:
    """The parts of a problem's path: ``example[0].given."a b"`` -> ``example, 0, given, a b``."""
    return tuple(
        int(index) if index else json.loads(quoted) if quoted else bare
        for quoted, bare, index in _SEGMENT.findall(path)
    )


def _related(a: _Path, b: _Path) -> bool:
    """One path is inside the other, or they are the same."""
    return a[: len(b)] == b or b[: len(a)] == a


def _without(data: object, paths: list[_Path]) -> object | None:
    """A copy of `data` without the keys at `paths`; None when one is not a key there."""

    def drop(node: object, path: _Path) -> object:
        if not path or isinstance(path[-1], int):
            raise LookupError(path)
        head, *rest = path
        if isinstance(head, int) and isinstance(node, list) and head < len(node):
            return [*node[:head], drop(node[head], tuple(rest)), *node[head + 1 :]]
        if isinstance(head, str) and isinstance(node, Mapping) and head in node:
            if not rest:
                return {k: v for k, v in node.items() if k != head}
            return {**node, head: drop(node[head], tuple(rest))}
        raise LookupError(path)

    try:
        for path in paths:
            data = drop(data, path)
    except LookupError:
        return None
    return data


def _in_file_order(data: object, problems: list[Problem]) -> list[Problem]:
    """The problems sorted by where their paths are in the document (missing keys last)."""

    def position(problem: Problem) -> tuple[int, ...]:
        where, node = [], data
        for segment in _segments(problem.path):
            if isinstance(node, Mapping) and segment in node:
                where.append(list(node).index(segment))
                node = node[segment]
            elif isinstance(node, list) and isinstance(segment, int) and segment < len(node):
                where.append(segment)
                node = node[segment]
            else:
                where.append(len(node) if isinstance(node, Mapping | list) else 0)
                break
        return tuple(where)

    return sorted(problems, key=position)


def unstructure(value: object) -> Any:
    """Plain data for any attrs object of the library (file key names, defaults left out)."""
    return _CONVERTER.unstructure(value)


def to_dict(engagement: Engagement) -> dict[str, Any]:
    """Plain data for an engagement, using the file's key names; defaults are left out."""
    data: dict[str, Any] = _CONVERTER.unstructure(engagement)
    return data


def parse(
    text: str,
    format: Format = "toml",  # noqa: A002
    source: str | None = None,
    *,
    error: Callable[[list[Problem]], ItstratError] = InvalidEngagementError,
) -> object:
    r"""Plain data from TOML, JSON or YAML text; a syntax error is `error` with line and column.

    >>> parse("[pack]\nid = 1\n")
    {'pack': {'id': 1}}
    """
    try:
        return _parse(text, format, source)
    except InvalidEngagementError as failure:
        raise error(_located(list(failure.problems), source)) from None


def _parse(text: str, format_: Format, source: str | None) -> object:
    def fail(
        code: str, where: str, message: str, suggestion: str | None = None
    ) -> InvalidEngagementError:
        return InvalidEngagementError(
            [Problem(code=code, path=where, message=message, suggestion=suggestion, file=source)]
        )

    try:
        if format_ == "toml":
            return tomllib.loads(text)
        if format_ == "json":
            return json.loads(text, object_pairs_hook=_no_duplicate_keys)
        return _parse_yaml(text)
    except _DuplicateKeyError as error:
        raise fail(
            "duplicate-key",
            _line_of_second(text, error.key),
            f"duplicate key {error.key!r}",
            "give each key once; JSON readers disagree on which copy wins",
        ) from None
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        where = f"line {match.group(1)}, column {match.group(2)}" if match else "line ?"
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        looks_json = text.lstrip().startswith(("{", "[{", '["'))
        raise fail(
            "syntax",
            where,
            f"TOML syntax error: {message}",
            "the file looks like JSON: give it a .json name"
            if looks_json and where.startswith("line 1,")
            else "check the TOML syntax around that spot",
        ) from None
    except json.JSONDecodeError as error:
        raise fail(
            "syntax",
            f"line {error.lineno}, column {error.colno}",
            f"JSON syntax error: {error.msg}",
        ) from None
    except RecursionError:
        raise fail("syntax", "", "the document is nested too deeply", "flatten it") from None


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKeyError(key)
        data[key] = value
    return data


def _line_of_second(text: str, key: str) -> str:
    """Where a key appears for the second time (best effort: JSON keeps no positions)."""
    found = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
    return f"line {text.count(chr(10), 0, found[1]) + 1}" if len(found) > 1 else ""


def _parse_yaml(text: str) -> object:
    try:
        import yaml  # noqa: PLC0415 - optional extra, imported only when a YAML file is read
    except ImportError:
        raise InvalidEngagementError(
            [
                Problem(
                    code="missing-extra",
                    path="",
                    message="reading YAML needs PyYAML",
                    suggestion="pip install 'itstrat-engine[yaml]'",
                )
            ]
        ) from None

    class _Loader(yaml.SafeLoader):
        """Safe YAML without aliases: ``*name`` can expand a small file into gigabytes."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    "aliases (*name) are not allowed",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            return super().compose_node(parent, index)

    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InvalidEngagementError(
            [
                Problem(
                    code="syntax",
                    path=where,
                    message=f"YAML syntax error: {getattr(error, 'problem', None) or error}",
                )
            ]
        ) from None


def loads(text: str, format: Format = "toml", source: str | None = None) -> Engagement:  # noqa: A002
    """Parse an engagement from text in the given format.

    `source` (a file name) names it in errors and becomes `Engagement.source`.
    """
    if not text.strip():
        raise InvalidEngagementError(
            [
                Problem(
                    code="empty",
                    path="",
                    message="the file is empty",
                    expected="an engagement with at least an [engagement] table",
                    suggestion="start from examples/dental-group.toml",
                    file=source,
                )
            ]
        )
    return from_dict(parse(text, format, source), source)


def format_of(path: Path) -> Format:
    """The format implied by a file's suffix."""
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise UnreadableFileError(
            Problem(
                code="unknown-format",
                path="",
                message="unknown file type",
                value=repr(path.suffix or "(none)"),
                expected="one of " + ", ".join(sorted(_SUFFIXES)),
                suggestion="rename the file with a .toml, .json or .yaml suffix (engagements "
                "are also read from .xlsx workbooks and from CSV tables in a folder or a .zip)",
                file=str(path),
            )
        ) from None


MAX_INPUT_BYTES = 64 * 2**20
"""The largest input file read by default (64 MiB); larger ones are refused unread."""


def read_text(path: Path, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Read a UTF-8 text file, turning every failure into `UnreadableFileError`.

    Only a regular file is read (a named pipe or a device is refused at once, never read
    forever), at most `max_bytes` of it; a UTF-8 byte-order mark is accepted and dropped.
    """
    name = str(path)

    def unreadable(
        code: str, message: str, suggestion: str, where: str = ""
    ) -> UnreadableFileError:
        return UnreadableFileError(
            Problem(code=code, path=where, message=message, suggestion=suggestion, file=name)
        )

    if path.is_symlink() and not path.exists():
        raise unreadable(
            "broken-link",
            "a symbolic link that leads to no file (its target is missing, or links loop)",
            "point the link at the file, or name the file itself",
        )
    if not path.exists():
        others = [p.name for p in path.parent.glob("*") if p.name != path.name]
        hint = did_you_mean(path.name, others) if path.parent.is_dir() else None
        raise unreadable("missing-file", "no such file", hint or "check the path")
    if path.is_dir():
        inputs = {".toml", ".json", ".yaml", ".yml", ".csv"}
        inside = sorted(p.name for p in path.iterdir() if p.is_file() and p.suffix in inputs)
        raise unreadable(
            "is-directory",
            "is a directory, not a file",
            f"name a file inside it, e.g. {name}/{inside[0]}"
            if inside
            else "name a file inside it",
        )
    if not path.is_file():
        raise unreadable(
            "not-a-file",
            "not a regular file (a named pipe, a device or a socket)",
            "save the input to a file and name that file",
        )
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise unreadable(
            "unreadable", f"cannot read the file ({error.strerror})", "check its permissions"
        ) from None
    if len(raw) > max_bytes:
        raise unreadable(
            "too-large",
            f"the file is larger than the limit of {max_bytes:,} bytes",
            "split it into smaller inputs (in Python, read_text(path, max_bytes=...) "
            "raises the limit)",
        )
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise unreadable(
            "not-utf8",
            f"not UTF-8 text (byte {raw[error.start]:#04x} at offset {error.start})",
            "save the file as UTF-8",
            f"line {line}",
        ) from None


def load(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> Engagement:
    """Read an engagement file (``.toml``, ``.json``, ``.yaml``/``.yml``) of at most `max_bytes`.

    An Excel workbook (``.xlsx``) or CSV files (a folder, or a ``.zip``) are read by
    `itstrat_engine.workbook.read_spreadsheet`, with problems located by sheet, row and column.

    The engagement's `source` is the path, so pack paths in its ``[plan] rules`` resolve
    relative to the file's folder. Raises `UnreadableFileError` when the file cannot be
    read and `InvalidEngagementError`
    (with every problem located) when its content is not a valid engagement. Cross-reference
    checks (unknown ids, cycles) are `itstrat_engine.validate`'s job.
    """
    path = Path(path)
    # Spreadsheets live in their own module (it builds on this one): imported when used.
    from itstrat_engine.workbook import is_spreadsheet, read_spreadsheet  # noqa: PLC0415

    if is_spreadsheet(path):
        return read_spreadsheet(path, max_bytes=max_bytes)
    text = read_text(path, max_bytes)
    return loads(text, format_of(path), source=str(path))


def dumps(engagement: Engagement, format: Format = "toml") -> str:  # noqa: A002
    """Serialize an engagement; `loads(dumps(e)) == e` (`source` is not written)."""
    data = to_dict(engagement)
    if format == "toml":
        return tomli_w.dumps(data)
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    try:
        import yaml  # noqa: PLC0415 - optional extra
    except ImportError:
        raise InvalidEngagementError(
            [
                Problem(
                    code="missing-extra",
                    path="",
                    message="writing YAML needs PyYAML",
                    suggestion="pip install 'itstrat-engine[yaml]'",
                )
            ]
        ) from None
    # PyYAML writes U+0085 (next line) raw when allowed Unicode, and reads it back as a line
    # break: escape everything in the rare document that holds one.
    readable = "\\u0085" not in json.dumps(data)
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=readable)
    return text


def unwritable(path: Path, error: OSError) -> UnwritableFileError:
    """The error for a file that could not be written, naming it and the reason."""
    return UnwritableFileError(
        Problem(
            code="unwritable",
            path="",
            message=f"cannot write the file ({error.strerror or error})",
            suggestion="check that the folder exists, is writable and has space",
            file=str(path),
        )
    )


def write_atomic(path: str | Path, text: str | bytes) -> None:
    """Write text (or bytes) to a file all at once: a temporary file beside it, then a rename.

    An existing file is replaced only when the whole text is on disk, so a failed write
    leaves it as it was. Raises `UnwritableFileError` naming the path and the reason.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path()
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "wb" if isinstance(text, bytes) else "w",
            encoding=None if isinstance(text, bytes) else "utf-8",
            dir=folder,
            prefix=f".{path.name}.",
            suffix=".tmp",
            delete=False,
        ) as handle:
            temporary = Path(handle.name)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o777 if path.is_file() else 0o644
        temporary.chmod(mode)
        temporary.replace(path)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise unwritable(path, error) from None


def dump(engagement: Engagement, path: str | Path) -> None:
    """Write an engagement to a file atomically; the format follows the suffix."""
    path = Path(path)
    write_atomic(path, dumps(engagement, format_of(path)))
