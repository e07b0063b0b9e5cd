"""Spending the funds, with four eyes: allocations and disbursements.

One person drafts an entry; a different Board member approves it, and only then is
it posted to the ledger (in the same database transaction). Rejected or withdrawn
entries post nothing. Entries are never edited or deleted: a correction is a
reversal, itself drafted and approved. Every step is in Wagtail's audit log.

A fund is never over-committed: approving an allocation larger than what its fund
has available is refused, unless the fund is the general fund and the approving
Board member explicitly approves the overdraft, which is recorded on the entry.
"""

import datetime

from django.core.files import File
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.roles import is_board_member
from donations.ledger import services as ledger
from donations.ledger.money import format_money
from donations.models import (
    Account,
    Allocation,
    BudgetCategory,
    CaseBudgetLine,
    Disbursement,
    EntryStatus,
    Flow,
    Payee,
)
from network.models import Member


class BoardRuleError(ValueError):
    """An entry that the rules refuse; the message says why, for the person."""


# --- Reading what is left -------------------------------------------------------------


def _total(queryset) -> int:
    return queryset.aggregate(total=Sum("amount"))["total"] or 0


def _signed_total(queryset) -> int:
    return _total(queryset.filter(reverses=None)) - _total(
        queryset.exclude(reverses=None)
    )


def allocation_unpaid(allocation: Allocation, *, with_pending: bool = False) -> int:
    """What of an approved allocation is still neither reversed nor paid; with
    `with_pending`, pending reversals and payments count as if approved (what is
    left to draft against)."""
    statuses = [EntryStatus.APPROVED]
    if with_pending:
        statuses.append(EntryStatus.PENDING)
    reversed_ = _total(allocation.reversals.filter(status__in=statuses))
    paid = _signed_total(
        Disbursement.objects.filter(allocation=allocation, status__in=statuses)
    )
    return allocation.amount - reversed_ - paid


def disbursement_unreversed(
    disbursement: Disbursement, *, with_pending: bool = False
) -> int:
    """What of an approved payment is not yet reversed (with `with_pending`,
    counting pending reversals as if approved)."""
    statuses = [EntryStatus.APPROVED]
    if with_pending:
        statuses.append(EntryStatus.PENDING)
    return disbursement.amount - _total(
        disbursement.reversals.filter(status__in=statuses)
    )


def fund_pending(fund: Account) -> int:
    """Allocations from a fund that await approval (reversals give back)."""
    return _signed_total(
        Allocation.objects.filter(fund=fund, status=EntryStatus.PENDING)
    )


def funds_for_case(case) -> list[Account]:
    """The funds an allocation to `case` may draw on: its own restricted fund, the
    funds of campaigns that concern the person, and the general fund."""
    from campaigns.models import CampaignPrisoner

    campaign_keys = (
        CampaignPrisoner.objects.filter(prisoner__translation_key=case.translation_key)
        .values_list("campaign__translation_key", flat=True)
        .distinct()
    )
    return [
        ledger.fund_account(
            fund_type=Account.FundType.CASE, subject_key=case.translation_key
        ),
        *(
            ledger.fund_account(fund_type=Account.FundType.CAMPAIGN, subject_key=key)
            for key in sorted(set(campaign_keys), key=str)
        ),
        ledger.fund_account(fund_type=Account.FundType.GENERAL),
    ]


# --- Allocations ----------------------------------------------------------------------


def allocation_draft(
    *,
    fund: Account,
    case,
    category: str,
    amount: int,
    purpose: str,
    drafted_by,
    carried_out_by: Member | None = None,
) -> Allocation:
    """Propose committing `amount` (euro cents) from `fund` to a budget category of
    `case`, the work carried out by the member organisation `carried_out_by` if
    any. A restricted fund that cannot cover it, with what is already awaiting
    approval, is refused at once; the general fund may be proposed beyond what it
    holds, and its approver then decides on the overdraft."""
    _require_board(drafted_by, _("Only Board members may draft allocations."))
    _require_current(carried_out_by)
    if amount <= 0:
        raise BoardRuleError(_("The amount must be more than zero."))
    if category not in BudgetCategory.values:
        raise BoardRuleError(_("Choose a budget category."))
    if fund.pk not in {f.pk for f in funds_for_case(case)}:
        raise BoardRuleError(
            _(
                "This fund cannot pay for this case: use the case's own fund, a "
                "campaign's that concerns the person, or the general fund."
            )
        )
    with transaction.atomic():
        Account.objects.select_for_update().get(pk=fund.pk)
        if fund.fund_type != Account.FundType.GENERAL:
            free = ledger.fund_available(fund) - fund_pending(fund)
            if amount > free:
                raise BoardRuleError(_over_commit_message(fund, amount, free))
        allocation = Allocation(
            fund=fund,
            case=case,
            case_key=case.translation_key,
            category=category,
            amount=amount,
            purpose=purpose.strip(),
            carried_out_by=carried_out_by,
            drafted_by=drafted_by,
        )
        allocation.full_clean()
        allocation.save()
        _log(allocation, "donations.entry.draft", drafted_by)
    return allocation


