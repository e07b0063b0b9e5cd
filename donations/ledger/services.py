"""The fund ledger: balanced, immutable postings, each caused exactly once.

Accounts (see `donations.models.Account`): Stripe clearing and the bank (assets);
one fund per case, per campaign and the general fund, each with its own payment-fee
and dispute-fee accounts; one "committed" account per case and budget category.
Signs: a positive amount is a debit, a negative one a credit; funds and commitments
normally have credit (negative) balances.

Every posting also adds its legs to `AccountMonth`, the monthly roll-up that reports
read, in the same database transaction.
"""

import datetime
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from donations.models import (
    Account,
    AccountMonth,
    Flow,
    LedgerLeg,
    LedgerMonth,
    LedgerTransaction,
)

GENERAL_FUND_CODE = "fund:general"


class UnbalancedTransaction(ValueError):
    pass


def clearing_account() -> Account:
    return _account("stripe-clearing", "Stripe clearing", Account.Kind.CLEARING)


def bank_account() -> Account:
    return _account("bank", "Bank", Account.Kind.BANK)


def fund_account(*, fund_type: str, subject_key: uuid.UUID | None = None) -> Account:
    """The fund money designated to a case, a campaign, or generally is held in."""
    if fund_type == Account.FundType.GENERAL or subject_key is None:
        return _account(
            GENERAL_FUND_CODE,
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


def fees_account(*, fund: Account | None = None) -> Account:
    """The payment fees a fund bears (the general fund's when none is given)."""
    return _fund_expense_account("fees", "Payment fees", Account.Kind.FEES, fund)


def dispute_fees_account(*, fund: Account | None = None) -> Account:
    """The dispute fees a fund bears (the general fund's when none is given)."""
    return _fund_expense_account(
        "dispute-fees", "Dispute fees", Account.Kind.DISPUTE_FEES, fund
    )


def _fund_expense_account(
    prefix: str, name: str, kind: str, fund: Account | None
) -> Account:
    if fund is None or fund.fund_type == Account.FundType.GENERAL:
        # The general fund's accounts keep the codes they had before funds bore
        # their own fees.
        return _account(prefix, name, kind, fund_type=Account.FundType.GENERAL)
    return _account(
        f"{prefix}:{fund.fund_type}:{fund.subject_key}",
        f"{name}: {fund.name}",
        kind,
        fund_type=fund.fund_type,
        subject_key=fund.subject_key,
    )


def committed_account(*, case_key: uuid.UUID, category: str) -> Account:
    """Money approved for one budget category of a case and not yet paid."""
    return _account(
        f"committed:{case_key}:{category}",
        f"Committed {case_key} {category}",
        Account.Kind.COMMITTED,
        fund_type=Account.FundType.CASE,
        subject_key=case_key,
        category=category,
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
    flow: str | None = None,
    donation=None,
    stripe_event=None,
    approved_by=None,
) -> LedgerTransaction:
    """Post a balanced transaction once. Posting the same cause again returns the
    transaction already posted and changes nothing. `flow` defaults to the gift's
    frequency when a donation is given."""
    legs = [(account, amount) for account, amount in legs if amount]
    if sum(amount for _, amount in legs) != 0:
        raise UnbalancedTransaction(f"{cause_key}: legs do not sum to zero: {legs}")
    if flow is None:
        flow = donation.frequency if donation is not None else Flow.OTHER
    existing = LedgerTransaction.objects.filter(cause_key=cause_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            posted = LedgerTransaction.objects.create(
                cause_key=cause_key,
                description=description[:300],
                flow=flow,
                occurred_at=occurred_at,
                donation=donation,
                stripe_event=stripe_event,
                approved_by=approved_by,
            )
            LedgerLeg.objects.bulk_create(
                LedgerLeg(transaction=posted, account=account, amount=amount)
                for account, amount in legs
            )
            _roll_up(legs, month=_month_of(occurred_at), flow=flow)
    except IntegrityError:
        # Posted a moment ago by a concurrent delivery of the same event.
        return LedgerTransaction.objects.get(cause_key=cause_key)
    return posted


def _month_of(moment: datetime.datetime) -> datetime.date:
    moment = moment.astimezone(datetime.UTC)
    return datetime.date(moment.year, moment.month, 1)


_UPSERT_SQL = """
INSERT INTO {table} ({keys}, debits, credits, debit_count, credit_count)
VALUES ({placeholders}, %s, %s, %s, %s)
ON CONFLICT ({keys}) DO UPDATE SET
    debits = {table}.debits + excluded.debits,
    credits = {table}.credits + excluded.credits,
    debit_count = {table}.debit_count + excluded.debit_count,
    credit_count = {table}.credit_count + excluded.credit_count
"""
ROLLUPS = {
    # roll-up model: the leg's dimensions it is kept by (besides month and flow)
    AccountMonth: ("account_id",),
    LedgerMonth: ("kind", "fund_type", "category"),
}
_COUNTERS = ("debits", "credits", "debit_count", "credit_count")


def _dimensions(account: Account) -> dict:
    return {
        "account_id": account.pk,
        "kind": account.kind,
        "fund_type": account.fund_type,
        "category": account.category,
    }


def _roll_up(legs: list[tuple[Account, int]], *, month: datetime.date, flow: str):
    with connection.cursor() as cursor:
        for model, dimensions in ROLLUPS.items():
            totals: dict[tuple, list[int]] = {}
            for account, amount in legs:
                key = tuple(_dimensions(account)[d] for d in dimensions)
                row = totals.setdefault(key, [0, 0, 0, 0])
                if amount > 0:
                    row[0] += amount
                    row[2] += 1
                else:
                    row[1] -= amount
                    row[3] += 1
            keys = (*dimensions, "month", "flow")
            sql = _UPSERT_SQL.format(
                table=model._meta.db_table,
                keys=", ".join(keys),
                placeholders=", ".join(["%s"] * len(keys)),
            )
            # One order for every writer, so that concurrent postings never
            # deadlock on the rows they share.
            for key in sorted(totals):
                cursor.execute(sql, [*key, month, flow, *totals[key]])


def _rollup_from_legs(dimensions: tuple[str, ...]):
    fields = {
        "account_id": "account_id",
        "kind": "account__kind",
        "fund_type": "account__fund_type",
        "category": "account__category",
    }
    return (
        LedgerLeg.objects.annotate(
            month=TruncMonth("transaction__occurred_at"),
            flow=F("transaction__flow"),
            **{d: F(fields[d]) for d in dimensions if d != "account_id"},
        )
        .values(*dimensions, "month", "flow")
        .annotate(
            debits=Coalesce(Sum("amount", filter=Q(amount__gt=0)), 0),
            credits=Coalesce(-Sum("amount", filter=Q(amount__lt=0)), 0),
            debit_count=Count("pk", filter=Q(amount__gt=0)),
            credit_count=Count("pk", filter=Q(amount__lt=0)),
        )
        .order_by()
    )


def rollup_rebuild() -> int:
    """Recompute the monthly roll-ups from the legs (after a bulk load, say)."""
    created = 0
    with transaction.atomic():
        for model, dimensions in ROLLUPS.items():
            model.objects.all().delete()
            rows = [
                model(**{**row, "month": _as_date(row["month"])})
                for row in _rollup_from_legs(dimensions).iterator(chunk_size=5000)
            ]
            model.objects.bulk_create(rows, batch_size=5000)
            created += len(rows)
    return created


def rollup_mismatches() -> list[tuple]:
    """Where a roll-up and the legs disagree: (roll-up, key, month, flow, its
    counters, the legs' counters). Empty when they agree to the cent, as they
    always should."""
    mismatches = []
    for model, dimensions in ROLLUPS.items():

        def key(row, dimensions=dimensions):
            return (*(row[d] for d in dimensions), _as_date(row["month"]), row["flow"])

        from_legs = {
            key(row): tuple(row[c] for c in _COUNTERS)
            for row in _rollup_from_legs(dimensions)
        }
        rolled = {
            key(row): tuple(row[c] for c in _COUNTERS)
            for row in model.objects.values(*dimensions, "month", "flow", *_COUNTERS)
        }
        zero = (0, 0, 0, 0)
        mismatches += [
            (model.__name__, *k, rolled.get(k), from_legs.get(k))
            for k in sorted(set(from_legs) | set(rolled), key=str)
            if rolled.get(k, zero) != from_legs.get(k, zero)
        ]
    return mismatches


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


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
    """What donors gave a fund less what was refunded or allocated from it, as a
    positive amount in minor units of the base currency (fees not deducted: see
    `fund_available`)."""
    account = Account.objects.filter(
        kind=Account.Kind.FUND, fund_type=fund_type, subject_key=subject_key
    ).first()
    return -balance(account) if account else 0


# What reports and rules share: the flows of gifts, the accounts that make up a
# fund's position (the fund and the fees it bears), and the fee accounts.
GIFT_FLOWS = (Flow.ONE_OFF, Flow.MONTHLY)
# Everything that moves a fund's donated money: gifts and refunds, and disputes
# (withdrawn, and given back when won). Gross gifts are GIFT_FLOWS' credits only.
DONOR_FLOWS = (*GIFT_FLOWS, Flow.DISPUTE)
FEE_KINDS = (Account.Kind.FEES, Account.Kind.DISPUTE_FEES)
FUND_KINDS = (Account.Kind.FUND, *FEE_KINDS)


def fund_available(fund: Account) -> int:
    """What a fund can still commit: its gifts less their fees, refunds, disputes
    and allocations, in minor units of the base currency (negative when
    overdrawn)."""
    return fund_availability([fund])[fund.pk]


def fund_availability(funds: Iterable[Account]) -> dict[int, int]:
    """`fund_available` for several funds in one query, keyed by the fund's pk."""
    funds = list(funds)
    wanted = Q(pk__in=[])
    for fund in funds:
        if fund.fund_type == Account.FundType.GENERAL:
            wanted |= Q(fund_type=Account.FundType.GENERAL)
        else:
            wanted |= Q(fund_type=fund.fund_type, subject_key=fund.subject_key)
    rows = (
        Account.objects.filter(wanted, kind__in=FUND_KINDS)
        .values("fund_type", "subject_key")
        .annotate(total=Coalesce(Sum("legs__amount"), 0))
        .order_by()
    )
    by_subject = {(row["fund_type"], row["subject_key"]): -row["total"] for row in rows}

    def key(fund: Account):
        general = fund.fund_type == Account.FundType.GENERAL
        return (fund.fund_type, None if general else fund.subject_key)

    return {fund.pk: by_subject.get(key(fund), 0) for fund in funds}
