"""Rule packs: the TOML format, strict loading with located errors, and the built-in packs.

A pack is a TOML file::

    [pack]
    id = "wsjf"                      # required, like an engagement id
    title = "Weighted Shortest Job First"
    subject = "initiative"           # or "issue"; required
    description = "..."
    version = "1.0"
    references = ["Reinertsen, D. (2009) ..."]
    fields = ["business_value", "job_size"]   # free fields of the items it reads

    [params]                         # numbers users can override
    min_size = 1

    [defaults]                       # values for optional names an item may lack
    job_size = 1

    [[rule]]                         # applied in file order
    id = "per-size"
    when = "job_size > 0"            # optional condition
    multiply = "1 / max(job_size, min_size)"   # or score = ..., add = ...
    because = "Smaller jobs deliver their value sooner"

    [[example]]                      # run by `itstrat rules test`
    id = "small-job"
    given = { business_value = 8, job_size = 2 }
    expect = { score = 4.0 }

Rule actions: ``score`` (set), ``add``, ``multiply`` (at most one of the three per rule),
``require = true``, ``forbid = true``, ``earliest`` and ``deadline`` (period index
expressions), ``tier`` (a label; the last one set wins) and ``flag`` (a label or list of
labels, accumulated). Issue packs can score, tier and flag but not gate or schedule.

Loading checks everything a pack can get wrong without an engagement: unknown keys (with a
did-you-mean), types, ids, params and defaults, and every expression (see
`itstrat_engine.rules.expressions`). All problems are reported at once in a `RuleError`.
"""

import importlib.resources
import keyword
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import attrs

from itstrat_engine.errors import Problem, ProblemLog, RuleError, did_you_mean
from itstrat_engine.io import read_text
from itstrat_engine.model import ID_PATTERN
from itstrat_engine.rules.expressions import Expression, ValueType, compile_expression
from itstrat_engine.rules.fields import FIELDS, SUBJECTS, Subject

__all__ = [
    "MAX_EXAMPLES",
    "MAX_PROBLEMS",
    "MAX_RULES",
    "Action",
    "Example",
    "Expectation",
    "Pack",
    "Rule",
    "builtin_names",
    "builtin_packs",
    "limit_problems",
    "load_pack",
    "loads_pack",
    "pack_from_dict",
    "show_value",
]

Action = Literal["score", "add", "multiply"]

MAX_RULES = 500
"""Most rules in one pack (packs are untrusted input: this bounds compile time)."""
MAX_EXAMPLES = 500
"""Most examples in one pack."""
_ACTIONS: tuple[Action, ...] = ("score", "add", "multiply")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_TOP_KEYS = ("pack", "params", "defaults", "rule", "example")
_PACK_KEYS = ("id", "title", "subject", "description", "version", "references", "fields")
_RULE_KEYS = (
    "id",
    "when",
    "score",
    "add",
    "multiply",
    "require",
    "forbid",
    "earliest",
    "deadline",
    "tier",
    "flag",
    "because",
)
_EXAMPLE_KEYS = ("id", "given", "params", "expect")
_EXPECT_KEYS = ("score", "require", "forbid", "earliest", "deadline", "tier", "flags")


@attrs.frozen(kw_only=True)
class Rule:
    """One rule: an optional condition, its actions and the reason shown in explanations."""

    id: str
    because: str
    when: Expression | None = None
    action: Action | None = None
    amount: Expression | None = None
    require: bool = False
    forbid: bool = False
    earliest: Expression | None = None
    deadline: Expression | None = None
    tier: str | None = None
    flags: tuple[str, ...] = ()

    @property
    def expressions(self) -> tuple[tuple[str, Expression], ...]:
        """The rule's expressions with their keys, in evaluation order."""
        found = [("when", self.when)]
        if self.action is not None:
            found.append((self.action, self.amount))
        found += [("earliest", self.earliest), ("deadline", self.deadline)]
        return tuple((key, e) for key, e in found if e is not None)


@attrs.frozen(kw_only=True)
class Expectation:
    """What an example expects; None means "not checked"."""

    score: float | None = None
    require: bool | None = None
    forbid: bool | None = None
    earliest: int | None = None
    deadline: int | None = None
    tier: str | None = None
    flags: tuple[str, ...] | None = None


