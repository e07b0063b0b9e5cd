"""What the Board's dashboard reads: every figure aggregated in the database.

All amounts are euro cents. The ledger's monthly roll-ups (`LedgerMonth` over all
cases, `AccountMonth` per account) are the source of every money figure, so that
the dashboard equals the ledger to the cent while reading thousands of rows
instead of millions of legs; the entries (`Allocation`) only say which fund paid
which case, for the flow diagram. Python only arranges the few hundred
aggregated rows the queries return.

Definitions (also shown on the dashboard):

- *Gross gifts* are the credits of the funds from Stripe (one-off and monthly
  flows); *refunds and disputes* their debits, and what disputes withdrew less what
  won disputes gave back (the dispute flow, never gross); *fees* the payment and
  dispute fees the funds bear.
- *Allocated* is what was committed to a case's budget category, less reversals;
  *paid* what was disbursed against it, less reversals; *committed, unpaid* what
  is allocated and not yet paid.
- *Available* is what a fund can still commit: its gifts less refunds, fees and
  allocations, at the end of the period.
- A case's *share funded* is (everything allocated to it up to the end of the
  period + what is available in its own fund) / its planned budget; the
  *shortfall* is planned minus that.
- The *oldest unspent* money of a case is the month of the oldest gift to its
  fund that is still available there, taking the fund's gifts month by month,
  oldest first, as consumed by what left the fund (refunds, fees, allocations).
- The *burn rate* is what was paid for a case per month: over the chosen period
  when it has a first month, else over the last six complete months.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation

from donations.ledger.services import DONOR_FLOWS, FEE_KINDS, FUND_KINDS, GIFT_FLOWS
from donations.models import (
    Account,
    AccountMonth,
    Allocation,
    BudgetCategory,
    CaseBudgetLine,
    Designation,
    Disbursement,
    Donation,
    EntryStatus,
    Flow,
    LedgerMonth,
    ReconciliationReport,
    Subscription,
)

FUND_TYPES = (
    Account.FundType.GENERAL,
    Account.FundType.CAMPAIGN,
    Account.FundType.CASE,
)
SANKEY_TOP_CASES = 12
CASES_PER_PAGE = 50
BURN_MONTHS = 6


# --- Months and filters ------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, day.month, 1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> int:
    """How many months from `first` to `last` (0 when they are the same)."""
    return (last.year - first.year) * 12 + last.month - first.month


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [add_months(first, n) for n in range(months_between(first, last) + 1)]


def current_month() -> datetime.date:
    return month_start(timezone.now().astimezone(datetime.UTC).date())


def _as_month(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.UTC).date() if value.tzinfo else value.date()
    elif isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return month_start(value)


def _utc(month: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(month, datetime.time(), datetime.UTC)


@dataclass(frozen=True)
class Filters:
    """What the Board chose: a range of months (the first may be open: from the
    beginning), a campaign (its translation key), a home region (its slug) and a
    budget category.

    Campaign and region choose *cases* (the people a campaign concerns, the people
    from a region) and so the funds that are theirs: their case funds, and the
    campaign's own fund when no region is chosen. The general fund and other
    campaigns' funds are outside such a filter. The category narrows budgets,
    allocations and payments; gifts have no category."""

    end: datetime.date
    start: datetime.date | None = None
    campaign: uuid.UUID | None = None
    region: str | None = None
    category: str | None = None

    @property
    def has_case_filter(self) -> bool:
        return self.campaign is not None or bool(self.region)

    @property
    def end_exclusive(self) -> datetime.date:
        return add_months(self.end, 1)

    def burn_window(self) -> tuple[datetime.date, datetime.date]:
        """The months the burn rate averages over (first, last)."""
        if self.start is not None:
            return self.start, self.end
        last = self.end
        if last >= current_month():
            last = add_months(current_month(), -1)  # complete months only
        return add_months(last, 1 - BURN_MONTHS), last

    def as_query(self) -> dict[str, str]:
        query = {"end": self.end.strftime("%Y-%m")}
        if self.start:
            query["start"] = self.start.strftime("%Y-%m")
        if self.campaign:
            query["campaign"] = str(self.campaign)
        if self.region:
            query["region"] = self.region
        if self.category:
            query["category"] = self.category
        return query


def default_filters() -> Filters:
    return Filters(end=current_month())


def _case_keys(filters: Filters):
    """A subquery of the translation keys of the cases the filter chooses, or None
    for every case."""
    from campaigns.models import CampaignPrisoner
    from prisoners.models import PrisonerPage

    keys = None
    if filters.region:
        keys = PrisonerPage.objects.filter(home_region__slug=filters.region).values(
            "translation_key"
        )
    if filters.campaign is not None:
        concerned = CampaignPrisoner.objects.filter(
            campaign__translation_key=filters.campaign
        ).values("prisoner__translation_key")
        if keys is None:
            keys = PrisonerPage.objects.filter(translation_key__in=concerned).values(
                "translation_key"
            )
        else:
            keys = keys.filter(translation_key__in=concerned)
    return keys


def _fund_scope(filters: Filters, prefix: str = "account__") -> Q:
    """Accounts (funds, their fees, commitments) inside the filter."""
    keys = _case_keys(filters)
    if keys is None:
        return Q()
    scope = Q(
        **{
            f"{prefix}fund_type": Account.FundType.CASE,
            f"{prefix}subject_key__in": keys,
        }
    )
    if filters.campaign is not None and not filters.region:
        scope |= Q(
            **{
                f"{prefix}fund_type": Account.FundType.CAMPAIGN,
                f"{prefix}subject_key": filters.campaign,
            }
        )
    return scope


def _gift_scope(filters: Filters) -> Q:
    """Donations and monthly gifts inside the filter (by what they were given to)."""
    keys = _case_keys(filters)
    if keys is None:
        return Q()
    scope = Q(designation=Designation.CASE, subject_key__in=keys)
    if filters.campaign is not None and not filters.region:
        scope |= Q(designation=Designation.CAMPAIGN, subject_key=filters.campaign)
    return scope


def _monthly_rows(filters: Filters, *, kinds, category: str = ""):
    """The ledger's monthly totals of accounts of `kinds` up to the end of the
    period, as rows of month, flow, kind, fund_type, category, debits and credits.
    Over all cases they come from `LedgerMonth` (a few hundred rows); a campaign or
    region filter reads the chosen accounts' rows in `AccountMonth`."""
    scope = _fund_scope(filters)
    if scope:
        rows = AccountMonth.objects.filter(scope, account__kind__in=kinds).annotate(
            kind=F("account__kind"),
            fund_type=F("account__fund_type"),
            category=F("account__category"),
        )
        if category:
            rows = rows.filter(account__category=category)
    else:
        rows = LedgerMonth.objects.filter(kind__in=kinds)
        if category:
            rows = rows.filter(category=category)
    return (
        rows.filter(month__lt=filters.end_exclusive)
        .values("month", "flow", "kind", "fund_type", "category")
        .annotate(debits=Sum("debits"), credits=Sum("credits"))
        .order_by()
    )


