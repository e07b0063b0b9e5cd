"""From a gift to the fund ledger: what we ask Stripe for, and what each of
Stripe's events posts, to the cent."""

import json

import pytest
from django.core import mail

from donations.giving.services import PRODUCT_NAME, checkout_session_create, fee_cover
from donations.ledger import services as ledger
from donations.models import Account, Donation, LedgerLeg, Subscription
from outbox.models import OutboxMessage
from tests.conftest import add_profile
from tests.factories import CampaignPageFactory
from tests.fake_stripe import (  # noqa: F401
    balances,
    fake_stripe_fixture,
    fee_code,
    manage_links_fixture,
    receive,
    start_donation,
    unbalanced_transactions,
)

pytestmark = pytest.mark.django_db

PRISONER = "Ihar Zamkovy"
CAMPAIGN = "Letters to Ihar in Zhodino"


@pytest.fixture
def prisoner(prisoner_index):
    return add_profile(prisoner_index, title=PRISONER)


@pytest.fixture
def campaign(campaign_index):
    page = CampaignPageFactory(parent=campaign_index, title=CAMPAIGN)
    page.save_revision().publish()
    return page


@pytest.fixture
def deliver(fake_stripe, manage_links, django_capture_on_commit_callbacks):
    """Stripe sends an event about an object as it is now; it is processed (and
    its email sent) once its transaction commits."""

    def deliver(type, obj, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return receive(fake_stripe, type, obj, **kwargs)

    return deliver


def fund_code(designation, subject_key=None):
    return f"fund:{designation}:{subject_key}" if subject_key else "fund:general"


def assert_balanced():
    assert unbalanced_transactions() == []
    assert sum(LedgerLeg.objects.values_list("amount", flat=True)) == 0


# --- What we ask Stripe for -----------------------------------------------------------


def test_a_one_off_gift_asks_checkout_for_a_donation_payment(fake_stripe, prisoner):
    donation = start_donation(
        amount=2500, designation="case", subject_key=prisoner.translation_key
    )
    (request,) = fake_stripe.sessions_created()
    params = request.params
    assert params["mode"] == "payment"
    assert params["submit_type"] == "donate"
    assert params["line_items"] == [
        {
            "price_data": {
                "currency": "eur",
                "unit_amount": "2500",
                "product_data": {"name": PRODUCT_NAME[Donation.Frequency.ONE_OFF]},
            },
            "quantity": "1",
        }
    ]
    assert "subscription_data" not in params
    assert donation.status == Donation.Status.CHECKOUT
    assert (
        donation.checkout_session_id == fake_stripe.of_kind("checkout.session")[0]["id"]
    )
    assert donation.checkout_url.startswith("https://checkout.stripe.com/")


def test_a_monthly_gift_asks_checkout_for_a_monthly_subscription(fake_stripe, campaign):
    start_donation(
        frequency="monthly",
        amount=1000,
        designation="campaign",
        subject_key=campaign.translation_key,
    )
    (request,) = fake_stripe.sessions_created()
    params = request.params
    assert params["mode"] == "subscription"
    price = params["line_items"][0]["price_data"]
    assert price["recurring"] == {"interval": "month"}
    assert price["unit_amount"] == "1000"
    assert price["product_data"] == {"name": PRODUCT_NAME[Donation.Frequency.MONTHLY]}
    # Stripe refuses these in subscription mode
    assert "submit_type" not in params
    assert "payment_intent_data" not in params


@pytest.mark.parametrize("frequency", ["one_off", "monthly"])
def test_what_stripe_is_told_names_no_prisoner_or_campaign_and_only_our_reference(
    fake_stripe, prisoner, campaign, frequency
):
    for designation, page in (("case", prisoner), ("campaign", campaign)):
        donation = start_donation(
            frequency=frequency,
            designation=designation,
            subject_key=page.translation_key,
        )
        request = fake_stripe.sessions_created()[-1]
        reference = {"donation": str(donation.public_id)}
        assert request.params["metadata"] == reference
        nested = request.params.get("payment_intent_data") or request.params.get(
            "subscription_data"
        )
        assert nested == {"metadata": reference}
        sent = json.dumps(request.params)
        for secret in (PRISONER, CAMPAIGN, "Ihar", "Zhodino"):
            assert secret not in sent
        assert str(page.translation_key) not in sent
        name = request.params["line_items"][0]["price_data"]["product_data"]["name"]
        assert name in PRODUCT_NAME.values()


def test_checkout_is_created_once_per_gift_with_one_idempotency_key(fake_stripe):
    donation = start_donation()
    stale = Donation.objects.get(pk=donation.pk)
    stale.checkout_url = ""  # a double click: a second request saw no URL yet
    url = checkout_session_create(
        donation=stale,
        success_url="http://testserver/en/donate/thanks/",
        cancel_url="http://testserver/en/donate/",
    )
    first, second = fake_stripe.sessions_created()
    assert first.idempotency_key == second.idempotency_key
    assert str(donation.public_id) in first.idempotency_key
    assert len(fake_stripe.of_kind("checkout.session")) == 1
    assert url == donation.checkout_url
    # and once the URL is known, Stripe is not asked again
    checkout_session_create(
        donation=Donation.objects.get(pk=donation.pk),
        success_url="http://testserver/en/donate/thanks/",
        cancel_url="http://testserver/en/donate/",
    )
    assert len(fake_stripe.sessions_created()) == 2


def test_covering_the_fee_adds_it_to_what_is_charged(fake_stripe):
    donation = start_donation(amount=2000, cover_fees=True)
    expected = 2000 + fee_cover(amount=2000, currency="EUR")
    assert donation.amount == expected
    price = fake_stripe.sessions_created()[0].params["line_items"][0]["price_data"]
    assert price["unit_amount"] == str(expected)


# --- What Stripe's events post -------------------------------------------------------


def test_a_paid_one_off_posts_what_settled_to_its_fund_and_the_fee_to_fees(
    fake_stripe, deliver, prisoner
):
    key = prisoner.translation_key
    donation = start_donation(amount=2500, designation="case", subject_key=key)
    fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=2500, fee=63
    )
    deliver("checkout.session.completed", donation.checkout_session_id)

    assert balances() == {
        fee_code("fees", fund_code("case", key)): 63,
        fund_code("case", key): -2500,
        "stripe-clearing": 2437,
    }
    assert ledger.fund_raised(fund_type="case", subject_key=key) == 2500
    assert ledger.fund_balance(fund_type="case", subject_key=key) == 2500
    assert ledger.fund_balance(fund_type="general") == 0
    donation.refresh_from_db()
    charge = fake_stripe.charge_of(donation.checkout_session_id)
    assert donation.status == Donation.Status.PAID
    assert (donation.settled_amount, donation.fee_amount) == (2500, 63)
    assert donation.charge_id == charge["id"]
    assert donation.payment_intent_id == charge["payment_intent"]
    assert donation.email == "donor@example.org"
    assert donation.paid_at is not None
    assert_balanced()


