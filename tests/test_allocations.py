"""Allocations and disbursements: four eyes, no over-commitment, reversals instead
of deletions, and the ledger to the cent."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from donations.ledger import services as ledger
from donations.models import (
    Account,
    Allocation,
    Designation,
    EntryStatus,
    LedgerTransaction,
    Payee,
)
from donations.spending.services import (
    BoardRuleError,
    allocation_approve,
    allocation_draft,
    allocation_reversal_draft,
    allocation_unpaid,
    disbursement_approve,
    disbursement_draft,
    disbursement_reversal_draft,
    entry_reject,
    entry_withdraw,
)
from tests.conftest import add_profile, make_user
from tests.factories import CampaignPageFactory
from tests.fake_stripe import unbalanced_transactions
from tests.gifts import give, refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(django_user_model):
    return make_user(django_user_model, email="alice@example.org", group="Board")


@pytest.fixture
def bohdan(django_user_model):
    return make_user(django_user_model, email="bohdan@example.org", group="Board")


@pytest.fixture
def case(prisoner_index):
    return add_profile(prisoner_index, title="Nariman Dzhelyal")


@pytest.fixture
def case_fund(case):
    return ledger.fund_account(
        fund_type=Account.FundType.CASE, subject_key=case.translation_key
    )


@pytest.fixture
def general_fund():
    return ledger.fund_account(fund_type=Account.FundType.GENERAL)


@pytest.fixture
def payee():
    return Payee.objects.create(name="Bureau Fictional & Partners", kind="lawyer")


def gift_to_case(case, amount, fee=0):
    return give(
        amount=amount,
        fee=fee,
        designation=Designation.CASE,
        subject_key=case.translation_key,
    )


def draft(case, fund, user, amount=5000, category="counsel"):
    return allocation_draft(
        fund=fund,
        case=case,
        category=category,
        amount=amount,
        purpose="Counsel at the appeal hearing",
        drafted_by=user,
    )


def committed(case, category="counsel"):
    account = ledger.committed_account(case_key=case.translation_key, category=category)
    return -ledger.balance(account)


def assert_ledger_consistent():
    assert unbalanced_transactions() == []
    assert ledger.rollup_mismatches() == []


# --- Four eyes ------------------------------------------------------------------------


def test_a_drafted_allocation_posts_nothing_until_another_board_member_approves(
    case, case_fund, alice, bohdan
):
    gift_to_case(case, 10_000)
    allocation = draft(case, case_fund, alice)
    assert allocation.status == EntryStatus.PENDING
    assert committed(case) == 0
    assert ledger.fund_available(case_fund) == 10_000

    allocation_approve(allocation=allocation, approver=bohdan)

    allocation.refresh_from_db()
    assert allocation.status == EntryStatus.APPROVED
    assert allocation.decided_by == bohdan
    assert allocation.ledger_transaction.approved_by == bohdan
    assert committed(case) == 5000
    assert ledger.fund_available(case_fund) == 5000
    assert_ledger_consistent()


def test_the_author_can_never_approve_their_own_allocation(case, case_fund, alice):
    gift_to_case(case, 10_000)
    allocation = draft(case, case_fund, alice)
    with pytest.raises(BoardRuleError, match="different Board member"):
        allocation_approve(allocation=allocation, approver=alice)
    allocation.refresh_from_db()
    assert allocation.status == EntryStatus.PENDING
    assert not LedgerTransaction.objects.filter(flow="allocation").exists()


def test_only_board_members_draft_and_decide(django_user_model, case, case_fund, alice):
    gift_to_case(case, 10_000)
    editor = make_user(django_user_model, email="ed@example.org", group="Editors")
    root = make_user(django_user_model, email="root@example.org", is_superuser=True)
    with pytest.raises(BoardRuleError):
        draft(case, case_fund, editor)
    allocation = draft(case, case_fund, alice)
    for outsider in (editor, root):
        with pytest.raises(BoardRuleError, match="Board members"):
            allocation_approve(allocation=allocation, approver=outsider)
    allocation.refresh_from_db()
    assert allocation.status == EntryStatus.PENDING


def test_a_rejected_or_withdrawn_allocation_posts_nothing(
    case, case_fund, alice, bohdan
):
    gift_to_case(case, 10_000)
    rejected = draft(case, case_fund, alice)
    with pytest.raises(BoardRuleError):
        entry_reject(entry=rejected, approver=alice)  # the author can only withdraw
    entry_reject(entry=rejected, approver=bohdan, note="Wrong category")
    withdrawn = draft(case, case_fund, alice)
    with pytest.raises(BoardRuleError, match="drafted it"):
        entry_withdraw(entry=withdrawn, user=bohdan)
    entry_withdraw(entry=withdrawn, user=alice)

    assert {a.status for a in Allocation.objects.all()} == {
        EntryStatus.REJECTED,
        EntryStatus.WITHDRAWN,
    }
    assert not LedgerTransaction.objects.filter(flow="allocation").exists()
    assert ledger.fund_available(case_fund) == 10_000
    with pytest.raises(BoardRuleError, match="already"):
        allocation_approve(allocation=rejected, approver=bohdan)


def test_an_entry_is_decided_once(case, case_fund, alice, bohdan, django_user_model):
    gift_to_case(case, 10_000)
    carol = make_user(django_user_model, email="carol@example.org", group="Board")
    allocation = draft(case, case_fund, alice)
    allocation_approve(allocation=allocation, approver=bohdan)
    with pytest.raises(BoardRuleError, match="already approved"):
        allocation_approve(allocation=allocation, approver=carol)
    with pytest.raises(BoardRuleError):
        entry_reject(entry=allocation, approver=carol)
    assert LedgerTransaction.objects.filter(flow="allocation").count() == 1


def test_every_step_is_in_the_audit_log_with_who_did_it(case, case_fund, alice, bohdan):
    gift_to_case(case, 10_000)
    allocation = draft(case, case_fund, alice)
    allocation_approve(allocation=allocation, approver=bohdan)
    entries = list(
        ModelLogEntry.objects.for_instance(allocation)
        .order_by("timestamp")
        .values_list("action", "user__email")
    )
    assert entries == [
        ("donations.entry.draft", "alice@example.org"),
        ("donations.entry.approve", "bohdan@example.org"),
    ]


# --- Over-commitment ----------------------------------------------------------------


def test_a_restricted_fund_cannot_be_over_committed_and_the_message_says_why(
    case, case_fund, alice
):
    gift_to_case(case, 10_000)
    with pytest.raises(BoardRuleError) as refused:
        draft(case, case_fund, alice, amount=10_001)
    assert "case fund" in str(refused.value)
    assert "€100" in str(refused.value)
    assert not Allocation.objects.exists()


def test_a_fund_bears_its_own_fees_so_they_are_not_available(case, case_fund, alice):
    gift_to_case(case, 10_000, fee=300)
    assert ledger.fund_available(case_fund) == 9_700
    with pytest.raises(BoardRuleError):
        draft(case, case_fund, alice, amount=9_701)
    assert draft(case, case_fund, alice, amount=9_700).amount == 9_700


def test_pending_allocations_count_against_what_a_restricted_fund_can_still_cover(
    case, case_fund, alice
):
    gift_to_case(case, 10_000)
    draft(case, case_fund, alice, amount=6000)
    with pytest.raises(BoardRuleError):
        draft(case, case_fund, alice, amount=6000)


def test_approval_is_refused_when_a_refund_left_the_fund_short(
    case, case_fund, alice, bohdan
):
    donation = gift_to_case(case, 10_000)
    allocation = draft(case, case_fund, alice, amount=8000)
    refund(donation, amount=5000)
    with pytest.raises(BoardRuleError, match="cannot be committed"):
        allocation_approve(allocation=allocation, approver=bohdan)
    allocation.refresh_from_db()
    assert allocation.status == EntryStatus.PENDING


def test_the_general_fund_is_overdrawn_only_with_an_explicit_recorded_approval(
    case, general_fund, alice, bohdan
):
    give(amount=3000)
    allocation = draft(case, general_fund, alice, amount=5000)
    with pytest.raises(BoardRuleError, match="overdraft"):
        allocation_approve(allocation=allocation, approver=bohdan)

    allocation_approve(allocation=allocation, approver=bohdan, approve_overdraft=True)

    allocation.refresh_from_db()
    assert allocation.overdraft_amount == 2000
    assert ledger.fund_available(general_fund) == -2000
    log_entry = ModelLogEntry.objects.for_instance(allocation).get(
        action="donations.entry.approve"
    )
    assert log_entry.data["overdraft"] == 2000


def test_an_overdraft_is_never_approved_for_a_restricted_fund(
    case, case_fund, alice, bohdan
):
    donation = gift_to_case(case, 10_000)
    allocation = draft(case, case_fund, alice, amount=8000)
    refund(donation, amount=5000)
    with pytest.raises(BoardRuleError):
        allocation_approve(
            allocation=allocation, approver=bohdan, approve_overdraft=True
        )


def test_a_campaign_fund_pays_only_for_the_people_the_campaign_concerns(
    campaign_index, prisoner_index, case, alice, bohdan
):
    other = add_profile(prisoner_index, title="Someone else")
    campaign = CampaignPageFactory(parent=campaign_index)
    campaign.prisoner_links.create(prisoner=case)
    campaign.save_revision().publish()
    give(
        amount=20_000,
        designation=Designation.CAMPAIGN,
        subject_key=campaign.translation_key,
    )
    fund = ledger.fund_account(
        fund_type=Account.FundType.CAMPAIGN, subject_key=campaign.translation_key
    )
    with pytest.raises(BoardRuleError, match="cannot pay for this case"):
        draft(other, fund, alice)
    allocation_approve(allocation=draft(case, fund, alice), approver=bohdan)
    assert ledger.fund_available(fund) == 15_000


def test_one_case_fund_cannot_pay_for_another_case(
    prisoner_index, case, case_fund, alice
):
    gift_to_case(case, 10_000)
    other = add_profile(prisoner_index, title="Someone else")
    with pytest.raises(BoardRuleError, match="cannot pay for this case"):
        draft(other, case_fund, alice)


# --- Disbursements ------------------------------------------------------------------


@pytest.fixture
def approved(case, case_fund, alice, bohdan):
    gift_to_case(case, 10_000)
    return allocation_approve(
        allocation=draft(case, case_fund, alice, amount=6000), approver=bohdan
    )


def pay(allocation, payee, user, amount, **extra):
    return disbursement_draft(
        allocation=allocation,
        payee=payee,
        paid_on=timezone.localdate() - datetime.timedelta(days=3),
        amount=amount,
        drafted_by=user,
        **extra,
    )


def test_an_approved_payment_moves_the_commitment_to_the_bank(
    case, approved, payee, alice, bohdan
):
    payment = pay(approved, payee, bohdan, 2500, reference="INV-17")
    assert committed(case) == 6000
    disbursement_approve(disbursement=payment, approver=alice)
    assert committed(case) == 3500
    assert ledger.balance(ledger.bank_account()) == -2500
    assert allocation_unpaid(approved) == 3500
    payment.refresh_from_db()
    assert payment.ledger_transaction.occurred_at.date() == payment.paid_on
    assert_ledger_consistent()


def test_the_author_of_a_payment_cannot_approve_it(approved, payee, alice):
    payment = pay(approved, payee, alice, 1000)
    with pytest.raises(BoardRuleError, match="different Board member"):
        disbursement_approve(disbursement=payment, approver=alice)


def test_payments_cannot_exceed_the_allocation_pending_ones_included(
    approved, payee, alice, bohdan
):
    pay(approved, payee, alice, 4000)
    with pytest.raises(BoardRuleError, match="€20"):
        pay(approved, payee, alice, 2001)
    pay(approved, payee, alice, 2000)


def test_a_payment_in_another_currency_keeps_what_was_paid_in_it(
    approved, payee, alice
):
    with pytest.raises(BoardRuleError, match="UAH"):
        pay(approved, payee, alice, 1000, original_currency="uah")
    payment = pay(
        approved, payee, alice, 1000, original_currency="uah", original_amount=45_000
    )
    assert (payment.original_currency, payment.original_amount) == ("UAH", 45_000)


def test_payments_are_made_against_approved_allocations_only(
    case, case_fund, payee, alice
):
    gift_to_case(case, 10_000)
    pending = draft(case, case_fund, alice)
    with pytest.raises(BoardRuleError, match="approved allocation"):
        pay(pending, payee, alice, 100)


def test_a_payment_cannot_be_dated_in_the_future(approved, payee, alice):
    with pytest.raises(BoardRuleError, match="future"):
        disbursement_draft(
            allocation=approved,
            payee=payee,
            paid_on=timezone.localdate() + datetime.timedelta(days=1),
            amount=100,
            drafted_by=alice,
        )


# --- Corrections are reversals -----------------------------------------------------


def test_reversing_an_allocation_gives_the_unpaid_money_back_to_its_fund(
    case, case_fund, approved, payee, alice, bohdan
):
    disbursement_approve(
        disbursement=pay(approved, payee, alice, 2000), approver=bohdan
    )
    with pytest.raises(BoardRuleError, match="€40"):
        allocation_reversal_draft(
            allocation=approved, amount=4001, reason="Too much", drafted_by=alice
        )
    reversal = allocation_reversal_draft(
        allocation=approved, amount=4000, reason="Hearing postponed", drafted_by=alice
    )
    assert ledger.fund_available(case_fund) == 4000  # nothing until approved
    allocation_approve(allocation=reversal, approver=bohdan)
    assert ledger.fund_available(case_fund) == 8000
    assert committed(case) == 0
    assert Allocation.objects.count() == 2  # the original is still there
    assert_ledger_consistent()


def test_a_reversal_cannot_be_approved_once_the_money_was_paid_meanwhile(
    approved, payee, alice, bohdan
):
    reversal = allocation_reversal_draft(
        allocation=approved, amount=6000, reason="Not needed", drafted_by=alice
    )
    with pytest.raises(BoardRuleError):
        pay(approved, payee, alice, 1)  # the pending reversal took it all
    entry_withdraw(entry=reversal, user=alice)
    disbursement_approve(
        disbursement=pay(approved, payee, alice, 1000), approver=bohdan
    )
    late = allocation_reversal_draft(
        allocation=approved, amount=5000, reason="Not needed", drafted_by=alice
    )
    assert late.amount == 5000


def test_reversing_a_payment_commits_the_money_to_the_case_again(
    case, approved, payee, alice, bohdan
):
    payment = disbursement_approve(
        disbursement=pay(approved, payee, alice, 2500), approver=bohdan
    )
    reversal = disbursement_reversal_draft(
        disbursement=payment, amount=2500, reason="Paid twice", drafted_by=bohdan
    )
    with pytest.raises(BoardRuleError):
        disbursement_approve(disbursement=reversal, approver=bohdan)
    disbursement_approve(disbursement=reversal, approver=alice)
    assert committed(case) == 6000
    assert ledger.balance(ledger.bank_account()) == 0
    assert allocation_unpaid(approved) == 6000
    assert_ledger_consistent()


def test_a_reversal_cannot_itself_be_reversed(case, case_fund, approved, alice, bohdan):
    reversal = allocation_approve(
        allocation=allocation_reversal_draft(
            allocation=approved, amount=1000, reason="Less needed", drafted_by=alice
        ),
        approver=bohdan,
    )
    with pytest.raises(BoardRuleError):
        allocation_reversal_draft(
            allocation=reversal, amount=1000, reason="Undo", drafted_by=alice
        )
