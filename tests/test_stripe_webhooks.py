"""Stripe's webhook endpoint: only verifiably signed, recent events are stored, each
once; anything else is answered 400 (or 405) and changes nothing."""

import json
import time

import pytest
import stripe
from django.urls import reverse

from donations.models import LedgerTransaction, StripeEvent
from donations.stripe.events import event_process
from tests.fake_stripe import (  # noqa: F401
    fake_stripe_fixture,
    manage_links_fixture,
    signed_event,
    start_donation,
    stripe_settings_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("stripe_webhook")


def post(client, url, payload, header=None):
    headers = {"HTTP_STRIPE_SIGNATURE": header} if header is not None else {}
    return client.post(url, data=payload, content_type="application/json", **headers)


@pytest.fixture
def paid_one_off(fake_stripe, manage_links):
    donation = start_donation(amount=2500)
    fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=2500, fee=63
    )
    return donation


def test_a_validly_signed_event_is_answered_200_and_stored_once(
    client, url, fake_stripe, paid_one_off, django_capture_on_commit_callbacks
):
    payload, header = signed_event(
        fake_stripe, "checkout.session.completed", paid_one_off.checkout_session_id
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, url, payload, header)
    assert response.status_code == 200
    stored = StripeEvent.objects.get()
    assert stored.event_id == json.loads(payload)["id"]
    assert stored.type == "checkout.session.completed"
    assert stored.payload["data"]["object"]["id"] == paid_one_off.checkout_session_id
    assert stored.status == StripeEvent.Status.PROCESSED


def test_an_event_is_stored_before_it_is_processed_and_processed_after_commit(
    client, url, fake_stripe, paid_one_off, django_capture_on_commit_callbacks
):
    payload, header = signed_event(
        fake_stripe, "checkout.session.completed", paid_one_off.checkout_session_id
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert post(client, url, payload, header).status_code == 200
    assert StripeEvent.objects.get().status == StripeEvent.Status.RECEIVED
    assert not LedgerTransaction.objects.exists()
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    "case",
    [
        "unsigned",
        "wrong secret",
        "tampered body",
        "stale",
        "from the future",
        "garbage header",
    ],
)
def test_an_event_not_verifiably_from_stripe_is_refused_and_nothing_is_stored(
    client, url, fake_stripe, paid_one_off, settings, case
):
    session_id = paid_one_off.checkout_session_id
    if case == "unsigned":
        payload, _ = signed_event(fake_stripe, "checkout.session.completed", session_id)
        header = None
    elif case == "wrong secret":
        payload, header = signed_event(
            fake_stripe,
            "checkout.session.completed",
            session_id,
            secret="whsec_someone_else",
        )
    elif case == "tampered body":
        payload, header = signed_event(
            fake_stripe, "checkout.session.completed", session_id
        )
        payload = payload.replace(b'"livemode": false', b'"livemode": true')
    elif case == "stale":
        payload, header = signed_event(
            fake_stripe,
            "checkout.session.completed",
            session_id,
            timestamp=int(time.time()) - settings.STRIPE_WEBHOOK_TOLERANCE - 60,
        )
    elif case == "from the future":
        payload, header = signed_event(
            fake_stripe,
            "checkout.session.completed",
            session_id,
            timestamp=int(time.time()) + settings.STRIPE_WEBHOOK_TOLERANCE + 60,
        )
    else:
        payload, _ = signed_event(fake_stripe, "checkout.session.completed", session_id)
        header = "t=not-a-time,v1=zzz"
    response = post(client, url, payload, header)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_an_event_signed_a_little_ahead_of_our_clock_is_accepted(
    client, url, fake_stripe, paid_one_off
):
    # Clocks drift by seconds: within the tolerance either way is Stripe's own.
    payload, header = signed_event(
        fake_stripe,
        "checkout.session.completed",
        paid_one_off.checkout_session_id,
        timestamp=int(time.time()) + 30,
    )
    assert post(client, url, payload, header).status_code == 200


