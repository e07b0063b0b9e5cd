"""What the public may see of the money: the transparency block on every profile and
campaign, the network-wide page at /<lang>/transparency/ and its CSV.

Everything here is read from aggregates: the monthly roll-up of the ledger
(`AccountMonth`, a few rows per account and month) and, for a campaign's spending,
sums over approved allocations and disbursements computed by the database. Nothing
here ever reads or returns a payee, a bank reference, an invoice, a purpose, a donor
or a donation: only categories, months and amounts in euro cents.

What may be published, and when, is decided in one place,
`donations.transparency.disclosure`: `disclose_gifts` (gifts, refunds and fees) and
`public_cutoff` (the same cut-off for spending). The network's totals apply it too,
through `DisclosedMonth`, which the ledger keeps by that rule with every posting.
README.md ("Where the money goes") and the pages' "How we count" note say the same
in words.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.db import connection
from django.db.models import Case, Count, F, Max, Min, Q, Sum, When
from django.db.models.functions import TruncMonth

from donations.ledger.services import FUND_KINDS, gift_month_add
from donations.models import (
    Account,
    AccountMonth,
    Allocation,
    BudgetCategory,
    CaseBudgetLine,
    CasePaid,
    Disbursement,
    DisclosedMonth,
    EntryStatus,
    Flow,
    LedgerMonth,
)
from donations.transparency.disclosure import (  # noqa: F401 (the rule, from here too)
    MIN_GIFTS,
    ROUND_DOWN_TO,
    GiftMonth,
    RaisedFigure,
    disclose_gifts,
    public_cutoff,
    round_down,
)

SPENDING_FLOWS = (Flow.ALLOCATION, Flow.DISBURSEMENT)

# How many (category, month) lines a profile or campaign lists.
WHERE_LIMIT = 12
# The key under which cases without a public region are counted.
REGION_NOT_DISCLOSED = ""


# --- What the pages show --------------------------------------------------------------


def _percent(part: int, whole: int) -> int:
    """0–100, for bars (never a figure of its own)."""
    if whole <= 0 or part <= 0:
        return 0
    return min(100, round(part * 100 / whole))


def _bar(part: int, whole: int) -> int:
    """A bar's width in steps of 5%, so that CSS classes (no inline style) draw it."""
    return 5 * round(_percent(part, whole) / 5)


def category_label(category: str) -> str:
    try:
        return str(BudgetCategory(category).label)
    except ValueError:
        return category


@dataclass(frozen=True)
class CategoryLine:
    """One budget category of a case or campaign: planned, allocated and paid."""

    category: str
    allocated: int = 0
    paid: int = 0
    planned: int = 0

    @property
    def label(self) -> str:
        return category_label(self.category)

    @property
    def paid_bar(self) -> int:
        """How much of what was allocated is paid, for the bar."""
        return _bar(self.paid, self.allocated)


@dataclass(frozen=True)
class SpendingLine:
    """One line of "where the money went": a category, a month, an amount (approved
    payments net of reversals). Never a payee, a reference or an invoice."""

    category: str
    month: datetime.date
    amount: int

    @property
    def label(self) -> str:
        return category_label(self.category)


@dataclass(frozen=True)
class MoneyBlock:
    """The transparency block of one profile (kind "case") or campaign."""

    kind: str
    as_of: datetime.date  # the last day counted
    raised: int
    allocated: int
    paid: int
    categories: tuple[CategoryLine, ...] = ()
    where: tuple[SpendingLine, ...] = ()  # the latest first, at most WHERE_LIMIT
    older_lines: int = 0  # lines of "where the money went" not listed
    raised_figure: RaisedFigure = field(default_factory=RaisedFigure)

    @property
    def planned(self) -> int:
        return sum(line.planned for line in self.categories)

    @property
    def is_empty(self) -> bool:
        return not (self.raised or self.allocated or self.paid or self.planned)

    @property
    def paid_bar(self) -> int:
        return _bar(self.paid, self.allocated)


