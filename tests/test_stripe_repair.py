"""The hourly repair finds what missed webhooks left behind, and changes nothing
that is already right."""

import pytest

from donations.models import Donation, LedgerTransaction
from donations.stripe.tasks import repair_from_stripe
from tests.fake_stripe import (  # noqa: F401 (pytest fixtures)
    balances,
    fake_stripe_fixture,
    manage_links_fixture,
    start_donation,
)

pytestmark = pytest.mark.django_db


def test_a_payment_whose_webhook_never_came_is_recorded_by_the_repair(
    fake_stripe, manage_links
):
    donation = start_donation(amount=2500)
    fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=2500, fee=63
    )

    repair_from_stripe.delay()

    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert donation.settled_amount == 2500 and donation.fee_amount == 63
    assert balances()["fund:general"] == -2500


def test_repairing_twice_posts_nothing_twice(fake_stripe, manage_links):
    donation = start_donation(amount=2500)
    fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=2500, fee=63
    )

    repair_from_stripe.delay()
    posted = LedgerTransaction.objects.count()
    repair_from_stripe.delay()

    assert LedgerTransaction.objects.count() == posted == 1


def test_a_refund_whose_webhook_never_came_is_recorded_by_the_repair(
    fake_stripe, manage_links
):
    donation = start_donation(amount=2500)
    fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=2500, fee=63
    )
    repair_from_stripe.delay()
    charge = fake_stripe.charge_of(donation.checkout_session_id)
    fake_stripe.refund(charge["id"], amount=1000)

    repair_from_stripe.delay()

    donation.refresh_from_db()
    assert donation.status == Donation.Status.PARTIALLY_REFUNDED
    assert balances()["fund:general"] == -1500


def test_without_stripe_keys_the_repair_does_nothing(settings):
    settings.STRIPE_SECRET_KEY = ""

    assert repair_from_stripe.delay().get() == {}
