"""Receipts: one email per successful payment, through the outbox, in the donor's
language, with a signed link to manage their gifts. The subject never names a
prisoner or campaign (a donor's inbox may be seen by others)."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from donations.ledger.money import format_money
from donations.models import Donation

MANAGE_SALT = "donations.manage"


def manage_token(email: str) -> str:
    return signing.dumps({"e": email.strip().lower()}, salt=MANAGE_SALT, compress=True)


def manage_email_from(token: str) -> str | None:
    max_age = settings.DONOR_LINK_DAYS * 24 * 3600
    try:
        return signing.loads(token, salt=MANAGE_SALT, max_age=max_age)["e"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def manage_url(email: str, language: str) -> str:
    with translation.override(language):
        path = reverse("donations:manage", kwargs={"token": manage_token(email)})
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


def receipt_send(*, donation: Donation) -> None:
    with translation.override(donation.language):
        context = {
            "donation": donation,
            "amount": format_money(donation.amount, donation.currency),
            "manage_url": manage_url(donation.email, donation.language),
            "organisation": settings.WAGTAIL_SITE_NAME,
        }
        subject = render_to_string("email/receipt_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("email/receipt.txt", context),
            to=[donation.email],
        )
        message.attach_alternative(
            render_to_string("email/receipt.html", context), "text/html"
        )
        message.send()
