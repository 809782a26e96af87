"""Rule packs: strict loading with located errors, and the built-in packs.

The format is `itstrat_engine.rules.schema` (the guide is ``docs/rules.md``). Loading reads
a `PackFile` with the converter that reads engagements, then compiles it: checks what needs
the whole pack (param and field names, defaults, which actions a rule combines, every
expression against the names it can read, the examples' values) and compiles each
expression (`itstrat_engine.rules.expressions`). All problems of both steps are reported at
once, in file order, in a `RuleError`.
"""

import importlib.resources
import keyword
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import attrs

from itstrat_engine.errors import Problem, ProblemLog, RuleError, did_you_mean
from itstrat_engine.io import (
    key_path,
    parse,
    read_text,
    structure,
    structure_then,
    unknown_key,
    unstructure,
)
from itstrat_engine.model import FIELD_PATTERN, Engagement
from itstrat_engine.rules.expressions import Expression, ValueType, compile_expression
from itstrat_engine.rules.fields import FIELDS, Subject
from itstrat_engine.rules.schema import (
    ExampleTable,
    Expectation,
    Given,
    Labels,
    PackFile,
    PackTable,
    RuleTable,
)

__all__ = [
    "MAX_EXAMPLES",
    "MAX_PROBLEMS",
    "MAX_RULES",
    "Action",
    "Example",
    "Pack",
    "Rule",
    "builtin_names",
    "builtin_packs",
    "file_packs",
    "limit_problems",
    "load_pack",
    "loads_pack",
    "pack_from_dict",
    "pack_to_dict",
    "show_value",
]

Action = Literal["score", "add", "multiply"]

MAX_RULES = 500
"""Most rules in one pack (packs are untrusted input: this bounds compile time)."""
MAX_EXAMPLES = 500
"""Most examples in one pack."""
MAX_PROBLEMS = 20
"""Most problems listed in one error; the rest are counted in a last line."""
_ACTIONS: tuple[Action, ...] = ("score", "add", "multiply")
_SCHEDULES = ("require", "forbid", "earliest", "deadline")
_TYPES: dict[ValueType, Any] = {  # what an example's given value must structure as
    "number": float,
    "bool": bool,
    "string": str,
    "strings": tuple[str, ...],
    "numbers": tuple[float, ...],
}


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
class Example:
    """A test case of a pack: given values of one item, param overrides, the expectation."""

    id: str
    given: dict[str, Given]
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


