"""The rule pack file as data: the tables and keys a pack file may hold.

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

These classes are read by the converter that reads engagements (`itstrat_engine.io`), so
keys, types, ids and numbers are checked exactly as in an engagement file. What needs the
whole pack (the names expressions can read, the expressions themselves, the examples'
values) is checked when `itstrat_engine.rules.packs` compiles it. The guide is
``docs/rules.md``.
"""

from typing import Annotated, Any

import attrs

from itstrat_engine.errors import InvalidValueError
from itstrat_engine.io import Expected
from itstrat_engine.model import _identifier
from itstrat_engine.rules.fields import Subject

__all__ = [
    "Amount",
    "Condition",
    "ExampleTable",
    "Expectation",
    "Given",
    "GivenValue",
    "Labels",
    "PackFile",
    "PackTable",
    "RuleTable",
]

Amount = Annotated[str | int | float, Expected("an expression (a string) or a number")]
"""An expression, or a number standing for itself (whole numbers read back as written)."""
Condition = Annotated[str, Expected("an expression (a string)")]
"""A ``when`` condition."""
Labels = str | tuple[str, ...]
"""One label, or a list of them."""
Given = float | bool | str | tuple[float, ...] | tuple[str, ...]
"""A value an example gives a name; the compiler checks it against the name's type."""
GivenValue = Annotated[
    Given, Expected("a number, a string, true or false, or a list of numbers or strings")
]


def _period_index(_: object, attribute: "attrs.Attribute[Any]", value: int | None) -> None:
    if value is not None and value < 0:
        raise InvalidValueError(
            attribute.name,
            value,
            "a period index (a whole number >= 0)",
            message=f"{attribute.name} before the first period",
        )


def _true(_: object, attribute: "attrs.Attribute[Any]", value: bool | None) -> None:
    if value is False:
        raise InvalidValueError(
            attribute.name,
            value,
            "true",
            message=f"{attribute.name} must be true",
            suggestion="make the rule conditional with when = ...",
        )


@attrs.frozen(kw_only=True)
class PackTable:
    """The ``[pack]`` table: what the pack is, what it scores, the free fields it reads."""

    id: str = attrs.field(validator=_identifier)
    title: str
    subject: Subject
    description: str = ""
    version: str = ""
    references: Labels = ()
    fields: Labels = ()


@attrs.frozen(kw_only=True)
class RuleTable:
    """One ``[[rule]]`` table as written: its expressions are still text."""

    id: str = attrs.field(validator=_identifier)
    when: Condition | None = None
    score: Amount | None = None
    add: Amount | None = None
    multiply: Amount | None = None
    require: bool | None = attrs.field(default=None, validator=_true)
    forbid: bool | None = attrs.field(default=None, validator=_true)
    earliest: Amount | None = None
    deadline: Amount | None = None
    tier: str | None = None
    flag: Labels = ()
    because: str


@attrs.frozen(kw_only=True)
class Expectation:
    """What an example expects; None means "not checked"."""

    score: float | None = None
    require: bool | None = None
    forbid: bool | None = None
    earliest: int | None = attrs.field(default=None, validator=_period_index)
    deadline: int | None = attrs.field(default=None, validator=_period_index)
    tier: str | None = None
    flags: tuple[str, ...] | None = None


@attrs.frozen(kw_only=True)
class ExampleTable:
    """One ``[[example]]`` table as written.

    ``given`` and ``expect`` are required; they are optional here only so that their absence
    gets its own message.
    """

    id: str | None = attrs.field(default=None, validator=attrs.validators.optional(_identifier))
    given: dict[str, GivenValue] | None = None
    params: dict[str, float] = attrs.field(factory=dict)
    expect: Expectation | None = None


@attrs.frozen(kw_only=True)
class PackFile:
    """A whole pack file; the attributes are named like its tables (``[[rule]]`` is `rule`).

    `pack` is required; it is optional here only so that its absence gets its own message.
    """

    pack: PackTable | None = None
    params: dict[str, float] = attrs.field(factory=dict)
    defaults: dict[str, float] = attrs.field(factory=dict)
    rule: tuple[RuleTable, ...] = ()
    example: tuple[ExampleTable, ...] = ()
