"""Integer rows from real ones, exactly when possible and never optimistically.

CP-SAT works on integers; the engagement's money and hours are decimals (``12345.67``)
divided by durations (a third of a cost per period). Each float is read back as the short
fraction it stands for (`rational`: ``33333.333333333336`` is ``100000/3``), and a row is
multiplied by the least common multiple of its denominators (`scale_row`): the integer row
then allows exactly the schedules the real one allows. When that multiple would overflow
64-bit arithmetic the row is rounded *conservatively* instead (consumption up, limits
down for ``<=`` rows, the reverse for ``>=``) at a scale near 2**59, so every integer
solution still keeps the real row; the row carries its worst relative rounding error. A
plan the rounding excludes would have to lie within that error (about 1e-15 of the row's
size) of a limit, far inside the 1e-7 feasibility tolerance the MILP solvers work with, so
the model's bound is trusted like theirs while that error stays below `TOLERANCE`.

An objective is scaled by `scale_objective`: exact when its coefficients allow it,
otherwise by a power of two with the worst rounding error over the variables' ranges
carried along, so a bound can be widened by it and stay valid.
"""

import math
from collections.abc import Sequence
from fractions import Fraction

import attrs

__all__ = [
    "TOLERANCE",
    "IntegerObjective",
    "IntegerRow",
    "rational",
    "scale_objective",
    "scale_row",
]

TOLERANCE = 1e-9
"""Largest relative rounding error of a row for the integer model's bound to be trusted."""

_MAX_DENOMINATOR = 10**4
_SAFE = 2**60  # sums of scaled terms stay below this (int64 holds 2**63 - 1)


def rational(value: float) -> Fraction:
    """The fraction a float stands for, the shorter of two readings.

    Its shortest decimal, or a fraction of small denominator within a few ulps (a decimal
    divided by a duration).

    >>> rational(100000 / 3), rational(0.1), rational(12345.67), rational(535911.065798521)
    (Fraction(100000, 3), Fraction(1, 10), Fraction(1234567, 100), Fraction(535911065798521, 1000000000))
    """
    decimal = Fraction(repr(float(value)))
    short = Fraction(value).limit_denominator(_MAX_DENOMINATOR)
    if short.denominator < decimal.denominator and abs(float(short) - value) <= 4 * math.ulp(value):
        return short
    return decimal


@attrs.frozen
class IntegerRow:
    """``sum(coefficients[j] * v[j]) <sense> rhs`` in integers.

    `error` is the worst rounding error relative to the row's size (0 when exact).
    """

    coefficients: tuple[int, ...]
    rhs: int
    error: float = 0.0

    @property
    def exact(self) -> bool:
        """True when the integer row allows exactly the points the real one does."""
        return self.error == 0.0


def _lcm_of_denominators(values: Sequence[Fraction]) -> int:
    return math.lcm(*(v.denominator for v in values)) if values else 1


def scale_row(
    coefficients: Sequence[Fraction], rhs: Fraction, bounds: Sequence[int], *, upper: bool
) -> IntegerRow:
    """Integer coefficients and right-hand side for one row.

    `bounds` are the largest absolute values the (integer) variables take; `upper` is True
    for a ``<=`` row (``==`` rows must be exact; callers only pass rows of whole numbers).

    >>> scale_row([Fraction(1, 3), Fraction(1, 2)], Fraction(1), [1, 1], upper=True)
    IntegerRow(coefficients=(2, 3), rhs=6, error=0.0)
    """
    magnitude = sum(abs(c) * b for c, b in zip(coefficients, bounds, strict=True)) + abs(rhs)
    common = _lcm_of_denominators([*coefficients, rhs])
    if magnitude * common < _SAFE:
        return IntegerRow(tuple(int(c * common) for c in coefficients), int(rhs * common))
    # A power of two that keeps the sums in range; round against the solver.
    factor = Fraction(2) ** math.floor(math.log2(_SAFE / (2 * magnitude)))
    up, down = (math.ceil, math.floor) if upper else (math.floor, math.ceil)
    integers = tuple(up(c * factor) for c in coefficients)
    rhs_integer = down(rhs * factor)
    lost = sum(
        (abs(n - c * factor) * b for n, c, b in zip(integers, coefficients, bounds, strict=True)),
        abs(rhs_integer - rhs * factor),
    )
    return IntegerRow(integers, rhs_integer, float(lost / (magnitude * factor)))


@attrs.frozen
class IntegerObjective:
    """An objective in integers: the real one is ``integer / scale``, within ``error / scale``.

    `error` bounds ``|scale * real - integer|`` over every point inside the variables'
    bounds; it is 0 when the scaling is exact.
    """

    coefficients: tuple[int, ...]
    scale: Fraction
    error: Fraction


def scale_objective(coefficients: Sequence[Fraction], bounds: Sequence[int]) -> IntegerObjective:
    """Integer coefficients for an objective over integer variables in ``0..bounds[j]``.

    >>> scale_objective([Fraction(1, 2), Fraction(2)], [1, 1])
    IntegerObjective(coefficients=(1, 4), scale=Fraction(2, 1), error=Fraction(0, 1))
    """
    values = list(coefficients)
    magnitude = sum(abs(v) * b for v, b in zip(values, bounds, strict=True))
    factor = Fraction(_lcm_of_denominators(values))
    if magnitude * factor >= _SAFE:
        factor = Fraction(2) ** math.floor(math.log2(_SAFE / (2 * max(magnitude, 1))))
    integers = tuple(round(v * factor) for v in values)
    error = sum(
        (abs(v * factor - n) * b for v, n, b in zip(values, integers, bounds, strict=True)),
        Fraction(0),
    )
    return IntegerObjective(integers, factor, error)
