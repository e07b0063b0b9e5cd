"""Gifts posted to the ledger as Stripe's balance transactions would post them,
without a Stripe world: for tests about what happens to money after it arrived."""

import datetime
import itertools
import uuid

from django.utils import timezone

from donations.models import Designation, Donation
from donations.stripe.sync import post_balance_transaction

_numbers = itertools.count(1)


def give(
    *,
    amount: int,
    designation: str = Designation.GENERAL,
    subject_key: uuid.UUID | None = None,
    fee: int = 0,
    frequency: str = Donation.Frequency.ONE_OFF,
    when: datetime.datetime | None = None,
) -> Donation:
    """A paid gift of `amount` euro cents (Stripe keeping `fee`) to a fund."""
    when = when or timezone.now()
    donation = Donation.objects.create(
        frequency=frequency,
        currency="EUR",
        amount=amount,
        designation=designation,
        subject_key=subject_key,
        status=Donation.Status.PAID,
        settled_amount=amount,
        fee_amount=fee,
        paid_at=when,
    )
    post(donation, amount=amount, fee=fee, when=when, kind="charge")
    return donation


def refund(donation: Donation, *, amount: int, when=None) -> None:
    post(donation, amount=-amount, fee=0, when=when or timezone.now(), kind="refund")


def post(donation: Donation, *, amount: int, fee: int, when, kind: str) -> None:
    post_balance_transaction(
        bt={
            "id": f"txn_test_{next(_numbers)}",
            "amount": amount,
            "fee": fee,
            "net": amount - fee,
            "currency": "eur",
            "type": kind,
            "reporting_category": kind,
            "created": int(when.timestamp()),
        },
        donation=donation,
    )
