"""The network page's figures come from roll-ups kept with the ledger (issue 16):
`DisclosedMonth` (each fund's published batches under the disclosure rule, by the
month that publishes them) and `CasePaid` (each case's payments). They must say to
the cent what the rule applied fund by fund to the legs says, whatever order the
postings come in (refunds and disputes landing in months published long ago, gifts
this month that must wait), change in the transaction that posts, and be rebuilt
and checked like the other roll-ups."""

import datetime
import importlib
import random
import uuid

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from donations.ledger import services as ledger
from donations.models import (
    Account,
    CasePaid,
    Designation,
    DisclosedMonth,
    Donation,
    Flow,
    LedgerLeg,
)
from donations.transparency.disclosure import gift_batches
from donations.transparency.selectors import (
    GiftMonth,
    disclose_gifts,
    network_money,
    network_raised_last_month,
    public_cutoff,
    round_down,
)
from tests.conftest import add_profile
from tests.factories import RegionFactory
from tests.gifts import give, post, refund

pytestmark = pytest.mark.django_db


# --- Time -----------------------------------------------------------------------------


def month_start(months_ago: int) -> datetime.date:
    first = public_cutoff()
    month = first.month - months_ago
    year = first.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def at(months_ago: int, day: int = 10) -> datetime.datetime:
    """Noon (UTC) on `day` of the month `months_ago` before this one (this month:
    now, so that nothing is in the future)."""
    if months_ago <= 0:
        return timezone.now()
    return datetime.datetime.combine(
        month_start(months_ago).replace(day=day), datetime.time(12), datetime.UTC
    )


# Every cut-off a visitor could meet: a year back, now, and next month.
CUTOFFS = tuple(range(12, -2, -1))


# --- The rule as it was applied before the roll-up: fund by fund, from the legs ---


def funds_from_legs() -> dict[tuple, dict[datetime.date, GiftMonth]]:
    """Each fund's gift months, read from its legs (not from any roll-up)."""
    funds: dict[tuple, dict[datetime.date, GiftMonth]] = {}
    legs = LedgerLeg.objects.filter(
        account__kind__in=ledger.FUND_KINDS, transaction__flow__in=ledger.DONOR_FLOWS
    ).values_list(
        "account__fund_type",
        "account__subject_key",
        "account__kind",
        "transaction__occurred_at",
        "transaction__flow",
        "amount",
    )
    for fund_type, key, kind, occurred_at, flow, amount in legs:
        month = occurred_at.astimezone(datetime.UTC).date().replace(day=1)
        months = funds.setdefault((fund_type, key), {})
        gift_month = months.setdefault(month, GiftMonth(month=month))
        if kind != Account.Kind.FUND:
            gift_month.fees += amount
        elif flow == Flow.DISPUTE:
            gift_month.refunds += amount  # withdrawn, less what a won one gave back
        elif amount < 0:
            gift_month.gifts -= amount
            if flow == Flow.ONE_OFF:
                gift_month.one_off_gifts += 1
            else:
                gift_month.monthly_gifts += 1
        else:
            gift_month.refunds += amount
    return funds


def raised_under_the_rule(today: datetime.date) -> dict:
    cutoff = public_cutoff(today)
    by_type = dict.fromkeys(Account.FundType.values, 0)
    refunds = fees = 0
    for (fund_type, _key), months in funds_from_legs().items():
        figure = disclose_gifts(months.values(), cutoff=cutoff)
        by_type[fund_type] += figure.raised
        refunds += figure.refunds
        fees += figure.fees
    return {
        "raised": sum(by_type.values()),
        "by_fund": {key: amount for key, amount in by_type.items() if amount},
        "refunds": round_down(refunds),
        "fees": round_down(fees),
    }


def raised_last_month_under_the_rule(today: datetime.date, look_back: int = 12):
    """`network_raised_last_month` as it was: the rule applied to every fund at
    each month's start."""
    funds = [months.values() for months in funds_from_legs().values()]

    def published(before):
        return sum(disclose_gifts(months, cutoff=before).raised for months in funds)

    cutoff = public_cutoff(today)
    last_month = (cutoff - datetime.timedelta(days=1)).replace(day=1)
    later, month = published(cutoff), cutoff
    for _ in range(look_back):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        earlier = published(month)
        if later > earlier:
            return (month, later - earlier, month == last_month)
        later = earlier
    return (last_month, 0, True)


