"""The fund ledger: balanced, immutable postings, each caused exactly once.

Accounts (see `donations.models.Account`): Stripe clearing and the bank (assets);
one fund per case, per campaign and the general fund, each with its own payment-fee
and dispute-fee accounts; one "committed" account per case and budget category.
Signs: a positive amount is a debit, a negative one a credit; funds and commitments
normally have credit (negative) balances.

Every posting also adds its legs to `AccountMonth`, the monthly roll-up that reports
read, in the same database transaction; a posting of gifts also brings the
network's published totals (`DisclosedMonth`, the disclosure rule applied per fund)
up to date.
"""

import datetime
import uuid
import zlib
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from donations.models import (
    Account,
    AccountMonth,
    CasePaid,
    DisclosedMonth,
    Donation,
    Flow,
    LedgerLeg,
    LedgerMonth,
    LedgerTransaction,
)
from donations.transparency.disclosure import GiftMonth, gift_batches

GENERAL_FUND_CODE = "fund:general"

# What reports and rules share: the flows of gifts, the accounts that make up a
# fund's position (the fund and the fees it bears), and the fee accounts.
GIFT_FLOWS = (Flow.ONE_OFF, Flow.MONTHLY)
# Everything that moves a fund's donated money: gifts and refunds, and disputes
# (withdrawn, and given back when won). Gross gifts are GIFT_FLOWS' credits only.
DONOR_FLOWS = (*GIFT_FLOWS, Flow.DISPUTE)
FEE_KINDS = (Account.Kind.FEES, Account.Kind.DISPUTE_FEES)
FUND_KINDS = (Account.Kind.FUND, *FEE_KINDS)


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
            if donation is not None:
                _mark_posted(donation=donation, at=posted.posted_at)
    except IntegrityError:
        # Posted a moment ago by a concurrent delivery of the same event.
        return LedgerTransaction.objects.get(cause_key=cause_key)
    return posted


def _mark_posted(*, donation: Donation, at: datetime.datetime) -> None:
    """Record on the donation that the ledger has a posting of it, in the posting's
    transaction: a rolled-back posting leaves it unmarked. The caller's instance is
    marked too, so that its later save() (under its row lock) keeps the mark."""
    Donation.objects.filter(pk=donation.pk, ledger_posted_at=None).update(
        ledger_posted_at=at
    )
    if donation.ledger_posted_at is None:
        donation.ledger_posted_at = at


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
    funds = _disclosing_funds(legs, flow)
    _funds_lock(funds)
    disclosed_before = _disclosed_totals(funds)
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
        if funds:
            _disclosed_add(cursor, disclosed_before, _disclosed_totals(funds))
        if flow == Flow.DISBURSEMENT:
            _case_paid_add(cursor, legs)


_CASE_PAID_UPSERT_SQL = """
INSERT INTO {table} (case_key, paid) VALUES (%s, %s)
ON CONFLICT (case_key) DO UPDATE SET paid = {table}.paid + excluded.paid
"""


def _case_paid_add(cursor, legs: list[tuple[Account, int]]) -> None:
    paid: dict[uuid.UUID, int] = {}
    for account, amount in legs:
        if account.kind == Account.Kind.COMMITTED:
            paid[account.subject_key] = paid.get(account.subject_key, 0) + amount
    sql = _CASE_PAID_UPSERT_SQL.format(table=CasePaid._meta.db_table)
    field = CasePaid._meta.get_field("case_key")
    for key in sorted(paid, key=str):  # one order for every writer (no deadlock)
        cursor.execute(sql, [field.get_db_prep_value(key, connection), paid[key]])


def _case_paid(rows) -> dict[uuid.UUID, int]:
    """`CasePaid` from roll-up rows, or legs, of committed accounts."""
    return dict(
        rows.filter(account__kind=Account.Kind.COMMITTED)
        .values("account__subject_key")
        .annotate(total=Sum(F("debits") - F("credits")))
        .order_by()
        .values_list("account__subject_key", "total")
    )


# --- The network's published totals (`DisclosedMonth`) ------------------------------