def _gift_month(rows) -> GiftMonth:
    """One month of a fund from its roll-up rows (the fund's and its fee
    accounts')."""
    month = GiftMonth(month=rows[0].month)
    for row in rows:
        gift_month_add(
            month,
            kind=row.account__kind,
            flow=row.flow,
            debits=row.debits,
            credits=row.credits,
            count=row.credit_count,
        )
    return month


def _fund_rows(fund_type: str, subject_key, cutoff: datetime.date, kinds) -> list:
    """The roll-up of one case's or campaign's accounts, before `cutoff`: a few
    rows per month."""
    return list(
        AccountMonth.objects.filter(
            account__kind__in=kinds,
            account__fund_type=fund_type,
            account__subject_key=subject_key,
            month__lt=cutoff,
        )
        .order_by("month")
        .values_list(
            "account__kind",
            "account__category",
            "month",
            "flow",
            "debits",
            "credits",
            "credit_count",
            named=True,
        )
    )


def _raised(rows, cutoff: datetime.date) -> RaisedFigure:
    fund_rows = [row for row in rows if row.account__kind in FUND_KINDS]
    months = [
        _gift_month(list(group))
        for _month, group in groupby(fund_rows, key=lambda row: row.month)
    ]
    return disclose_gifts(months, cutoff=cutoff)


def _where(lines: Iterable[SpendingLine]) -> tuple[tuple[SpendingLine, ...], int]:
    order = {value: n for n, value in enumerate(BudgetCategory.values)}
    lines = sorted(
        (line for line in lines if line.amount),
        key=lambda line: (-line.month.toordinal(), order.get(line.category, 99)),
    )
    return tuple(lines[:WHERE_LIMIT]), max(0, len(lines) - WHERE_LIMIT)


def _category_lines(allocated: dict, paid: dict, planned: dict) -> tuple:
    return tuple(
        CategoryLine(
            category=category,
            allocated=allocated.get(category, 0),
            paid=paid.get(category, 0),
            planned=planned.get(category, 0),
        )
        for category in BudgetCategory.values
        if allocated.get(category) or paid.get(category) or planned.get(category)
    )


def case_money(
    *, case_key: uuid.UUID, today: datetime.date | None = None
) -> MoneyBlock:
    """A case's public figures (every language version shares them): what its own
    fund raised, what was allocated to it from any fund and what was paid, by
    budget category with the planned budget, and "where the money went". Two
    queries: the roll-up of the case's accounts, and its budget lines."""
    cutoff = public_cutoff(today)
    rows = _fund_rows(
        Account.FundType.CASE,
        case_key,
        cutoff,
        (*FUND_KINDS, Account.Kind.COMMITTED),
    )
    allocated: dict[str, int] = {}
    paid: dict[str, int] = {}
    by_month: dict[tuple[str, datetime.date], int] = {}
    for row in rows:
        if row.account__kind != Account.Kind.COMMITTED:
            continue
        category = row.account__category
        if row.flow == Flow.ALLOCATION:
            allocated[category] = allocated.get(category, 0) + row.credits - row.debits
        elif row.flow == Flow.DISBURSEMENT:
            paid[category] = paid.get(category, 0) + row.debits - row.credits
            key = (category, row.month)
            by_month[key] = by_month.get(key, 0) + row.debits - row.credits
    planned = dict(
        CaseBudgetLine.objects.filter(case_key=case_key).values_list(
            "category", "planned_amount"
        )
    )
    where, older = _where(
        SpendingLine(category=c, month=m, amount=a) for (c, m), a in by_month.items()
    )
    raised = _raised(rows, cutoff)
    return MoneyBlock(
        kind="case",
        as_of=cutoff - datetime.timedelta(days=1),
        raised=raised.raised,
        allocated=sum(allocated.values()),
        paid=sum(paid.values()),
        categories=_category_lines(allocated, paid, planned),
        where=where,
        older_lines=older,
        raised_figure=raised,
    )


