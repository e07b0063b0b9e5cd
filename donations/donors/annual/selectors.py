"""Annual receipts: what a donor gave in one calendar year, as one receipt.

A year's gifts are the payments made in it (by the date paid, in the site's time
zone), with every refund of them deducted, whenever it was made. A gift under
dispute, or whose dispute was lost, is no gift: it is left out until the dispute
is won. Amounts are integers: minor units of the currency given, and euro cents
as Stripe settled them (the ledger's figures, so a refund is exactly what left
the fund). Erased gifts have no address and so belong to nobody's receipt.

The receipt names no case or campaign: a tax office needs the amounts, not whom
they defended, and a printed receipt may be seen by others.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.db.models.functions import ExtractYear, Lower
from django.utils import timezone

from accounts.emails import normalise_email
from donations.donors.services import donor_gifts
from donations.ledger.money import BASE_CURRENCY, format_money
from donations.models import Account, Donation, Flow, LedgerLeg

# A year has a receipt when a gift in it was kept, at least in part.
KEPT_STATUSES = (Donation.Status.PAID, Donation.Status.PARTIALLY_REFUNDED)
# The receipt lists these: a gift refunded in full shows, at zero, so that a donor
# who remembers giving it sees what became of it.
LISTED_STATUSES = (*KEPT_STATUSES, Donation.Status.REFUNDED)


class AnnualReceiptError(ValueError):
    """A year that has no receipt (yet), with a message for the caller."""


@dataclass(frozen=True)
class Organisation:
    legal_name: str
    registration: str
    address: str


@dataclass(frozen=True)
class ReceiptGift:
    """One payment: `amount` and `refunded` in minor units of `currency`,
    `settled` and `settled_refunded` in euro cents."""

    paid_on: datetime.date
    frequency: str
    currency: str
    amount: int
    refunded: int
    settled: int
    settled_refunded: int
    # True when part of a gift in another currency than the euro was refunded: the
    # ledger knows the refund in euros, so the amount in `currency` is converted at
    # the gift's own rate.
    refund_converted: bool = False

    @property
    def net(self) -> int:
        return self.amount - self.refunded

    @property
    def settled_net(self) -> int:
        return self.settled - self.settled_refunded

    @property
    def refunded_in_full(self) -> bool:
        return self.amount > 0 and self.refunded >= self.amount

    # For templates (the amounts as people read them).
    @property
    def amount_text(self) -> str:
        return format_money(self.amount, self.currency)

    @property
    def refunded_text(self) -> str:
        return format_money(self.refunded, self.currency) if self.refunded else ""

    @property
    def settled_net_text(self) -> str:
        return format_money(self.settled_net)


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    given: int
    refunded: int

    @property
    def net(self) -> int:
        return self.given - self.refunded

    @property
    def given_text(self) -> str:
        return format_money(self.given, self.currency)

    @property
    def refunded_text(self) -> str:
        return format_money(self.refunded, self.currency)

    @property
    def net_text(self) -> str:
        return format_money(self.net, self.currency)


@dataclass(frozen=True)
class AnnualReceipt:
    """A donor's receipt for `year`: their gifts, oldest first; the totals in each
    currency given (the euro first); and everything in euros as settled."""

    year: int
    emails: tuple[str, ...]
    organisation: Organisation
    issued_on: datetime.date
    gifts: tuple[ReceiptGift, ...] = ()
    totals: tuple[CurrencyTotal, ...] = ()
    euros: CurrencyTotal = field(
        default_factory=lambda: CurrencyTotal(BASE_CURRENCY, 0, 0)
    )

    @property
    def empty(self) -> bool:
        return not any(gift.net > 0 for gift in self.gifts)

    @property
    def any_refund_converted(self) -> bool:
        return any(gift.refund_converted for gift in self.gifts)

    @property
    def only_euros(self) -> bool:
        return all(total.currency == BASE_CURRENCY for total in self.totals)


def organisation() -> Organisation:
    return Organisation(
        legal_name=settings.ORGANISATION_LEGAL_NAME or settings.WAGTAIL_SITE_NAME,
        registration=settings.ORGANISATION_REGISTRATION,
        address=settings.ORGANISATION_ADDRESS,
    )


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def year_is_complete(year: int, *, today: datetime.date | None = None) -> bool:
    """Whether `year` is over (its receipt can no longer gain a gift)."""
    today = today or timezone.localdate()
    return year < today.year


def _in_year(year: int) -> Q:
    start, end = _year_bounds(year)
    return Q(paid_at__gte=start, paid_at__lt=end)


def _received_in_euros(donation_ids: list[int]) -> dict[int, int]:
    """What each gift left in its fund, in euro cents: its payment less its refunds
    (and plus a refund that failed), disputes apart."""
    rows = (
        LedgerLeg.objects.filter(
            transaction__donation_id__in=donation_ids,
            account__kind=Account.Kind.FUND,
        )
        .exclude(transaction__flow=Flow.DISPUTE)
        .values("transaction__donation_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    # A fund is credited (negative) with a gift and debited with its refund.
    return {row["transaction__donation_id"]: -row["total"] for row in rows}


def _converted(amount: int, settled: int, settled_part: int) -> int:
    if settled <= 0:
        return 0
    share = Decimal(amount) * Decimal(settled_part) / Decimal(settled)
    return int(share.quantize(Decimal(1), ROUND_HALF_UP))


def _receipt_gift(donation: Donation, received: int | None) -> ReceiptGift:
    settled = donation.settled_amount
    if settled is None:  # paid, but its settlement not yet recorded
        settled = received or 0
    if donation.status == Donation.Status.REFUNDED:
        settled_refunded, refunded, converted = settled, donation.amount, False
    else:
        kept = settled if received is None else received
        settled_refunded = min(settled, max(0, settled - kept))
        if not settled_refunded:
            refunded, converted = 0, False
        elif donation.currency == BASE_CURRENCY:
            refunded, converted = settled_refunded, False
        else:
            refunded = _converted(donation.amount, settled, settled_refunded)
            converted = True
    return ReceiptGift(
        paid_on=timezone.localdate(donation.paid_at),
        frequency=donation.frequency,
        currency=donation.currency,
        amount=donation.amount,
        refunded=min(refunded, donation.amount),
        settled=settled,
        settled_refunded=settled_refunded,
        refund_converted=converted,
    )


def _currency_order(code: str) -> tuple[int, str]:
    return (0 if code == BASE_CURRENCY else 1, code)


def annual_receipt(
    *, emails: Iterable[str], year: int, today: datetime.date | None = None
) -> AnnualReceipt:
    """The receipt of these addresses' gifts paid in `year`. Raises
    AnnualReceiptError for a year that is not over: its receipt would change."""
    if not year_is_complete(year, today=today):
        raise AnnualReceiptError(f"{year} is not over yet")
    emails = tuple(sorted({normalise_email(e) for e in emails} - {""}))
    donations = list(
        donor_gifts(emails)
        .filter(_in_year(year), status__in=LISTED_STATUSES)
        .order_by("paid_at", "pk")
    )
    received = _received_in_euros([d.pk for d in donations])
    gifts = tuple(_receipt_gift(d, received.get(d.pk)) for d in donations)
    by_currency: dict[str, list[int]] = {}
    for gift in gifts:
        given, refunded = by_currency.setdefault(gift.currency, [0, 0])
        by_currency[gift.currency] = [given + gift.amount, refunded + gift.refunded]
    return AnnualReceipt(
        year=year,
        emails=emails,
        organisation=organisation(),
        issued_on=today or timezone.localdate(),
        gifts=gifts,
        totals=tuple(
            CurrencyTotal(code, *by_currency[code])
            for code in sorted(by_currency, key=_currency_order)
        ),
        euros=CurrencyTotal(
            BASE_CURRENCY,
            sum(gift.settled for gift in gifts),
            sum(gift.settled_refunded for gift in gifts),
        ),
    )


def annual_receipt_years(
    *, emails: Iterable[str], today: datetime.date | None = None
) -> list[int]:
    """The complete years in which these addresses kept a gift, newest first."""
    today = today or timezone.localdate()
    years = (
        donor_gifts(emails)
        .filter(status__in=KEPT_STATUSES, paid_at__isnull=False)
        .annotate(year=ExtractYear("paid_at"))
        .values_list("year", flat=True)
        .distinct()
        .order_by()
    )
    return sorted({y for y in years if year_is_complete(y, today=today)}, reverse=True)


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str  # of their latest gift that year


def annual_receipt_recipients(*, year: int) -> list[Recipient]:
    """Every address that kept a gift paid in `year`, once (addresses compared as
    the site compares them), with the language they last gave in."""
    languages = {code for code, _name in settings.LANGUAGES}
    rows = (
        Donation.objects.filter(
            _in_year(year), status__in=KEPT_STATUSES, erased_at=None
        )
        .exclude(email="")
        .annotate(address=Lower("email"))
        .values_list("address", "language")
        .order_by("address", "paid_at", "pk")
    )
    latest: dict[str, str] = {}
    for address, language in rows:
        latest[normalise_email(address)] = language  # the last one wins
    return [
        Recipient(
            email=email,
            language=language if language in languages else settings.LANGUAGE_CODE,
        )
        for email, language in sorted(latest.items())
    ]
