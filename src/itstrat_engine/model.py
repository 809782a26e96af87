"""The engagement as frozen attrs classes.

Constructors are trivial and validators check local invariants only (non-negative money and
hours, fractions in 0..1, id syntax, maturity 0..5). Checks that need more than one object
(unknown ids, cycles, lengths of per-period lists) live in `itstrat_engine.graph`. Reading
files is `itstrat_engine.io`'s job. Make variants with `attrs.evolve`.

Periods are 0-based indexes into the horizon; `Scope.labels` names them (``2027-Q1`` ...).
"""

import math
import numbers
import re
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any, Literal

import attrs

from itstrat_engine.errors import InvalidValueError

__all__ = [
    "Capacity",
    "Contractor",
    "CostKind",
    "Engagement",
    "Group",
    "Initiative",
    "Issue",
    "Objective",
    "Pairwise",
    "PerPeriod",
    "PerYear",
    "PeriodKind",
    "PeriodRef",
    "PlanObjective",
    "PlanSettings",
    "Pool",
    "Response",
    "Scope",
    "Service",
    "SolverName",
    "Survey",
    "Timing",
]

PeriodKind = Literal["month", "quarter", "year"]
PerPeriod = float | tuple[float, ...]
"""A number for every period, or one number per period (exactly `Scope.periods` of them)."""
PeriodRef = int | str
"""A period given as a 0-based index or as its label (``"2027-Q3"``)."""
PlanObjective = Literal["value", "coverage", "makespan", "cost", "npv"]
"""What the planner optimizes: total value, issue coverage, the latest finish, spend, or the
net present value of benefits and savings minus spend."""
CostKind = Literal["capex", "opex"]
"""Whether a one-off cost is capital or operating spend (run costs and contractors are opex)."""
PerYear = float | tuple[float, ...]
"""A number for every fiscal year, or one per fiscal year the horizon touches, in order."""
Timing = Literal["once", "after-finish", "discounted"]
"""When an initiative's value counts: once, per period after go-live, or that discounted."""
SolverName = Literal["auto", "highs", "cbc", "cpsat"]
"""The backend the planner calls: ``auto`` (the default) chooses or races the others."""

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
FIELD_PATTERN = re.compile(r"[a-z_][a-z0-9_]{0,63}")
MAX_PERIODS = 600

# --------------------------------------------------------------------------- validators
# Each raises InvalidValueError naming the attribute, so the loader can put the exact path
# in front of the message.

_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _finite(attribute: "attrs.Attribute[Any]", value: object) -> None:
    # A string or None given through the API (attrs.evolve) gets the same located error
    # as a file would, not a bare TypeError from math.
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidValueError(
            attribute.name,
            value,
            "a number",
            message=f"{attribute.name} must be a number",
            suggestion="pass a number, not text" if isinstance(value, str) else None,
        )
    if not math.isfinite(value):
        raise InvalidValueError(attribute.name, value, "a finite number", message="not a number")


def _non_negative(_: object, attribute: "attrs.Attribute[Any]", value: float | None) -> None:
    if value is None:
        return
    _finite(attribute, value)
    if value < 0:
        raise InvalidValueError(
            attribute.name, value, "a number >= 0", message=f"{attribute.name} is negative"
        )


MAX_AMOUNT = 1e12
"""The largest money amount, value, weight or hour count the engine computes with.

Sums over thousands of initiatives and hundreds of periods stay far from overflow and
exact to the cent below it. Budgets, capacities and contractor maxima may be larger: they
only bound, and any limit that large means unlimited.
"""


def _amount(_: object, attribute: "attrs.Attribute[Any]", value: float | None) -> None:
    _non_negative(_, attribute, value)
    if value is not None and value > MAX_AMOUNT:
        raise InvalidValueError(
            attribute.name,
            value,
            f"a number from 0 to {MAX_AMOUNT:.0e} (the supported range)",
            message=f"{attribute.name} is too large",
            suggestion="express it in thousands (or another larger unit) throughout the file",
        )