def campaign_raised(*, campaign_key: uuid.UUID, today: datetime.date | None = None):
    """What a campaign's fund raised, as the public may see it (the disclosure
    rule applied): for its progress bar and the API. One query."""
    cutoff = public_cutoff(today)
    rows = _fund_rows(Account.FundType.CAMPAIGN, campaign_key, cutoff, FUND_KINDS)
    return _raised(rows, cutoff).raised


def _signed_amount():
    """An entry's amount as it counts: a reversal takes away."""
    return Case(When(reverses=None, then=F("amount")), default=-F("amount"))


def campaign_money(
    *, campaign_key: uuid.UUID, today: datetime.date | None = None
) -> MoneyBlock:
    """A campaign's public figures: what its fund raised, what was allocated from
    that fund (to the cases it concerns) and what was paid against those
    allocations, by category, and "where the money went". Three queries, each
    summed by the database."""
    cutoff = public_cutoff(today)
    cutoff_at = datetime.datetime.combine(cutoff, datetime.time(0), datetime.UTC)
    raised = _raised(
        _fund_rows(Account.FundType.CAMPAIGN, campaign_key, cutoff, FUND_KINDS),
        cutoff,
    )  # as `campaign_raised`, with the figure's details for the block
    from_fund = Q(
        fund__kind=Account.Kind.FUND,
        fund__fund_type=Account.FundType.CAMPAIGN,
        fund__subject_key=campaign_key,
    )
    allocated = dict(
        Allocation.objects.filter(
            from_fund,
            status=EntryStatus.APPROVED,
            ledger_transaction__occurred_at__lt=cutoff_at,
        )
        .values("category")
        .annotate(total=Sum(_signed_amount()))
        .order_by()
        .values_list("category", "total")
    )
    # A disbursement is posted at noon (UTC) on the day it was paid.
    paid_rows = (
        Disbursement.objects.filter(
            allocation__fund__kind=Account.Kind.FUND,
            allocation__fund__fund_type=Account.FundType.CAMPAIGN,
            allocation__fund__subject_key=campaign_key,
            status=EntryStatus.APPROVED,
            paid_on__lt=cutoff,
        )
        .annotate(paid_month=TruncMonth("paid_on"))
        .values("category", "paid_month")
        .annotate(total=Sum(_signed_amount()))
        .order_by()
        .values_list("category", "paid_month", "total")
    )
    paid: dict[str, int] = {}
    lines = []
    for category, month, total in paid_rows:
        month = _as_date(month)
        paid[category] = paid.get(category, 0) + total
        lines.append(SpendingLine(category=category, month=month, amount=total))
    where, older = _where(lines)
    return MoneyBlock(
        kind="campaign",
        as_of=cutoff - datetime.timedelta(days=1),
        raised=raised.raised,
        allocated=sum(allocated.values()),
        paid=sum(paid.values()),
        categories=_category_lines(allocated, paid, {}),
        where=where,
        older_lines=older,
        raised_figure=raised,
    )


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# --- Network-wide ---------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """One line of a breakdown: a key (category, region slug, fund type), its label
    in the reader's language, and an amount in euro cents."""

    key: str
    label: str
    amount: int
    bar: int = 0  # 0–100 in steps of 5, relative to the breakdown's largest


@dataclass(frozen=True)
class NetworkMoney:
    """The network-wide transparency page and its CSV, in one object (so that the
    two always say the same)."""

    as_of: datetime.date
    raised: int  # the sum of every fund's published figure
    raised_by_fund: tuple[Share, ...]
    refunds: int  # rounded down to tens of euros
    fees: int  # payment and dispute fees, rounded down to tens of euros
    allocated: int
    paid: int
    paid_by_category: tuple[Share, ...]
    paid_by_region: tuple[Share, ...]

    @property
    def committed_unpaid(self) -> int:
        return self.allocated - self.paid

    @property
    def cases_percent(self) -> int:
        """Of what left the funds (payments for cases and fees), the share that
        paid for cases, in whole percent."""
        return _percent(self.paid, self.paid + self.fees)

    @property
    def cases_bar(self) -> int:
        return _bar(self.paid, self.paid + self.fees)

    @property
    def fees_percent(self) -> int:
        return 100 - self.cases_percent if self.paid + self.fees else 0


