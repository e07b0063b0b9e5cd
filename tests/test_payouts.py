"""Stripe paying the balance out to the bank, in the fund ledger: a payout moves the
money from Stripe clearing to the bank, a failed or cancelled payout brings it back,
whatever order its events come in; Stripe's own fees are borne by the general fund.
"""

import itertools

import pytest
import stripe

from donations.ledger import services as ledger
from donations.models import Flow, LedgerLeg, LedgerTransaction
from donations.stripe.client import client
from donations.stripe.tasks import repair_from_stripe
from tests.fake_stripe import (  # noqa: F401 (pytest fixtures)
    balances,
    fake_stripe_fixture,
    manage_links_fixture,
    receive,
    start_donation,
    unbalanced_transactions,
)

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


@pytest.fixture
def deliver(fake_stripe, manage_links, django_capture_on_commit_callbacks):
    """Stripe sends an event about an object as it is now; it is processed once
    its transaction commits."""

    def deliver(type, obj, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return receive(fake_stripe, type, obj, **kwargs)

    return deliver


@pytest.fixture
def paid_gift(fake_stripe, deliver):
    """A one-off gift of €25.00 paid (€0.63 fee), its webhook processed."""

    def paid_gift(amount=2500, fee=63, **fields):
        donation = start_donation(amount=amount, **fields)
        fake_stripe.complete_checkout(
            donation.checkout_session_id, settled_amount=amount, fee=fee
        )
        deliver("checkout.session.completed", donation.checkout_session_id)
        return donation

    return paid_gift


def payout_legs(bt_id: str) -> dict[str, int]:
    return dict(
        LedgerLeg.objects.filter(transaction__cause_key=f"stripe:{bt_id}").values_list(
            "account__code", "amount"
        )
    )


def test_a_payout_moves_the_stripe_balance_to_the_bank(fake_stripe, deliver, paid_gift):
    paid_gift()
    payout = fake_stripe.create_payout()

    deliver("payout.created", payout["id"])

    assert payout["amount"] == 2437
    assert balances()["stripe-clearing"] == 0
    assert balances()["bank"] == 2437
    posting = LedgerTransaction.objects.get(flow=Flow.PAYOUT)
    assert posting.cause_key == f"stripe:{payout['balance_transaction']}"
    assert posting.stripe_event.type == "payout.created"
    assert posting.donation is None
    assert unbalanced_transactions() == []
    assert ledger.rollup_mismatches() == []


def test_a_payout_fee_is_borne_by_the_general_fund(
    fake_stripe, deliver, paid_gift, prisoner_index
):
    from tests.conftest import add_profile

    case = add_profile(prisoner_index, title="Ihar Zamkovy")
    paid_gift(designation="case", subject_key=case.translation_key)
    payout = fake_stripe.create_payout(fee=150)  # an instant payout

    deliver("payout.created", payout["id"])

    assert payout_legs(payout["balance_transaction"]) == {
        "stripe-clearing": -2437,
        "bank": 2287,
        "fees": 150,  # the general fund's, not the case's
    }
    assert balances()["stripe-clearing"] == 0
    assert ledger.fees_account().fund_type == "general"


def test_a_failed_payout_returns_the_money_to_stripe(fake_stripe, deliver, paid_gift):
    paid_gift()
    payout = fake_stripe.create_payout()
    deliver("payout.created", payout["id"])
    fake_stripe.pay_payout(payout["id"])
    deliver("payout.paid", payout["id"])
    assert balances()["bank"] == 2437

    fake_stripe.fail_payout(payout["id"])  # a payout can fail after showing as paid
    deliver("payout.failed", payout["id"])

    assert balances()["bank"] == 0
    assert balances()["stripe-clearing"] == 2437
    returned = LedgerTransaction.objects.get(
        cause_key=f"stripe:{payout['failure_balance_transaction']}"
    )
    assert returned.flow == Flow.PAYOUT
    assert returned.description.startswith("payout_failure")
    assert payout_legs(payout["failure_balance_transaction"]) == {
        "stripe-clearing": 2437,
        "bank": -2437,
    }
    assert unbalanced_transactions() == []
    assert ledger.rollup_mismatches() == []


def test_a_cancelled_payout_returns_the_money_and_its_fee(
    fake_stripe, deliver, paid_gift
):
    paid_gift()
    payout = fake_stripe.create_payout(fee=100)
    deliver("payout.created", payout["id"])

    fake_stripe.cancel_payout(payout["id"])
    deliver("payout.canceled", payout["id"])

    returned = fake_stripe.get(payout["failure_balance_transaction"])
    assert returned["type"] == "payout_cancel"
    assert balances()["bank"] == 0
    assert balances()["stripe-clearing"] == 2437
    assert balances()["fees"] == 63  # the gift's fee stays; the payout's came back


EVENTS = ("payout.created", "payout.updated", "payout.paid", "payout.failed")


@pytest.mark.parametrize(
    "order",
    [
        order
        for i, order in enumerate(itertools.permutations(EVENTS))
        if i % 4 == 0  # six of the 24 orders, each event first in some
    ],
    ids="-".join,
)
def test_payout_events_in_any_order_and_repeated_post_each_balance_transaction_once(
    fake_stripe, deliver, paid_gift, order
):
    paid_gift()
    payout = fake_stripe.create_payout()
    fake_stripe.pay_payout(payout["id"])
    fake_stripe.fail_payout(payout["id"])

    first = None
    for type in order:
        event = deliver(type, payout["id"])
        first = first or event
    deliver(order[0], payout["id"], event_id=first.event_id)  # Stripe retries one
    deliver(order[-1], payout["id"])  # and sends another of the same kind

    assert LedgerTransaction.objects.filter(flow=Flow.PAYOUT).count() == 2
    assert balances()["bank"] == 0
    assert balances()["stripe-clearing"] == 2437
    assert unbalanced_transactions() == []


def test_the_hourly_repair_records_a_payout_whose_events_never_came(
    fake_stripe, paid_gift
):
    paid_gift()
    payout = fake_stripe.create_payout()

    repair_from_stripe.delay()

    assert balances()["bank"] == payout["amount"] == 2437
    assert LedgerTransaction.objects.filter(flow=Flow.PAYOUT).count() == 1


def test_the_repair_records_a_payout_that_failed_days_after_it_was_created(
    fake_stripe, deliver, paid_gift
):
    now = fake_stripe.clock
    fake_stripe.clock = now - 6 * DAY  # the gift and the payout, long ago
    paid_gift()
    payout = fake_stripe.create_payout()
    deliver("payout.created", payout["id"])
    fake_stripe.clock = now
    fake_stripe.fail_payout(payout["id"])  # and its payout.failed event is lost

    counts = repair_from_stripe.delay().get()

    assert counts["payouts"] == 0  # the payout is older than the repair's window
    assert counts["balance_transactions"] == 1  # but its return is not
    assert balances()["bank"] == 0
    assert balances()["stripe-clearing"] == 2437


def test_stripes_own_fee_is_borne_by_the_general_fund(fake_stripe, paid_gift):
    paid_gift()
    fee = fake_stripe.charge_stripe_fee(500)

    repair_from_stripe.delay()
    repair_from_stripe.delay()

    posting = LedgerTransaction.objects.get(cause_key=f"stripe:{fee['id']}")
    assert posting.flow == Flow.OTHER
    assert payout_legs(fee["id"]) == {"stripe-clearing": -500, "fees": 500}
    assert balances()["stripe-clearing"] == 2437 - 500
    assert ledger.fund_available(ledger.fund_account(fund_type="general")) == (
        2500 - 63 - 500
    )


def test_a_balance_transaction_of_another_kind_is_not_posted(fake_stripe, paid_gift):
    paid_gift()
    topup = fake_stripe.add_balance_transaction(type="topup", amount=10000)

    repair_from_stripe.delay()

    assert not LedgerTransaction.objects.filter(cause_key=f"stripe:{topup['id']}")
    assert balances()["stripe-clearing"] == 2437


def test_the_fake_stripe_lists_balance_transactions_by_payout_type_and_time(
    fake_stripe, paid_gift
):
    first = paid_gift()
    payout = fake_stripe.create_payout()
    later = paid_gift()
    api = client().v1

    def ids(**params):
        listed = api.balance_transactions.list(params=params)
        return {bt.id for bt in listed.auto_paging_iter()}

    first_bt = fake_stripe.charge_of(first.checkout_session_id)["balance_transaction"]
    later_bt = fake_stripe.charge_of(later.checkout_session_id)["balance_transaction"]
    assert ids(payout=payout["id"]) == {first_bt, payout["balance_transaction"]}
    assert ids(type="payout") == {payout["balance_transaction"]}
    assert ids(created={"gt": payout["created"]}) == {later_bt}
    listed = api.payouts.list(params={"status": "pending"})
    assert [p.id for p in listed.auto_paging_iter()] == [payout["id"]]


def test_a_misspelt_payout_parameter_is_refused_as_stripe_would(fake_stripe):
    misspelt: dict = {"state": "paid"}  # Stripe's name is "status"

    with pytest.raises(stripe.InvalidRequestError, match="unknown parameter: state"):
        client().v1.payouts.list(params=misspelt)
