"""A monthly donor's whole story against a fake that refuses what Stripe refuses:
the first payment, renewals, a failed month and its recovery, a refund of an
invoiced charge, a change of amount and a cancellation from the manage link. Each
step reaches the ledger once and the receipts, and nothing is left in `received`."""

import re

import pytest
from django.core import mail

from donations.ledger import services as ledger
from donations.models import Donation, StripeEvent, Subscription
from tests.fake_stripe import (  # noqa: F401
    balances,
    fake_stripe_fixture,
    fee_code,
    manage_links_fixture,
    receive,
    start_donation,
    stripe_settings_fixture,
    unbalanced_transactions,
)

pytestmark = pytest.mark.django_db

DONOR = "monthly.donor@example.org"
FUND = "fund:general"


@pytest.fixture
def deliver(fake_stripe, manage_links, django_capture_on_commit_callbacks):
    def deliver(type, obj):
        with django_capture_on_commit_callbacks(execute=True):
            return receive(fake_stripe, type, obj)

    return deliver


def receipts_to(email):
    return [m for m in mail.outbox if m.to == [email]]


def manage_link(email) -> str:
    body = receipts_to(email)[-1].body
    return re.search(r"http://testserver(/en/donate/manage/[^/\s]+/)", body).group(1)


def test_a_monthly_donors_whole_story_reaches_the_ledger_and_the_receipts(
    client, fake_stripe, deliver, django_capture_on_commit_callbacks
):
    donation = start_donation(frequency="monthly", amount=1000, language="en")
    session = fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=1000, fee=40, email=DONOR
    )

    # The first payment: the session's event alone is enough.
    deliver("checkout.session.completed", session["id"])
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert donation.settled_amount == 1000 and donation.fee_amount == 40
    assert len(receipts_to(DONOR)) == 1
    thanks = client.get(f"/en/donate/thanks/{donation.public_id}/")
    assert thanks.status_code == 200
    assert "Confirmed" in thanks.content.decode()
    assert "Pending" not in thanks.content.decode()

    # A renewal, delivered twice.
    second = fake_stripe.pay_invoice(session["subscription"], fee=40)
    deliver("invoice.paid", second["id"])
    deliver("invoice.paid", second["id"])
    assert Donation.objects.get(invoice_id=second["id"]).status == "paid"
    assert len(receipts_to(DONOR)) == 2

    # A declined month, then Stripe's retry succeeds.
    failed = fake_stripe.fail_invoice(session["subscription"])
    deliver("invoice.payment_failed", failed["id"])
    assert Donation.objects.get(invoice_id=failed["id"]).status == "failed"
    recovered = fake_stripe.pay_invoice(session["subscription"], fee=40)
    deliver("invoice.paid", recovered["id"])
    assert Donation.objects.get(invoice_id=recovered["id"]).status == "paid"

    # The renewal is refunded in part: an invoiced charge.
    charge = fake_stripe.charge_of(second["id"])
    fake_stripe.refund(charge["id"], 400)
    deliver("charge.refunded", charge["id"])
    assert Donation.objects.get(invoice_id=second["id"]).status == (
        Donation.Status.PARTIALLY_REFUNDED
    )

    paid_months = Donation.objects.filter(status__in=["paid", "partially_refunded"])
    assert paid_months.count() == 3
    assert balances() == {
        fee_code("fees", FUND): 3 * 40,
        FUND: -(3 * 1000 - 400),
        "stripe-clearing": 3 * 1000 - 3 * 40 - 400,
    }
    assert ledger.fund_raised(fund_type="general") == 3 * 1000 - 400
    assert unbalanced_transactions() == []

    # From the receipt's link: a new amount, then a cancellation.
    link = manage_link(DONOR)
    subscription = Subscription.objects.get()
    changed = client.post(f"{link}monthly/{subscription.pk}/amount/", {"amount": "15"})
    assert changed.status_code == 302
    deliver("customer.subscription.updated", subscription.stripe_id)
    subscription.refresh_from_db()
    assert subscription.amount == 1500
    cancelled = client.post(f"{link}monthly/{subscription.pk}/cancel/")
    assert cancelled.status_code == 302
    deliver("customer.subscription.deleted", subscription.stripe_id)
    subscription.refresh_from_db()
    assert subscription.status == "canceled"

    # Nothing was left waiting or failed.
    assert not StripeEvent.objects.exclude(
        status__in=[StripeEvent.Status.PROCESSED, StripeEvent.Status.IGNORED]
    ).exists()