def test_a_gift_in_another_currency_posts_what_it_settled_to_in_euros(
    fake_stripe, deliver
):
    donation = start_donation(amount=3000, currency="USD")
    fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=2761, fee=67
    )
    deliver("checkout.session.completed", donation.checkout_session_id)
    assert balances() == {"fees": 67, "fund:general": -2761, "stripe-clearing": 2694}
    donation.refresh_from_db()
    assert (donation.amount, donation.currency) == (3000, "USD")
    assert (donation.settled_amount, donation.fee_amount) == (2761, 67)
    assert_balanced()


def test_a_completed_but_unpaid_checkout_posts_nothing_until_the_money_arrives(
    fake_stripe, deliver
):
    donation = start_donation(amount=5000)
    session_id = donation.checkout_session_id
    fake_stripe.complete_checkout(session_id, paid=False)
    deliver("checkout.session.completed", session_id)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PROCESSING
    assert balances() == {}
    assert mail.outbox == []

    fake_stripe.settle_checkout(session_id, settled_amount=5000, fee=100)
    deliver("checkout.session.async_payment_succeeded", session_id)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert balances() == {"fees": 100, "fund:general": -5000, "stripe-clearing": 4900}
    assert len(mail.outbox) == 1


def test_an_abandoned_checkout_is_marked_and_posts_nothing(fake_stripe, deliver):
    donation = start_donation()
    fake_stripe.expire_checkout(donation.checkout_session_id)
    deliver("checkout.session.expired", donation.checkout_session_id)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.EXPIRED
    assert balances() == {}


def test_the_redirect_alone_never_marks_a_gift_paid(fake_stripe, deliver):
    """Only what Stripe says counts: an open session is not a payment."""
    donation = start_donation()
    deliver("checkout.session.completed", donation.checkout_session_id)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.CHECKOUT
    assert donation.paid_at is None
    assert balances() == {}


@pytest.fixture
def paid(fake_stripe, deliver, prisoner):
    """A €25 gift to a prisoner's defence, settled with a €0.63 fee."""
    donation = start_donation(
        amount=2500, designation="case", subject_key=prisoner.translation_key
    )
    fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=2500, fee=63
    )
    deliver("checkout.session.completed", donation.checkout_session_id)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    donation.fund = fund_code("case", prisoner.translation_key)
    # The fund bears the fees of the gifts it received.
    donation.fees = fee_code("fees", donation.fund)
    donation.dispute_fees = fee_code("dispute-fees", donation.fund)
    donation.charge = fake_stripe.charge_of(donation.checkout_session_id)["id"]
    return donation