# --- Money raised, fees and what the funds hold ------------------------------------


@dataclass
class MonthRaised:
    """One month of gifts (credits to the funds) and what came back out of them."""

    month: datetime.date
    gross_by_fund: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(FUND_TYPES, 0)
    )
    gross_one_off: int = 0
    gross_monthly: int = 0
    refunds: int = 0  # refunds and disputes (won disputes give back)
    fees: int = 0  # payment and dispute fees

    @property
    def gross(self) -> int:
        return sum(self.gross_by_fund.values())

    @property
    def net(self) -> int:
        """What the funds kept: gross less refunds, disputes and fees."""
        return self.gross - self.refunds - self.fees


@dataclass
class FundTotals:
    """One fund type (general, campaign or case funds) over the period."""

    fund_type: str
    gross: int = 0
    refunds: int = 0
    fees: int = 0
    allocated: int = 0  # net of reversals
    other: int = 0  # any other movement of the funds (normally none)
    opening_available: int = 0
    closing_available: int = 0

    @property
    def net_raised(self) -> int:
        return self.gross - self.refunds


@dataclass
class FundMovements:
    months: list[MonthRaised]
    funds: dict[str, FundTotals]

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.funds.values())


def fund_movements(filters: Filters) -> FundMovements:
    """Gifts, refunds and fees per month in the period, and per fund type the
    period's totals and what was available before and after it. One query."""
    rows = _monthly_rows(filters, kinds=FUND_KINDS)
    first = filters.start
    months: dict[datetime.date, MonthRaised] = {}
    funds = {fund_type: FundTotals(fund_type) for fund_type in FUND_TYPES}
    for row in rows:
        month = _as_month(row["month"])
        fund = funds.setdefault(row["fund_type"], FundTotals(row["fund_type"]))
        kind, flow = row["kind"], row["flow"]
        balance = row["debits"] - row["credits"]
        if first is not None and month < first:
            fund.opening_available -= balance
            continue
        fund.closing_available -= balance
        gift = flow in GIFT_FLOWS
        if kind == Account.Kind.FUND and flow == Flow.DISPUTE:
            # Withdrawn by a dispute, less what a won one gave back: never gross.
            fund.refunds += balance
            months.setdefault(month, MonthRaised(month)).refunds += balance
        elif kind in FEE_KINDS and flow == Flow.DISPUTE:
            fund.fees += balance
            months.setdefault(month, MonthRaised(month)).fees += balance
        elif kind == Account.Kind.FUND and gift:
            fund.gross += row["credits"]
            fund.refunds += row["debits"]
            entry = months.setdefault(month, MonthRaised(month))
            entry.gross_by_fund[fund.fund_type] = (
                entry.gross_by_fund.get(fund.fund_type, 0) + row["credits"]
            )
            if flow == Flow.MONTHLY:
                entry.gross_monthly += row["credits"]
            else:
                entry.gross_one_off += row["credits"]
            entry.refunds += row["debits"]
        elif kind in FEE_KINDS and gift:
            fund.fees += balance
            months.setdefault(month, MonthRaised(month)).fees += balance
        elif kind == Account.Kind.FUND and flow == Flow.ALLOCATION:
            fund.allocated += balance
        else:
            fund.other += balance
    for fund in funds.values():
        # The closing balance so far holds only the period's movements.
        fund.closing_available += fund.opening_available
    if months or first is not None:
        span = month_range(first or min(months), filters.end)
    else:
        span = []
    return FundMovements(
        months=[months.get(month) or MonthRaised(month) for month in span],
        funds=funds,
    )


@dataclass
class CampaignMonths:
    """Gross gifts to campaign funds per month: the largest campaigns one by one,
    the rest together."""

    campaigns: list[tuple[uuid.UUID | None, str]]  # (key, title); None: the others
    months: list[datetime.date]
    gross: dict[tuple[uuid.UUID | None, datetime.date], int]

    def series(self, key) -> list[int]:
        return [self.gross.get((key, month), 0) for month in self.months]

    def total(self, key) -> int:
        return sum(self.series(key))