@attrs.frozen(kw_only=True)
class Example:
    """A test case of a pack: given values of one item, param overrides, the expectation."""

    id: str
    given: dict[str, object]
    expect: Expectation
    params: dict[str, float] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Pack:
    """A loaded, checked rule pack.

    Build one with `load_pack`, `loads_pack` or `pack_from_dict`; `source` is the file it
    came from (None when built from data).
    """

    id: str
    title: str
    subject: Subject
    description: str = ""
    version: str = ""
    references: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    params: dict[str, float] = attrs.field(factory=dict)
    defaults: dict[str, float] = attrs.field(factory=dict)
    rules: tuple[Rule, ...] = ()
    examples: tuple[Example, ...] = ()
    source: str | None = None

    @property
    def names(self) -> dict[str, ValueType]:
        """Every name the pack's expressions may read, with its type."""
        return _names(self.subject, self.fields, self.params)

    @property
    def optional(self) -> frozenset[str]:
        """The names that may be missing for an item."""
        return _optional(self.subject, self.fields)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError when there is none)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _names(subject: Subject, fields: Iterable[str], params: Iterable[str]) -> dict[str, ValueType]:
    names: dict[str, ValueType] = {name: spec.type for name, spec in FIELDS[subject].items()}
    names.update(dict.fromkeys(fields, "number"))
    names.update(dict.fromkeys(params, "number"))
    names["score"] = "number"
    return names


def _optional(subject: Subject, fields: Iterable[str]) -> frozenset[str]:
    built_in = {name for name, spec in FIELDS[subject].items() if spec.optional}
    return frozenset(built_in | set(fields))


# --------------------------------------------------------------------------- reading