def test_a_full_refund_gives_the_fund_back_and_leaves_the_fee_as_a_cost(
    fake_stripe, deliver, paid
):
    fake_stripe.refund(paid.charge)
    deliver("charge.refunded", paid.charge)
    assert balances() == {paid.fees: 63, paid.fund: 0, "stripe-clearing": -63}
    paid.refresh_from_db()
    assert paid.status == Donation.Status.REFUNDED
    assert_balanced()


def test_partial_refunds_each_post_once_whatever_events_repeat(
    fake_stripe, deliver, paid
):
    fake_stripe.refund(paid.charge, 1000)
    deliver("charge.refunded", paid.charge)
    assert balances()[paid.fund] == -1500
    paid.refresh_from_db()
    assert paid.status == Donation.Status.PARTIALLY_REFUNDED

    fake_stripe.refund(paid.charge, 1500)
    deliver("charge.refunded", paid.charge)  # the charge now lists both refunds
    deliver("charge.refunded", paid.charge)
    assert balances() == {paid.fees: 63, paid.fund: 0, "stripe-clearing": -63}
    paid.refresh_from_db()
    assert paid.status == Donation.Status.REFUNDED
    assert_balanced()


def test_a_lost_dispute_takes_the_gift_and_the_dispute_fee(fake_stripe, deliver, paid):
    dispute = fake_stripe.open_dispute(paid.charge, fee=1500)
    deliver("charge.dispute.created", dispute["id"])
    expected = {
        paid.dispute_fees: 1500,
        paid.fees: 63,
        paid.fund: 0,
        "stripe-clearing": 2437 - 2500 - 1500,
    }
    assert balances() == expected
    fake_stripe.close_dispute(dispute["id"], won=False)
    deliver("charge.dispute.closed", dispute["id"])
    assert balances() == expected
    paid.refresh_from_db()
    assert paid.status == Donation.Status.DISPUTED
    assert_balanced()


def test_a_won_dispute_returns_the_gift_and_the_dispute_fee(fake_stripe, deliver, paid):
    dispute = fake_stripe.open_dispute(paid.charge, fee=1500)
    deliver("charge.dispute.created", dispute["id"])
    fake_stripe.close_dispute(dispute["id"], won=True)
    deliver("charge.dispute.funds_reinstated", dispute["id"])
    deliver("charge.dispute.closed", dispute["id"])
    assert balances() == {
        paid.dispute_fees: 0,
        paid.fees: 63,
        paid.fund: -2500,
        "stripe-clearing": 2437,
    }
    paid.refresh_from_db()
    assert paid.status == Donation.Status.PAID
    assert_balanced()


def test_a_won_disputes_reinstatement_is_not_counted_as_new_money_for_the_board(
    fake_stripe, deliver, paid
):
    from donations.dashboard import selectors

    def raised():
        totals = selectors.fund_movements(selectors.default_filters())
        return totals.total("gross"), totals.total("refunds"), totals.total("fees")

    assert raised() == (2500, 0, 63)
    dispute = fake_stripe.open_dispute(paid.charge, fee=1500)
    deliver("charge.dispute.created", dispute["id"])
    assert raised() == (2500, 2500, 63 + 1500)
    fake_stripe.close_dispute(dispute["id"], won=True)
    deliver("charge.dispute.funds_reinstated", dispute["id"])

    assert raised() == (2500, 0, 63)
    assert set(
        LedgerLeg.objects.filter(
            transaction__description__contains="dispute"
        ).values_list("transaction__flow", flat=True)
    ) == {"dispute"}


def test_a_won_dispute_stays_won_when_an_earlier_refunds_event_arrives_late(
    fake_stripe, deliver, paid
):
    """Stripe keeps `charge.disputed` true after a dispute is won, and delivers
    events in no particular order."""
    fake_stripe.refund(paid.charge, 500)
    dispute = fake_stripe.open_dispute(paid.charge, amount=2000)
    fake_stripe.close_dispute(dispute["id"], won=True)
    deliver("charge.dispute.closed", dispute["id"])
    deliver("charge.refunded", paid.charge)  # sent first, arrived last
    paid.refresh_from_db()
    assert paid.status == Donation.Status.PARTIALLY_REFUNDED
    assert balances()[paid.fund] == -2000
    assert_balanced()


# --- Monthly gifts -------------------------------------------------------------------