def campaign_months(filters: Filters, *, top: int = 8) -> CampaignMonths:
    """Gross gifts per campaign and month within the period (two queries: the
    amounts, then the campaigns' titles)."""
    if filters.region:
        return CampaignMonths([], [], {})
    rows = AccountMonth.objects.filter(
        account__kind=Account.Kind.FUND,
        account__fund_type=Account.FundType.CAMPAIGN,
        flow__in=GIFT_FLOWS,
        month__lt=filters.end_exclusive,
    )
    if filters.start:
        rows = rows.filter(month__gte=filters.start)
    if filters.campaign is not None:
        rows = rows.filter(account__subject_key=filters.campaign)
    rows = list(
        rows.values("month", "account__subject_key")
        .annotate(gross=Sum("credits"))
        .order_by()
    )
    totals: dict[uuid.UUID, int] = defaultdict(int)
    for row in rows:
        totals[row["account__subject_key"]] += row["gross"]
    ranked = sorted(totals, key=lambda key: (-totals[key], str(key)))
    shown = ranked[:top]
    titles = page_titles("campaigns.CampaignPage", shown)
    gross: dict[tuple[uuid.UUID | None, datetime.date], int] = defaultdict(int)
    for row in rows:
        key = row["account__subject_key"]
        gross[(key if key in shown else None, _as_month(row["month"]))] += row["gross"]
    months = (
        month_range(
            filters.start or min(_as_month(r["month"]) for r in rows), filters.end
        )
        if rows
        else []
    )
    campaigns = [(key, titles.get(key, str(key)[:8])) for key in shown]
    if len(ranked) > top:
        campaigns.append((None, "…"))
    return CampaignMonths(campaigns=campaigns, months=months, gross=dict(gross))


def page_titles(model: str, keys) -> dict[uuid.UUID, str]:
    """The title of each page by translation key, in the admin's language when
    there is a version in it. One query."""
    from django.apps import apps

    keys = [key for key in keys if key is not None]
    if not keys:
        return {}
    language = (translation.get_language() or "").split("-")[0]
    titles: dict[uuid.UUID, str] = {}
    rows = (
        apps.get_model(model)
        .objects.filter(translation_key__in=keys)
        .values_list("translation_key", "title", "locale__language_code")
        .order_by("pk")
    )
    for key, title, language_code in rows:
        if key not in titles or language_code == language:
            titles[key] = title
    return titles


# --- Commitments: allocations and payments by category --------------------------------


@dataclass
class CategoryTotals:
    category: str
    label: str
    planned: int = 0
    allocated: int = 0  # in the period, net of reversals
    allocated_to_date: int = 0  # up to the end of the period
    paid: int = 0  # in the period, net of reversals
    opening_unpaid: int = 0
    closing_unpaid: int = 0


@dataclass
class MonthSpending:
    month: datetime.date
    allocated: int = 0
    paid: int = 0


@dataclass
class Commitments:
    categories: list[CategoryTotals]
    months: list[MonthSpending]

    def total(self, name: str) -> int:
        return sum(getattr(c, name) for c in self.categories)


def commitments(filters: Filters) -> Commitments:
    """Allocated, paid and unpaid per budget category, and allocated and paid per
    month, for the cases in the filter; planned budgets per category. Two
    queries."""
    rows = _monthly_rows(
        filters, kinds=[Account.Kind.COMMITTED], category=filters.category
    )
    by_category = {
        value: CategoryTotals(value, str(label))
        for value, label in BudgetCategory.choices
        if not filters.category or value == filters.category
    }
    months: dict[datetime.date, MonthSpending] = {}
    for row in rows:
        month = _as_month(row["month"])
        totals = by_category.get(row["category"])
        if totals is None:
            continue
        unpaid = row["credits"] - row["debits"]
        totals.closing_unpaid += unpaid
        allocated = row["flow"] == Flow.ALLOCATION
        if allocated:
            totals.allocated_to_date += unpaid
        if filters.start is not None and month < filters.start:
            totals.opening_unpaid += unpaid
            continue
        if allocated:
            totals.allocated += unpaid
            months.setdefault(month, MonthSpending(month)).allocated += unpaid
        elif row["flow"] == Flow.DISBURSEMENT:
            totals.paid -= unpaid
            months.setdefault(month, MonthSpending(month)).paid -= unpaid
    planned = CaseBudgetLine.objects.all()
    keys = _case_keys(filters)
    if keys is not None:
        planned = planned.filter(case_key__in=keys)
    if filters.category:
        planned = planned.filter(category=filters.category)
    for row in planned.values("category").annotate(total=Sum("planned_amount")):
        if row["category"] in by_category:
            by_category[row["category"]].planned = row["total"]
    span = (
        month_range(filters.start or min(months), filters.end)
        if months or filters.start
        else []
    )
    return Commitments(
        categories=list(by_category.values()),
        months=[months.get(m) or MonthSpending(m) for m in span],
    )


# --- The flow: gifts → funds → cases → categories → paid ----------------------------


@dataclass(frozen=True)
class SankeyNode:
    key: str
    label: str


@dataclass(frozen=True)
class SankeyLink:
    source: str
    target: str
    value: int  # cents; may be negative when reversals outweigh (not drawn)


@dataclass
class Sankey:
    nodes: list[SankeyNode]
    links: list[SankeyLink]

    def inflow(self, key: str) -> int:
        return sum(link.value for link in self.links if link.target == key)

    def outflow(self, key: str) -> int:
        return sum(link.value for link in self.links if link.source == key)