def show_value(value: object) -> str:
    """A value as written, cut to 60 characters for messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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


# --------------------------------------------------------------------------- compiling


def _labels(value: Labels) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else value


class _Compiler(ProblemLog):
    """Checks a `PackFile` against the names its pack can read, and compiles its rules."""

    def __init__(self, file: PackFile, meta: PackTable, source: str | None) -> None:
        super().__init__(source)
        self.subject: Subject = meta.subject
        self.taken = dict.fromkeys(FIELDS[self.subject], f"a built-in {self.subject} field")
        self.taken["score"] = "the running score"
        self.fields = [
            name
            for index, name in enumerate(_labels(meta.fields))
            if self.name(name, f"pack.fields[{index}]", "field", "a field the pack declares")
        ]
        self.params = {
            name: value
            for name, value in file.params.items()
            if self.name(name, key_path("params", name), "param", "a param of the pack")
        }
        self.names = _names(self.subject, self.fields, self.params)
        self.optional = _optional(self.subject, self.fields)

    def unknown(self, path: str, key: str, known: Sequence[str]) -> None:
        self.problems.append(
            attrs.evolve(unknown_key(path, key, known, "remove it"), file=self.file)
        )

    def name(self, name: str, path: str, what: str, role: str) -> bool:
        """Check a declared param or field name; a good one is taken for `role`."""
        if not FIELD_PATTERN.fullmatch(name) or keyword.iskeyword(name):
            fixed = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")
            self.error(
                "invalid-name",
                path,
                f"invalid {what} name",
                value=repr(name),
                expected="lowercase letters, digits and '_', not starting with a digit "
                "(a name expressions can use)",
                suggestion=f"try {fixed!r}" if fixed and not keyword.iskeyword(name) else None,
            )
            return False
        if name in self.taken:
            self.error(
                "name-taken",
                path,
                f"{what} name already in use",
                value=repr(name),
                expected=f"a name that is not {self.taken[name]}",
                suggestion="rename it",
            )
            return False
        self.taken[name] = role
        return True

    def defaults(self, defaults: Mapping[str, float]) -> None:
        numbers = sorted(
            n for n in self.optional if _names(self.subject, self.fields, ()).get(n) == "number"
        )
        for name in defaults:
            if name not in numbers:
                self.error(
                    "unknown-default",
                    key_path("defaults", name),
                    "default for a name that is never missing"
                    if name in self.taken
                    else "default for an unknown name",
                    value=repr(name),
                    expected=f"a declared free field or an optional number ({', '.join(numbers)})",
                    suggestion=did_you_mean(name, numbers)
                    or ("declare it in [pack] fields" if name not in self.taken else "remove it"),
                )

    def expression(
        self, source: str | float | None, path: str, context: str, expect: tuple[ValueType, ...]
    ) -> Expression | None:
        if source is None:
            return None
        try:
            return compile_expression(
                source if isinstance(source, str) else repr(source),
                self.names,
                optional=self.optional,
                expect=expect,
                subject=self.subject,
                path=path,
                context=context,
                file=self.file,
            )
        except RuleError as error:
            self.problems.extend(error.problems)
            return None

    def rule(self, table: RuleTable, path: str) -> Rule | None:
        before = len(self.problems)
        context = f"rule {table.id!r}"
        when = self.expression(table.when, f"{path}.when", context, ("bool", "number"))
        actions = [key for key in _ACTIONS if getattr(table, key) is not None]
        if len(actions) > 1:
            self.error(
                "two-score-actions",
                f"{path}.{actions[1]}",
                f"{context} changes the score twice",
                value=" and ".join(actions),
                expected="one of score, add or multiply per rule",
                suggestion="split it into two rules, which run in file order",
            )
        action = actions[0] if actions else None
        amount = (
            self.expression(getattr(table, action), f"{path}.{action}", context, ("number",))
            if action
            else None
        )
        if table.require and table.forbid:
            self.error(
                "require-and-forbid",
                f"{path}.forbid",
                f"{context} both requires and forbids",
                expected="require or forbid, not both",
                suggestion="split it into two rules with opposite conditions",
            )
        earliest = self.expression(table.earliest, f"{path}.earliest", context, ("number",))
        deadline = self.expression(table.deadline, f"{path}.deadline", context, ("number",))
        schedules = [key for key in _SCHEDULES if getattr(table, key) is not None]
        for key in schedules if self.subject == "issue" else ():
            self.error(
                "issue-gate",
                f"{path}.{key}",
                f"{key} applies to initiatives only",
                expected="score, add, multiply, tier or flag in an issue pack",
                suggestion="move the rule to an initiative pack",
            )
        if not (actions or schedules or table.tier is not None or table.flag):
            self.error(
                "no-action",
                path,
                f"{context} does nothing",
                expected="at least one of " + ", ".join([*_ACTIONS, *_SCHEDULES, "tier", "flag"]),
            )
        if len(self.problems) > before:
            return None
        return Rule(
            id=table.id,
            because=table.because,
            when=when,
            action=action,
            amount=amount,
            require=bool(table.require),
            forbid=bool(table.forbid),
            earliest=earliest,
            deadline=deadline,
            tier=table.tier,
            flags=_labels(table.flag),
        )

    def example(self, table: ExampleTable, path: str, index: int) -> Example | None:
        before = len(self.problems)
        readable = [name for name in self.names if name not in self.params]
        given: dict[str, Given] = {}
        if table.given is None:
            self.error(
                "missing-key",
                f"{path}.given",
                "missing required key 'given'",
                suggestion="add given = { field = value, ... }",
            )
        for key, value in (table.given or {}).items():
            if key not in readable:
                self.unknown(f"{path}.given", key, readable)
                continue
            shown = list(value) if isinstance(value, tuple) else value  # as written: a list
            try:  # the value as the name's type, by the converter
                given[key] = structure(shown, _TYPES[self.names[key]], self.file, error=RuleError)
            except RuleError as error:
                where = key_path(f"{path}.given", key)
                self.problems += [attrs.evolve(p, path=where + p.path) for p in error.problems]
        for key in table.params:
            if key not in self.params:
                self.unknown(f"{path}.params", key, list(self.params))
        if table.expect is None:
            self.error(
                "missing-key",
                f"{path}.expect",
                "missing required key 'expect'",
                suggestion="add expect = { score = ... }",
            )
        elif table.expect == Expectation():
            self.error(
                "empty-expect",
                f"{path}.expect",
                "the example expects nothing",
                expected="at least one of " + ", ".join(a.name for a in attrs.fields(Expectation)),
            )
        if len(self.problems) > before or table.expect is None:
            return None
        return Example(
            id=table.id or f"example-{index + 1}",
            given=given,
            expect=table.expect,
            params=dict(table.params),
        )


def _too_many(compiler: _Compiler, what: str, count: int, most: int) -> None:
    if count > most:
        compiler.error(
            f"too-many-{what}s",
            what,
            f"too many {what}s",
            value=f"{count} {what}s",
            expected=f"at most {most}",
            suggestion="split the pack; packs stack" if what == "rule" else None,
        )


def _compile(file: PackFile, source: str | None) -> Pack:
    """Check a pack file against the names it can read and compile its rules."""
    if file.pack is None:
        raise RuleError(
            [
                Problem(
                    code="missing-key",
                    path="pack",
                    message="missing the [pack] table",
                    expected="[pack] with id, title and subject",
                    suggestion='start the file with [pack] id = "...", title = "...", '
                    'subject = "initiative"',
                )
            ]
        )
    compiler = _Compiler(file, file.pack, source)
    compiler.defaults(file.defaults)
    if not file.rule:
        compiler.error(
            "no-rules", "rule", "the pack has no rules", expected="at least one [[rule]] table"
        )
    _too_many(compiler, "rule", len(file.rule), MAX_RULES)
    _too_many(compiler, "example", len(file.example), MAX_EXAMPLES)
    rules: dict[str, tuple[int, Rule | None]] = {}
    for index, table in enumerate(file.rule[:MAX_RULES]):
        if table.id in rules:
            compiler.error(
                "duplicate-id",
                f"rule[{index}].id",
                "duplicate rule id",
                value=repr(table.id),
                expected="ids unique within the pack",
                suggestion=f"rename it; rule[{rules[table.id][0]}] already uses it",
            )
        else:
            rules[table.id] = index, compiler.rule(table, f"rule[{index}]")
    examples = [
        compiler.example(table, f"example[{index}]", index)
        for index, table in enumerate(file.example[:MAX_EXAMPLES])
    ]
    if compiler.problems:
        raise RuleError(compiler.problems)
    return Pack(
        id=file.pack.id,
        title=file.pack.title,
        subject=compiler.subject,
        description=file.pack.description,
        version=file.pack.version,
        references=_labels(file.pack.references),
        fields=tuple(compiler.fields),
        params=compiler.params,
        defaults=dict(file.defaults),
        rules=tuple(rule for _, rule in rules.values() if rule is not None),
        examples=tuple(example for example in examples if example is not None),
        source=source,
    )


def pack_from_dict(data: object, source: str | None = None) -> Pack:
    """Build a `Pack` from plain data (a parsed TOML file), checking everything.

    Raises `RuleError` listing every problem (the first `MAX_PROBLEMS`), located by
    `source` and key path, in file order.

    >>> pack = pack_from_dict({
    ...     "pack": {"id": "double", "title": "Double", "subject": "initiative"},
    ...     "rule": [{"id": "twice", "multiply": 2, "because": "Everything counts twice"}],
    ... })
    >>> [rule.id for rule in pack.rules]
    ['twice']
    """
    return structure_then(
        data,
        PackFile,
        lambda file: _compile(file, source),
        source,
        error=lambda problems: RuleError(limit_problems(problems)),
    )


def pack_to_dict(pack: Pack) -> dict[str, Any]:
    """The pack as the plain data of its file: `pack_from_dict` reads it back to the same pack.

    >>> data = pack_to_dict(load_pack("wsjf"))
    >>> data["params"], data["rule"][1]["multiply"]
    ({'min_size': 1.0}, '1 / max(job_size, min_size)')
    >>> pack_to_dict(pack_from_dict(data)) == data
    True
    """

    def source(expression: Expression | None) -> str | None:
        return None if expression is None else expression.source

    file = PackFile(
        pack=PackTable(
            id=pack.id,
            title=pack.title,
            subject=pack.subject,
            description=pack.description,
            version=pack.version,
            references=pack.references,
            fields=pack.fields,
        ),
        params=dict(pack.params),
        defaults=dict(pack.defaults),
        rule=tuple(
            RuleTable(
                id=rule.id,
                when=source(rule.when),
                **({rule.action: source(rule.amount)} if rule.action else {}),
                require=rule.require or None,
                forbid=rule.forbid or None,
                earliest=source(rule.earliest),
                deadline=source(rule.deadline),
                tier=rule.tier,
                flag=rule.flags,
                because=rule.because,
            )
            for rule in pack.rules
        ),
        example=tuple(
            ExampleTable(id=e.id, given=dict(e.given), params=dict(e.params), expect=e.expect)
            for e in pack.examples
        ),
    )
    data: dict[str, Any] = unstructure(file)
    return data


def loads_pack(text: str, source: str | None = None) -> Pack:
    """Parse and check a pack from TOML text; `source` names it in errors."""
    return pack_from_dict(parse(text, "toml", source, error=RuleError), source)


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


def file_packs(engagement: Engagement) -> list[str | Path]:
    """The packs of an engagement's ``[plan] rules``, pack paths relative to its file.

    A reference that is a path (ends with ``.toml`` or holds a slash) and is relative is
    taken relative to the folder of `Engagement.source` (the file the engagement was read
    from) when that is known; built-in names, absolute paths and the paths of engagements
    that do not know their file stay as written. Packs given to `prioritize` or `plan`
    directly are never resolved this way: they are relative to the working directory.

    >>> from itstrat_engine.io import from_dict
    >>> e = from_dict(
    ...     {"engagement": {"client": "Acme", "start": "2027-Q1", "periods": 4},
    ...      "plan": {"rules": ["wsjf", "packs/mine.toml"]}},
    ...     source="clients/acme.toml",
    ... )
    >>> [str(reference) for reference in file_packs(e)]
    ['wsjf', 'clients/packs/mine.toml']
    """
    folder = None if engagement.source is None else Path(engagement.source).parent
    packs: list[str | Path] = []
    for reference in engagement.plan.rules:
        if folder is not None and _is_path(reference) and not Path(reference).is_absolute():
            packs.append(folder / reference)
        else:
            packs.append(reference)
    return packs
