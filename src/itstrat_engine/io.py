"""Reading and writing engagements: TOML, JSON and (with the ``yaml`` extra) YAML.

One private cattrs converter turns plain data into the frozen model and back. It is strict:
unknown keys are errors with a did-you-mean, numbers are never parsed from strings, booleans
are not numbers, NaN and infinity are refused, a string is not a list. Every mistake comes
back as a located `Problem` (``dental.toml: initiative[3].cost: ...``), all of them at once,
inside one `InvalidEngagementError`. Files that cannot be read at all (missing, a directory,
not UTF-8, empty) raise `UnreadableFileError`.
"""

import json
import math
import re
import tomllib
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

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
    did_you_mean,
)
from itstrat_engine.model import Engagement

__all__ = [
    "Format",
    "dump",
    "dumps",
    "from_dict",
    "load",
    "loads",
    "structure",
    "to_dict",
    "unstructure",
]

Format = Literal["toml", "json", "yaml"]
T = TypeVar("T")

_SUFFIXES: dict[str, Format] = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}

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


def _literal_hook(type_: Any) -> Callable[[object, object], object]:
    choices = typing.get_args(type_)

    def structure(value: object, _: object) -> object:
        if value in choices and type(value) is type(choices[0]):
            return value
        hint = did_you_mean(value, choices) if isinstance(value, str) else None
        raise _WrongTypeError(
            value, "one of " + ", ".join(repr(c) for c in choices), "unknown choice", hint
        )

    return structure


def _sequence(value: object) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise _WrongTypeError(value, "a list")
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
    return lambda value, _: tuple(_items(converter, _sequence(value), item_type, type_))


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
    """Unions in the model: optional values, scalar-or-list, index-or-label, number-or-string."""
    options = [arg for arg in typing.get_args(type_) if arg is not type(None)]
    optional = len(options) < len(typing.get_args(type_))
    kinds = [_union_option(option) for option in options]
    expected = " or ".join(description for _, description in kinds)

    def structure(value: object, _: object) -> object:
        if value is None and optional:
            return None
        for (accepts, _description), option in zip(kinds, options, strict=True):
            if accepts(value):
                return converter.structure(value, option)
        raise _WrongTypeError(value, expected)

    return structure


def _union_option(option: Any) -> tuple[Callable[[object], bool], str]:
    if option is float:
        return (lambda v: isinstance(v, int | float) and not isinstance(v, bool)), "a number"
    if option is int:
        return (lambda v: isinstance(v, int) and not isinstance(v, bool)), "a whole number"
    if option is str:
        return (lambda v: isinstance(v, str)), "a string"
    if typing.get_origin(option) is tuple:
        return (lambda v: isinstance(v, list | tuple)), "a list of numbers"
    if attrs.has(option):
        return (lambda v: isinstance(v, Mapping)), "a table"
    msg = f"unsupported union member {option!r}"
    raise TypeError(msg)


def _class_hook(converter: cattrs.Converter, cl: type) -> Callable[[object, object], object]:
    overrides: dict[str, Any] = {n: override(rename=k) for n, k in _FILE_KEYS.get(cl, {}).items()}
    generated: Callable[[Any, type], object] = make_dict_structure_fn(
        cl, converter, _cattrs_forbid_extra_keys=True, **overrides
    )

    def structure(value: object, _: object) -> object:
        if not isinstance(value, Mapping):
            raise _WrongTypeError(value, "a table")
        return generated(value, cl)

    return structure


def _class_unstructure_hook(converter: cattrs.Converter, cl: type) -> Callable[[Any], Any]:
    overrides: dict[str, Any] = {n: override(rename=k) for n, k in _FILE_KEYS.get(cl, {}).items()}
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
        _is_homogeneous_tuple, lambda t: _tuple_hook(converter, t)
    )
    converter.register_structure_hook_factory(
        lambda t: _origin(t) is dict, lambda t: _dict_hook(converter, t)
    )
    converter.register_structure_hook_factory(_is_union, lambda t: _union_hook(converter, t))
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


def _join(path: str, key: str) -> str:
    # Keys that are not bare TOML keys are quoted, so an empty or spaced key stays visible.
    shown = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)
    return f"{path}.{shown}" if path else shown