def allocation_reversal_draft(
    *, allocation: Allocation, amount: int, reason: str, drafted_by
) -> Allocation:
    """Propose giving back to its fund `amount` of an approved allocation that has
    not been paid (a correction, or money no longer needed)."""
    _require_board(drafted_by, _("Only Board members may draft allocations."))
    if allocation.status != EntryStatus.APPROVED or allocation.is_reversal:
        raise BoardRuleError(_("Only an approved allocation can be reversed."))
    if amount <= 0:
        raise BoardRuleError(_("The amount must be more than zero."))
    with transaction.atomic():
        Allocation.objects.select_for_update().get(pk=allocation.pk)
        left = allocation_unpaid(allocation, with_pending=True)
        if amount > left:
            raise BoardRuleError(
                _("Only %(left)s of this allocation is unpaid and can be reversed.")
                % {"left": format_money(max(left, 0))}
            )
        reversal = Allocation(
            fund=allocation.fund,
            case=allocation.case,
            case_key=allocation.case_key,
            category=allocation.category,
            amount=amount,
            purpose=reason.strip(),
            reverses=allocation,
            carried_out_by_id=allocation.carried_out_by_id,
            drafted_by=drafted_by,
        )
        reversal.full_clean()
        reversal.save()
        _log(reversal, "donations.entry.draft", drafted_by)
    return reversal


def allocation_approve(
    *,
    allocation: Allocation,
    approver,
    approve_overdraft: bool = False,
    note: str = "",
) -> Allocation:
    """Approve a colleague's allocation and post it: the fund gives, the case's
    category is committed."""
    with transaction.atomic():
        entry = _lock_pending(Allocation, allocation, approver)
        # Approvals from one fund queue here, so two cannot both spend its last euro.
        fund = Account.objects.select_for_update().get(pk=entry.fund_id)
        committed = ledger.committed_account(
            case_key=entry.case_key, category=entry.category
        )
        if entry.is_reversal:
            original = Allocation.objects.select_for_update().get(pk=entry.reverses_id)
            left = allocation_unpaid(original)
            if entry.amount > left:
                raise BoardRuleError(
                    _("Only %(left)s of that allocation is still unpaid.")
                    % {"left": format_money(max(left, 0))}
                )
            legs = [(fund, -entry.amount), (committed, entry.amount)]
        else:
            available = ledger.fund_available(fund)
            if entry.amount > available:
                if fund.fund_type != Account.FundType.GENERAL:
                    raise BoardRuleError(
                        _over_commit_message(fund, entry.amount, available)
                    )
                if not approve_overdraft:
                    raise BoardRuleError(
                        _over_commit_message(fund, entry.amount, available)
                        + " "
                        + _(
                            "A Board member may approve an overdraft of the general "
                            "fund explicitly."
                        )
                    )
                entry.overdraft_amount = entry.amount - max(available, 0)
            legs = [(fund, entry.amount), (committed, -entry.amount)]
        entry.ledger_transaction = ledger.ledger_post(
            cause_key=f"allocation:{entry.public_id}",
            description=str(entry),
            occurred_at=timezone.now(),
            legs=legs,
            flow=Flow.ALLOCATION,
            approved_by=approver,
        )
        _decide(entry, EntryStatus.APPROVED, approver, note)
        data = {"overdraft": entry.overdraft_amount} if entry.overdraft_amount else {}
        _log(entry, "donations.entry.approve", approver, **data)
    return entry


# --- Disbursements --------------------------------------------------------------------