def top_cases(filters: Filters, *, count: int = SANKEY_TOP_CASES) -> list[uuid.UUID]:
    """The cases that were allocated the most in the period (within the filter)."""
    scope = _fund_scope(filters)
    if filters.category:
        scope &= Q(account__category=filters.category)
    rows = AccountMonth.objects.filter(
        scope,
        account__kind=Account.Kind.COMMITTED,
        flow=Flow.ALLOCATION,
        month__lt=filters.end_exclusive,
    )
    if filters.start:
        rows = rows.filter(month__gte=filters.start)
    return list(
        rows.values("account__subject_key")
        .annotate(total=Sum("credits") - Sum("debits"))
        .filter(total__gt=0)
        .order_by("-total", "account__subject_key")
        .values_list("account__subject_key", flat=True)[:count]
    )


def _allocation_flows(filters: Filters, top: list[uuid.UUID]) -> list[dict]:
    """Approved allocations posted in the period, net of reversals, grouped by the
    paying fund's type, whether that fund is inside the filter, the case (one of
    `top`, another case in the filter, or a case outside it) and the category."""
    entries = Allocation.objects.filter(status=EntryStatus.APPROVED)
    if filters.end < current_month():
        # Only a bounded period needs the postings' dates (a join with every
        # ledger transaction); approvals are posted at the time they are made.
        entries = entries.filter(
            ledger_transaction__occurred_at__lt=_utc(filters.end_exclusive)
        )
    if filters.start:
        entries = entries.filter(
            ledger_transaction__occurred_at__gte=_utc(filters.start)
        )
    keys = _case_keys(filters)
    fund_in = _fund_scope(filters, prefix="fund__")
    case_in = Q(case_key__in=keys) if keys is not None else Q()
    if filters.category:
        case_in &= Q(category=filters.category)

    def flag(condition: Q):
        if not condition:
            return Value(True)
        return Case(When(condition, then=Value(True)), default=Value(False),
                    output_field=BooleanField())  # fmt: skip

    other = [When(case_in, then=Value("case:other"))] if case_in else []
    bucket = Case(
        *(When(case_in & Q(case_key=key), then=Value(f"case:{key}")) for key in top),
        *other,
        default=Value("outside" if case_in else "case:other"),
        output_field=CharField(),
    )
    return list(
        entries.annotate(
            fund_in=flag(fund_in),
            bucket=bucket,
            signed=Case(
                When(reverses__isnull=True, then="amount"),
                default=-F("amount"),
                output_field=IntegerField(),
            ),
        )
        .values("fund__fund_type", "fund_in", "bucket", "category")
        .annotate(total=Sum("signed"))
        .order_by()
    )


def sankey(
    filters: Filters,
    movements: FundMovements,
    spending: Commitments,
    *,
    top: list[uuid.UUID] | None = None,
) -> Sankey:
    """Gifts → funds → cases (the top ones, then "other cases") → budget
    categories → paid, with "committed, unpaid", "unallocated", refunds and fees
    so that every node's inflow equals its outflow. Money that flows between the
    filter and what is outside it goes to or comes from nodes that say so."""
    from django.utils.translation import gettext as _

    top = top_cases(filters) if top is None else top
    titles = page_titles("prisoners.PrisonerPage", top)
    fund_labels = {
        Account.FundType.GENERAL: _("General fund"),
        Account.FundType.CAMPAIGN: _("Campaign funds"),
        Account.FundType.CASE: _("Case funds"),
    }
    nodes: dict[str, str] = {}
    links: dict[tuple[str, str], int] = defaultdict(int)

    def link(source: str, source_label: str, target: str, target_label, value):
        if not value:
            return
        nodes.setdefault(source, source_label)
        nodes.setdefault(target, target_label)
        links[(source, target)] += value

    gifts, before = _("Gifts"), _("Available before the period")
    for fund_type, totals in movements.funds.items():
        fund, label = f"fund:{fund_type}", fund_labels.get(fund_type, fund_type)
        link("gifts", gifts, fund, label, totals.gross)
        link("before", before, fund, label, totals.opening_available)
        link(fund, label, "refunds", _("Refunds and disputes"), totals.refunds)
        link(fund, label, "fees", _("Fees"), totals.fees)
        link(fund, label, "other", _("Other movements"), totals.other)
        link(fund, label, "unallocated", _("Unallocated"), totals.closing_available)
    case_labels = {f"case:{key}": titles.get(key, str(key)[:8]) for key in top}
    case_labels["case:other"] = _("Other cases")
    category_labels = dict(BudgetCategory.choices)
    for row in _allocation_flows(filters, top):
        fund_type, bucket = row["fund__fund_type"], row["bucket"]
        if row["fund_in"]:
            source, source_label = f"fund:{fund_type}", fund_labels[fund_type]
        else:
            source, source_label = "outside-funds", _("Funds outside the filter")
        if bucket == "outside":
            link(source, source_label, "outside-cases",
                 _("Cases or categories outside the filter"), row["total"])  # fmt: skip
            continue
        category = f"category:{row['category']}"
        link(source, source_label, bucket, case_labels[bucket], row["total"])
        link(bucket, case_labels[bucket], category,
             str(category_labels[row["category"]]), row["total"])  # fmt: skip
    for totals in spending.categories:
        category = f"category:{totals.category}"
        link("committed-before", _("Committed before the period"), category,
             totals.label, totals.opening_unpaid)  # fmt: skip
        link(category, totals.label, "paid", _("Paid"), totals.paid)
        link(category, totals.label, "unpaid", _("Committed, unpaid"),
             totals.closing_unpaid)  # fmt: skip
    return Sankey(
        nodes=[SankeyNode(key, label) for key, label in nodes.items()],
        links=[
            SankeyLink(source, target, value)
            for (source, target), value in links.items()
            if value
        ],
    )