def _shares(amounts: dict[str, int], labels: dict[str, str], *, order=None) -> tuple:
    largest = max(amounts.values(), default=0)
    keys = order if order is not None else sorted(amounts, key=lambda k: -amounts[k])
    return tuple(
        Share(
            key=key,
            label=labels.get(key, key),
            amount=amounts[key],
            bar=_bar(amounts[key], largest),
        )
        for key in keys
        if amounts.get(key)
    )


def _disclosed(cutoff: datetime.date):
    """The network's published totals before `cutoff`, by fund type: every fund's
    batches under the disclosure rule, as the ledger keeps them (`DisclosedMonth`,
    a few dozen rows). One query."""
    return (
        DisclosedMonth.objects.filter(month__lt=cutoff)
        .values("fund_type")
        .annotate(raised=Sum("raised"), refunds=Sum("refunds"), fees=Sum("fees"))
        .order_by()
        .values_list("fund_type", "raised", "refunds", "fees")
    )


@dataclass(frozen=True)
class MonthRaised:
    """What the network's published total grew by when a month closed (the front
    page's "raised last month")."""

    month: datetime.date  # the first day of that month
    raised: int  # euro cents, each fund under the disclosure rule
    is_last_month: bool = True  # False: an earlier month (last month added nothing)


def network_raised_last_month(
    *, today: datetime.date | None = None, look_back: int = 12
) -> MonthRaised:
    """How much the network's published total (`network_money().raised`) grew when
    last month closed: the same rule and the same funds, applied up to the start
    of this month and up to the start of last month. It says nothing the
    transparency page did not already say a month apart.

    Gifts of a quiet month can wait for the next batch (the disclosure rule), so a
    month may add nothing: then the latest of the `look_back` months before it that
    did add something is given instead (its `month` says which). One query."""
    cutoff = public_cutoff(today)
    # What the published total grew by as each month closed (`DisclosedMonth`).
    grew = list(
        DisclosedMonth.objects.filter(month__lt=cutoff)
        .values("month")
        .annotate(raised=Sum("raised"))
        .order_by()
        .values_list("month", "raised")
    )

    def published(before: datetime.date) -> int:
        return sum(raised for month, raised in grew if month < before)

    last_month = (cutoff - datetime.timedelta(days=1)).replace(day=1)
    later, month = published(cutoff), cutoff
    for _ in range(max(1, look_back)):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        earlier = published(month)
        if later > earlier:
            return MonthRaised(
                month=month,
                raised=later - earlier,
                is_last_month=month == last_month,
            )
        later = earlier
    return MonthRaised(month=last_month, raised=0)


def disclosed_regions():
    """(case key, the slug of its home region) for the cases whose region the public
    may see: every live, public language version of the profile shows its region
    (`prisoners.visibility.public_groups` has "home_region": the part is not hidden)
    and all name the same one. A case that is unpublished, hides its region in any
    language, or has none, is absent (its money counts as "Region not
    disclosed"). A query, to run or to join."""
    from prisoners.models import PrisonerPage
    from prisoners.visibility import CONSENT_FOR_GROUP, hidden_lookup

    # What `public_groups` decides, in SQL: the part is not hidden (and, should the
    # region ever need consent, the consent is given).
    hidden = Q(hidden_fields__contains=hidden_lookup("home_region")) | Q(
        home_region=None
    )
    if "home_region" in CONSENT_FOR_GROUP:
        hidden |= Q(**{CONSENT_FOR_GROUP["home_region"]: False})
    return (
        PrisonerPage.objects.live()
        .public()
        .values("translation_key")
        .annotate(
            undisclosed=Count("pk", filter=hidden),
            # One region in every language: the least and the greatest agree (no
            # count of distinct values, which makes the database sort).
            first_region=Min("home_region__slug"),
            region=Max("home_region__slug"),
        )
        .filter(undisclosed=0, first_region=F("region"))
        .order_by()
        .values_list("translation_key", "region")
    )


