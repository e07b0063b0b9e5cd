"""The fund ledger: balanced, immutable postings, each caused exactly once."""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Sum

from donations.models import Account, LedgerLeg, LedgerTransaction


class UnbalancedTransaction(ValueError):
    pass


def clearing_account() -> Account:
    return _account("stripe-clearing", "Stripe clearing", Account.Kind.CLEARING)


def fees_account() -> Account:
    return _account("fees", "Payment fees", Account.Kind.FEES)


def dispute_fees_account() -> Account:
    return _account("dispute-fees", "Dispute fees", Account.Kind.DISPUTE_FEES)


def fund_account(*, fund_type: str, subject_key: uuid.UUID | None = None) -> Account:
    """The fund money designated to a case, a campaign, or generally is held in."""
    if fund_type == Account.FundType.GENERAL or subject_key is None:
        return _account(
            "fund:general",
            "General fund",
            Account.Kind.FUND,
            fund_type=Account.FundType.GENERAL,
        )
    return _account(
        f"fund:{fund_type}:{subject_key}",
        f"{Account.FundType(fund_type).label} {subject_key}",
        Account.Kind.FUND,
        fund_type=fund_type,
        subject_key=subject_key,
    )


def _account(code: str, name: str, kind: str, **extra) -> Account:
    account, _ = Account.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, **extra}
    )
    return account


def ledger_post(
    *,
    cause_key: str,
    description: str,
    occurred_at: datetime.datetime,
    legs: list[tuple[Account, int]],
    donation=None,
    stripe_event=None,
) -> LedgerTransaction:
    """Post a balanced transaction once. Posting the same cause again returns the
    transaction already posted and changes nothing."""
    legs = [(account, amount) for account, amount in legs if amount]
    if sum(amount for _, amount in legs) != 0:
        raise UnbalancedTransaction(f"{cause_key}: legs do not sum to zero: {legs}")
    existing = LedgerTransaction.objects.filter(cause_key=cause_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            posted = LedgerTransaction.objects.create(
                cause_key=cause_key,
                description=description[:300],
                occurred_at=occurred_at,
                donation=donation,
                stripe_event=stripe_event,
            )
            LedgerLeg.objects.bulk_create(
                LedgerLeg(transaction=posted, account=account, amount=amount)
                for account, amount in legs
            )
    except IntegrityError:
        # Posted a moment ago by a concurrent delivery of the same event.
        return LedgerTransaction.objects.get(cause_key=cause_key)
    return posted


def balance(account: Account) -> int:
    """Debits minus credits: funds (credit accounts) have negative balances."""
    return account.legs.aggregate(total=Sum("amount"))["total"] or 0


def fund_raised(*, fund_type: str, subject_key=None) -> int:
    """What donors gave a fund, net of refunds and disputes, in base-currency minor
    units: the fund's Stripe postings only (spending it does not lower it)."""
    total = LedgerLeg.objects.filter(
        account__kind=Account.Kind.FUND,
        account__fund_type=fund_type,
        account__subject_key=subject_key,
        transaction__cause_key__startswith="stripe:",
    ).aggregate(total=Sum("amount"))["total"]
    return -(total or 0)


def fund_balance(*, fund_type: str, subject_key=None) -> int:
    """What a fund holds, as a positive amount in minor units of the base currency."""
    account = Account.objects.filter(
        kind=Account.Kind.FUND, fund_type=fund_type, subject_key=subject_key
    ).first()
    return -balance(account) if account else 0
