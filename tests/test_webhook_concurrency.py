"""Stripe retries, and several workers run at once: the same event arriving on
several connections at the same moment is stored once and posted once, and events
about one charge processed side by side post each balance transaction once."""

import pytest
from django.test import Client
from django.urls import reverse

from donations.models import Donation, LedgerTransaction, StripeEvent
from donations.stripe import webhook
from donations.stripe.events import event_process
from outbox.models import OutboxMessage
from tests.concurrency import at_once
from tests.fake_stripe import (  # noqa: F401
    balances,
    fake_stripe_fixture,
    manage_links_fixture,
    receive,
    signed_event,
    start_donation,
    unbalanced_transactions,
)

# serialized_rollback: a module before this one may leave the tables flushed without
# their migrated rows (content types); this puts them back first.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 8


@pytest.fixture
def paid_one_off(fake_stripe, manage_links):
    donation = start_donation(amount=4000)
    fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=4000, fee=85
    )
    return donation


def test_the_same_event_from_several_connections_at_once_is_stored_and_posted_once(
    fake_stripe, paid_one_off
):
    payload, header = signed_event(
        fake_stripe, "checkout.session.completed", paid_one_off.checkout_session_id
    )
    url = reverse("stripe_webhook")

    def deliver():
        response = Client().post(
            url,
            data=payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
        return response.status_code

    results, errors = at_once([deliver] * THREADS)
    assert errors == []
    assert results == [200] * THREADS
    assert StripeEvent.objects.count() == 1
    assert StripeEvent.objects.get().status == StripeEvent.Status.PROCESSED
    assert LedgerTransaction.objects.count() == 1
    assert balances() == {"fees": 85, "fund:general": -4000, "stripe-clearing": 3915}
    assert OutboxMessage.objects.count() == 1
    assert Donation.objects.get().status == Donation.Status.PAID


def test_events_about_one_charge_processed_side_by_side_post_each_effect_once(
    fake_stripe, paid_one_off, monkeypatch
):
    """Every event arrives before any is processed (a backlog after an outage); the
    workers then take them all at once, each racing to record the payment."""
    charge = fake_stripe.charge_of(paid_one_off.checkout_session_id)["id"]
    fake_stripe.refund(charge, 1000)
    fake_stripe.refund(charge, 500)
    dispute = fake_stripe.open_dispute(charge, amount=2500)
    monkeypatch.setattr(webhook, "_enqueue", lambda pk: None)  # a backlog
    backlog = [
        ("checkout.session.completed", paid_one_off.checkout_session_id),
        ("checkout.session.completed", paid_one_off.checkout_session_id),
        ("charge.refunded", charge),
        ("charge.refunded", charge),
        ("charge.dispute.created", dispute["id"]),
        ("charge.dispute.funds_withdrawn", dispute["id"]),
        ("charge.dispute.updated", dispute["id"]),
        ("charge.refunded", charge),
    ]
    stored = [receive(fake_stripe, type_, obj).pk for type_, obj in backlog]

    results, errors = at_once(
        [lambda pk=pk: event_process(event_pk=pk) for pk in stored]
    )
    assert errors == []
    assert results == [StripeEvent.Status.PROCESSED] * len(stored)
    expected_causes = {
        f"stripe:{bt['id']}" for bt in fake_stripe.of_kind("balance_transaction")
    }
    assert len(expected_causes) == 4  # the charge, two refunds, the withdrawal
    assert set(LedgerTransaction.objects.values_list("cause_key", flat=True)) == (
        expected_causes
    )
    assert LedgerTransaction.objects.count() == 4
    assert unbalanced_transactions() == []
    assert balances() == {
        "dispute-fees": 1500,
        "fees": 85,
        "fund:general": -4000 + 1000 + 500 + 2500,
        "stripe-clearing": 3915 - 1000 - 500 - 2500 - 1500,
    }
    assert OutboxMessage.objects.count() == 1  # one receipt
    assert Donation.objects.get().status == Donation.Status.DISPUTED