Fund = tuple[str, uuid.UUID | None]  # fund type and subject key: a fund's accounts
_DISCLOSED_COUNTERS = ("gifts", "refunds", "fees", "raised")
_DISCLOSED_UPSERT_SQL = """
INSERT INTO {table} (fund_type, month, gifts, refunds, fees, raised)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (fund_type, month) DO UPDATE SET
    gifts = {table}.gifts + excluded.gifts,
    refunds = {table}.refunds + excluded.refunds,
    fees = {table}.fees + excluded.fees,
    raised = {table}.raised + excluded.raised
"""
# The first key of the advisory locks taken on funds (any constant of our own).
_FUND_LOCKS = 0x50D1


def gift_month_add(
    month: GiftMonth, *, kind: str, flow: str, debits: int, credits: int, count: int
) -> None:
    """Add one roll-up row of a fund's accounts (the fund, its fee and dispute-fee
    accounts) to the fund's month, as the disclosure rule reads it. `count` is the
    row's number of credits: one per payment received."""
    if flow == Flow.DISPUTE:
        # What disputes withdrew less what won ones gave back: not a gift.
        if kind == Account.Kind.FUND:
            month.refunds += debits - credits
        elif kind in FEE_KINDS:
            month.fees += debits - credits
    elif flow in GIFT_FLOWS:
        if kind == Account.Kind.FUND:
            month.gifts += credits
            month.refunds += debits
            if flow == Flow.ONE_OFF:
                month.one_off_gifts += count
            else:
                month.monthly_gifts += count
        elif kind in FEE_KINDS:
            month.fees += debits - credits


def _disclosing_funds(legs: list[tuple[Account, int]], flow: str) -> list[Fund]:
    """The funds whose published figures a posting may change: gifts, refunds and
    disputes on a fund's accounts."""
    if flow not in DONOR_FLOWS:
        return []
    return sorted(
        {
            (account.fund_type, account.subject_key)
            for account, _amount in legs
            if account.kind in FUND_KINDS
        },
        key=str,
    )


def _funds_lock(funds: list[Fund]) -> None:
    """Hold each fund until the transaction ends, so that two postings to one fund
    never both work out its batches from a roll-up missing the other's legs (on
    PostgreSQL; SQLite lets one writer in at a time, and this transaction has
    written already)."""
    if not funds or connection.vendor != "postgresql":
        return
    keys = sorted({zlib.crc32(f"{t}:{k or ''}".encode()) - 2**31 for t, k in funds})
    with connection.cursor() as cursor:
        for key in keys:  # in one order, so that no two postings deadlock
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_FUND_LOCKS, key])


def _disclosed_from(rows) -> dict[tuple[str, datetime.date], list[int]]:
    """`DisclosedMonth`'s counters from roll-up rows of funds' accounts, (fund type,
    subject key, kind, month, flow, debits, credits, credit count): each fund's
    batches under the rule, summed by fund type and the batch's last month."""
    months: dict[Fund, dict[datetime.date, GiftMonth]] = {}
    for fund_type, key, kind, month, flow, debits, credits, count in rows:
        month = _as_date(month)
        by_month = months.setdefault((fund_type, key), {})
        gift_month = by_month.get(month)
        if gift_month is None:
            gift_month = by_month[month] = GiftMonth(month=month)
        gift_month_add(
            gift_month,
            kind=kind,
            flow=flow,
            debits=debits,
            credits=credits,
            count=count,
        )
    totals: dict[tuple[str, datetime.date], list[int]] = {}
    for (fund_type, _key), by_month in months.items():
        for batch in gift_batches(by_month.values()):
            row = totals.setdefault((fund_type, batch.month), [0, 0, 0, 0])
            row[0] += batch.gifts
            row[1] += batch.refunds
            row[2] += batch.fees
            row[3] += batch.raised
    return totals


def _fund_rollup(funds: list[Fund] | None = None):
    """The roll-up rows `_disclosed_from` reads, of `funds` (None: of all)."""
    rows = AccountMonth.objects.filter(
        account__kind__in=FUND_KINDS, flow__in=DONOR_FLOWS
    )
    if funds is not None:
        wanted = Q(pk__in=[])
        for fund_type, key in funds:
            wanted |= Q(account__fund_type=fund_type, account__subject_key=key)
        rows = rows.filter(wanted)
    return rows.values_list(
        "account__fund_type",
        "account__subject_key",
        "account__kind",
        "month",
        "flow",
        "debits",
        "credits",
        "credit_count",
    ).order_by()


