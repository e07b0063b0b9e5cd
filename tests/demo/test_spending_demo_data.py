"""The demo spending that `load_demo_data` builds on the demo gifts: budgets for most
cases, allocations and payments drafted by one demo Board member and decided by the
other, some awaiting approval, one rejected, one withdrawn, one reversal and one
recorded overdraft of the general fund; no fund over-committed, the roll-up equal
to the ledger, and a second run changes nothing."""

import datetime
import statistics

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum
from django.test.utils import override_settings
from wagtail.models import ModelLogEntry

from accounts.roles import is_board_member
from campaigns.models import CampaignPrisoner
from donations import demo
from donations.dashboard import members as by_member
from donations.dashboard import selectors as dashboard
from donations.ledger import services as ledger
from donations.models import (
    Account,
    AccountMonth,
    Allocation,
    BudgetCategory,
    CaseBudgetLine,
    Disbursement,
    EntryStatus,
    Flow,
    LedgerLeg,
    LedgerTransaction,
    Payee,
)
from donations.spending import demo as demo_spending
from donations.spending.services import (
    allocation_approve,
    allocation_unpaid,
    disbursement_approve,
)
from donations.transparency.selectors import paid_by_member
from network.demo import QUIET_HARBOUR
from network.models import CaseHandling, Member
from prisoners.models import PrisonerPage

pytestmark = pytest.mark.django_db


def allocations():
    ids = demo_spending.demo_public_ids()["allocations"]
    return Allocation.objects.filter(public_id__in=ids)


def disbursements():
    ids = demo_spending.demo_public_ids()["disbursements"]
    return Disbursement.objects.filter(public_id__in=ids)


def entries():
    return [*allocations(), *disbursements()]


def snapshot():
    return {
        "budget_lines": sorted(
            CaseBudgetLine.objects.values_list("case_key", "category", "planned_amount")
        ),
        "payees": Payee.objects.count(),
        "allocations": sorted(
            Allocation.objects.values_list(
                "public_id", "status", "amount", "carried_out_by_id"
            )
        ),
        "disbursements": sorted(
            Disbursement.objects.values_list(
                "public_id", "status", "amount", "carried_out_by_id"
            )
        ),
        "transactions": LedgerTransaction.objects.count(),
        "legs": LedgerLeg.objects.count(),
        "balances": dict(
            LedgerLeg.objects.values_list("account__code")
            .annotate(total=Sum("amount"))
            .order_by("account__code")
        ),
        "rollup": sorted(
            AccountMonth.objects.values_list(
                "account_id", "month", "flow", "debits", "credits"
            )
        ),
        "log_entries": ModelLogEntry.objects.count(),
    }


def test_every_planned_entry_is_loaded(demo_data):
    assert allocations().count() == len(demo_spending.GRANTS) + len(
        demo_spending.RETURNS
    )
    assert disbursements().count() == len(demo_spending.PAYMENTS)


def test_most_cases_have_a_budget_across_the_nine_categories(demo_data):
    cases = PrisonerPage.objects.filter(locale__language_code="uk")
    keys = set(cases.values_list("translation_key", flat=True))
    budgeted = set(CaseBudgetLine.objects.values_list("case_key", flat=True))
    assert budgeted <= keys
    assert len(budgeted) >= 0.75 * len(keys)
    assert set(CaseBudgetLine.objects.values_list("category", flat=True)) == set(
        BudgetCategory.values
    )

    def planned(category):
        return list(
            CaseBudgetLine.objects.filter(category=category).values_list(
                "planned_amount", flat=True
            )
        )

    # Counsel costs thousands of euros, a translation hundreds.
    assert statistics.median(planned(BudgetCategory.COUNSEL)) >= 200000
    assert all(
        10000 <= cents <= 150000 for cents in planned(BudgetCategory.TRANSLATION)
    )
    assert all(cents > 0 for cents in planned(BudgetCategory.ECHR_UN))


def test_every_allocated_category_has_a_budget_line(demo_data):
    for allocation in allocations().exclude(status=EntryStatus.REJECTED):
        assert CaseBudgetLine.objects.filter(
            case_key=allocation.case_key, category=allocation.category
        ).exists(), allocation.purpose


def test_allocations_come_from_case_campaign_and_general_funds(demo_data):
    approved = allocations().filter(status=EntryStatus.APPROVED, reverses=None)
    assert set(approved.values_list("fund__fund_type", flat=True)) == {
        Account.FundType.CASE,
        Account.FundType.CAMPAIGN,
        Account.FundType.GENERAL,
    }
    for allocation in approved.select_related("fund", "case"):
        fund = allocation.fund
        if fund.fund_type == Account.FundType.CASE:
            assert fund.subject_key == allocation.case_key
        if fund.fund_type == Account.FundType.CAMPAIGN:
            # Only to people the campaign concerns.
            concerned = CampaignPrisoner.objects.filter(
                prisoner__translation_key=allocation.case_key,
                campaign__translation_key=fund.subject_key,
            )
            assert concerned.exists(), allocation.purpose