def disbursement_draft(
    *,
    allocation: Allocation,
    payee: Payee,
    paid_on: datetime.date,
    amount: int,
    drafted_by,
    original_currency: str = "",
    original_amount: int | None = None,
    reference: str = "",
    invoice: File | None = None,
    carried_out_by: Member | None = None,
) -> Disbursement:
    """Record, for approval, a payment made against an approved allocation:
    `amount` in euro cents, and what was paid in another currency if so. The
    member organisation that carried out the work is `carried_out_by`, or else
    the allocation's; a payment to a member (a grant) is carried out by it."""
    _require_board(drafted_by, _("Only Board members may record payments."))
    if allocation.status != EntryStatus.APPROVED or allocation.is_reversal:
        raise BoardRuleError(_("Payments are made against an approved allocation."))
    carried_out_by = payment_carried_out_by(
        allocation=allocation, payee=payee, carried_out_by=carried_out_by
    )
    if amount <= 0:
        raise BoardRuleError(_("The amount must be more than zero."))
    original_currency = (original_currency or "").strip().upper()
    if original_currency in ("", "EUR"):
        original_currency, original_amount = "", None
    elif not original_amount or original_amount <= 0:
        raise BoardRuleError(
            _("Give the amount paid in %(currency)s.") % {"currency": original_currency}
        )
    if paid_on > timezone.localdate():
        raise BoardRuleError(_("A payment cannot be dated in the future."))
    with transaction.atomic():
        Allocation.objects.select_for_update().get(pk=allocation.pk)
        left = allocation_unpaid(allocation, with_pending=True)
        if amount > left:
            raise BoardRuleError(
                _(
                    "Only %(left)s of this allocation is left to pay (payments "
                    "awaiting approval included)."
                )
                % {"left": format_money(max(left, 0))}
            )
        disbursement = Disbursement(
            allocation=allocation,
            case_key=allocation.case_key,
            category=allocation.category,
            payee=payee,
            paid_on=paid_on,
            amount=amount,
            original_currency=original_currency,
            original_amount=original_amount,
            reference=reference.strip(),
            carried_out_by=carried_out_by,
            drafted_by=drafted_by,
        )
        if invoice is not None:
            disbursement.invoice = invoice
        disbursement.full_clean()
        disbursement.save()
        _log(disbursement, "donations.entry.draft", drafted_by)
    return disbursement


def disbursement_reversal_draft(
    *, disbursement: Disbursement, amount: int, reason: str, drafted_by
) -> Disbursement:
    """Propose undoing `amount` of an approved payment (returned by the payee, or
    recorded in error): the money is committed to the case again."""
    _require_board(drafted_by, _("Only Board members may record payments."))
    if disbursement.status != EntryStatus.APPROVED or disbursement.is_reversal:
        raise BoardRuleError(_("Only an approved payment can be reversed."))
    if amount <= 0:
        raise BoardRuleError(_("The amount must be more than zero."))
    with transaction.atomic():
        Disbursement.objects.select_for_update().get(pk=disbursement.pk)
        left = disbursement_unreversed(disbursement, with_pending=True)
        if amount > left:
            raise BoardRuleError(
                _("Only %(left)s of this payment can still be reversed.")
                % {"left": format_money(max(left, 0))}
            )
        reversal = Disbursement(
            allocation=disbursement.allocation,
            case_key=disbursement.case_key,
            category=disbursement.category,
            payee=disbursement.payee,
            paid_on=timezone.localdate(),
            amount=amount,
            reference=reason.strip()[:200],
            reverses=disbursement,
            carried_out_by_id=disbursement.carried_out_by_id,
            drafted_by=drafted_by,
        )
        reversal.full_clean()
        reversal.save()
        _log(reversal, "donations.entry.draft", drafted_by)
    return reversal


def disbursement_approve(
    *, disbursement: Disbursement, approver, note: str = ""
) -> Disbursement:
    """Approve a colleague's record of a payment and post it: the case's
    commitment is paid from the bank."""
    with transaction.atomic():
        entry = _lock_pending(Disbursement, disbursement, approver)
        allocation = Allocation.objects.select_for_update().get(pk=entry.allocation_id)
        committed = ledger.committed_account(
            case_key=entry.case_key, category=entry.category
        )
        bank = ledger.bank_account()
        if entry.is_reversal:
            legs = [(committed, -entry.amount), (bank, entry.amount)]
        else:
            left = allocation_unpaid(allocation)
            if entry.amount > left:
                raise BoardRuleError(
                    _("Only %(left)s of the allocation is left to pay.")
                    % {"left": format_money(max(left, 0))}
                )
            legs = [(committed, entry.amount), (bank, -entry.amount)]
        paid_at = datetime.datetime.combine(
            entry.paid_on, datetime.time(12), tzinfo=datetime.UTC
        )
        entry.ledger_transaction = ledger.ledger_post(
            cause_key=f"disbursement:{entry.public_id}",
            description=str(entry),
            occurred_at=paid_at,
            legs=legs,
            flow=Flow.DISBURSEMENT,
            approved_by=approver,
        )
        _decide(entry, EntryStatus.APPROVED, approver, note)
        _log(entry, "donations.entry.approve", approver)
    return entry


# --- What both share ------------------------------------------------------------------


def entry_reject(*, entry: Allocation | Disbursement, approver, note: str = ""):
    """A Board member other than the author turns the entry down; nothing is
    posted."""
    with transaction.atomic():
        locked = _lock_pending(type(entry), entry, approver)
        _decide(locked, EntryStatus.REJECTED, approver, note)
        _log(locked, "donations.entry.reject", approver)
    return locked


