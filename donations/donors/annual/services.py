"""Sending annual receipts: in January, each donor with an address is emailed, in
their language, a link to their receipt for the year that ended; once per donor
and year, however often (or however concurrently) the sending is run.

The email carries a manage link to the receipt page, not the receipt itself: the
list of someone's gifts to this network and its legal name would otherwise sit in
their mailbox for good, where others may read it; the link expires (a new one can
be asked for by email), and the page always shows the figures as they stand, a
late refund included.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.emails import normalise_email
from donations.donors.annual.selectors import (
    AnnualReceiptError,
    Recipient,
    annual_receipt,
    annual_receipt_recipients,
    year_is_complete,
)
from donations.donors.receipts import manage_token
from donations.models import AnnualReceiptSent
from outbox.codec import template_header

logger = logging.getLogger(__name__)


def _require_complete(year: int) -> None:
    if not year_is_complete(year):
        raise AnnualReceiptError(
            _("%(year)s is not over yet: its receipts can be sent from 1 January.")
            % {"year": year}
        )


def annual_receipt_url(*, email: str, language: str, year: int) -> str:
    """A new manage link (see receipts.manage_token) that opens `email`'s receipt
    for `year`, in `language`."""
    with translation.override(language):
        path = reverse(
            "donations:manage_annual_year",
            kwargs={"token": manage_token(email), "year": year},
        )
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


def annual_receipts_pending(*, year: int) -> list[Recipient]:
    """Who would be sent their receipt for `year` now: every donor with a gift
    kept that year whose receipt was not sent yet."""
    sent = set(
        AnnualReceiptSent.objects.filter(year=year).values_list(
            "email_digest", flat=True
        )
    )
    return [
        recipient
        for recipient in annual_receipt_recipients(year=year)
        if AnnualReceiptSent.digest_of(recipient.email) not in sent
    ]


def annual_receipt_send(*, email: str, language: str, year: int) -> bool:
    """Email `email` the link to its receipt for `year`, unless it was sent
    already or there is nothing to receipt. Returns whether it was sent now.

    The record that it was sent and the outbox message are written in one
    transaction: the unique (digest, year) makes a second run, or a concurrent
    one, find the record and send nothing.
    """
    _require_complete(year)
    email = normalise_email(email)
    if not email or annual_receipt(emails=[email], year=year).empty:
        return False
    with transaction.atomic():
        try:
            with transaction.atomic():
                AnnualReceiptSent.objects.create(
                    email_digest=AnnualReceiptSent.digest_of(email), year=year
                )
        except IntegrityError:
            return False  # sent before, or being sent by another run right now
        with translation.override(language):
            context = {
                "year": year,
                "receipt_url": annual_receipt_url(
                    email=email, language=language, year=year
                ),
                "request_url": settings.WAGTAILADMIN_BASE_URL
                + reverse("donations:manage_request"),
                "days": settings.DONOR_LINK_DAYS,
                "language": language,
                "organisation": settings.WAGTAIL_SITE_NAME,
            }
            subject = render_to_string("email/annual_receipt_subject.txt", context)
            message = EmailMultiAlternatives(
                subject=" ".join(subject.split()),
                body=render_to_string("email/annual_receipt.txt", context),
                to=[email],
                headers=template_header("email/annual_receipt"),
            )
            message.attach_alternative(
                render_to_string("email/annual_receipt.html", context), "text/html"
            )
        message.send()
    return True


@dataclass
class AnnualSending:
    year: int
    sent: int = 0
    skipped: int = 0  # sent before (or by a concurrent run), or nothing left


def annual_receipts_send(*, year: int) -> AnnualSending:
    """Send every pending receipt for `year` (see annual_receipt_send), each in
    its own transaction, so that a run stopped half-way is simply run again."""
    _require_complete(year)
    result = AnnualSending(year=year)
    for recipient in annual_receipts_pending(year=year):
        if annual_receipt_send(
            email=recipient.email, language=recipient.language, year=year
        ):
            result.sent += 1
        else:
            result.skipped += 1
    logger.info(
        "annual receipts for %s: %s sent, %s skipped",
        year,
        result.sent,
        result.skipped,
    )
    return result


def last_year() -> int:
    return timezone.localdate().year - 1