def test_there_are_approved_pending_rejected_and_withdrawn_entries_and_a_reversal(
    demo_data,
):
    for entries_of in (allocations(), disbursements()):
        statuses = set(entries_of.values_list("status", flat=True))
        assert {EntryStatus.APPROVED, EntryStatus.PENDING} <= statuses
    assert allocations().filter(status=EntryStatus.REJECTED).count() == 1
    assert disbursements().filter(status=EntryStatus.WITHDRAWN).count() == 1
    reversal = allocations().get(reverses__isnull=False)
    assert reversal.status == EntryStatus.APPROVED
    assert 0 < reversal.amount < reversal.reverses.amount
    assert reversal.ledger_transaction.legs.get(account=reversal.fund).amount == (
        -reversal.amount
    )


def test_every_approved_entry_is_posted_and_was_approved_by_another_board_member(
    demo_data,
):
    board = get_user_model().objects.filter(groups__name="Board")
    assert set(board.values_list("email", flat=True)) >= {
        "board@example.org",
        "treasurer@example.org",
    }
    for entry in entries():
        assert is_board_member(entry.drafted_by)
        if entry.status == EntryStatus.PENDING:
            assert entry.decided_by is None
            continue
        if entry.status == EntryStatus.WITHDRAWN:
            assert entry.decided_by == entry.drafted_by  # its author took it back
            continue
        assert entry.decided_by != entry.drafted_by
        assert is_board_member(entry.decided_by)
        if entry.status == EntryStatus.APPROVED:
            posted = entry.ledger_transaction
            kind = "allocation" if isinstance(entry, Allocation) else "disbursement"
            assert posted.cause_key == f"{kind}:{entry.public_id}"
            assert posted.approved_by == entry.decided_by
            assert posted.flow == (
                Flow.ALLOCATION if kind == "allocation" else Flow.DISBURSEMENT
            )
    drafters = {e.drafted_by.email for e in entries()}
    assert drafters == {"board@example.org", "treasurer@example.org"}


def test_pending_rejected_and_withdrawn_entries_post_nothing(demo_data):
    undecided = [
        e
        for e in entries()
        if e.status
        in (EntryStatus.PENDING, EntryStatus.REJECTED, EntryStatus.WITHDRAWN)
    ]
    assert len(undecided) >= 5
    for entry in undecided:
        kind = "allocation" if isinstance(entry, Allocation) else "disbursement"
        assert entry.ledger_transaction is None
        assert not LedgerTransaction.objects.filter(
            cause_key=f"{kind}:{entry.public_id}"
        ).exists()


def test_each_board_member_has_a_colleagues_entries_to_approve(demo_data):
    pending = [e for e in entries() if e.status == EntryStatus.PENDING]
    assert {e.drafted_by.email for e in pending} == {
        "board@example.org",
        "treasurer@example.org",
    }


def test_the_other_board_member_can_approve_every_pending_entry(demo_data):
    """The pending entries fit their funds and allocations: approving them all, as
    the demo invites, is refused nowhere (rolled back after the test)."""
    User = get_user_model()
    board = User.objects.get(email="board@example.org")
    treasurer = User.objects.get(email="treasurer@example.org")
    before = LedgerTransaction.objects.count()
    pending = [e for e in entries() if e.status == EntryStatus.PENDING]
    for entry in pending:
        approver = treasurer if entry.drafted_by == board else board
        if isinstance(entry, Allocation):
            allocation_approve(allocation=entry, approver=approver)
        else:
            disbursement_approve(disbursement=entry, approver=approver)
    assert LedgerTransaction.objects.count() == before + len(pending)
    assert ledger.rollup_mismatches() == []


def test_no_fund_is_over_committed_but_for_the_recorded_general_overdraft(demo_data):
    overdrawn = allocations().exclude(overdraft_amount=0)
    [overdraft] = overdrawn
    assert overdraft.status == EntryStatus.APPROVED
    assert overdraft.fund.fund_type == Account.FundType.GENERAL
    assert 0 < overdraft.overdraft_amount < overdraft.amount
    for fund in Account.objects.filter(kind=Account.Kind.FUND):
        available = ledger.fund_available(fund)
        if fund.fund_type == Account.FundType.GENERAL:
            assert available >= -overdraft.overdraft_amount
        else:
            assert available >= 0, fund.code
    # Nor is any allocation paid beyond what it committed.
    for allocation in allocations().filter(status=EntryStatus.APPROVED, reverses=None):
        assert allocation_unpaid(allocation) >= 0
    for account in Account.objects.filter(kind=Account.Kind.COMMITTED):
        assert ledger.balance(account) <= 0, account.code


def test_spending_happened_over_the_last_months_in_the_order_it_would(demo_data):
    start = demo.ANCHOR - datetime.timedelta(days=200)
    for entry in entries():
        assert start <= entry.drafted_at <= demo.ANCHOR
        if entry.decided_at:
            assert entry.drafted_at <= entry.decided_at <= demo.ANCHOR
        if entry.ledger_transaction:
            assert start <= entry.ledger_transaction.occurred_at <= demo.ANCHOR
    months = {
        t.occurred_at.month
        for t in LedgerTransaction.objects.filter(
            flow__in=[Flow.ALLOCATION, Flow.DISBURSEMENT]
        )
    }
    assert len(months) >= 5
    for payment in disbursements().filter(status=EntryStatus.APPROVED):
        assert payment.paid_on >= payment.allocation.decided_at.date()
        assert payment.paid_on <= demo.ANCHOR.date()