# --- Cases ---------------------------------------------------------------------------

CASE_SORTS = {
    # name: SQL order (ties broken by the case key)
    "shortfall": "shortfall",
    "raised": "raised",
    "allocated": "allocated",
    "paid": "paid",
    "available": "available",
    "planned": "planned",
    "share": "share_bp",
    "unspent": "oldest_unspent",
    "burn": "burn_paid",
}
DEFAULT_CASE_SORT = "-shortfall"


@dataclass
class CaseRow:
    key: uuid.UUID
    raised: int  # net gifts to its case fund in the period
    allocated: int  # to its budget, from any fund, in the period
    allocated_to_date: int
    paid: int  # in the period
    available: int  # in its case fund at the end of the period
    planned: int
    oldest_unspent: datetime.date | None
    burn_paid: int  # paid over the burn-rate window
    burn_months: int
    title: str = ""
    page_id: int | None = None
    region: str = ""

    @property
    def funded(self) -> int:
        return self.allocated_to_date + self.available

    @property
    def shortfall(self) -> int:
        return self.planned - self.funded

    @property
    def share_funded(self) -> Decimal | None:
        """(allocated + available) / planned, as a fraction; None with no budget."""
        if self.planned <= 0:
            return None
        return Decimal(self.funded) / Decimal(self.planned)

    @property
    def burn_rate(self) -> int:
        """Average paid per month over the burn-rate window, rounded to the cent."""
        if self.burn_months <= 0:
            return 0
        return int(
            (Decimal(self.burn_paid) / self.burn_months).quantize(
                Decimal(1), ROUND_HALF_UP
            )
        )

    def unspent_age_months(self, end: datetime.date) -> int | None:
        if self.oldest_unspent is None:
            return None
        return months_between(self.oldest_unspent, end)


@dataclass
class CaseTotals:
    count: int = 0
    raised: int = 0
    allocated: int = 0
    allocated_to_date: int = 0
    paid: int = 0
    available: int = 0
    planned: int = 0
    burn_paid: int = 0


