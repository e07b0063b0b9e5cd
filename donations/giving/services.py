"""Taking a gift: our record first, then a Stripe Checkout Session for it."""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction

from donations.ledger.money import CURRENCIES, AmountError
from donations.models import Designation, Donation
from donations.stripe.client import client
from solidarity.text import clean_name

# What a donor's bank statement and Stripe's dashboard may say: nothing about whom
# the gift is for (a statement can expose the donor).
PRODUCT_NAME: dict[str, str] = {
    Donation.Frequency.ONE_OFF: "Donation",
    Donation.Frequency.MONTHLY: "Monthly donation",
}


def fee_cover(*, amount: int, currency: str) -> int:
    """What to add so that, after a typical card fee, the fund gets `amount`."""
    rule = CURRENCIES[currency]
    share = Decimal(str(settings.DONATION_FEE_SHARE))
    gross = (Decimal(amount) + rule.fixed_fee) / (1 - share)
    return int(gross.quantize(Decimal(1), ROUND_HALF_UP)) - amount


def donation_create(
    *,
    frequency: str,
    currency: str,
    amount: int,
    designation: str,
    subject_key: uuid.UUID | None,
    cover_fees: bool,
    show_name: bool,
    public_name: str,
    language: str,
) -> Donation:
    """Record a gift the donor is about to pay. Amount limits are checked here too,
    so nothing outside them ever reaches Stripe."""
    rule = CURRENCIES.get(currency)
    if rule is None:
        raise AmountError("unsupported currency")
    total = amount + (fee_cover(amount=amount, currency=currency) if cover_fees else 0)
    if not (rule.minimum <= amount and total <= rule.maximum):
        raise AmountError("amount outside the limits")
    if designation == Designation.GENERAL:
        subject_key = None
    elif subject_key is None:
        raise ValueError("a designated gift needs its case or campaign")
    donation = Donation(
        frequency=frequency,
        currency=currency,
        amount=total,
        cover_fees=cover_fees,
        designation=designation,
        subject_key=subject_key,
        show_name=show_name and bool(clean_name(public_name)),
        public_name=clean_name(public_name) if show_name else "",
        language=language,
    )
    donation.full_clean()
    donation.save()
    return donation


def checkout_session_create(
    *, donation: Donation, success_url: str, cancel_url: str
) -> str:
    """Create (once) the Stripe Checkout Session that collects this gift, and return
    its URL. The idempotency key comes from our record, so a double click or a
    retried request makes one session."""
    if donation.checkout_url:
        return donation.checkout_url
    monthly = donation.frequency == Donation.Frequency.MONTHLY
    metadata = {"donation": str(donation.public_id)}
    price_data: dict = {
        "currency": donation.currency.lower(),
        "unit_amount": donation.amount,
        "product_data": {"name": PRODUCT_NAME[donation.frequency]},
    }
    if monthly:
        price_data["recurring"] = {"interval": "month"}
    params: dict = {
        "mode": "subscription" if monthly else "payment",
        "line_items": [{"price_data": price_data, "quantity": 1}],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": str(donation.public_id),
        "metadata": metadata,
        "locale": "auto",
    }
    if monthly:
        params["subscription_data"] = {"metadata": metadata}
    else:
        params["submit_type"] = "donate"
        params["payment_intent_data"] = {"metadata": metadata}
    session = client().v1.checkout.sessions.create(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": f"checkout-{donation.public_id}"},
    )
    with transaction.atomic():
        Donation.objects.filter(pk=donation.pk, paid_at=None).update(
            checkout_session_id=session["id"],
            checkout_url=session["url"],
            status=Donation.Status.CHECKOUT,
        )
    donation.checkout_session_id = session["id"]
    donation.checkout_url = session["url"]
    return session["url"]