def test_some_payments_were_made_in_hryvnias_or_zlotys(demo_data):
    foreign = disbursements().exclude(original_currency="")
    assert {"UAH", "PLN"} <= set(foreign.values_list("original_currency", flat=True))
    for payment in foreign:
        rate = payment.amount / payment.original_amount
        low, high = {"UAH": (0.019, 0.025), "PLN": (0.2, 0.26)}[
            payment.original_currency
        ]
        assert low <= rate <= high
    assert not disbursements().filter(original_currency="EUR").exists()


def test_payees_are_clearly_invented(demo_data):
    for payee in Payee.objects.all():
        assert "Demo" in payee.name or "Example" in payee.name, payee.name


def test_the_roll_up_equals_the_ledger(demo_data):
    assert ledger.rollup_mismatches() == []
    unbalanced = (
        LedgerTransaction.objects.annotate(total=Sum("legs__amount"))
        .exclude(total=0)
        .count()
    )
    assert unbalanced == 0


def test_loading_again_changes_nothing(demo_data):
    before = snapshot()
    with override_settings(DEBUG=True):
        call_command("load_demo_data", "--quiet-accounts")
    assert snapshot() == before
    counts = demo_spending.load_spending()
    assert counts["posted"] == 0
    assert counts["allocations"] == allocations().count()
    assert snapshot() == before
    assert ledger.rollup_mismatches() == []


def test_the_budgets_and_the_plan_are_the_same_every_time():
    assert demo_spending.demo_budgets() == demo_spending.demo_budgets()
    keys = [g.key for g in demo_spending.GRANTS] + [
        r.key for r in demo_spending.RETURNS
    ]
    assert len(keys) == len(set(keys))
    payments = [p.key for p in demo_spending.PAYMENTS]
    assert len(payments) == len(set(payments))
    assert {p.grant for p in demo_spending.PAYMENTS} <= set(keys)


def test_members_carry_out_the_work_their_role_on_the_case_fits(demo_data):
    carried = (
        allocations().exclude(carried_out_by=None).select_related("carried_out_by")
    )
    assert carried.count() >= 10
    assert carried.values("carried_out_by").distinct().count() >= 3
    for allocation in carried:
        handling = CaseHandling.objects.get(
            member=allocation.carried_out_by, case_key=allocation.case_key
        )
        assert (
            handling.role in demo_spending.CARRIED_OUT_BY_ROLE[allocation.category]
        ), allocation.purpose
    # The legal-defence member carries out the lawyers' work.
    counsel = carried.filter(category=BudgetCategory.COUNSEL, reverses=None)
    assert counsel.exists()
    for allocation in counsel:
        assert CaseHandling.objects.filter(
            member=allocation.carried_out_by,
            case_key=allocation.case_key,
            role="legal_defence",
        ).exists()


def test_payments_and_reversals_are_carried_out_by_their_allocations_member(
    demo_data,
):
    for payment in disbursements().select_related("allocation"):
        assert payment.carried_out_by_id == payment.allocation.carried_out_by_id
    for reversal in allocations().exclude(reverses=None).select_related("reverses"):
        assert reversal.carried_out_by_id == reversal.reverses.carried_out_by_id
    assert disbursements().exclude(carried_out_by=None).exists()


def test_the_boards_figures_by_member_are_not_all_zero(demo_data):
    table = by_member.member_table(dashboard.Filters(end=dashboard.current_month()))
    with_money = [row for row in table.rows if row.allocated > 0 and row.paid > 0]
    assert len(with_money) >= 2
    assert all(0 < row.paid <= row.allocated for row in with_money)
    assert any(row.coverage for row in with_money)


def test_a_member_that_is_not_public_carries_out_work_but_is_never_named(
    demo_data,
):
    hidden = Member.objects.get(slug=QUIET_HARBOUR)
    assert not hidden.is_public
    assert (
        disbursements()
        .filter(carried_out_by=hidden, status=EntryStatus.APPROVED)
        .exists()
    )
    named = {share.key for share in paid_by_member()}
    assert named and hidden.slug not in named
    assert named <= set(
        Member.objects.public()
        .filter(named_in_transparency=True)
        .values_list("slug", flat=True)
    )


def test_a_database_loaded_before_members_were_named_gets_them_on_a_new_run(
    demo_data,
):
    def carriers():
        return (
            sorted(allocations().values_list("public_id", "carried_out_by_id")),
            sorted(disbursements().values_list("public_id", "carried_out_by_id")),
        )

    before = carriers()
    allocations().update(carried_out_by=None)
    disbursements().update(carried_out_by=None)
    counts = demo_spending.load_spending()
    assert counts["posted"] == 0
    assert carriers() == before
    assert ledger.rollup_mismatches() == []