def _region_labels(slugs: Iterable[str], language: str | None) -> dict[str, str]:
    from prisoners.models import Region

    names: dict[str, str] = {}
    for slug, name, code in Region.objects.filter(slug__in=list(slugs)).values_list(
        "slug", "name", "locale__language_code"
    ):
        if code == language or slug not in names:
            names[slug] = name
    return names


def _paid_by_case(cutoff: datetime.date):
    """(case key, amount) pairs that add up, per case, to what was paid for it
    before `cutoff`: what was paid over all time (`CasePaid`, a row per case) and,
    taken away, the payments of the months from `cutoff` on (the current month's,
    a few rows of the roll-up). One query."""
    later = (
        AccountMonth.objects.filter(
            account__kind=Account.Kind.COMMITTED,
            flow=Flow.DISBURSEMENT,
            month__gte=cutoff,
        )
        .annotate(key=F("account__subject_key"), amount=F("credits") - F("debits"))
        .values_list("key", "amount")
    )
    return CasePaid.objects.values_list("case_key", "paid").union(later, all=True)


def _paid_by_region(cutoff: datetime.date) -> dict[str, int]:
    """What was paid before `cutoff` for the cases of each disclosed region (by its
    slug; `REGION_NOT_DISCLOSED` for every other case). One query: the payments
    per case joined to `disclosed_regions()` and summed by the database, so that
    only a row per region comes back."""
    paid_sql, paid_params = _paid_by_case(cutoff).query.sql_with_params()
    regions_sql, regions_params = disclosed_regions().query.sql_with_params()
    sql = (
        "SELECT regions.region, CAST(SUM(paid.paid) AS BIGINT)"
        f" FROM ({paid_sql}) paid LEFT JOIN ({regions_sql}) regions"
        " ON regions.translation_key = paid.case_key GROUP BY regions.region"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*paid_params, *regions_params))
        return {
            region or REGION_NOT_DISCLOSED: paid or 0
            for region, paid in cursor.fetchall()
        }


def network_money(
    *, today: datetime.date | None = None, language: str | None = None
) -> NetworkMoney:
    """The network-wide figures: raised (each fund under the disclosure rule, so
    that the total is the sum of what profiles and campaigns show), refunds, fees,
    allocated and paid, paid by category and by the region of the case. Five
    queries, all on roll-ups kept with the ledger (`DisclosedMonth`, `LedgerMonth`,
    `CasePaid`) or on the profiles, none growing with the number of gifts; region
    names in `language` where translated."""
    from django.utils.translation import gettext as _

    cutoff = public_cutoff(today)
    by_fund = dict.fromkeys(Account.FundType.values, 0)
    refunds = fees = 0
    for fund_type, raised, fund_refunds, fund_fees in _disclosed(cutoff):
        by_fund[fund_type] = by_fund.get(fund_type, 0) + raised
        refunds += fund_refunds
        fees += fund_fees

    # Allocated and paid by category: the roll-up over all cases (a few rows).
    allocated_total = 0
    paid_by_category: dict[str, int] = {}
    for category, allocated, paid in (
        LedgerMonth.objects.filter(
            kind=Account.Kind.COMMITTED, month__lt=cutoff, flow__in=SPENDING_FLOWS
        )
        .values("category")
        .annotate(
            allocated=Sum(F("credits") - F("debits"), filter=Q(flow=Flow.ALLOCATION)),
            paid=Sum(F("debits") - F("credits"), filter=Q(flow=Flow.DISBURSEMENT)),
        )
        .order_by()
        .values_list("category", "allocated", "paid")
    ):
        allocated_total += allocated or 0
        paid_by_category[category] = paid_by_category.get(category, 0) + (paid or 0)
    paid_by_region = _paid_by_region(cutoff)
    region_labels = _region_labels((slug for slug in paid_by_region if slug), language)
    region_labels[REGION_NOT_DISCLOSED] = _("Region not disclosed")
    region_order = sorted(
        (slug for slug in paid_by_region if slug),
        key=lambda slug: (-paid_by_region[slug], region_labels.get(slug, slug)),
    )
    if REGION_NOT_DISCLOSED in paid_by_region:
        region_order.append(REGION_NOT_DISCLOSED)

    return NetworkMoney(
        as_of=cutoff - datetime.timedelta(days=1),
        raised=sum(by_fund.values()),
        raised_by_fund=_shares(
            by_fund,
            {
                Account.FundType.GENERAL: _("General fund"),
                Account.FundType.CAMPAIGN: _("Campaigns"),
                Account.FundType.CASE: _("Individual cases"),
            },
            order=[
                Account.FundType.GENERAL,
                Account.FundType.CAMPAIGN,
                Account.FundType.CASE,
            ],
        ),
        refunds=round_down(refunds),
        fees=round_down(fees),
        allocated=allocated_total,
        paid=sum(paid_by_category.values()),
        paid_by_category=_shares(
            paid_by_category,
            {value: str(label) for value, label in BudgetCategory.choices},
            order=BudgetCategory.values,
        ),
        paid_by_region=_shares(paid_by_region, region_labels, order=region_order),
    )