def _disclosed_totals(funds: list[Fund]) -> dict[tuple[str, datetime.date], list]:
    return _disclosed_from(_fund_rollup(funds)) if funds else {}


def _disclosed_add(cursor, before: dict, after: dict) -> None:
    """Move `DisclosedMonth` from what the funds' batches were to what they are.

    A posting may close a batch, or land in a month whose batch closed long ago
    (a refund, a late event): the fund's batches are worked out again from its
    roll-up, and only the difference is added, so that postings to other funds
    never wait on it for long."""
    sql = _DISCLOSED_UPSERT_SQL.format(table=DisclosedMonth._meta.db_table)
    zero = [0, 0, 0, 0]
    for key in sorted(set(before) | set(after)):
        change = [
            a - b
            for a, b in zip(after.get(key, zero), before.get(key, zero), strict=True)
        ]
        if any(change):
            cursor.execute(sql, [*key, *change])


def _rollup_from_legs(dimensions: tuple[str, ...]):
    fields = {
        "account_id": "account_id",
        "kind": "account__kind",
        "fund_type": "account__fund_type",
        "category": "account__category",
        "subject_key": "account__subject_key",
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
        DisclosedMonth.objects.all().delete()
        disclosed = [
            DisclosedMonth(
                fund_type=fund_type,
                month=month,
                **dict(zip(_DISCLOSED_COUNTERS, counters, strict=True)),
            )
            for (fund_type, month), counters in _disclosed_from(
                _fund_rollup().iterator(chunk_size=5000)
            ).items()
        ]
        DisclosedMonth.objects.bulk_create(disclosed, batch_size=5000)
        created += len(disclosed)
        CasePaid.objects.all().delete()
        paid = [
            CasePaid(case_key=key, paid=total)
            for key, total in _case_paid(
                AccountMonth.objects.filter(flow=Flow.DISBURSEMENT)
            ).items()
        ]
        CasePaid.objects.bulk_create(paid, batch_size=5000)
        created += len(paid)
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
    return mismatches + _disclosed_mismatches() + _case_paid_mismatches()


def _case_paid_mismatches() -> list[tuple]:
    """`CasePaid` against each case's committed legs, flow "disbursement"."""
    from_legs = dict(
        LedgerLeg.objects.filter(
            account__kind=Account.Kind.COMMITTED,
            transaction__flow=Flow.DISBURSEMENT,
        )
        .values("account__subject_key")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("account__subject_key", "total")
    )
    rolled = dict(CasePaid.objects.values_list("case_key", "paid"))
    return [
        ("CasePaid", key, rolled.get(key), from_legs.get(key))
        for key in sorted(set(from_legs) | set(rolled), key=str)
        if rolled.get(key, 0) != from_legs.get(key, 0)
    ]


def _disclosed_mismatches() -> list[tuple]:
    """`DisclosedMonth` against the rule applied to each fund's legs."""
    from_legs = _disclosed_from(
        (row["fund_type"], row["subject_key"], row["kind"], row["month"], row["flow"],
         row["debits"], row["credits"], row["credit_count"])
        for row in _rollup_from_legs(("kind", "fund_type", "subject_key")).filter(
            account__kind__in=FUND_KINDS, transaction__flow__in=DONOR_FLOWS
        )
    )  # fmt: skip
    rolled = {
        (fund_type, month): list(counters)
        for fund_type, month, *counters in DisclosedMonth.objects.values_list(
            "fund_type", "month", *_DISCLOSED_COUNTERS
        )
    }
    zero = [0, 0, 0, 0]
    return [
        ("DisclosedMonth", *key, rolled.get(key), from_legs.get(key))
        for key in sorted(set(from_legs) | set(rolled))
        if rolled.get(key, zero) != from_legs.get(key, zero)
    ]


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