def _signed_amount(_: object, attribute: "attrs.Attribute[Any]", value: float) -> None:
    """A money amount that may be negative (a saving), within the supported range."""
    _finite(attribute, value)
    if abs(value) > MAX_AMOUNT:
        raise InvalidValueError(
            attribute.name,
            value,
            f"a number from {-MAX_AMOUNT:.0e} to {MAX_AMOUNT:.0e} (the supported range)",
            message=f"{attribute.name} is too large",
            suggestion="express it in thousands (or another larger unit) throughout the file",
        )


def _per_period_amount(_: object, attribute: "attrs.Attribute[Any]", value: PerPeriod) -> None:
    for item in value if isinstance(value, tuple) else (value,):
        _amount(_, attribute, item)


def _fractions(_: object, attribute: "attrs.Attribute[Any]", value: tuple[float, ...]) -> None:
    for item in value:
        _fraction(_, attribute, item)


def _fraction(_: object, attribute: "attrs.Attribute[Any]", value: float) -> None:
    _finite(attribute, value)
    if not 0 <= value <= 1:
        raise InvalidValueError(
            attribute.name,
            value,
            "a fraction between 0 and 1",
            message=f"{attribute.name} out of range",
        )


def _positive_int(_: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidValueError(
            attribute.name,
            value,
            "a whole number >= 1",
            message=f"{attribute.name} must be a whole number",
        )
    if value < 1:
        raise InvalidValueError(
            attribute.name, value, "a whole number >= 1", message=f"{attribute.name} too small"
        )


MAX_THREADS = 256
"""More solver threads than this only oversubscribe the machine (10**6 aborts HiGHS)."""


def _threads(_: object, attribute: "attrs.Attribute[Any]", value: int | None) -> None:
    if value is not None and not 1 <= value <= MAX_THREADS:
        raise InvalidValueError(
            attribute.name,
            value,
            f"a whole number from 1 to {MAX_THREADS}",
            message="threads out of range",
            suggestion="leave it out to let the solver choose",
        )


def _identifier(_: object, attribute: "attrs.Attribute[Any]", value: str) -> None:
    if not ID_PATTERN.fullmatch(value):
        raise InvalidValueError(
            attribute.name,
            value,
            "1-64 lowercase letters, digits, '-', '_' or '.', starting with a letter or digit",
            message="invalid id",
            suggestion=f"try {_slug(value)!r}" if _slug(value) else None,
        )


def _identifiers(_: object, attribute: "attrs.Attribute[Any]", values: tuple[str, ...]) -> None:
    for value in values:
        _identifier(_, attribute, value)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "-", text.strip().lower()).strip("-._")[:64]


def _mapping_of(check: _Validator, *, ids: bool = True) -> _Validator:
    """Check every key of a mapping is an id and every value passes `check`."""

    def validate(
        instance: object, attribute: "attrs.Attribute[Any]", value: Mapping[str, Any]
    ) -> None:
        for key, item in value.items():
            if ids:
                _identifier(instance, attribute, key)
            try:
                check(instance, attribute, item)
            except InvalidValueError as error:
                raise InvalidValueError(
                    attribute.name,
                    error.value,
                    error.expected,
                    message=f"{attribute.name} of {key!r} out of range",
                    suggestion=error.suggestion,
                    key=key,
                ) from None

    return validate


def _field_names(_: object, attribute: "attrs.Attribute[Any]", value: Mapping[str, float]) -> None:
    for key, number in value.items():
        if not FIELD_PATTERN.fullmatch(key):
            raise InvalidValueError(
                attribute.name,
                key,
                "a name of lowercase letters, digits and '_', not starting with a digit",
                message="invalid field name",
                suggestion="rule expressions refer to fields by name, so use e.g. "
                + repr(re.sub(r"[^a-z0-9_]+", "_", key.lower()).strip("_") or "value"),
            )
        _finite(attribute, number)


def _per_period_non_negative(
    _: object, attribute: "attrs.Attribute[Any]", value: PerPeriod | None
) -> None:
    if value is None:
        return
    values = value if isinstance(value, tuple) else (value,)
    for item in values:
        _non_negative(_, attribute, item)


