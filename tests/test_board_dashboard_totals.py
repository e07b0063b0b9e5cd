"""The Board's dashboard equals the ledger to the cent, over random stories of gifts,
refunds, disputes, allocations, payments and their reversals, whatever the filter."""

import datetime
import itertools
import random
from unittest import mock

import pytest
from django.db.models import Q, Sum

from accounts.roles import BOARD_GROUP
from donations.dashboard import selectors
from donations.ledger import services as ledger
from donations.models import (
    Account,
    BudgetCategory,
    Designation,
    Donation,
    Flow,
    LedgerLeg,
    Payee,
    Subscription,
)
from donations.spending import services as allocations
from donations.stripe.sync import post_balance_transaction
from tests.conftest import add_profile, make_user
from tests.factories import CampaignPageFactory, RegionFactory

pytestmark = pytest.mark.django_db

GIFT_FLOWS = [Flow.ONE_OFF, Flow.MONTHLY]
DONOR_FLOWS = [*GIFT_FLOWS, Flow.DISPUTE]
FUND_KINDS = [Account.Kind.FUND, Account.Kind.FEES, Account.Kind.DISPUTE_FEES]
CATEGORIES = list(BudgetCategory.values)


# --- Stories --------------------------------------------------------------------------

_txn = itertools.count(1)


