"""Telling the Board what needs attention: one digest email, not one per problem."""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from donations.attention.selectors import MAIL, Attention, attention
from donations.models import AttentionDigest
from donations.stripe.reconciliation import board_recipients, member_language
from outbox.codec import template_header

logger = logging.getLogger(__name__)

# The hourly beat does not fire to the second: a digest due "an hour after the
# last" is not put off by another hour for being a few seconds early.
PERIOD_SLACK = datetime.timedelta(minutes=2)
LOCK_KEY = "attention-digest-sending"


def _absolute(path: str) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}" if path else ""


def _context(current: Attention, *, new_keys: set[str]) -> dict:
    return {
        "groups": [
            {
                "label": group.label,
                "total": group.total,
                "more": group.more,
                "items": [
                    {
                        "summary": item.summary,
                        "detail": item.detail,
                        "when": item.when,
                        # Outgoing email is the administrators' to open: the
                        # Board is told of it, not linked to recipients' addresses.
                        "url": _absolute(item.url) if item.kind != MAIL else "",
                        "new": item.key in new_keys,
                    }
                    for item in group.items
                ],
            }
            for group in current.groups
        ],
        "total": current.total,
        "admin_url": _absolute(reverse("wagtailadmin_home")),
        "organisation": settings.WAGTAIL_SITE_NAME,
    }


def attention_digest_due(
    *, current: Attention, now: datetime.datetime
) -> tuple[bool, set[str]]:
    """Whether a digest is due now, and which keys are new: not in the last
    digest, or gone at an hourly check since and come back. Something must be new,
    and the period since the last digest over. Remembers, on the last digest, which
    of its items are still there."""
    keys = set(current.keys())
    last = AttentionDigest.objects.order_by("-sent_at", "-pk").first()
    still_there: set[str] = set()
    if last is not None:
        still_there = set(last.unresolved) & keys
        if still_there != set(last.unresolved):
            AttentionDigest.objects.filter(pk=last.pk).update(
                unresolved=sorted(still_there)
            )
    new_keys = keys - still_there
    if not new_keys:
        return False, new_keys
    period = datetime.timedelta(minutes=settings.ATTENTION_DIGEST_MINUTES)
    if last and now - last.sent_at < period - PERIOD_SLACK:
        return False, new_keys
    return True, new_keys


def attention_digest_send(
    *, now: datetime.datetime | None = None
) -> AttentionDigest | None:
    """Email each Board member one digest (through the outbox) of everything that
    needs attention, when something in it is new since the last digest and the
    last is at least ATTENTION_DIGEST_MINUTES old. Stripe ids, amounts and email
    templates only: no donor's address, no prisoner. Returns the digest's record, or
    None when none was due."""
    now = now or timezone.now()
    # Two workers running the task at once (a redelivered task) send one digest.
    if not cache.add(LOCK_KEY, "1", timeout=300):
        return None
    try:
        current = attention(now=now)
        due, new_keys = attention_digest_due(current=current, now=now)
        if not due or not current:
            return None
        with transaction.atomic():
            sent = 0
            for member in board_recipients():
                with translation.override(member_language(member)):
                    context = _context(current, new_keys=new_keys)
                    subject = render_to_string(
                        "donations/attention/digest_subject.txt", context
                    )
                    message = EmailMultiAlternatives(
                        subject=" ".join(subject.split()),
                        body=render_to_string(
                            "donations/attention/digest.txt", context
                        ),
                        to=[member.email],
                        headers=template_header("donations/attention/digest"),
                    )
                    message.attach_alternative(
                        render_to_string("donations/attention/digest.html", context),
                        "text/html",
                    )
                    sent += message.send()
            digest = AttentionDigest(
                sent_at=now,
                keys=current.keys(),
                unresolved=current.keys(),
                item_count=current.total,
                recipient_count=sent,
            )
            digest.full_clean()
            digest.save()
        logger.info("attention digest: %s items to %s members", current.total, sent)
        return digest
    finally:
        cache.delete(LOCK_KEY)
