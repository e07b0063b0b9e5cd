"""Whatever the Board does, in whatever order (drafts, approvals by the author or
a colleague, rejections, withdrawals, payments, reversals, refunds in between),
the ledger stays balanced, its monthly roll-up equals its legs, only approved
entries are posted, a restricted fund is never over-committed by an approval, and
what is committed to a case equals its approved allocations less its payments."""

import random

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from donations.ledger import services as ledger
from donations.models import (
    Account,
    Allocation,
    Designation,
    Disbursement,
    EntryStatus,
    LedgerLeg,
    LedgerTransaction,
    Payee,
)
from donations.spending.services import (
    BoardRuleError,
    allocation_approve,
    allocation_draft,
    allocation_reversal_draft,
    disbursement_approve,
    disbursement_draft,
    disbursement_reversal_draft,
    entry_reject,
    entry_withdraw,
    funds_for_case,
)
from tests.conftest import add_profile, make_user
from tests.factories import CampaignPageFactory
from tests.fake_stripe import unbalanced_transactions
from tests.gifts import give, refund

pytestmark = pytest.mark.django_db

CATEGORIES = ["counsel", "expert", "travel"]


class Rollback(Exception):
    pass


ACTIONS = {
    "give": 4,
    "refund": 1,
    "allocate": 4,
    "approve": 4,
    "reject": 1,
    "withdraw": 1,
    "pay": 3,
    "approve_payment": 3,
    "reverse_allocation": 1,
    "reverse_payment": 1,
}


def story_steps(seed: int, length: int) -> list[tuple[str, int, int]]:
    """A story as a list of (action, choice, amount), drawn from one seed."""
    rng = random.Random(seed)
    actions = rng.choices(list(ACTIONS), weights=list(ACTIONS.values()), k=length)
    return [
        (action, rng.randint(0, 10_000), rng.randint(1, 60_000)) for action in actions
    ]


@pytest.fixture
def world(prisoner_index, campaign_index, django_user_model):
    cases = [add_profile(prisoner_index, title=f"Person {n}") for n in range(2)]
    campaign = CampaignPageFactory(parent=campaign_index)
    campaign.prisoner_links.create(prisoner=cases[0])
    campaign.save_revision().publish()
    board = [
        make_user(django_user_model, email=f"b{n}@example.org", group="Board")
        for n in range(3)
    ]
    payee = Payee.objects.create(name="Fictional bureau", kind="lawyer")
    return {"cases": cases, "campaign": campaign, "board": board, "payee": payee}