@dataclass
class CaseTable:
    rows: list[CaseRow]
    totals: CaseTotals
    sort: str
    page: int
    per_page: int | None
    burn_window: tuple[datetime.date, datetime.date]
    # The cases allocated the most in the period, most first (see `top_cases`).
    top_allocated: list[uuid.UUID] = field(default_factory=list)

    @property
    def pages(self) -> int:
        if not self.per_page:
            return 1
        return max(1, -(-self.totals.count // self.per_page))


def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def case_table(
    filters: Filters,
    *,
    sort: str = DEFAULT_CASE_SORT,
    page: int = 1,
    per_page: int | None = CASES_PER_PAGE,
    only_keys: list[uuid.UUID] | None = None,
    top_count: int = SANKEY_TOP_CASES,
) -> CaseTable:
    """One page of cases with their figures, sorted in the database, with the
    totals and the count of every case in the filter (one query); the oldest
    unspent month of the page's cases (one more: finding it for every case is the
    costliest part, so only a sort by it does that in the first query); then the
    page's titles and regions (one more). `only_keys` limits it to those cases.
    The first query also names the `top_count` cases allocated the most in the
    period (`top_cases`, for the flow diagram), so that no other query sums the
    same rows again."""
    if sort.lstrip("-") not in CASE_SORTS:
        sort = DEFAULT_CASE_SORT
    order = CASE_SORTS[sort.lstrip("-")]
    direction = "DESC" if sort.startswith("-") else "ASC"
    if order == "oldest_unspent":
        # "Oldest unspent" sorts by age: the earliest month is the oldest.
        direction = "ASC" if direction == "DESC" else "DESC"
    burn_first, burn_last = filters.burn_window()
    start = filters.start or datetime.date(1, 1, 1)
    table = {
        "month": AccountMonth._meta.db_table,
        "account": Account._meta.db_table,
        "budget": CaseBudgetLine._meta.db_table,
    }
    params: list = []
    keys = _case_keys(filters)
    key_filter = ""
    if keys is not None:
        key_sql, key_params = _sql(keys)
        key_filter = f"WHERE k IN ({key_sql})"
        params_keys = key_params
    else:
        params_keys = []
    category_sql, category_params = "", []
    if filters.category:
        category_sql = "AND a.category = %s"
        category_params = [filters.category]
    budget_filter, budget_params = "", []
    if filters.category:
        budget_filter, budget_params = "WHERE category = %s", [filters.category]
    key_field = Account._meta.get_field("subject_key")
    only_sql, only_params = "", []
    if only_keys is not None:
        only_params = [key_field.get_db_prep_value(k, connection) for k in only_keys]
        only_sql = "AND a.subject_key IN ({})".format(
            ", ".join(["%s"] * len(only_keys)) or "NULL"
        )
        key_filter = (key_filter + " AND " if key_filter else "WHERE ") + (
            "k IN ({})".format(", ".join(["%s"] * len(only_keys)) or "NULL")
        )
        params_keys = [*params_keys, *only_params]
    only_accounts_sql = ""
    if only_keys is not None:
        only_accounts_sql = (
            f"AND account_id IN (SELECT id FROM {table['account']} a "
            f"WHERE a.fund_type = %s {only_sql})"
        )
    with_oldest = order == "oldest_unspent" or only_keys is not None or not per_page
    oldest_sql = f"""
inflows AS (
    SELECT a.subject_key AS k, m.month AS month, SUM(m.credits) AS amount
      FROM {table["month"]} m
      JOIN {table["account"]} a ON a.id = m.account_id
     WHERE a.kind = %s AND a.fund_type = %s AND m.flow IN (%s, %s) AND m.month < %s
           {only_sql}
     GROUP BY a.subject_key, m.month
),
running AS (
    SELECT k, month, SUM(amount) OVER (PARTITION BY k ORDER BY month) AS upto
      FROM inflows
),
oldest AS (
    SELECT r.k, MIN(r.month) AS month
      FROM running r JOIN money ON money.k = r.k
     WHERE money.available > 0 AND r.upto > money.inflow - money.available
     GROUP BY r.k
),"""

    fund, committed = Account.Kind.FUND, Account.Kind.COMMITTED
    sql = f"""
WITH all_keys AS (
    SELECT subject_key AS k FROM {table["account"]}
     WHERE fund_type = %s AND subject_key IS NOT NULL
    UNION
    SELECT case_key AS k FROM {table["budget"]}
),
-- Grouped, not only a UNION: the planner then knows each key is one row and
-- does not expect millions of joined rows (an estimate that made PostgreSQL
-- compile the query to machine code, 80 ms spent for nothing).
keys AS (SELECT k FROM all_keys {key_filter} GROUP BY k),
per_account AS (
    SELECT account_id,
        COALESCE(SUM(credits - debits)
                 FILTER (WHERE flow IN (%s, %s, %s) AND month >= %s), 0)
            AS gift_period,
        COALESCE(SUM(credits) FILTER (WHERE flow IN (%s, %s)), 0) AS gift_in,
        SUM(credits - debits) AS net,
        COALESCE(SUM(credits - debits)
                 FILTER (WHERE flow = %s AND month >= %s), 0) AS allocated_period,
        COALESCE(SUM(credits - debits) FILTER (WHERE flow = %s), 0)
            AS allocated_all,
        COALESCE(SUM(debits - credits)
                 FILTER (WHERE flow = %s AND month >= %s), 0) AS paid_period,
        COALESCE(SUM(debits - credits)
                 FILTER (WHERE flow = %s AND month >= %s AND month <= %s), 0)
            AS burn
      -- FILTER rather than CASE: a fifth faster over every month of every account.
      FROM {table["month"]}
     WHERE month < %s {only_accounts_sql}
     GROUP BY account_id
),
money AS (
    SELECT a.subject_key AS k,
        SUM(CASE WHEN a.kind = %s THEN p.gift_period ELSE 0 END) AS raised,
        SUM(CASE WHEN a.kind = %s THEN p.gift_in ELSE 0 END) AS inflow,
        SUM(CASE WHEN a.kind IN (%s, %s, %s) THEN p.net ELSE 0 END) AS available,
        SUM(CASE WHEN a.kind = %s {category_sql}
                 THEN p.allocated_period ELSE 0 END) AS allocated,
        SUM(CASE WHEN a.kind = %s {category_sql}
                 THEN p.allocated_all ELSE 0 END) AS allocated_to_date,
        SUM(CASE WHEN a.kind = %s {category_sql}
                 THEN p.paid_period ELSE 0 END) AS paid,
        SUM(CASE WHEN a.kind = %s {category_sql}
                 THEN p.burn ELSE 0 END) AS burn_paid
      -- Summed per account first (an integer key), then per case: four times
      -- faster than joining every monthly row to its account.
      FROM per_account p
      JOIN {table["account"]} a ON a.id = p.account_id
     WHERE a.fund_type = %s {only_sql}
     GROUP BY a.subject_key
),{oldest_sql if with_oldest else ""}
budget AS (
    SELECT case_key AS k, SUM(planned_amount) AS planned
      FROM {table["budget"]} {budget_filter}
     GROUP BY case_key
),
cases AS (
    SELECT keys.k AS k,
        COALESCE(money.raised, 0) AS raised,
        COALESCE(money.allocated, 0) AS allocated,
        COALESCE(money.allocated_to_date, 0) AS allocated_to_date,
        COALESCE(money.paid, 0) AS paid,
        COALESCE(money.available, 0) AS available,
        COALESCE(budget.planned, 0) AS planned,
        COALESCE(budget.planned, 0)
            - COALESCE(money.allocated_to_date, 0)
            - COALESCE(money.available, 0) AS shortfall,
        CASE WHEN COALESCE(budget.planned, 0) > 0
             THEN (COALESCE(money.allocated_to_date, 0)
                   + COALESCE(money.available, 0)) * 10000 / budget.planned
        END AS share_bp,
        {"oldest.month" if with_oldest else "NULL"} AS oldest_unspent,
        COALESCE(money.burn_paid, 0) AS burn_paid
      FROM keys
      LEFT JOIN money ON money.k = keys.k
      LEFT JOIN budget ON budget.k = keys.k
      {"LEFT JOIN oldest ON oldest.k = keys.k" if with_oldest else ""}
),
ranked AS (
    SELECT k, raised, allocated, allocated_to_date, paid, available, planned,
           oldest_unspent, burn_paid,
           COUNT(*) OVER () AS n, SUM(raised) OVER () AS t_raised,
           SUM(allocated) OVER () AS t_allocated,
           SUM(allocated_to_date) OVER () AS t_allocated_to_date,
           SUM(paid) OVER () AS t_paid, SUM(available) OVER () AS t_available,
           SUM(planned) OVER () AS t_planned, SUM(burn_paid) OVER () AS t_burn,
           ROW_NUMBER() OVER (ORDER BY ({order} IS NULL), {order} {direction}, k)
               AS position,
           -- The flow diagram's top cases: allocated the most in the period.
           CASE WHEN allocated > 0
                THEN ROW_NUMBER() OVER (ORDER BY allocated DESC, k) END
               AS allocated_rank
      FROM cases
)
SELECT k, raised, allocated, allocated_to_date, paid, available, planned,
       oldest_unspent, burn_paid, n, t_raised, t_allocated, t_allocated_to_date,
       t_paid, t_available, t_planned, t_burn, position, allocated_rank
  FROM ranked
 WHERE (position > %s AND position <= %s) OR allocated_rank <= %s
 ORDER BY position
"""
    gifts = list(GIFT_FLOWS)
    end = filters.end_exclusive
    params = [
        Account.FundType.CASE,
        *params_keys,
        *DONOR_FLOWS, start,
        *gifts,
        Flow.ALLOCATION, start,
        Flow.ALLOCATION,
        Flow.DISBURSEMENT, start,
        Flow.DISBURSEMENT, burn_first, burn_last,
        end, *([Account.FundType.CASE, *only_params] if only_keys is not None else []),
        fund,
        fund,
        *FUND_KINDS,
        committed, *category_params,
        committed, *category_params,
        committed, *category_params,
        committed, *category_params,
        Account.FundType.CASE, *only_params,
        *([fund, Account.FundType.CASE, *gifts, end, *only_params]
          if with_oldest else []),
        *budget_params,
    ]  # fmt: skip
    page = max(1, page)
    first, last = ((page - 1) * per_page, page * per_page) if per_page else (0, 2**62)
    top_count = 0 if only_keys is not None else top_count
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, first, last, top_count])
        fetched = cursor.fetchall()
    shown = [record for record in fetched if first < record[17] <= last]
    if not shown and per_page and page > 1:
        return case_table(
            filters, sort=sort, page=1, per_page=per_page, top_count=top_count
        )
    top = sorted(
        (record for record in fetched if record[18] and record[18] <= top_count),
        key=lambda record: record[18],
    )
    burn_months = months_between(burn_first, burn_last) + 1
    rows = []
    # Every record carries the totals of every case in the filter.
    totals = (
        CaseTotals(*(int(value or 0) for value in fetched[0][9:17]))
        if fetched
        else CaseTotals()
    )
    for record in shown:
        key = key_field.to_python(record[0])
        rows.append(
            CaseRow(
                key=key,
                raised=int(record[1]),
                allocated=int(record[2]),
                allocated_to_date=int(record[3]),
                paid=int(record[4]),
                available=int(record[5]),
                planned=int(record[6]),
                oldest_unspent=_as_month(record[7]) if record[7] else None,
                burn_paid=int(record[8]),
                burn_months=burn_months,
            )
        )
    if only_keys is not None:
        return CaseTable(rows, totals, sort, 1, None, (burn_first, burn_last))
    if not with_oldest and rows:
        oldest = {
            row.key: row.oldest_unspent
            for row in case_table(
                filters, per_page=None, only_keys=[row.key for row in rows]
            ).rows
        }
        for row in rows:
            row.oldest_unspent = oldest.get(row.key)
    _add_case_details(rows)
    return CaseTable(
        rows=rows,
        totals=totals,
        sort=sort,
        page=page,
        per_page=per_page,
        burn_window=(burn_first, burn_last),
        top_allocated=[key_field.to_python(record[0]) for record in top],
    )