def _finite(value: float) -> float | None:
    """The value as a float, or None when it is not finite (or too large for a float)."""
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def show_value(value: object) -> str:
    """A value as written, cut to 60 characters for messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_show = show_value

MAX_PROBLEMS = 20
"""Most problems listed in one error; the rest are counted in a last line."""


def limit_problems(problems: Sequence[Problem]) -> list[Problem]:
    """The first `MAX_PROBLEMS` problems, and a count of the others.

    >>> [p.message for p in limit_problems([Problem(code="x", path="", message="m")] * 22)][-1]
    'and 2 more like these'
    """
    if len(problems) <= MAX_PROBLEMS:
        return list(problems)
    more = len(problems) - MAX_PROBLEMS
    return [
        *problems[:MAX_PROBLEMS],
        Problem(
            code="more",
            path="",
            message=f"and {more} more like these",
            suggestion="fix the first ones; the rest usually share the cause",
        ),
    ]


class _Reader(ProblemLog):
    """Collects located problems while reading a pack's plain data."""

    def table(self, value: object, path: str, keys: Iterable[str]) -> Mapping[str, Any]:
        """A table with only known keys (unknown ones are reported with a suggestion)."""
        if not isinstance(value, Mapping):
            self.wrong(value, path, "a table")
            return {}
        known = list(keys)
        for key in value:
            if key not in known:
                self.error(
                    "unknown-key",
                    f"{path}.{key}" if path else str(key),
                    "unknown key",
                    value=repr(key),
                    expected="one of " + ", ".join(known),
                    suggestion=did_you_mean(str(key), known) or "remove it",
                )
        return value

    def wrong(self, value: object, path: str, expected: str) -> None:
        self.error(
            "wrong-type",
            path,
            "wrong type",
            value=f"{_kind(value)} {_show(value)}",
            expected=expected,
        )

    def string(
        self, table: Mapping[str, Any], key: str, path: str, *, required: bool
    ) -> str | None:
        if key not in table:
            if required:
                self.error(
                    "missing-key",
                    f"{path}.{key}",
                    f"missing required key {key!r}",
                    suggestion=f"add {key} = ... here",
                )
            return None
        value = table[key]
        if not isinstance(value, str):
            self.wrong(value, f"{path}.{key}", "a string")
            return None
        return value

    def identifier(self, table: Mapping[str, Any], key: str, path: str) -> str | None:
        value = self.string(table, key, path, required=True)
        if value is not None and not ID_PATTERN.match(value):
            self.error(
                "invalid-id",
                f"{path}.{key}",
                "invalid id",
                value=repr(value),
                expected="1-64 lowercase letters, digits, '-', '_' or '.', starting with a "
                "letter or digit",
            )
            return None
        return value

    def strings(self, value: object, path: str) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.wrong(value, path, "a list of strings")
            return ()
        return tuple(value)

    def number(self, value: object, path: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.wrong(value, path, "a number")
            return None
        number = _finite(value)
        if number is None:
            self.wrong(value, path, "a finite number")
        return number

    def name(self, name: str, path: str, what: str, taken: Mapping[str, str]) -> bool:
        """Check a declared param or field name; `taken` maps names in use to their role."""
        if not _NAME.match(name) or keyword.iskeyword(name):
            self.error(
                "invalid-name",
                path,
                f"invalid {what} name",
                value=repr(name),
                expected="lowercase letters, digits and '_', starting with a letter "
                "(a name expressions can use)",
                suggestion=f"try {re.sub(r'[^a-z0-9_]', '_', name.lower()).strip('_')!r}"
                if name and not keyword.iskeyword(name)
                else None,
            )
            return False
        if name in taken:
            self.error(
                "name-taken",
                path,
                f"{what} name already in use",
                value=repr(name),
                expected=f"a name that is not {taken[name]}",
                suggestion="rename it",
            )
            return False
        return True


def _expression_source(reader: _Reader, value: object, path: str, *, numbers: bool) -> str | None:
    if isinstance(value, str):
        return value
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    reader.wrong(value, path, "an expression (a string)" + (" or a number" if numbers else ""))
    return None


def _compile(
    reader: _Reader,
    source: str | None,
    *,
    names: Mapping[str, ValueType],
    optional: frozenset[str],
    expect: tuple[ValueType, ...],
    subject: Subject,
    path: str,
    context: str,
) -> Expression | None:
    if source is None:
        return None
    try:
        return compile_expression(
            source,
            names,
            optional=optional,
            expect=expect,
            subject=subject,
            path=path,
            context=context,
            file=reader.file,
        )
    except RuleError as error:
        reader.problems.extend(error.problems)
        return None


def _read_rule(
    reader: _Reader,
    data: object,
    path: str,
    subject: Subject,
    names: Mapping[str, ValueType],
    optional: frozenset[str],
) -> Rule | None:
    table = reader.table(data, path, _RULE_KEYS)
    if not isinstance(data, Mapping):
        return None
    before = len(reader.problems)
    rule_id = reader.identifier(table, "id", path)
    context = f"rule {rule_id!r}" if rule_id else ""
    because = reader.string(table, "because", path, required=True)

    def expression(key: str, expect: tuple[ValueType, ...], *, numbers: bool) -> Expression | None:
        if key not in table:
            return None
        source = _expression_source(reader, table[key], f"{path}.{key}", numbers=numbers)
        return _compile(
            reader,
            source,
            names=names,
            optional=optional,
            expect=expect,
            subject=subject,
            path=f"{path}.{key}",
            context=context,
        )

    when = expression("when", ("bool", "number"), numbers=False)
    actions = [key for key in _ACTIONS if key in table]
    if len(actions) > 1:
        reader.error(
            "two-score-actions",
            f"{path}.{actions[1]}",
            f"{context or 'a rule'} changes the score twice",
            value=" and ".join(actions),
            expected="one of score, add or multiply per rule",
            suggestion="split it into two rules, which run in file order",
        )
    action: Action | None = actions[0] if actions else None
    amount = expression(action, ("number",), numbers=True) if action else None
    gates = {}
    for gate in ("require", "forbid"):
        if gate in table:
            value = table[gate]
            if value is not True:
                reader.error(
                    "gate-value",
                    f"{path}.{gate}",
                    f"{gate} must be true",
                    value=_show(value),
                    expected="true",
                    suggestion="make the rule conditional with when = ..."
                    if value is False
                    else None,
                )
            gates[gate] = value is True
    if gates.get("require") and gates.get("forbid"):
        reader.error(
            "require-and-forbid",
            f"{path}.forbid",
            f"{context or 'a rule'} both requires and forbids",
            expected="require or forbid, not both",
            suggestion="split it into two rules with opposite conditions",
        )
    earliest = expression("earliest", ("number",), numbers=True)
    deadline = expression("deadline", ("number",), numbers=True)
    if subject == "issue":
        for key in ("require", "forbid", "earliest", "deadline"):
            if key in table:
                reader.error(
                    "issue-gate",
                    f"{path}.{key}",
                    f"{key} applies to initiatives only",
                    expected="score, add, multiply, tier or flag in an issue pack",
                    suggestion="move the rule to an initiative pack",
                )
    tier = reader.string(table, "tier", path, required=False)
    flags = reader.strings(table["flag"], f"{path}.flag") if "flag" in table else ()
    unknown_keys = any(key not in _RULE_KEYS for key in table)
    if not unknown_keys and not any(key in table for key in _RULE_KEYS[2:-1]):
        reader.error(
            "no-action",
            path,
            f"{context or 'a rule'} does nothing",
            expected="at least one of score, add, multiply, require, forbid, earliest, "
            "deadline, tier, flag",
        )
    if len(reader.problems) > before or rule_id is None or because is None:
        return None
    return Rule(
        id=rule_id,
        because=because,
        when=when,
        action=action,
        amount=amount,
        require=gates.get("require", False),
        forbid=gates.get("forbid", False),
        earliest=earliest,
        deadline=deadline,
        tier=tier,
        flags=flags,
    )


def _given_value(reader: _Reader, value: object, path: str, type_: ValueType) -> object:
    if type_ == "number":
        return reader.number(value, path)
    if type_ == "bool":
        if not isinstance(value, bool):
            reader.wrong(value, path, "true or false")
            return None
        return value
    if type_ == "string":
        if not isinstance(value, str):
            reader.wrong(value, path, "a string")
            return None
        return value
    if type_ == "strings":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            reader.wrong(value, path, "a list of strings")
            return None
        return tuple(value)
    if not isinstance(value, list):
        reader.wrong(value, path, "a list of numbers")
        return None
    numbers = [reader.number(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return None if None in numbers else tuple(numbers)


def _read_example(
    reader: _Reader,
    data: object,
    path: str,
    index: int,
    pack_params: Mapping[str, float],
    names: Mapping[str, ValueType],
) -> Example | None:
    table = reader.table(data, path, _EXAMPLE_KEYS)
    if not isinstance(data, Mapping):
        return None
    before = len(reader.problems)
    example_id = reader.string(table, "id", path, required=False) or f"example-{index + 1}"
    readable = {n: t for n, t in names.items() if n not in pack_params}
    given: dict[str, object] = {}
    if "given" not in table:
        reader.error(
            "missing-key",
            f"{path}.given",
            "missing required key 'given'",
            suggestion="add given = { field = value, ... }",
        )
    else:
        for key, value in reader.table(table["given"], f"{path}.given", readable).items():
            if key in readable:
                given[key] = _given_value(reader, value, f"{path}.given.{key}", readable[key])
    params: dict[str, float] = {}
    for key, value in reader.table(table.get("params", {}), f"{path}.params", pack_params).items():
        number = reader.number(value, f"{path}.params.{key}")
        if key in pack_params and number is not None:
            params[key] = number
    expect = Expectation()
    if "expect" not in table:
        reader.error(
            "missing-key",
            f"{path}.expect",
            "missing required key 'expect'",
            suggestion="add expect = { score = ... }",
        )
    else:
        found = reader.table(table["expect"], f"{path}.expect", _EXPECT_KEYS)
        values: dict[str, Any] = {}
        for key, value in found.items():
            where = f"{path}.expect.{key}"
            if key == "score":
                values[key] = reader.number(value, where)
            elif key in {"require", "forbid"}:
                values[key] = _given_value(reader, value, where, "bool")
            elif key in {"earliest", "deadline"}:
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    reader.wrong(value, where, "a period index (a whole number >= 0)")
                else:
                    values[key] = value
            elif key == "tier":
                values[key] = _given_value(reader, value, where, "string")
            elif key == "flags":
                values[key] = _given_value(reader, value, where, "strings")
        if not values and not len(reader.problems) > before:
            reader.error(
                "empty-expect",
                f"{path}.expect",
                "the example expects nothing",
                expected="at least one of " + ", ".join(_EXPECT_KEYS),
            )
        expect = Expectation(**values)
    if len(reader.problems) > before:
        return None
    return Example(
        id=example_id,
        given=given,
        expect=expect,
        params=params,
    )


def pack_from_dict(data: object, source: str | None = None) -> Pack:
    """Build a `Pack` from plain data (a parsed TOML file), checking everything.

    Raises `RuleError` listing every problem, located by `source` and key path.

    >>> pack = pack_from_dict({
    ...     "pack": {"id": "double", "title": "Double", "subject": "initiative"},
    ...     "rule": [{"id": "twice", "multiply": 2, "because": "Everything counts twice"}],
    ... })
    >>> [rule.id for rule in pack.rules]
    ['twice']
    """
    reader = _Reader(source)
    top = reader.table(data, "", _TOP_KEYS)
    if not isinstance(data, Mapping):
        raise RuleError(limit_problems(reader.problems))
    if "pack" not in top:
        reader.error(
            "missing-key",
            "pack",
            "missing the [pack] table",
            expected="[pack] with id, title and subject",
            suggestion='start the file with [pack] id = "...", title = "...", subject = "initiative"',
        )
        raise RuleError(limit_problems(reader.problems))
    meta = reader.table(top["pack"], "pack", _PACK_KEYS)
    pack_id = reader.identifier(meta, "id", "pack")
    title = reader.string(meta, "title", "pack", required=True)
    subject_text = reader.string(meta, "subject", "pack", required=True)
    subject: Subject | None = None
    if subject_text is not None:
        if subject_text in SUBJECTS:
            subject = "issue" if subject_text == "issue" else "initiative"
        else:
            reader.error(
                "unknown-subject",
                "pack.subject",
                "unknown subject",
                value=repr(subject_text),
                expected="'issue' or 'initiative'",
                suggestion=did_you_mean(subject_text, SUBJECTS),
            )
    description = reader.string(meta, "description", "pack", required=False) or ""
    version = reader.string(meta, "version", "pack", required=False) or ""
    references = (
        reader.strings(meta["references"], "pack.references") if "references" in meta else ()
    )
    if subject is None:
        raise RuleError(limit_problems(reader.problems))

    taken = dict.fromkeys(FIELDS[subject], f"a built-in {subject} field")
    taken["score"] = "the running score"
    fields: list[str] = []
    for index, name in enumerate(
        reader.strings(meta["fields"], "pack.fields") if "fields" in meta else ()
    ):
        if reader.name(name, f"pack.fields[{index}]", "field", taken):
            taken[name] = "a field the pack declares"
            fields.append(name)
    params: dict[str, float] = {}
    raw_params = top.get("params", {})
    if not isinstance(raw_params, Mapping):
        reader.wrong(raw_params, "params", "a table of numbers")
        raw_params = {}
    for name, value in raw_params.items():
        number = reader.number(value, f"params.{name}")
        if reader.name(str(name), f"params.{name}", "param", taken) and number is not None:
            taken[name] = "a param of the pack"
            params[name] = number
    optional = _optional(subject, fields)
    defaults: dict[str, float] = {}
    raw_defaults = top.get("defaults", {})
    if not isinstance(raw_defaults, Mapping):
        reader.wrong(raw_defaults, "defaults", "a table of numbers")
        raw_defaults = {}
    numeric_optional = sorted(n for n in optional if _names(subject, fields, ()).get(n) == "number")
    for name, value in raw_defaults.items():
        number = reader.number(value, f"defaults.{name}")
        if name not in numeric_optional:
            reader.error(
                "unknown-default",
                f"defaults.{name}",
                "default for a name that is never missing"
                if name in taken
                else "default for an unknown name",
                value=repr(name),
                expected="a declared free field or an optional number ("
                + ", ".join(numeric_optional)
                + ")",
                suggestion=did_you_mean(str(name), numeric_optional)
                or ("declare it in [pack] fields" if name not in taken else "remove it"),
            )
        elif number is not None:
            defaults[name] = number
    names = _names(subject, fields, params)
    rules: list[Rule] = []
    raw_rules = top.get("rule", [])
    if not isinstance(raw_rules, list):
        reader.wrong(raw_rules, "rule", "a list of [[rule]] tables")
        raw_rules = []
    if len(raw_rules) > MAX_RULES:
        reader.error(
            "too-many-rules",
            "rule",
            "too many rules",
            value=f"{len(raw_rules)} rules",
            expected=f"at most {MAX_RULES}",
            suggestion="split the pack; packs stack",
        )
        raw_rules = raw_rules[:MAX_RULES]
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_rules):
        rule = _read_rule(reader, raw, f"rule[{index}]", subject, names, optional)
        if rule is None:
            continue
        if rule.id in seen:
            reader.error(
                "duplicate-id",
                f"rule[{index}].id",
                "duplicate rule id",
                value=repr(rule.id),
                expected="ids unique within the pack",
                suggestion=f"rename it; rule[{seen[rule.id]}] already uses it",
            )
            continue
        seen[rule.id] = index
        rules.append(rule)
    if not raw_rules:
        reader.error(
            "no-rules",
            "rule",
            "the pack has no rules",
            expected="at least one [[rule]] table",
        )
    examples: list[Example] = []
    raw_examples = top.get("example", [])
    if not isinstance(raw_examples, list):
        reader.wrong(raw_examples, "example", "a list of [[example]] tables")
        raw_examples = []
    if len(raw_examples) > MAX_EXAMPLES:
        reader.error(
            "too-many-examples",
            "example",
            "too many examples",
            value=f"{len(raw_examples)} examples",
            expected=f"at most {MAX_EXAMPLES}",
        )
        raw_examples = raw_examples[:MAX_EXAMPLES]
    for index, raw in enumerate(raw_examples):
        example = _read_example(reader, raw, f"example[{index}]", index, params, names)
        if example is not None:
            examples.append(example)
    if reader.problems or pack_id is None or title is None:
        raise RuleError(limit_problems(reader.problems))
    return Pack(
        id=pack_id,
        title=title,
        subject=subject,
        description=description,
        version=version,
        references=references,
        fields=tuple(fields),
        params=params,
        defaults=defaults,
        rules=tuple(rules),
        examples=tuple(examples),
        source=source,
    )


def loads_pack(text: str, source: str | None = None) -> Pack:
    """Parse and check a pack from TOML text; `source` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        where = f"line {match.group(1)}, column {match.group(2)}" if match else "line ?"
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        raise RuleError(
            [
                Problem(
                    code="syntax",
                    path=where,
                    message=f"TOML syntax error: {message}",
                    suggestion="check the TOML syntax around that spot",
                    file=source,
                )
            ]
        ) from None
    except RecursionError:
        raise RuleError(
            [Problem(code="syntax", path="", message="the file is nested too deeply", file=source)]
        ) from None
    return pack_from_dict(data, source)


# --------------------------------------------------------------------------- built-ins


def _builtin_directory() -> Traversable:
    """Where the built-in packs are: inside the wheel, or the source checkout's rules/."""
    packaged = importlib.resources.files("itstrat_engine") / "_packs"
    if packaged.is_dir():
        return packaged
    # Editable install or source tree: src/itstrat_engine/rules/packs.py -> <repo>/rules
    return Path(__file__).resolve().parents[3] / "rules"


def builtin_names() -> tuple[str, ...]:
    """The names of the built-in packs, sorted.

    >>> "wsjf" in builtin_names()
    True
    """
    directory = _builtin_directory()
    if not directory.is_dir():  # pragma: no cover - a broken installation
        return ()
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in directory.iterdir()
            if entry.name.endswith(".toml")
        )
    )


