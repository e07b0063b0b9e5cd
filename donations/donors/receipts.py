"""Receipts: one email per successful payment, through the outbox, in the donor's
language, with a link to manage their gifts. The subject never names a prisoner or
campaign (a donor's inbox may be seen by others).

Manage links carry a random token, not the address: the URL is seen by access logs,
browser history and Stripe's portal. Only the token's hash is stored (`ManageLink`).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.emails import normalise_email
from donations.ledger.money import format_money
from donations.models import Donation, ManageLink
from outbox.codec import template_header

# An expired link is remembered this long, to say "expired" rather than "not valid".
EXPIRED_LINK_MEMORY = datetime.timedelta(days=90)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def manage_token(email: str) -> str:
    """A new random token that opens `email`'s gifts for DONOR_LINK_DAYS."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    ManageLink.objects.create(
        token_hash=_digest(token),
        email=normalise_email(email),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.DONOR_LINK_DAYS),
    )
    return token


def _link(token: str) -> ManageLink | None:
    if not token or len(token) > 100:
        return None
    return ManageLink.objects.filter(token_hash=_digest(token)).first()


def manage_email_from(token: str) -> str | None:
    """The address a live link opens, or None (unknown, expired or erased)."""
    link = _link(token)
    if link is None or link.expires_at <= timezone.now():
        return None
    return link.email


def manage_link_state(token: str) -> str:
    """'expired' for a link we issued whose time is over, otherwise 'invalid'."""
    link = _link(token)
    return "expired" if link is not None else "invalid"


def manage_links_forget(*, email: str | None = None) -> int:
    """Delete every link of `email` (its erasure), or, without one, the links
    expired long enough ago that nobody will come back with them."""
    if email is not None:
        links = ManageLink.objects.filter(email=normalise_email(email))
    else:
        links = ManageLink.objects.filter(
            expires_at__lt=timezone.now() - EXPIRED_LINK_MEMORY
        )
    return links.delete()[0]


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
            headers=template_header("email/receipt"),
        )
        message.attach_alternative(
            render_to_string("email/receipt.html", context), "text/html"
        )
        message.send()
