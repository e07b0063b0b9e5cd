"""Currencies the network accepts, their limits and suggested amounts, and turning
amounts between text and integer minor units. Money is never a float here."""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

BASE_CURRENCY = "EUR"


@dataclass(frozen=True)
class CurrencyRule:
    code: str
    symbol: str
    minimum: int  # minor units
    maximum: int
    suggested_one_off: tuple[int, ...]
    suggested_monthly: tuple[int, ...]
    exponent: int = 2
    # A typical card fee's fixed part in this currency (minor units), for the
    # "cover the fees" estimate.
    fixed_fee: int = 25

    def to_minor(self, amount: Decimal) -> int:
        scaled = (amount * (10**self.exponent)).quantize(Decimal(1), ROUND_HALF_UP)
        return int(scaled)

    def format(self, minor: int) -> str:
        value = Decimal(minor) / (10**self.exponent)
        text = f"{value:,.{self.exponent}f}".replace(",", "\u202f")
        if text.endswith(".00"):
            text = text[:-3]
        return (
            f"{self.symbol}{text}" if self.symbol in "€$£" else f"{text} {self.symbol}"
        )


_EUROPEAN = {"minimum": 500, "maximum": 2_000_000}

CURRENCIES: dict[str, CurrencyRule] = {
    rule.code: rule
    for rule in (
        CurrencyRule(
            "EUR", "€", **_EUROPEAN,
            suggested_one_off=(1500, 3000, 5000, 10000),
            suggested_monthly=(500, 1000, 2500, 5000),
        ),
        CurrencyRule(
            "USD", "$", **_EUROPEAN,
            suggested_one_off=(1500, 3000, 5000, 10000),
            suggested_monthly=(500, 1000, 2500, 5000),
        ),
        CurrencyRule(
            "GBP", "£", **_EUROPEAN,
            suggested_one_off=(1500, 2500, 5000, 10000),
            suggested_monthly=(500, 1000, 2000, 5000),
        ),
        CurrencyRule(
            "PLN", "zł", minimum=2000, maximum=8_000_000, fixed_fee=100,
            suggested_one_off=(6000, 12000, 20000, 40000),
            suggested_monthly=(2000, 4000, 10000, 20000),
        ),
        CurrencyRule(
            "UAH", "₴", minimum=20000, maximum=80_000_000, fixed_fee=1000,
            suggested_one_off=(50000, 100000, 200000, 500000),
            suggested_monthly=(20000, 50000, 100000, 200000),
        ),
        CurrencyRule(
            "CHF", "CHF", **_EUROPEAN,
            suggested_one_off=(1500, 3000, 5000, 10000),
            suggested_monthly=(500, 1000, 2500, 5000),
        ),
    )
}  # fmt: skip


class AmountError(ValueError):
    """An amount that cannot be taken, with a message fit for the donor."""


# "25", "25.50", "25,50": ASCII digits, one optional decimal mark and its digits.
PLAIN_AMOUNT = re.compile(r"(?P<whole>[0-9]+)(?:[.,](?P<fraction>[0-9]+))?", re.ASCII)


def parse_amount(text: str, currency: str) -> int:
    """ "25", "25.50" or "25,50" in `currency` → minor units, within its limits."""
    from django.utils.translation import gettext as _

    rule = CURRENCIES.get(currency)
    if rule is None:
        raise AmountError(_("This currency is not accepted."))
    cleaned = (text or "").strip()
    if not cleaned:
        raise AmountError(_("Please enter an amount, for example 25."))
    # Plain digits only: Decimal would also take "5e2" (€500), "+25", "1_000" and
    # other scripts' digits, none of which a donor means as written.
    match = PLAIN_AMOUNT.fullmatch(cleaned)
    if match is None:
        raise AmountError(
            _("Please enter a plain amount in digits, for example 25 or 25.50.")
        )
    if len(match.group("fraction") or "") > rule.exponent:
        raise AmountError(_("Please use at most two decimal places."))
    try:
        amount = Decimal(cleaned.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern rules it out
        raise AmountError(_("Please enter an amount, for example 25.")) from error
    if amount <= 0:
        raise AmountError(_("Please enter an amount, for example 25."))
    minor = rule.to_minor(amount)
    if minor < rule.minimum or minor > rule.maximum:
        raise AmountError(
            _("Please give between %(low)s and %(high)s.")
            % {"low": rule.format(rule.minimum), "high": rule.format(rule.maximum)}
        )
    return minor


def format_money(minor: int, currency: str = BASE_CURRENCY) -> str:
    rule = CURRENCIES.get(currency.upper())
    if rule is None:
        return f"{Decimal(minor) / 100:.2f} {currency.upper()}"
    return rule.format(minor)
