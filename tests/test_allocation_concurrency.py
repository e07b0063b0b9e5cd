"""Board members approving at the same moment, on PostgreSQL with real
concurrency: a fund's last euro is committed once, and a payment cannot be
approved twice."""

import pytest

from donations.ledger import services as ledger
from donations.models import Account, Designation, EntryStatus, Payee
from donations.spending.services import (
    BoardRuleError,
    allocation_approve,
    allocation_draft,
    disbursement_approve,
    disbursement_draft,
)
from tests.concurrency import at_once
from tests.conftest import add_profile, make_user
from tests.fake_stripe import unbalanced_transactions
from tests.gifts import give, refund

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def board(django_user_model):
    return [
        make_user(django_user_model, email=f"board{n}@example.org", group="Board")
        for n in range(4)
    ]


@pytest.fixture
def case(prisoner_index):
    return add_profile(prisoner_index, title="Server Mustafayev")


def test_two_approvals_at_once_cannot_both_spend_the_same_restricted_money(case, board):
    donation = give(
        amount=10_000, designation=Designation.CASE, subject_key=case.translation_key
    )
    fund = ledger.fund_account(
        fund_type=Account.FundType.CASE, subject_key=case.translation_key
    )
    # Drafted while the money was there for each one alone.
    first = allocation_draft(
        fund=fund, case=case, category="counsel", amount=7000,
        purpose="Counsel", drafted_by=board[0],
    )  # fmt: skip
    second = allocation_draft(
        fund=fund, case=case, category="travel", amount=3000,
        purpose="Travel", drafted_by=board[0],
    )  # fmt: skip
    # A refund leaves 8,000: either approval alone fits, both together do not.
    refund(donation, amount=2000)

    results, errors = at_once(
        [
            lambda: allocation_approve(allocation=first, approver=board[2]),
            lambda: allocation_approve(allocation=second, approver=board[3]),
        ]
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], BoardRuleError)
    statuses = sorted(_status(entry) for entry in (first, second))
    assert statuses == [EntryStatus.APPROVED, EntryStatus.PENDING]
    assert ledger.fund_available(fund) >= 0
    assert unbalanced_transactions() == []
    assert ledger.rollup_mismatches() == []


def test_the_same_payment_approved_by_two_members_at_once_posts_once(case, board):
    give(amount=10_000, designation=Designation.CASE, subject_key=case.translation_key)
    fund = ledger.fund_account(
        fund_type=Account.FundType.CASE, subject_key=case.translation_key
    )
    allocation = allocation_approve(
        allocation=allocation_draft(
            fund=fund, case=case, category="counsel", amount=5000,
            purpose="Counsel", drafted_by=board[0],
        ),
        approver=board[1],
    )  # fmt: skip
    payee = Payee.objects.create(name="Fictional bureau", kind="lawyer")
    payment = disbursement_draft(
        allocation=allocation, payee=payee, paid_on=allocation.drafted_at.date(),
        amount=5000, drafted_by=board[0],
    )  # fmt: skip

    results, errors = at_once(
        [
            lambda: disbursement_approve(disbursement=payment, approver=board[2]),
            lambda: disbursement_approve(disbursement=payment, approver=board[3]),
        ]
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], BoardRuleError)
    assert ledger.balance(ledger.bank_account()) == -5000
    assert unbalanced_transactions() == []


def _status(entry):
    entry.refresh_from_db()
    return entry.status