def _add_case_details(rows: list[CaseRow]) -> None:
    """Each case's title, page and home region, in the admin's language when the
    profile has a version in it. One query."""
    from prisoners.models import PrisonerPage

    if not rows:
        return
    language = (translation.get_language() or "").split("-")[0]
    by_key = {row.key: row for row in rows}
    pages = (
        PrisonerPage.objects.filter(translation_key__in=list(by_key))
        .values_list(
            "translation_key",
            "pk",
            "title",
            "home_region__name",
            "locale__language_code",
        )
        .order_by("pk")
    )
    for key, pk, title, region, language_code in pages:
        row = by_key[key]
        if row.page_id is None or language_code == language:
            row.title, row.page_id, row.region = title, pk, region or ""
    for row in rows:
        row.title = row.title or str(row.key)[:8]


# --- Monthly donors ----------------------------------------------------------------


@dataclass
class MonthDonors:
    month: datetime.date
    active: int = 0  # at the end of the month
    new: int = 0
    cancelled: int = 0
    failed: int = 0  # monthly payments that failed
    recurring: dict[str, int] = field(default_factory=dict)  # per currency
    recurring_eur: int = 0  # received from monthly gifts that month, as settled


def monthly_donors(filters: Filters) -> list[MonthDonors]:
    """Monthly gifts per month of the period: how many are active at the end of
    the month, how much they give a month (in each currency, at today's amount of
    each gift), how much monthly gifts brought in euros that month (as Stripe
    settled them: the ledger's monthly flow), how many started, how many were
    cancelled, and how many monthly payments failed. Four small queries."""
    scope = _gift_scope(filters)
    end = _utc(filters.end_exclusive)
    subscriptions = Subscription.objects.filter(scope, started_at__lt=end)
    started = (
        subscriptions.annotate(m=TruncMonth("started_at", tzinfo=datetime.UTC))
        .values("m", "currency")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    ended = (
        subscriptions.filter(cancelled_at__lt=end)
        .annotate(m=TruncMonth("cancelled_at", tzinfo=datetime.UTC))
        .values("m", "currency")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    received: dict[datetime.date, int] = defaultdict(int)
    for row in _monthly_rows(filters, kinds=[Account.Kind.FUND]):
        if row["flow"] == Flow.MONTHLY:
            received[_as_month(row["month"])] += row["credits"]
    changes: dict[datetime.date, list] = defaultdict(list)
    for sign, rows in ((1, started), (-1, ended)):
        for row in rows:
            changes[_as_month(row["m"])].append((sign, row))
    failed = Donation.objects.filter(
        scope,
        frequency=Donation.Frequency.MONTHLY,
        status=Donation.Status.FAILED,
        created_at__lt=end,
    )
    if filters.start:
        failed = failed.filter(created_at__gte=_utc(filters.start))
    failures = {
        _as_month(row["m"]): row["n"]
        for row in failed.annotate(m=TruncMonth("created_at", tzinfo=datetime.UTC))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
    }
    known = sorted(set(changes) | set(failures) | set(received))
    if not known and filters.start is None:
        return []
    first = filters.start or known[0]
    result: list[MonthDonors] = []
    active = 0
    recurring: dict[str, int] = defaultdict(int)
    earliest = min([first, *known])
    for month in month_range(earliest, filters.end):
        entry = MonthDonors(month)
        for sign, row in changes.get(month, []):
            active += sign * row["n"]
            recurring[row["currency"]] += sign * row["amount"]
            if sign > 0:
                entry.new += row["n"]
            else:
                entry.cancelled += row["n"]
        entry.active, entry.recurring_eur = active, received.get(month, 0)
        entry.recurring = {c: a for c, a in sorted(recurring.items()) if a}
        entry.failed = failures.get(month, 0)
        if month >= first:
            result.append(entry)
    return result


# --- Reconciliation and what awaits approval ----------------------------------------


def latest_reconciliations(count: int = 7) -> list[ReconciliationReport]:
    return list(ReconciliationReport.objects.order_by("-day")[:count])


@dataclass(frozen=True)
class Pending:
    allocations: int
    disbursements: int

    @property
    def total(self) -> int:
        return self.allocations + self.disbursements


def pending_entries() -> Pending:
    """Entries awaiting a second Board member's approval. Two queries."""
    return Pending(
        allocations=Allocation.objects.filter(status=EntryStatus.PENDING).count(),
        disbursements=Disbursement.objects.filter(status=EntryStatus.PENDING).count(),
    )


# --- Filter choices ----------------------------------------------------------------


def campaign_choices() -> list[tuple[str, str]]:
    """Every campaign (by translation key) with its title. One query."""
    from campaigns.models import CampaignPage

    language = (translation.get_language() or "").split("-")[0]
    titles: dict[str, str] = {}
    for key, title, language_code in CampaignPage.objects.values_list(
        "translation_key", "title", "locale__language_code"
    ).order_by("pk"):
        if str(key) not in titles or language_code == language:
            titles[str(key)] = title
    return sorted(titles.items(), key=lambda item: item[1].lower())


def region_choices() -> list[tuple[str, str]]:
    """Home regions by slug (the same in every language). One query."""
    from prisoners.models import Region

    language = (translation.get_language() or "").split("-")[0]
    names: dict[str, str] = {}
    for slug, name, language_code in Region.objects.values_list(
        "slug", "name", "locale__language_code"
    ).order_by("pk"):
        if slug not in names or language_code == language:
            names[slug] = name
    return sorted(names.items(), key=lambda item: item[1].lower())


# --- Everything the page shows -------------------------------------------------------


@dataclass
class Dashboard:
    filters: Filters
    movements: FundMovements
    campaigns: CampaignMonths
    commitments: Commitments
    sankey: Sankey
    cases: CaseTable
    donors: list[MonthDonors]
    reconciliations: list[ReconciliationReport]
    pending: Pending

    @property
    def totals(self) -> dict[str, int]:
        """The headline figures of the period, in cents."""
        m, c = self.movements, self.commitments
        return {
            "gross": m.total("gross"),
            "refunds": m.total("refunds"),
            "fees": m.total("fees"),
            "net": m.total("gross") - m.total("refunds") - m.total("fees"),
            "allocated": c.total("allocated"),
            "paid": c.total("paid"),
            "unpaid": c.total("closing_unpaid"),
            "available": m.total("closing_available"),
            "planned": c.total("planned"),
        }


def dashboard(
    filters: Filters,
    *,
    sort: str = DEFAULT_CASE_SORT,
    page: int = 1,
    per_page: int | None = CASES_PER_PAGE,
) -> Dashboard:
    """Every figure of the Board's dashboard, in a fixed number of queries
    whatever the number of cases, donations or entries."""
    movements = fund_movements(filters)
    spending = commitments(filters)
    cases = case_table(filters, sort=sort, page=page, per_page=per_page)
    return Dashboard(
        filters=filters,
        movements=movements,
        campaigns=campaign_months(filters),
        commitments=spending,
        sankey=sankey(filters, movements, spending, top=cases.top_allocated),
        cases=cases,
        donors=monthly_donors(filters),
        reconciliations=latest_reconciliations(),
        pending=pending_entries(),
    )