def builtin_packs() -> tuple[Pack, ...]:
    """Every built-in pack, loaded and checked, sorted by id."""
    return tuple(load_pack(name) for name in builtin_names())


def _is_path(reference: str | Path) -> bool:
    if isinstance(reference, Path):
        return True
    return reference.endswith(".toml") or "/" in reference or "\\" in reference


def load_pack(reference: str | Path) -> Pack:
    """Load a pack by built-in name (``"wsjf"``) or from a ``.toml`` path.

    A reference ending in ``.toml`` or containing a path separator is a path; anything
    else names a built-in pack. Raises `RuleError` for an unknown name or a bad pack and
    `UnreadableFileError` for a file that cannot be read.

    >>> load_pack("wsjf").title
    'Weighted Shortest Job First'
    """
    if _is_path(reference):
        path = Path(reference)
        return loads_pack(read_text(path), str(path))
    names = builtin_names()
    reference = str(reference)
    if reference not in names:
        raise RuleError(
            [
                Problem(
                    code="unknown-pack",
                    path="",
                    message="unknown built-in pack",
                    value=repr(reference),
                    expected="one of " + ", ".join(names),
                    suggestion=did_you_mean(reference, names)
                    or "give a path to a .toml file for your own pack",
                )
            ]
        )
    entry = _builtin_directory() / f"{reference}.toml"
    return loads_pack(entry.read_text(encoding="utf-8"), f"{reference}.toml")
