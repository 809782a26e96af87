"""`itstrat_engine.formatting`: the one place numbers become text for people."""

import pytest

from itstrat_engine import formatting


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (84350.0, "USD", "84,350 USD"),
        (84350.0, "", "84,350"),
        (1234567.5, "EUR", "1,234,568 EUR"),
        (0.4, "USD", "0 USD"),
        (-1500.6, "", "-1,501"),
        (15.0, "USD", "15 USD"),
    ],
)
def test_money_is_whole_with_thousands_and_currency(
    amount: float, currency: str, expected: str
) -> None:
    """Money is a whole amount, thousands separated, the currency after it when given."""
    assert formatting.money(amount, currency) == expected


def test_money_without_currency_is_the_table_cell() -> None:
    """money() with no currency is what a money table cell shows."""
    assert formatting.money(642100.0) == "642,100"


def test_hours() -> None:
    """Hours are whole, thousands separated, with a unit unless it is empty."""
    assert formatting.hours(1250.4) == "1,250 h"
    assert formatting.hours(40.0, unit="") == "40"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (95.0, "95"),
        (11.333333, "11.33"),
        (0.5, "0.5"),
        (9999.4, "9999"),
        (10_000.0, "10,000"),
        (123456.7, "123,457"),
        (-12345.0, "-12,345"),
    ],
)
def test_score_has_four_significant_digits(value: float, expected: str) -> None:
    """Scores: 4 significant digits, thousands separated from 10,000 on."""
    assert formatting.score(value) == expected


def test_percent_decimal_compact_significant() -> None:
    """Shares, fixed decimals (``-`` for none), compact forms and significant digits."""
    assert [formatting.percent(0.992), formatting.percent(0.0123, 2)] == ["99%", "1.23%"]
    assert [formatting.decimal(4.56), formatting.decimal(0.755, 2), formatting.decimal(None)] == [
        "4.6",
        "0.76",
        "-",
    ]
    assert [formatting.compact(3.0), formatting.compact(2.5)] == ["3", "2.5"]
    assert formatting.significant(6010.0) == "6,010"
    assert formatting.significant(2943000.0) == "2.943e+06"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], "nothing"),
        (["crm"], "crm"),
        (["crm", "wifi"], "crm and wifi"),
        (("a", "b", "c"), "a, b and c"),
    ],
)
def test_names_are_an_english_list(items: list[str], expected: str) -> None:
    """names() joins with commas and a final 'and'; nothing when empty."""
    assert formatting.names(items) == expected


def test_shortened_marks_a_cut() -> None:
    """A text too long is cut to the width, its last character '~'."""
    assert formatting.shortened("Online booking and automated reminders", 36) == (
        "Online booking and automated remind~"
    )
    assert formatting.shortened("CRM", 3) == "CRM"


def test_formatting_imports_nothing_from_the_library() -> None:
    """formatting sits below every layer: it imports no other itstrat_engine module."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(formatting))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {name for name in imported if name.startswith("itstrat_engine")}