def _maturity(_: object, attribute: "attrs.Attribute[Any]", value: float | None) -> None:
    if value is None:
        return
    _finite(attribute, value)
    if not 0 <= value <= 5:
        raise InvalidValueError(
            attribute.name, value, "a maturity level from 0 to 5", message="maturity out of range"
        )


def _distinct(_: object, attribute: "attrs.Attribute[Any]", values: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise InvalidValueError(
                attribute.name, value, "each id once", message=f"{attribute.name} lists an id twice"
            )
        seen.add(value)


# --------------------------------------------------------------------------- periods

_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_YEAR = re.compile(r"(\d{4})")
_LABEL_FORMS: dict[str, tuple[re.Pattern[str], int, str]] = {
    # kind: (pattern, periods per year, example)
    "quarter": (_QUARTER, 4, "2027-Q1"),
    "month": (_MONTH, 12, "2027-01"),
    "year": (_YEAR, 1, "2027"),
}


def _label(kind: str, ordinal: int) -> str:
    """Label of the period `ordinal` periods after year 0's first period."""
    per_year = _LABEL_FORMS[kind][1]
    year, part = divmod(ordinal, per_year)
    if kind == "quarter":
        return f"{year:04d}-Q{part + 1}"
    if kind == "month":
        return f"{year:04d}-{part + 1:02d}"
    return f"{year:04d}"


def _ordinal(kind: str, label: str) -> int | None:
    pattern, per_year, _ = _LABEL_FORMS[kind]
    match = pattern.fullmatch(label)
    if match is None:
        return None
    year = int(match.group(1))
    part = int(match.group(2)) - 1 if kind != "year" else 0
    return year * per_year + part


# --------------------------------------------------------------------------- model


@attrs.frozen(kw_only=True)
class Scope:
    """The `[engagement]` table: who the client is, why IT matters, and the planning horizon.

    `start` is the first period's label in the form of `period` (``2027-Q1``, ``2027-01`` or
    ``2027``); `periods` is the horizon length.

    >>> Scope(client="Acme", start="2027-Q3", period="quarter", periods=3).labels
    ('2027-Q3', '2027-Q4', '2028-Q1')
    """

    client: str
    start: str = attrs.field()
    periods: int = attrs.field(validator=_positive_int)
    period: PeriodKind = "quarter"
    mission: str = ""
    vision: str = ""
    currency: str = "USD"

    @periods.validator
    def _check_horizon(self, attribute: "attrs.Attribute[int]", value: int) -> None:
        if value > MAX_PERIODS:
            raise InvalidValueError(
                attribute.name, value, f"at most {MAX_PERIODS} periods", message="horizon too long"
            )

    @start.validator
    def _check_start(self, attribute: "attrs.Attribute[str]", value: str) -> None:
        if self.period not in _LABEL_FORMS:
            return
        _, per_year, example = _LABEL_FORMS[self.period]
        first = _ordinal(self.period, value)
        if first is None:
            raise InvalidValueError(
                attribute.name,
                value,
                f"a {self.period} label like {example!r}",
                message="start label does not match the period kind",
            )
        if not isinstance(self.periods, int) or self.periods > MAX_PERIODS:
            return  # the periods validator says what is wrong
        last_year = (first + self.periods - 1) // per_year
        if first // per_year < 1 or last_year > 9999:
            raise InvalidValueError(
                attribute.name,
                value,
                "a horizon within the years 0001 to 9999 (labels have four-digit years)",
                message=f"the {self.periods}-period horizon from it ends in year {last_year}"
                if last_year > 9999
                else "year 0 is not a calendar year",
                suggestion="plan fewer periods" if last_year > 9999 else "start in a later year",
            )

    @cached_property
    def labels(self) -> tuple[str, ...]:
        """The label of every period in the horizon, in order."""
        first = _ordinal(self.period, self.start)
        if first is None:  # pragma: no cover - the start validator rules this out
            raise InvalidValueError("start", self.start, "a valid period label")
        return tuple(_label(self.period, first + offset) for offset in range(self.periods))

    def calendar_index(self, label: str) -> int:
        """A period label's place on the calendar (periods since year 0), also outside the horizon.

        >>> Scope(client="Acme", start="2027-Q3", periods=2).calendar_index("2028-Q1")
        8112
        """
        ordinal = _ordinal(self.period, label)
        if ordinal is None:
            raise InvalidValueError("period", label, f"a {self.period} label")
        return ordinal

    def index(self, ref: PeriodRef) -> int | None:
        """The 0-based index of a period given by index or label; None if outside the horizon."""
        if isinstance(ref, int):
            return ref if 0 <= ref < self.periods else None
        try:
            return self.labels.index(ref)
        except ValueError:
            return None


@attrs.frozen(kw_only=True)
class Objective:
    """A business objective, or an IT objective that `supports` business objectives."""

    id: str = attrs.field(validator=_identifier)
    name: str
    kind: Literal["business", "it"] = "business"
    weight: float | None = attrs.field(default=None, validator=_amount)
    supports: tuple[str, ...] = attrs.field(default=(), validator=[_identifiers, _distinct])
    description: str = ""
    metric: str = ""
    target: str = ""
    # The metric as numbers, for benefit tracking against progress files (optional).
    baseline_value: float | None = None
    target_value: float | None = None
    target_period: str | None = None


@attrs.frozen(kw_only=True)
class Pairwise:
    """Pairwise comparisons of objectives on Saaty's 1/9..9 scale, one row per objective.

    `matrix[i][j]` says how much more important `objectives[i]` is than `objectives[j]`;
    entries may be numbers or fractions written as strings (``"1/3"``).
    """

    objectives: tuple[str, ...] = attrs.field(validator=[_identifiers, _distinct])
    matrix: tuple[tuple[float | str, ...], ...]


@attrs.frozen(kw_only=True)
class Service:
    """An IT service or capability, with its current and target maturity (0-5)."""

    id: str = attrs.field(validator=_identifier)
    name: str
    kind: Literal["service", "capability"] = "service"
    description: str = ""
    owner: str = ""
    current: float | None = attrs.field(default=None, validator=_maturity)
    target: float | None = attrs.field(default=None, validator=_maturity)


@attrs.frozen(kw_only=True)
class Survey:
    """How the stakeholder survey was run: the answer scale and the answers a service needs."""

    scale_min: float = 1
    scale_max: float = attrs.field(default=10)
    min_responses: int = attrs.field(default=3, validator=_positive_int)

    @scale_max.validator
    def _check_scale(self, attribute: "attrs.Attribute[float]", value: float) -> None:
        if not (math.isfinite(self.scale_min) and math.isfinite(value)) or value <= self.scale_min:
            raise InvalidValueError(
                attribute.name,
                value,
                f"a finite number above scale_min ({self.scale_min})",
                message="empty survey scale",
            )


@attrs.frozen(kw_only=True)
class Response:
    """One stakeholder's survey answers: importance and satisfaction per service id.

    A service missing from a mapping was skipped; it counts as missing, never as zero.
    """

    stakeholder: str
    department: str = ""
    role: str = ""
    weight: float = attrs.field(default=1.0, validator=_amount)
    importance: dict[str, float] = attrs.field(factory=dict)
    satisfaction: dict[str, float] = attrs.field(factory=dict)
    comment: str = ""


@attrs.frozen(kw_only=True)
class Issue:
    """A key issue: a problem the business feels, linked to objectives and services."""

    id: str = attrs.field(validator=_identifier)
    name: str
    description: str = ""
    severity: float | None = attrs.field(default=None, validator=_amount)
    objectives: tuple[str, ...] = attrs.field(default=(), validator=[_identifiers, _distinct])
    services: tuple[str, ...] = attrs.field(default=(), validator=[_identifiers, _distinct])
    tags: tuple[str, ...] = ()
    fields: dict[str, float] = attrs.field(factory=dict, validator=_field_names)


@attrs.frozen(kw_only=True)
class Initiative:
    """A candidate initiative: what it costs, what it needs, what it fixes and serves.

    Selected to start at period ``s`` it runs in ``s .. s + duration - 1`` and finishes at
    ``s + duration`` (exclusive). `cost` and each skill's `effort` (total hours) are spread
    evenly over the running periods, or by `profile` (one share per running period, summing
    to 1); `cost_kind` says whether it is capital or operating spend. `run_cost` is spent
    every period after it finishes (operating spend; negative for a saving, such as a
    retired server). `benefit` is money earned every period after it finishes (one number,
    or one per period of the horizon), scaled in the first periods after go-live by
    `benefit_ramp` (fractions, e.g. ``[0.25, 0.5, 0.75]``; full benefit afterwards).
    """

    id: str = attrs.field(validator=_identifier)
    name: str
    description: str = ""
    duration: int = attrs.field(default=1, validator=_positive_int)
    cost: float = attrs.field(default=0.0, validator=_amount)
    cost_kind: CostKind = "capex"
    run_cost: float = attrs.field(default=0.0, validator=_signed_amount)
    benefit: PerPeriod = attrs.field(default=0.0, validator=_per_period_amount)
    benefit_ramp: tuple[float, ...] = attrs.field(default=(), validator=_fractions)
    effort: dict[str, float] = attrs.field(factory=dict, validator=_mapping_of(_amount))
    profile: tuple[float, ...] | None = attrs.field(default=None)
    addresses: dict[str, float] = attrs.field(factory=dict, validator=_mapping_of(_fraction))
    objectives: dict[str, float] = attrs.field(factory=dict, validator=_mapping_of(_fraction))
    requires: tuple[str, ...] = attrs.field(default=(), validator=[_identifiers, _distinct])
    excludes: tuple[str, ...] = attrs.field(default=(), validator=[_identifiers, _distinct])
    earliest: PeriodRef | None = attrs.field(default=None)
    deadline: PeriodRef | None = attrs.field(default=None)
    mandatory: bool = False
    forbidden: bool = attrs.field(default=False)
    value: float | None = attrs.field(default=None, validator=_amount)
    risk: float = attrs.field(default=0.0, validator=_fraction)
    tags: tuple[str, ...] = ()
    fields: dict[str, float] = attrs.field(factory=dict, validator=_field_names)

    @profile.validator
    def _check_profile(
        self, attribute: "attrs.Attribute[Any]", value: tuple[float, ...] | None
    ) -> None:
        if value is None:
            return
        for share in value:
            _fraction(self, attribute, share)
        if len(value) != self.duration:
            raise InvalidValueError(
                attribute.name,
                list(value),
                f"{self.duration} shares, one per running period",
                message="profile length differs from duration",
            )
        if not math.isclose(math.fsum(value), 1.0, abs_tol=1e-6):
            raise InvalidValueError(
                attribute.name,
                list(value),
                "shares that sum to 1",
                message="profile does not sum to 1",
            )

    @forbidden.validator
    def _check_gates(self, attribute: "attrs.Attribute[bool]", value: bool) -> None:
        if value and self.mandatory:
            raise InvalidValueError(
                attribute.name,
                value,
                "mandatory or forbidden, not both",
                message="initiative is both mandatory and forbidden",
            )

    @earliest.validator
    def _check_earliest(self, attribute: "attrs.Attribute[Any]", value: PeriodRef | None) -> None:
        if isinstance(value, int) and value < 0:
            raise InvalidValueError(attribute.name, value, "a period index >= 0 or a period label")

    @deadline.validator
    def _check_deadline(self, attribute: "attrs.Attribute[Any]", value: PeriodRef | None) -> None:
        self._check_earliest(attribute, value)

    def shares(self) -> tuple[float, ...]:
        """The share of cost and effort spent in each running period."""
        if self.profile is not None:
            return self.profile
        return (1.0 / self.duration,) * self.duration

    def benefit_in(self, period: int, finish: int) -> float:
        """The benefit earned in `period` when it went live at `finish` (0 before go-live)."""
        if period < finish:
            return 0.0
        amount = self.benefit[period] if isinstance(self.benefit, tuple) else self.benefit
        since = period - finish
        return amount * (self.benefit_ramp[since] if since < len(self.benefit_ramp) else 1.0)


@attrs.frozen(kw_only=True)
class Group:
    """A count rule on the selected members: at most, at least or exactly `count` of them."""

    id: str = attrs.field(validator=_identifier)
    kind: Literal["at_most", "at_least", "exactly"]
    count: int = attrs.field()
    members: tuple[str, ...] = attrs.field(validator=[_identifiers, _distinct])
    name: str = ""

    @count.validator
    def _check_count(self, attribute: "attrs.Attribute[int]", value: int) -> None:
        if value < 0:
            raise InvalidValueError(attribute.name, value, "a whole number >= 0")


@attrs.frozen(kw_only=True)
class Contractor:
    """Hours of a skill that can be bought: `rate` per hour, at most `max` hours per period."""

    rate: float = attrs.field(validator=_amount)
    max: PerPeriod = attrs.field(validator=_per_period_non_negative)


@attrs.frozen(kw_only=True)
class Pool:
    """Money that may pay only for initiatives with one of its `tags` (a grant, a fund).

    Up to `amount` over the horizon goes to the one-off and run costs of those initiatives,
    on top of the total `budget`: spend the pools pay does not count against it.
    """

    id: str = attrs.field(validator=_identifier)
    name: str = ""
    amount: float = attrs.field(validator=_amount)
    tags: tuple[str, ...] = attrs.field()

    @tags.validator
    def _check_tags(
        self, attribute: "attrs.Attribute[tuple[str, ...]]", value: tuple[str, ...]
    ) -> None:
        if not value:
            raise InvalidValueError(
                attribute.name,
                [],
                "the tags of the initiatives it may pay for",
                message="a pool that may pay for nothing",
                suggestion='add tags = ["compliance"] (or the tags your initiatives carry)',
            )


@attrs.frozen(kw_only=True)
class Capacity:
    """Money and people: budgets, skill hours per period, contractors.

    A missing budget is unlimited; a skill's hours may be one number for every period or a
    list with one number per period. Beside the total and per-period budgets: a budget per
    fiscal year (fiscal years begin in month `fiscal_year_start`, 1 = January, and are named
    by the calendar year they end in, ``FY2028``), and capital (`capex_*`) and operating
    (`opex_*`) budgets per period or per year. Per-year values are one number for every
    fiscal year or one per fiscal year the horizon touches; a year the horizon cuts short
    has the whole cap for the periods inside it. `pools` add money restricted to initiatives
    with given tags (see `Pool`).
    """

    budget: float | None = attrs.field(default=None, validator=_non_negative)
    budget_per_period: PerPeriod | None = attrs.field(
        default=None, validator=_per_period_non_negative
    )
    budget_per_year: PerYear | None = attrs.field(default=None, validator=_per_period_non_negative)
    fiscal_year_start: int = attrs.field(default=1)
    capex_per_period: PerPeriod | None = attrs.field(
        default=None, validator=_per_period_non_negative
    )
    opex_per_period: PerPeriod | None = attrs.field(
        default=None, validator=_per_period_non_negative
    )
    capex_per_year: PerYear | None = attrs.field(default=None, validator=_per_period_non_negative)
    opex_per_year: PerYear | None = attrs.field(default=None, validator=_per_period_non_negative)
    pools: tuple[Pool, ...] = ()
    skills: dict[str, PerPeriod] = attrs.field(
        factory=dict, validator=_mapping_of(_per_period_non_negative)
    )
    contractors: dict[str, Contractor] = attrs.field(
        factory=dict, validator=_mapping_of(lambda *_: None)
    )

    @fiscal_year_start.validator
    def _check_fiscal_year_start(self, attribute: "attrs.Attribute[int]", value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
            raise InvalidValueError(
                attribute.name,
                value,
                "a month from 1 (January) to 12",
                message="fiscal year start is not a month",
            )


@attrs.frozen(kw_only=True)
class PlanSettings:
    """The `[plan]` table: what to optimize and how to solve it."""

    objective: PlanObjective = "value"
    timing: Timing = "once"
    discount_rate: float = attrs.field(default=0.0, validator=_fraction)
    coverage: float | None = attrs.field(
        default=None, validator=attrs.validators.optional(_fraction)
    )
    rules: tuple[str, ...] = ()
    params: dict[str, float] = attrs.field(factory=dict)
    solver: SolverName = "auto"
    time_limit: float = attrs.field(default=60.0)
    gap: float = attrs.field(default=0.0, validator=_fraction)
    threads: int | None = attrs.field(default=None, validator=_threads)

    @time_limit.validator
    def _check_time_limit(self, attribute: "attrs.Attribute[float]", value: float) -> None:
        _finite(attribute, value)
        if value <= 0:
            raise InvalidValueError(
                attribute.name, value, "a number of seconds > 0", message="no time to solve"
            )


def _index(items: tuple[Any, ...]) -> dict[str, Any]:
    return {item.id: item for item in items}


@attrs.frozen(kw_only=True)
class Engagement:
    """A whole IT strategy engagement: scope, objectives, current state, issues and options.

    The file keys are singular (``[[initiative]]``); the attributes are plural. `source` is
    the file it was read from (set by `itstrat_engine.load`, None otherwise): never read
    from or written to files, not compared, kept by `attrs.evolve`. Pack paths in
    ``[plan] rules`` resolve relative to its folder.
    """

    scope: Scope
    objectives: tuple[Objective, ...] = ()
    pairwise: Pairwise | None = None
    services: tuple[Service, ...] = ()
    survey: Survey = Survey()
    responses: tuple[Response, ...] = ()
    issues: tuple[Issue, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    groups: tuple[Group, ...] = ()
    capacity: Capacity = Capacity()
    plan: PlanSettings = PlanSettings()
    source: str | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def periods(self) -> int:
        """Number of periods in the horizon."""
        return self.scope.periods

    @cached_property
    def objective_by_id(self) -> dict[str, Objective]:
        """Objectives keyed by id (the first of duplicates; `graph.validate` reports those)."""
        return _index(self.objectives[::-1])

    @cached_property
    def service_by_id(self) -> dict[str, Service]:
        """Services keyed by id."""
        return _index(self.services[::-1])

    @cached_property
    def issue_by_id(self) -> dict[str, Issue]:
        """Issues keyed by id."""
        return _index(self.issues[::-1])

    @cached_property
    def initiative_by_id(self) -> dict[str, Initiative]:
        """Initiatives keyed by id."""
        return _index(self.initiatives[::-1])

    @property
    def fiscal_years(self) -> tuple[str, ...]:
        """The fiscal year of every period (``FY2028``: the calendar year it ends in).

        A period belongs to the fiscal year of its first month; `graph.validate` refuses a
        fiscal year start that would split a period.
        """
        scope = self.scope
        start = self.capacity.fiscal_year_start
        per_year = _LABEL_FORMS[scope.period][1]
        first = _ordinal(scope.period, scope.start) or 0
        found = []
        for offset in range(self.periods):
            year, part = divmod(first + offset, per_year)
            month = part * (12 // per_year) + 1
            found.append(f"FY{year + (1 if start != 1 and month >= start else 0)}")
        return tuple(found)

    def per_year(self, value: PerYear | None) -> dict[str, float]:
        """A scalar-or-list per-year value by fiscal year, in order (empty when None)."""
        if value is None:
            return {}
        years = list(dict.fromkeys(self.fiscal_years))
        values = value if isinstance(value, tuple) else (float(value),) * len(years)
        return dict(zip(years, values, strict=False))

    def per_period(self, value: PerPeriod | None, default: float = math.inf) -> tuple[float, ...]:
        """Expand a scalar-or-list value to one number per period (`default` when None).

        A list must already have exactly `periods` entries (`graph.validate` checks files).
        """
        if value is None:
            return (default,) * self.periods
        if isinstance(value, tuple):
            return value
        return (float(value),) * self.periods