def entry_withdraw(*, entry: Allocation | Disbursement, user):
    """The author takes back an entry still awaiting approval; nothing is posted."""
    with transaction.atomic():
        locked = type(entry).objects.select_for_update().get(pk=entry.pk)
        if locked.status != EntryStatus.PENDING:
            raise BoardRuleError(_("Only an entry awaiting approval can be withdrawn."))
        if locked.drafted_by_id != user.pk:
            raise BoardRuleError(_("Only the person who drafted it can withdraw it."))
        _decide(locked, EntryStatus.WITHDRAWN, user, "")
        _log(locked, "donations.entry.withdraw", user)
    return locked


def _lock_pending(model, entry, approver):
    locked = model.objects.select_for_update().get(pk=entry.pk)
    if locked.status != EntryStatus.PENDING:
        raise BoardRuleError(
            _("This entry is already %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    _require_board(approver, _("Only Board members may approve or reject entries."))
    if locked.drafted_by_id == approver.pk:
        raise BoardRuleError(
            _("You drafted this entry: a different Board member must decide on it.")
        )
    return locked


def _decide(entry, status: str, user, note: str) -> None:
    entry.status = status
    entry.decided_by = user
    entry.decided_at = timezone.now()
    entry.decision_note = note.strip()[:300]
    entry.save()


def payment_carried_out_by(
    *, allocation: Allocation, payee: Payee, carried_out_by: Member | None
) -> Member | None:
    """Who carries out the work a payment pays for: the one given (a current
    member), else the allocation's, else (a grant) the member that is the payee.
    A payment to a member organisation is carried out by that same member, or it
    is refused."""
    _require_current(carried_out_by)
    # An inherited member was current when its allocation was drafted, and the
    # work may well have been done before it left.
    chosen = carried_out_by or allocation.carried_out_by
    if chosen is None and payee.member_id:
        chosen = payee.member
    if payee.member_id and chosen.pk != payee.member_id:
        raise BoardRuleError(
            _(
                "%(payee)s is the member organisation %(member)s: a payment to it "
                "must be carried out by %(member)s, not by %(other)s."
            )
            % {
                "payee": payee,
                "member": payee.member,
                "other": chosen,
            }
        )
    return chosen


def _require_current(member: Member | None) -> None:
    if member is not None and not member.is_current:
        raise BoardRuleError(
            _("%(member)s has left the network: choose a current member.")
            % {"member": member}
        )


def _require_board(user, message: str) -> None:
    if not is_board_member(user):
        raise BoardRuleError(message)


def _over_commit_message(fund: Account, amount: int, available: int) -> str:
    return _(
        "%(fund)s has %(available)s available, so %(amount)s cannot be committed "
        "from it."
    ) % {
        "fund": fund_label(fund),
        "available": format_money(max(available, 0)),
        "amount": format_money(amount),
    }


def fund_label(fund: Account) -> str:
    """A fund's name for people: the general fund, or the case's or campaign's."""
    if fund.fund_type == Account.FundType.GENERAL:
        return _("The general fund")
    title = case_title(fund.subject_key)
    if fund.fund_type == Account.FundType.CAMPAIGN:
        return _("The campaign fund of “%(title)s”") % {"title": title}
    return _("The case fund of “%(title)s”") % {"title": title}


def pages_in_reader_order(pages):
    """Pages (the language versions of one page) with the reader's language first,
    then live ones."""
    from django.db.models import Case, IntegerField, When
    from wagtail.models import Locale

    here = Case(
        When(locale=Locale.get_active(), then=0), default=1, output_field=IntegerField()
    )
    return pages.annotate(here=here).order_by("here", "-live", "pk")


def case_title(key) -> str:
    """The title of a case's or campaign's page, in the reader's language when it
    has a version in it."""
    from wagtail.models import Page

    page = pages_in_reader_order(Page.objects.filter(translation_key=key)).first()
    return page.title if page else str(key)[:8]


def _log(entry, action: str, user, **data) -> None:
    log(
        instance=entry,
        action=action,
        user=user,
        data={
            "amount": entry.amount,
            "reverses": str(entry.reverses.public_id) if entry.reverses_id else None,
            **data,
        },
    )


# --- Budgets --------------------------------------------------------------------------


def budget_line_set(
    *, case, category: str, planned_amount: int, note: str = "", user
) -> CaseBudgetLine:
    """Set what one category of a case's defence is planned to cost (euro cents)."""
    if planned_amount < 0:
        raise BoardRuleError(_("A planned amount cannot be negative."))
    with transaction.atomic():
        line, created = CaseBudgetLine.objects.select_for_update().get_or_create(
            case_key=case.translation_key,
            category=category,
            defaults={"case": case, "planned_amount": planned_amount, "note": note},
        )
        if not created:
            line.planned_amount = planned_amount
            line.note = note
            line.case = line.case or case
        line.full_clean()
        line.save()
        log(
            instance=line,
            action="wagtail.create" if created else "wagtail.edit",
            user=user,
        )
    return line