class Story:
    def __init__(self, world):
        self.world = world
        self.gifts = []
        self.refunded = False

    def pick(self, items, n):
        return items[n % len(items)] if items else None

    def user(self, n):
        return self.world["board"][n % 3]

    def apply(self, action, n, amount):
        cases, rng = self.world["cases"], random.Random(n)
        try:
            with transaction.atomic():
                getattr(self, action)(cases, rng, n, amount)
        except BoardRuleError:
            pass  # refused: the savepoint rolled it back, and nothing else ran

    def give(self, cases, rng, n, amount):
        case = self.pick(cases, n)
        designation, key = rng.choice(
            [
                (Designation.GENERAL, None),
                (Designation.CASE, case.translation_key),
                (Designation.CAMPAIGN, self.world["campaign"].translation_key),
            ]
        )
        self.gifts.append(
            give(amount=amount * 2, fee=amount // 20, designation=designation,
                 subject_key=key)
        )  # fmt: skip

    def refund(self, cases, rng, n, amount):
        if gift := self.pick(self.gifts, n):
            refund(gift, amount=min(amount, gift.amount))
            self.refunded = True

    def allocate(self, cases, rng, n, amount):
        case = self.pick(cases, n)
        fund = rng.choice(funds_for_case(case))
        amount = amount // 4 + 1
        if rng.random() < 0.7:  # mostly what the fund can cover, sometimes more
            amount = min(amount, max(ledger.fund_available(fund), 1))
        allocation_draft(
            fund=fund,
            case=case,
            category=rng.choice(CATEGORIES),
            amount=amount,
            purpose="Story",
            drafted_by=self.user(n),
        )

    def pending(self, model, n):
        return self.pick(list(model.objects.filter(status=EntryStatus.PENDING)), n)

    def approved(self, model, n):
        return self.pick(
            list(model.objects.filter(status=EntryStatus.APPROVED, reverses=None)), n
        )

    def approve(self, cases, rng, n, amount):
        if entry := self.pending(Allocation, n):
            approved = allocation_approve(
                allocation=entry,
                approver=self.user(n + rng.randint(0, 2)),
                approve_overdraft=rng.random() < 0.3,
            )
            fund = approved.fund
            if fund.fund_type != Account.FundType.GENERAL and not approved.is_reversal:
                # An approval never takes a restricted fund below zero.
                assert ledger.fund_available(fund) >= 0

    def reject(self, cases, rng, n, amount):
        if entry := self.pending(rng.choice([Allocation, Disbursement]), n):
            entry_reject(entry=entry, approver=self.user(n))

    def withdraw(self, cases, rng, n, amount):
        if entry := self.pending(rng.choice([Allocation, Disbursement]), n):
            entry_withdraw(entry=entry, user=self.user(n))

    def pay(self, cases, rng, n, amount):
        if allocation := self.approved(Allocation, n):
            disbursement_draft(
                allocation=allocation,
                payee=self.world["payee"],
                paid_on=timezone.localdate(),
                amount=amount // 10 + 1,
                drafted_by=self.user(n),
            )

    def approve_payment(self, cases, rng, n, amount):
        if entry := self.pending(Disbursement, n):
            disbursement_approve(disbursement=entry, approver=self.user(n + 1))

    def reverse_allocation(self, cases, rng, n, amount):
        if allocation := self.approved(Allocation, n):
            allocation_reversal_draft(
                allocation=allocation,
                amount=amount // 20 + 1,
                reason="Story",
                drafted_by=self.user(n),
            )

    def reverse_payment(self, cases, rng, n, amount):
        if payment := self.approved(Disbursement, n):
            disbursement_reversal_draft(
                disbursement=payment, amount=amount // 20 + 1, reason="Story",
                drafted_by=self.user(n),
            )  # fmt: skip


def signed(queryset) -> int:
    def total(qs):
        return qs.aggregate(total=Sum("amount"))["total"] or 0

    return total(queryset.filter(reverses=None)) - total(
        queryset.exclude(reverses=None)
    )


def assert_the_books_agree():
    assert unbalanced_transactions() == []
    assert sum(LedgerLeg.objects.values_list("amount", flat=True)) == 0
    assert ledger.rollup_mismatches() == []
    approved = {EntryStatus.APPROVED}
    for model, flow in ((Allocation, "allocation"), (Disbursement, "disbursement")):
        # Only approved entries are posted, each once, by someone else.
        assert LedgerTransaction.objects.filter(flow=flow).count() == (
            model.objects.filter(status__in=approved).count()
        )
        assert not model.objects.exclude(status__in=approved).exclude(
            ledger_transaction=None
        )
        for entry in model.objects.filter(status__in=approved):
            assert entry.decided_by_id != entry.drafted_by_id
    for account in Account.objects.filter(kind=Account.Kind.COMMITTED):
        allocated = signed(
            Allocation.objects.filter(
                status=EntryStatus.APPROVED,
                case_key=account.subject_key,
                category=account.category,
            )
        )
        paid = signed(
            Disbursement.objects.filter(
                status=EntryStatus.APPROVED,
                case_key=account.subject_key,
                category=account.category,
            )
        )
        assert -ledger.balance(account) == allocated - paid >= 0
    assert ledger.balance(ledger.bank_account()) == -signed(
        Disbursement.objects.filter(status=EntryStatus.APPROVED)
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],
    database=None,
)
@given(seed=st.integers(0, 2**32 - 1), length=st.integers(20, 80))
def test_any_order_of_board_actions_keeps_the_books_agreeing(world, seed, length):
    try:
        with transaction.atomic():
            story = Story(world)
            for action, n, amount in story_steps(seed, length):
                story.apply(action, n, amount)
            assert_the_books_agree()
            if not story.refunded:
                for fund in Account.objects.filter(kind=Account.Kind.FUND).exclude(
                    fund_type=Account.FundType.GENERAL
                ):
                    assert ledger.fund_available(fund) >= 0
            raise Rollback
    except Rollback:
        pass
