"""Stripe delivers events in no particular order, sometimes more than once, and an
event about a gift may arrive before the event that tells us about the gift. Every
order, with repetitions, must end in the same ledger and the same records.

Processing fetches each object's current state from Stripe, so the fake world is
put in its final state first; then the events are delivered in every order. Each
is processed as it arrives; what could not be processed yet (NotYetKnown) is
processed again at the end, as the retries and `process_waiting_events` do.
"""

import itertools
import random

import pytest
from django.db import transaction

from donations.models import Donation, LedgerTransaction, StripeEvent, Subscription
from donations.stripe.events import event_process
from outbox.delivery import outbox_open
from outbox.models import OutboxMessage
from tests.fake_stripe import (  # noqa: F401
    balances,
    fake_stripe_fixture,
    fee_code,
    manage_links_fixture,
    process_waiting,
    receive,
    start_donation,
    unbalanced_transactions,
)

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def outcome() -> dict:
    """Everything an order of events could change, in comparable form."""
    return {
        "balances": balances(),
        "transactions": sorted(
            LedgerTransaction.objects.values_list("cause_key", flat=True)
        ),
        "unbalanced": unbalanced_transactions(),
        "donations": sorted(
            (
                d.invoice_id or "",
                d.status,
                d.amount,
                d.currency,
                d.settled_amount,
                d.fee_amount,
                d.charge_id,
                d.payment_intent_id,
                d.customer_id,
                d.email,
                d.designation,
                str(d.subject_key),
                d.subscription.stripe_id if d.subscription else None,
                d.paid_at is not None,
            )
            for d in Donation.objects.select_related("subscription")
        ),
        "subscriptions": sorted(
            (
                s.stripe_id,
                s.customer_id,
                s.status,
                s.amount,
                s.currency,
                s.email,
                s.designation,
                str(s.subject_key),
                s.language,
                s.started_at is not None,
                s.cancelled_at is not None,
            )
            for s in Subscription.objects.all()
        ),
        "receipts": sorted(
            (tuple(e.to), e.subject)
            for e in (outbox_open(message=m) for m in OutboxMessage.objects.all())
        ),
        "waiting": sorted(
            StripeEvent.objects.exclude(
                status__in=[StripeEvent.Status.PROCESSED, StripeEvent.Status.IGNORED]
            ).values_list("type", flat=True)
        ),
    }


def run(world, deliveries) -> dict:
    """Deliver (type, object id, event id) in this order, processing each as it
    arrives; then retry what waits. Returns the outcome and rolls it all back."""
    result = {}
    try:
        with transaction.atomic():
            for type_, object_id, event_id in deliveries:
                stored = receive(world, type_, object_id, event_id=event_id)
                if stored is not None:
                    try:
                        event_process(event_pk=stored.pk)
                    except Exception:  # waits for its retry
                        pass
            process_waiting()
            result = outcome()
            raise Rollback
    except Rollback:
        pass
    return result


def differences(got: dict, expected: dict) -> dict:
    """What differs, compactly: for lists, the items only one side has."""
    diff = {}
    for key in expected:
        if got[key] == expected[key]:
            continue
        if isinstance(expected[key], list):
            diff[key] = {
                "only here": [i for i in got[key] if i not in expected[key]],
                "expected": [i for i in expected[key] if i not in got[key]],
            }
        else:
            diff[key] = {"got": got[key], "expected": expected[key]}
    return diff


def check_every_order(world, events, expected, *, orders=None):
    """Run every distinct order of `events`; report the orders that differ."""
    failures = []
    tried = 0
    for order in orders or unique_orders(events):
        got = run(world, order)
        tried += 1
        diff = differences(got, expected)
        if diff:
            failures.append(([f"{t} {o}" for t, o, _ in order], diff))
    assert not failures, (
        f"{len(failures)} of {tried} orders differ, e.g.\n"
        + "\n".join(f"{' → '.join(order)}:\n    {diff}" for order, diff in failures[:3])
    )
    return tried


def unique_orders(events):
    """Every order of `events`. Events that fetch the same object through the same
    handler (subscription created/updated/deleted) are indistinguishable once the
    world is in its final state, so orders that only swap them are run once."""
    from donations.stripe.sync import HANDLERS

    def signature(event):
        type_, object_id, _ = event
        return HANDLERS.get(type_), object_id

    seen = set()
    for order in itertools.permutations(events):
        key = tuple(signature(e) for e in order)
        if key not in seen:
            seen.add(key)
            yield order


# --- A monthly gift -------------------------------------------------------------------