def _problems(error: BaseException, path: str, cl: type | None) -> Iterator[Problem]:
    """Walk a cattrs exception tree into located problems."""
    if isinstance(error, ClassValidationError):
        with_notes, others = error.group_exceptions()
        for sub, note in with_notes:
            yield from _problems(
                sub, _join(path, _file_key(error.cl, note.name)), _attrs_type(note.type)
            )
        for sub in others:
            yield from _problems(sub, path, error.cl)
    elif isinstance(error, IterableValidationError):
        items, others = error.group_exceptions()
        for sub, item in items:
            where = (
                f"{path}[{item.index}]"
                if isinstance(item.index, int)
                else _join(path, str(item.index))
            )
            yield from _problems(sub, where, _attrs_type(item.type))
        for sub in others:
            yield from _problems(sub, path, cl)
    elif isinstance(error, ForbiddenExtraKeysError):
        known = [_file_key(error.cl, a.name) for a in attrs.fields(error.cl)]
        for key in sorted(error.extra_fields):
            yield Problem(
                code="unknown-key",
                path=_join(path, key),
                message="unknown key",
                value=repr(key),
                expected="one of " + ", ".join(known),
                suggestion=did_you_mean(key, known) or "remove it or check the file reference",
            )
    elif isinstance(error, KeyError):
        key = path.rsplit(".", 1)[-1]
        yield Problem(
            code="missing-key",
            path=path,
            message=f"missing required key {key!r}",
            suggestion=f"add {key} = ... here",
        )
    elif isinstance(error, InvalidValueError):
        located = _join(path, error.field)
        yield error.problem(located if error.key is None else _join(located, error.key))
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

    Raises `InvalidEngagementError` listing every problem with its path.

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
    return structure(data, Engagement, source)


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


def unstructure(value: object) -> Any:
    """Plain data for any attrs object of the library (file key names, defaults left out)."""
    return _CONVERTER.unstructure(value)


def to_dict(engagement: Engagement) -> dict[str, Any]:
    """Plain data for an engagement, using the file's key names; defaults are left out."""
    data: dict[str, Any] = _CONVERTER.unstructure(engagement)
    return data


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
            return json.loads(text)
        return _parse_yaml(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        where = f"line {match.group(1)}, column {match.group(2)}" if match else "line ?"
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        raise fail(
            "syntax",
            where,
            f"TOML syntax error: {message}",
            "check the TOML syntax around that spot",
        ) from None
    except json.JSONDecodeError as error:
        raise fail(
            "syntax",
            f"line {error.lineno}, column {error.colno}",
            f"JSON syntax error: {error.msg}",
        ) from None
    except RecursionError:
        raise fail("syntax", "", "the document is nested too deeply", "flatten it") from None


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
    try:
        return yaml.safe_load(text)
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
    """Parse an engagement from text in the given format; `source` names it in errors."""
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
    try:
        data = _parse(text, format, source)
    except InvalidEngagementError as error:
        raise InvalidEngagementError(_located(list(error.problems), source)) from None
    return from_dict(data, source)


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
                suggestion="rename the file with a .toml, .json or .yaml suffix",
                file=str(path),
            )
        ) from None


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, turning every failure into `UnreadableFileError`."""
    name = str(path)

    def unreadable(
        code: str, message: str, suggestion: str, where: str = ""
    ) -> UnreadableFileError:
        return UnreadableFileError(
            Problem(code=code, path=where, message=message, suggestion=suggestion, file=name)
        )

    if not path.exists():
        hint = (
            did_you_mean(path.name, [p.name for p in path.parent.glob("*")])
            if path.parent.is_dir()
            else None
        )
        raise unreadable("missing-file", "no such file", hint or "check the path")
    if path.is_dir():
        raise unreadable(
            "is-directory",
            "is a directory, not a file",
            f"name a file inside it, e.g. {name}/engagement.toml",
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise unreadable(
            "unreadable", f"cannot read the file ({error.strerror})", "check its permissions"
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise unreadable(
            "not-utf8",
            f"not UTF-8 text (byte {raw[error.start]:#04x} at offset {error.start})",
            "save the file as UTF-8",
            f"line {line}",
        ) from None


def load(path: str | Path) -> Engagement:
    """Read an engagement file (``.toml``, ``.json``, ``.yaml``/``.yml``).

    Raises `UnreadableFileError` when the file cannot be read and `InvalidEngagementError`
    (with every problem located) when its content is not a valid engagement. Cross-reference
    checks (unknown ids, cycles) are `itstrat_engine.validate`'s job.
    """
    path = Path(path)
    text = read_text(path)
    return loads(text, format_of(path), source=str(path))


def dumps(engagement: Engagement, format: Format = "toml") -> str:  # noqa: A002
    """Serialize an engagement; `loads(dumps(e)) == e`."""
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
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return text


def dump(engagement: Engagement, path: str | Path) -> None:
    """Write an engagement to a file; the format follows the suffix."""
    path = Path(path)
    path.write_text(dumps(engagement, format_of(path)), encoding="utf-8")
