"""The words of an annual receipt, in the current language: one source for the
printable page and the PDF, so that both say exactly the same."""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from donations.donors.annual.selectors import AnnualReceipt, ReceiptGift
from donations.ledger.money import BASE_CURRENCY, format_money


def day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


@dataclass(frozen=True)
class Row:
    date: str
    gift: str
    refunded: str
    euros: str


@dataclass(frozen=True)
class TotalRow:
    currency: str
    given: str
    refunded: str
    net: str


@dataclass(frozen=True)
class Wording:
    title: str
    organisation: str
    registration_label: str
    registration: str
    address_label: str
    address: str
    donor_label: str
    donor: str
    issued_label: str
    issued: str
    period: str
    gifts_heading: str
    columns: tuple[str, str, str, str]
    rows: tuple[Row, ...]
    totals_heading: str
    total_columns: tuple[str, str, str, str]
    totals: tuple[TotalRow, ...]
    euros_total: TotalRow | None  # when gifts were in other currencies too
    no_return: str
    notes: tuple[str, ...]
    thanks: str
    filename: str


def _refunded_cell(gift: ReceiptGift) -> str:
    if not gift.refunded:
        return "—"
    if gift.refunded_in_full:
        return _("%(amount)s (in full)") % {"amount": gift.refunded_text}
    return gift.refunded_text + ("*" if gift.refund_converted else "")


def _dash_if_zero(minor: int, currency: str) -> str:
    return format_money(minor, currency) if minor else "—"


def annual_receipt_wording(receipt: AnnualReceipt) -> Wording:
    year = receipt.year
    organisation = receipt.organisation
    notes = [
        _(
            "Received in euros: what our payment provider paid us in euros for "
            "each gift, less any refund."
        )
    ]
    if receipt.any_refund_converted:
        notes.append(
            _(
                "* Refunds are recorded in euros; this one is converted into the "
                "gift's own currency at the rate the gift was paid at."
            )
        )
    euros = receipt.euros
    return Wording(
        title=_("Donation receipt for %(year)s") % {"year": year},
        organisation=organisation.legal_name,
        registration_label=_("Registration"),
        registration=organisation.registration,
        address_label=_("Address"),
        address=organisation.address,
        donor_label=_("Donor"),
        donor=", ".join(receipt.emails),
        issued_label=_("Issued on"),
        issued=day(receipt.issued_on),
        period=_("From %(start)s to %(end)s: every gift we received from you.")
        % {
            "start": day(datetime.date(year, 1, 1)),
            "end": day(datetime.date(year, 12, 31)),
        },
        gifts_heading=_("Gifts"),
        columns=(_("Date"), _("Gift"), _("Refunded"), _("Received in euros")),
        rows=tuple(
            Row(
                date=day(gift.paid_on),
                gift=gift.amount_text,
                refunded=_refunded_cell(gift),
                euros=gift.settled_net_text,
            )
            for gift in receipt.gifts
        ),
        totals_heading=_("Totals"),
        total_columns=(_("Currency"), _("Given"), _("Refunded"), _("Total")),
        totals=tuple(
            TotalRow(
                currency=total.currency,
                given=total.given_text,
                refunded=_dash_if_zero(total.refunded, total.currency),
                net=total.net_text,
            )
            for total in receipt.totals
        ),
        euros_total=None
        if receipt.only_euros
        else TotalRow(
            currency=_("All gifts, in euros as received"),
            given=euros.given_text,
            refunded=_dash_if_zero(euros.refunded, BASE_CURRENCY),
            net=euros.net_text,
        ),
        no_return=_("No goods or services were provided in return for these gifts."),
        notes=tuple(notes),
        thanks=_("Thank you for your support."),
        filename=f"donation-receipt-{year}.pdf",
    )
