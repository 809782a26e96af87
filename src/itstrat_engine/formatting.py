"""The one place numbers become text for people: money, hours, scores, shares, lists.

Every message, table and report formats its numbers here, so an amount reads the same in a
diagnosis, in the terminal and in a client's report. Pure functions of their arguments; no
locale, no global state.

>>> money(1234567.4, "USD"), hours(40), score(11.3333), percent(0.985), names(["a", "b", "c"])
('1,234,567 USD', '40 h', '11.33', '98%', 'a, b and c')
"""

import re
from collections.abc import Sequence

__all__ = [
    "compact",
    "decimal",
    "hours",
    "money",
    "money_short",
    "names",
    "percent",
    "plural",
    "score",
    "shortened",
    "significant",
    "visible",
]


def money(amount: float, currency: str = "") -> str:
    """A whole amount with thousands separated, then the currency when given.

    >>> money(84350, "USD"), money(-1500.6), money(0)
    ('84,350 USD', '-1,501', '0')
    """
    return f"{amount:,.0f} {currency}".strip()


def money_short(amount: float, currency: str = "") -> str:
    """An amount for a headline: millions as ``1.2 M``, tens of thousands as ``84 k``.

    >>> money_short(1_234_567, "USD"), money_short(-84_350), money_short(950.4, "EUR")
    ('1.2 M USD', '-84 k', '950 EUR')
    """
    size = abs(amount)
    if size >= 999_950:
        text = f"{amount / 1e6:,.1f} M"
    elif size >= 10_000:
        text = f"{amount / 1e3:,.0f} k"
    else:
        text = f"{amount:,.0f}"
    return f"{text} {currency}".strip()


def hours(amount: float, unit: str = "h") -> str:
    """Whole hours with thousands separated, then the unit (pass ``unit=""`` for none).

    >>> hours(1250), hours(40.4, unit="")
    ('1,250 h', '40')
    """
    return f"{amount:,.0f} {unit}".strip()


def score(value: float) -> str:
    """A score for people: 4 significant digits, thousands separated from 10,000 on.

    >>> score(11.3333), score(95.0), score(12345.6), score(0.000125)
    ('11.33', '95', '12,346', '0.000125')
    """
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def significant(value: float, digits: int = 6) -> str:
    """`digits` significant digits, thousands separated: an objective value.

    >>> significant(6010.0), significant(0.123456789)
    ('6,010', '0.123457')
    """
    return f"{value:,.{digits}g}"


def percent(share: float, digits: int = 0) -> str:
    """A share (0.5 is half) as a percentage with `digits` decimals.

    >>> percent(0.985), percent(0.0123, 2)
    ('98%', '1.23%')
    """
    return f"{share:.{digits}%}"


def decimal(value: float | None, digits: int = 1) -> str:
    """A number with exactly `digits` decimals; ``-`` when there is none.

    >>> decimal(4.56), decimal(0.7512, 2), decimal(None)
    ('4.6', '0.75', '-')
    """
    return "-" if value is None else f"{value:.{digits}f}"


def compact(value: float) -> str:
    """The shortest plain form of a number: no trailing zeros.

    >>> compact(3.0), compact(2.5), compact(0.1)
    ('3', '2.5', '0.1')
    """
    return f"{value:g}"


def plural(count: int, noun: str) -> str:
    """A count and its noun, with an ``s`` unless the count is one.

    >>> plural(1, "rule"), plural(0, "error"), plural(3, "initiative")
    ('1 rule', '0 errors', '3 initiatives')
    """
    return f"{count} {noun}{'s' if count != 1 else ''}"


def names(items: Sequence[str]) -> str:
    """Items as an English list: ``a, b and c``; ``nothing`` when there are none.

    >>> names([]), names(["crm"]), names(["crm", "erp", "wifi"])
    ('nothing', 'crm', 'crm, erp and wifi')
    """
    if not items:
        return "nothing"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def shortened(text: str, width: int) -> str:
    """`text` cut to `width` characters, the last one ``~`` when anything was cut.

    >>> shortened("Online booking and reminders", 16), shortened("CRM", 16)
    ('Online booking ~', 'CRM')
    """
    return text if len(text) <= width else text[: width - 1] + "~"


# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    r"""Text safe to show in a terminal: control characters escaped, never interpreted.

    A name with an ANSI escape, a NUL or a carriage return cannot recolour, hide or
    overwrite what is around it.

    >>> visible("CRM\x1b[31m rollout\r")
    'CRM\\x1b[31m rollout\\r'
    """
    return _INVISIBLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