def test_a_signed_body_that_is_not_json_is_refused(client, url, stripe_settings):
    payload = "{not json"
    header = stripe.WebhookSignature.generate_signature_header(payload, "whsec_test")
    assert post(client, url, payload.encode(), header).status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"object": "event", "type": "charge.refunded", "data": {"object": {}}},
        {"id": "evt_1", "object": "event", "data": {"object": {}}},
        {"id": "evt_1", "object": "event", "type": "charge.refunded", "data": "x"},
        [],
        "a string",
    ],
    ids=["no id", "no type", "data not an object", "a list", "a string"],
)
def test_a_signed_body_that_is_not_an_event_is_refused(
    client, url, stripe_settings, body
):
    payload = json.dumps(body)
    header = stripe.WebhookSignature.generate_signature_header(payload, "whsec_test")
    assert post(client, url, payload.encode(), header).status_code == 400
    assert not StripeEvent.objects.exists()


def test_webhooks_are_refused_while_no_secret_is_configured(
    client, url, fake_stripe, paid_one_off, settings
):
    payload, header = signed_event(
        fake_stripe, "checkout.session.completed", paid_one_off.checkout_session_id
    )
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert post(client, url, payload, header).status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_the_endpoint_only_takes_post(client, url, stripe_settings, method):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert not StripeEvent.objects.exists()


def test_the_same_event_delivered_twice_is_stored_once_and_processed_once(
    client, url, fake_stripe, paid_one_off, django_capture_on_commit_callbacks
):
    payload, header = signed_event(
        fake_stripe, "checkout.session.completed", paid_one_off.checkout_session_id
    )
    with django_capture_on_commit_callbacks(execute=True) as first:
        assert post(client, url, payload, header).status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as second:
        assert post(client, url, payload, header).status_code == 200
    assert StripeEvent.objects.count() == 1
    assert len(first) >= 1
    assert second == []  # nothing enqueued for the repeat
    assert LedgerTransaction.objects.count() == 1
    stored = StripeEvent.objects.get()
    assert stored.status == StripeEvent.Status.PROCESSED
    assert stored.attempts == 0
    # processing it again (a duplicate task) changes nothing
    assert event_process(event_pk=stored.pk) == StripeEvent.Status.PROCESSED
    assert LedgerTransaction.objects.count() == 1


def test_a_redelivery_signed_at_another_time_is_still_stored_once(
    client, url, fake_stripe, paid_one_off, django_capture_on_commit_callbacks
):
    session_id = paid_one_off.checkout_session_id
    first = signed_event(
        fake_stripe, "checkout.session.completed", session_id, event_id="evt_again"
    )
    later = signed_event(
        fake_stripe,
        "checkout.session.completed",
        session_id,
        event_id="evt_again",
        timestamp=int(time.time()) + 5,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, url, *first).status_code == 200
        assert post(client, url, *later).status_code == 200
    assert StripeEvent.objects.count() == 1
    assert LedgerTransaction.objects.count() == 1


def test_an_unknown_event_type_is_stored_and_marked_ignored(
    client, url, fake_stripe, django_capture_on_commit_callbacks
):
    customer = fake_stripe.create_customer(email="someone@example.org")
    payload, header = signed_event(fake_stripe, "customer.created", customer["id"])
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, url, payload, header).status_code == 200
    stored = StripeEvent.objects.get()
    assert stored.type == "customer.created"
    assert stored.status == StripeEvent.Status.IGNORED
    assert stored.processed_at is not None
    assert fake_stripe.requests == []  # nothing was asked of Stripe for it


def test_an_event_for_a_donation_not_yet_known_waits_and_is_retried(
    client, url, fake_stripe, paid_one_off, django_capture_on_commit_callbacks
):
    """An event about an object none of our donations claims stays received, with
    the reason, for the periodic task to try again."""
    charge = fake_stripe.charge_of(paid_one_off.checkout_session_id)
    charge["metadata"] = {}
    fake_stripe.get(charge["payment_intent"])["metadata"] = {}
    fake_stripe.refund(charge["id"])
    payload, header = signed_event(fake_stripe, "charge.refunded", charge["id"])
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, url, payload, header).status_code == 200
    stored = StripeEvent.objects.get()
    assert stored.status == StripeEvent.Status.RECEIVED
    assert stored.attempts == 1
    assert "no donation" in stored.last_error
    assert not LedgerTransaction.objects.exists()
