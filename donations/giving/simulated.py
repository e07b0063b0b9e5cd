"""A simulated checkout for development and demonstrations: with DEBUG on and no
Stripe keys, a gift can be walked from the form to the thank-you page and the
receipt without any money moving.

It pays through the same ledger path a real payment uses (one balance transaction,
posted once), so funds, campaign progress and receipts behave as they will with
Stripe. It refuses to run with DEBUG off, and only ever touches gifts it started
itself (their session ids begin with "sim_").
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from donations.ledger.money import BASE_CURRENCY, CURRENCIES
from donations.models import Donation
from donations.stripe.client import is_configured
from donations.stripe.sync import post_balance_transaction

PREFIX = "sim_"

# Rough rates to the base currency: plausible numbers for a demonstration only.
RATES_TO_BASE = {
    "EUR": Decimal("1"),
    "USD": Decimal("0.92"),
    "GBP": Decimal("1.17"),
    "PLN": Decimal("0.23"),
    "UAH": Decimal("0.022"),
    "CHF": Decimal("1.05"),
}


class SimulationUnavailable(RuntimeError):
    """DEBUG is off, or the gift is a real one."""


def available() -> bool:
    """Simulate only where nothing real could happen instead: DEBUG on, no keys."""
    return bool(settings.DEBUG) and not is_configured()


def is_simulated(donation: Donation) -> bool:
    return (donation.checkout_session_id or "").startswith(PREFIX)


def session_create(*, donation: Donation, checkout_url: str) -> str:
    """Stand in for `checkout_session_create`: mark the gift as at checkout."""
    if not settings.DEBUG:
        raise SimulationUnavailable("the simulated checkout needs DEBUG")
    Donation.objects.filter(pk=donation.pk, checkout_session_id=None).update(
        checkout_session_id=f"{PREFIX}cs_{donation.public_id.hex}",
        checkout_url=checkout_url,
        status=Donation.Status.CHECKOUT,
    )
    return checkout_url


def settlement(*, amount: int, currency: str) -> tuple[int, int]:
    """(settled, fee) in minor units of the base currency, as Stripe might report."""
    rule = CURRENCIES[currency]
    major = Decimal(amount) / (10**rule.exponent)
    settled = int(
        (major * RATES_TO_BASE[currency] * 100).quantize(Decimal(1), ROUND_HALF_UP)
    )
    # Stripe settles in euros: its fee is the share plus the euro fixed part.
    fee = int(
        (Decimal(settled) * Decimal(str(settings.DONATION_FEE_SHARE))).quantize(
            Decimal(1), ROUND_HALF_UP
        )
        + CURRENCIES["EUR"].fixed_fee
    )
    return settled, min(fee, settled)


def payment_simulate(*, donation: Donation, email: str = "") -> Donation:
    """Mark a simulated gift paid as Stripe's webhook would: post the (fake) balance
    transaction to the ledger, record the settlement, send the receipt. Paying
    twice changes nothing."""
    from donations.donors.receipts import receipt_send

    if not settings.DEBUG:
        raise SimulationUnavailable("the simulated checkout needs DEBUG")
    with transaction.atomic():
        locked = Donation.objects.select_for_update().get(pk=donation.pk)
        if not is_simulated(locked):
            raise SimulationUnavailable("not a simulated gift")
        if locked.paid_at is not None:
            return locked
        settled, fee = settlement(amount=locked.amount, currency=locked.currency)
        now = timezone.now().replace(microsecond=0)
        bt = {
            "id": f"{PREFIX}txn_{locked.public_id.hex}",
            "object": "balance_transaction",
            "type": "charge",
            "reporting_category": "charge",
            "amount": settled,
            "fee": fee,
            "net": settled - fee,
            "currency": BASE_CURRENCY.lower(),
            "created": int(now.timestamp()),
            "source": f"{PREFIX}ch_{locked.public_id.hex}",
        }
        post_balance_transaction(bt=bt, donation=locked)
        locked.charge_id = bt["source"]
        locked.settled_amount = settled
        locked.fee_amount = fee
        locked.paid_at = datetime.datetime.fromtimestamp(bt["created"], tz=datetime.UTC)
        locked.status = Donation.Status.PAID
        if email and not locked.email:
            locked.email = email
        locked.save()
        if locked.email:
            receipt_send(donation=locked)
    return locked