# --- Through member organisations ------------------------------------------------


def paid_by_member(*, today: datetime.date | None = None) -> tuple[Share, ...]:
    """What was paid for work carried out by each member organisation that is
    public and chose to be named (`Member.named_in_transparency`): approved
    payments net of reversals, cut off as every spending figure is (complete
    months only, `public_cutoff`). The money of the other members is in the
    network's totals, under no name. One query: a member not public, not named or
    gone is not even read."""
    from network.models import Member

    named = Member.objects.public().filter(named_in_transparency=True)
    rows = list(
        Disbursement.objects.filter(
            status=EntryStatus.APPROVED,
            paid_on__lt=public_cutoff(today),
            carried_out_by__in=named,
        )
        .values("carried_out_by__slug", "carried_out_by__name")
        .annotate(total=Sum(_signed_amount()))
        .order_by()
        .values_list("carried_out_by__slug", "carried_out_by__name", "total")
    )
    amounts = {slug: total for slug, _name, total in rows if total}
    names = {slug: name for slug, name, _total in rows}
    return _shares(
        amounts,
        names,
        order=sorted(amounts, key=lambda slug: (-amounts[slug], names[slug])),
    )


# --- CSV ------------------------------------------------------------------------------

CSV_HEADER = ("section", "key", "label", "value", "unit")


def _euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _cell(text: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula; region names
    are written by editors, so such a cell is quoted."""
    text = str(text)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def network_csv_rows(
    money: NetworkMoney, members: tuple[Share, ...] = ()
) -> list[tuple[str, ...]]:
    """The CSV of the network page: the same aggregated, anonymous figures, one per
    row, amounts in euros with two decimals; `members` as `paid_by_member` says."""
    from django.utils.translation import gettext as _

    rows: list[tuple[str, ...]] = [CSV_HEADER]

    def add(section, key, label, value, unit="EUR"):
        rows.append((section, key, _cell(label), value, unit))

    add("period", "as_of", _("Figures up to"), money.as_of.isoformat(), "date")
    add("raised", "total", _("Raised, net of refunds"), _euros(money.raised))
    for share in money.raised_by_fund:
        add("raised_by_fund", share.key, share.label, _euros(share.amount))
    add("refunds", "total", _("Refunds and lost disputes"), _euros(money.refunds))
    add("fees", "total", _("Payment and dispute fees"), _euros(money.fees))
    add("allocated", "total", _("Allocated to cases"), _euros(money.allocated))
    add("paid", "total", _("Paid for cases"), _euros(money.paid))
    for share in money.paid_by_category:
        add("paid_by_category", share.key, share.label, _euros(share.amount))
    for share in money.paid_by_region:
        add("paid_by_region", share.key, share.label, _euros(share.amount))
    for share in members:
        add("paid_by_member", share.key, share.label, _euros(share.amount))
    add("share", "cases", _("Share paid for cases"), str(money.cases_percent), "%")
    add("share", "fees", _("Share paid in fees"), str(money.fees_percent), "%")
    return rows
