"""Amounts donors type: only plain decimal amounts are taken ("25", "25.50",
"25,50"); anything Python's Decimal would also read (exponents, signs, spaces or
underscores inside the digits, other scripts' digits) gets a clear message."""

import pytest

from donations.ledger.money import AmountError, parse_amount


@pytest.mark.parametrize(
    ("text", "minor"),
    [("25", 2500), ("25.50", 2550), ("25,50", 2550), (" 25 ", 2500), ("7.5", 750)],
)
def test_a_plain_amount_is_read_in_minor_units(text, minor):
    assert parse_amount(text, "EUR") == minor


@pytest.mark.parametrize(
    "text",
    [
        "5e2",
        "5E2",
        "+25",
        "-25",
        "2 500",
        "2\u202f500",
        "1_000",
        "٢٥",
        "२५",
        "25.",
        ".5",
        "0x19",
        "25.5.0",
        "Infinity",
        "NaN",
        "25€",
    ],
)
def test_anything_else_is_refused_with_a_clear_message(text):
    with pytest.raises(AmountError) as refused:
        parse_amount(text, "EUR")
    assert "plain amount in digits" in str(refused.value)


def test_more_decimals_than_the_currency_has_are_refused():
    with pytest.raises(AmountError, match="at most two decimal places"):
        parse_amount("25.505", "EUR")


def test_an_empty_or_zero_amount_asks_for_an_amount():
    for text in ("", "   ", "0", "0,00"):
        with pytest.raises(AmountError, match="Please enter an amount"):
            parse_amount(text, "EUR")
