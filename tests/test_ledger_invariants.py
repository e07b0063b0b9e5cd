"""The ledger's promises, whatever happens: every transaction's legs sum to zero,
every Stripe balance transaction is posted exactly once (no fund is ever credited
twice, none is missed), and on PostgreSQL the database itself refuses an
unbalanced or altered posting."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from donations.ledger import services as ledger
from donations.models import Account, LedgerLeg, LedgerTransaction
from donations.stripe import client as stripe_api
from tests.fake_stripe import (  # noqa: F401
    FakeStripe,
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

CASE, CAMPAIGN = uuid.UUID(int=1), uuid.UUID(int=2)
DESIGNATIONS = {
    "general": ("general", None),
    "case": ("case", CASE),
    "campaign": ("campaign", CAMPAIGN),
}
RATE = {"EUR": (1, 1), "USD": (92, 100), "GBP": (117, 100)}


class Rollback(Exception):
    pass


amounts = st.integers(min_value=500, max_value=50_000)
index = st.integers(min_value=0, max_value=20)
gift = st.tuples(
    st.just("give"),
    amounts,
    st.sampled_from(sorted(DESIGNATIONS)),
    st.sampled_from(sorted(RATE)),
)
operations = st.tuples(
    st.lists(gift, min_size=1, max_size=3),
    st.lists(
        st.one_of(
            gift,
            st.tuples(
                st.just("monthly"), amounts, st.sampled_from(sorted(DESIGNATIONS))
            ),
            st.tuples(st.just("renew"), index),
            st.tuples(st.just("decline"), index),
            st.tuples(
                st.just("refund"), index, st.integers(min_value=1, max_value=100)
            ),
            # a dispute, perhaps decided at once
            st.tuples(st.just("dispute"), index, st.sampled_from([None, True, False])),
            st.tuples(st.just("close"), index, st.booleans()),
            st.tuples(st.just("deliver"), st.booleans()),
        ),
        max_size=12,
    ),
).map(lambda parts: parts[0] + parts[1])


class Story:
    """Applies random operations to a fake Stripe and delivers their events, some
    late, some in another order, some twice."""

    def __init__(self, world: FakeStripe, data):
        self.world = world
        self.data = data
        self.charges: list[str] = []  # one-off charges
        self.subscriptions: list[str] = []
        self.disputes: list[str] = []
        self.fund_of_charge: dict[str, str] = {}
        self.pending: list[tuple[str, str]] = []
        self.delivered: list[tuple[str, str, str]] = []

    def fee(self, settled: int) -> int:
        return settled * 14 // 1000 + 25

    def settle(self, amount: int, currency: str) -> int:
        numerator, denominator = RATE[currency]
        return amount * numerator // denominator

    def apply(self, operation) -> None:
        world = self.world
        kind, *args = operation
        if kind == "give":
            amount, designation, currency = args
            fund_type, key = DESIGNATIONS[designation]
            donation = start_donation(
                amount=amount,
                currency=currency,
                designation=fund_type,
                subject_key=key,
            )
            settled = self.settle(amount, currency)
            session = world.complete_checkout(
                donation.checkout_session_id,
                settled_amount=settled,
                fee=self.fee(settled),
            )
            charge = world.charge_of(session["id"])["id"]
            self.charges.append(charge)
            self.fund_of_charge[charge] = fund_code(fund_type, key)
            self.pending.append(("checkout.session.completed", session["id"]))
        elif kind == "monthly":
            amount, designation = args
            fund_type, key = DESIGNATIONS[designation]
            donation = start_donation(
                frequency="monthly",
                amount=amount,
                designation=fund_type,
                subject_key=key,
            )
            session = world.complete_checkout(
                donation.checkout_session_id, fee=self.fee(amount)
            )
            self.subscriptions.append(session["subscription"])
            self.fund_of_charge[world.charge_of(session["id"])["id"]] = fund_code(
                fund_type, key
            )
            self.pending += [
                ("checkout.session.completed", session["id"]),
                ("customer.subscription.created", session["subscription"]),
                ("invoice.paid", session["invoice"]),
            ]
        elif kind in ("renew", "decline") and self.subscriptions:
            subscription = self.subscriptions[args[0] % len(self.subscriptions)]
            if world.get(subscription)["status"] == "canceled":
                return
            if kind == "renew":
                invoice = world.pay_invoice(subscription)
                first = world.get(subscription)
                charge = world.charge_of(invoice["id"])["id"]
                self.fund_of_charge[charge] = next(
                    f
                    for c, f in self.fund_of_charge.items()
                    if world.get(c)["customer"] == first["customer"]
                )
                self.pending.append(("invoice.paid", invoice["id"]))
            else:
                invoice = world.fail_invoice(subscription)
                self.pending.append(("invoice.payment_failed", invoice["id"]))
        elif kind == "refund" and self.charges:
            charge = world.get(self.charges[args[0] % len(self.charges)])
            left = charge["amount"] - charge["amount_refunded"]
            if charge["disputed"] or left <= 0:
                return
            world.refund(charge["id"], max(1, left * args[1] // 100))
            self.pending.append(("charge.refunded", charge["id"]))
        elif kind == "dispute" and self.charges:
            charge = world.get(self.charges[args[0] % len(self.charges)])
            left = charge["amount"] - charge["amount_refunded"]
            if charge["disputed"] or left <= 0:
                return
            dispute = world.open_dispute(charge["id"], amount=left)
            self.disputes.append(dispute["id"])
            self.pending.append(("charge.dispute.created", dispute["id"]))
            if args[1] is not None:
                world.close_dispute(dispute["id"], won=args[1])
                self.pending.append(("charge.dispute.closed", dispute["id"]))
        elif kind == "close" and self.disputes:
            dispute = world.get(self.disputes[args[0] % len(self.disputes)])
            if dispute["status"] != "needs_response":
                return
            world.close_dispute(dispute["id"], won=args[1])
            self.pending.append(("charge.dispute.closed", dispute["id"]))
        elif kind == "deliver":
            self.deliver(repeat=args[0])

    def deliver(self, *, repeat: bool) -> None:
        """What is pending, in an order of hypothesis' choosing, processed as it
        arrives; then, perhaps, some earlier events again (same id or a new one)."""
        from donations.stripe.events import event_process

        batch = self.data.draw(st.permutations(self.pending), label="delivery order")
        self.pending = []
        for type_, object_id in batch:
            stored = receive(self.world, type_, object_id)
            self.delivered.append((type_, object_id, stored.event_id))
            try:
                event_process(event_pk=stored.pk)
            except Exception:  # NotYetKnown: retried below
                pass
        if repeat and self.delivered:
            again = self.data.draw(
                st.lists(st.sampled_from(self.delivered), max_size=4), label="repeats"
            )
            for type_, object_id, event_id in again:
                same = self.data.draw(st.booleans(), label="same event id")
                stored = receive(
                    self.world, type_, object_id, event_id=event_id if same else None
                )
                assert (stored is None) == same  # a repeated id is never stored
        process_waiting()

    # What the ledger must say, computed from Stripe's balance transactions alone.

    def expected(self) -> dict[str, int]:
        world = self.world
        totals: dict[str, int] = {}

        def add(code, amount):
            totals[code] = totals.get(code, 0) + amount

        for bt in world.of_kind("balance_transaction"):
            source = world.get(bt["source"])
            charge = source["id"] if source["object"] == "charge" else source["charge"]
            dispute = bt["reporting_category"] in ("dispute", "dispute_reversal")
            fund = self.fund_of_charge[charge]
            add("stripe-clearing", bt["net"])
            add(fee_code("dispute-fees" if dispute else "fees", fund), bt["fee"])
            add(fund, -bt["amount"])
        return dict(sorted(totals.items()))


def fund_code(fund_type, key):
    return f"fund:{fund_type}:{key}" if key else "fund:general"


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No shrinking (each example is a whole story: shrinking took minutes) and no
    # example database in the checkout; a failure prints its full story.
    phases=[Phase.explicit, Phase.generate],
    database=None,
)
@given(operations=operations, data=st.data())
def test_any_story_of_gifts_refunds_disputes_and_repeats_posts_each_effect_once(
    fake_stripe, manage_links, monkeypatch, operations, data
):
    world = FakeStripe()
    monkeypatch.setattr(stripe_api, "HTTP_CLIENT", world.http_client())
    try:
        with transaction.atomic():
            story = Story(world, data)
            for operation in operations:
                story.apply(operation)
            story.deliver(repeat=True)

            assert unbalanced_transactions() == []
            assert sum(LedgerLeg.objects.values_list("amount", flat=True)) == 0
            assert ledger.rollup_mismatches() == []
            assert sorted(
                LedgerTransaction.objects.values_list("cause_key", flat=True)
            ) == sorted(
                f"stripe:{bt['id']}" for bt in world.of_kind("balance_transaction")
            )
            got = {code: total for code, total in balances().items() if total}
            assert got == {
                code: total for code, total in story.expected().items() if total
            }
            raise Rollback
    except Rollback:
        pass


# --- The rules themselves ------------------------------------------------------------


def posted(amount=2500):
    return ledger.ledger_post(
        cause_key=f"test:{uuid.uuid4()}",
        description="a gift",
        occurred_at=datetime.datetime(2026, 11, 22, 10, tzinfo=datetime.UTC),
        legs=[
            (ledger.clearing_account(), amount),
            (ledger.fund_account(fund_type="general"), -amount),
        ],
    )


def test_an_unbalanced_posting_is_refused_before_it_reaches_the_database():
    with pytest.raises(ledger.UnbalancedTransaction):
        ledger.ledger_post(
            cause_key="test:unbalanced",
            description="a mistake",
            occurred_at=datetime.datetime(2026, 11, 22, 10, tzinfo=datetime.UTC),
            legs=[(ledger.clearing_account(), 100), (ledger.fees_account(), -99)],
        )
    assert not LedgerTransaction.objects.exists()


def test_posting_the_same_cause_again_returns_the_first_posting():
    first = ledger.ledger_post(
        cause_key="test:once",
        description="a gift",
        occurred_at=datetime.datetime(2026, 11, 22, 10, tzinfo=datetime.UTC),
        legs=[
            (ledger.clearing_account(), 700),
            (ledger.fund_account(fund_type="general"), -700),
        ],
    )
    again = ledger.ledger_post(
        cause_key="test:once",
        description="a gift, again",
        occurred_at=datetime.datetime(2026, 11, 22, 10, tzinfo=datetime.UTC),
        legs=[
            (ledger.clearing_account(), 900),
            (ledger.fund_account(fund_type="general"), -900),
        ],
    )
    assert again == first
    assert ledger.fund_balance(fund_type="general") == 700


@pytest.mark.postgres
# serialized_rollback: without it the flush afterwards makes content types again,
# and the next module that restores the migrations' rows would insert them twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_refuses_to_commit_an_unbalanced_transaction_written_directly():
    clearing = ledger.clearing_account()
    fund = ledger.fund_account(fund_type="general")
    with pytest.raises(IntegrityError, match="unbalanced"):
        with transaction.atomic():
            entry = LedgerTransaction.objects.create(
                cause_key="test:direct",
                description="sql",
                occurred_at=datetime.datetime(2026, 11, 22, 10, tzinfo=datetime.UTC),
            )
            LedgerLeg.objects.create(transaction=entry, account=clearing, amount=100)
            LedgerLeg.objects.create(transaction=entry, account=fund, amount=-99)
    assert not LedgerTransaction.objects.filter(cause_key="test:direct").exists()
    # balanced, written the same way, commits
    with transaction.atomic():
        entry = LedgerTransaction.objects.create(
            cause_key="test:direct",
            description="sql",
            occurred_at=datetime.datetime(2026, 11, 22, 10, tzinfo=datetime.UTC),
        )
        LedgerLeg.objects.create(transaction=entry, account=clearing, amount=100)
        LedgerLeg.objects.create(transaction=entry, account=fund, amount=-100)
    assert ledger.balance(fund) == -100


@pytest.mark.postgres
def test_postgres_checks_the_balance_when_constraints_are_checked_mid_transaction():
    from django.db import connection

    entry = LedgerTransaction.objects.create(
        cause_key="test:deferred", description="sql", occurred_at="2026-11-22T10:00:00Z"
    )
    with pytest.raises(IntegrityError, match="unbalanced"):
        with transaction.atomic():
            LedgerLeg.objects.create(
                transaction=entry, account=ledger.fees_account(), amount=5
            )
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgres
@pytest.mark.parametrize(
    "change",
    ["update a leg", "delete a leg", "update a transaction", "delete a transaction"],
)
def test_postgres_refuses_to_change_or_delete_a_posting(change):
    entry = posted()
    leg = entry.legs.first()
    with pytest.raises(IntegrityError, match="immutable"):
        with transaction.atomic():
            if change == "update a leg":
                LedgerLeg.objects.filter(pk=leg.pk).update(amount=1)
            elif change == "delete a leg":
                LedgerLeg.objects.filter(pk=leg.pk).delete()
            elif change == "update a transaction":
                LedgerTransaction.objects.filter(pk=entry.pk).update(description="x")
            else:  # beneath the ORM's PROTECT, straight to SQL
                LedgerTransaction.objects.filter(pk=entry.pk)._raw_delete("default")
    assert sorted(entry.legs.values_list("amount", flat=True)) == [-2500, 2500]
    assert Account.objects.count() == 2