def test_a_monthly_gift_posts_each_months_payment_once(fake_stripe, deliver, campaign):
    key = campaign.translation_key
    donation = start_donation(
        frequency="monthly", amount=1000, designation="campaign", subject_key=key
    )
    session = fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=1000, fee=40
    )
    deliver("checkout.session.completed", session["id"])
    deliver("invoice.paid", session["invoice"])
    donation.refresh_from_db()
    subscription = Subscription.objects.get()
    assert donation.subscription == subscription
    assert donation.invoice_id == session["invoice"]
    assert donation.status == Donation.Status.PAID
    assert subscription.stripe_id == session["subscription"]
    assert (subscription.amount, subscription.currency) == (1000, "EUR")
    assert subscription.email == "donor@example.org"

    second = fake_stripe.pay_invoice(session["subscription"], fee=40)
    deliver("invoice.paid", second["id"])
    deliver("invoice.paid", second["id"])
    month_two = Donation.objects.get(invoice_id=second["id"])
    assert month_two.status == Donation.Status.PAID
    assert month_two.subscription == subscription
    assert (month_two.designation, month_two.subject_key) == ("campaign", key)
    assert balances() == {
        fee_code("fees", fund_code("campaign", key)): 80,
        fund_code("campaign", key): -2000,
        "stripe-clearing": 1920,
    }
    assert ledger.fund_raised(fund_type="campaign", subject_key=key) == 2000
    assert len(mail.outbox) == 2
    assert_balanced()


def test_a_declined_month_posts_nothing_and_marks_that_payment_failed(
    fake_stripe, deliver
):
    donation = start_donation(frequency="monthly", amount=1000)
    session = fake_stripe.complete_checkout(donation.checkout_session_id)
    deliver("checkout.session.completed", session["id"])
    before = balances()
    failed = fake_stripe.fail_invoice(session["subscription"])
    deliver("invoice.payment_failed", failed["id"])
    assert balances() == before
    assert Donation.objects.get(invoice_id=failed["id"]).status == (
        Donation.Status.FAILED
    )
    deliver("customer.subscription.updated", session["subscription"])
    assert Subscription.objects.get().status == "past_due"


def test_a_cancelled_monthly_gift_is_recorded_as_cancelled(fake_stripe, deliver):
    donation = start_donation(frequency="monthly", amount=1000)
    session = fake_stripe.complete_checkout(donation.checkout_session_id)
    deliver("checkout.session.completed", session["id"])
    fake_stripe.cancel_subscription(session["subscription"])
    deliver("customer.subscription.deleted", session["subscription"])
    subscription = Subscription.objects.get()
    assert subscription.status == "canceled"
    assert subscription.cancelled_at is not None


# --- Receipts ------------------------------------------------------------------------


def test_a_paid_gift_is_receipted_once_through_the_outbox_naming_no_one(
    fake_stripe, deliver, prisoner
):
    donation = start_donation(
        amount=2500, designation="case", subject_key=prisoner.translation_key
    )
    fake_stripe.complete_checkout(
        donation.checkout_session_id, settled_amount=2500, fee=63
    )
    deliver("checkout.session.completed", donation.checkout_session_id)
    deliver("checkout.session.completed", donation.checkout_session_id)
    charge = fake_stripe.charge_of(donation.checkout_session_id)
    fake_stripe.refund(charge["id"], 100)
    deliver("charge.refunded", charge["id"])

    assert OutboxMessage.objects.count() == 1
    (message,) = mail.outbox
    assert message.to == ["donor@example.org"]
    for secret in (PRISONER, "Ihar", "Zamkovy", "Zhodino"):
        assert secret not in message.subject
    assert "25" in message.body
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_no_receipt_without_an_email_address(fake_stripe, deliver):
    donation = start_donation()
    session = fake_stripe.complete_checkout(donation.checkout_session_id)
    session["customer_details"]["email"] = None
    fake_stripe.charge_of(session["id"])["billing_details"]["email"] = None
    deliver("checkout.session.completed", session["id"])
    assert Donation.objects.get().status == Donation.Status.PAID
    assert mail.outbox == []


def test_the_fund_accounts_are_created_per_designation(fake_stripe, deliver, prisoner):
    for designation, key in (("general", None), ("case", prisoner.translation_key)):
        donation = start_donation(designation=designation, subject_key=key)
        fake_stripe.complete_checkout(donation.checkout_session_id)
        deliver("checkout.session.completed", donation.checkout_session_id)
    funds = Account.objects.filter(kind=Account.Kind.FUND)
    assert {(a.fund_type, a.subject_key) for a in funds} == {
        ("general", None),
        ("case", prisoner.translation_key),
    }
