"""Numbers and lists as text for people: the one copy every view and message uses."""

from collections.abc import Sequence

__all__ = ["money", "names"]


def money(amount: float, currency: str = "") -> str:
    """An amount of money, whole units with thousands separated.

    >>> money(41200.4, "USD")
    '41,200 USD'
    """
    return f"{amount:,.0f} {currency}".strip()


def names(items: Sequence[str]) -> str:
    """Items joined for a sentence: ``a, b and c``; ``nothing`` when there are none.

    >>> names(["erp", "m365", "crm"])
    'erp, m365 and crm'
    """
    if not items:
        return "nothing"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" and {items[-1]}"