def at(month: datetime.date, day: int = 10, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(
        month.replace(day=day), datetime.time(hour), datetime.UTC
    )


def give(
    *,
    designation: str,
    subject_key=None,
    amount: int,
    when: datetime.datetime,
    frequency: str = Donation.Frequency.ONE_OFF,
    fee: int | None = None,
    refund: int = 0,
    dispute: bool = False,
    dispute_won: bool = False,
    subscription=None,
) -> Donation:
    """A paid gift posted as Stripe's balance transactions would post it (as
    donations/demo.py does), and what later happened to it."""
    fee = amount * 15 // 1000 + 25 if fee is None else fee
    donation = Donation.objects.create(
        frequency=frequency,
        currency="EUR",
        amount=amount,
        designation=designation,
        subject_key=subject_key,
        status=Donation.Status.PAID,
        settled_amount=amount,
        fee_amount=fee,
        paid_at=when,
        subscription=subscription,
    )
    created = int(when.timestamp())

    def post(kind, category, offset_days, amount_, fee_, source=None):
        bt = {
            "id": f"txn_board_{next(_txn)}",
            "type": kind,
            "reporting_category": category,
            "created": created + offset_days * 86400,
            "amount": amount_,
            "fee": fee_,
            "net": amount_ - fee_,
        }
        if source:
            bt["source"] = source
        post_balance_transaction(bt=bt, donation=donation)

    post("charge", "charge", 0, amount, fee)
    if refund:
        post("refund", "refund", 3, -refund, 0)
    if dispute:
        post("adjustment", "dispute", 20, -amount, 1500, f"du_{donation.pk}")
        if dispute_won:
            post(
                "adjustment", "dispute_reversal", 45, amount, -1500, f"du_{donation.pk}"
            )
    return donation


def board_members(django_user_model):
    return (
        make_user(django_user_model, email="treasurer@example.org", group=BOARD_GROUP),
        make_user(django_user_model, email="chair@example.org", group=BOARD_GROUP),
    )


class Story:
    """Cases in two regions, a campaign about some of them, and a random history."""

    def __init__(self, rng: random.Random, *, index, campaign_index, drafter, approver):
        self.rng = rng
        self.drafter, self.approver = drafter, approver
        self.north = RegionFactory(name="North", slug="north")
        self.south = RegionFactory(name="South", slug="south")
        self.cases = [
            add_profile(
                index,
                title=f"Case {n}",
                home_region=self.north if n % 2 else self.south,
            )
            for n in range(4)
        ]
        self.campaign = CampaignPageFactory(parent=campaign_index, title="Free them")
        for case in self.cases[:2]:
            self.campaign.prisoner_links.create(prisoner=case)
        self.campaign.save_revision().publish()
        self.payee = Payee.objects.create(name="Counsel", kind=Payee.Kind.LAWYER)
        this_month = selectors.current_month()
        self.months = [selectors.add_months(this_month, -n) for n in range(14, -1, -1)]

    def gifts(self, count: int):
        rng = self.rng
        for _ in range(count):
            roll = rng.random()
            if roll < 0.3:
                designation, key = Designation.GENERAL, None
            elif roll < 0.5:
                designation, key = Designation.CAMPAIGN, self.campaign.translation_key
            else:
                designation = Designation.CASE
                key = rng.choice(self.cases).translation_key
            amount = rng.choice([500, 1000, 2500, 5000, 12345, 100000])
            fate = rng.random()
            give(
                designation=designation,
                subject_key=key,
                amount=amount,
                when=at(rng.choice(self.months[:-1]), rng.randint(1, 28)),
                frequency=rng.choice(list(Donation.Frequency.values)),
                refund=amount if fate < 0.05 else amount // 3 if fate < 0.1 else 0,
                dispute=0.1 <= fate < 0.15,
                dispute_won=0.1 <= fate < 0.12,
            )

    def budgets(self):
        for case in self.cases:
            for category in self.rng.sample(CATEGORIES, 3):
                allocations.budget_line_set(
                    case=case,
                    category=category,
                    planned_amount=self.rng.randint(1, 400) * 1000,
                    user=self.drafter,
                )

    def spend(self, count: int):
        """Allocations from each kind of fund in several months, payments against
        them, and reversals of both."""
        rng = self.rng
        approved = []
        for _ in range(count):
            case = rng.choice(self.cases)
            funds = allocations.funds_for_case(case)
            fund = rng.choice(funds)
            available = ledger.fund_available(fund) - allocations.fund_pending(fund)
            amount = rng.randint(1, 60000)
            general = fund.fund_type == Account.FundType.GENERAL
            if not general and available < 100:
                continue
            if not general:
                amount = min(amount, available)
            month = rng.choice(self.months)
            with mock.patch("django.utils.timezone.now", return_value=at(month, 15)):
                entry = allocations.allocation_draft(
                    fund=fund,
                    case=case,
                    category=rng.choice(CATEGORIES),
                    amount=amount,
                    purpose="Defence",
                    drafted_by=self.drafter,
                )
                entry = allocations.allocation_approve(
                    allocation=entry, approver=self.approver, approve_overdraft=True
                )
            approved.append((entry, month))
        for entry, month in approved:
            roll = rng.random()
            if roll < 0.15:
                self._reverse_allocation(entry, month)
            elif roll < 0.8:
                self._pay(entry, month)

    def _reverse_allocation(self, entry, month):
        later = min(selectors.add_months(month, 1), self.months[-1])
        with mock.patch("django.utils.timezone.now", return_value=at(later, 20)):
            reversal = allocations.allocation_reversal_draft(
                allocation=entry,
                amount=max(1, entry.amount // 2),
                reason="Not needed",
                drafted_by=self.approver,
            )
            allocations.allocation_approve(allocation=reversal, approver=self.drafter)

    def _pay(self, entry, month):
        rng = self.rng
        paid_month = rng.choice([m for m in self.months if m >= month])
        with mock.patch(
            "django.utils.timezone.now", return_value=at(self.months[-1], 25)
        ):
            payment = allocations.disbursement_draft(
                allocation=entry,
                payee=self.payee,
                paid_on=at(paid_month, rng.randint(1, 24)).date(),
                amount=rng.randint(1, entry.amount),
                drafted_by=self.drafter,
            )
            payment = allocations.disbursement_approve(
                disbursement=payment, approver=self.approver
            )
            if rng.random() < 0.15:
                reversal = allocations.disbursement_reversal_draft(
                    disbursement=payment,
                    amount=max(1, payment.amount // 4),
                    reason="Returned",
                    drafted_by=self.approver,
                )
                allocations.disbursement_approve(
                    disbursement=reversal, approver=self.drafter
                )

    def monthly_gifts(self, count: int):
        rng = self.rng
        for n in range(count):
            start = rng.choice(self.months[:-2])
            payments = rng.randint(1, 5)
            cancelled = rng.random() < 0.4
            case = rng.choice(self.cases)
            subscription = Subscription.objects.create(
                stripe_id=f"sub_board_{n}",
                customer_id=f"cus_{n}",
                status="canceled" if cancelled else "active",
                currency=rng.choice(["EUR", "PLN"]),
                amount=rng.choice([500, 1000, 2000]),
                designation=Designation.CASE,
                subject_key=case.translation_key,
                started_at=at(start, 3),
                cancelled_at=at(
                    min(selectors.add_months(start, payments), self.months[-1]), 5
                )
                if cancelled
                else None,
            )
            for p in range(payments):
                month = selectors.add_months(start, p)
                if month > self.months[-1]:
                    break
                if rng.random() < 0.15:
                    Donation.objects.create(
                        frequency=Donation.Frequency.MONTHLY,
                        currency=subscription.currency,
                        amount=subscription.amount,
                        designation=Designation.CASE,
                        subject_key=case.translation_key,
                        status=Donation.Status.FAILED,
                        subscription=subscription,
                    )
                    continue
                give(
                    designation=Designation.CASE,
                    subject_key=case.translation_key,
                    amount=subscription.amount,
                    when=at(month, 4),
                    frequency=Donation.Frequency.MONTHLY,
                    subscription=subscription,
                )


@pytest.fixture
def story_factory(prisoner_index, campaign_index, django_user_model):
    drafter, approver = board_members(django_user_model)

    def build(seed: int, *, gifts=40, spend=25, monthly=6) -> Story:
        story = Story(
            random.Random(seed),
            index=prisoner_index,
            campaign_index=campaign_index,
            drafter=drafter,
            approver=approver,
        )
        story.gifts(gifts)
        story.budgets()
        story.spend(spend)
        story.monthly_gifts(monthly)
        return story

    return build


# --- What the legs say ----------------------------------------------------------------


def legs_total(*conditions, **filters) -> int:
    return (
        LedgerLeg.objects.filter(*conditions, **filters).aggregate(s=Sum("amount"))["s"]
        or 0
    )


def in_period(start, end) -> Q:
    when = Q(transaction__occurred_at__lt=selectors._utc(selectors.add_months(end, 1)))
    if start:
        when &= Q(transaction__occurred_at__gte=selectors._utc(start))
    return when


def fund_figures(fund_q: Q, start=None, end=None) -> dict:
    end = end or selectors.current_month()
    period = in_period(start, end)
    gifts = Q(transaction__flow__in=GIFT_FLOWS)
    donors = Q(transaction__flow__in=DONOR_FLOWS)
    disputes = Q(transaction__flow=Flow.DISPUTE)
    fund = fund_q & Q(account__kind=Account.Kind.FUND)
    return {
        # A won dispute's reinstatement is not gross: disputes count net, as refunds.
        "gross": -legs_total(fund, gifts, period, amount__lt=0),
        "refunds": legs_total(fund, gifts, period, amount__gt=0)
        + legs_total(fund, disputes, period),
        "fees": legs_total(fund_q, donors, period, account__kind__in=FUND_KINDS[1:]),
        "allocated": legs_total(fund, period, transaction__flow=Flow.ALLOCATION),
        "available": -legs_total(
            fund_q,
            in_period(None, end),
            account__kind__in=FUND_KINDS,
        ),
    }


def case_figures(key, start=None, end=None, category=None) -> dict:
    end = end or selectors.current_month()
    period = in_period(start, end)
    committed = Q(account__kind=Account.Kind.COMMITTED, account__subject_key=key) & (
        Q(account__category=category) if category else Q()
    )
    case_fund = Q(account__fund_type=Account.FundType.CASE, account__subject_key=key)
    return {
        "raised": -legs_total(
            case_fund,
            period,
            account__kind=Account.Kind.FUND,
            transaction__flow__in=DONOR_FLOWS,
        ),
        "allocated": -legs_total(committed, period, transaction__flow=Flow.ALLOCATION),
        "paid": legs_total(committed, period, transaction__flow=Flow.DISBURSEMENT),
        "available": -legs_total(
            case_fund, in_period(None, end), account__kind__in=FUND_KINDS
        ),
    }


def dashboard_case(data, key) -> dict:
    row = next(r for r in data.cases.rows if r.key == key)
    return {
        "raised": row.raised,
        "allocated": row.allocated,
        "paid": row.paid,
        "available": row.available,
    }


def fund_type_q(fund_type) -> Q:
    return Q(account__fund_type=fund_type)


# --- Tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_dashboards_totals_equal_the_ledgers_legs_to_the_cent(story_factory, seed):
    story = story_factory(seed)
    assert ledger.rollup_mismatches() == []

    data = selectors.dashboard(selectors.default_filters(), per_page=None)

    for fund_type in selectors.FUND_TYPES:
        totals = data.movements.funds[fund_type]
        expected = fund_figures(fund_type_q(fund_type))
        assert {
            "gross": totals.gross,
            "refunds": totals.refunds,
            "fees": totals.fees,
            "allocated": totals.allocated,
            "available": totals.closing_available,
        } == expected, fund_type
        assert totals.other == 0
    everything = fund_figures(Q())
    assert data.totals["gross"] == everything["gross"]
    assert data.totals["available"] == everything["available"]
    assert data.totals["paid"] == legs_total(
        account__kind=Account.Kind.COMMITTED, transaction__flow=Flow.DISBURSEMENT
    )
    assert data.totals["allocated"] == -legs_total(
        account__kind=Account.Kind.COMMITTED, transaction__flow=Flow.ALLOCATION
    )
    assert data.totals["unpaid"] == -legs_total(account__kind=Account.Kind.COMMITTED)
    for case in story.cases:
        key = case.translation_key
        assert dashboard_case(data, key) == case_figures(key), case.title
    assert data.cases.totals.available == -legs_total(
        account__fund_type=Account.FundType.CASE, account__kind__in=FUND_KINDS
    )
    # What the funds allocated is what the cases were allocated.
    assert data.movements.total("allocated") == data.totals["allocated"]


@pytest.mark.parametrize("seed", [4, 5])
def test_every_box_of_the_flow_diagram_lets_out_what_comes_in(story_factory, seed):
    story_factory(seed)
    this_month = selectors.current_month()
    for filters in (
        selectors.default_filters(),
        selectors.Filters(end=this_month, start=selectors.add_months(this_month, -4)),
        selectors.Filters(end=selectors.add_months(this_month, -2), region="north"),
        selectors.Filters(end=this_month, category=CATEGORIES[0]),
    ):
        data = selectors.dashboard(filters)
        sources = {"gifts", "before", "committed-before", "outside-funds"}
        sinks = {"refunds", "fees", "other", "unallocated", "paid", "unpaid"}
        sinks.add("outside-cases")
        for node in data.sankey.nodes:
            if node.key in sources or node.key in sinks:
                continue
            assert data.sankey.inflow(node.key) == data.sankey.outflow(node.key), (
                filters,
                node,
            )
        assert data.sankey.outflow("gifts") == data.totals["gross"]


def test_a_period_counts_only_its_months_and_balances_stand_at_its_end(
    story_factory,
):
    story = story_factory(7)
    this_month = selectors.current_month()
    start = selectors.add_months(this_month, -6)
    end = selectors.add_months(this_month, -2)
    filters = selectors.Filters(start=start, end=end)

    data = selectors.dashboard(filters, per_page=None)

    for fund_type in selectors.FUND_TYPES:
        totals = data.movements.funds[fund_type]
        expected = fund_figures(fund_type_q(fund_type), start, end)
        assert totals.gross == expected["gross"]
        assert totals.refunds == expected["refunds"]
        assert totals.fees == expected["fees"]
        assert totals.allocated == expected["allocated"]
        assert totals.closing_available == expected["available"]
    for case in story.cases:
        key = case.translation_key
        assert dashboard_case(data, key) == case_figures(key, start, end)
    assert [m.month for m in data.movements.months] == selectors.month_range(start, end)
    everything = selectors.dashboard(selectors.default_filters())
    assert data.totals["gross"] < everything.totals["gross"]


def test_a_region_keeps_its_cases_and_their_funds_only(story_factory):
    story = story_factory(8)
    north = [c for c in story.cases if c.home_region.slug == "north"]
    filters = selectors.Filters(end=selectors.current_month(), region="north")

    data = selectors.dashboard(filters, per_page=None)

    assert {row.key for row in data.cases.rows} == {c.translation_key for c in north}
    keys = [c.translation_key for c in north]
    case_funds = Q(
        account__fund_type=Account.FundType.CASE, account__subject_key__in=keys
    )
    assert data.totals["gross"] == fund_figures(case_funds)["gross"]
    assert data.movements.funds["general"].gross == 0
    assert data.totals["paid"] == legs_total(
        account__kind=Account.Kind.COMMITTED,
        account__subject_key__in=keys,
        transaction__flow=Flow.DISBURSEMENT,
    )
    for case in north:
        key = case.translation_key
        assert dashboard_case(data, key) == case_figures(key)


def test_a_campaign_keeps_its_fund_and_the_people_it_concerns(story_factory):
    story = story_factory(9)
    campaign_key = story.campaign.translation_key
    concerned = [c.translation_key for c in story.cases[:2]]
    filters = selectors.Filters(end=selectors.current_month(), campaign=campaign_key)

    data = selectors.dashboard(filters, per_page=None)

    assert {row.key for row in data.cases.rows} == set(concerned)
    funds = Q(
        account__fund_type=Account.FundType.CASE, account__subject_key__in=concerned
    ) | Q(
        account__fund_type=Account.FundType.CAMPAIGN, account__subject_key=campaign_key
    )
    assert data.totals["gross"] == fund_figures(funds)["gross"]
    assert data.totals["available"] == fund_figures(funds)["available"]
    assert [key for key, _ in data.campaigns.campaigns] == [campaign_key]


def test_a_category_narrows_allocations_payments_and_budgets(story_factory):
    story = story_factory(10)
    category = CATEGORIES[0]
    filters = selectors.Filters(end=selectors.current_month(), category=category)

    data = selectors.dashboard(filters, per_page=None)

    assert data.totals["allocated"] == -legs_total(
        account__kind=Account.Kind.COMMITTED,
        account__category=category,
        transaction__flow=Flow.ALLOCATION,
    )
    assert [c.category for c in data.commitments.categories] == [category]
    for case in story.cases:
        key = case.translation_key
        figures = case_figures(key, category=category)
        row = dashboard_case(data, key)
        assert row["allocated"] == figures["allocated"]
        assert row["paid"] == figures["paid"]


def test_monthly_donors_count_starts_cancellations_and_failures(story_factory):
    story_factory(11, gifts=5, spend=0, monthly=12)
    data = selectors.monthly_donors(selectors.default_filters())
    last = data[-1]

    active = Subscription.objects.filter(cancelled_at__isnull=True)
    assert last.active == active.count()
    assert sum(m.new for m in data) == Subscription.objects.count()
    assert (
        sum(m.cancelled for m in data)
        == Subscription.objects.exclude(cancelled_at=None).count()
    )
    assert (
        sum(m.failed for m in data)
        == Donation.objects.filter(status=Donation.Status.FAILED).count()
    )
    for currency in ("EUR", "PLN"):
        assert last.recurring.get(currency, 0) == (
            active.filter(currency=currency).aggregate(s=Sum("amount"))["s"] or 0
        )


def test_the_oldest_unspent_money_is_the_oldest_gift_not_yet_consumed(
    prisoner_index, django_user_model
):
    drafter, approver = board_members(django_user_model)
    case = add_profile(prisoner_index, title="Only case")
    key = case.translation_key
    this_month = selectors.current_month()
    months = [selectors.add_months(this_month, -n) for n in (5, 4, 3)]
    for month in months:  # €100 a month, fees €1
        give(
            designation=Designation.CASE,
            subject_key=key,
            amount=10000,
            fee=100,
            when=at(month),
        )
    # €150 allocated: the first month's €99 and €51 of the second are consumed.
    fund = allocations.funds_for_case(case)[0]
    entry = allocations.allocation_draft(
        fund=fund,
        case=case,
        category=CATEGORIES[0],
        amount=15000,
        purpose="Counsel",
        drafted_by=drafter,
    )
    allocations.allocation_approve(allocation=entry, approver=approver)

    row = selectors.case_table(selectors.default_filters()).rows[0]

    assert row.available == 30000 - 300 - 15000
    assert row.oldest_unspent == months[1]
    assert row.unspent_age_months(this_month) == 4


@pytest.mark.parametrize("seed", [12, 13])
def test_the_case_tables_top_cases_are_those_the_flow_diagram_would_look_up(
    story_factory, seed
):
    story_factory(seed)
    this_month = selectors.current_month()
    for filters in (
        selectors.default_filters(),
        selectors.Filters(end=this_month, start=selectors.add_months(this_month, -4)),
        selectors.Filters(end=selectors.add_months(this_month, -2), region="north"),
        selectors.Filters(end=this_month, category=CATEGORIES[0]),
    ):
        for count in (1, 3, selectors.SANKEY_TOP_CASES):
            table = selectors.case_table(filters, per_page=2, top_count=count)
            assert table.top_allocated == selectors.top_cases(filters, count=count)
        assert selectors.dashboard(filters).sankey == selectors.sankey(
            filters,
            selectors.fund_movements(filters),
            selectors.commitments(filters),
        )