@pytest.fixture
def monthly(fake_stripe, manage_links, campaign_index):
    """A €10 monthly gift to a campaign: month 1 and 2 paid, month 3 declined, then
    cancelled. The world is in that final state; no event has been delivered."""
    from tests.factories import CampaignPageFactory

    campaign = CampaignPageFactory(parent=campaign_index, title="Parcels")
    donation = start_donation(
        frequency="monthly",
        amount=1000,
        designation="campaign",
        subject_key=campaign.translation_key,
    )
    session = fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=1000, fee=40
    )
    subscription = session["subscription"]
    second = fake_stripe.pay_invoice(subscription, settled_amount=1000, fee=40)
    third = fake_stripe.fail_invoice(subscription)
    fake_stripe.cancel_subscription(subscription)
    events = [
        ("checkout.session.completed", session["id"], "evt_checkout"),
        ("customer.subscription.created", subscription, "evt_sub_created"),
        ("customer.subscription.updated", subscription, "evt_sub_updated"),
        ("invoice.paid", session["invoice"], "evt_month_1"),
        ("invoice.paid", second["id"], "evt_month_2"),
        ("invoice.payment_failed", third["id"], "evt_month_3"),
        ("customer.subscription.deleted", subscription, "evt_sub_deleted"),
    ]
    fund = f"fund:campaign:{campaign.translation_key}"
    return fake_stripe, events, fund


def test_a_monthly_gift_in_the_natural_order_ends_as_stripe_says(monthly):
    world, events, fund = monthly
    got = run(world, events)
    assert got["balances"] == {
        fee_code("fees", fund): 80,
        fund: -2000,
        "stripe-clearing": 1920,
    }
    assert [d[1] for d in got["donations"]] == ["paid", "paid", "failed"]
    assert [s[2] for s in got["subscriptions"]] == ["canceled"]
    assert got["subscriptions"][0][5] == "donor@example.org"
    assert len(got["receipts"]) == 2
    assert got["unbalanced"] == [] and got["waiting"] == []


def test_every_order_of_a_monthly_gifts_events_ends_the_same(monthly):
    world, events, _ = monthly
    expected = run(world, events)
    assert check_every_order(world, events, expected) == 840


def test_repeated_and_redelivered_monthly_events_change_nothing(monthly):
    """Each event twice (the repeat is refused as already stored), plus the same
    objects announced again under new event ids, in shuffled orders."""
    world, events, _ = monthly
    expected = run(world, events)
    rng = random.Random(20261122)
    orders = []
    for n in range(40):
        again = [(t, o, f"{e}_again_{n}") for t, o, e in rng.sample(events, 3)]
        order = events + events + again
        rng.shuffle(order)
        orders.append(order)
    check_every_order(world, events, expected, orders=orders)


# --- A one-off gift -------------------------------------------------------------------


@pytest.fixture(params=["won", "lost"])
def one_off(request, fake_stripe, manage_links):
    """€25, €5 of it refunded, the remaining €20 disputed, and the dispute won or
    lost: the final state; no event delivered yet."""
    donation = start_donation(amount=2500)
    fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=2500, fee=63
    )
    charge = fake_stripe.charge_of(donation.checkout_session_id)["id"]
    fake_stripe.refund(charge, 500)
    dispute = fake_stripe.open_dispute(charge, amount=2000, fee=1500)
    fake_stripe.close_dispute(dispute["id"], won=request.param == "won")
    events = [
        ("checkout.session.completed", donation.checkout_session_id, "evt_checkout"),
        ("charge.refunded", charge, "evt_refunded"),
        ("charge.dispute.created", dispute["id"], "evt_dispute_created"),
        ("charge.dispute.closed", dispute["id"], "evt_dispute_closed"),
    ]
    return fake_stripe, events, request.param


def test_a_one_off_in_the_natural_order_ends_as_stripe_says(one_off):
    world, events, result = one_off
    got = run(world, events)
    if result == "won":
        assert got["balances"] == {
            "dispute-fees": 0,
            "fees": 63,
            "fund:general": -2000,
            "stripe-clearing": 1937,
        }
        assert got["donations"][0][1] == Donation.Status.PARTIALLY_REFUNDED
    else:
        assert got["balances"] == {
            "dispute-fees": 1500,
            "fees": 63,
            "fund:general": 0,
            "stripe-clearing": -1563,
        }
        assert got["donations"][0][1] == Donation.Status.DISPUTED
    assert len(got["receipts"]) == 1
    assert got["unbalanced"] == [] and got["waiting"] == []


def test_every_order_of_a_one_offs_events_ends_the_same(one_off):
    world, events, _ = one_off
    expected = run(world, events)
    orders = [list(order) for order in itertools.permutations(events)]
    assert check_every_order(world, events, expected, orders=orders) == 24


def test_repeated_one_off_events_change_nothing(one_off):
    world, events, _ = one_off
    expected = run(world, events)
    orders = []
    for order in itertools.permutations(events):
        repeated = list(order) + list(reversed(order))
        repeated += [(t, o, f"{e}_again") for t, o, e in order]
        orders.append(repeated)
    check_every_order(world, events, expected, orders=orders)
