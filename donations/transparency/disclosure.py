"""THE DISCLOSURE RULE: what may be published of the gifts to one fund, so that no
amount on a public page can identify a donor. Plain Python over a fund's months,
importing nothing of the app, so that the ledger can keep the network's published
totals with its postings (`donations.ledger.services`) by the very rule the pages
apply (`donations.transparency.selectors`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from django.utils import timezone

# The rule's two numbers (see `disclose_gifts`).
MIN_GIFTS = 3
ROUND_DOWN_TO = 1000  # euro cents: whole tens of euros


def public_cutoff(today: datetime.date | None = None) -> datetime.date:
    """The first day of the current calendar month (UTC): public figures, gifts and
    spending alike, count nothing from this day on."""
    if today is None:
        today = timezone.now().astimezone(datetime.UTC).date()
    return today.replace(day=1)


@dataclass(slots=True)
class GiftMonth:
    """One fund's gifts in one calendar month, from the roll-up (euro cents)."""

    month: datetime.date
    one_off_gifts: int = 0  # one-off payments received (credit_count, one_off)
    monthly_gifts: int = 0  # monthly payments received (credit_count, monthly)
    gifts: int = 0  # what they brought, before fees (credits)
    refunds: int = 0  # refunds and lost disputes (debits)
    fees: int = 0  # payment and dispute fees the fund bore


@dataclass(frozen=True)
class RaisedFigure:
    """What may be said publicly about one fund's gifts.

    Only `raised` is for display. The exact parts are what it was computed from,
    for network totals (which round again) and for tests."""

    raised: int = 0  # net of refunds, rounded down to whole tens of euros
    gifts: int = 0
    refunds: int = 0
    fees: int = 0
    # The last month whose gifts are included (None: nothing published yet).
    through: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    """Months of one fund published together, once `month` (their last) closed.

    `raised` is what the fund's published figure (`RaisedFigure.raised`, rounded)
    grows by when the batch is published: the batches' `raised` up to any month
    add up to the figure then, which lets network totals be summed."""

    month: datetime.date
    gifts: int
    refunds: int
    fees: int
    raised: int


def round_down(amount: int) -> int:
    """Whole tens of euros, never more than the amount; never below zero."""
    return max(0, amount - amount % ROUND_DOWN_TO)


def gift_batches(months: Iterable[GiftMonth]) -> list[Batch]:
    """Step 2 of the rule (see `disclose_gifts`) over all of a fund's months, the
    current one included: the batches as they close, in order.

    The rule only looks forward from the fund's first month, so a batch that closed
    in a month before a cut-off is the same whatever came after it: what
    `disclose_gifts` publishes for a cut-off is exactly the batches closed before
    it. A batch still short of three gifts is not returned."""
    batches = []
    gifts = refunds = fees = one_off = largest_monthly = 0
    published = 0  # gifts less refunds of the batches so far
    for month in sorted(months, key=attrgetter("month")):
        gifts += month.gifts
        refunds += month.refunds
        fees += month.fees
        one_off += month.one_off_gifts
        largest_monthly = max(largest_monthly, month.monthly_gifts)
        if one_off + largest_monthly >= MIN_GIFTS:
            before = round_down(published)
            published += gifts - refunds
            batches.append(
                Batch(
                    month=month.month,
                    gifts=gifts,
                    refunds=refunds,
                    fees=fees,
                    raised=round_down(published) - before,
                )
            )
            gifts = refunds = fees = one_off = largest_monthly = 0
    return batches


def disclose_gifts(
    months: Iterable[GiftMonth], *, cutoff: datetime.date
) -> RaisedFigure:
    """THE DISCLOSURE RULE: what may be published of the gifts to one fund, so that
    no amount on a public page can identify a donor (for example a case with a
    single donor this month).

    1. Nothing from the current calendar month: only months before `cutoff` count
       (`public_cutoff()`; spending is cut off at the same day, so that a payment
       this week cannot reveal a lawyer's travel either).
    2. Closed months are published in batches of at least `MIN_GIFTS` (3) gifts.
       Going forward from the fund's first month, months are added to a batch
       until it holds enough gifts, and then the whole batch is published. A batch
       still short of three waits, and is added to the next month's. Monthly
       payments count once per donor, not once per month: a batch counts its
       one-off gifts plus the largest number of monthly payments in any one of its
       months (a single monthly donor never fills a batch alone, however many
       months they give).
    3. What is published is the net amount (gifts less refunds and lost disputes
       in the published months), rounded down to whole tens of euros. Fees follow
       the same batches, so a fee cannot reveal a gift that is still waiting.

    `months` may come in any order; months from `cutoff` on are ignored.
    """
    batches = gift_batches(month for month in months if month.month < cutoff)
    gifts = sum(batch.gifts for batch in batches)
    refunds = sum(batch.refunds for batch in batches)
    return RaisedFigure(
        raised=round_down(gifts - refunds),
        gifts=gifts,
        refunds=refunds,
        fees=sum(batch.fees for batch in batches),
        through=batches[-1].month if batches else None,
    )