def network_figures(today: datetime.date) -> dict:
    money = network_money(today=today)
    return {
        "raised": money.raised,
        "by_fund": {share.key: share.amount for share in money.raised_by_fund},
        "refunds": money.refunds,
        "fees": money.fees,
    }


def assert_the_network_says_what_the_rule_says():
    for months_ago in CUTOFFS:
        today = month_start(months_ago) + datetime.timedelta(days=14)
        assert network_figures(today) == raised_under_the_rule(today), months_ago
        last = network_raised_last_month(today=today)
        assert (last.month, last.raised, last.is_last_month) == (
            raised_last_month_under_the_rule(today)
        ), months_ago
    assert ledger.rollup_mismatches() == []


# --- The batches ----------------------------------------------------------------------


def random_months(rng: random.Random) -> list[GiftMonth]:
    start = datetime.date(2025, 1, 1)
    months = []
    for n in rng.sample(range(24), rng.randint(0, 16)):
        one_off = rng.choice((0, 0, 1, 1, 2, 3, 5))
        monthly = rng.choice((0, 0, 1, 2, 3))
        gifts = sum(rng.choice((500, 1999, 2500, 10_000)) for _ in range(one_off))
        gifts += monthly * rng.choice((1000, 1550))
        months.append(
            GiftMonth(
                month=datetime.date(start.year + n // 12, n % 12 + 1, 1),
                one_off_gifts=one_off,
                monthly_gifts=monthly,
                gifts=gifts,
                refunds=rng.choice((0, 0, 0, 700, gifts, gifts + 5000)),
                fees=rng.choice((0, 30, 250)) * (one_off + monthly),
            )
        )
    return months


@pytest.mark.parametrize("seed", range(40))
def test_the_batches_closed_before_a_cutoff_add_up_to_what_the_rule_publishes(seed):
    rng = random.Random(seed)
    months = random_months(rng)
    batches = gift_batches(months)

    for n in range(26):
        cutoff = datetime.date(2025 + n // 12, n % 12 + 1, 1)
        published = [batch for batch in batches if batch.month < cutoff]
        figure = disclose_gifts(months, cutoff=cutoff)
        assert sum(batch.raised for batch in published) == figure.raised
        assert sum(batch.gifts for batch in published) == figure.gifts
        assert sum(batch.refunds for batch in published) == figure.refunds
        assert sum(batch.fees for batch in published) == figure.fees
        assert (published[-1].month if published else None) == figure.through


# --- Gifts, refunds and disputes, in any order ----------------------------------------


def fund_gift(fund, amount, when, *, monthly=False, fee=0):
    designation, key = fund
    return give(
        amount=amount,
        fee=fee,
        designation=designation,
        subject_key=key,
        frequency=Donation.Frequency.MONTHLY if monthly else Donation.Frequency.ONE_OFF,
        when=when,
    )


def dispute_lost(donation, when):
    post(donation, amount=-donation.amount, fee=1500, when=when, kind="dispute")


def dispute_won_back(donation, when):
    post(
        donation, amount=donation.amount, fee=-1500, when=when, kind="dispute_reversal"
    )


@pytest.mark.parametrize("seed", range(3))
def test_the_network_figures_equal_the_rule_applied_to_each_funds_legs(seed):
    rng = random.Random(seed)
    funds = [(Designation.GENERAL, None)]
    funds += [(Designation.CAMPAIGN, uuid.uuid4()) for _ in range(2)]
    funds += [(Designation.CASE, uuid.uuid4()) for _ in range(3)]
    gifts = [
        (fund, months_ago, rng.random() < 0.3)
        for fund in funds
        for months_ago in range(9, -1, -1)
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4)))
    ]
    rng.shuffle(gifts)  # late events: months are not posted in order
    donations = []
    for fund, months_ago, monthly in gifts:
        when = at(months_ago, day=rng.randint(1, 28))
        amount = rng.choice((1000, 2599, 5000, 12_345))
        donation = fund_gift(
            fund, amount, when, monthly=monthly, fee=rng.choice((0, 60, 175))
        )
        donations.append((donation, months_ago))
    for donation, months_ago in rng.sample(donations, len(donations) // 5):
        # Refunded then, later, or this month; in part or in full.
        when = at(rng.randint(0, months_ago), day=rng.randint(1, 28))
        refund(donation, amount=rng.choice((donation.amount, 500)), when=when)
    for donation, months_ago in rng.sample(donations, len(donations) // 12):
        lost_in = rng.randint(0, months_ago)
        dispute_lost(donation, at(lost_in, day=rng.randint(1, 28)))
        if rng.random() < 0.5:
            dispute_won_back(donation, at(rng.randint(0, lost_in), day=28))

    assert_the_network_says_what_the_rule_says()


def test_a_refund_in_a_month_already_published_lowers_the_total_at_once():
    case = (Designation.CASE, uuid.uuid4())
    first, *_ = [fund_gift(case, 4000, at(3)) for _ in range(3)]
    assert network_figures(public_cutoff())["by_fund"] == {"case": 12_000}

    # Stripe's late event: the refund happened in that month.
    refund(first, amount=3000, when=at(3, day=20))
    assert network_figures(public_cutoff())["by_fund"] == {"case": 9000}
    assert_the_network_says_what_the_rule_says()


def test_a_refund_this_month_waits_for_the_batch_it_falls_in():
    case = (Designation.CASE, uuid.uuid4())
    first, *_ = [fund_gift(case, 4000, at(3)) for _ in range(3)]
    refund(first, amount=2000, when=at(0))
    next_month = public_cutoff() + datetime.timedelta(days=40)

    # Next month the refund's month is closed, but no batch holds it yet.
    assert network_figures(next_month)["by_fund"] == {"case": 12_000}
    for _ in range(3):
        fund_gift(case, 1000, at(0))
    assert network_figures(next_month)["by_fund"] == {"case": 13_000}
    assert network_figures(public_cutoff())["by_fund"] == {"case": 12_000}
    assert_the_network_says_what_the_rule_says()


def test_a_lost_dispute_and_its_fee_count_with_their_batch():
    case = (Designation.CASE, uuid.uuid4())
    gifts = [fund_gift(case, 5000, at(2), fee=100) for _ in range(3)]
    dispute_lost(gifts[0], at(2, day=25))

    figures = network_figures(public_cutoff())
    assert figures["by_fund"] == {"case": 10_000}
    assert figures["fees"] == round_down(300 + 1500)
    assert figures["refunds"] == 5000
    assert_the_network_says_what_the_rule_says()


# --- In the same transaction ----------------------------------------------------------


class RolledBack(Exception):
    pass


def test_the_gift_that_completes_a_batch_publishes_it_in_the_transaction_posting_it():
    case = (Designation.CASE, uuid.uuid4())
    for _ in range(2):
        fund_gift(case, 2000, at(2))
    assert network_figures(public_cutoff())["by_fund"] == {}

    with pytest.raises(RolledBack), transaction.atomic():
        fund_gift(case, 2000, at(2))
        # Seen by the transaction that posted it, before any commit.
        assert network_figures(public_cutoff())["by_fund"] == {"case": 6000}
        raise RolledBack

    # Rolled back with the legs: nothing was published.
    assert network_figures(public_cutoff())["by_fund"] == {}
    assert ledger.rollup_mismatches() == []


def test_a_payment_counts_for_its_case_in_the_transaction_posting_it():
    case_key = uuid.uuid4()
    with pytest.raises(RolledBack), transaction.atomic():
        pay(case_key, "counsel", 7000, at(1), "payment:1")
        assert CasePaid.objects.get(case_key=case_key).paid == 7000
        assert network_money().paid == 7000
        raise RolledBack
    assert not CasePaid.objects.exists()
    assert network_money().paid == 0


# --- Payments by region and category --------------------------------------------------


_causes = iter(range(10**6))


def allocate(case_key, category, amount, when):
    ledger.ledger_post(
        cause_key=f"allocation:{next(_causes)}",
        description="Allocation",
        occurred_at=when,
        legs=[
            (ledger.fund_account(fund_type=Account.FundType.GENERAL), amount),
            (ledger.committed_account(case_key=case_key, category=category), -amount),
        ],
        flow=Flow.ALLOCATION,
    )


def pay(case_key, category, amount, when, cause=None):
    """A payment (a reversal when `amount` is negative), as disbursements post."""
    ledger.ledger_post(
        cause_key=cause or f"disbursement:{next(_causes)}",
        description="Disbursement",
        occurred_at=when,
        legs=[
            (ledger.committed_account(case_key=case_key, category=category), amount),
            (ledger.bank_account(), -amount),
        ],
        flow=Flow.DISBURSEMENT,
    )


def paid_before(cutoff: datetime.date, case_key) -> int:
    before = datetime.datetime.combine(cutoff, datetime.time(), datetime.UTC)
    return sum(
        LedgerLeg.objects.filter(
            account__kind=Account.Kind.COMMITTED,
            account__subject_key=case_key,
            transaction__flow=Flow.DISBURSEMENT,
            transaction__occurred_at__lt=before,
        ).values_list("amount", flat=True)
    )


def test_payments_by_region_and_category_equal_the_legs_before_each_cutoff(
    prisoner_index,
):
    crimea = RegionFactory(name="Crimea", slug="crimea")
    shown = add_profile(prisoner_index, title="Shown Region", home_region=crimea)
    hidden = add_profile(
        prisoner_index,
        title="Hidden Region",
        home_region=crimea,
        hidden_fields=",home_region,",
    )
    cases = [shown.translation_key, hidden.translation_key, uuid.uuid4()]
    rng = random.Random(16)
    for case_key in cases:
        for category in ("counsel", "travel"):
            allocate(case_key, category, 50_000, at(8))
            for months_ago in rng.sample(range(8), 5):
                amount = rng.choice((1000, 2500, 4000))
                pay(case_key, category, amount, at(months_ago, day=rng.randint(1, 28)))
                if rng.random() < 0.3:  # partly reversed, maybe a month later
                    pay(case_key, category, -500, at(max(0, months_ago - 1), day=28))

    for months_ago in CUTOFFS:
        today = month_start(months_ago) + datetime.timedelta(days=3)
        cutoff = public_cutoff(today)
        money = network_money(today=today)
        paid = {key: paid_before(cutoff, key) for key in cases}
        expected = {"crimea": paid[cases[0]], "": paid[cases[1]] + paid[cases[2]]}
        assert {s.key: s.amount for s in money.paid_by_region} == {
            region: amount for region, amount in expected.items() if amount
        }, months_ago
        assert money.paid == sum(paid.values())
        assert sum(s.amount for s in money.paid_by_category) == money.paid
        assert money.allocated == (300_000 if months_ago < 8 else 0)
    assert ledger.rollup_mismatches() == []


# --- Rebuilt and checked --------------------------------------------------------------


@pytest.fixture
def some_money():
    case = (Designation.CASE, uuid.uuid4())
    for months_ago in (3, 2, 1):
        for _ in range(3):
            fund_gift(case, 3000, at(months_ago), fee=90)
    pay(case[1], "counsel", 9000, at(1))
    return case


def test_a_damaged_roll_up_is_found_and_the_rebuild_restores_it(some_money):
    before = network_money()
    DisclosedMonth.objects.update(raised=F("raised") + 1000)
    CasePaid.objects.update(paid=F("paid") - 1)

    damaged = {row[0] for row in ledger.rollup_mismatches()}
    assert damaged == {"DisclosedMonth", "CasePaid"}

    ledger.rollup_rebuild()
    assert ledger.rollup_mismatches() == []
    assert network_money() == before


def test_the_migration_fills_the_roll_ups_from_the_ledger(some_money):
    before = network_money()
    DisclosedMonth.objects.all().delete()
    CasePaid.objects.all().delete()

    migration = importlib.import_module("donations.migrations.0012_network_rollups")
    migration.fill(apps, None)
    migration.fill_case_paid(apps, None)

    assert ledger.rollup_mismatches() == []
    assert network_money() == before


# --- At the same moment ---------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gifts_to_one_fund_posted_at_once_are_published_under_the_rule():
    from tests.concurrency import at_once

    case = (Designation.CASE, uuid.uuid4())
    # One gift a month: alone, none publishes anything; three make a batch. Each
    # posting works out the fund's batches, so they must not miss each other's.
    results, errors = at_once(
        [
            lambda months_ago=months_ago: fund_gift(case, 2000, at(months_ago))
            for months_ago in range(6, 0, -1)
        ]
    )
    assert errors == [] and len(results) == 6
    assert network_figures(public_cutoff())["by_fund"] == {"case": 12_000}
    assert_the_network_says_what_the_rule_says()
